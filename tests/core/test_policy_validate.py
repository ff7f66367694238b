"""`snspolicy policy validate` accepts the bundled policy and rejects broken ones."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT, run_cli

POLICY = ROOT / "policy" / "ube" / "2025-04-01"


@pytest.fixture
def policy_copy(tmp_path):
    dest = tmp_path / "pol"
    shutil.copytree(POLICY, dest)
    return dest


def test_bundled_policy_is_valid():
    proc = run_cli("policy", "validate", "ube/2025-04-01")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_policy_breaking_its_schema_fails(policy_copy):
    p = policy_copy / "rules" / "accounts.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("severity: error", "severity: fatal", 1), encoding="utf-8")
    proc = run_cli("policy", "validate", str(policy_copy))
    assert proc.returncode == 2
    assert "accounts.yaml:" in proc.stdout and "severity" in proc.stdout


def test_policy_with_unknown_clause_fails(policy_copy):
    p = policy_copy / "rules" / "accounts.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace('clause: "4(1)"', 'clause: "9(9)"', 1), encoding="utf-8")
    proc = run_cli("policy", "validate", str(policy_copy))
    assert proc.returncode == 2 and "9(9)" in proc.stdout


def test_checkable_clause_without_a_rule_fails(policy_copy):
    """The policy's clauses are the guideline's (no list of Ube's clauses in Python): a clause said
    to be checkable needs a rule, one said not to be needs a reason."""
    p = policy_copy / "policy.yaml"
    text = p.read_text(encoding="utf-8")
    start = text.index('  "3(8)":')
    block = text[start:text.index('  "4":')]
    assert "checkable: false" in block
    p.write_text(text.replace(block, block.replace("checkable: false", "checkable: true"), 1), encoding="utf-8")
    proc = run_cli("policy", "validate", str(policy_copy))
    assert proc.returncode == 2 and "3(8)" in proc.stdout
    assert "policy.yaml:" in proc.stdout


def test_policy_without_a_clause_no_rule_names_is_valid(policy_copy):
    """Removing a clause no rule names is a change of the guideline, not an error (another city's
    guideline has other clauses)."""
    p = policy_copy / "policy.yaml"
    text = p.read_text(encoding="utf-8")
    start = text.index('  "3(8)":')
    end = text.index('  "4":')
    p.write_text(text[:start] + text[end:], encoding="utf-8")
    proc = run_cli("policy", "validate", str(policy_copy))
    assert proc.returncode == 0, proc.stdout


def test_lexicon_example_that_no_longer_matches_fails(policy_copy):
    p = policy_copy / "lexicons" / "defamation.yaml"
    text = p.read_text(encoding="utf-8")
    # drop one spelling: its own 'match' example must now fail validation
    assert "バカ" in text
    broken = text.replace("examples:\n", "examples:\n", 1)
    broken = broken.replace("match: [", "match: [まったく無関係な文です。, ", 1)
    p.write_text(broken, encoding="utf-8")
    proc = run_cli("policy", "validate", str(policy_copy))
    assert proc.returncode == 2, proc.stdout
    assert "まったく無関係な文です" in proc.stdout


def test_hostile_regex_in_policy_is_rejected_quickly(policy_copy):
    p = policy_copy / "lexicons" / "incitement.yaml"
    text = p.read_text(encoding="utf-8")
    hostile = (
        "  - id: hostile-pattern\n    match: regex\n    pattern: '(a+)+$'\n    category: test\n    clause: \"6(4)\"\n"
        "    severity: error\n    examples: {match: [aaa], no_match: [bbb]}\n"
    )
    p.write_text(text.rstrip("\n") + "\n" + hostile, encoding="utf-8")
    proc = run_cli("policy", "validate", str(policy_copy), timeout=60)
    assert proc.returncode == 2 and "hostile-pattern" in proc.stdout


def test_rules_and_explain():
    proc = run_cli("rules")
    assert proc.returncode == 0 and "account-2fa" in proc.stdout and "4(2)" in proc.stdout
    proc = run_cli("explain", "account-holders")
    assert proc.returncode == 0 and "原則2名" in proc.stdout and "悪い例" in proc.stdout
    proc = run_cli("explain", "account-holders", "--lang", "en")
    assert "Bad" in proc.stdout
    proc = run_cli("explain", "no-such-rule")
    assert proc.returncode == 2
