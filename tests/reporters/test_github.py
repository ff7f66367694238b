"""Tests for GitHub Actions workflow-command annotations."""

from __future__ import annotations

import re

from snspolicy.core.model import ReportContext, Severity
from snspolicy.reporters import render
from snspolicy.reporters.github import escape_data, escape_property

from .conftest import make_finding


def _unescape_data(s: str) -> str:  # the runner's inverse mapping
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(s: str) -> str:
    return _unescape_data(s.replace("%3A", ":").replace("%2C", ","))


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert m, line
    props = dict(kv.split("=", 1) for kv in m.group(2).split(","))
    return m.group(1), {k: _unescape_property(v) for k, v in props.items()}, _unescape_data(m.group(3))


def test_exact_error_line(ctx: ReportContext) -> None:
    out = render("github", [make_finding(message="番号を削除してください")], ctx)
    assert out == ("::error file=posts/2025/a.md,line=3,col=5,endLine=3,endColumn=9,"
                   "title=[pii-phone] 6(5) 個人の電話番号::番号を削除してください\n")


def test_escape_functions() -> None:
    assert escape_data("100% 完了\r\n次: a,b") == "100%25 完了%0D%0A次: a,b"
    assert escape_property("100% 完了\r\n次: a,b") == "100%25 完了%0D%0A次%3A a%2Cb"
    assert escape_data("%0A") == "%250A"  # already-escaped-looking text is not decoded


def test_escaping_in_annotations_round_trips(ctx: ReportContext) -> None:
    msg = "達成率 100%、\n次の行: a, b"
    f = make_finding(path="posts/a,b:c.md", message=msg, title="題: 1, 2")
    line = render("github", [f], ctx).rstrip("\n")
    assert "\n" not in line
    assert "100%25" in line and "%0A" in line and "次の行: a, b" in line  # message keeps : and ,
    assert "file=posts/a%2Cb%3Ac.md" in line
    assert "title=[pii-phone] 6(5) 題%3A 1%2C 2" in line
    command, props, message = _parse(line)
    assert command == "error" and message == msg
    assert props["file"] == "posts/a,b:c.md" and props["title"] == "[pii-phone] 6(5) 題: 1, 2"


def test_severity_commands_and_order(ctx: ReportContext) -> None:
    fs = [make_finding(line=1, severity=Severity.INFO), make_finding(line=2, severity=Severity.WARNING),
          make_finding(line=3, severity=Severity.ERROR)]
    lines = render("github", fs, ctx).splitlines()
    assert [ln.split(" ")[0] for ln in lines] == ["::error", "::warning", "::notice"]


def test_multiline_span_has_no_columns(ctx: ReportContext) -> None:
    line = render("github", [make_finding(line=2, end_line=5, end_column=3)], ctx)
    _, props, _ = _parse(line.strip())
    assert props["line"] == "2" and props["endLine"] == "5"
    assert "col" not in props and "endColumn" not in props


def test_waived_not_annotated_by_default(ctx: ReportContext) -> None:
    fs = [make_finding(waived=True, waiver_reason="承認済み")]
    assert render("github", fs, ctx) == ""
    line = render("github", fs, ctx, show_waived=True)
    assert line.startswith("::notice ") and "承認済み" in line


def test_control_characters_cannot_start_a_command(ctx: ReportContext) -> None:
    out = render("github", [make_finding(message="a\n::error::偽物\x1b[0m")], ctx)
    assert len(out.splitlines()) == 1 and "\x1b" not in out
