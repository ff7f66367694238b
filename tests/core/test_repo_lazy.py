"""A one-file run reads only the selected post, until a rule asks for all posts."""

from __future__ import annotations

from conftest import MINIMAL_POST, run_cli, write
from snspolicy.io import config as config_mod
from snspolicy.io.repo import load_repo


def test_unselected_posts_are_read_on_demand(mini_repo):
    for i in range(5):
        write(mini_repo, f"posts/test-x/p{i}.md", MINIMAL_POST.replace("id: test-post", f"id: p{i}"))
    cfg = config_mod.load(mini_repo)
    repo = load_repo(mini_repo, cfg, only={"posts/test-x/p0.md"})
    assert [d.path for d in repo.selected_documents() if d.kind == "post"] == ["posts/test-x/p0.md"]
    assert repo.deferred and not repo.pending  # the posts folder is not even listed yet
    assert len(repo.by_kind("post")) == 6 and not repo.pending and not repo.deferred  # test-post and p0..p4


def test_one_file_run_still_sees_cross_file_facts(mini_repo):
    # an account in the selection still sees every post of the account (3(1) looks at the first post)
    acc = (mini_repo / "accounts/test-x.yaml").read_text(encoding="utf-8")
    write(mini_repo, "accounts/test-x.yaml", acc.replace("approved_on: 2025-04-01", "approved_on: 2025-05-15"))
    proc = run_cli("lint", str(mini_repo / "accounts/test-x.yaml"))
    assert proc.returncode == 1 and "account-approval" in proc.stdout
    # and a broken, unselected post neither fails nor hides the run
    write(mini_repo, "posts/test-x/broken.md", "---\na: [1\n---\n")
    proc = run_cli("lint", str(mini_repo / "posts/test-x/test-post.md"))
    assert proc.returncode == 0, proc.stdout


def test_a_changed_config_relints_everything(mini_repo):
    acc = (mini_repo / "accounts/test-x.yaml").read_text(encoding="utf-8")
    write(mini_repo, "accounts/test-x.yaml", acc.replace("enabled: true", "enabled: false"))
    proc = run_cli("lint", str(mini_repo / "snspolicy.yaml"))
    assert proc.returncode == 1 and "account-2fa" in proc.stdout


def test_posts_the_listing_calls_regular_files_are_read_without_lstat(mini_repo, monkeypatch, tmp_path):
    """The folder listing already tells a regular file from a link (one system call less per post);
    a link among the posts still takes the careful way and is refused when it leads outside."""
    import os
    import re

    from snspolicy.io import textfile

    for i in range(3):
        write(mini_repo, f"posts/test-x/p{i}.md", MINIMAL_POST.replace("id: test-post", f"id: p{i}"))
    outside = tmp_path / "outside.md"
    outside.write_text(MINIMAL_POST.replace("id: test-post", "id: elsewhere"), encoding="utf-8")
    os.symlink(outside, mini_repo / "posts" / "test-x" / "linked.md")
    looked: list[str] = []
    real = os.lstat

    def spy(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        looked.append(os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(textfile.os, "lstat", spy)
    repo = load_repo(mini_repo, config_mod.load(mini_repo))
    assert sorted(d.path for d in repo.documents if d.kind == "post" and "/p" in d.path) == \
        [f"posts/test-x/p{i}.md" for i in range(3)]
    assert not [p for p in looked if re.search(r"/p[0-9]\.md$", p)]
    assert [e.error.code for e in repo.errors if e.path.endswith("linked.md")] == ["symlink_outside"]


def test_posts_are_listed_in_the_order_of_their_paths_as_path_objects(mini_repo):
    """discover gives paths as text, in the order Path objects sort in (by component: a/x before
    a-b/x, which plain text order would swap), so documents come in the same order as before."""
    from pathlib import Path

    from snspolicy.io.repo import discover

    for folder in ["a", "a-b", "a.b", "a b", "A", "日本", "a/b", "a/b-c", "a0", "a-"]:
        for name in ["x.md", "x-y.md", "x.y.md", "Ｘ.md"]:
            write(mini_repo, f"posts/{folder}/{name}", MINIMAL_POST)
    listed = [p for kind, p in discover(mini_repo, config_mod.load(mini_repo)) if kind == "post"]
    assert all(isinstance(p, str) for p in listed)
    assert listed == [str(p) for p in sorted(Path(p) for p in listed)]
    assert listed != sorted(listed)  # text order differs here: the test can tell the two apart


def test_file_names_are_matched_as_fnmatchcase_matches_them():
    """The kinds' name patterns, compiled into one, accept exactly the names fnmatchcase accepts."""
    import fnmatch
    import itertools

    from snspolicy.io.repo import KIND_GLOBS, _names_matching

    parts = ["", "x", ".", "md", "MD", "yaml", "yml", "y", "\n", "-", "*", "[", "]", "日本", ".md"]
    names = {"".join(p) for n in range(1, 5) for p in itertools.product(parts, repeat=n)}
    for _kind, _key, patterns, _recursive in KIND_GLOBS:
        wanted = _names_matching(patterns)
        for name in names:
            assert bool(wanted(name)) == any(fnmatch.fnmatchcase(name, p) for p in patterns), (patterns, name)
