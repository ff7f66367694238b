"""Repo.text_files(only): a one-file run lists just its files, exactly as the full listing would (issue 15)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from snspolicy.io.config import Config
from snspolicy.io.repo import Repo


def _tree(root: Path) -> None:
    for rel in ("a.txt", "posts/x.md", "posts/sub/y.md", "node_modules/k.txt", "ign.env", "outside-dir/z.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    os.symlink(root / "posts", root / "linked")  # a linked folder is not entered


@pytest.mark.parametrize("git", [False, True])
def test_named_files_equal_the_filtered_full_listing(tmp_path: Path, git: bool) -> None:
    _tree(tmp_path)
    if git:
        (tmp_path / ".gitignore").write_text("ign.env\n", encoding="utf-8")
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    repo = Repo(root=tmp_path, config=Config())
    only = {"a.txt", "posts/sub/y.md", "node_modules/k.txt", "ign.env", "linked/x.md", "missing.md", "posts", "../a.txt"}
    full = [p for p in repo.text_files() if repo.rel(p) in only]
    named = list(repo.text_files(only))
    assert named == full
    assert [repo.rel(p) for p in named][:1] == ["a.txt"]
