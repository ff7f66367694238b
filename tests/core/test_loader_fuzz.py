"""Property: any bytes given as a document either load or raise a located LoadError — never anything else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snspolicy.io.documents import load_document
from snspolicy.io.errors import LoadError

YAMLISH = st.lists(st.sampled_from(list("ab:- \n\t{}[],&*!|>'\"#%@`?~日本0123456789") + ["---\n", "\ufeff", "<<: *a\n", "&a "]),
                   max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), YAMLISH.map(lambda s: s.encode("utf-8"))), kind=st.sampled_from(["account", "post"]))
def test_any_input_loads_or_raises_load_error(tmp_path, data, kind):
    p = tmp_path / ("f.md" if kind == "post" else "f.yaml")
    p.write_bytes(data)
    try:
        doc = load_document(kind, p, p.name, tmp_path)
    except LoadError as exc:
        assert exc.span.line >= 1 and exc.span.column >= 1
        return
    # every recorded span lies inside the file
    lines = doc.text.count("\n") + 1
    for span in list(doc.located.values.values()) + list(doc.located.keys.values()):
        assert 1 <= span.line <= lines + 1
