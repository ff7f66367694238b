"""The per-document phase (snspolicy.engine.documents): the cache never hides a change, and the
result is the same with one process or several."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from snspolicy.app import lint as pipeline
from snspolicy.app.lint import LintOptions, LintRequest
from snspolicy.engine import cache as cache_mod
from snspolicy.engine import documents
from snspolicy.io.cachefile import CACHE_DIR
from tests.conftest import VIOLATIONS, WITHOUT_CACHE, run_cli, write

TODAY = dt.date(2025, 6, 1)
CACHE_ON = {"SNSPOLICY_NO_CACHE": "0"}  # the test session turns the CLI's cache off (tests/conftest.py)
PHONE_POST = """---
account: ube-city-x
title: 相談会のお知らせ
publish_at: 2025-05-20T10:00:00+09:00
category: event
author: "200002"
approval: {approved_by: "100001", approved_at: 2025-05-19T10:00:00+09:00}
---
相談会を開きます。担当者の携帯 090-1234-5678 までどうぞ。
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(VIOLATIONS, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


def _lint(root: Path, **options: object) -> tuple[list[dict], int]:
    opts = LintOptions(lang="ja", today=TODAY, **options)  # type: ignore[arg-type]
    done = pipeline.run(LintRequest([root], options=opts))
    return [f.to_dict() for f in done.result.findings], done.result.exit_code(done.setup.config.fail_on)


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = documents.check_batch

    def spy(engine, docs, rules):  # type: ignore[no-untyped-def]
        seen.extend(d.path for d in docs)
        return real(engine, docs, rules)

    monkeypatch.setattr(documents, "check_batch", spy)
    return seen


def test_a_second_run_reads_the_cache_and_gives_the_same_result(repo, monkeypatch):
    first, code1 = _lint(repo, cache=True)
    assert code1 == 1 and first
    assert list((repo / CACHE_DIR).glob("v*/*.json"))
    assert (repo / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    seen = _count_checks(monkeypatch)
    second, code2 = _lint(repo, cache=True)
    assert seen == []  # every document came from the cache
    assert second == first and code2 == code1


def test_without_the_cache_nothing_is_written(repo):
    _lint(repo, cache=False)
    assert not (repo / CACHE_DIR).exists()


def test_an_edited_post_is_checked_again(repo, monkeypatch):
    _lint(repo, cache=True)
    post = repo / "posts" / "ube-city-x" / "2025" / "cache-edit.md"
    write(repo, post.relative_to(repo).as_posix(), PHONE_POST.replace("090-1234-5678", "0836-31-1111"))
    before, _ = _lint(repo, cache=True)
    assert not [f for f in before if f["path"].endswith("cache-edit.md") and f["rule"] == "pii-phone"]
    post.write_text(PHONE_POST, encoding="utf-8")
    seen = _count_checks(monkeypatch)
    after, _ = _lint(repo, cache=True)
    assert seen == ["posts/ube-city-x/2025/cache-edit.md"]
    assert [f for f in after if f["path"].endswith("cache-edit.md") and f["rule"] == "pii-phone"]


@pytest.mark.parametrize("change", ["config", "account", "roster", "today", "lang", "select", "policy-param",
                                    "tokenizer"])
def test_every_shared_input_is_part_of_the_key(repo, change, monkeypatch):
    from snspolicy.app.setup import prepare
    from snspolicy.io.repo import load_repo

    def key() -> str:
        setup = prepare([repo])
        r = load_repo(setup.root, setup.config)
        today = TODAY + dt.timedelta(days=1) if change == "today" and done else TODAY
        lang = "en" if change == "lang" and done else "ja"
        rules = ["pii-phone"] if change == "select" and done else ["pii-phone", "text-obscene"]
        if change == "policy-param" and done:
            next(iter(setup.policy.rules.values())).params["__probe__"] = 1
        return cache_mod.run_key(r, setup.policy, lang=lang, today=today, rule_ids=rules)

    done = False
    k1 = key()
    assert key() == k1  # stable when nothing changes
    done = True
    if change == "config":
        cfg = repo / "snspolicy.yaml"
        cfg.write_text(cfg.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif change == "account":
        acc = next((repo / "accounts").glob("*.yaml"))
        acc.write_text(acc.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif change == "roster":
        from snspolicy.app.setup import prepare as p2

        roster = repo / p2([repo]).config.roster  # type: ignore[operator]
        roster.write_bytes(roster.read_bytes() + b"\n")
    elif change == "tokenizer":  # another analyzer finds other words
        monkeypatch.setenv("SNSPOLICY_TOKENIZER", "charclass")
    assert key() != k1


def test_entries_with_a_fatal_finding_are_never_stored(repo, monkeypatch):
    from snspolicy.rules import text_pii

    def boom(doc, ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    from snspolicy.rules.api import REGISTRY

    impl = REGISTRY["pii-phone"]
    monkeypatch.setitem(REGISTRY, "pii-phone", impl.__class__(**{**impl.__dict__, "func": boom}))
    _, code = _lint(repo, cache=True)
    assert code == 2
    monkeypatch.setitem(REGISTRY, "pii-phone", impl)
    seen = _count_checks(monkeypatch)
    _lint(repo, cache=True)
    assert seen  # the posts with the crash were checked again
    assert text_pii  # the real module is untouched


def test_a_damaged_cache_file_is_a_miss(repo):
    first, _ = _lint(repo, cache=True)
    for f in (repo / CACHE_DIR).glob("v*/*.json"):
        f.write_text("{not json", encoding="utf-8")
    again, _ = _lint(repo, cache=True)
    assert again == first
    for f in (repo / CACHE_DIR).glob("v*/*.json"):
        data = json.loads(f.read_text(encoding="utf-8"))
        for key in data["entries"]:
            data["entries"][key] = {"f": [["x"]], "b": [], "i": False}  # an entry of the wrong shape
        f.write_text(json.dumps(data), encoding="utf-8")
    assert _lint(repo, cache=True)[0] == first


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def test_a_cache_committed_to_git_stops_the_run(repo):
    """A cache in a pull request could claim that posts were checked: exit 2, never used."""
    _lint(repo, cache=True)
    _git(repo, "init", "-q")
    _git(repo, "add", "-f", CACHE_DIR)
    cp = run_cli("lint", ".", cwd=repo, env=CACHE_ON)
    assert cp.returncode == 2, cp.stdout + cp.stderr
    assert "git rm -r --cached .snspolicy_cache" in cp.stdout + cp.stderr
    assert run_cli("lint", ".", "--no-cache", cwd=repo).returncode == 1


def test_a_link_inside_the_cache_is_not_followed(repo, tmp_path, monkeypatch):
    first, _ = _lint(repo, cache=True)
    (run_dir,) = [p for p in (repo / CACHE_DIR).iterdir() if p.is_dir() and p.name.startswith("v")]
    outside = tmp_path / "planted"
    shutil.copytree(run_dir, outside)
    shutil.rmtree(run_dir)
    os.symlink(outside, run_dir)  # entries elsewhere, reached through a link: never read nor written
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    seen = _count_checks(monkeypatch)
    again, _ = _lint(repo, cache=True)
    assert again == first and seen  # checked again, not read through the link
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


def test_a_cache_file_that_is_a_link_is_not_read(repo, tmp_path, monkeypatch):
    """The file itself (not only its folder) may be a planted link: opened without following it."""
    first, _ = _lint(repo, cache=True)
    (run_dir,) = [p for p in (repo / CACHE_DIR).iterdir() if p.is_dir() and p.name.startswith("v")]
    outside = tmp_path / "planted"
    outside.mkdir()
    for shard in run_dir.iterdir():
        target = outside / shard.name
        shard.rename(target)
        os.symlink(target, shard)
    seen = _count_checks(monkeypatch)
    again, _ = _lint(repo, cache=True)
    assert again == first and seen  # every entry was behind a link: all checked again


def test_a_one_file_run_reads_and_writes_one_shard(repo, monkeypatch):
    from snspolicy.io import cachefile

    _lint(repo, cache=True)
    post = next((repo / "posts").rglob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\n追記です。\n", encoding="utf-8")
    reads: list[str] = []
    writes: list[str] = []
    real_read, real_write = cachefile.read_cache, cachefile.write_cache
    monkeypatch.setattr(cachefile, "read_cache", lambda root, name: reads.append(name) or real_read(root, name))
    monkeypatch.setattr(cachefile, "write_cache",
                        lambda root, name, data: writes.append(name) or real_write(root, name, data))
    done = pipeline.run(LintRequest([post], options=LintOptions(lang="ja", today=TODAY, cache=True)))
    assert done.result.findings is not None
    doc_shards = {n for n in reads if n.startswith("v")}
    # the post's entry and the secret scan's memo of the edited file: one or two shards written, not
    # all of them; read besides: the three of the combined lexicon's remembered validation, term
    # analysis and pattern prefilters
    assert 1 <= len([n for n in writes if n.startswith("v")]) <= 2 and len(doc_shards) <= 5
    # its parsed front matter and its schema pass: unchanged (only the body was edited), nothing to write
    assert not [n for n in writes if n.startswith(("yaml-", "schema-"))]
    # parsed YAML read from two files: the post's shard and the one of accounts, press releases,
    # settings and policy files (not one per press release: they grow with the repo)
    assert len({n for n in reads if n.startswith("yaml-")}) == 2
    assert len(list((repo / CACHE_DIR).glob("v*/*.json"))) > 4


def test_a_cache_folder_that_is_a_link_stops_the_run(repo, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, repo / CACHE_DIR)
    cp = run_cli("lint", ".", cwd=repo, env=CACHE_ON)
    assert cp.returncode == 2, cp.stdout + cp.stderr
    assert CACHE_DIR in cp.stdout + cp.stderr
    assert list(outside.iterdir()) == []  # nothing written outside the repo


def test_the_cli_uses_the_cache_by_default(repo):
    cp = run_cli("lint", ".", "-f", "json", cwd=repo, env=CACHE_ON)
    assert cp.returncode == 1
    assert list((repo / CACHE_DIR).glob("v*/*.json"))
    again = run_cli("lint", ".", "-f", "json", cwd=repo, env=CACHE_ON)
    assert again.stdout == cp.stdout


def _many_posts(repo: Path, n: int) -> None:
    for i in range(n):
        text = PHONE_POST if i % 7 == 0 else PHONE_POST.replace("090-1234-5678", "0836-31-1111")
        write(repo, f"posts/ube-city-x/2025/many-{i:03d}.md", text.replace("相談会を開きます", f"第{i}回の相談会を開きます"))


def test_several_processes_give_the_same_result_as_one(repo, monkeypatch):
    _many_posts(repo, 24)
    serial, code1 = _lint(repo, jobs=1)
    used: list[int] = []
    real = documents._parallel

    def spy(engine, docs, todo, rules, jobs, *rest):  # type: ignore[no-untyped-def]
        used.append(jobs)
        yield from real(engine, docs, todo, rules, jobs, *rest)

    monkeypatch.setattr(documents, "_parallel", spy)
    monkeypatch.setattr(documents, "MIN_PER_JOB", 2)
    parallel, code2 = _lint(repo, jobs=3)
    assert used == [3]
    assert parallel == serial and code1 == code2
    assert sum(1 for f in parallel if f["rule"] == "pii-phone" and "many-" in f["path"]) == 4


def _memo_keys(root: Path) -> set[str]:
    keys: set[str] = set()
    for shard in (root / CACHE_DIR).glob("v*/*.json"):
        memo = json.loads(shard.read_text(encoding="utf-8")).get("memo", {})
        keys.update(json.loads(memo) if isinstance(memo, str) else memo)  # kept as a JSON text inside the file
    return keys


def test_what_workers_compute_for_the_cache_is_saved_as_in_one_process(repo, tmp_path, monkeypatch):
    """Values the rules keep in the cache (the lexicon's checked terms, patterns' prefilters) are
    computed in the worker processes of a whole-repo run: they are sent back and saved, so that the
    next one-file run does not compute them again."""
    _many_posts(repo, 24)
    other = tmp_path / "other"
    shutil.copytree(repo, other, symlinks=True)
    _lint(other, jobs=1, cache=True)
    monkeypatch.setattr(documents, "MIN_PER_JOB", 2)
    _lint(repo, jobs=2, cache=True)
    serial, parallel = _memo_keys(other), _memo_keys(repo)
    assert any(k.startswith("lexicon|") for k in serial)
    assert parallel == serial


def test_a_batch_finds_in_each_document_what_checking_it_alone_finds(repo, monkeypatch):
    """Documents are checked in batches, rule by rule: each document's findings (their order too),
    its schema verdict and the values dropped as already explained are those of checking it alone."""
    _many_posts(repo, 12)
    for name, text in BAD_VALUE_POSTS.items():  # values the schema rejects, in the middle of batches
        write(repo, f"posts/ube-city-x/2025/{name}", text)
    account = repo / "accounts" / "ube-city-x.yaml"  # a rejected value that a rule reports too (not first)
    text = account.read_text(encoding="utf-8")
    account.write_text(text.replace("two_factor: {enabled: true", 'two_factor: {enabled: "yes"'), encoding="utf-8")
    monkeypatch.setattr(documents, "BATCH", 5)
    real = documents.check_batch
    sizes: list[int] = []
    compared: list[int] = []
    invalid_inside: list[str] = []

    def spy(engine, docs, rules):  # type: ignore[no-untyped-def]
        entries, spent = real(engine, docs, rules)
        sizes.append(len(docs))
        for k, (doc, entry) in enumerate(zip(docs, entries)):
            alone = real(engine, [doc], rules)[0][0]
            assert [f.to_dict() for f in alone.findings] == [f.to_dict() for f in entry.findings], doc.path
            assert (alone.invalid, alone.bad_values, alone.schema_pass) == \
                (entry.invalid, entry.bad_values, entry.schema_pass)
            compared.append(len(entry.findings))
            if entry.invalid and k > 0 and not entries[0].invalid:
                invalid_inside.append(doc.path)
        return entries, spent

    monkeypatch.setattr(documents, "check_batch", spy)
    batched, _ = _lint(repo, jobs=1)
    assert max(sizes) == 5 and sum(sizes) == len(compared) > 20
    assert sum(1 for n in compared if n) > 10  # many documents with findings
    assert invalid_inside  # a rejected document after a valid one in its batch
    monkeypatch.setattr(documents, "check_batch", real)
    monkeypatch.setattr(documents, "BATCH", 1)
    assert _lint(repo, jobs=1)[0] == batched


def test_the_text_memos_hold_a_whole_batch():
    """The per-text memos of the detectors (links, hashtags, dates) are read by several rules of the
    same post, one rule over the whole batch after the other: they must hold every text of a batch
    (a post has up to four: its body, normalized, as posted, per platform)."""
    from snspolicy.text.matches import TEXT_MEMO

    assert TEXT_MEMO >= 4 * documents.BATCH


def test_the_first_use_of_an_account_is_remembered_and_never_stale(repo, monkeypatch):
    """account-approval compares an account's approval with its first post: what it found over every
    post is kept in the cache under the digests of the posts and accounts read. An unchanged repo
    does not read them again; a post moved before the approval changes the result."""
    from snspolicy.rules import accounts as accounts_rules

    post = repo / "posts" / "ube-city-x" / "2025" / "2025-04-07-gan-kenshin.md"
    assert "publish_at: 2025-04-07T09:00:00+09:00" in post.read_text(encoding="utf-8")
    first, _ = _lint(repo, cache=True)
    late = lambda fs: [f for f in fs if f["rule"] == "account-approval" and f["path"] == "accounts/ube-city-x.yaml"]
    assert late(first) == []
    calls: list[int] = []
    real = accounts_rules._first_use_rows
    monkeypatch.setattr(accounts_rules, "_first_use_rows", lambda ctx: calls.append(1) or real(ctx))
    assert _lint(repo, cache=True)[0] == first and calls == []  # read from the cache
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("publish_at: 2025-04-07T09:00:00+09:00", "publish_at: 2025-03-20T09:00:00+09:00"),
                    encoding="utf-8")
    moved, _ = _lint(repo, cache=True)
    assert calls == [1] and len(late(moved)) == 1 and "2025-03-20" in late(moved)[0]["message"]
    assert moved == _lint(repo, cache=False)[0]
    post.write_text(text, encoding="utf-8")
    assert _lint(repo, cache=True)[0] == first


def test_a_worker_that_dies_loses_no_document(repo, monkeypatch):
    _many_posts(repo, 12)
    serial, _ = _lint(repo, jobs=1)

    def die(chunk):  # type: ignore[no-untyped-def]
        os._exit(3)

    monkeypatch.setattr(documents, "_work", die)
    monkeypatch.setattr(documents, "MIN_PER_JOB", 2)
    assert _lint(repo, jobs=2)[0] == serial


def test_the_cli_takes_jobs(repo):
    _many_posts(repo, 10)
    one = run_cli("lint", ".", "-f", "json", "--no-cache", "-j", "1", cwd=repo)
    two = run_cli("lint", ".", "-f", "json", "--no-cache", "--jobs", "2", cwd=repo)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert run_cli("lint", ".", "-j", "0", cwd=repo).returncode == 2  # click: a usage error


def test_the_secret_scan_of_an_unchanged_post_needs_no_second_read(repo, monkeypatch):
    from snspolicy.domain import secretscan

    first, _ = _lint(repo, cache=True)
    read: list[str] = []
    real = secretscan.read_for_scan
    monkeypatch.setattr(secretscan, "read_for_scan", lambda path, n=2_000_000: read.append(str(path)) or real(path, n))
    again, _ = _lint(repo, cache=True)
    assert again == first
    assert not [p for p in read if p.endswith(".md") and "/posts/" in p]  # known by the digest read at load


def _posts_read_again(monkeypatch: pytest.MonkeyPatch, change: bool) -> list[str]:
    """Spy on the secret scan's reads of posts (``change``: each read gets one more line)."""
    from snspolicy.domain import secretscan

    real = secretscan.read_for_scan
    read: list[str] = []

    def spy(path, n=2_000_000):  # type: ignore[no-untyped-def]
        data = real(path, n)
        if str(path).endswith(".md") and "/posts/" in str(path).replace(os.sep, "/"):
            read.append(str(path))
            if change and data is not None:
                data += b"\n"
        return data

    monkeypatch.setattr(secretscan, "read_for_scan", spy)
    return read


def test_the_secret_scan_reads_no_post_twice_and_sees_what_was_loaded(repo, monkeypatch):
    """A post read as a document is scanned for secrets in the text read at load, even in a cold
    run: no second read, and a file changed on disk meanwhile is judged as it was read (like every
    other rule), not as it is now."""
    write(repo, "posts/ube-city-x/2025/secret.md", PHONE_POST.replace("までどうぞ。", "までどうぞ。\r\npassword: Kx8#qT2vLm9!"))
    baseline, code = _lint(repo, cache=False)
    assert code == 1 and any(f["rule"] == "secret-in-repo" and f["path"].endswith("secret.md") for f in baseline)
    read = _posts_read_again(monkeypatch, change=True)
    assert _lint(repo, cache=True) == (baseline, 1)
    assert read == []


def test_a_file_changed_during_the_run_stops_it(repo, monkeypatch):
    """A post too long to be sure its text is whole within ``max_file_bytes`` is read again by the
    secret scan: bytes that differ from those read at load are exit 2 (never a result filed under
    the wrong digest)."""
    posts = sorted((repo / "posts").rglob("*.md"))
    biggest = max(p.stat().st_size for p in posts)
    config = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    write(repo, "snspolicy.yaml", config + f"rules:\n  secret-in-repo:\n    params: {{max_file_bytes: {biggest}}}\n"
                                           "    reason: テスト\n")
    assert all(5 * len(p.read_text(encoding="utf-8")) + 3 > biggest for p in posts)  # each is read again
    read = _posts_read_again(monkeypatch, change=True)
    done = pipeline.run(LintRequest([repo], options=LintOptions(lang="en", today=TODAY, cache=True)))
    assert read
    assert done.result.exit_code(done.setup.config.fail_on) == 2
    assert any("changed while it was being checked" in f.message for f in done.result.findings)


BAD_VALUE_POSTS = {
    "bad-date.md": PHONE_POST.replace("publish_at: 2025-05-20T10:00:00+09:00", "publish_at: 2025-13-45"),
    "bad-account.md": PHONE_POST.replace("account: ube-city-x", "account: [ube-city-x]"),
    "bad-approval.md": PHONE_POST.replace('approval: {approved_by: "100001", approved_at: 2025-05-19T10:00:00+09:00}',
                                          "approval: yes"),
    "bad-author.md": PHONE_POST.replace('author: "200002"', "author: {name: 2}"),
}


@pytest.mark.parametrize("jobs", [1, 3])
def test_rules_that_read_the_whole_repo_drop_what_the_schema_explains(repo, monkeypatch, jobs):
    """The rules that read more than one document run while the workers check the documents,
    before it is known which documents and values the schema rejected: what they report on a
    rejected value, and their crashes on a rejected document, are left out afterwards, exactly
    as when every rule runs per document (here: every rule is made one of them)."""
    import dataclasses

    from snspolicy.engine import core

    _many_posts(repo, 12)
    for name, text in BAD_VALUE_POSTS.items():
        write(repo, f"posts/ube-city-x/2025/{name}", text)
    account = repo / "accounts" / "ube-bousai-x.yaml"
    text = account.read_text(encoding="utf-8")
    assert "two_factor: {enabled: true" in text
    account.write_text(text.replace("two_factor: {enabled: true", 'two_factor: {enabled: "yes"'), encoding="utf-8")
    real_impl = core.implementation

    def crashing(spec):  # type: ignore[no-untyped-def]
        impl = real_impl(spec)
        if spec.id != "post-author" or impl is None:
            return impl

        def func(doc, ctx):  # type: ignore[no-untyped-def]
            if "/bad-" in doc.path:
                raise ValueError("a rule that does not expect a wrong type")
            return impl.func(doc, ctx)

        return dataclasses.replace(impl, func=func)

    monkeypatch.setattr(core, "implementation", crashing)
    monkeypatch.setattr(documents, "MIN_PER_JOB", 2)
    per_doc, code1 = _lint(repo, jobs=jobs)
    assert {f["path"].rsplit("/", 1)[-1] for f in per_doc if f["rule"] == "schema"} >= set(BAD_VALUE_POSTS)
    assert [f["line"] for f in per_doc if f["rule"] == "schema" and f["path"] == "accounts/ube-bousai-x.yaml"]
    assert not [f for f in per_doc if f["rule"] == "account-2fa" and f["path"] == "accounts/ube-bousai-x.yaml"]
    monkeypatch.setattr(core, "per_document", lambda impl: False)
    whole, code2 = _lint(repo, jobs=jobs)
    key = lambda f: json.dumps(f, sort_keys=True, ensure_ascii=False)
    assert sorted(map(key, whole)) == sorted(map(key, per_doc)) and code1 == code2
    assert not [f for f in whole if f["rule"] == "internal-error"]


@pytest.mark.parametrize(("n", "jobs"), [(0, 2), (1, 2), (39, 2), (200, 2), (2000, 2), (10_000, 2), (30_000, 8)])
def test_documents_are_cut_into_shrinking_chunks(n, jobs):
    sizes = documents.chunk_sizes(n, jobs)
    assert sum(sizes) == n and all(s > 0 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # large first, small last: no worker waits long at the end
    assert all(s >= documents.MIN_CHUNK for s in sizes[:-1])
    if n >= 2000:
        assert sizes[-1] <= max(documents.MIN_CHUNK, n // 50) and sizes[0] <= n // (2 * jobs) + 1


def _remembered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Spy on the cache's remembered values: the keys asked for."""
    asked: list[str] = []
    real = cache_mod.DocCache.remember

    def spy(self, key, compute):  # type: ignore[no-untyped-def]
        asked.append(key)
        return real(self, key, compute)

    monkeypatch.setattr(cache_mod.DocCache, "remember", spy)
    return asked


def test_a_second_secret_scan_asks_the_cache_once_and_an_edit_once_per_file(repo, monkeypatch):
    """The scan of an unchanged repo is one cached answer (not one per file); after an edit, the
    other files' answers come from their own entries and only the edited file is scanned again."""
    from snspolicy.domain import secretscan

    write(repo, "notes/memo.txt", "password: Kx8#qT2vLm9!\n")
    first, code = _lint(repo, cache=True)
    assert code == 1 and any(f["rule"] == "secret-in-repo" and f["path"] == "notes/memo.txt" for f in first)
    asked = _remembered(monkeypatch)
    assert _lint(repo, cache=True)[0] == first
    assert [k.split("|")[1] for k in asked if k.startswith("secret-in-repo|")] == ["all"]
    post = min((repo / "posts").rglob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\napi_key: Zq7#Lm2vTx9!pW\n", encoding="utf-8")
    asked.clear()
    scanned: list[str] = []
    real_text = secretscan.scan_text
    monkeypatch.setattr(secretscan, "scan_text", lambda text, name, *a: scanned.append(name) or real_text(text, name, *a))
    again, _ = _lint(repo, cache=True)
    rel = post.relative_to(repo).as_posix()
    assert [f for f in again if f["path"] != rel] == [f for f in first if f["path"] != rel]
    assert any(f["rule"] == "secret-in-repo" and f["path"] == rel for f in again)
    assert scanned == [rel]
    assert len([k for k in asked if k.startswith("secret-in-repo|")]) > 2  # the whole answer, then file by file


def test_a_file_that_changes_before_its_scan_stops_the_run(repo, monkeypatch):
    """A file other than a document is read once for its key and, when the cache does not know
    it, again to be scanned: other bytes the second time are exit 2, never a scan filed under the
    first bytes' key."""
    from snspolicy.domain import secretscan

    write(repo, "notes/memo.txt", "nothing secret\n")
    real = secretscan.read_for_scan
    seen: list[str] = []

    def changing(path, n=2_000_000):  # type: ignore[no-untyped-def]
        data = real(path, n)
        if str(path).endswith("memo.txt"):
            seen.append(str(path))
            if len(seen) > 1 and data is not None:
                data += b"password: Kx8#qT2vLm9!\n"
        return data

    monkeypatch.setattr(secretscan, "read_for_scan", changing)
    found, code = _lint(repo, cache=True)
    assert code == 2 and len(seen) == 2
    assert any(f["path"] == "notes/memo.txt" and f["rule"] == "internal-error" for f in found), found


def test_the_collector_is_on_again_after_a_run(repo, monkeypatch):
    """The run pauses Python's garbage collector (snspolicy.app.lint): a long-lived process that
    lints (the language server) has it back afterwards, even when the run fails."""
    import gc

    assert gc.isenabled()
    _lint(repo, cache=True)
    assert gc.isenabled()

    def boom(self):  # type: ignore[no-untyped-def]
        assert not gc.isenabled()  # paused during the run
        raise RuntimeError("engine failure")

    from snspolicy.engine.core import Engine

    monkeypatch.setattr(Engine, "run", boom)
    with pytest.raises(RuntimeError):
        _lint(repo, cache=True)
    assert gc.isenabled()


def test_remembered_values_are_decoded_only_for_the_shard_asked(tmp_path):
    """A shard file keeps its remembered values as one JSON text: reading the documents' entries
    leaves them undecoded, asking for one value decodes that shard's alone, and a damaged text is a
    miss, never an error."""
    first = cache_mod.DocCache(tmp_path, "k" * 64)
    keys = [f"secret-in-repo|text|posts/p{i}.md|{i:064x}" for i in range(300)]
    for i, key in enumerate(keys):
        assert first.remember(key, lambda i=i: [[1, 2, 3, "keyed", f"v{i}"]] if i % 7 == 0 else []) is not None
    assert first.save()
    again = cache_mod.DocCache(tmp_path, "k" * 64)
    for name in {f"{n:02x}" for n in range(256)}:
        again._shard(name)
    kept = [shard for shard in again.shards.values() if shard["memo"] != {}]  # the shards with a file
    assert len(kept) > 150 and all(isinstance(shard["memo"], str) for shard in kept)
    assert again.remember(keys[7], lambda: pytest.fail("computed again")) == [[1, 2, 3, "keyed", "v7"]]
    assert sum(isinstance(shard["memo"], dict) for shard in kept) == 1
    damaged = cache_mod.DocCache(tmp_path, "k" * 64)
    shard = damaged._shard(hashlib.sha256(keys[0].encode()).hexdigest()[:2])
    shard["memo"] = "{not json"
    assert damaged.remember(keys[0], lambda: ["again"]) == ["again"]


def test_a_second_whole_repo_run_reads_the_entries_in_one_slot(repo, monkeypatch):
    """The entries of the last whole-repo run are kept together: an unchanged repo is answered from
    one slot (a shard or two read, not every shard), with the same result as asking post by post."""
    from snspolicy.io import cachefile

    first, code1 = _lint(repo, cache=True)
    reads: list[str] = []
    real = cachefile.read_cache
    monkeypatch.setattr(cachefile, "read_cache", lambda root, name: reads.append(name) or real(root, name))
    seen = _count_checks(monkeypatch)
    second, code2 = _lint(repo, cache=True)
    assert seen == [] and second == first and code2 == code1
    entry_shards = {n for n in reads if n.startswith("v")}
    assert len(entry_shards) <= 3  # the slot's shard, and the secret scan's whole answer (maybe the same)
    # without the slot, the same entries come post by post, from every shard that holds one
    monkeypatch.setattr(cache_mod.DocCache, "get_all", lambda self, docs: ([self.get(d) for d in docs], None))
    reads.clear()
    assert _lint(repo, cache=True)[0] == first
    assert len({n for n in reads if n.startswith("v")}) > len(entry_shards)


def test_the_slot_is_replaced_when_a_post_changes_and_never_used_for_other_posts(repo, monkeypatch):
    _lint(repo, cache=True)
    post = repo / "posts" / "ube-city-x" / "2025" / "slot-edit.md"
    write(repo, post.relative_to(repo).as_posix(), PHONE_POST)
    seen = _count_checks(monkeypatch)
    after, _ = _lint(repo, cache=True)
    assert seen == ["posts/ube-city-x/2025/slot-edit.md"]  # the others from their own entries
    assert [f for f in after if f["path"].endswith("slot-edit.md") and f["rule"] == "pii-phone"]
    seen.clear()
    assert _lint(repo, cache=True)[0] == after and seen == []  # the new slot
    post.unlink()
    without, _ = _lint(repo, cache=True)
    assert not [f for f in without if f["path"].endswith("slot-edit.md")] and seen == []


def test_a_one_file_run_leaves_the_slot_alone(repo, monkeypatch):
    first, _ = _lint(repo, cache=True)
    post = next((repo / "posts").rglob("*.md"))
    pipeline.run(LintRequest([post], options=LintOptions(lang="ja", today=TODAY, cache=True)))
    seen = _count_checks(monkeypatch)
    assert _lint(repo, cache=True)[0] == first and seen == []


def test_a_damaged_slot_is_asked_post_by_post(repo, monkeypatch):
    first, _ = _lint(repo, cache=True)
    (run_dir,) = [p for p in (repo / CACHE_DIR).iterdir() if p.is_dir() and p.name.startswith("v")]
    slot = run_dir / f"{hashlib.sha256(cache_mod.WHOLE.encode()).hexdigest()[:2]}.json"
    data = json.loads(slot.read_text(encoding="utf-8"))
    memo = json.loads(data["memo"])
    memo[cache_mod.WHOLE]["e"] = [[0, {"f": [["x"]], "b": [], "i": False}]]  # an entry of the wrong shape
    data["memo"] = json.dumps(memo)
    slot.write_text(json.dumps(data), encoding="utf-8")
    seen = _count_checks(monkeypatch)
    assert _lint(repo, cache=True)[0] == first and seen == []  # every post's own entry instead


def test_no_slot_is_kept_when_an_entry_is_fatal(repo, monkeypatch):
    from snspolicy.rules.api import REGISTRY

    def boom(doc, ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    impl = REGISTRY["pii-phone"]
    monkeypatch.setitem(REGISTRY, "pii-phone", impl.__class__(**{**impl.__dict__, "func": boom}))
    kept: list[str] = []
    real = cache_mod.DocCache.put_all
    monkeypatch.setattr(cache_mod.DocCache, "put_all",
                        lambda self, listed, entries: kept.append(listed) or real(self, listed, entries))
    _, code = _lint(repo, cache=True)
    assert code == 2 and kept  # asked to keep it ...
    (run_dir,) = [p for p in (repo / CACHE_DIR).iterdir() if p.is_dir() and p.name.startswith("v")]
    slot = run_dir / f"{hashlib.sha256(cache_mod.WHOLE.encode()).hexdigest()[:2]}.json"
    memo = json.loads(json.loads(slot.read_text(encoding="utf-8"))["memo"]) if slot.exists() else {}
    assert cache_mod.WHOLE not in memo  # ... and it was not: the crash shows again next time
