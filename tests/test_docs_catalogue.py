"""``snspolicy docs``: the rule catalogue generated from the policy, and the committed copy kept fresh."""

from __future__ import annotations

import re
import shutil
import pytest

from conftest import ROOT, run_cli, write

from snspolicy.policy import model as policy_mod
from snspolicy.app.rule_docs import catalogue, clause_key

CATALOGUE = ROOT / "docs" / "rules.md"
POLICY_DIR = ROOT / "policy" / "ube" / "2025-04-01"


@pytest.fixture(scope="module")
def pol():
    return policy_mod.load("ube/2025-04-01")


@pytest.fixture(scope="module")
def text_ja(pol) -> str:
    return catalogue(pol, "ja")


def test_committed_catalogue_is_up_to_date():
    """Fails when a rule, clause or message changed without `snspolicy docs -o docs/rules.md --no-plugins`."""
    r = run_cli("docs", "--check", "-o", str(CATALOGUE), "--no-plugins", cwd=ROOT)
    assert r.returncode == 0, (
        "docs/rules.md is stale; regenerate it with: snspolicy docs -o docs/rules.md --no-plugins\n" + r.stderr[-3000:])


def test_every_rule_and_clause_is_documented(pol, text_ja):
    for rid, spec in pol.rules.items():
        assert f"#### `{rid}` " in text_ja, rid
        assert f'<a id="rule-{rid}"></a>' in text_ja
        assert spec.title_in("ja") in text_ja
    for c, entry in pol.clauses.items():
        assert re.search(rf"^### {re.escape(c)} ", text_ja, re.M), c
        if entry.get("checkable") is False:
            reason = entry["reason"]["ja"]
            assert reason in text_ja, c  # a clause that is not checked says why


def test_clauses_are_in_guideline_order_and_rules_under_their_clause(pol, text_ja):
    heads = re.findall(r"^### (\S+) ", text_ja, re.M)
    assert heads == sorted(heads, key=clause_key)
    assert heads.index("3(2)") < heads.index("3(10)") if "3(10)" in heads else True
    assert heads.index("6(9)") < heads.index("6(10)") < heads.index("6(11)")
    # account-2fa sits in the section of 4(2), between the headings of 4(2) and 4(3)
    s42, s43 = text_ja.index("### 4(2) "), text_ja.index("### 4(3) ")
    assert s42 < text_ja.index("#### `account-2fa` ") < s43


def test_rule_section_has_what_why_examples_params_and_messages(pol, text_ja):
    spec = pol.rules["account-holders"]
    start = text_ja.index("#### `account-holders` ")
    section = text_ja[start:text_ja.index("<a id=", start)]
    assert "**何を確認するか**" in section and spec.doc_text("what", "ja") in section  # parameter values filled in
    assert "**なぜ**" in section and "**悪い例**" in section and "**良い例**" in section
    assert "```yaml" in section
    assert "| `required` | `2` | 人 | 担当者の人数（原則） |" in section  # value, unit and description
    assert "- `default`: " in section and "- `expired`: " in section
    assert "重大度: **error**" in section


def test_fences_are_balanced_and_output_is_deterministic(pol, text_ja):
    assert catalogue(pol, "ja") == text_ja
    fences = [ln for ln in text_ja.splitlines() if ln.startswith("```")]
    assert len(fences) % 2 == 0
    assert text_ja.endswith("\n") and not text_ja.endswith("\n\n")
    assert "\r" not in text_ja


def test_english_catalogue(pol):
    en = catalogue(pol, "en")
    assert en.startswith("# Rule catalogue")
    assert "**What it checks**" in en and "**Why**" in en
    assert pol.rules["account-2fa"].title["en"] in en


def test_html_and_table_characters_in_the_policy_are_escaped(tmp_path):
    local = tmp_path / "pol"
    shutil.copytree(POLICY_DIR, local)
    rules = local / "rules" / "accounts.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace('title: {ja: "担当者は原則2名"', 'title: {ja: "担当者は<b>原則</b>2|名"', 1)
    rules.write_text(text, encoding="utf-8")
    out = catalogue(policy_mod.load(str(local)), "ja")
    assert "<b>" not in out and "&lt;b&gt;原則&lt;/b&gt;2\\|名" in out


def test_check_detects_a_stale_or_missing_file(tmp_path):
    target = tmp_path / "rules.md"
    r = run_cli("docs", "--check", "-o", str(target), "--no-plugins", cwd=tmp_path)
    assert r.returncode == 1 and "snspolicy docs -o" in r.stderr  # missing
    r = run_cli("docs", "-o", str(target), "--no-plugins", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = run_cli("docs", "--check", "-o", str(target), "--no-plugins", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    target.write_text(target.read_text(encoding="utf-8").replace("二重認証", "二段階認証", 1), encoding="utf-8")
    r = run_cli("docs", "--check", "-o", str(target), "--no-plugins", cwd=tmp_path)
    assert r.returncode == 1
    assert "二段階認証" in r.stderr  # the diff shows what differs
    # CRLF line ends (a Windows checkout) are not a difference
    run_cli("docs", "-o", str(target), "--no-plugins", cwd=tmp_path)
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    assert run_cli("docs", "--check", "-o", str(target), "--no-plugins", cwd=tmp_path).returncode == 0


def test_stdout_equals_the_written_file(tmp_path):
    out = run_cli("docs", "--no-plugins", cwd=tmp_path)
    assert out.returncode == 0
    run_cli("docs", "-o", str(tmp_path / "r.md"), "--no-plugins", cwd=tmp_path)
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == out.stdout


def test_repo_overrides_are_shown_with_their_reason(mini_repo):
    cfg = mini_repo / "snspolicy.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "rules:\n  waiver-unused: {severity: error, reason: 使わない例外は消す}\n",
                   encoding="utf-8")
    r = run_cli("docs", "--no-plugins", cwd=mini_repo)
    assert r.returncode == 0, r.stderr
    start = r.stdout.index("#### `waiver-unused` ")
    section = r.stdout[start:start + 800]
    assert "重大度: **error**" in section and "使わない例外は消す" in section


def test_broken_policy_is_a_located_error(tmp_path):
    local = tmp_path / "pol"
    shutil.copytree(POLICY_DIR, local)
    write(local, "rules/accounts.yaml", (local / "rules" / "accounts.yaml").read_text(encoding="utf-8")
          .replace("severity: error", "severity: fatal", 1))
    r = run_cli("docs", "--policy", str(local), "--no-plugins", cwd=tmp_path)
    assert r.returncode == 2
    assert "accounts.yaml:" in r.stderr and "Traceback" not in r.stderr
