"""Waivers (front matter and inline): what hides a finding, what is reported instead.

The finding to waive comes from ``post-category`` (a post with ``category: sports``),
which needs no text analysis. Every test runs the real engine on a repo in tmp_path.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from snspolicy.app import setup as runner

from snspolicy.app.lint import lint_setup
from snspolicy.core.model import Severity
from snspolicy.engine.waivers import parse_inline

ACCOUNT = {
    "id": "ube-city-x", "platform": "x", "handle": "@ube_city", "url": "https://x.com/ube_city",
    "purpose": "市政情報の発信", "departments": ["広報広聴課"],
    "manager": {"name": "常盤 正和", "employee_id": "100101", "title": "広報広聴課長"},
    "deputies": [{"name": "楠 和也", "employee_id": "100111", "title": "広報広聴課長補佐"}],
    "approval": {"approved_by": "100101", "approved_on": "2025-04-01"},
    "operating_rules": "https://www.city.ube.yamaguchi.jp/rules.html",
    "holders": [
        {"name": "真締 由美", "employee_id": "200201", "department": "広報広聴課", "assigned_on": "2025-04-01"},
        {"name": "琴芝 翔太", "employee_id": "200202", "department": "広報広聴課", "assigned_on": "2025-04-01"},
    ],
    "security": {"two_factor": {"enabled": True, "method": "totp"}, "reviewed_on": "2025-04-01"},
    "profile": {"disclaimer_url": "https://www.city.ube.yamaguchi.jp/menseki.html"},
    "status": "active",
}
POST = {
    "id": "p", "account": "ube-city-x", "status": "published", "publish_at": "2025-04-07T09:00:00+09:00",
    "category": "sports", "author": {"employee_id": "200201"},
    "approval": {"approved_by": "100101", "approved_on": "2025-04-04"},
}
BODY = "市民体育大会のお知らせです。\n"
WAIVER = {"rule": "post-category", "reason": "スポーツ区分の追加をポリシー改定で検討中のため", "approved_by": "100101", "until": "2025-12-31"}
RULES = ("post-category", "post-media", "waiver-invalid", "waiver-expired", "waiver-unused")


def make_repo(tmp_path: Path, waivers: Any = None, body: str = BODY, extra_posts: dict[str, str] | None = None, **front: Any) -> Path:
    root = tmp_path / "repo"
    (root / "accounts").mkdir(parents=True)
    (root / "posts").mkdir()
    (root / "snspolicy.yaml").write_text("policy: ube/2025-04-01\n", encoding="utf-8")
    (root / "accounts" / "ube-city-x.yaml").write_text(yaml.safe_dump(ACCOUNT, allow_unicode=True), encoding="utf-8")
    data = {**POST, **front}
    if waivers is not None:
        data["waivers"] = waivers
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body
    (root / "posts" / "p.md").write_text(text, encoding="utf-8")
    for name, content in (extra_posts or {}).items():
        (root / "posts" / name).write_text(content, encoding="utf-8")
    return root


def lint(root: Path, today: str = "2025-06-01", rules: tuple[str, ...] = RULES):
    setup = runner.prepare([root])
    _, result = lint_setup(setup, today=dt.date.fromisoformat(today), select=lambda s: s.id in rules)
    assert not [f for f in result.findings if f.fatal]
    return result


def visible(result, rule: str) -> list:
    return [f for f in result.visible() if f.rule == rule]


def test_without_waiver_the_finding_shows(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path))
    assert len(visible(result, "post-category")) == 1
    assert result.exit_code(Severity.ERROR) == 1


def test_valid_waiver_hides_the_finding(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, [WAIVER]))
    assert visible(result, "post-category") == []
    waived = [f for f in result.findings if f.rule == "post-category"]
    assert len(waived) == 1 and waived[0].waived and "スポーツ" in (waived[0].waiver_reason or "")
    assert [f.rule for f in result.visible()] == []
    assert result.exit_code(Severity.ERROR) == 0


def test_waiver_approved_by_deputy_is_valid(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, [{**WAIVER, "approved_by": "100111"}]))
    assert [f.rule for f in result.visible()] == []


@pytest.mark.parametrize("field", ["rule", "reason", "approved_by", "until"])
def test_waiver_missing_a_field_is_invalid_and_hides_nothing(tmp_path: Path, field: str) -> None:
    w = {k: v for k, v in WAIVER.items() if k != field}
    result = lint(make_repo(tmp_path, [w]))
    inv = visible(result, "waiver-invalid")
    assert len(inv) == 1 and field in inv[0].message and inv[0].severity.name == "ERROR"
    assert len(visible(result, "post-category")) == 1


def test_waiver_with_blank_reason_is_invalid(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, [{**WAIVER, "reason": "   "}]))
    assert len(visible(result, "waiver-invalid")) == 1 and len(visible(result, "post-category")) == 1


def test_waiver_that_is_not_a_mapping_is_invalid(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, ["post-category"]))
    assert len(visible(result, "waiver-invalid")) == 1


@pytest.mark.parametrize("rule", ["no-such-rule", "schema", "yaml-syntax", "waiver-unused", "internal-error"])
def test_waiver_for_unknown_or_unwaivable_rule_is_invalid(tmp_path: Path, rule: str) -> None:
    result = lint(make_repo(tmp_path, [{**WAIVER, "rule": rule}]))
    inv = visible(result, "waiver-invalid")
    assert len(inv) == 1 and rule in inv[0].message
    assert len(visible(result, "post-category")) == 1


@pytest.mark.parametrize("approver", ["200201", "999999"])
def test_waiver_approved_by_someone_not_manager_or_deputy_is_invalid(tmp_path: Path, approver: str) -> None:
    result = lint(make_repo(tmp_path, [{**WAIVER, "approved_by": approver}]))
    inv = visible(result, "waiver-invalid")
    assert len(inv) == 1 and approver in inv[0].message
    assert len(visible(result, "post-category")) == 1


def test_waiver_with_unreadable_until_is_invalid(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, [{**WAIVER, "until": "来年の3月"}]))
    assert len(visible(result, "waiver-invalid")) == 1 and len(visible(result, "post-category")) == 1


def test_expired_waiver_stops_hiding(tmp_path: Path) -> None:
    root = make_repo(tmp_path, [WAIVER])
    result = lint(root, today="2026-01-01")
    exp = visible(result, "waiver-expired")
    assert len(exp) == 1 and "2025-12-31" in exp[0].message and "post-category" in exp[0].message
    assert exp[0].clause == "3(4)"  # the clause of the waived rule
    assert len(visible(result, "post-category")) == 1


def test_waiver_is_valid_through_its_until_day(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, [WAIVER]), today="2025-12-31")
    assert [f.rule for f in result.visible()] == []


def test_unused_waiver_is_reported_as_warning(tmp_path: Path) -> None:
    w = {**WAIVER, "rule": "post-media"}  # the post has no media: nothing to hide
    result = lint(make_repo(tmp_path, [WAIVER, w]))
    unused = visible(result, "waiver-unused")
    assert len(unused) == 1 and "post-media" in unused[0].message and unused[0].severity.name == "WARNING"
    assert unused[0].clause == "6(6)"
    assert result.exit_code(Severity.ERROR) == 0


def test_waiver_for_a_rule_that_did_not_run_is_not_unused(tmp_path: Path) -> None:
    w = {**WAIVER, "rule": "post-media"}
    result = lint(make_repo(tmp_path, [w]), rules=("post-category", "waiver-invalid", "waiver-expired", "waiver-unused"))
    assert visible(result, "waiver-unused") == []


def test_waiver_only_covers_its_own_post(tmp_path: Path) -> None:
    other = "---\n" + yaml.safe_dump({**POST, "id": "q"}, allow_unicode=True) + "---\n" + BODY
    result = lint(make_repo(tmp_path, [WAIVER], extra_posts={"q.md": other}))
    shown = visible(result, "post-category")
    assert [f.path for f in shown] == ["posts/q.md"]


def test_waiver_finding_points_at_the_waiver(tmp_path: Path) -> None:
    root = make_repo(tmp_path, [{"rule": "post-category"}])
    f = visible(lint(root), "waiver-invalid")[0]
    line = (root / "posts" / "p.md").read_text(encoding="utf-8").split("\n")[f.line - 1]
    assert "post-category" in line


# ------------------------------------------------------------------ inline waivers

INLINE_OK = '<!-- snspolicy-waive rule=post-category reason="スポーツ区分を検討中のため" approved_by=100101 until=2025-12-31 -->\n'


def test_inline_waiver_hides(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, body=BODY + INLINE_OK))
    assert [f.rule for f in result.visible()] == []


def test_inline_waiver_single_quotes_and_extra_space(tmp_path: Path) -> None:
    body = BODY + "<!--snspolicy-waive  rule = post-category  reason='検討中'  approved_by='100111'  until=2025-12-31-->\n"
    result = lint(make_repo(tmp_path, body=body))
    assert [f.rule for f in result.visible()] == []


@pytest.mark.parametrize("comment", [
    '<!-- snspolicy-waive rule=post-category approved_by=100101 until=2025-12-31 -->',
    '<!-- snspolicy-waive rule=post-category reason="" approved_by=100101 until=2025-12-31 -->',
    '<!-- snspolicy-waive rule=post-category reason="検討中" until=2025-12-31 -->',
])
def test_inline_waiver_missing_a_field_is_invalid(tmp_path: Path, comment: str) -> None:
    root = make_repo(tmp_path, body=BODY + comment + "\n")
    result = lint(root)
    inv = visible(result, "waiver-invalid")
    assert len(inv) == 1 and len(visible(result, "post-category")) == 1
    line = (root / "posts" / "p.md").read_text(encoding="utf-8").split("\n")[inv[0].line - 1]
    assert "snspolicy-waive" in line


def test_inline_waiver_expired_and_unused(tmp_path: Path) -> None:
    old = INLINE_OK.replace("2025-12-31", "2025-05-31")
    unused = INLINE_OK.replace("post-category", "post-media")
    result = lint(make_repo(tmp_path, body=BODY + old + unused))
    assert len(visible(result, "waiver-expired")) == 1
    assert len(visible(result, "waiver-unused")) == 1
    assert len(visible(result, "post-category")) == 1


def test_ordinary_html_comment_is_not_a_waiver(tmp_path: Path) -> None:
    result = lint(make_repo(tmp_path, body=BODY + "<!-- メモ: rule=post-category -->\n"))
    assert len(visible(result, "post-category")) == 1 and visible(result, "waiver-invalid") == []


def test_parse_inline() -> None:
    assert parse_inline(' rule=text-private reason="市長 コラム" approved_by=100001 until=2025-12-31 ') == {
        "rule": "text-private", "reason": "市長 コラム", "approved_by": "100001", "until": "2025-12-31"}
    assert parse_inline("reason='a b' reason=c") == {"reason": "a b"}
    assert parse_inline('reason=""') == {"reason": ""}
    assert parse_inline("") == {}


# ------------------------------------------------------------------ through the CLI


def test_cli_exit_codes_with_waivers(tmp_path: Path) -> None:
    from snspolicy.cli import main

    root = make_repo(tmp_path, [WAIVER])
    args = ["lint", str(root), "--select", ",".join(RULES)]
    ok = CliRunner().invoke(main, args + ["--today", "2025-06-01"])
    assert ok.exit_code == 0, ok.output
    expired = CliRunner().invoke(main, args + ["--today", "2026-01-01", "--lang", "en"])
    assert expired.exit_code == 1
    assert "[waiver-expired]" in expired.output and "[post-category]" in expired.output
