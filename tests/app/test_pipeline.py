"""There is one lint pipeline: whole-repo runs, named paths, ``--base`` and ``--policy-from`` all go
through :func:`snspolicy.app.lint.lint`, and every :class:`LintOptions` field reaches the engine in
every mode — so a new option added to the pipeline cannot be forgotten in one of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from snspolicy.app import lint as pipeline
from snspolicy.app.lint import LintOptions, LintRequest
from snspolicy.engine import core as engine_core
from tests.conftest import WITHOUT_CACHE

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ube-city-posts"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pipeline") / "posts"
    shutil.copytree(EXAMPLE, root, ignore=WITHOUT_CACHE)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    post = next((root / "posts").rglob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\n追記です。\n", encoding="utf-8")
    return root


def _options() -> LintOptions:
    """A non-default value for every field, so that each one can be traced to the engine."""
    values = {"lang": "en", "today": dt.date(2026, 1, 15), "select": lambda spec: True,
              "progress": lambda n, total: None, "jobs": 3, "cache": True}
    missing = [f.name for f in dataclasses.fields(LintOptions) if f.name not in values]
    assert not missing, f"new LintOptions fields need a value here and a path to the engine: {missing}"
    return LintOptions(**values)


MODES = {
    "whole repo": {},
    "one file": {"file": True},
    "--base": {"base": "main"},
    "--policy-from": {"policy_from": "main"},
    "--base --policy-from": {"base": "main", "policy_from": "main"},
}


@pytest.mark.parametrize("mode", list(MODES))
def test_every_mode_goes_through_the_one_lint_and_every_option_reaches_the_engine(repo, mode, monkeypatch):
    calls: list[str] = []
    seen: dict[str, object] = {}
    real_lint = pipeline.lint
    real_init = engine_core.Engine.__init__

    def spy_lint(setup, selection, options):  # type: ignore[no-untyped-def]
        calls.append("lint")
        return real_lint(setup, selection, options)

    def spy_init(self, repo_, policy, **kw):  # type: ignore[no-untyped-def]
        seen.update(kw)
        real_init(self, repo_, policy, **kw)

    monkeypatch.setattr(pipeline, "lint", spy_lint)
    monkeypatch.setattr(engine_core.Engine, "__init__", spy_init)
    monkeypatch.chdir(repo)
    spec = MODES[mode]
    paths = [next((repo / "posts").rglob("*.md"))] if spec.get("file") else [repo]
    options = _options()
    run = pipeline.run(LintRequest(paths, base=spec.get("base"), policy_from=spec.get("policy_from"), options=options))
    assert calls == ["lint"]
    for f in dataclasses.fields(LintOptions):
        assert seen.get(f.name) is getattr(options, f.name), f"option {f.name} did not reach the engine ({mode})"
    assert run.result.findings is not None


def test_the_application_has_one_engine_call_site():
    """Nothing but app/lint.py constructs the engine (policy diff --impact, the change workflow and
    the editor integration all call the pipeline)."""
    src = Path(pipeline.__file__).resolve().parents[1]
    users = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                   if "Engine(" in p.read_text(encoding="utf-8") and p.name != "core.py")
    assert users == ["app/lint.py"]
