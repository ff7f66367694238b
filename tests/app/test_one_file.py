"""A run on named files does work in proportion to what it names: the posts folder is listed only
when a rule needs every post, and then nothing is missed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from snspolicy.app import lint as pipeline
from snspolicy.app.lint import LintOptions, LintRequest
from snspolicy.io import repo as repo_mod
from tests.conftest import VIOLATIONS, WITHOUT_CACHE

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(VIOLATIONS, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


def _listed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    calls: list[tuple[str, ...]] = []
    real = repo_mod.discover

    def spy(root, config, errors=None, kinds=None, **kw):  # type: ignore[no-untyped-def]
        calls.append(tuple(kinds) if kinds is not None else ("all",))
        return real(root, config, errors, kinds, **kw)

    monkeypatch.setattr(repo_mod, "discover", spy)
    return calls


def _findings(paths: list[Path]) -> list[dict]:
    done = pipeline.run(LintRequest(paths, options=LintOptions(lang="en", today=TODAY)))
    return [f.to_dict() for f in done.result.findings]


def test_a_one_post_run_does_not_list_the_posts_folder(repo, monkeypatch):
    post = sorted((repo / "posts").rglob("*.md"))[0]
    whole = [f for f in _findings([repo]) if f["path"] == post.relative_to(repo).as_posix()]
    calls = _listed(monkeypatch)
    one = _findings([post])
    assert calls and all("post" not in kinds and "all" not in kinds for kinds in calls)
    assert one == whole  # the same findings for that post as in a whole-repo run


def test_an_account_run_still_sees_every_post(repo, monkeypatch):
    """account-approval reads every post of the account: the folder is listed when it asks."""
    account = sorted((repo / "accounts").glob("*.yaml"))
    rel = {a.relative_to(repo).as_posix() for a in account}
    whole = [f for f in _findings([repo]) if f["path"] in rel]
    calls = _listed(monkeypatch)
    assert [f for f in _findings(account)] == whole
    assert ("post",) in calls


def test_a_named_file_that_is_not_a_post_is_not_read_as_one(repo):
    other = repo / "posts" / "notes.txt"
    other.write_text("メモ\n", encoding="utf-8")
    done = pipeline.run(LintRequest([other], options=LintOptions(lang="en", today=TODAY)))
    assert not [d for d in done.repo.loaded if d.path == "posts/notes.txt"]
