"""Rule plugins: a package registers rules through the ``snspolicy.rules`` entry-point group.

The example plugin (``examples/snspolicy-plugin-example``) is really installed
(``pip install --no-deps --target DIR``) and found by :mod:`importlib.metadata`
in a CLI subprocess run with ``PYTHONPATH=DIR``; its rule must fire with its own
id and clause, and a broken plugin must stop the run with a located message.

Note: these end-to-end tests need ``plugins.merge_fragments`` to be called by
``runner.prepare``; until that line is added the plugin's rule is unknown to the
policy and they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, write

from snspolicy.policy import model as policy_mod
from snspolicy.engine.plugins import Plugin, merge_fragments
from snspolicy.policy.model import PolicyError

PLUGIN_SRC = ROOT / "examples" / "snspolicy-plugin-example"
RULE = "dept-event-contact"
ACCOUNT = (ROOT / "tests" / "conftest.py")  # MINIMAL_ACCOUNT lives there

POST = """\
---
id: {id}
account: test-x
status: {status}
publish_at: 2025-05-01T09:00:00+09:00
category: {category}
author: {{employee_id: "200002"}}
approval: {{approved_by: "100001", approved_on: 2025-04-30}}
consultation: false
{extra}---
{body}
"""


def _post(root: Path, pid: str, *, category: str, body: str, status: str = "published", extra: str = "") -> str:
    rel = f"posts/test-x/{pid}.md"
    write(root, rel, POST.format(id=pid, status=status, category=category, body=body, extra=extra))
    return rel


def _install(src: Path, target: Path) -> Path:
    base = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
    r = subprocess.run([*base, "--no-build-isolation", str(src)], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:  # no hatchling in this environment: let pip fetch it
        r = subprocess.run([*base, str(src)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return target


def _cli(site: Path | None, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8"}
    env.pop("SNSPOLICY_LANG", None)
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run([sys.executable, "-m", "snspolicy", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _install(PLUGIN_SRC, tmp_path_factory.mktemp("plugin") / "site")


@pytest.fixture
def repo(mini_repo: Path) -> Path:
    _post(mini_repo, "2025-05-01-matsuri", category="event", body="ときわ公園で夏まつりを開催します。")
    _post(mini_repo, "2025-05-02-hanabi", category="event", body="花火大会を開催します。\n問い合わせ：観光振興課")
    _post(mini_repo, "2025-05-03-hanabi2", category="event", body="花火大会を開催します。\nお問合せは観光振興課まで")  # 問合せ
    _post(mini_repo, "2025-05-04-sakura", category="tourism", body="桜が見ごろです。")
    _post(mini_repo, "2025-05-05-chushi", category="event", body="中止しました。", status="deleted",
          extra='deleted: {on: 2025-05-06, reason: 雨天中止, approved_by: "100001"}\n')
    return mini_repo


def test_entry_point_is_found_by_importlib_metadata(site):
    code = "from importlib.metadata import entry_points; print([e.value for e in entry_points(group='snspolicy.rules')])"
    r = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True)
    assert "snspolicy_dept_rules" in r.stdout


def test_plugin_rule_fires_with_its_own_id_and_clause(site, repo):
    r = _cli(site, "lint", "-f", "json", cwd=repo)
    assert r.returncode == 0, r.stdout + r.stderr  # a warning does not fail the run
    hits = [f for f in json.loads(r.stdout) if f["rule"] == RULE]
    assert [f["path"] for f in hits] == ["posts/test-x/2025-05-01-matsuri.md"]
    f = hits[0]
    assert f["clause"] == "3(6)" and f["severity"] == "warning"
    assert "問い合わせ先がありません" in f["message"] and "観光振興課" in f["message"]  # the fragment's message and params
    assert f["line"] == 6  # points at `category: event`
    en = json.loads(_cli(site, "lint", "-f", "json", "--lang", "en", cwd=repo).stdout)
    assert any(x["rule"] == RULE and x["message"].startswith("The event post gives no contact") for x in en)


def test_plugin_rule_appears_in_sarif_rules(site, repo):
    r = _cli(site, "lint", "-f", "sarif", cwd=repo)
    driver = json.loads(r.stdout)["runs"][0]["tool"]["driver"]
    rule = next(x for x in driver["rules"] if x["id"] == RULE)
    assert rule["shortDescription"]["text"] == "イベント投稿の問い合わせ先"


def test_plugin_rule_is_listed_explained_and_documented(site, repo):
    rows = json.loads(_cli(site, "rules", "-f", "json", cwd=repo).stdout)
    row = next(x for x in rows if x["id"] == RULE)
    assert row["clause"] == "3(6)" and row["implemented"] is True
    r = _cli(site, "explain", RULE, cwd=repo)
    assert r.returncode == 0 and "3(6)" in r.stdout and "問い合わせ" in r.stdout
    docs = _cli(site, "docs", cwd=repo)
    assert f"#### `{RULE}` " in docs.stdout and "snspolicy-plugin-example" in docs.stdout
    assert f"`{RULE}`" not in _cli(site, "docs", "--no-plugins", cwd=repo).stdout


def test_repo_config_can_tighten_a_plugin_rule(site, repo):
    cfg = repo / "snspolicy.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"rules:\n  {RULE}: {{severity: error, reason: 観光課は必須}}\n", encoding="utf-8")
    r = _cli(site, "lint", cwd=repo)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"error [{RULE}] 3(6)" in r.stdout


def test_without_the_plugin_the_rule_does_not_exist(repo):
    r = _cli(None, "lint", "-f", "json", cwd=repo)
    assert r.returncode == 0
    assert not [f for f in json.loads(r.stdout) if f["rule"] == RULE]


# ----------------------------------------------------------------------------- broken plugins


def _broken_site(tmp_path: Path, edit) -> Path:
    src = tmp_path / "plugin-src"
    shutil.copytree(PLUGIN_SRC, src, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    edit(src / "src" / "snspolicy_dept_rules")
    return _install(src, tmp_path / "broken-site")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_invalid_fragment_stops_the_run_with_file_and_line(tmp_path, repo):
    site = _broken_site(tmp_path, lambda pkg: _replace(pkg / "rules.yaml", "severity: warning", "severity: fatal"))
    r = _cli(site, "lint", cwd=repo)
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    assert "rules.yaml:7:" in out and "Traceback" not in out  # line of `severity: fatal`


def test_unknown_clause_in_fragment(tmp_path, repo):
    site = _broken_site(tmp_path, lambda pkg: _replace(pkg / "rules.yaml", 'clause: "3(6)"', 'clause: "9(9)"'))
    r = _cli(site, "lint", cwd=repo)
    out = r.stdout + r.stderr
    assert r.returncode == 2 and "9(9)" in out and "rules.yaml:6:" in out, out


def test_plugin_that_cannot_be_imported(tmp_path, repo):
    site = _broken_site(tmp_path, lambda pkg: _replace(pkg / "__init__.py", "from __future__ import annotations\n",
                                                       "from __future__ import annotations\nimport no_such_module_xyz\n"))
    r = _cli(site, "lint", cwd=repo)
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    assert "dept-event-contact" in out and "no_such_module_xyz" in out and "Traceback" not in out


# ----------------------------------------------------------------------------- merge_fragments (unit)


class _Mod:
    def __init__(self, policy_path):
        self.POLICY = policy_path


def _plugin(path: Path, module: str = "snspolicy_dept_rules") -> Plugin:
    return Plugin("test", module, "test-dist", _Mod(path))


@pytest.fixture
def fragment(tmp_path: Path) -> Path:
    import importlib

    importlib.import_module("snspolicy.rules.api").rule("test-plugin-rule", kinds=("post",))(lambda doc, ctx: ())
    p = tmp_path / "frag.yaml"
    p.write_text(
        "rules:\n"
        "  test-plugin-rule:\n"
        '    clause: "6(5)"\n'
        "    severity: info\n"
        '    title: {ja: "テスト"}\n'
        '    message: {ja: "テストです"}\n'
        '    doc: {why: {ja: "理由"}, bad: "x", good: "y"}\n',
        encoding="utf-8",
    )
    return p


def test_merge_adds_rules_and_is_idempotent(fragment):
    pol = policy_mod.load("ube/2025-04-01")
    plugin = Plugin("test", __name__, "test-dist", _Mod(fragment))  # the rule above was registered from this module
    merged = merge_fragments(pol, [plugin])
    assert "test-plugin-rule" in merged.rules and "test-plugin-rule" not in pol.rules  # the original is untouched
    assert merged.rules["test-plugin-rule"].clause == "6(5)" and fragment in merged.files
    again = merge_fragments(merged, [plugin])
    assert set(again.rules) == set(merged.rules)


def test_merge_refuses_an_id_of_the_policy(tmp_path):
    frag = tmp_path / "dup.yaml"
    frag.write_text("rules:\n  account-2fa:\n    clause: \"4(2)\"\n    severity: error\n    title: {ja: x}\n"
                    "    message: {ja: x}\n    doc: {why: {ja: x}, bad: x, good: x}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        merge_fragments(policy_mod.load("ube/2025-04-01"), [_plugin(frag)])
    assert exc.value.code == "policy_duplicate_rule" and exc.value.span.line == 2


def test_merge_refuses_a_rule_without_implementation(tmp_path):
    frag = tmp_path / "noimpl.yaml"
    frag.write_text("rules:\n  never-registered-rule:\n    clause: \"5\"\n    severity: error\n    title: {ja: x}\n"
                    "    message: {ja: x}\n    doc: {why: {ja: x}, bad: x, good: x}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        merge_fragments(policy_mod.load("ube/2025-04-01"), [_plugin(frag)])
    assert exc.value.code == "plugin_rule_missing" and exc.value.span.line == 2


def test_merge_reports_yaml_errors_with_location(tmp_path):
    frag = tmp_path / "bad.yaml"
    frag.write_text("rules:\n  x: {clause: \"5\"\n", encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        merge_fragments(policy_mod.load("ube/2025-04-01"), [_plugin(frag)])
    assert exc.value.path == str(frag) and exc.value.span.line >= 2


def test_merge_reports_a_missing_fragment_and_an_import_error(tmp_path):
    pol = policy_mod.load("ube/2025-04-01")
    with pytest.raises(PolicyError) as exc:
        merge_fragments(pol, [_plugin(tmp_path / "nowhere.yaml")])
    assert exc.value.code == "plugin_fragment_missing"
    with pytest.raises(PolicyError) as exc:
        merge_fragments(pol, [Plugin("p", "pkg", "dist", None, "ImportError: boom")])
    assert exc.value.code == "plugin_load_error" and "boom" in exc.value.params["error"]


def test_no_plugins_returns_the_same_policy():
    pol = policy_mod.load("ube/2025-04-01")
    assert merge_fragments(pol, []) is pol
