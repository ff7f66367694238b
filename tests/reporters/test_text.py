"""Tests for the text reporter and the reporter registry."""

from __future__ import annotations

import pytest

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters import FORMATS, REPORTERS, render

from .conftest import make_finding


def test_line_format_is_the_contract(ctx: ReportContext) -> None:
    out = render("text", [make_finding(message="番号を削除してください")], ctx)
    assert out.splitlines()[0] == "posts/2025/a.md:3:5: error [pii-phone] 6(5) 番号を削除してください"


def test_summary_japanese(ctx: ReportContext) -> None:
    fs = [make_finding(line=1), make_finding(line=2), make_finding(line=4, severity=Severity.WARNING)]
    assert render("text", fs, ctx).splitlines()[-1] == "2 件の違反、1 件の警告（12 ファイル）"


def test_summary_english_plurals(ctx: ReportContext) -> None:
    ctx.lang = "en"
    fs = [make_finding(line=1), make_finding(line=2), make_finding(line=4, severity=Severity.WARNING)]
    assert render("text", fs, ctx).splitlines()[-1] == "2 errors, 1 warning in 12 files"
    ctx.files_checked = 1
    fs = [make_finding(), make_finding(line=9, severity=Severity.INFO)]
    assert render("text", fs, ctx).splitlines()[-1] == "1 error, 1 note in 1 file"


def test_no_findings(ctx: ReportContext) -> None:
    assert render("text", [], ctx) == "問題は見つかりませんでした（12 ファイル）\n"
    ctx.lang = "en"
    assert render("text", [], ctx) == "No problems found in 12 files\n"


def test_info_counted(ctx: ReportContext) -> None:
    out = render("text", [make_finding(severity=Severity.INFO)], ctx)
    assert out.splitlines()[-1] == "1 件の情報（12 ファイル）"
    assert out.splitlines()[0].startswith("posts/2025/a.md:3:5: info [")


def test_sorted_by_path_line_column(ctx: ReportContext) -> None:
    fs = [make_finding(path="posts/b.md", line=1), make_finding(path="posts/a.md", line=10),
          make_finding(path="posts/a.md", line=2, column=7), make_finding(path="posts/a.md", line=2, column=3)]
    lines = render("text", fs, ctx).splitlines()[:-1]
    assert [ln.split(" ")[0] for ln in lines] == [
        "posts/a.md:2:3:", "posts/a.md:2:7:", "posts/a.md:10:5:", "posts/b.md:1:5:"]
    assert render("text", list(reversed(fs)), ctx) == render("text", fs, ctx)


def test_color_only_when_asked(ctx: ReportContext) -> None:
    fs = [make_finding(), make_finding(line=8, severity=Severity.WARNING)]
    assert "\x1b" not in render("text", fs, ctx)
    colored = render("text", fs, ctx, color=True)
    assert "\x1b[1;31merror\x1b[0m" in colored and "\x1b[33mwarning\x1b[0m" in colored


def test_message_cannot_inject_lines_or_escape_codes(ctx: ReportContext) -> None:
    f = make_finding(message="一行目\n二行目\r\x1b[31m赤")
    out = render("text", [f], ctx)
    assert len(out.splitlines()) == 2  # one finding + summary
    assert "\x1b" not in out and "\\x1b[31m" in out


def test_waived_hidden_by_default_and_counted(ctx: ReportContext) -> None:
    fs = [make_finding(), make_finding(line=7, waived=True, waiver_reason="広報広聴課の承認済み")]
    out = render("text", fs, ctx)
    assert len(out.splitlines()) == 2
    assert out.splitlines()[-1] == "1 件の違反（12 ファイル、ほかに例外として承認済み 1 件）"
    shown = render("text", fs, ctx, show_waived=True)
    assert "posts/2025/a.md:7:5:" in shown and "（例外として承認済み: 広報広聴課の承認済み）" in shown


def test_odd_finding_does_not_raise(ctx: ReportContext) -> None:
    f = Finding(path="", line=0, column=-3, end_line=None, end_column=None,  # type: ignore[arg-type]
                rule="", clause="", severity="warning", message=None)  # type: ignore[arg-type]
    out = render("text", [f], ctx)
    assert out.splitlines()[0] == "-:1:1: warning [unknown] - "
    assert "1 件の警告" in out


def test_registry(ctx: ReportContext) -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "github", "markdown", "junit", "gitlab", "html"}
    assert set(REPORTERS) == set(FORMATS)
    with pytest.raises(ValueError, match=r"unknown output format 'xml'.*text"):
        render("xml", [], ctx)
    # options a format does not know are ignored; format names are case-insensitive
    assert render("JSON", [], ctx, color=True) == "[]\n"
    assert render("text", [], None) == "問題は見つかりませんでした（0 ファイル）\n"


def test_lazy_import() -> None:
    import subprocess
    import sys

    code = ("import sys, snspolicy.reporters as r; "
            "assert 'snspolicy.reporters.sarif' not in sys.modules; "
            "r.render('text', [], None); "
            "assert 'snspolicy.reporters.sarif' not in sys.modules, 'sarif imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


def _env() -> dict[str, str]:
    import os
    from pathlib import Path

    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env
