"""snspolicy.engine.preparse: part of the posts parsed by a helper process, never a different result."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from snspolicy.app import lint as pipeline
from snspolicy.app.lint import LintOptions, LintRequest
from snspolicy.engine import preparse
from snspolicy.engine.cache import ParseCache
from snspolicy.io.cachefile import CACHE_DIR
from snspolicy.io.yamlloc import load_yaml
from tests.conftest import VIOLATIONS, WITHOUT_CACHE, write

pytestmark = pytest.mark.skipif(not preparse.usable(2), reason="the helper is forked (Linux)")

TODAY = dt.date(2025, 6, 1)
POST = """---
account: ube-city-x
title: 相談会のお知らせ {i}
publish_at: 2025-05-20T10:00:00+09:00
category: event
author: "200002"
approval: {{approved_by: "100001", approved_at: 2025-05-19T10:00:00+09:00}}
tags: [相談, "{i}"]
---
第{i}回の相談会を開きます。担当者の携帯 090-1234-{i:04d} までどうぞ。
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(VIOLATIONS, dest, symlinks=True, ignore=WITHOUT_CACHE)
    for i in range(30):
        write(dest, f"posts/ube-city-x/2025/pre-{i:03d}.md", POST.format(i=i))
    monkeypatch.setattr(preparse, "MIN_POSTS", 4)
    return dest


def _lint(root: Path, **options: object) -> list[dict]:
    done = pipeline.run(LintRequest([root], options=LintOptions(lang="ja", today=TODAY, **options)))  # type: ignore[arg-type]
    return [f.to_dict() for f in done.result.findings]


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    seen = {"started": 0, "taken": 0}
    real_start, real_decode = preparse.Prefill.start, ParseCache.decode

    def start(self, posts, root):  # type: ignore[no-untyped-def]
        seen["started"] += 1
        return real_start(self, posts, root)

    def decode(raw, text, line_offset):  # type: ignore[no-untyped-def]
        seen["taken"] += 1
        return real_decode(raw, text, line_offset)

    monkeypatch.setattr(preparse.Prefill, "start", start)
    monkeypatch.setattr(ParseCache, "decode", staticmethod(decode))
    return seen


def test_the_helper_parses_part_of_the_posts_and_nothing_changes(repo, monkeypatch):
    serial = _lint(repo, jobs=1, cache=False)  # one CPU: no helper
    seen = _spy(monkeypatch)
    helped = _lint(repo, jobs=2, cache=False)
    assert seen["started"] == 1 and seen["taken"] >= 10  # the last 45 % of the posts
    assert helped == serial
    assert [f for f in helped if f["rule"] == "pii-phone" and "pre-" in f["path"]]
    assert [f for f in helped if f["rule"] == "schema"]  # locations of what the helper parsed are right too


def test_a_first_run_with_the_cache_keeps_what_the_helper_parsed(repo, monkeypatch):
    serial = _lint(repo, jobs=1, cache=False)
    seen = _spy(monkeypatch)
    first = _lint(repo, jobs=2, cache=True)
    assert seen["started"] == 1 and first == serial
    assert list((repo / CACHE_DIR).glob("yaml-*/*.txt"))
    seen.update(started=0, taken=0)
    again = _lint(repo, jobs=2, cache=True)  # the cache has parses now: no helper
    assert seen["started"] == 0 and seen["taken"] > 30 and again == serial


def test_a_helper_that_fails_leaves_everything_to_this_process(repo, monkeypatch):
    serial = _lint(repo, jobs=1, cache=False)

    def broken(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("helper bug")

    monkeypatch.setattr(preparse, "_helper", broken)
    seen = _spy(monkeypatch)
    assert _lint(repo, jobs=2, cache=False) == serial
    assert seen["started"] == 1 and seen["taken"] == 0


def test_a_text_the_helper_did_not_parse_is_never_taken(tmp_path):
    prefill = preparse.Prefill(None)
    front = "account: ube-city-x\ntitle: 元の題\n"
    raw = ParseCache.encode(load_yaml(front, 1, spans=False), rows=False)
    assert raw is not None
    prefill.entries = {ParseCache.entry_key(front, 1): raw}
    assert prefill.get(front.replace("元の題", "変えた題"), 1, spread=True) is None  # changed since: parsed here
    assert prefill.get(front, 2, spread=True) is None  # another line: another key
    found = prefill.get(front, 1, spread=True)
    assert found is not None and found.data == {"account": "ube-city-x", "title": "元の題"}
    assert found.span(("title",)) == load_yaml(front, 1).span(("title",))  # spans made from the text


def test_the_helper_is_always_reaped(repo, monkeypatch):
    pids: list[int] = []
    real_start = preparse.Prefill.start

    def start(self, posts, root):  # type: ignore[no-untyped-def]
        real_start(self, posts, root)
        pids.append(self.pid)

    monkeypatch.setattr(preparse.Prefill, "start", start)
    _lint(repo, jobs=2, cache=False)
    (repo / "posts" / "ube-city-x" / "2025" / "pre-002.md").write_bytes(b"---\n\xff\xfe: [\n---\n")  # a broken post
    _lint(repo, jobs=2, cache=False)
    assert len(pids) == 2 and all(pids)
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # no zombie left


def test_what_the_helper_parsed_shares_its_strings_as_a_parse_here_does():
    from snspolicy.io.yamlloc import share_values

    front = "account: ube-city-x\nstatus: published\ntags: [防災, 防災]\n"
    here = load_yaml(front, 1, spans=False).data
    raw = ParseCache.encode(load_yaml(front, 1, spans=False), rows=False)
    prefill = preparse.Prefill(None)
    prefill.entries = {ParseCache.entry_key(front, 1): raw}
    taken = prefill.get(front, 1, spread=True)
    assert taken is not None and taken.data == here
    for k in here:
        assert next(x for x in taken.data if x == k) is next(x for x in here if x == k)  # one key object
    assert taken.data["status"] is here["status"]
    long_text = "x" * 100
    assert share_values({"a": [long_text]}) == {"a": [long_text]}


def test_a_cache_folder_reached_through_a_link_holds_nothing(tmp_path):
    from snspolicy.io.cachefile import ensure_folder, holds_files

    cache = ensure_folder(tmp_path)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "00.txt").write_text("x", encoding="utf-8")
    os.symlink(elsewhere, cache / "yaml-linked")
    (cache / "yaml-real").mkdir()
    assert not holds_files(tmp_path, "yaml-linked", ".txt")  # never read through a link
    assert not holds_files(tmp_path, "yaml-real", ".txt") and not holds_files(tmp_path, "yaml-none", ".txt")
    (cache / "yaml-real" / "00.txt").write_text("x", encoding="utf-8")
    assert holds_files(tmp_path, "yaml-real", ".txt")


def test_a_helper_that_takes_too_long_is_not_waited_for(repo, monkeypatch):
    import time

    serial = _lint(repo, jobs=1, cache=False)

    def slow(*args):  # type: ignore[no-untyped-def]
        time.sleep(30)

    monkeypatch.setattr(preparse, "_helper", slow)
    monkeypatch.setattr(preparse, "WAIT_SECONDS", 0.3)
    seen = _spy(monkeypatch)
    started = time.monotonic()
    assert _lint(repo, jobs=2, cache=False) == serial
    assert time.monotonic() - started < 20 and seen["started"] == 1 and seen["taken"] == 0


def test_an_answer_cut_short_is_not_taken(repo, monkeypatch):
    serial = _lint(repo, jobs=1, cache=False)
    real = preparse._helper

    def cut(posts, root, rows, fd):  # type: ignore[no-untyped-def]
        read, write = os.pipe()
        real(posts, root, rows, write)  # the whole answer, into another pipe
        whole = os.read(read, 1 << 24)
        os.write(fd, whole[: len(whole) // 2])  # then half of it: the helper died while writing
        os.close(fd)

    monkeypatch.setattr(preparse, "_helper", cut)
    seen = _spy(monkeypatch)
    assert _lint(repo, jobs=2, cache=False) == serial
    assert seen["started"] == 1 and seen["taken"] == 0
