"""account-idle (3(2), rules/activity.py): an active account with no post for ``max_idle_days``.

Off in Ube's policy (the decision is in the rule's documentation); these tests turn it on the
way a repo would (an override in snspolicy.yaml, with a reason) and check what must fire and
what must not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import MINIMAL_ACCOUNT, write

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.policy.model import load

ON = "rules:\n  account-idle: {enabled: true, reason: 神栖市の規程に合わせる, params: {max_idle_days: 30}}\n"


def post(name: str, status: str, day: str) -> tuple[str, str]:
    return (f"posts/test-x/2025/{name}.md",
            f"---\nid: {name}\naccount: test-x\nstatus: {status}\npublish_at: {day}T09:00:00+09:00\ncategory: civic\n"
            f"author: {{employee_id: \"200002\"}}\napproval: {{approved_by: \"100001\", approved_on: 2025-04-01}}\n"
            + ("deleted: {on: 2025-05-02, reason: 誤りがあったため, approved_by: \"100001\"}\n" if status == "deleted" else "")
            + "---\nお知らせです。\n")


def idle(tmp_path: Path, today: str, posts: list[tuple[str, str]] = (), *, config: str = ON,
         account: str = MINIMAL_ACCOUNT) -> list:
    root = tmp_path / "repo"
    write(root, "snspolicy.yaml", "policy: ube/2025-04-01\nfail_on: error\n" + config)
    write(root, "accounts/test-x.yaml", account)
    for rel, text in posts:
        write(root, rel, text)
    setup = runner.prepare([root])
    _repo, result = lint_setup(setup, lang="ja", today=dt.date.fromisoformat(today))
    return [f for f in result.findings if f.rule == "account-idle"]


def test_off_in_ubes_policy() -> None:
    spec = load("ube/2025-04-01").rules["account-idle"]
    assert spec.enabled is False and spec.clause == "3(2)"
    assert "宇部市のポリシーではこのルールを無効" in spec.doc["why"]["ja"]  # the decision, written down


def test_off_means_silent(tmp_path: Path) -> None:
    assert idle(tmp_path, "2026-01-01", [post("p1", "published", "2025-04-10")], config="") == []


def test_fires_after_the_period(tmp_path: Path) -> None:
    found = idle(tmp_path, "2025-06-01", [post("p1", "published", "2025-04-10"), post("p2", "draft", "2025-05-30")])
    assert len(found) == 1
    f = found[0]
    assert (f.path, f.clause, str(f.severity)) == ("accounts/test-x.yaml", "3(2)", "warning")
    assert "2025-04-10" in f.message and "52 日" in f.message and "30 日" in f.message
    assert f.line == MINIMAL_ACCOUNT.splitlines().index("status: active") + 1


def test_silent_within_the_period(tmp_path: Path) -> None:
    assert idle(tmp_path, "2025-06-01", [post("p1", "published", "2025-05-20")]) == []
    # exactly max_idle_days: not yet
    assert idle(tmp_path / "b", "2025-06-01", [post("p1", "published", "2025-05-02")]) == []


def test_a_deleted_post_was_out(tmp_path: Path) -> None:
    assert idle(tmp_path, "2025-06-01", [post("p1", "deleted", "2025-05-20")]) == []


def test_posts_not_yet_out_do_not_count(tmp_path: Path) -> None:
    found = idle(tmp_path, "2025-06-01", [post("p1", "published", "2025-04-10"), post("p2", "scheduled", "2025-06-20"),
                                          post("p3", "approved", "2025-05-30")])
    assert len(found) == 1
    # a scheduled post whose day has come is out
    assert idle(tmp_path / "b", "2025-06-01", [post("p1", "published", "2025-04-10"), post("p2", "scheduled", "2025-05-31")]) == []


def test_never_used_counts_from_the_approval(tmp_path: Path) -> None:
    found = idle(tmp_path, "2025-06-01")
    assert len(found) == 1 and "一度も投稿がありません" in found[0].message and "2025-04-01" in found[0].message
    assert idle(tmp_path / "b", "2025-04-20") == []


def test_suspended_and_closed_accounts_are_skipped(tmp_path: Path) -> None:
    for status in ("suspended", "closed"):
        account = MINIMAL_ACCOUNT.replace("status: active", f"status: {status}")
        assert idle(tmp_path / status, "2026-01-01", account=account) == []


def test_english_message(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "snspolicy.yaml", "policy: ube/2025-04-01\nfail_on: error\n" + ON)
    write(root, "accounts/test-x.yaml", MINIMAL_ACCOUNT)
    setup = runner.prepare([root])
    _repo, result = lint_setup(setup, lang="en", today=dt.date(2025, 6, 1))
    [f] = [f for f in result.findings if f.rule == "account-idle"]
    assert f.message.startswith("Not a single post in the 61 days since the account was approved (2025-04-01)")
