"""Small policies for the tests of tests/policy: an extending ``policy.yaml`` written in a few lines,
and a posts repo (a copy of the clean example) whose ``snspolicy.yaml`` names a local policy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import CLEAN, WITHOUT_CACHE

HEADER = """\
schema_version: 1
extends: {extends}
id: test/{name}
version: "{version}"
changelog:
  - {{version: "{version}", date: 2025-10-01, summary: {{ja: テストの変更}}}}
"""


def extending(folder: Path, body: str = "", *, extends: str = "ube/2025-04-01", version: str = "2025-10-01",
              name: str | None = None) -> Path:
    """``folder/policy.yaml`` extending ``extends`` with ``body`` (YAML sections) after the header."""
    folder.mkdir(parents=True, exist_ok=True)
    main = folder / "policy.yaml"
    main.write_text(HEADER.format(extends=extends, name=name or folder.name, version=version) + body, encoding="utf-8")
    return main


def repo_with_policy(tmp: Path, body: str = "", *, config_extra: str = "") -> Path:
    """A copy of the clean example repo whose snspolicy.yaml names ``policy/`` (extending Ube's)."""
    repo = tmp / "repo"
    shutil.copytree(CLEAN, repo, symlinks=True, ignore=WITHOUT_CACHE)
    extending(repo / "policy", body, name="local")
    cfg = repo / "snspolicy.yaml"
    text = re.sub(r"(?m)^policy: .*$", "policy: policy", cfg.read_text(encoding="utf-8"), count=1)
    cfg.write_text(text + config_extra, encoding="utf-8")
    return repo


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of ``path`` containing ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")
