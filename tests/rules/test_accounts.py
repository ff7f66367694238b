"""Account rules (3(1), 3(2), 4(1)-(5), 8): for every rule, cases that must fire and cases that must not.

Each test builds a small posts repo in tmp_path (one account written from a dict,
an operating-rules file, a Shift_JIS roster) and runs the real engine with only
the rule under test selected.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CLEAN, VIOLATIONS, WITHOUT_CACHE

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.core.model import Severity

TODAY = dt.date(2025, 6, 1)

BASE: dict[str, Any] = {
    "id": "acc-a",
    "platform": "x",
    "handle": "@acc_a",
    "url": "https://x.com/acc_a",
    "purpose": "市政情報の発信",
    "departments": ["広報広聴課"],
    "manager": {"name": "常盤 正和", "employee_id": "100101", "title": "広報広聴課長"},
    "deputies": [{"name": "楠 和也", "employee_id": "100111", "title": "広報広聴課長補佐"}],
    "approval": {"approved_by": "100101", "approved_on": "2025-04-01"},
    "operating_rules": "docs/rules.md",
    "holders": [
        {"name": "真締 由美", "employee_id": "200201", "department": "広報広聴課", "assigned_on": "2025-04-01"},
        {"name": "琴芝 翔太", "employee_id": "200202", "department": "広報広聴課", "assigned_on": "2025-04-01"},
    ],
    "holders_exception": None,
    "security": {
        "two_factor": {"enabled": True, "method": "totp"},
        "password": {"min_length": 14, "managed_by": "password-manager", "unique": True, "last_changed_on": "2025-04-01"},
        "reviewed_on": "2025-04-01",
    },
    "registry_submitted_on": "2025-04-02",
    "profile": {"disclaimer_url": "https://www.city.ube.yamaguchi.jp/shisei/menseki.html"},
    "status": "active",
}

ROSTER = (
    "職員番号,氏名,所属,職名,在職区分\r\n"
    "100101,常盤　正和,広報広聴課,課長,在職\r\n"
    "100111,楠　和也,広報広聴課,課長補佐,在職\r\n"
    "200201,真締　由美,広報広聴課,主査,在職\r\n"
    "200202,琴芝　翔太,広報広聴課,主任,在職\r\n"
    "200203,際波　彩,観光振興課,主任,在職\r\n"
    "200290,沖ノ山　修,広報広聴課,主査,退職\r\n"
    "200292,亀浦　蓮,広報広聴課,主事,休職\r\n"
    "100120,二俣　浩,広報広聴課,課長補佐,在職\r\n"
)


def make_repo(root: Path, accounts: list[dict] | None = None, *, roster: bool = True,
              config_extra: str = "", posts: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    cfg = "policy: ube/2025-04-01\nfail_on: error\n"
    if roster:
        cfg += "roster: staff/roster.csv\n"
        (root / "staff").mkdir(exist_ok=True)
        (root / "staff" / "roster.csv").write_bytes(ROSTER.encode("cp932"))  # as HR exports it
    (root / "snspolicy.yaml").write_text(cfg + config_extra, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "rules.md").write_text("# 運用規程\n\n投稿は管理者の承認を得る。\n", encoding="utf-8")
    (root / "accounts").mkdir(exist_ok=True)
    for acc in accounts if accounts is not None else [BASE]:
        name = acc.get("_file") or f"{acc['id']}.yaml"
        data = {k: v for k, v in acc.items() if k != "_file"}
        (root / "accounts" / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for rel, text in (posts or {}).items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def lint(root: Path, rule: str | None = None, today: dt.date = TODAY, lang: str = "ja"):
    setup = runner.prepare([root])
    select = (lambda spec: spec.id == rule) if rule else None
    _repo, result = lint_setup(setup, lang=lang, today=today, select=select)
    return [f for f in result.findings if rule is None or f.rule == rule]


def variant(**changes: Any) -> dict:
    """BASE with changes; keys may be dotted paths (``security.two_factor.method``); None deletes."""
    acc = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        keys = dotted.split("__")
        cur = acc
        for k in keys[:-1]:
            cur = cur[int(k)] if isinstance(cur, list) else cur[k]
        last = keys[-1]
        if value is _DELETE:
            del cur[last]
        elif isinstance(cur, list):
            cur[int(last)] = value
        else:
            cur[last] = value
    return acc


_DELETE = object()


def line_of(root: Path, rel: str, needle: str) -> int:
    for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {rel}")


POST = """---
id: p1
account: acc-a
status: {status}
publish_at: {publish_at}
category: civic
author: {{employee_id: "200201"}}
approval: {{approved_by: "100101", approved_on: 2025-03-01}}
---
お知らせです。
"""


# --------------------------------------------------------------------------- baseline


def test_base_account_is_clean_for_every_account_rule(tmp_path):
    root = make_repo(tmp_path / "r")
    ours = {"account-approval", "account-manager", "account-operating-rules", "account-duplicate", "account-holders",
            "account-2fa", "account-password-policy", "secret-in-repo", "account-roster", "account-review",
            "registry-stale", "account-disclaimer", "schema"}
    found = [f for f in lint(root) if f.rule in ours]
    assert found == []


@pytest.mark.parametrize("today", [dt.date(2025, 6, 1), dt.date(2026, 6, 1)])
def test_clean_example_has_no_account_findings(tmp_path, today):
    root = tmp_path / "clean"
    shutil.copytree(CLEAN, root, symlinks=True, ignore=WITHOUT_CACHE)
    found = [f for f in lint(root, today=today) if f.path.startswith("accounts/") or f.rule in
             ("secret-in-repo", "registry-stale")]
    assert [(f.path, f.rule, f.message) for f in found] == []


# --------------------------------------------------------------------------- 3(1) account-approval


@pytest.mark.parametrize("changes, posts, variant_word, line_key", [
    ({"approval__approved_by": "200201"}, None, "管理者（manager.employee_id）ではありません", "approved_by"),
    ({"approval__approved_on": "2029-01-01"}, None, "日も先", "approved_on"),
    ({"approval__approved_on": "2025-05-10"}, {"posts/acc-a/p1.md": POST.format(status="published", publish_at="2025-05-01T09:00:00+09:00")},
     "最初の投稿（posts/acc-a/p1.md、2025-05-01）より後", "approved_on"),
    # 2025-04-30T20:00Z is 2025-05-01 in Japan: the approval on 05-01 is on the day of use (no finding),
    # but on 05-02 it is after
    ({"approval__approved_on": "2025-05-02"}, {"posts/acc-a/p1.md": POST.format(status="scheduled", publish_at="2025-04-30T20:00:00Z")},
     "2025-05-01", "approved_on"),
])
def test_approval_fires(tmp_path, changes, posts, variant_word, line_key):
    root = make_repo(tmp_path / "r", [variant(**changes)], posts=posts)
    found = lint(root, "account-approval")
    assert len(found) == 1, found
    f = found[0]
    assert f.clause == "3(1)" and f.severity == Severity.ERROR
    assert variant_word in f.message
    assert f.line == line_of(root, "accounts/acc-a.yaml", line_key)


@pytest.mark.parametrize("changes, posts", [
    ({}, None),
    ({"approval__approved_on": "2025-05-01"}, {"posts/acc-a/p1.md": POST.format(status="published", publish_at="2025-05-01T09:00:00+09:00")}),
    ({"approval__approved_on": "2025-05-01"}, {"posts/acc-a/p1.md": POST.format(status="published", publish_at="2025-04-30T20:00:00Z")}),
    # a draft is not use of the account
    ({"approval__approved_on": "2025-05-10"}, {"posts/acc-a/p1.md": POST.format(status="draft", publish_at="2025-05-01T09:00:00+09:00")}),
    # approval prepared ahead (records of a change are written before it takes effect) is accepted
    ({"approval__approved_on": "2025-09-01"}, None),
    ({"approval__approved_on": "2027-06-01"}, None),
    ({"approval__approved_by": " 100101"}, None),
])
def test_approval_does_not_fire(tmp_path, changes, posts):
    root = make_repo(tmp_path / "r", [variant(**changes)], posts=posts)
    assert lint(root, "account-approval") == []


def test_missing_approval_is_a_schema_finding_under_3_1(tmp_path):
    root = make_repo(tmp_path / "r", [variant(approval=_DELETE)])
    assert lint(root, "account-approval") == []
    schema = [f for f in lint(root) if f.rule == "schema"]
    assert schema and all(f.clause == "3(1)" for f in schema)


# --------------------------------------------------------------------------- 3(2) account-manager


@pytest.mark.parametrize("changes, word, sev", [
    ({"manager__title": "広報広聴課長補佐"}, "課長補佐", Severity.WARNING),
    ({"manager__title": "係長"}, "係長", Severity.WARNING),
    ({"manager__title": "副課長"}, "副課長", Severity.WARNING),
    ({"manager__title": "観光振興課担当課長"}, "担当課長", Severity.WARNING),
    # the roster says 課長補佐 even though the file claims 課長
    ({"manager__employee_id": "100120", "manager__name": "二俣 浩", "approval__approved_by": "100120"},
     "職員名簿", Severity.ERROR),
    ({"departments": ["広報広聴課", "広報広聴課"]}, "2 回", Severity.WARNING),
    ({"holders__1__department": "観光振興課"}, "観光振興課", Severity.WARNING),
])
def test_manager_fires(tmp_path, changes, word, sev):
    root = make_repo(tmp_path / "r", [variant(**changes)])
    found = lint(root, "account-manager")
    assert len(found) == 1, found
    assert found[0].clause == "3(2)" and found[0].severity == sev and word in found[0].message


@pytest.mark.parametrize("changes, roster", [
    ({}, True),
    ({"manager__title": "中央図書館長"}, False),
    ({"manager__title": "防災センター長"}, False),
    ({"manager__title": "広報広聴課長（事務取扱）"}, False),
    ({"manager__title": "市長"}, False),  # a head of an executive organ (domain/staff.py: the decision)
    ({"manager__title": _DELETE}, False),
    # shared by several departments, holders from two of them: allowed (3(2))
    ({"departments": ["広報広聴課", "観光振興課"], "holders__1__department": "観光振興課"}, False),
])
def test_manager_does_not_fire(tmp_path, changes, roster):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=roster)
    assert lint(root, "account-manager") == []


# --------------------------------------------------------------------------- 3(2) account-operating-rules


@pytest.mark.parametrize("value, word", [
    ("docs/none.md", "docs/none.md"),
    ("http://www.city.ube.yamaguchi.jp/rules.html", "http"),
    ("file:///C:/rules.docx", "file:"),
    ("/etc/passwd", "絶対パス"),
    ("../outside.md", "../outside.md"),
    ("docs/empty.md", "空"),
    ("https://", "正しくありません"),
])
def test_operating_rules_fires(tmp_path, value, word):
    root = make_repo(tmp_path / "r", [variant(operating_rules=value)])
    (root / "docs" / "empty.md").write_text("  \n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("# rules\n", encoding="utf-8")
    found = lint(root, "account-operating-rules")
    assert len(found) == 1, found
    assert found[0].clause == "3(2)" and word in found[0].message
    assert found[0].line == line_of(root, "accounts/acc-a.yaml", "operating_rules")


@pytest.mark.parametrize("value", ["docs/rules.md", "./docs/rules.md", "docs/rules.md#section-2",
                                   "https://www.city.ube.yamaguchi.jp/unyou.html", "HTTPS://example.jp/r"])
def test_operating_rules_does_not_fire(tmp_path, value):
    root = make_repo(tmp_path / "r", [variant(operating_rules=value)])
    assert lint(root, "account-operating-rules") == []


# --------------------------------------------------------------------------- 3(2) account-duplicate


def _second(**changes: Any) -> dict:
    other = variant(id="acc-b", handle="@acc_b", url="https://x.com/acc_b")
    other.update(changes)
    return other


@pytest.mark.parametrize("changes, key", [
    ({"handle": "@ACC_A"}, "handle"),
    ({"handle": "acc_a"}, "handle"),
    ({"url": "http://www.x.com/acc_a/"}, "url"),
    ({"url": "https://twitter.com/Acc_A"}, "url"),
    ({"url": "https://x.com/acc_a?lang=ja"}, "url"),
    ({"id": "acc-a", "_file": "acc-b.yaml"}, "id"),
])
def test_duplicate_fires_on_second_file_naming_first(tmp_path, changes, key):
    root = make_repo(tmp_path / "r", [BASE, _second(**changes)])
    found = [f for f in lint(root, "account-duplicate") if "がファイル名「" not in f.message]
    assert len(found) == 1, found
    f = found[0]
    assert f.path == "accounts/acc-b.yaml" and f.clause == "3(2)"
    assert "accounts/acc-a.yaml" in f.message
    assert f.line == line_of(root, "accounts/acc-b.yaml", f"{key}:")


@pytest.mark.parametrize("changes", [
    {},
    {"platform": "instagram", "url": "https://www.instagram.com/acc_a/", "handle": "@acc_a"},  # same handle, other platform
    {"url": "https://x.com/acc_a2"},
    {"handle": "@acc_ab"},
])
def test_duplicate_does_not_fire(tmp_path, changes):
    root = make_repo(tmp_path / "r", [BASE, _second(**changes)])
    assert lint(root, "account-duplicate") == []


def test_id_must_equal_file_name(tmp_path):
    root = make_repo(tmp_path / "r", [{**BASE, "_file": "other.yaml"}])
    found = lint(root, "account-duplicate")
    assert len(found) == 1 and "other" in found[0].message and found[0].line == 1


# --------------------------------------------------------------------------- 4(1) account-holders


def _holders(n: int) -> list[dict]:
    return [{"name": f"職員 {i}", "employee_id": f"20020{i}", "department": "広報広聴課", "assigned_on": "2025-04-01"}
            for i in range(1, n + 1)]


@pytest.mark.parametrize("changes, word", [
    ({"holders": _holders(1)}, "1 名"),
    ({"holders": _holders(3)}, "3 名"),
    ({"holders": []}, "0 名"),
    ({"holders": _holders(1), "holders_exception": {"reason": "係長1名で運用", "approved_by": "100101", "until": "2025-05-31"}}, "期限切れ"),
    ({"holders": _holders(1), "holders_exception": {"reason": "係長1名で運用", "approved_by": "200201", "until": "2026-03-31"}}, "管理者ではありません"),
    ({"holders": [], "holders_exception": {"reason": "x", "approved_by": "100101", "until": "2026-03-31"}}, "0 名"),
    ({"holders": _holders(1) + _holders(1)}, "2 回"),
])
def test_holders_fires(tmp_path, changes, word):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=False)
    found = lint(root, "account-holders")
    assert found and all(f.clause == "4(1)" for f in found)
    assert any(word in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize("changes", [
    {},
    {"holders": _holders(1), "holders_exception": {"reason": "係長1名で運用", "approved_by": "100101", "until": "2025-06-01"}},
    {"holders": _holders(3), "holders_exception": {"reason": "イベント期間の応援", "approved_by": "100101", "until": "2026-03-31"}},
    {"holders": _holders(1), "status": "closed"},
])
def test_holders_does_not_fire(tmp_path, changes):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=False)
    assert lint(root, "account-holders") == []


def test_holder_duplicate_message_masks_employee_id(tmp_path):
    root = make_repo(tmp_path / "r", [variant(holders=_holders(1) + _holders(1))], roster=False)
    msgs = " ".join(f.message for f in lint(root, "account-holders"))
    assert "200201" not in msgs


# --------------------------------------------------------------------------- 4(2) account-2fa


@pytest.mark.parametrize("tf, sev, word", [
    ({"enabled": False}, Severity.ERROR, "無効"),
    ({"enabled": False, "method": "totp"}, Severity.ERROR, "無効"),
    ({"enabled": True, "method": "sms"}, Severity.WARNING, "security_key"),
    ({"enabled": True, "method": "email"}, Severity.WARNING, "totp"),
    ({"enabled": True}, Severity.WARNING, "書かれていません"),
])
def test_2fa_fires(tmp_path, tf, sev, word):
    root = make_repo(tmp_path / "r", [variant(security__two_factor=tf)], roster=False)
    found = lint(root, "account-2fa")
    assert len(found) == 1 and found[0].clause == "4(2)" and found[0].severity == sev and word in found[0].message


@pytest.mark.parametrize("tf, status", [
    ({"enabled": True, "method": m}, "active") for m in ("totp", "security_key", "passkey", "app")
] + [({"enabled": False}, "closed")])
def test_2fa_does_not_fire(tmp_path, tf, status):
    root = make_repo(tmp_path / "r", [variant(security__two_factor=tf, status=status)], roster=False)
    assert lint(root, "account-2fa") == []


def test_2fa_suspended_account_is_still_checked(tmp_path):
    root = make_repo(tmp_path / "r", [variant(security__two_factor={"enabled": False}, status="suspended")], roster=False)
    assert len(lint(root, "account-2fa")) == 1


# --------------------------------------------------------------------------- 4(3) account-password-policy


@pytest.mark.parametrize("pw, word", [
    ({"min_length": 8, "managed_by": "password-manager", "unique": True}, "12 文字"),
    ({"min_length": 11, "managed_by": "password-manager", "unique": True}, "12 文字"),
    ({"min_length": 14, "managed_by": "notebook", "unique": True}, "password-manager"),
    ({"min_length": 14, "managed_by": "password-manager", "unique": False}, "unique"),
    ({"min_length": 14, "managed_by": "password-manager", "unique": True, "last_changed_on": "2029-01-01"}, "日も先"),
    ("Hunter2-Ube-Koho-2025", "パスワードそのものは絶対に書かないで"),
])
def test_password_policy_fires(tmp_path, pw, word):
    root = make_repo(tmp_path / "r", [variant(security__password=pw)], roster=False)
    found = lint(root, "account-password-policy")
    assert len(found) == 1, found
    assert found[0].clause == "4(3)" and word in found[0].message
    assert "Hunter2" not in found[0].message and "notebook" not in found[0].message


@pytest.mark.parametrize("pw, status", [
    ({"min_length": 12, "managed_by": "password-manager", "unique": True}, "active"),
    ({"min_length": 64, "managed_by": "password-manager", "unique": True, "last_changed_on": "2020-01-01"}, "active"),
    ({"min_length": 8, "managed_by": "password-manager", "unique": False}, "closed"),
])
def test_password_policy_does_not_fire(tmp_path, pw, status):
    root = make_repo(tmp_path / "r", [variant(security__password=pw, status=status)], roster=False)
    assert lint(root, "account-password-policy") == []


def test_password_policy_params_can_be_tightened(tmp_path):
    extra = ("rules:\n  account-password-policy:\n    params: {min_length: 15, max_age_days: 365}\n"
             "    reason: NIST SP 800-63B-4 の単独利用の値\n")
    root = make_repo(tmp_path / "r", [variant(security__password={"min_length": 14, "managed_by": "password-manager",
                                                                   "unique": True, "last_changed_on": "2024-01-01"})],
                     roster=False, config_extra=extra)
    msgs = [f.message for f in lint(root, "account-password-policy")]
    assert any("15 文字" in m for m in msgs) and any("上限 365 日" in m for m in msgs)


def test_missing_password_fields_are_schema_findings_not_duplicates(tmp_path):
    root = make_repo(tmp_path / "r", [variant(security__password={"managed_by": "password-manager", "unique": True})],
                     roster=False)
    assert lint(root, "account-password-policy") == []
    assert any(f.rule == "schema" and f.clause == "4(3)" for f in lint(root))


# --------------------------------------------------------------------------- 4(4) account-roster


@pytest.mark.parametrize("changes, word, sev, key", [
    ({"holders__0__employee_id": "299999"}, "職員名簿（staff/roster.csv）にいません", Severity.ERROR, "299999"),
    ({"holders__0": {"name": "沖ノ山 修", "employee_id": "200290", "department": "広報広聴課", "assigned_on": "2025-04-01"}},
     "退職", Severity.ERROR, "200290"),
    ({"holders__0": {"name": "亀浦 蓮", "employee_id": "200292", "department": "広報広聴課", "assigned_on": "2025-04-01"}},
     "休職", Severity.WARNING, "200292"),
    ({"holders__0": {"name": "際波 彩", "employee_id": "200203", "department": "広報広聴課", "assigned_on": "2025-04-01"}},
     "観光振興課", Severity.ERROR, "department: 広報広聴課"),
    ({"manager__employee_id": "100999", "approval__approved_by": "100999"}, "管理者", Severity.ERROR, "100999"),
    ({"deputies__0__employee_id": "200290"}, "代理承認者", Severity.ERROR, "200290"),
    ({"holders__0__name": "真締 由紀"}, "氏名", Severity.WARNING, "真締 由紀"),
])
def test_roster_fires(tmp_path, changes, word, sev, key):
    root = make_repo(tmp_path / "r", [variant(**changes)])
    found = lint(root, "account-roster")
    assert len(found) == 1, [f.message for f in found]
    f = found[0]
    assert f.clause == "4(4)" and f.severity == sev and word in f.message
    assert f.line == line_of(root, "accounts/acc-a.yaml", key)


def test_roster_manager_moved_out_of_departments(tmp_path):
    acc = variant(departments=["観光振興課"], holders=[
        {"name": "際波 彩", "employee_id": "200203", "department": "観光振興課", "assigned_on": "2025-04-01"},
        {"name": "際波 彩2", "employee_id": "200203", "department": "観光振興課", "assigned_on": "2025-04-01"}])
    root = make_repo(tmp_path / "r", [acc])
    found = {(f.severity, f.message.split("（")[0]) for f in lint(root, "account-roster") if "「広報広聴課」" in f.message}
    assert found == {(Severity.ERROR, "管理者"), (Severity.WARNING, "代理承認者")}


def test_roster_holder_without_department_is_compared_with_the_account_departments(tmp_path):
    holder = {"name": "際波 彩", "employee_id": "200203", "assigned_on": "2025-04-01"}  # roster: 観光振興課
    root = make_repo(tmp_path / "r", [variant(holders__0=holder)])
    found = lint(root, "account-roster")
    assert len(found) == 1 and found[0].severity == Severity.WARNING and "観光振興課" in found[0].message


def test_roster_messages_never_contain_full_names_or_ids(tmp_path):
    root = make_repo(tmp_path / "r", [variant(holders__0={"name": "沖ノ山 修", "employee_id": "200290",
                                                          "department": "広報広聴課", "assigned_on": "2025-04-01"})])
    for lang in ("ja", "en"):
        f = lint(root, "account-roster", lang=lang)[0]
        assert "沖ノ山" not in f.message and "200290" not in f.message


@pytest.mark.parametrize("changes, roster", [
    ({}, True),  # names differ only by full-width / half-width space
    ({"holders__0__employee_id": "299999"}, False),  # no roster configured: nothing to compare
    ({"holders__0__employee_id": "299999", "status": "closed"}, True),
])
def test_roster_does_not_fire(tmp_path, changes, roster):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=roster)
    assert lint(root, "account-roster") == []


def test_roster_in_utf8_with_bom_works_too(tmp_path):
    root = make_repo(tmp_path / "r", [variant(holders__0__employee_id="200290", holders__0__name="沖ノ山 修")])
    (root / "staff" / "roster.csv").write_bytes(b"\xef\xbb\xbf" + ROSTER.encode("utf-8"))
    assert [f for f in lint(root, "account-roster") if "退職" in f.message]


# --------------------------------------------------------------------------- 4(4) account-review


@pytest.mark.parametrize("changes, word, sev, key", [
    ({"holders__1__assigned_on": "2025-05-01"}, "見直しがされていません", Severity.ERROR, "reviewed_on"),
    ({"security__reviewed_on": "2029-01-01"}, "日も先", Severity.ERROR, "reviewed_on"),
])
def test_review_fires(tmp_path, changes, word, sev, key):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=False)
    found = [f for f in lint(root, "account-review") if f.severity == Severity.ERROR]
    assert len(found) == 1 and found[0].clause == "4(4)" and word in found[0].message
    assert found[0].line == line_of(root, "accounts/acc-a.yaml", key)


def test_review_warns_when_password_not_changed_after_holder_change(tmp_path):
    root = make_repo(tmp_path / "r", [variant(holders__1__assigned_on="2025-05-01", security__reviewed_on="2025-05-01")],
                     roster=False)
    found = lint(root, "account-review")
    assert len(found) == 1 and found[0].severity == Severity.WARNING and "パスワード" in found[0].message
    assert found[0].line == line_of(root, "accounts/acc-a.yaml", "last_changed_on")


@pytest.mark.parametrize("changes", [
    {},
    {"holders__1__assigned_on": "2025-05-01", "security__reviewed_on": "2025-05-01",
     "security__password__last_changed_on": "2025-05-01"},
    # a personnel change prepared ahead of its effective date
    {"holders__1__assigned_on": "2025-07-01", "security__reviewed_on": "2025-07-01",
     "security__password__last_changed_on": "2025-07-01", "registry_submitted_on": "2025-07-01"},
    {"holders__1__assigned_on": "2025-05-01", "status": "closed"},
])
def test_review_does_not_fire(tmp_path, changes):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=False)
    assert lint(root, "account-review") == []


# --------------------------------------------------------------------------- 4(5) registry-stale (per account)


@pytest.mark.parametrize("changes, word, sev", [
    ({"holders__1__assigned_on": "2025-05-01", "security__reviewed_on": "2025-05-01"}, "提出されていません", Severity.ERROR),
    ({"registry_submitted_on": None}, "registry_submitted_on", Severity.WARNING),
    ({"registry_submitted_on": "2029-01-01"}, "日も先", Severity.ERROR),
])
def test_submission_fires(tmp_path, changes, word, sev):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=False)
    found = lint(root, "registry-stale")
    assert len(found) == 1 and found[0].clause == "4(5)" and found[0].severity == sev and word in found[0].message
    assert found[0].path == "accounts/acc-a.yaml"
    assert found[0].line == line_of(root, "accounts/acc-a.yaml", "registry_submitted_on")


@pytest.mark.parametrize("changes", [{}, {"registry_submitted_on": None, "status": "closed"},
                                     {"holders__1__assigned_on": "2025-04-02"}])
def test_submission_does_not_fire(tmp_path, changes):
    root = make_repo(tmp_path / "r", [variant(**changes)], roster=False)
    assert lint(root, "registry-stale") == []


# --------------------------------------------------------------------------- 4(5) registry-stale (committed file)


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "md"])
def test_registry_round_trip_and_stale(tmp_path, suffix):
    from snspolicy.domain.holders_list import export as registry

    root = make_repo(tmp_path / "r", roster=False, config_extra=f"registry: registry/ichiran.{suffix}\n")
    missing = lint(root, "registry-stale")
    assert len(missing) == 1 and "ありません" in missing[0].message and missing[0].path == f"registry/ichiran.{suffix}"
    accounts = [yaml.safe_load((root / "accounts" / "acc-a.yaml").read_text(encoding="utf-8"))]
    accounts = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in a.items()} for a in accounts]
    out = root / "registry" / f"ichiran.{suffix}"
    out.parent.mkdir()
    out.write_bytes(registry.render(out, accounts, "ja", TODAY))
    assert lint(root, "registry-stale") == []
    # a holder changes: the committed 一覧表 is now stale, pointing at the registry file
    text = (root / "accounts" / "acc-a.yaml").read_text(encoding="utf-8").replace("琴芝 翔太", "際波 彩")
    (root / "accounts" / "acc-a.yaml").write_text(text, encoding="utf-8")
    found = lint(root, "registry-stale")
    assert len(found) == 1 and found[0].path == f"registry/ichiran.{suffix}" and found[0].clause == "4(5)"
    assert "際波" not in found[0].message and "琴芝" not in found[0].message


def test_registry_unreadable_is_a_finding(tmp_path):
    root = make_repo(tmp_path / "r", roster=False, config_extra="registry: ichiran.csv\n")
    (root / "ichiran.csv").write_text("これは表ではありません\n", encoding="utf-8")
    found = lint(root, "registry-stale")
    assert len(found) == 1 and "読めません" in found[0].message and found[0].path == "ichiran.csv"


def test_no_registry_configured_means_no_file_finding(tmp_path):
    root = make_repo(tmp_path / "r", roster=False)
    assert lint(root, "registry-stale") == []


# --------------------------------------------------------------------------- 8 account-disclaimer


@pytest.mark.parametrize("url, word, sev", [
    ("http://www.city.ube.yamaguchi.jp/menseki.html", "http", Severity.ERROR),
    ("https://example.com/menseki.html", "example.com", Severity.WARNING),
    ("https://city.ube.yamaguchi.jp.evil.example/menseki", "evil", Severity.WARNING),
    ("ftp://www.city.ube.yamaguchi.jp/menseki", "正しくありません", Severity.ERROR),
])
def test_disclaimer_fires(tmp_path, url, word, sev):
    root = make_repo(tmp_path / "r", [variant(profile={"disclaimer_url": url})], roster=False)
    found = lint(root, "account-disclaimer")
    assert len(found) == 1 and found[0].clause == "8" and found[0].severity == sev and word in found[0].message


@pytest.mark.parametrize("url, status", [
    ("https://www.city.ube.yamaguchi.jp/shisei/menseki.html", "active"),
    ("https://city.ube.yamaguchi.jp/menseki", "active"),
    ("http://www.city.ube.yamaguchi.jp/menseki.html", "closed"),
])
def test_disclaimer_does_not_fire(tmp_path, url, status):
    root = make_repo(tmp_path / "r", [variant(profile={"disclaimer_url": url}, status=status)], roster=False)
    assert lint(root, "account-disclaimer") == []


def test_missing_disclaimer_is_schema_finding_under_8(tmp_path):
    root = make_repo(tmp_path / "r", [variant(profile={"bio": "宇部市公式"})], roster=False)
    assert lint(root, "account-disclaimer") == []
    assert any(f.rule == "schema" and f.clause == "8" for f in lint(root))


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("mutate", [
    lambda a: a.update(holders="two"),
    lambda a: a.update(holders=[None, 3, "x"]),
    lambda a: a.update(security=None),
    lambda a: a.update(manager="山田"),
    lambda a: a.update(departments="広報広聴課"),
    lambda a: a.update(approval={"approved_by": None, "approved_on": "yesterday"}),
    lambda a: a.update(url=12, handle=None, id=5),
    lambda a: a.update(profile={"disclaimer_url": "https://[::1"}),
    lambda a: a.update(operating_rules="docs/\0bad"),
    lambda a: a.update(holders_exception="yes"),
    lambda a: a["security"].update(password=["a", "b"]),
])
def test_odd_input_never_crashes(tmp_path, mutate: Callable[[dict], None]):
    acc = copy.deepcopy(BASE)
    mutate(acc)
    root = make_repo(tmp_path / "r", [acc])
    found = lint(root)
    assert not [f for f in found if f.rule == "internal-error"], [f.message for f in found if f.rule == "internal-error"]


def test_every_message_has_english(tmp_path):
    acc = variant(approval__approved_by="200201", holders=_holders(1), security__two_factor={"enabled": False}, profile={"disclaimer_url": "http://x.example/"}, operating_rules="docs/none.md")
    root = make_repo(tmp_path / "r", [acc])
    for f in lint(root, lang="en"):
        if f.path.startswith("accounts/"):
            assert not any("\u3040" <= ch <= "\u30ff" for ch in f.message.replace("広報広聴課", "")), f.message


# --------------------------------------------------------------------------- the violations example


EXPECTED_IN_VIOLATIONS = {
    "account-approval": "3(1)", "account-manager": "3(2)", "account-operating-rules": "3(2)", "account-duplicate": "3(2)",
    "account-holders": "4(1)", "account-2fa": "4(2)", "account-password-policy": "4(3)", "secret-in-repo": "4(3)",
    "account-roster": "4(4)", "account-review": "4(4)", "registry-stale": "4(5)", "account-disclaimer": "8",
}


def test_violations_example_fires_every_account_rule_with_its_clause(tmp_path):
    root = tmp_path / "v"
    shutil.copytree(VIOLATIONS, root, symlinks=True, ignore=WITHOUT_CACHE)
    found = lint(root)
    fired = {f.rule: f.clause for f in found if f.rule in EXPECTED_IN_VIOLATIONS}
    missing = sorted(set(EXPECTED_IN_VIOLATIONS) - set(fired))
    if len(missing) == len(EXPECTED_IN_VIOLATIONS):
        pytest.skip("the violations example has no account violations yet (owned by another helper)")
    assert missing == []
    assert fired == EXPECTED_IN_VIOLATIONS
    # each row of the example's EXPECTED.md fires on its own file …
    rows = {
        ("accounts/ube-bunka-x.yaml", "account-approval"), ("accounts/ube-kenkou-line.yaml", "account-manager"),
        ("accounts/ube-kanko-facebook.yaml", "account-operating-rules"), ("accounts/ube-koho-x.yaml", "account-duplicate"),
        ("accounts/ube-sports-x.yaml", "account-holders"), ("accounts/ube-library-x.yaml", "account-2fa"),
        ("accounts/ube-library-instagram.yaml", "account-2fa"), ("accounts/ube-kankyo-x.yaml", "account-password-policy"),
        ("accounts/ube-douro-x.yaml", "secret-in-repo"), ("accounts/ube-koho-youtube.yaml", "account-roster"),
        ("accounts/ube-koho-threads.yaml", "account-roster"), ("accounts/ube-kosodate-instagram.yaml", "account-review"),
        ("accounts/ube-sports-facebook.yaml", "account-disclaimer"), ("accounts/ube-kankyo-line.yaml", "registry-stale"),
    }
    got = {(f.path, f.rule) for f in found if f.rule in EXPECTED_IN_VIOLATIONS}
    assert rows <= got
    # … and nowhere else among the account files (one violation per file, the copied files stay clean)
    assert {p for p, r in got if p.startswith("accounts/")} == {p for p, _ in rows}
    assert {(p, r) for p, r in got if p.startswith("accounts/")} == rows
    sev = {(f.path, str(f.severity)) for f in found if f.rule == "account-2fa"}
    assert sev == {("accounts/ube-library-x.yaml", "error"), ("accounts/ube-library-instagram.yaml", "warning")}


# --------------------------------------------------------------------------- helpers found on realistic repos
# (staff_state, same_department and the section-head test moved with the code: tests/domain/test_staff.py)


@pytest.mark.parametrize("to, missing", [
    (["防災危機管理課", "デジタル推進課", "広報広聴課"], []),
    (["防災危機管理課長", "デジタル推進課（情報政策係）", "広報広聴課 広報係"], []),
    ("防災危機管理課、デジタル推進課、広報広聴課", []),
    (["防災危機管理課", "広報広聴課"], ["デジタル推進課"]),
    ([], ["防災危機管理課", "デジタル推進課", "広報広聴課"]),
])
def test_incident_report_recipients(to, missing):
    from snspolicy.rules.incidents import _recipients, reported_to
    required = ["防災危機管理課", "デジタル推進課", "広報広聴課"]
    assert [d for d in required if not reported_to(d, _recipients(to))] == missing
