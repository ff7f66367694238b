"""Tests for the Markdown summary."""

from __future__ import annotations

import re

from snspolicy.core.model import ReportContext, Severity
from snspolicy.reporters import render
from snspolicy.reporters.markdown import cell

from .conftest import make_finding


def test_failing_headline_and_counts(ctx: ReportContext) -> None:
    fs = [make_finding(), make_finding(line=9, severity=Severity.WARNING)]
    out = render("markdown", fs, ctx)
    assert "❌" in out.split("\n\n")[1] and "✅" not in out
    assert "| ❌ 違反 | 1 |" in out and "| ⚠️ 警告 | 1 |" in out and "| ℹ️ 情報 | 0 |" in out
    assert "確認したファイル: 12" in out and "ube/2025-04-01" in out


def test_warnings_only_pass_unless_fail_on_warning(ctx: ReportContext) -> None:
    fs = [make_finding(severity=Severity.WARNING)]
    assert "✅ 合格です。止めるべき問題はありません。" in render("markdown", fs, ctx)
    ctx.fail_on = Severity.WARNING
    assert "❌" in render("markdown", fs, ctx).split("\n\n")[1]


def test_clean_pass(ctx: ReportContext) -> None:
    out = render("markdown", [], ctx)
    assert "✅ 合格です。問題は見つかりませんでした。" in out and "|---|---|---|---|" not in out


def test_grouped_by_clause_in_numeric_order(ctx: ReportContext) -> None:
    clauses = ["6(10)", "8", "6(2)", "3(4)", "7", "6(11)", "4(1)", "3(1)", "6(1)"]
    fs = [make_finding(line=i + 1, clause=c, message=f"m{c}") for i, c in enumerate(clauses)]
    out = render("markdown", fs, ctx)
    headings = re.findall(r"^### ガイドライン (\S+)", out, flags=re.M)
    assert headings == ["3(1)", "3(4)", "4(1)", "6(1)", "6(2)", "6(10)", "6(11)", "7", "8"]
    # each finding is in its clause's table
    section = out.split("### ガイドライン 6(10)")[1].split("###")[0]
    assert "m6(10)" in section and "m6(11)" not in section
    assert "### ガイドライン 6(5) 職務上の秘密・個人情報" not in out
    assert "報道発表前の先行発信" in out  # clause short name for non-programmers (the policy's heading)


def test_row_content(ctx: ReportContext) -> None:
    out = render("markdown", [make_finding(message="番号を削除")], ctx)
    assert "| `posts/2025/a.md:3` | ❌ 違反 | `pii-phone` | 番号を削除 |" in out


def test_cells_are_escaped(ctx: ReportContext) -> None:
    f = make_finding(message="A | B\n次の行 <script>x</script> @ube_city *強調*")
    out = render("markdown", [f], ctx)
    row = [ln for ln in out.splitlines() if ln.startswith("| `posts")][0]
    assert row.count(" | ") == 3 and row.endswith(" |")  # exactly four cells
    assert "A \\| B<br>次の行" in row
    assert "<script>" not in out and "&lt;script&gt;" in row
    assert "@ube_city" not in out and "&#64;ube\\_city" in row
    assert "\\*強調\\*" in row


def test_cell_function() -> None:
    assert cell("a|b") == "a\\|b"
    assert cell("x\r\ny") == "x<br>y"
    assert cell("") == " "


def test_details_only_when_many(ctx: ReportContext) -> None:
    few = [make_finding(line=i) for i in range(1, 4)]
    assert "<details>" not in render("markdown", few, ctx)
    many = [make_finding(line=i, clause="6(5)" if i % 2 else "3(6)") for i in range(1, 30)]
    out = render("markdown", many, ctx)
    assert out.count("<details>") == 2 and out.count("</details>") == 2
    assert "<summary>ガイドライン 3(6) 正確な情報（14 件） ❌ 14</summary>" in out
    assert "\n<summary>" in out and "</summary>\n\n|" in out  # blank line so the table renders


def test_row_limit(ctx: ReportContext) -> None:
    many = [make_finding(line=i) for i in range(1, 11)]
    out = render("markdown", many, ctx, max_rows=4)
    assert sum(ln.startswith("| `posts") for ln in out.splitlines()) == 4
    assert "ほか 6 件は省略しました" in out


def test_waived(ctx: ReportContext) -> None:
    fs = [make_finding(), make_finding(line=5, waived=True, waiver_reason="承認")]
    out = render("markdown", fs, ctx)
    assert "例外として承認済みのもの 1 件は表示していません。" in out
    assert sum(ln.startswith("| `posts") for ln in out.splitlines()) == 1


def test_english(ctx: ReportContext) -> None:
    from snspolicy.domain.vocabulary import clause_headings
    from snspolicy.policy.model import load

    ctx.lang = "en"
    ctx.clauses = clause_headings(load("ube/2025-04-01"), "en")  # as report_context gives them for --lang en
    out = render("markdown", [make_finding(clause="6(10)")], ctx)
    assert "Changes needed" in out and "### Guideline 6(10) Posting before a press release (1)" in out
    assert "| ❌ error | 1 |" in out


def test_deterministic(ctx: ReportContext) -> None:
    fs = [make_finding(line=i, clause=c) for i, c in enumerate(["8", "3(1)", "6(5)"], 1)]
    assert render("markdown", fs, ctx) == render("markdown", fs[::-1], ctx)


def test_clause_headings_are_the_policys(ctx: ReportContext) -> None:
    """The headings come from ReportContext.clauses (the policy), not from a table in the code."""
    ctx.clauses = {"6(10)": "発表前の情報"}
    out = render("markdown", [make_finding(clause="6(10)")], ctx)
    assert "### ガイドライン 6(10) 発表前の情報" in out and "報道発表前の先行発信" not in out
    ctx.clauses = {}
    out = render("markdown", [make_finding(clause="6(10)")], ctx)
    assert "### ガイドライン 6(10)（1 件）" in out
