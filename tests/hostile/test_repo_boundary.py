"""Item: stay inside the repo. ``roster:``, ``registry:``, the policy and its ``include:``, and the
default folders (accounts/, posts/, press/, incidents/, media/, .github/) are refused (exit 2)
when an absolute path, ``..`` or a symbolic link leads out, for reading and for writing; no line
of an outside file is ever quoted. A folder ``ube/2025-04-01/`` in the posts repo does not shadow
the bundled policy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import MINIMAL_POST, ROOT, SECRET_HEADER, Box, cli, located, no_traceback, write

BUNDLED = ROOT / "policy" / "ube" / "2025-04-01"


def _assert_refused(proc, path: str, line: int | None = None) -> str:  # type: ignore[no-untyped-def]
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert SECRET_HEADER.split(",")[0] not in proc.stdout + proc.stderr
    assert "100001,999999" not in proc.stdout + proc.stderr
    return located(proc.stdout, path, line)


@pytest.mark.parametrize("key", ["roster", "registry"])
@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink", "symlinked-folder"])
def test_roster_and_registry_outside_are_refused(box: Box, key: str, how: str) -> None:
    target = box.outside / "hr.csv"
    if how == "absolute":
        value = str(target)
    elif how == "dotdot":
        value = "../outside/hr.csv"
    elif how == "symlink":
        (box.repo / "hr.csv").symlink_to(target)
        value = "hr.csv"
    else:
        (box.repo / "hr").symlink_to(box.outside)
        value = "hr/hr.csv"
    write(box.repo, "snspolicy.yaml", f"policy: ube/2025-04-01\n{key}: {value}\n")
    out = _assert_refused(cli("lint", str(box.repo)), "snspolicy.yaml", 2)
    assert "リポジトリの外" in out and key in out


def test_roster_inside_is_read(box: Box) -> None:
    """Must not fire: a roster file inside the repo is used (its bad header is reported, echoed)."""
    write(box.repo, "roster.csv", "職員番号,氏名,所属,職名\n100001,山田 太郎,広報広聴課,広報広聴課長\n200002,佐藤 花子,広報広聴課,主任\n"
                                 "200003,鈴木 一郎,広報広聴課,主事\n")
    write(box.repo, "snspolicy.yaml", "policy: ube/2025-04-01\nroster: roster.csv\n")
    proc = cli("lint", str(box.repo))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("folder", ["accounts", "posts", "press", "incidents", "media", ".github"])
def test_default_folder_linked_outside_is_refused(box: Box, folder: str) -> None:
    link = box.repo / folder
    if link.exists():
        shutil.rmtree(link)
    link.symlink_to(box.outside / ("accounts" if folder == "accounts" else "posts"))
    out = _assert_refused(cli("lint", str(box.repo)), folder, 1)
    assert "evil" not in out


def test_configured_folder_outside_is_refused(box: Box) -> None:
    write(box.repo, "snspolicy.yaml", "policy: ube/2025-04-01\npaths:\n  posts: ../outside/posts\n")
    _assert_refused(cli("lint", str(box.repo)), "snspolicy.yaml", 3)


def test_subfolder_linked_outside_is_refused_and_not_read(box: Box) -> None:
    (box.repo / "posts" / "test-x" / "more").symlink_to(box.outside / "posts")
    proc = cli("lint", str(box.repo), "-f", "text")
    out = _assert_refused(proc, "posts/test-x/more", 1)
    assert "リポジトリの外" in out
    assert "evil" not in proc.stdout


def test_post_file_linked_outside_is_refused(box: Box) -> None:
    (box.repo / "posts" / "test-x" / "evil.md").symlink_to(box.outside / "posts" / "evil.md")
    _assert_refused(cli("lint", str(box.repo)), "posts/test-x/evil.md", 1)


def test_subfolder_linked_inside_is_followed(box: Box) -> None:
    """Must not fire: a link to a folder inside the repo is read (once)."""
    write(box.repo, "archive/2024/old.md", MINIMAL_POST.replace("test-post", "old"))
    (box.repo / "posts" / "test-x" / "2024").symlink_to(box.repo / "archive" / "2024")
    proc = cli("lint", str(box.repo), "-f", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _local_policy(box: Box, name: str = "policy/local") -> Path:
    dest = box.repo / name
    shutil.copytree(BUNDLED, dest)
    return dest


def test_policy_path_outside_is_refused(box: Box) -> None:
    shutil.copytree(BUNDLED, box.outside / "copied")
    try:
        write(box.repo, "snspolicy.yaml", "policy: ../outside/copied\n")
        _assert_refused(cli("lint", str(box.repo)), "snspolicy.yaml", 1)
        (box.repo / "linked").symlink_to(box.outside / "copied")
        write(box.repo, "snspolicy.yaml", "policy: ./linked\n")
        _assert_refused(cli("lint", str(box.repo)), "snspolicy.yaml", 1)
    finally:
        shutil.rmtree(box.outside / "copied")  # the box must look as before


@pytest.mark.parametrize("include", ["../../../outside/policy/policy.yaml", "/etc/passwd", "../2025-04-01/rules/core.yaml"])
def test_policy_include_outside_its_folder_is_refused(box: Box, include: str) -> None:
    policy = _local_policy(box)
    main = policy / "policy.yaml"
    lines = main.read_text(encoding="utf-8").split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.strip() == "- rules/core.yaml")
    lines[i] = lines[i].replace("rules/core.yaml", include)
    main.write_text("\n".join(lines), encoding="utf-8")
    write(box.repo, "snspolicy.yaml", "policy: ./policy/local\n")
    out = _assert_refused(cli("lint", str(box.repo)), "policy/local/policy.yaml", i + 1)
    assert "include" in out
    assert "root:" not in out  # nothing of /etc/passwd


def test_policy_include_linked_outside_is_refused(box: Box) -> None:
    policy = _local_policy(box)
    core = policy / "rules" / "core.yaml"
    core.unlink()
    core.symlink_to(box.outside / "policy" / "policy.yaml")
    write(box.repo, "snspolicy.yaml", "policy: ./policy/local\n")
    _assert_refused(cli("lint", str(box.repo)), "policy/local/policy.yaml")


def _lenient_copy(dest: Path) -> None:
    """A copy of the bundled policy whose every rule is info (it would turn every error green)."""
    shutil.copytree(BUNDLED, dest)
    for frag in (dest / "rules").glob("*.yaml"):
        frag.write_text(frag.read_text(encoding="utf-8").replace("severity: error", "severity: info"), encoding="utf-8")


def test_folder_named_like_a_policy_id_does_not_shadow_the_bundled_policy(box: Box) -> None:
    _lenient_copy(box.repo / "ube" / "2025-04-01")
    write(box.repo, "posts/test-x/test-post.md", MINIMAL_POST.replace('approval: {approved_by: "100001", approved_on: 2025-04-30}\n', ""))
    proc = cli("lint", str(box.repo))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "error [" in located(proc.stdout, "posts/test-x/test-post.md")
    # run from inside the repo too (the old lookup also tried the current folder)
    assert cli("lint", cwd=box.repo).returncode == 1


@pytest.mark.parametrize("ref", ["./policy/local", "policy/local", "policy/local/policy.yaml"])
def test_local_policy_needs_and_accepts_an_explicit_path(box: Box, ref: str) -> None:
    _lenient_copy(box.repo / "policy" / "local")
    write(box.repo, "snspolicy.yaml", f"policy: {ref}\n")
    write(box.repo, "posts/test-x/test-post.md", MINIMAL_POST.replace('approval: {approved_by: "100001", approved_on: 2025-04-30}\n', ""))
    proc = cli("lint", str(box.repo))
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the local (lenient) policy is the one used
    assert "info [" in proc.stdout


def test_account_reviewed_does_not_write_through_a_folder_leading_outside(box: Box) -> None:
    shutil.rmtree(box.repo / "accounts")
    (box.repo / "accounts").symlink_to(box.outside / "accounts")
    proc = cli("account", "reviewed", "evil", "--repo", str(box.repo), "--on", "2025-05-01")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    # the box fixture checks that outside/accounts/evil.yaml is unchanged


def test_fix_does_not_write_through_a_folder_leading_outside(box: Box) -> None:
    shutil.rmtree(box.repo / "posts")
    (box.repo / "posts").symlink_to(box.outside / "posts")
    proc = cli("fix", str(box.repo))
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr


def test_writers_refuse_targets_leading_outside(box: Box) -> None:
    """The write functions every command uses refuse a target whose real path leaves the repo."""
    from snspolicy.core.errors import UserError
    from snspolicy.io.editing import edit_file
    from snspolicy.io.fsutil import atomic_write_text

    (box.repo / ".github").symlink_to(box.outside)
    with pytest.raises(UserError) as err:
        atomic_write_text(box.repo / ".github" / "workflows" / "snspolicy.yml", "x", root=box.repo)
    assert err.value.code == "write_outside" and err.value.path == ".github/workflows/snspolicy.yml"
    (box.repo / "evil.yaml").symlink_to(box.outside / "accounts" / "evil.yaml")
    with pytest.raises(UserError) as err:
        edit_file(box.repo / "evil.yaml", lambda t: t + "x: 1\n", root=box.repo)
    assert err.value.code == "write_outside"
    atomic_write_text(box.repo / "inside.txt", "ok", root=box.repo)  # must not fire inside
    assert (box.repo / "inside.txt").read_text(encoding="utf-8") == "ok"


def test_no_folder_is_created_outside_before_a_write_is_refused(box: Box) -> None:
    from snspolicy.core.errors import UserError
    from snspolicy.io.fsutil import atomic_write_text, ensure_inside

    (box.repo / ".github").symlink_to(box.outside)
    target = box.repo / ".github" / "new-folder" / "deeper" / "x.yml"
    with pytest.raises(UserError):
        ensure_inside(target, box.repo)
    with pytest.raises(UserError):
        atomic_write_text(target, "x", root=box.repo)
    assert not (box.outside / "new-folder").exists()
    ensure_inside(box.repo / "new" / "x.yml", box.repo)  # must not fire
