"""The real ``pre-commit`` with this project's ``.pre-commit-hooks.yaml``.

``pre-commit`` installs hooks from a git repository at a revision, so the test
copies the *current* project tree (uncommitted work included) into a temporary
git repository, commits it, and points a posts repo's ``.pre-commit-config.yaml``
at that commit. pre-commit then builds its own virtualenv with the project
installed from that commit (pip + hatchling from the package index), exactly as
it would for a user. A commit with a violating post must be refused with a
readable message; a clean one must go through.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLEAN, ROOT, TODAY, WITHOUT_CACHE

pytestmark = pytest.mark.slow

POST = "posts/ube-city-x/2025/2025-04-07-gan-kenshin.md"
ACCOUNT = "accounts/ube-city-x.yaml"
_IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".pytest_cache", "*.egg-info", ".venv", "venv",
                                 "node_modules", "build", "dist", ".mypy_cache", ".ruff_cache", ".hypothesis", ".benchmarks")

TIMINGS: dict[str, float] = {}


def _git_env(tmp: Path) -> dict[str, str]:
    cfg = tmp / "gitconfig"
    cfg.write_text("[init]\n\tdefaultBranch = main\n[user]\n\tname = snspolicy test\n\temail = test@example.invalid\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({"GIT_CONFIG_GLOBAL": str(cfg), "GIT_CONFIG_NOSYSTEM": "1", "SNSPOLICY_TODAY": TODAY,
                "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"), "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"})
    env.pop("SNSPOLICY_LANG", None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    r = _run(["git", *args], cwd, env)
    assert r.returncode == 0, f"git {' '.join(args)}: {r.stdout}{r.stderr}"
    return r.stdout.strip()


def _precommit(*args: str) -> list[str]:
    return [sys.executable, "-m", "pre_commit", *args]


@pytest.fixture(scope="module")
def env_and_posts(tmp_path_factory):
    """(env, posts repo, snapshot of the project) with the hooks of a commit of the current tree installed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit")
    tmp = tmp_path_factory.mktemp("precommit")
    env = _git_env(tmp)
    src = tmp / "snspolicy-src"
    shutil.copytree(ROOT, src, ignore=_IGNORE, symlinks=True)
    _git(src, env, "init", "-q")
    _git(src, env, "add", "-A")
    _git(src, env, "commit", "-q", "-m", "snspolicy under test")
    rev = _git(src, env, "rev-parse", "HEAD")

    posts = tmp / "posts"
    shutil.copytree(CLEAN, posts, symlinks=True, ignore=WITHOUT_CACHE)
    (posts / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {src.as_posix()}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: snspolicy\n"
        "      - id: snspolicy-posts\n"
        "      - id: snspolicy-accounts\n"
        "      - id: snspolicy-policy\n"
        "      - id: snspolicy-server\n",
        encoding="utf-8",
    )
    _git(posts, env, "init", "-q")
    _git(posts, env, "add", "-A")
    _git(posts, env, "commit", "-q", "-m", "posts repo")  # no hook installed yet
    r = _run(_precommit("install"), posts, env)
    assert r.returncode == 0, r.stdout + r.stderr
    t0 = time.monotonic()
    r = _run(_precommit("install-hooks"), posts, env)  # builds the hook virtualenv (pip install of the commit)
    TIMINGS["install-hooks"] = time.monotonic() - t0
    assert r.returncode == 0, r.stdout + r.stderr
    return env, posts, src  # src: the snapshot the hook environment was built from


def _commit(posts: Path, env: dict[str, str], *paths: str, message: str = "change") -> subprocess.CompletedProcess:
    _git(posts, env, "add", *paths)
    t0 = time.monotonic()
    r = _run(["git", "commit", "-m", message], posts, env)
    TIMINGS[f"commit:{message}"] = time.monotonic() - t0
    return r


def test_hooks_manifest_is_valid():
    r = subprocess.run(_precommit("validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")), capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_hooks_install_the_same_text_analysis_as_ci():
    """The hooks' environment is CI's: every package of the `all` extra (what CI installs) is a
    default dependency, and no hook adds or pins anything of its own (issue 12)."""
    import re
    import tomllib

    import yaml

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    names = {re.split(r"[<>=!~\[ ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    for extra in ("text", "images", "office"):
        for dep in extras[extra]:
            assert re.split(r"[<>=!~\[ ]", dep, maxsplit=1)[0].lower() in names, dep
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"snspolicy", "snspolicy-posts", "snspolicy-accounts", "snspolicy-policy",
                                        "snspolicy-server"}
    for h in hooks:
        assert not h.get("additional_dependencies"), h["id"]
        assert h["language"] == "python" and h["require_serial"] is True


def test_violating_post_is_refused_then_clean_commit_goes_through(env_and_posts):
    env, posts, src = env_and_posts
    head = _git(posts, env, "rev-parse", "HEAD")
    path = posts / POST
    original = path.read_text(encoding="utf-8")
    bad = "\n".join("approval: null" if line.startswith("approval:") else line for line in original.split("\n"))
    assert bad != original
    path.write_text(bad, encoding="utf-8")

    r = _commit(posts, env, POST, message="bad post")
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert _git(posts, env, "rev-parse", "HEAD") == head  # nothing was committed
    assert "Traceback" not in out
    assert "Failed" in out
    # readable: file:line:col, severity, rule id, clause and the Japanese message of the finding
    assert f"{POST}:" in out
    assert "[post-approval] 5" in out
    assert "承認" in out

    fixed = original.replace("市民の皆さんです。", "市民の皆さんです（予約制）。", 1)
    assert fixed != original
    path.write_text(fixed, encoding="utf-8")
    r = _commit(posts, env, POST, message="good post")
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert _git(posts, env, "rev-parse", "HEAD") != head
    assert "Passed" in out


def test_change_outside_the_hooks_files_skips_them(env_and_posts):
    env, posts, src = env_and_posts
    (posts / "README.md").write_text("# 見本\n", encoding="utf-8")
    r = _commit(posts, env, "README.md", message="readme")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" not in r.stdout  # every snspolicy hook was skipped (no files to check)


def test_accounts_hook_reports_only_on_the_committed_account(env_and_posts):
    env, posts, src = env_and_posts
    acc = posts / ACCOUNT
    original = acc.read_text(encoding="utf-8")
    acc.write_text(original.replace("enabled: true", "enabled: false", 1), encoding="utf-8")
    r = _run(_precommit("run", "snspolicy-accounts", "--files", ACCOUNT), posts, env)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert f"{ACCOUNT}:" in out and "[account-2fa] 4(2)" in out
    assert "posts/" not in out  # only the file passed to the hook is reported
    acc.write_text(original, encoding="utf-8")
    r = _run(_precommit("run", "snspolicy-accounts", "--files", ACCOUNT), posts, env)
    assert r.returncode == 0, r.stdout + r.stderr


def test_posts_hook_ignores_account_files(env_and_posts):
    env, posts, src = env_and_posts
    r = _run(_precommit("run", "snspolicy-posts", "--files", ACCOUNT), posts, env)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "Skipped" in out or "no files to check" in out


def test_policy_hook_runs_policy_validate(env_and_posts):
    """The hook passes exactly when ``snspolicy policy validate`` passes in the repo, with its messages."""
    env, posts, src = env_and_posts
    # the same command from the same snapshot of the code and policy the hook environment was built from
    direct = _run([sys.executable, "-m", "snspolicy", "policy", "validate"], posts,
                  {**env, "PYTHONPATH": str(src / "src")})
    r = _run(_precommit("run", "snspolicy-policy", "--files", "snspolicy.yaml"), posts, env)
    out = r.stdout + r.stderr
    assert "Traceback" not in out
    if direct.returncode == 0:
        assert r.returncode == 0 and "Passed" in r.stdout, out
    else:  # the bundled policy is incomplete in this tree: the hook must refuse with the same problems
        assert r.returncode != 0, out
        last = [ln for ln in direct.stdout.splitlines() if ln.strip()][-1]
        assert last.split(": ", 1)[-1] in out


def test_policy_hook_refuses_a_broken_local_policy(env_and_posts):
    env, posts, src = env_and_posts
    cfg = posts / "snspolicy.yaml"
    original = cfg.read_text(encoding="utf-8")
    local = posts / "policy" / "local"
    shutil.copytree(ROOT / "policy" / "ube" / "2025-04-01", local)
    rules = local / "rules" / "accounts.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("severity: error", "severity: fatal", 1), encoding="utf-8")
    cfg.write_text(original.replace("policy: ube/2025-04-01", "policy: policy/local", 1), encoding="utf-8")
    try:
        r = _run(_precommit("run", "snspolicy-policy", "--files", "policy/local/rules/accounts.yaml"), posts, env)
        out = r.stdout + r.stderr
        assert r.returncode != 0, out
        assert "rules/accounts.yaml" in out and "Traceback" not in out
    finally:
        cfg.write_text(original, encoding="utf-8")
        shutil.rmtree(posts / "policy")


def test_warm_hook_is_fast_enough_for_every_commit(env_and_posts):
    env, posts, src = env_and_posts
    t0 = time.monotonic()
    r = _run(_precommit("run", "snspolicy", "--files", POST), posts, env)
    TIMINGS["warm run (snspolicy, 1 post)"] = elapsed = time.monotonic() - t0
    assert r.returncode == 0, r.stdout + r.stderr
    print("pre-commit timings (s):", {k: round(v, 2) for k, v in TIMINGS.items()})
    assert elapsed < 20, f"the hook took {elapsed:.1f}s on one post"


def test_the_server_hook_starts_the_warm_server_the_hooks_then_use(env_and_posts):
    """`pre-commit run snspolicy-server --hook-stage manual` starts the server with the hooks' own
    environment (a server started from another Python would refuse them), and the lint hooks are then
    served, with the same result."""
    from snspolicy.app.warm import request

    env, posts, src = env_and_posts
    plain = _run(_precommit("run", "snspolicy", "--files", POST), posts, env)
    r = _run(_precommit("run", "snspolicy-server", "--hook-stage", "manual"), posts, env)
    try:
        assert r.returncode == 0, r.stdout + r.stderr
        before = request(posts, "status")
        assert before is not None
        served = _run(_precommit("run", "snspolicy", "--files", POST), posts, env)
        assert served.returncode == plain.returncode == 0, served.stdout + served.stderr
        assert request(posts, "status")["served"] == before["served"] + 1
    finally:
        request(posts, "stop")


def test_config_written_by_init_works_with_pre_commit(env_and_posts, tmp_path):
    """`snspolicy init --hook-repo … --hook-rev …` gives a .pre-commit-config.yaml that really blocks a bad commit."""
    env, _, src = env_and_posts
    rev = _git(src, env, "rev-parse", "HEAD")
    repo = tmp_path / "new-posts"
    r = _run([sys.executable, "-m", "snspolicy", "init", str(repo), "--hook-repo", src.as_posix(), "--hook-rev", rev,
              "--today", TODAY], tmp_path, {**env, "PYTHONPATH": str(src / "src")})
    assert r.returncode == 0, r.stderr
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "init")
    assert _run(_precommit("install"), repo, env).returncode == 0
    post = next((repo / "posts").rglob("*.md"))
    rel = post.relative_to(repo).as_posix()
    post.write_text(post.read_text(encoding="utf-8").replace("status: draft", "status: published", 1), encoding="utf-8")
    r = _commit(repo, env, rel, message="publish without approval")
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert f"{rel}:" in out and "[post-approval] 5" in out
