"""Shared test helpers: the project root, temp copies of the example repos, running the real CLI."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "ube-city-posts"
VIOLATIONS = EXAMPLES / "ube-city-posts-violations"
TODAY = "2025-06-01"
# The CLI keeps a cache in the repo it lints; tests lint the bundled examples in place, which must
# stay as they are checked in. The cache has its own tests (tests/app/test_cache_and_jobs.py).
os.environ.setdefault("SNSPOLICY_NO_CACHE", "1")
#: copy an example repo as checked in, without the cache a run of the CLI may have left in it (the
#: README's first command lints an example before its second runs the tests)
WITHOUT_CACHE = shutil.ignore_patterns(".snspolicy_cache")
#: the examples' caches that were there before the tests ran (a user's run): not the tests' doing
_CACHES_BEFORE = frozenset(str(p) for p in EXAMPLES.rglob(".snspolicy_cache"))


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None,
            timeout: int = 120) -> subprocess.CompletedProcess:
    """Run ``python -m snspolicy ARGS`` as a user would, with a fixed --today via the environment."""
    full_env = {**os.environ, "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("SNSPOLICY_LANG", None)
    return subprocess.run([sys.executable, "-m", "snspolicy", *args], cwd=cwd, env=full_env, input=input,
                          capture_output=True, text=True, timeout=timeout)


def write(root: Path, rel: str, content: str | bytes) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


@pytest.fixture
def clean_repo(tmp_path: Path) -> Path:
    """A private copy of the clean example posts repo."""
    dest = tmp_path / "repo"
    shutil.copytree(CLEAN, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


@pytest.fixture
def violations_repo(tmp_path: Path) -> Path:
    dest = tmp_path / "violations"
    shutil.copytree(VIOLATIONS, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


MINIMAL_ACCOUNT = """\
id: test-x
platform: x
handle: "@test_x"
url: https://x.com/test_x
purpose: テスト用アカウント
departments: [広報広聴課]
manager: {name: 山田 太郎, employee_id: "100001", title: 広報広聴課長}
deputies: []
approval: {approved_by: "100001", approved_on: 2025-04-01}
operating_rules: https://www.city.ube.yamaguchi.jp/rules.html
holders:
  - {name: 佐藤 花子, employee_id: "200002", department: 広報広聴課, assigned_on: 2025-04-01}
  - {name: 鈴木 一郎, employee_id: "200003", department: 広報広聴課, assigned_on: 2025-04-01}
holders_exception: null
security:
  two_factor: {enabled: true, method: totp}
  password: {min_length: 16, managed_by: password-manager, unique: true, last_changed_on: 2025-04-01}
  reviewed_on: 2025-04-01
registry_submitted_on: 2025-04-02
profile:
  disclaimer_url: https://www.city.ube.yamaguchi.jp/disclaimer.html
status: active
"""

def account_yaml(account_id: str, platform: str = "x", day: str = "2025-01-06") -> str:
    """A valid account file (two holders, TOTP, a password policy that passes) for rule tests."""
    submitted = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    return (
        MINIMAL_ACCOUNT.replace("id: test-x", f"id: {account_id}")
        .replace("platform: x", f"platform: {platform}")
        .replace('handle: "@test_x"', f'handle: "@{account_id.replace("-", "_")}"')
        .replace("https://x.com/test_x", f"https://example.jp/{account_id}")
        .replace("2025-04-02", submitted)
        .replace("2025-04-01", day)
    )


MINIMAL_POST = """\
---
id: test-post
account: test-x
status: published
publish_at: 2025-05-01T09:00:00+09:00
category: tourism
author: {employee_id: "200002"}
approval: {approved_by: "100001", approved_on: 2025-04-30}
consultation: false
---
ときわ公園の花が見ごろです。
"""


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """The smallest valid posts repo: one account, one post, no roster."""
    root = tmp_path / "mini"
    write(root, "snspolicy.yaml", "policy: ube/2025-04-01\nfail_on: error\n")
    write(root, "accounts/test-x.yaml", MINIMAL_ACCOUNT)
    write(root, "posts/test-x/test-post.md", MINIMAL_POST)
    return root


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test left a cache folder in the bundled examples (they must stay as
    checked in; a test that runs the CLI with its own environment must pass SNSPOLICY_NO_CACHE)."""
    stray = sorted(str(p.relative_to(ROOT)) for p in EXAMPLES.rglob(".snspolicy_cache") if str(p) not in _CACHES_BEFORE)
    if stray:
        print(f"\ntests left a cache in the examples: {stray}", file=sys.stderr)
        session.exitstatus = 1
