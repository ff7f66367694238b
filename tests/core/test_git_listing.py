"""The listing git makes while the repo is read (snspolicy.io.repo.GitListing) is git_files' answer."""

from __future__ import annotations

import subprocess
from pathlib import Path

from snspolicy.io.repo import GitListing, git_files


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def _repo(tmp_path: Path, files: int) -> Path:
    root = tmp_path / "r"
    (root / "posts" / "a").mkdir(parents=True)
    _git(root, "init", "-q")
    for i in range(files):
        (root / "posts" / "a" / f"投稿-{i:05d}-{'x' * 40}.md").write_text("---\n---\n", encoding="utf-8")
    (root / ".gitignore").write_text("ignored.txt\n", encoding="utf-8")
    (root / "ignored.txt").write_text("x", encoding="utf-8")
    _git(root, "add", "posts/a")
    (root / "untracked.yaml").write_text("a: 1\n", encoding="utf-8")
    return root


def test_the_background_listing_is_git_files(tmp_path):
    # more names than a pipe holds by default (64 KiB), so git must not wait for the reader
    root = _repo(tmp_path, 1500)
    listing = GitListing(root)
    got = listing.result()
    assert got == git_files(root) and got is not None
    assert "untracked.yaml" in got and "ignored.txt" not in got and len(got) == 1502
    assert listing.result() == got  # asked again: git is asked again, same answer


def test_outside_git_there_is_no_listing(tmp_path):
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    assert GitListing(tmp_path).result() is None


def test_a_listing_not_needed_leaves_no_process(tmp_path):
    root = _repo(tmp_path, 3)
    listing = GitListing(root)
    proc = listing.proc
    assert proc is not None
    listing.cancel()
    assert proc.returncode is not None and listing.proc is None


def test_names_are_decoded_as_each_name_alone():
    """git's NUL-separated output decoded in one piece gives each name as decoded alone: invalid
    UTF-8 (a Shift_JIS file name) kept as escapes, duplicates once, sorted."""
    from snspolicy.io.repo import _names

    raw = b"b.md\0a\xe3\x81\0\x83\x65\x83\x58\x83\x67.txt\0b.md\0\xe3\x81\x82.md\0\0"
    one_by_one = sorted({n.decode("utf-8", "surrogateescape") for n in raw.split(b"\0") if n})
    assert _names(raw) == one_by_one
    assert _names(b"") == []
    assert "a\udce3\udc81" in _names(raw)
