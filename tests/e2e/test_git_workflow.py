"""The pull-request workflow on real git repositories: ``snspolicy lint --base REF [--policy-from REF]``.

Each test builds a posts repo in a temp dir from the clean example (commit on ``main``), makes a
pull-request branch with one change, and runs the real CLI in a subprocess, as CI would. Every
acceptance case has its clean counterpart: a removed post / a post marked deleted, an edited
published post without / with a revision, a holder swap without / with review, a pull request
that loosens the policy and adds a violating post / a policy-only pull request, a policy change
without / with a version bump; plus a shallow clone with and without the base fetched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, ROOT, TODAY, WITHOUT_CACHE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BUNDLED = ROOT / "policy" / "ube" / "2025-04-01"
GAN = "posts/ube-city-x/2025/2025-04-07-gan-kenshin.md"          # published 2025-04-07
DAME = "posts/ube-city-x/2025/2025-06-20-dame-zettai.md"         # published, approved by deputy 100111
DRAFT = "posts/ube-city-instagram/2027/2027-03-25-sakura-matsuri.md"  # draft
CITY_X = "accounts/ube-city-x.yaml"
INSTA = "accounts/ube-city-instagram.yaml"


# ----------------------------------------------------------------------------- helpers


def _env(tmp: Path) -> dict[str, str]:
    cfg = tmp / "gitconfig"
    if not cfg.exists():
        cfg.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_GLOBAL": str(cfg), "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_AUTHOR_NAME": "宇部 太郎", "GIT_AUTHOR_EMAIL": "author@example.invalid",
                "GIT_COMMITTER_NAME": "宇部 太郎", "GIT_COMMITTER_EMAIL": "author@example.invalid",
                "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"})
    env.pop("SNSPOLICY_LANG", None)
    return env


def git(repo: Path, *args: str) -> str:
    r = subprocess.run(["git", *args], cwd=repo, env=_env(repo.parent), check=False, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"git {' '.join(args)}: {r.stdout}{r.stderr}"
    return r.stdout.strip()


def workflow_policy(tmp: Path) -> Path:
    """The bundled policy with the workflow fragment included (a temp copy until policy.yaml lists it)."""
    text = (BUNDLED / "policy.yaml").read_text(encoding="utf-8")
    dest = tmp / "policy-under-test"
    if dest.exists():
        return dest
    shutil.copytree(BUNDLED, dest)
    if "rules/workflow.yaml" not in text:
        text = re.sub(r"(\n  rules:\n(?:    - [^\n]+\n)+)", lambda m: m.group(1) + "    - rules/workflow.yaml\n", text, count=1)
        assert "rules/workflow.yaml" in text
        (dest / "policy.yaml").write_text(text, encoding="utf-8")
    return dest


def lint(repo: Path, *args: str, fmt: str = "json", today: str | None = None) -> tuple[int, list[dict], str]:
    """Run the real CLI in ``repo``; returns (exit status, findings, stderr+stdout)."""
    cmd = [sys.executable, "-m", "snspolicy", "lint", "--policy", str(workflow_policy(repo.parent)), "-f", fmt, *args]
    env = _env(repo.parent)
    if today:
        env["SNSPOLICY_TODAY"] = today
    r = subprocess.run(cmd, cwd=repo, env=env, check=False, capture_output=True, text=True, timeout=180)
    out = r.stdout + r.stderr
    assert "Traceback" not in out, out
    findings = json.loads(r.stdout) if fmt == "json" and r.stdout.strip().startswith("[") else []
    return r.returncode, findings, out


def rules(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["rule"], f["path"]) for f in findings}


def edit(repo: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    p = repo / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    p.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(repo: Path, rel: str, text: str) -> int:
    """1-based number of the first line of ``rel`` containing ``text``."""
    for n, line in enumerate((repo / rel).read_text(encoding="utf-8").split("\n"), 1):
        if text in line:
            return n
    raise AssertionError(f"{text!r} not in {rel}")


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The clean example committed on main, with a pull-request branch ``pr`` checked out."""
    dest = tmp_path / "posts"
    shutil.copytree(CLEAN, dest, symlinks=True, ignore=WITHOUT_CACHE)
    git(dest, "init", "-q")
    commit(dest, "posts repo")
    git(dest, "checkout", "-q", "-b", "pr")
    return dest


# ----------------------------------------------------------------------------- sanity


def test_unchanged_branch_is_clean_and_checks_nothing(repo):
    code, findings, out = lint(repo, "--base", "main")
    assert code == 0, out
    assert findings == []


# ----------------------------------------------------------------------------- 5: retention


def test_removed_published_post_is_an_error(repo):
    git(repo, "rm", "-q", GAN)
    commit(repo, "remove a post")
    code, findings, out = lint(repo, "--base", "main")
    assert code == 1, out
    [f] = [f for f in findings if f["rule"] == "post-removed"]
    assert f["path"] == GAN and f["clause"] == "5" and f["severity"] == "error"
    assert "2030-04-07" in f["message"] and "status: deleted" in f["message"]


def test_post_marked_deleted_instead_of_removed_passes(repo):
    edit(repo, GAN, "status: published", "status: deleted")
    edit(repo, GAN, 'approval: {approved_by: "100101", approved_on: 2025-04-04}',
         'approval: {approved_by: "100101", approved_on: 2025-04-04}\n'
         'deleted: {on: 2025-05-20, reason: 受付期間が終了したため, approved_by: "100101"}')
    commit(repo, "mark deleted")
    code, findings, out = lint(repo, "--base", "main")
    assert code == 0, out
    assert not findings


def test_removed_draft_and_post_after_retention_pass(repo):
    git(repo, "rm", "-q", DRAFT)
    commit(repo, "remove a draft")
    code, findings, out = lint(repo, "--base", "main")
    assert code == 0, out
    git(repo, "rm", "-q", GAN)
    commit(repo, "remove an old post")
    code, findings, out = lint(repo, "--base", "main", today="2030-04-07")  # the first day after 1826 days
    assert "post-removed" not in {f["rule"] for f in findings}, out
    code, findings, out = lint(repo, "--base", "main", today="2030-04-06")  # the last day of retention
    assert ("post-removed", GAN) in rules(findings), out


def test_post_moved_within_posts_passes_moved_out_fails(repo):
    git(repo, "mv", GAN, "posts/ube-city-x/2025-04-07-gan-kenshin.md")
    commit(repo, "move inside posts/")
    code, findings, out = lint(repo, "--base", "main")
    assert "post-removed" not in {f["rule"] for f in findings}, out
    git(repo, "mv", "posts/ube-city-x/2025-04-07-gan-kenshin.md", "archive-gan-kenshin.md")
    commit(repo, "move out of posts/")
    code, findings, out = lint(repo, "--base", "main")
    assert code == 1
    [f] = [f for f in findings if f["rule"] == "post-removed"]
    assert f["path"] == GAN and "archive-gan-kenshin.md" in f["message"]


def test_untracked_removal_in_working_tree_is_seen(repo):
    (repo / GAN).unlink()  # not even staged
    _code, findings, out = lint(repo, "--base", "main")
    assert ("post-removed", GAN) in rules(findings), out


# ----------------------------------------------------------------------------- 5: edits after publishing


def test_edited_published_post_without_revision_is_an_error(repo):
    edit(repo, DAME, "きっぱり断りましょう", "はっきり断りましょう")
    commit(repo, "fix wording")
    code, findings, out = lint(repo, "--base", "main")
    assert code == 1, out
    [f] = [f for f in findings if f["rule"] == "post-edit-without-revision"]
    assert f["path"] == DAME and f["line"] == line_of(repo, DAME, "はっきり断りましょう") and f["clause"] == "5"


def test_edited_published_post_with_revision_passes(repo):
    edit(repo, DAME, "きっぱり断りましょう", "はっきり断りましょう")
    edit(repo, DAME, 'approval: {approved_by: "100111", approved_on: 2025-06-19}',
         'approval: {approved_by: "100111", approved_on: 2025-06-19}\n'
         'revisions:\n  - {on: 2025-06-21, summary: 表現を修正, approved_by: "100101"}')
    commit(repo, "fix wording with a revision")
    code, findings, out = lint(repo, "--base", "main", today="2025-07-01")
    assert code == 0, out
    assert "post-edit-without-revision" not in {f["rule"] for f in findings}


def test_whitespace_only_and_draft_edits_need_no_revision(repo):
    edit(repo, DAME, "きっぱり断りましょう。", "きっぱり断りましょう。   ")
    edit(repo, DRAFT, "---\n", "---\n", 1)
    text = (repo / DRAFT).read_text(encoding="utf-8")
    (repo / DRAFT).write_text(text.rstrip("\n") + "\n追記です。\n", encoding="utf-8")
    commit(repo, "whitespace and a draft")
    _code, findings, out = lint(repo, "--base", "main")
    assert "post-edit-without-revision" not in {f["rule"] for f in findings}, out


def test_changed_media_of_published_post_needs_revision(repo):
    post = "posts/ube-city-instagram/2025/2025-04-05-tokiwa-sakura.md"
    text = (repo / post).read_text(encoding="utf-8")
    m = re.search(r"alt: ([^\n]+)", text)
    assert m
    edit(repo, post, m.group(0), "alt: 常盤公園の桜（差し替え）")
    commit(repo, "new alt text")
    _code, findings, _out = lint(repo, "--base", "main")
    [f] = [f for f in findings if f["rule"] == "post-edit-without-revision"]
    assert "media" in f["message"] or "画像" in f["message"]


# ----------------------------------------------------------------------------- 4(4), 4(5): personnel changes


def _swap_holder(repo: Path, assigned_on: str = "2025-04-01") -> None:
    # 琴芝 翔太 (200202) leaves ube-city-instagram; 寿 結衣 (200220, 観光振興課) takes over
    edit(repo, INSTA, '{name: 琴芝 翔太, employee_id: "200202", department: 広報広聴課, assigned_on: 2025-04-01}',
         f'{{name: 寿 結衣, employee_id: "200220", department: 観光振興課, assigned_on: {assigned_on}}}')


def test_holder_swap_without_review_is_reported(repo):
    _swap_holder(repo)
    commit(repo, "swap holder")
    code, findings, out = lint(repo, "--base", "main")
    assert code == 1, out
    got = {(f["rule"], f["clause"]) for f in findings if f["path"] == INSTA}
    assert ("account-change-review", "4(4)") in got
    assert ("account-change-registry", "4(5)") in got
    msgs = [f["message"] for f in findings if f["rule"] == "account-change-review"]
    assert any("last_changed_on" in m for m in msgs), msgs  # a holder left: the password too
    assert all("寿" not in m and "琴芝" not in m for m in msgs)  # no names in the output


def test_holder_swap_with_new_assignment_date_is_not_reported_twice(repo):
    _swap_holder(repo, assigned_on="2026-05-20")  # after the account's last review (2026-02-16)
    commit(repo, "swap holder, dated")
    _code, findings, _out = lint(repo, "--base", "main", today="2026-06-01")
    by_rule = {f["rule"] for f in findings if f["path"] == INSTA}
    assert "account-review" in by_rule  # the file-based rule sees the date
    assert "registry-stale" in by_rule
    reviews = [f for f in findings if f["rule"] == "account-change-review"]
    # the review date is already reported by account-review; only the password (error here,
    # a warning there) is added by the change-based rule
    assert all("reviewed_on" not in f["message"] and "last_changed_on" in f["message"] for f in reviews), reviews
    assert "account-change-registry" not in by_rule


def test_holder_swap_with_review_and_registry_passes(repo):
    _swap_holder(repo, assigned_on="2026-05-20")
    text = (repo / INSTA).read_text(encoding="utf-8")
    text = re.sub(r"last_changed_on: [0-9-]+", "last_changed_on: 2026-05-20", text)
    text = re.sub(r"reviewed_on: [0-9-]+", "reviewed_on: 2026-05-20", text)
    text = re.sub(r"registry_submitted_on: [0-9-]+", "registry_submitted_on: 2026-05-21", text)
    (repo / INSTA).write_text(text, encoding="utf-8")
    if "registry:" in (repo / "snspolicy.yaml").read_text(encoding="utf-8"):  # the committed 一覧表, regenerated
        r = subprocess.run([sys.executable, "-m", "snspolicy", "registry", "export", "-o", "registry/account-registry.csv"],
                           cwd=repo, env=_env(repo.parent), check=False, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
    commit(repo, "swap holder with review")
    code, findings, out = lint(repo, "--base", "main", today="2026-06-01")
    assert code == 0, out
    assert not [f for f in findings if f["severity"] == "error"]


def test_account_edit_rechecks_its_posts(repo):
    # remove the deputy who approved DAME: the unchanged post must now be reported
    edit(repo, CITY_X, "deputies:\n  - {name: 楠 和也, employee_id: \"100111\", title: 広報広聴課長補佐}", "deputies: []")
    commit(repo, "no deputy")
    code, findings, out = lint(repo, "--base", "main")
    assert ("post-approval", DAME) in rules(findings), out
    assert code == 1


def test_unrelated_account_edit_reports_nothing(repo):
    edit(repo, CITY_X, "min_length: 14", "min_length: 16")  # not a column of the 一覧表
    commit(repo, "purpose")
    code, _findings, out = lint(repo, "--base", "main")
    assert code == 0, out


# ----------------------------------------------------------------------------- policy pinned to the base


def _loosen_and_add_violating_post(repo: Path) -> str:
    with (repo / "snspolicy.yaml").open("a", encoding="utf-8") as fh:
        fh.write("rules:\n  post-approval: {enabled: false, reason: 急ぎのため}\n")
    text = (repo / GAN).read_text(encoding="utf-8")
    new = "posts/ube-city-x/2025/2025-05-30-new.md"
    text = text.replace("id: 2025-04-07-gan-kenshin", "id: 2025-05-30-new")
    text = text.replace('approval: {approved_by: "100101", approved_on: 2025-04-04}\n', "")
    (repo / new).write_text(text, encoding="utf-8")
    return new


def test_pr_loosening_policy_and_adding_violating_post_is_reported(repo):
    new = _loosen_and_add_violating_post(repo)
    commit(repo, "loosen and post")
    code, findings, out = lint(repo)  # the PR's own config hides the problem …
    assert code == 0, out
    code, findings, out = lint(repo, "--base", "main", "--policy-from", "main")
    assert code == 1, out
    got = rules(findings)
    assert ("post-approval", new) in got  # … the base's config does not
    assert ("policy-and-content-changed", "snspolicy.yaml") in got


def test_policy_only_pr_is_informational(repo):
    with (repo / "snspolicy.yaml").open("a", encoding="utf-8") as fh:
        fh.write("rules:\n  account-2fa: {severity: error, reason: 弱い認証も不可}\n")
    commit(repo, "tighten")
    code, findings, out = lint(repo, "--base", "main", "--policy-from", "main")
    assert code == 0, out
    [f] = [f for f in findings if f["rule"] == "policy-and-content-changed"]
    assert f["severity"] == "info"


def test_content_only_pr_passes_with_pinned_policy(repo):
    text = (repo / GAN).read_text(encoding="utf-8").replace("id: 2025-04-07-gan-kenshin", "id: 2025-05-30-new")
    (repo / "posts/ube-city-x/2025/2025-05-30-new.md").write_text(text, encoding="utf-8")
    commit(repo, "new post")
    code, _findings, out = lint(repo, "--base", "main", "--policy-from", "main")
    assert code == 0, out


def test_policy_switched_to_a_local_looser_copy_is_not_used(repo):
    local = repo / "policy-local"
    shutil.copytree(workflow_policy(repo.parent), local)
    frag = local / "rules" / "posts.yaml"
    frag.write_text(frag.read_text(encoding="utf-8").replace("  post-approval:\n    clause: \"5\"\n    severity: error",
                                                            "  post-approval:\n    clause: \"5\"\n    severity: error\n    enabled: false", 1),
                    encoding="utf-8")
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    (repo / "snspolicy.yaml").write_text(re.sub(r"(?m)^policy: \S+", "policy: policy-local", cfg), encoding="utf-8")
    new = _loosen_and_add_violating_post(repo)
    commit(repo, "switch policy")
    # no --policy on the command line: the policy comes from snspolicy.yaml of the base
    r = subprocess.run([sys.executable, "-m", "snspolicy", "lint", "-f", "json", "--base", "main", "--policy-from", "main"],
                       cwd=repo, env=_env(repo.parent), check=False, capture_output=True, text=True, timeout=180)
    assert "Traceback" not in r.stderr
    findings = json.loads(r.stdout)
    assert ("post-approval", new) in rules(findings), r.stdout


# ----------------------------------------------------------------------------- policy version bump


def _repo_with_local_policy(repo: Path) -> str:
    """Keep the policy inside the posts repo (policy: policy/city) and commit that on main."""
    git(repo, "checkout", "-q", "main")
    shutil.copytree(workflow_policy(repo.parent), repo / "policy" / "city")
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    (repo / "snspolicy.yaml").write_text(re.sub(r"(?m)^policy: \S+", "policy: policy/city", cfg), encoding="utf-8")
    commit(repo, "local policy")
    git(repo, "checkout", "-q", "-B", "pr")
    return "policy/city/rules/accounts.yaml"


def _tighten_2fa(repo: Path, frag: str) -> None:
    edit(repo, frag, "weak_severity: warning", "weak_severity: error")


def test_policy_change_without_version_bump_is_an_error(repo):
    frag = _repo_with_local_policy(repo)
    _tighten_2fa(repo, frag)
    commit(repo, "tighten 2fa")
    code, findings, _out = lint(repo, "--base", "main")
    [f] = [f for f in findings if f["rule"] == "policy-version-bump"]
    assert f["path"] == "policy/city/policy.yaml" and code == 1
    assert "2025-04-01" in f["message"]


def test_policy_change_with_version_but_no_changelog_is_an_error(repo):
    frag = _repo_with_local_policy(repo)
    _tighten_2fa(repo, frag)
    edit(repo, "policy/city/policy.yaml", 'version: "2025-04-01"', 'version: "2025-04-01.1"')
    commit(repo, "tighten 2fa, new version")
    _code, findings, _out = lint(repo, "--base", "main")
    [f] = [f for f in findings if f["rule"] == "policy-version-bump"]
    assert "changelog" in f["message"]


def test_policy_change_with_version_bump_passes(repo):
    frag = _repo_with_local_policy(repo)
    _tighten_2fa(repo, frag)
    edit(repo, "policy/city/policy.yaml", 'version: "2025-04-01"', 'version: "2025-04-01.1"')
    edit(repo, "policy/city/policy.yaml", "changelog:\n",
         'changelog:\n  - version: "2025-04-01.1"\n    date: 2025-06-01\n    summary: {ja: SMS・メールの二重認証をエラーに}\n')
    commit(repo, "tighten 2fa properly")
    code, findings, out = lint(repo, "--base", "main")
    assert "policy-version-bump" not in {f["rule"] for f in findings}, out
    assert code == 0, out


def test_policy_wording_change_needs_no_version(repo):
    _repo_with_local_policy(repo)
    edit(repo, "policy/city/rules/accounts.yaml", "管理者によるアカウント利用の承認", "管理者によるアカウント利用の承認（3(1)）")
    commit(repo, "wording")
    _code, findings, out = lint(repo, "--base", "main")
    assert "policy-version-bump" not in {f["rule"] for f in findings}, out


# ----------------------------------------------------------------------------- branches behind the base


def test_branch_behind_base_does_not_see_base_changes_as_removals(repo):
    git(repo, "checkout", "-q", "main")
    text = (repo / GAN).read_text(encoding="utf-8").replace("id: 2025-04-07-gan-kenshin", "id: 2025-05-01-main-only")
    (repo / "posts/ube-city-x/2025/2025-05-01-main-only.md").write_text(text, encoding="utf-8")
    commit(repo, "a post on main after the branch was made")
    git(repo, "checkout", "-q", "pr")
    edit(repo, CITY_X, "min_length: 14", "min_length: 16")
    commit(repo, "pr change")
    code, _findings, out = lint(repo, "--base", "main")
    assert code == 0, out
    assert "post-removed" not in out


# ----------------------------------------------------------------------------- shallow clones and missing refs


def test_missing_base_ref_is_a_clear_fatal_error(repo):
    code, _findings, out = lint(repo, "--base", "origin/main", fmt="text")
    assert code == 2
    assert "origin/main" in out and "git fetch" in out and "--depth" in out
    code, _findings, out = lint(repo, "--base", "origin/main", "--lang", "en", fmt="text")
    assert "not in git" in out and "git fetch" in out


def test_not_a_git_repository(tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(CLEAN, plain, ignore=WITHOUT_CACHE)
    code, _findings, out = lint(plain, "--base", "main", fmt="text")
    assert code == 2 and "git" in out


def test_shallow_clone_with_base_fetched(repo):
    git(repo, "rm", "-q", GAN)
    commit(repo, "remove a post")
    clone = repo.parent / "ci"
    r = subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "pr", repo.resolve().as_uri(), str(clone)],
                       env=_env(repo.parent), check=False, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    code, findings, out = lint(clone, "--base", "origin/main", fmt="text")
    assert code == 2, out
    m = re.search(r"`(git fetch [^`]+)`", out)
    assert m, out
    git(clone, *m.group(1).split()[1:])  # run the command the message gives
    code, findings, out = lint(clone, "--base", "origin/main")
    assert code == 1, out
    assert ("post-removed", GAN) in rules(findings)
    code, findings, out = lint(clone, "--base", "origin/main", "--policy-from", "origin/main")
    assert ("post-removed", GAN) in rules(findings), out


def test_shallow_merge_commit_checkout(repo):
    """GitHub's pull-request checkout: a merge commit of depth 1 on top of the base."""
    edit(repo, DAME, "きっぱり断りましょう", "はっきり断りましょう")
    commit(repo, "edit")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pr", "pr")
    git(repo, "branch", "-q", "merged")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    clone = repo.parent / "ci-merge"
    r = subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "merged", repo.resolve().as_uri(), str(clone)],
                       env=_env(repo.parent), check=False, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    git(clone, "fetch", "-q", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main")
    _code, findings, out = lint(clone, "--base", "origin/main")
    assert {f["rule"] for f in findings} == {"post-edit-without-revision"}, out


def test_new_untracked_post_is_linted(repo):
    text = (repo / GAN).read_text(encoding="utf-8").replace("id: 2025-04-07-gan-kenshin", "id: 2025-05-30-new")
    text = text.replace('approval: {approved_by: "100101", approved_on: 2025-04-04}\n', "")
    (repo / "posts/ube-city-x/2025/2025-05-30-new.md").write_text(text, encoding="utf-8")
    _code, findings, out = lint(repo, "--base", "main")
    assert ("post-approval", "posts/ube-city-x/2025/2025-05-30-new.md") in rules(findings), out


def test_text_output_names_file_line_rule_and_clause(repo):
    git(repo, "rm", "-q", GAN)
    commit(repo, "remove")
    _code, _findings, out = lint(repo, "--base", "main", fmt="text")
    assert f"{GAN}:1:1: error [post-removed] 5 " in out


# ----------------------------------------------------------------------------- text rules: changed lines only


def _fake_text_policy(tmp: Path) -> Path:
    """The workflow policy plus a text rule ``text-fake`` (6(1)) that reports every line with ＮＧ."""
    pol = tmp / "policy-fake-text"
    if not pol.exists():
        shutil.copytree(workflow_policy(tmp), pol)
        (pol / "rules" / "fake.yaml").write_text(
            'rules:\n  text-fake:\n    clause: "6(1)"\n    severity: error\n    title: {ja: テスト, en: test}\n'
            '    message: {ja: "ＮＧ があります", en: "NG found"}\n'
            '    doc: {why: {ja: テスト}, bad: "ＮＧ", good: "OK"}\n', encoding="utf-8")
        main = pol / "policy.yaml"
        main.write_text(main.read_text(encoding="utf-8").replace("    - rules/workflow.yaml\n",
                                                                 "    - rules/workflow.yaml\n    - rules/fake.yaml\n"),
                        encoding="utf-8")
    return pol


@pytest.fixture
def fake_text_rule():
    from snspolicy.core.model import Problem, Span
    from snspolicy.engine.registry import load_builtin_rules
    from snspolicy.rules.api import REGISTRY, rule

    load_builtin_rules()
    if "text-fake" not in REGISTRY:
        @rule("text-fake", kinds=("post",), text=True)
        def _fake(doc, ctx):
            for n, line in enumerate(doc.text.split("\n"), 1):
                if "ＮＧ" in line and n > 1:
                    yield Problem(Span(n, 1, n, 3))
    yield
    REGISTRY.pop("text-fake", None)


def test_text_findings_only_on_changed_lines(repo, fake_text_rule, monkeypatch):
    from snspolicy.app.lint import LintOptions, LintRequest, run

    edit(repo, DAME, "大麻や危険ドラッグは、", "大麻やＮＧ危険ドラッグは、")   # line 11: an old problem …
    commit(repo, "old problem on main")
    git(repo, "branch", "-q", "-f", "main")
    edit(repo, DAME, "悩みは一人で抱えず、", "ＮＧ悩みは一人で抱えず、")      # … line 13: a new one
    edit(repo, DAME, 'approval: {approved_by: "100111", approved_on: 2025-06-19}',
         'approval: {approved_by: "100111", approved_on: 2025-06-19}\n'
         'revisions:\n  - {on: 2025-06-21, summary: 追記, approved_by: "100101"}')
    commit(repo, "new problem")
    monkeypatch.chdir(repo)
    pol = str(_fake_text_policy(repo.parent))
    import datetime as dt

    result = run(LintRequest([repo], policy_ref=pol, base="main", options=LintOptions(today=dt.date(2025, 7, 1)))).result
    fake = [(f.path, f.line) for f in result.findings if f.rule == "text-fake"]
    old_line, new_line = line_of(repo, DAME, "大麻やＮＧ"), line_of(repo, DAME, "ＮＧ悩み")
    assert fake == [(DAME, new_line)]  # the line changed on the branch, not the one already on main
    # the whole repo without --base sees both
    from snspolicy.app import setup as runner
    from snspolicy.app.lint import lint_setup

    setup = runner.prepare([repo], pol)
    _, full = lint_setup(setup, today=dt.date(2025, 7, 1))
    assert sorted(f.line for f in full.findings if f.rule == "text-fake") == [old_line, new_line]


def test_text_findings_of_posts_affected_through_account_are_not_reported(repo, fake_text_rule, monkeypatch):
    from snspolicy.app.lint import LintOptions, LintRequest, run

    edit(repo, DAME, "大麻や危険ドラッグは、", "大麻やＮＧ危険ドラッグは、")
    commit(repo, "old problem")
    git(repo, "branch", "-q", "-f", "main")
    edit(repo, CITY_X, "min_length: 14", "min_length: 16")
    commit(repo, "account edit")
    monkeypatch.chdir(repo)
    done = run(LintRequest([repo], policy_ref=str(_fake_text_policy(repo.parent)), base="main"))
    repo_obj, result = done.repo, done.result
    assert DAME in repo_obj.only  # re-checked (non-text rules) …
    assert not [f for f in result.findings if f.rule == "text-fake"]  # … but its old text problem is not new


def test_paths_restrict_the_changed_files(repo, monkeypatch):
    from snspolicy.app.lint import LintRequest, run

    git(repo, "rm", "-q", GAN)
    edit(repo, DAME, "きっぱり断りましょう", "はっきり断りましょう")
    commit(repo, "two changes")
    monkeypatch.chdir(repo)
    pol = str(workflow_policy(repo.parent))
    result = run(LintRequest([repo / DAME], policy_ref=pol, base="main")).result
    assert {f.rule for f in result.findings} == {"post-edit-without-revision"}
    result = run(LintRequest([repo], policy_ref=pol, base="main")).result
    assert {f.rule for f in result.findings} == {"post-edit-without-revision", "post-removed"}


# ----------------------------------------------------------------------------- units


def test_changed_lines():
    from snspolicy.io.changes import changed_lines

    assert changed_lines("a\nb\nc\n", "a\nB\nc\n") == {2}
    assert changed_lines("a\nc\n", "a\nb\nc\n") == {2}
    assert changed_lines("a\nb\nc\n", "a\nc\n") == {1, 2}  # deletion: the lines around it
    assert changed_lines("", "x\ny\n") == {1, 2}
    assert changed_lines("same\n", "same\n") == set()


def test_scope_keeps_and_merges():
    from snspolicy.app.scope import Scope, filter_findings
    from snspolicy.core.model import Finding, Severity

    def f(rule, line, path="p.md"):
        return Finding(path, line, 1, line, 1, rule, "6(5)", Severity.ERROR, "m")

    lines = Scope(None, "lines", {3})
    assert lines.keeps(f("pii-phone", 3)) and not lines.keeps(f("pii-phone", 4))
    assert lines.keeps(f("post-approval", 4))  # non-text rules: the whole file
    dep = Scope(frozenset({"post-embargo"}), "none")
    assert dep.keeps(f("post-embargo", 9)) and not dep.keeps(f("post-media", 9)) and not dep.keeps(f("text-private", 9))
    merged = dep.merge(Scope(None, "none"))
    assert merged.keeps(f("post-media", 1)) and not merged.keeps(f("clarity-length", 1))
    assert dep.merge(lines).keeps(f("link-https", 3)) and not dep.merge(lines).keeps(f("link-https", 5))
    kept = filter_findings([f("pii-phone", 3), f("pii-phone", 4), f("post-media", 1, "other.md")], {"p.md": lines})
    assert [(x.path, x.line) for x in kept] == [("p.md", 3)]
    assert len(filter_findings([f("x", 1)], None)) == 1


def test_fetch_hint_and_error_text():
    from snspolicy.core import messages
    from snspolicy.io.git import GitError, fetch_hint

    assert fetch_hint("origin/main") == "git fetch --depth=50 origin +refs/heads/main:refs/remotes/origin/main"
    assert fetch_hint("release/2025") == "git fetch --depth=50 origin +refs/heads/release/2025:refs/heads/release/2025"
    assert fetch_hint("0123456789abcdef") == "git fetch --depth=50 origin 0123456789abcdef"
    e = GitError("ref {x} missing")
    assert messages.message(e.code, "ja", **e.params) == "ref {x} missing"
    assert e.rule == "git"


def test_git_errors_never_escape_as_tracebacks(tmp_path):
    from snspolicy.io.git import Git, GitError

    g = Git(tmp_path)
    with pytest.raises(GitError):
        g.toplevel()
    g2 = Git(tmp_path, timeout=0.000001)
    with pytest.raises(GitError):
        g2.run("--version")
    assert Git(tmp_path).commit("--output=/tmp/x") is None  # an option is never taken for a ref


def test_posts_repo_in_a_subfolder_of_the_git_repo(tmp_path):
    mono = tmp_path / "mono"
    sub = mono / "sns" / "posts-repo"
    shutil.copytree(CLEAN, sub, ignore=WITHOUT_CACHE)
    (mono / "README.md").write_text("other project files\n", encoding="utf-8")
    git(mono, "init", "-q")
    commit(mono, "monorepo")
    git(mono, "checkout", "-q", "-b", "pr")
    git(mono, "rm", "-q", f"sns/posts-repo/{GAN}")
    (mono / "README.md").write_text("changed outside the posts repo\n", encoding="utf-8")
    commit(mono, "remove")
    cmd = [sys.executable, "-m", "snspolicy", "lint", "--policy", str(workflow_policy(tmp_path)), "-f", "json",
           "--base", "main", "--policy-from", "main"]
    r = subprocess.run(cmd, cwd=sub, env=_env(tmp_path), check=False, capture_output=True, text=True, timeout=180)
    assert r.returncode == 1, r.stdout + r.stderr
    assert rules(json.loads(r.stdout)) == {("post-removed", GAN)}


def test_account_edit_without_registry_update_reports_the_committed_registry(repo):
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    m = re.search(r"(?m)^registry: (\S+)", cfg)
    if not m:
        pytest.skip("the example has no committed 一覧表")
    edit(repo, CITY_X, "purpose: ", "purpose: （更新）")  # a column of the 一覧表
    commit(repo, "purpose")
    code, findings, out = lint(repo, "--base", "main")
    assert ("registry-stale", m.group(1)) in rules(findings), out
    assert code == 1


def test_policy_from_missing_ref(repo):
    code, _findings, out = lint(repo, "--policy-from", "origin/nope", fmt="text")
    assert code == 2 and "origin/nope" in out and "git fetch" in out


def test_broken_changed_post_is_a_fatal_finding(repo):
    edit(repo, DAME, "category: health", "category: [health")
    commit(repo, "broken front matter")
    code, findings, out = lint(repo, "--base", "main")
    assert code == 2, out
    assert {f["rule"] for f in findings if f["path"] == DAME} & {"yaml-syntax", "schema"}


def test_fetch_hint_for_relative_refs():
    from snspolicy.io.git import fetch_hint

    assert fetch_hint("HEAD~5") == "git fetch --deepen=50 origin"
    assert "refs/heads/main" in fetch_hint("main")
    assert fetch_hint("origin/main").endswith("refs/remotes/origin/main")
