"""Item: control characters are escaped in every output format, by one function
(:func:`snspolicy.reporters._util.escape`). A post named ``x\\n::error file=X::…`` must not inject
a GitHub workflow command (the text format is printed in Actions logs too), nor fake a line or
colour of any report."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from .helpers import MINIMAL_POST, Box, cli, no_traceback

EVIL_NAMES = [
    "a\n::error file=evil.md,line=1::INJECTED\n.md",
    "b\r::warning::INJECTED.md",
    "c\x1b[31mRED\x1b[0m.md",
    "d\u202eevil\u2028line.md",
    "e\ttab.md",
]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@pytest.fixture
def evil_repo(box: Box) -> Box:
    for i, name in enumerate(EVIL_NAMES):
        text = MINIMAL_POST.replace("test-post", f"evil-{i}").replace("category: tourism", "category: nope")
        (box.repo / "posts" / "test-x" / name).write_text(text, encoding="utf-8")
    return box


def _lint(box: Box, fmt: str):  # type: ignore[no-untyped-def]
    proc = cli("lint", str(box.repo), "-f", fmt, "--no-color")
    no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return proc


def _findings(box: Box) -> list[dict]:
    return json.loads(_lint(box, "json").stdout)


def test_json_paths_are_escaped(evil_repo: Box) -> None:
    findings = _findings(evil_repo)
    evil = [f for f in findings if "evil" in f["message"] or f["path"].startswith("posts/test-x/") and f["path"] != "posts/test-x/test-post.md"]
    assert len({f["path"] for f in evil}) == len(EVIL_NAMES)
    for f in findings:
        assert not CONTROL.search(f["path"]) and "\n" not in f["path"] and "\r" not in f["path"], f["path"]
    assert any("\\x0a::error file=evil.md" in f["path"] for f in findings)


def test_text_format_cannot_start_a_workflow_command(evil_repo: Box) -> None:
    out = _lint(evil_repo, "text").stdout
    n = len(_findings(evil_repo))
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == n + 1  # one line per finding plus the summary: no injected line
    assert not [ln for ln in lines if ln.startswith("::")]
    assert "\x1b" not in out and "\r" not in out and not CONTROL.search(out)
    assert any(ln.startswith("posts/test-x/a\\x0a::error file=evil.md,line=1::INJECTED\\x0a.md:") for ln in lines)


def test_github_format_has_one_command_per_finding(evil_repo: Box) -> None:
    out = _lint(evil_repo, "github").stdout
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == len(_findings(evil_repo))
    assert all(re.match(r"^::(error|warning|notice) file=", ln) for ln in lines), lines
    assert not [ln for ln in lines if ln.startswith("::error file=evil.md")]
    assert not CONTROL.search(out)


def test_markdown_rows_stay_rows(evil_repo: Box) -> None:
    out = _lint(evil_repo, "markdown").stdout
    for ln in out.split("\n"):
        if ln.startswith("| `posts"):
            assert ln.rstrip().endswith("|"), ln
    assert "\n::" not in out and not CONTROL.search(out)


def test_junit_and_sarif_hold_no_control_characters(evil_repo: Box) -> None:
    junit = _lint(evil_repo, "junit").stdout
    root = ET.fromstring(junit.split("\n", 1)[1])
    names = [c.get("name") or "" for c in root.iter("testcase")]
    assert names and not [n for n in names if CONTROL.search(n) or "\n" in n]
    sarif = json.loads(_lint(evil_repo, "sarif").stdout)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris and not [u for u in uris if CONTROL.search(u) or "\n" in u]


def test_escape_is_the_one_function_and_keeps_ordinary_text() -> None:
    """Must not fire on ordinary Japanese text, emoji sequences or line breaks in messages."""
    from snspolicy.reporters._util import clean, escape, norm_path, one_line

    text = "ときわ公園 👨‍👩‍👧 #宇部\n二行目"
    assert escape(text) == text and clean(text) == text
    assert one_line(text) == "ときわ公園 👨‍👩‍👧 #宇部 二行目"
    assert norm_path("posts/a\nb.md") == "posts/a\\x0ab.md"
    assert escape("x\u202ey") == "x\\u202ey" and escape("\x1b[31m") == "\\x1b[31m"
