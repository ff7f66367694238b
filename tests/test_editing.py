"""Editing keeps everything the user wrote except the edited value, and never writes a broken file."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import run_cli, write
from snspolicy.io.editing import EditError, replace_spans, set_value
from snspolicy.core.model import Span

ACCOUNT = """\
# 広報広聴課のアカウント
security:
  two_factor: {enabled: true, method: totp}   # 認証アプリ
  password:
    min_length: 16        # 規則
    managed_by: password-manager
    unique: true
  reviewed_on: 2025-04-01  # 前回の見直し
"""


def test_set_existing_scalar_keeps_comments():
    new = set_value(ACCOUNT, ("security", "reviewed_on"), dt.date(2025, 6, 1))
    assert new == ACCOUNT.replace("reviewed_on: 2025-04-01", "reviewed_on: 2025-06-01")


def test_insert_missing_key_with_ruamel_keeps_comments():
    new = set_value(ACCOUNT, ("security", "password", "last_changed_on"), dt.date(2025, 6, 1))
    assert "last_changed_on: 2025-06-01" in new
    for line in ACCOUNT.splitlines():
        assert line in new.splitlines()


def test_refuses_when_round_trip_would_reformat():
    odd = "a:   {x: 1,    y: 2}\nb:\n- 1\n-   2\n"
    with pytest.raises(EditError):
        set_value(odd, ("c", "d"), "x")


def test_refuses_broken_input():
    with pytest.raises(EditError):
        set_value("a: [1\n", ("a",), 2)


def test_strings_that_need_quotes_are_quoted():
    new = set_value("a: x\n", ("a",), "yes: no")
    assert new == 'a: "yes: no"\n'


def test_replace_spans_multiple_and_overlap():
    text = "abc\ndef\n"
    assert replace_spans(text, [(Span(1, 1, 1, 2), "X"), (Span(2, 2, 2, 3), "YY")]) == "Xbc\ndYYf\n"
    with pytest.raises(EditError):
        replace_spans(text, [(Span(1, 1, 1, 3), "X"), (Span(1, 2, 1, 4), "Y")])


def test_account_reviewed_command(mini_repo):
    p = mini_repo / "accounts/test-x.yaml"
    original = p.read_text(encoding="utf-8").replace("  reviewed_on: 2025-04-01", "  reviewed_on: 2025-04-01   # 見直し")
    p.write_text(original, encoding="utf-8")
    proc = run_cli("account", "reviewed", "test-x", "--on", "2025-06-02", "--password-changed", "--repo", str(mini_repo))
    assert proc.returncode == 0, proc.stderr
    new = p.read_text(encoding="utf-8")
    assert "reviewed_on: 2025-06-02   # 見直し" in new and "last_changed_on: 2025-06-02" in new
    assert len(new.splitlines()) == len(original.splitlines())
    assert not list(p.parent.glob(".*.tmp"))


def test_fix_command_corrects_category(mini_repo):
    post = mini_repo / "posts/test-x/test-post.md"
    post.write_text(post.read_text(encoding="utf-8").replace("category: tourism", "category: 観光  # 区分"), encoding="utf-8")
    assert run_cli("lint", str(mini_repo)).returncode == 1
    dry = run_cli("fix", str(mini_repo), "--dry-run")
    assert dry.returncode == 0 and "観光" in post.read_text(encoding="utf-8")
    proc = run_cli("fix", str(mini_repo))
    assert proc.returncode == 0, proc.stderr
    assert "category: tourism  # 区分" in post.read_text(encoding="utf-8")
    assert run_cli("lint", str(mini_repo)).returncode == 0


def test_fix_leaves_unfixable_files_alone(mini_repo):
    write(mini_repo, "accounts/broken.yaml", "a: [1\n")
    before = (mini_repo / "accounts/broken.yaml").read_bytes()
    proc = run_cli("fix", str(mini_repo))
    assert "Traceback" not in proc.stderr
    assert (mini_repo / "accounts/broken.yaml").read_bytes() == before
