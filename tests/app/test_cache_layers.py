"""The cache's other layers (snspolicy.engine.cache): parsed YAML (ParseCache), schema passes
(SchemaMemo), the library versions and plugin scan behind their keys, and the cache folder kept
out of the repo's own file listing. Each must save time without ever changing a result."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from snspolicy.app import lint as pipeline
from snspolicy.app.lint import LintOptions, LintRequest
from snspolicy.engine import cache as cache_mod
from snspolicy.engine import libraries
from snspolicy.io import schemacheck
from snspolicy.io.cachefile import CACHE_DIR
from snspolicy.io.yamlloc import LeadingZeroText, StoredLocated, load_yaml
from tests.conftest import VIOLATIONS, WITHOUT_CACHE, run_cli, write

TODAY = dt.date(2025, 6, 1)
CACHE_ON = {"SNSPOLICY_NO_CACHE": "0"}
FRONT = """id: p1
account: ube-city-x
tags: [a, b]
approval: {approved_by: "100001", approved_at: 2025-05-19T10:00:00+09:00}
ratio: 1.5
flag: yes
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(VIOLATIONS, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


def _lint(root: Path, paths: list[Path] | None = None, **options: object) -> list[dict]:
    opts = LintOptions(lang="ja", today=TODAY, **options)  # type: ignore[arg-type]
    done = pipeline.run(LintRequest(paths or [root], options=opts))
    return [f.to_dict() for f in done.result.findings]


# -- parsed YAML ---------------------------------------------------------------------------------
def test_a_remembered_parse_is_the_same_document_with_the_same_locations(tmp_path):
    first = cache_mod.ParseCache(tmp_path)
    assert first.get(FRONT, 1) is None
    fresh = load_yaml(FRONT, 1)
    first.put(FRONT, 1, fresh)
    assert first.save()
    again = cache_mod.ParseCache(tmp_path).get(FRONT, 1)
    assert isinstance(again, StoredLocated)
    assert again.data == fresh.data
    assert dict(again.values) == {k: tuple(v) for k, v in dict.items(fresh.values)}
    assert again.span(("approval", "approved_by")) == fresh.span(("approval", "approved_by"))
    assert again.span(("tags", 1), key=False) == fresh.span(("tags", 1))
    assert again.span(("ratio",), key=True) == fresh.span(("ratio",), key=True)
    assert cache_mod.ParseCache(tmp_path).get(FRONT, 2) is None  # another line offset: other spans


def test_each_use_gets_its_own_copy(tmp_path):
    memo = cache_mod.ParseCache(tmp_path)
    memo.put(FRONT, 0, load_yaml(FRONT))
    a = memo.get(FRONT, 0)
    assert a is not None
    a.data["account"] = "changed"
    a.data["tags"].append("x")
    b = memo.get(FRONT, 0)
    assert b is not None and b.data["account"] == "ube-city-x" and b.data["tags"] == ["a", "b"]
    memo.save()
    c = cache_mod.ParseCache(tmp_path).get(FRONT, 0)
    assert c is not None and c.data == load_yaml(FRONT).data  # what a run changed is never written back


def test_values_json_would_change_are_never_stored(tmp_path):
    memo = cache_mod.ParseCache(tmp_path)
    for text in ("employee_id: 0100101\n", "blob: !!binary aGVsbG8=\n"):
        located = load_yaml(text)
        memo.put(text, 0, located)
        assert memo.get(text, 0) is None, text
    for text in ("s: !!set {a, b}\n", "x: .inf\ny: .nan\nz: 2025-05-01\n"):  # read as plain values
        memo.put(text, 0, load_yaml(text))
        stored = memo.get(text, 0)
        assert stored is not None and repr(stored.data) == repr(load_yaml(text).data), text
    assert isinstance(load_yaml("employee_id: 0100101\n").data["employee_id"], LeadingZeroText)


def test_damaged_entries_are_misses_and_damaged_spans_are_parsed_again(tmp_path):
    memo = cache_mod.ParseCache(tmp_path)
    memo.put(FRONT, 0, load_yaml(FRONT))
    memo.save()
    (shard,) = (tmp_path / CACHE_DIR).glob("yaml-*/*.txt")
    head, line = shard.read_text(encoding="utf-8").split("\n")
    key = line.split(" ", 1)[0]
    for damaged in ("{not json\t[[], []]", '{"id": "p1"} no tab', '{"id": "p1"'):
        shard.write_text(f"{head}\n{key} {damaged}", encoding="utf-8")
        assert cache_mod.ParseCache(tmp_path).get(FRONT, 0) is None, damaged
    for rows in ('[[["id", "x", 1, 2, 3]], []]', "[[], [], []]", "{not json", "[5, 6]"):
        shard.write_text(f'{head}\n{key} {{"id": "p1"}}\t{rows}', encoding="utf-8")
        located = cache_mod.ParseCache(tmp_path).get(FRONT, 0)
        assert located is not None and located.data == {"id": "p1"}
        assert located.span(("account",)) == load_yaml(FRONT).span(("account",)), rows  # parsed again, not trusted
    shard.write_text(f"another header\n{line}", encoding="utf-8")
    assert cache_mod.ParseCache(tmp_path).get(FRONT, 0) is None


def test_a_whole_repo_run_forgets_the_texts_it_no_longer_has(tmp_path):
    old, new = "a: 1\n", "a: 2\n"
    memo = cache_mod.ParseCache(tmp_path)
    memo.put(old, 0, load_yaml(old))
    memo.put(new, 0, load_yaml(new))
    memo.save()
    whole = cache_mod.ParseCache(tmp_path, whole=True)
    assert whole.get(new, 0) is not None
    whole._shard(whole.SHARED)  # the shard of the old text is read, its entry not used
    whole.save()
    assert cache_mod.ParseCache(tmp_path).get(old, 0) is None
    assert cache_mod.ParseCache(tmp_path).get(new, 0) is not None


def test_runs_from_the_parse_cache_give_the_same_findings(repo, monkeypatch):
    first = _lint(repo, cache=True)
    assert list((repo / CACHE_DIR).glob("yaml-*/*.txt"))
    parsed: list[str] = []
    from snspolicy.io import yamlloc

    real = yamlloc.load_yaml
    monkeypatch.setattr(yamlloc, "load_yaml", lambda text, line_offset=0: parsed.append(text) or real(text, line_offset))
    shutil.rmtree(next((repo / CACHE_DIR).glob("v*")))  # the findings must be found again, from the parsed cache
    assert _lint(repo, cache=True) == first
    # parsed again: only what the cache does not keep (values JSON would change), not the posts
    assert all(schemacheck.plain_key(real(t).data) is None for t in parsed)
    assert _lint(repo, cache=False) == first


def test_a_one_file_run_from_the_cache_never_imports_the_yaml_parser(repo):
    """Everything a one-file run reads (settings, policy files, accounts, press releases, the post)
    was parsed before: PyYAML, jsonschema and the change workflow's git and temporary trees are
    not even imported (the pre-commit hook's time is mostly imports)."""
    post = sorted((repo / "posts").rglob("*.md"))[0].relative_to(repo).as_posix()
    assert run_cli("lint", ".", cwd=repo, env=CACHE_ON).returncode == 1  # fills the cache
    code = ("import sys, runpy\n"
            f"sys.argv = ['snspolicy', 'lint', {post!r}]\n"
            "try:\n    runpy.run_module('snspolicy', run_name='__main__')\nexcept SystemExit as e:\n    code = e.code\n"
            "heavy = [m for m in ('yaml', 'jsonschema', 'tempfile', 'snspolicy.app.changes') if m in sys.modules]\n"
            "print('HEAVY', heavy, 'EXIT', code, file=sys.stderr)\n")
    import subprocess

    env = {**__import__("os").environ, "SNSPOLICY_NO_CACHE": "0", "SNSPOLICY_TODAY": "2025-06-01"}
    cp = subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert "HEAVY [] EXIT" in cp.stderr, cp.stderr[-2000:]
    shutil.rmtree(next((repo / CACHE_DIR).glob("yaml-*")))  # without the parsed texts, YAML is parsed again
    cp = subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert "HEAVY ['yaml'" in cp.stderr, cp.stderr[-2000:]


# -- schema passes -------------------------------------------------------------------------------
def test_a_schema_pass_is_remembered_and_a_failure_is_not(tmp_path, monkeypatch):
    good, bad = {"policy": "ube-city/2025"}, {"policy": 5}
    memo = cache_mod.SchemaMemo(tmp_path)
    with schemacheck.remembering(memo):
        assert schemacheck.check("config", good, text="policy: ube-city/2025\n") == []
        assert schemacheck.check("config", bad, text="policy: 5\n")
    memo.save()
    calls: list[object] = []
    real = schemacheck._check
    monkeypatch.setattr(schemacheck, "_check", lambda *a: calls.append(a) or real(*a))
    again = cache_mod.SchemaMemo(tmp_path)
    with schemacheck.remembering(again):
        assert schemacheck.check("config", good, text="policy: ube-city/2025\n") == []
        assert calls == []  # remembered
        assert schemacheck.check("config", bad, text="policy: 5\n")  # checked and reported again
        assert len(calls) == 1
        assert schemacheck.check("account", good, text="policy: ube-city/2025\n")  # another schema: checked
    assert schemacheck.check("config", good) == []  # no memo: always checked


def test_plain_key_tells_values_json_keeps_from_others():
    assert schemacheck.plain_key({"a": [1, 1.5, True, None, "x"]}) == schemacheck.plain_key({"a": [1, 1.5, True, None, "x"]})
    assert schemacheck.plain_key({"a": 1}) != schemacheck.plain_key({"a": True})
    assert schemacheck.plain_key({"a": 1}) != schemacheck.plain_key({"a": "1"})
    assert schemacheck.plain_key({"id": LeadingZeroText("0100")}) is None


def test_an_edited_policy_file_with_a_schema_error_is_reported_with_the_cache_on(repo):
    assert run_cli("lint", ".", cwd=repo, env=CACHE_ON).returncode == 1  # fills the cache
    policy_dir = repo / "policy-local"
    shutil.copytree(Path(__file__).resolve().parents[2] / "policy" / "ube" / "2025-04-01", policy_dir)
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    import re

    write(repo, "snspolicy.yaml", re.sub(r"(?m)^policy:.*$", "policy: policy-local/policy.yaml", cfg))
    assert run_cli("lint", ".", cwd=repo, env=CACHE_ON).returncode == 1  # the copy is as good as the original
    text = (policy_dir / "policy.yaml").read_text(encoding="utf-8")
    (policy_dir / "policy.yaml").write_text(text.replace("\nversion:", "\nversionn:", 1), encoding="utf-8")
    cp = run_cli("lint", ".", cwd=repo, env=CACHE_ON)
    assert cp.returncode == 2, cp.stdout + cp.stderr
    assert "policy-local/policy.yaml" in cp.stdout + cp.stderr


def test_an_edited_post_with_a_new_schema_error_is_reported(repo):
    post = next((repo / "posts").rglob("*.md"))
    before = _lint(repo, [post], cache=True)
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("---\n", "---\nunknown_field: 1\n", 1), encoding="utf-8")
    after = _lint(repo, [post], cache=True)
    assert [f for f in after if f["rule"] == "schema"] and after != before
    assert after == _lint(repo, [post], cache=False)


# -- library versions and plugins ------------------------------------------------------------------
def test_the_version_scan_agrees_with_importlib_metadata():
    from importlib import metadata

    for name in cache_mod.LIBRARIES:
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected = "-"
        assert libraries.versions([name]) == [f"{name}={expected}"]
    assert libraries.versions(["no-such-distribution-xyz"]) == ["no-such-distribution-xyz=-"]


def test_a_distribution_declaring_a_plugin_is_seen(tmp_path, monkeypatch):
    dist = tmp_path / "dept_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text("[console_scripts]\nx = y\n", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    libraries._distributions.cache_clear()
    try:
        assert libraries._distributions() is not None  # sys.path holds folders only
        assert libraries.may_have_entry_points("snspolicy.rules") is False
        (dist / "entry_points.txt").write_text("[snspolicy.rules]\ndept = dept_rules\n", encoding="utf-8")
        assert libraries.may_have_entry_points("snspolicy.rules") is True
        assert libraries.versions(["dept-rules"]) == ["dept-rules=1.0"]
    finally:
        libraries._distributions.cache_clear()


def test_a_zip_on_sys_path_makes_the_scan_ask_importlib(tmp_path, monkeypatch):
    archive = tmp_path / "extra.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip archive
    monkeypatch.setattr(sys, "path", [*sys.path, str(archive)])
    libraries._distributions.cache_clear()
    try:
        assert libraries._distributions() is None
        assert libraries.may_have_entry_points("snspolicy.rules") is True  # so plugins are looked for
        assert libraries.versions(["PyYAML"])[0].startswith("PyYAML=") and "=-" not in libraries.versions(["PyYAML"])[0]
    finally:
        libraries._distributions.cache_clear()


# -- the cache folder is not part of the repo ----------------------------------------------------
def test_the_cache_folder_is_not_listed_with_the_repos_files(repo):
    """Outside git the repo's files are found by walking it: snspolicy's own cache folder (it holds
    our CACHEDIR.TAG) is left out, a folder of the same name made by someone else is not."""
    from snspolicy.app.setup import prepare
    from snspolicy.io.repo import load_repo

    assert not (repo / ".git").exists()
    _lint(repo, cache=True)
    setup = prepare([repo])
    listed = {p.relative_to(repo).as_posix() for p in load_repo(repo, setup.config).text_files()}
    assert listed and not [p for p in listed if p.startswith(CACHE_DIR + "/")]
    shutil.rmtree(repo / CACHE_DIR)
    write(repo, f"{CACHE_DIR}/notes.txt", "password = 'Kq8#vR2!pL9@xW4$'\n")
    listed = {p.relative_to(repo).as_posix() for p in load_repo(repo, setup.config).text_files()}
    assert f"{CACHE_DIR}/notes.txt" in listed
    findings = _lint(repo, cache=False)
    assert [f for f in findings if f["path"] == f"{CACHE_DIR}/notes.txt" and f["rule"] == "secret-in-repo"]


def test_a_stored_front_matter_is_decoded_as_json_loads_decodes_it():
    """decode_compact (the JSON decoder's scanner alone) gives json.loads' value for what the
    cache writes, and calls anything else damaged (a miss), never a different value."""
    import json

    from snspolicy.engine.cache import _DAMAGED, decode_compact

    values = [{}, [], None, True, 0, -1.5e300, "", "本文\t\u2028", {"a": [1, {"b": None}], "日付": "2025-05-20"},
              [[[[[]]]]], {"k": "\\\"\x00"}]
    for v in values:
        text = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        assert decode_compact(text) == json.loads(text) == v
    for bad in ["", " {}", "{} ", "{}x", "{", "[1,]", "NaNx", "{'a': 1}", "\ufeff{}", "1 2", "[" * 100000]:
        assert decode_compact(bad) is _DAMAGED, bad[:10]
