"""``snspolicy policy diff``: semantic policy diff, version check, impact on a posts repo."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CLEAN, ROOT, VIOLATIONS, run_cli

from snspolicy.policy import model as policy_mod
from snspolicy.app.impact import impact
from snspolicy.policy import diff as pd
from snspolicy.reporters import policy_diff as render

BUNDLED = ROOT / "policy" / "ube" / "2025-04-01"
DRAFT = ROOT / "policy" / "ube" / "2026-04-01-draft"

LEXICON = """\
lexicon: testlex
title: {ja: テスト語彙}
entries:
  - id: alpha
    terms: [アルファ, あるふぁ]
    match: token
    category: insult
    clause: "6(1)"
    severity: warning
    context: {allow: [アルファ米], scope: sentence, severity: null}
    examples: {match: [アルファだ], no_match: [ベータ]}
  - id: beta
    terms: [ベータ]
    category: insult
    clause: "6(1)"
    severity: error
    examples: {match: [ベータ], no_match: [ガンマ]}
"""


def copy_policy(tmp: Path, name: str, edits: list[tuple[str, str, str]] = (), lexicon: str | None = None) -> Path:
    """A copy of the bundled policy with text edits: (file relative to the folder, old, new).

    ``old`` is literal text, or a regular expression when it starts with ``re:`` (for values other
    people may tune while this test stays meaningful, e.g. ``re:max_future_days: \\d+``).
    """
    dest = tmp / name
    shutil.copytree(BUNDLED, dest)
    if lexicon is not None:
        (dest / "lexicons" / "testlex.yaml").write_text(lexicon, encoding="utf-8")
        main = dest / "policy.yaml"
        main.write_text(main.read_text(encoding="utf-8").replace("  lexicons:\n", "  lexicons:\n    - lexicons/testlex.yaml\n", 1),
                        encoding="utf-8")
    for rel, old, new in edits:
        p = dest / rel
        text = p.read_text(encoding="utf-8")
        if old.startswith("re:"):
            text, n = re.subn(old[3:], new, text, count=1)
            assert n == 1, (rel, old)
        else:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        p.write_text(text, encoding="utf-8")
    return dest


def bump(version: str = "2025-04-01.1") -> list[tuple[str, str, str]]:
    return [("policy.yaml", 'version: "2025-04-01"', f'version: "{version}"'),
            ("policy.yaml", "changelog:\n", (f'changelog:\n  - version: "{version}"\n    date: 2025-10-01\n'
                                            f'    summary: {{ja: テストの変更}}\n'))]


def load(p: Path):
    return policy_mod.load(str(p), None)


def kinds(d: pd.PolicyDiff) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.direction, c.rule) for c in d.changes}


# ----------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("name, old, new, direction", [
    ("min_length", 12, 14, "tighter"),
    ("min_length", 14, 12, "looser"),
    ("max_length", 280, 300, "looser"),
    ("max_hashtags", 5, 3, "tighter"),
    ("max_age_days", None, 365, "tighter"),      # no limit -> a limit
    ("max_age_days", 365, None, "looser"),
    ("min_keyword_length", 2, 3, "looser"),      # longer keywords match less
    ("retention_days", 1826, 3653, "tighter"),
    ("weak_severity", "warning", "error", "tighter"),
    ("host_severity", "error", "info", "looser"),
    ("require_unique", True, False, "looser"),
    ("require_submission", False, True, "tighter"),
    ("head_title_pattern", "a", "b", "changed"),
    ("some_unknown", 1, 2, "changed"),
])
def test_scalar_param_directions(name, old, new, direction):
    [c] = pd.param_changes(name, old, new, rule="r")
    assert c.direction == direction


@pytest.mark.parametrize("name, direction_added", [
    ("weak_methods", "tighter"), ("lexicons", "tighter"), ("report_to", "tighter"),
    ("allowed_hosts", "looser"), ("strong_methods", "looser"), ("skip_statuses", "looser"),
    ("allow_words_custom", "looser"),  # named allow…: looser by convention
    ("mystery_list", "changed"),
])
def test_list_param_directions(name, direction_added):
    [added] = pd.param_changes(name, ["a"], ["a", "b"])
    assert added.direction == direction_added and added.items == ["b"]
    [removed] = pd.param_changes(name, ["a", "b"], ["a"])
    opposite = {"tighter": "looser", "looser": "tighter", "changed": "changed"}[direction_added]
    assert removed.direction == opposite and removed.items == ["b"]


def test_list_gaining_and_losing_items_gives_both_directions():
    out = pd.param_changes("weak_methods", ["sms", "email"], ["sms", "voice"])
    assert {(c.direction, tuple(c.items)) for c in out} == {("tighter", ("voice",)), ("looser", ("email",))}
    assert pd.param_changes("weak_methods", ["a", "b"], ["b", "a"])[0].direction == "wording"  # reordered
    assert pd.param_changes("x", 1, 1) == []


# ----------------------------------------------------------------------------- whole policies


def test_same_policy_has_no_changes():
    p = policy_mod.load("ube/2025-04-01")
    d = pd.diff(p, p)
    assert d.changes == [] and d.problems == []


def test_rule_level_changes(tmp_path):
    old = load(copy_policy(tmp_path, "old"))
    new_dir = copy_policy(tmp_path, "new", [
        ("rules/accounts.yaml", "min_length: 12", "min_length: 14"),
        ("rules/accounts.yaml", "weak_severity: warning", "weak_severity: error"),
        ("rules/accounts.yaml", r"re:max_future_days: \d+", "max_future_days: 40000"),
        ("rules/accounts.yaml", "allowed_hosts: [city.ube.yamaguchi.jp]", "allowed_hosts: [city.ube.yamaguchi.jp, ube-kanko.example.jp]"),
        ("policy.yaml", "  other:     {ja: その他, en: Other}", "  other:     {ja: その他, en: Other}\n  sports:    {ja: スポーツ, en: Sports}"),
        *bump(),
    ])
    text = (new_dir / "rules" / "incidents.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(  incident-order:\n    clause: \"7\"\n    severity: )error", r"\1warning", text)
    (new_dir / "rules" / "incidents.yaml").write_text(text, encoding="utf-8")
    d = pd.diff(old, load(new_dir))
    k = kinds(d)
    assert ("param", "tighter", "account-password-policy") in k
    assert ("param", "tighter", "account-2fa") in k
    assert ("param", "looser", "account-approval") in k          # a max_ raised
    assert ("param", "looser", "account-disclaimer") in k        # allow-list grown
    assert ("category-added", "looser", "post-category") in k
    assert ("severity", "looser", "incident-order") in k
    assert d.problems == []
    s = d.summary()
    assert s["tighter"] >= 2 and s["looser"] >= 4


def test_rules_added_removed_disabled(tmp_path):
    old = load(copy_policy(tmp_path, "old"))
    new_dir = copy_policy(tmp_path, "new", bump())
    main = new_dir / "policy.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace("    - rules/incidents.yaml\n", "    - rules/incidents.yaml\n    - rules/workflow.yaml\n")
                    if "rules/workflow.yaml" not in main.read_text(encoding="utf-8") else main.read_text(encoding="utf-8"),
                    encoding="utf-8")
    acc = new_dir / "rules" / "accounts.yaml"
    text = acc.read_text(encoding="utf-8")
    text = text.replace("  account-disclaimer:\n    clause: \"8\"\n    severity: error\n",
                        "  account-disclaimer:\n    clause: \"8\"\n    severity: error\n    enabled: false\n")
    # remove account-duplicate entirely
    text = re.sub(r"\n  account-duplicate:\n(?:    .*\n|\s*\n)+?(?=  [a-z])", "\n", text)
    acc.write_text(text, encoding="utf-8")
    new = load(new_dir)
    assert "account-duplicate" not in new.rules
    d = pd.diff(old, new)
    k = kinds(d)
    assert ("rule-removed", "looser", "account-duplicate") in k
    assert ("rule-enabled", "looser", "account-disclaimer") in k
    if "post-removed" not in old.rules:
        assert ("rule-added", "tighter", "post-removed") in k


def test_lexicon_changes(tmp_path):
    old = load(copy_policy(tmp_path, "old", lexicon=LEXICON))
    lex2 = (LEXICON.replace("terms: [アルファ, あるふぁ]", "terms: [アルファ, ALPHA]")
            .replace("allow: [アルファ米]", "allow: [アルファ米, アルファ版]")
            .replace("severity: warning", "severity: error", 1)
            .replace("  - id: beta\n    terms: [ベータ]\n    category: insult\n    clause: \"6(1)\"\n    severity: error\n"
                     "    examples: {match: [ベータ], no_match: [ガンマ]}\n", "")
            + "  - id: gamma\n    terms: [ガンマ]\n    category: insult\n    clause: \"6(1)\"\n    severity: error\n"
              "    examples: {match: [ガンマ], no_match: [デルタ]}\n")
    new = load(copy_policy(tmp_path, "new", bump(), lexicon=lex2))
    d = pd.diff(old, new)
    got = {(c.kind, c.direction, c.subject, tuple(c.items)) for c in d.changes if c.kind.startswith("lexicon")}
    assert ("lexicon-entry-added", "tighter", "testlex/gamma", ("ガンマ",)) in got
    assert ("lexicon-entry-removed", "looser", "testlex/beta", ("ベータ",)) in got
    assert ("lexicon-terms-added", "tighter", "testlex/alpha", ("ALPHA",)) in got
    assert ("lexicon-terms-removed", "looser", "testlex/alpha", ("あるふぁ",)) in got
    assert ("lexicon-allow-added", "looser", "testlex/alpha", ("アルファ版",)) in got
    assert ("lexicon-severity", "tighter", "testlex/alpha", ()) in got
    md = render.render_markdown(d, "ja")
    assert "語彙 testlex に項目 gamma を追加: ガンマ" in md


def test_lexicon_added_to_a_policy(tmp_path):
    d = pd.diff(load(copy_policy(tmp_path, "old")), load(copy_policy(tmp_path, "new", bump(), lexicon=LEXICON)))
    assert ("lexicon-added", "tighter", None) in kinds(d)


def test_wording_only_needs_no_version(tmp_path):
    old = load(copy_policy(tmp_path, "old"))
    new = load(copy_policy(tmp_path, "new", [("rules/accounts.yaml", "管理者によるアカウント利用の承認", "管理者によるアカウント利用の承認（3(1)）")]))
    d = pd.diff(old, new)
    assert [c.direction for c in d.changes] == ["wording"]
    assert d.problems == []
    assert "版を上げる必要はありません" in render.render_text(d, "ja")


def test_version_problems(tmp_path):
    old = load(copy_policy(tmp_path, "old"))
    change = ("rules/accounts.yaml", "min_length: 12", "min_length: 14")
    same = load(copy_policy(tmp_path, "same", [change]))
    assert pd.diff(old, same).problems == ["same_version"]
    no_log = load(copy_policy(tmp_path, "nolog", [change, ("policy.yaml", 'version: "2025-04-01"', 'version: "2025-04-01.1"')]))
    assert pd.diff(old, no_log).problems == ["no_changelog"]
    ok = load(copy_policy(tmp_path, "ok", [change, *bump()]))
    d = pd.diff(old, ok)
    assert d.problems == [] and [e["version"] for e in d.changelog] == ["2025-04-01.1"]


def test_markdown_escapes_and_reads_well(tmp_path):
    old = load(copy_policy(tmp_path, "old"))
    new = load(copy_policy(tmp_path, "new", [
        ("rules/accounts.yaml", "min_length: 12", "min_length: 14"),
        ("rules/accounts.yaml", "allowed_hosts: [city.ube.yamaguchi.jp]", 'allowed_hosts: [city.ube.yamaguchi.jp, "a|b.example.jp"]'),
    ]))
    md = render.render_markdown(d := pd.diff(old, new), "ja", render.rule_titles([new], "ja"))
    assert md.startswith("## ポリシーの差分: `ube/2025-04-01` → `ube/2025-04-01`")
    assert "### 🔺 厳しくなった変更（1）" in md and "### 🔻 緩くなった変更（1）" in md
    assert "a\\|b.example.jp" in md  # table cells escaped
    assert "| `account-password-policy`" in md and "| 12 文字 | 14 文字 |" in md  # with the unit of its param_schema
    assert "パスワードの最低文字数（min_length）" in md  # named by its param_schema description
    assert "❌" in md and "version" in md  # same version with changed rules
    for line in md.splitlines():
        if line.startswith("| `") and "](" not in line:
            assert len(re.split(r"(?<!\\)\|", line)) == 7, line  # 5 cells, escaped pipes kept inside
    en = render.render_markdown(d, "en")
    assert "Tightened (1)" in en and "Loosened (1)" in en
    data = json.loads(render.to_json(d))
    assert data["version_check"] == {"ok": False, "problems": ["same_version"]}
    assert {c["direction"] for c in data["changes"]} == {"tighter", "looser"}


# ----------------------------------------------------------------------------- impact


def test_impact_lists_newly_failing_and_passing_files(tmp_path):
    p2025 = load(copy_policy(tmp_path, "old"))
    strict = load(copy_policy(tmp_path, "strict", [("rules/accounts.yaml", "min_length: 12", "min_length: 16"), *bump()]))
    imp = impact(CLEAN, p2025, strict, today=__import__("datetime").date(2025, 6, 1))
    assert [f.path for f in imp.newly_fail] == ["accounts/ube-city-x.yaml", "accounts/ube-kosodate-line.yaml"]
    assert all(f.added == ["account-password-policy"] for f in imp.newly_fail)
    assert imp.newly_pass == [] and imp.old_failing == 0 and imp.new_failing == 2
    back = impact(CLEAN, strict, p2025, today=__import__("datetime").date(2025, 6, 1))
    assert [f.path for f in back.newly_pass] == ["accounts/ube-city-x.yaml", "accounts/ube-kosodate-line.yaml"]
    assert back.newly_fail == []


# ----------------------------------------------------------------------------- the CLI


def test_cli_text_json_markdown_and_exit_codes(tmp_path):
    old = copy_policy(tmp_path, "old")
    same = copy_policy(tmp_path, "same", [("rules/accounts.yaml", "min_length: 12", "min_length: 14")])
    r = run_cli("policy", "diff", str(old), str(same))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "厳しくなった変更 (1):" in r.stdout and "NG" in r.stdout
    r = run_cli("policy", "diff", str(old), str(same), "-f", "json")
    assert json.loads(r.stdout)["summary"]["tighter"] == 1
    r = run_cli("policy", "diff", "ube/2025-04-01", "ube/2025-04-01", "-f", "markdown", "--lang", "en")
    assert r.returncode == 0 and "No changes." in r.stdout
    r = run_cli("policy", "diff", "ube/2025-04-01", "ube/no-such-version")
    assert r.returncode == 2 and "no-such-version" in r.stderr and "Traceback" not in r.stderr
    out = tmp_path / "diff.md"
    r = run_cli("policy", "diff", str(old), str(same), "-f", "markdown", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("## ")


def test_cli_impact(tmp_path):
    old = copy_policy(tmp_path, "old")
    strict = copy_policy(tmp_path, "strict", [("rules/accounts.yaml", "min_length: 12", "min_length: 16"), *bump()])
    r = run_cli("policy", "diff", str(old), str(strict), "--impact", str(CLEAN), "-f", "markdown")
    assert r.returncode == 0, r.stderr
    assert "#### 新たに不合格になるファイル（2）" in r.stdout
    assert "| `accounts/ube-city-x.yaml` | `account-password-policy` | — |" in r.stdout
    assert "#### 新たに合格になるファイル（0）" in r.stdout


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    r = subprocess.run(["git", *args], cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_cli_git_refs(tmp_path):
    repo = tmp_path / "city"
    repo.mkdir()
    shutil.copytree(BUNDLED, repo / "policy" / "ube")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "policy")
    p = repo / "policy" / "ube" / "rules" / "accounts.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("min_length: 12", "min_length: 14"), encoding="utf-8")
    r = run_cli("policy", "diff", "HEAD:policy/ube", "policy/ube", "-f", "json", cwd=repo)
    assert r.returncode == 1, r.stderr  # changed without a version
    data = json.loads(r.stdout)
    assert [c["subject"] for c in data["changes"]] == ["min_length"]
    r = run_cli("policy", "diff", "HEAD:policy/ube/policy.yaml", "policy/ube/policy.yaml", cwd=repo)
    assert r.returncode == 1 and "min_length" in r.stdout
    r = run_cli("policy", "diff", "nosuchref:policy/ube", "policy/ube", cwd=repo)
    assert r.returncode == 2 and "git fetch" in r.stderr
    r = run_cli("policy", "diff", "HEAD:policy/none", "policy/ube", cwd=repo)
    assert r.returncode == 2 and "policy/none" in r.stderr
    r = run_cli("policy", "diff", "HEAD:", "policy/ube", cwd=repo)
    assert r.returncode == 2


# ----------------------------------------------------------------------------- the 2026 draft


@pytest.mark.skipif(not DRAFT.is_dir(), reason="the 2026 draft policy is not there")
def test_2026_draft_diff_reads_well():
    old, new = policy_mod.load("ube/2025-04-01"), policy_mod.load("ube/2026-04-01-draft")
    d = pd.diff(old, new)
    assert d.problems == []
    assert d.by_direction("tighter") and d.by_direction("looser")
    md = render.render_markdown(d, "ja", render.rule_titles([new, old], "ja"))
    assert "`ube/2025-04-01` → `ube/2026-04-01-draft`" in md
    assert "案（draft）" in md
    assert "✅" in md and "❌" not in md
    assert "`account-2fa`" in md and "`account-password-policy`" in md


@pytest.mark.skipif(not DRAFT.is_dir(), reason="the 2026 draft policy is not there")
def test_2026_draft_impact_on_the_violations_repo():
    r = run_cli("policy", "diff", "ube/2025-04-01", "ube/2026-04-01-draft", "--impact", str(VIOLATIONS), "-f", "json")
    assert r.returncode == 0, r.stderr
    imp = json.loads(r.stdout)["impact"]
    fail = {f["path"]: f["added"] for f in imp["newly_fail"]}
    assert fail.get("accounts/ube-library-instagram.yaml") == ["account-2fa (warning→error)"]  # SMS two-factor
    assert not any(p.startswith("posts/") and "account-2fa" in rules for p, rules in fail.items())


def test_dict_params_compare_per_key():
    got = {(c.subject, c.direction) for c in pd.param_changes("limits", {"x": 280, "line": 500}, {"x": 300, "line": 500, "threads": 500})}
    assert got == {("limits.x", "looser"), ("limits.threads", "tighter")}  # a limit where there was none
    [c] = pd.param_changes("rights_required", {"licensed": ["license"]}, {"licensed": ["license", "credit"]})
    assert (c.subject, c.direction, c.items) == ("rights_required.licensed", "tighter", ["credit"])
    assert render.describe(c, "ja") == "パラメータ rights_required.licensed に追加: credit"



# ----------------------------------------------------------------------------- clause text, version order


def test_text_diff_marks_character_runs():
    ops = pd.text_diff("所属長の承認を得ること。", "あらかじめ情報セキュリティ管理者の承認を得ること。")
    assert ("-", "所属長") in ops and ("+", "あらかじめ情報セキュリティ管理者") in ops
    assert ("=", "の承認を得ること。") in ops
    assert pd.text_diff("同じ", "同じ") == [("=", "同じ")]
    # a short unchanged run between two edits is folded into them: one readable replacement
    folded = pd.text_diff("赤い大きな犬", "青い小さな犬")
    assert folded == [("-", "赤い大き"), ("+", "青い小さ"), ("=", "な犬")]


def test_a_changed_clause_text_is_shown_as_old_and_new_words(tmp_path):
    old = load(copy_policy(tmp_path, "old"))
    text = old.clauses["3(1)"]["text"]
    assert "承認" in text
    new_text = text.replace("承認", "事前の承認", 1)
    new = load(copy_policy(tmp_path, "new", [("policy.yaml", text.split("\n")[0], new_text.split("\n")[0])]))
    d = pd.diff(old, new)
    kinds = [c.kind for c in d.changes]
    assert "guideline-clause-text" in kinds
    md = render.render_markdown(d, "ja")
    assert "〔追加：**事前の**〕" in md
    assert "本文または確認の可否を変更" not in md
    txt = render.render_text(d, "en")
    assert "〔added: 事前の〕" in txt


def test_a_version_that_goes_down_is_refused(tmp_path):
    old = load(copy_policy(tmp_path, "old"))
    back = load(copy_policy(tmp_path, "back", [("rules/accounts.yaml", "min_length: 12", "min_length: 14"),
                                                 ("policy.yaml", 'version: "2025-04-01"', 'version: "2024-04-01"')]))
    d = pd.diff(old, back)
    assert d.problems == ["version_backwards"]
    assert "下がっています" in render.render_text(d, "ja")
    assert pd.version_key("2026-04-01-draft") > pd.version_key("2025-04-01")
    assert pd.version_key("1.10") > pd.version_key("1.9")
