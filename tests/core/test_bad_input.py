"""Bad input never produces a traceback: file:line:col, a clear message, exit 2, others still linted."""

from __future__ import annotations

import json

from conftest import run_cli, write


def _lint(root, *extra):
    return run_cli("lint", str(root), *extra)


def _assert_no_traceback(proc):
    assert "Traceback" not in proc.stdout + proc.stderr


def test_clean_mini_repo_passes(mini_repo):
    proc = _lint(mini_repo)
    _assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_broken_yaml_exit_2_and_other_files_still_reported(mini_repo):
    write(mini_repo, "accounts/broken.yaml", "id: broken\nplatform: [x\nhandle: y\n")
    # another file with an ordinary finding, reported in the same run
    acc = (mini_repo / "accounts/test-x.yaml").read_text(encoding="utf-8")
    write(mini_repo, "accounts/test-x.yaml", acc.replace("enabled: true", "enabled: false"))
    proc = _lint(mini_repo, "-f", "json")
    _assert_no_traceback(proc)
    assert proc.returncode == 2
    findings = json.loads(proc.stdout)
    broken = [f for f in findings if f["path"] == "accounts/broken.yaml"]
    assert broken and broken[0]["rule"] == "yaml-syntax" and broken[0]["line"] >= 2
    assert any(f["rule"] == "account-2fa" for f in findings)


def test_duplicate_key_reported_not_merged(mini_repo):
    acc = (mini_repo / "accounts/test-x.yaml").read_text(encoding="utf-8")
    write(mini_repo, "accounts/test-x.yaml", acc + "status: closed\n")
    proc = _lint(mini_repo)
    _assert_no_traceback(proc)
    assert proc.returncode == 2
    line = [ln for ln in proc.stdout.splitlines() if "test-x.yaml" in ln][0]
    n = acc.count("\n") + 1
    assert line.startswith(f"accounts/test-x.yaml:{n}:1: error [yaml-syntax]")
    assert "status" in line and "重複" in line


def test_shift_jis_file(mini_repo):
    post = (mini_repo / "posts/test-x/test-post.md").read_text(encoding="utf-8")
    (mini_repo / "posts/test-x/sjis.md").write_bytes(post.replace("test-post", "sjis").encode("cp932"))
    before = (mini_repo / "posts/test-x/sjis.md").read_bytes()
    proc = _lint(mini_repo)
    _assert_no_traceback(proc)
    assert proc.returncode == 2
    assert "posts/test-x/sjis.md:" in proc.stdout and "Shift_JIS" in proc.stdout
    assert (mini_repo / "posts/test-x/sjis.md").read_bytes() == before  # nothing changed


def test_english_messages(mini_repo):
    write(mini_repo, "accounts/broken.yaml", "a: 1\na: 2\n")
    proc = _lint(mini_repo, "--lang", "en")
    assert proc.returncode == 2 and "Duplicate key 'a'" in proc.stdout


def test_wrong_type_is_schema_finding_at_value(mini_repo):
    acc = (mini_repo / "accounts/test-x.yaml").read_text(encoding="utf-8")
    write(mini_repo, "accounts/test-x.yaml", acc.replace('approved_by: "100001", approved_on', "approved_by: 100001, approved_on"))
    proc = _lint(mini_repo, "-f", "json")
    assert proc.returncode == 1
    f = [f for f in json.loads(proc.stdout) if f["rule"] == "schema"][0]
    assert f["clause"] == "3(1)"
    line_no = [i for i, ln in enumerate(acc.splitlines(), 1) if ln.startswith("approval:")][0]
    assert f["line"] == line_no and f["column"] == len("approval: {approved_by: ") + 1


def test_missing_field_clause(mini_repo):
    acc = (mini_repo / "accounts/test-x.yaml").read_text(encoding="utf-8")
    acc = "\n".join(ln for ln in acc.splitlines() if not ln.startswith("profile:") and "disclaimer_url" not in ln) + "\n"
    write(mini_repo, "accounts/test-x.yaml", acc)
    proc = _lint(mini_repo, "-f", "json")
    f = [f for f in json.loads(proc.stdout) if f["rule"] == "schema"]
    assert f and f[0]["clause"] == "8"


def test_binary_and_huge_and_symlink(mini_repo, tmp_path):
    (mini_repo / "posts/test-x/bin.md").write_bytes(b"---\n\0\0\0\x89PNG")
    (mini_repo / "posts/test-x/huge.md").write_text("---\nid: h\n---\n" + "あ" * 1_200_000, encoding="utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: secret\n", encoding="utf-8")
    (mini_repo / "accounts/link.yaml").symlink_to(outside)
    proc = _lint(mini_repo)
    _assert_no_traceback(proc)
    assert proc.returncode == 2
    for name in ("bin.md", "huge.md", "link.yaml"):
        assert name in proc.stdout


def test_alias_bomb_no_hang(mini_repo):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(9):
        bomb += f"l{i}: &l{i} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        prev = f"l{i}"
    write(mini_repo, "press/bomb.yaml", bomb)
    proc = run_cli("lint", str(mini_repo), timeout=60)
    _assert_no_traceback(proc)
    assert proc.returncode == 2 and "press/bomb.yaml" in proc.stdout


def test_post_without_front_matter(mini_repo):
    write(mini_repo, "posts/test-x/nofm.md", "本文だけ\n")
    proc = _lint(mini_repo)
    assert proc.returncode == 2 and "posts/test-x/nofm.md:1:1" in proc.stdout


def test_broken_config_exit_2(mini_repo):
    write(mini_repo, "snspolicy.yaml", "policy: ube/2025-04-01\nfail_on: sometimes\n")
    proc = _lint(mini_repo)
    _assert_no_traceback(proc)
    assert proc.returncode == 2 and "snspolicy.yaml:2:" in proc.stdout


def test_unknown_policy_exit_2(mini_repo):
    write(mini_repo, "snspolicy.yaml", "policy: ube/1999-01-01\n")
    proc = _lint(mini_repo)
    assert proc.returncode == 2 and "ube/1999-01-01" in proc.stdout


def test_override_may_not_loosen(mini_repo):
    write(mini_repo, "snspolicy.yaml", "policy: ube/2025-04-01\nrules:\n  account-2fa: {severity: info, reason: 面倒だから}\n")
    proc = _lint(mini_repo)
    assert proc.returncode == 2 and "account-2fa" in proc.stdout


def test_override_needs_reason(mini_repo):
    write(mini_repo, "snspolicy.yaml", "policy: ube/2025-04-01\nrules:\n  account-2fa: {enabled: false}\n")
    proc = _lint(mini_repo)
    assert proc.returncode == 2 and "reason" in proc.stdout


def test_disable_with_reason_works(mini_repo):
    acc = (mini_repo / "accounts/test-x.yaml").read_text(encoding="utf-8")
    write(mini_repo, "accounts/test-x.yaml", acc.replace("enabled: true", "enabled: false"))
    assert _lint(mini_repo).returncode == 1
    write(mini_repo, "snspolicy.yaml", "policy: ube/2025-04-01\nrules:\n  account-2fa: {enabled: false, reason: 検証用アカウントのため}\n")
    assert _lint(mini_repo).returncode == 0
