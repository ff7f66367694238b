"""Item: never hang. One indentation error in a large YAML file is exit 2 within about a second
(it was quadratic: 64,000 lines took 89 s); positions of many findings in one post are computed
in linear time; more files than the repo limit stop the run with a clear finding instead of a
silent partial check.

Times are CPU seconds of this process (``time.process_time``), with generous bounds: the
machine running the tests may be shared; a quadratic algorithm misses them by far.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from snspolicy.io.errors import LoadError
from snspolicy.io.yamlloc import load_yaml

from .helpers import MINIMAL_POST, Box, cli, located, no_traceback, write


def _indent_error_yaml(n: int) -> str:
    lines = ["id: big", "notes:"] + [f"  k{i}: v{i}" for i in range(n)] + [" bad: x"]
    return "\n".join(lines) + "\n"


def _cpu(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    fn()
    return time.process_time() - start


def _load_error(text: str) -> LoadError:
    with pytest.raises(LoadError) as err:
        load_yaml(text)
    return err.value


def test_indentation_error_in_64k_lines_is_fast_and_located() -> None:
    n = 64_000
    text = _indent_error_yaml(n)
    err: list[LoadError] = []
    spent = _cpu(lambda: err.append(_load_error(text)))
    assert err[0].code == "yaml_indent" and err[0].span.line == n + 3
    assert spent < 5.0, spent  # about a second on an idle machine; 89 s before


def test_error_message_time_grows_linearly() -> None:
    """Building the message (the part that was quadratic) is linear: 8x the lines, about 8x the time."""
    import yaml

    from snspolicy.io.yamlloc import classify_error, loader

    def marked(text: str) -> yaml.MarkedYAMLError:
        with pytest.raises(yaml.MarkedYAMLError) as err:
            list(yaml.compose_all(text, Loader=loader()))
        return err.value

    small, large = _indent_error_yaml(8_000), _indent_error_yaml(64_000)
    e_small, e_large = marked(small), marked(large)
    t_small = min(_cpu(lambda: classify_error(e_small, small)) for _ in range(3))
    t_large = min(_cpu(lambda: classify_error(e_large, large)) for _ in range(3))
    assert classify_error(e_large, large)[0] == "yaml_indent"
    assert t_large < 1.0, t_large
    assert t_large < 24 * max(t_small, 0.002), (t_small, t_large)  # linear: ~8x; quadratic: 64x


def test_big_broken_account_file_through_the_cli(box: Box) -> None:
    write(box.repo, "accounts/big.yaml", _indent_error_yaml(64_000))
    started = time.monotonic()
    proc = cli("lint", str(box.repo), timeout=120)
    assert time.monotonic() - started < 100
    no_traceback(proc)
    assert proc.returncode == 2
    located(proc.stdout, "accounts/big.yaml", 64_003)


def test_positions_of_many_findings_are_linear() -> None:
    """60,000 findings in one post: each position in O(log n), not a scan from the start."""
    from snspolicy.io.documents import Document
    from snspolicy.io.yamlloc import Located

    body = "電話 0836-31-1111\n" * 60_000
    text = "---\nid: x\n---\n" + body
    doc = Document("post", "posts/x.md", Path("posts/x.md"), text, Located({}), body, len("---\nid: x\n---\n"))
    starts = [i * len("電話 0836-31-1111\n") for i in range(60_000)]
    spans: list = []
    spent = _cpu(lambda: spans.extend(doc.body_span(s, s + 3) for s in starts))
    assert spans[-1].line == 60_003 and spans[-1].column == 1
    assert spent < 5.0, spent


def test_too_many_files_stop_the_run_with_a_finding(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the limit the run fails (exit 2, located at the folder) instead of checking only some."""
    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.io import repo as repo_mod

    for i in range(6):
        write(box.repo, f"posts/test-x/p{i}.md", MINIMAL_POST.replace("test-post", f"p{i}"))
    monkeypatch.setattr(repo_mod, "MAX_FILES", 5)
    done = run(LintRequest([box.repo], options=LintOptions(lang="en")))
    assert done.result.exit_code(done.setup.config.fail_on) == 2
    f = next(f for f in done.result.findings if f.fatal and f.path == "posts")
    assert "more than 5" in f.message


def test_secret_scan_file_list_is_never_cut_silently(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    """Repo.text_files (the secret scan's input) raises rather than stopping half-way."""
    from snspolicy.core.errors import UserError
    from snspolicy.io import repo as repo_mod
    from snspolicy.io.config import Config

    for i in range(8):
        write(box.repo, f"press/p{i}.yaml", "id: x\n")
    monkeypatch.setattr(repo_mod, "MAX_FILES", 5)
    repo = repo_mod.Repo(root=box.repo, config=Config())
    with pytest.raises(UserError) as err:
        list(repo.text_files())
    assert err.value.code == "input_too_many_files"
    monkeypatch.setattr(repo_mod, "MAX_FILES", 50)
    assert len(list(repo.text_files())) == 11  # must not fire under the limit
