"""Item: a ``snspolicy.yaml`` that exists but is not a readable file — a folder, a named pipe,
a dangling symbolic link, a link loop, a link leading out of the repo or to a device — is exit 2
at ``snspolicy.yaml:1:1``, never silently replaced by the defaults (which would turn the roster
and registry checks off)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import Box, cli, located, no_traceback


def _directory(box: Box, p: Path) -> None:
    p.mkdir()
    (p / "policy.yaml").write_text("policy: ube/2025-04-01\n", encoding="utf-8")


def _fifo(box: Box, p: Path) -> None:
    os.mkfifo(p)


def _dangling(box: Box, p: Path) -> None:
    p.symlink_to(box.repo / "nowhere.yaml")


def _loop(box: Box, p: Path) -> None:
    other = box.repo / "other.yaml"
    other.symlink_to(p)
    p.symlink_to(other)


def _outside(box: Box, p: Path) -> None:
    p.symlink_to(box.outside / "policy" / "policy.yaml")  # an existing YAML file outside the repo


def _device(box: Box, p: Path) -> None:
    p.symlink_to("/dev/null")


CASES: dict[str, tuple[Callable[[Box, Path], None], str]] = {
    "directory": (_directory, "フォルダ"),
    "fifo": (_fifo, "通常のファイルではありません"),
    "dangling": (_dangling, "リンク"),
    "loop": (_loop, "循環"),
    "outside": (_outside, "リポジトリの外"),
    "device": (_device, "リポジトリの外"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_unreadable_config_is_exit_2(box: Box, kind: str) -> None:
    make, words = CASES[kind]
    cfg = box.repo / "snspolicy.yaml"
    cfg.unlink()
    make(box, cfg)
    proc = cli("lint", str(box.repo), timeout=60)  # a FIFO must not block the run
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    line = located(proc.stdout, "snspolicy.yaml", 1, 1)
    assert words in line, line
    as_json = cli("lint", str(box.repo), "-f", "json", timeout=60)
    assert as_json.returncode == 2 and json.loads(as_json.stdout)[0]["path"] == "snspolicy.yaml"


@pytest.mark.parametrize("kind", ["directory", "dangling"])
def test_broken_config_is_found_from_a_subfolder(box: Box, kind: str) -> None:
    """The repo root is where snspolicy.yaml is, even a broken one (not some folder above)."""
    make, _ = CASES[kind]
    cfg = box.repo / "snspolicy.yaml"
    cfg.unlink()
    make(box, cfg)
    proc = cli("lint", str(box.repo / "posts" / "test-x" / "test-post.md"), timeout=60)
    assert proc.returncode == 2
    located(proc.stdout, "snspolicy.yaml", 1, 1)


def test_absent_config_still_means_defaults(box: Box) -> None:
    """Must not fire: no snspolicy.yaml at all is the documented default configuration."""
    (box.repo / "snspolicy.yaml").unlink()
    proc = cli("lint", str(box.repo))
    assert proc.returncode == 0, proc.stdout + proc.stderr
