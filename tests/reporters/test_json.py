"""Tests for the JSON reporter."""

from __future__ import annotations

import json

from snspolicy.core.model import Fix, ReportContext, Severity
from snspolicy.reporters import render

from .conftest import make_finding

CONTRACT = {"path", "line", "column", "rule", "clause", "severity", "message"}


def test_list_of_findings_with_contract_keys(ctx: ReportContext) -> None:
    fs = [make_finding(), make_finding(line=9, severity=Severity.WARNING, rule="category-list", clause="3(4)")]
    data = json.loads(render("json", fs, ctx))
    assert isinstance(data, list) and len(data) == 2
    for d in data:
        assert set(d) >= CONTRACT
    assert data[0]["severity"] == "error" and data[1]["severity"] == "warning"
    assert data[1]["clause"] == "3(4)"
    assert data[0] == fs[0].to_dict()


def test_utf8_not_ascii_escaped_and_indented(ctx: ReportContext) -> None:
    out = render("json", [make_finding(message="電話番号")], ctx)
    assert "電話番号" in out and "\\u" not in out
    assert '\n  {\n    "path"' in out


def test_stable_order(ctx: ReportContext) -> None:
    fs = [make_finding(path="b.md"), make_finding(path="a.md", line=20), make_finding(path="a.md", line=3)]
    data = json.loads(render("json", fs, ctx))
    assert [(d["path"], d["line"]) for d in data] == [("a.md", 3), ("a.md", 20), ("b.md", 3)]
    assert render("json", fs[::-1], ctx) == render("json", fs, ctx)


def test_empty(ctx: ReportContext) -> None:
    assert json.loads(render("json", [], ctx)) == []


def test_waived(ctx: ReportContext) -> None:
    fs = [make_finding(), make_finding(line=8, waived=True, waiver_reason="承認済み")]
    assert len(json.loads(render("json", fs, ctx))) == 1
    data = json.loads(render("json", fs, ctx, show_waived=True))
    assert len(data) == 2
    assert "waived" not in data[0]
    assert data[1]["waived"] is True and data[1]["waiver_reason"] == "承認済み"


def test_fix_is_kept(ctx: ReportContext) -> None:
    f = make_finding(fix=Fix(description="代表番号に置き換える", replacement="0836-31-1111"))
    d = json.loads(render("json", [f], ctx))[0]
    assert d["fix"] == {"description": "代表番号に置き換える", "replacement": "0836-31-1111"}


def test_odd_values_are_normalized(ctx: ReportContext) -> None:
    f = make_finding(line=0, end_line=0, end_column=0, severity="Warning")
    d = json.loads(render("json", [f], ctx))[0]
    assert d["line"] == 1 and d["end_line"] == 1 and d["severity"] == "warning"


def test_every_format_is_encodable_as_utf8(ctx: ReportContext) -> None:
    f = make_finding(message="壊れた文字 \ud800 と \x00", path="posts/\udcff.md", title="\udcff",
                     fingerprint="0123abcd")  # compute_fingerprint cannot hash surrogates
    for fmt in ("text", "json", "sarif", "github", "markdown", "junit"):
        render(fmt, [f], ctx).encode("utf-8")
