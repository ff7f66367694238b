import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.io.errors import LoadError
from snspolicy.io.yamlloc import load_yaml


def test_values_and_spans_count_code_points():
    doc = load_yaml("a: 1\nb:\n  - {x: 日本語, y: 2025-04-01}\n")
    assert doc.data == {"a": 1, "b": [{"x": "日本語", "y": "2025-04-01"}]}
    span = doc.values[("b", 0, "y")]
    assert (span.line, span.column) == (3, 17)
    assert doc.keys[("b", 0, "y")].column == 14


def test_line_offset_for_front_matter():
    doc = load_yaml("a: 1\nb: 2\n", line_offset=1)
    assert doc.span(("b",)).line == 3


def test_duplicate_key_is_an_error_at_the_second_key():
    with pytest.raises(LoadError) as e:
        load_yaml("a: 1\nb: 2\na: 3\n")
    assert e.value.code == "duplicate_key"
    assert (e.value.span.line, e.value.span.column) == (3, 1)
    assert e.value.params["first_line"] == 1


def test_duplicate_key_nested():
    with pytest.raises(LoadError) as e:
        load_yaml("security:\n  two_factor: {enabled: true, enabled: false}\n")
    assert e.value.code == "duplicate_key" and e.value.span.line == 2


def test_on_key_stays_a_string():
    assert load_yaml("- {on: 2025-04-02, summary: x}\n").data == [{"on": "2025-04-02", "summary": "x"}]


def test_syntax_error_has_location():
    with pytest.raises(LoadError) as e:
        load_yaml("a: 1\nb: [1, 2\nc: 3\n")
    assert e.value.code == "yaml_flow" and e.value.span.line >= 2  # an unclosed [ is named as such


def test_alias_bomb_is_stopped():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(8):
        name = f"l{i}"
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        prev = name
    with pytest.raises(LoadError) as e:
        load_yaml(bomb)
    assert e.value.code == "too_many_nodes"


def test_recursive_alias():
    with pytest.raises(LoadError) as e:
        load_yaml("a: &x [*x]\n")
    assert e.value.code == "recursive_alias"


def test_multiple_documents_rejected():
    with pytest.raises(LoadError) as e:
        load_yaml("a: 1\n---\nb: 2\n")
    assert e.value.code == "multiple_documents"


def test_empty_document():
    assert load_yaml("").data is None


def test_merge_keys_work():
    doc = load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert doc.data["other"] == {"x": 1, "y": 2}


@pytest.mark.parametrize("text, code, line", [
    ("a: 1\n\tb: 2\n", "yaml_tab", 2),
    ('a: "abc\nb: 2\n', "yaml_unclosed_quote", 1),
    ('a: 1\nb: "abc\nc: "x"\nd: 1\n', "yaml_unclosed_quote", 2),   # closed by the next quote, noticed later
    ("a： 1\nb: 2\n", "yaml_fullwidth_colon", 1),
    ("handle: @ube\n", "yaml_reserved_char", 1),
    ("a: 時間: 9時\n", "yaml_colon_in_value", 1),
    ("a: {b: 1, c: 2\nd: 3\n", "yaml_flow", 2),
    ("a:\n  b: 1\n c: 2\n", "yaml_indent", 3),
    ('a: "C:\\path\\q"\n', "yaml_escape", 1),
    ("a: *x\n", "yaml_alias", 1),
])
def test_common_mistakes_have_their_own_code(text, code, line):
    with pytest.raises(LoadError) as e:
        load_yaml(text)
    assert e.value.code == code and e.value.span.line == line


def test_a_compacted_document_has_every_span_of_the_parsed_one():
    """Documents keep no span tables for the run (memory): they are made again from the text on the
    first location asked for, and every value and key span is the parsed one."""
    from snspolicy.io.yamlloc import StoredLocated, compact, load_yaml

    text = ("id: p1\naccount: ube-city-x\ntags: [a, b]\nauthor:\n  employee_id: '100001'\n"
            "media:\n  - path: m/a.jpg\n    people: none\n  - {path: m/b.jpg, people: crowd}\nnote: |\n  二行の\n  説明\n")
    fresh = load_yaml(text, 3)
    small = compact(fresh, "前置き" + text + "後", 3, 3 + len(text))  # the text inside a longer one
    assert isinstance(small, StoredLocated) and small.data == fresh.data
    assert small._values is None and small._keys is None and small.source() == text
    for path in dict.keys(fresh.values):
        assert small.span(path) == fresh.span(path), path
    for path in dict.keys(fresh.keys):
        assert small.span(path, key=True) == fresh.span(path, key=True), path
    assert small.span(("media", 1, "people", "x")) == fresh.span(("media", 1, "people", "x"))  # nearest parent
    assert compact(small, text) is small and small.source() == text


def test_stored_rows_and_a_text_parsed_again_give_the_same_spans():
    """Rows read back from the cache, damaged rows and no rows at all give the same tables."""
    import json

    from snspolicy.io.yamlloc import StoredLocated, load_yaml, span_rows

    text = "a: 1\nb:\n  - x\n  - {y: 2}\n"
    fresh = load_yaml(text, 1)
    rows = json.dumps([span_rows(fresh.values), span_rows(fresh.keys)])
    for stored in (rows, "[[1, 2", None):
        again = StoredLocated(fresh.data, stored, 1, text)
        assert dict(dict.items(again.values)) == dict(dict.items(fresh.values)), stored
        assert dict(dict.items(again.keys)) == dict(dict.items(fresh.keys)), stored


def test_parsed_mapping_keys_and_short_values_are_shared_between_documents():
    """Thousands of posts repeat the same keys and values (account, status, employee numbers):
    they are one string each, not one per post; a long text is never shared."""
    from snspolicy.io.yamlloc import load_yaml

    long = "長い説明" * 20
    a = load_yaml(f"account: ube-city-x\nstatus: published\nnote: {long}\n").data
    b = load_yaml(f"account: ube-city-x\nstatus: published\nnote: {long}\n").data
    ka, kb = list(a), list(b)
    assert all(x is y for x, y in zip(ka, kb))
    assert a["account"] is b["account"] and a["status"] is b["status"]
    assert a["note"] == b["note"] and a["note"] is not b["note"]


def test_documents_keep_compact_locations(tmp_path):
    from snspolicy.io.documents import parse_document
    from snspolicy.io.yamlloc import StoredLocated

    text = "---\nid: p1\naccount: ube-city-x\n---\n本文です。\n"
    doc = parse_document("post", tmp_path / "p.md", "posts/p.md", text)
    assert isinstance(doc.located, StoredLocated) and doc.located._values is None
    assert doc.located._text is text  # no copy of the front matter is kept
    assert doc.body == "本文です。\n" and doc.text[doc.body_offset:] == doc.body
    assert doc.span(("account",)).line == 3 and doc.located._values is not None  # made when first asked for
    assert doc.span(("id",), key=True).column == 1


@pytest.mark.parametrize("text", ["a: 1\nb:\n  - x\n  - {y: 2}\n", "- 1\n- 2\n", "", "x\n", "a: &r {b: 1}\nc: *r\n<<: {d: 2}\n"])
def test_without_span_tables_the_data_and_the_root_span_are_the_same(text):
    """A document parsed without a cache makes no span tables (they are made again from the text
    when a location is asked for): the data and the root's span, which the loader's own errors
    (not a mapping) use, are those of a full parse."""
    full, bare = load_yaml(text, 2), load_yaml(text, 2, spans=False)
    assert bare.data == full.data
    assert bare.span(()) == full.span(())
    assert dict(dict.items(bare.values)) == {(): dict.__getitem__(full.values, ())}
    assert not bare.keys


@pytest.mark.parametrize("text, line, first", [("a: 1\nb: 2\na: 3\n", 3, 1),
                                               ("security:\n  two_factor: {enabled: true, enabled: false}\n", 2, 2)])
def test_duplicate_keys_without_span_tables(text, line, first):
    for spans in (True, False):
        with pytest.raises(LoadError) as e:
            load_yaml(text, spans=spans)
        assert e.value.code == "duplicate_key" and e.value.span.line == line and e.value.params["first_line"] == first


def test_a_document_read_without_a_cache_finds_every_span(tmp_path):
    """parse_document without a memo parses without span tables; every span it then gives is the
    one of a full parse."""
    from snspolicy.io.documents import parse_document

    front = ("id: p1\naccount: ube-city-x\ntags: [a, b]\napproval: {approved_by: '100001'}\n"
             "media:\n  - path: m/a.jpg\n    people: none\n")
    doc = parse_document("post", tmp_path / "p.md", "posts/p.md", f"---\n{front}---\n本文\n")
    full = load_yaml(front, 1)
    assert doc.data == full.data
    for path in dict.keys(full.values):
        assert doc.span(path) == full.span(path), path
    for path in dict.keys(full.keys):
        assert doc.span(path, key=True) == full.span(path, key=True), path


_SCALARS = ["a", "yes", "No", "on", "off", "~", "null", "", "0", "012", "0o12", "0x1f", "1_000", "1.5", ".inf", "-.NaN",
            "2025-04-01", "2025-04-01T09:00:00+09:00", "true", "TRUE", "=", "<<", "ube-city-x", "100001", "宇部市",
            "'quoted'", '"2025-04-01"', "'yes'", "1e3", "+12", "-0", "0836-31-1111"]


def _tags(node):
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_tags(n) for n in node.value])
    return (node.tag, [(_tags(k), _tags(v)) for k, v in node.value])


@given(st.lists(st.tuples(st.sampled_from(_SCALARS), st.sampled_from(_SCALARS)), max_size=8))
@settings(max_examples=300, deadline=None)
def test_the_remembered_tags_are_the_safe_loaders(pairs):
    """The loader remembers the tag of each short scalar (the parser asks for every one): the
    same tags as PyYAML's own safe loader, the first time and every time after."""
    import yaml

    from snspolicy.io.yamlloc import loader

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = "".join(f"k{i}: {v}\nl{i}:\n  - {k}\n  - {v}\n" for i, (k, v) in enumerate(pairs)) or "a: 1\n"
    want = _tags(yaml.compose(text, Loader=base))
    assert loader() is not base and issubclass(loader(), base)
    assert _tags(yaml.compose(text, Loader=loader())) == want
    assert _tags(yaml.compose(text, Loader=loader())) == want


@given(st.lists(st.sampled_from([v for v in _SCALARS if v not in ("=", "<<")] + ["長い説明" * 20, "'引用 #です'", '"a\\tb"', "x: y"]),
                min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_strings_are_the_safe_loaders(values):
    """A string scalar is taken as its text without the safe constructor (which gives the text as
    it is): every string value equals PyYAML's, quoted, escaped, long or short."""
    import yaml

    text = "".join(f"k{i}: {v if v != 'x: y' else repr(v)}\n" for i, v in enumerate(values))
    want = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    got = load_yaml(text).data
    strings = {k: v for k, v in want.items() if isinstance(v, str)}
    assert strings and all(got[k] == v and type(got[k]) is str for k, v in strings.items()) or not strings
