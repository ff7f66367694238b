"""Acceptance of issue 11: three real variants of the guideline, written in YAML alone.

Each folder of examples/policies/ is a posts repo whose snspolicy.yaml names its own policy, a
short file that ``extends: ube/2025-04-01``. The real CLI lints each repo twice — with its own
policy and with Ube's — and the findings differ exactly as the variant says. A last group of
tests fails if any variant needs code outside the policy: every rule of the resolved policy is
built in or of a generic kind, no plugin (entry point) is involved, there is no Python file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from snspolicy.engine.registry import BUILTIN_MODULES, ENGINE_RULES, implementation, load_builtin_rules
from snspolicy.policy.model import load
from snspolicy.rules.generic import KINDS

VARIANTS = ROOT / "examples" / "policies"
NAMES = ("urayasu", "kamisu", "izumi")
TODAY = "2025-10-15"

#: (path, rule, clause, severity) of every finding, under the variant's own policy and under Ube's
EXPECTED = {
    "urayasu": (1, {
        ("accounts/example-kanko-x.yaml", "account-no-deputies", "5", "error"),
        ("accounts/example-kanko-x.yaml", "account-password-policy", "4(3)", "error"),
        ("posts/example-kanko-x/2025/2025-10-03-momiji.md", "post-approval", "5", "error"),
    }),
    "kamisu": (1, {
        ("accounts/example-event-x.yaml", "account-idle", "3(2)", "error"),
    }),
    "izumi": (0, {
        ("posts/example-koho-x/2025/2025-10-20-dansui.md", "text-unverified", "6(12)", "warning"),
        ("posts/example-koho-x/2025/2025-10-20-dansui.md", "text-spread-request", "6(12)", "warning"),
    }),
}
EXPECTED_UBE = {
    "urayasu": (0, set()),
    "kamisu": (0, {("accounts/example-koho-x.yaml", "account-roster", "4(4)", "warning")}),
    "izumi": (0, {("posts/example-koho-x/2025/2025-10-21-kankou.md", "text-discrimination", "6(2)", "warning")}),
}


def lint(name: str, *extra: str, lang: str = "ja") -> tuple[int, list[dict]]:
    proc = run_cli("lint", str(VARIANTS / name), "--today", TODAY, "-f", "json", "--lang", lang, *extra, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def found(findings: list[dict]) -> set[tuple[str, str, str, str]]:
    return {(f["path"], f["rule"], f["clause"], f["severity"]) for f in findings}


@pytest.mark.parametrize("name", NAMES)
def test_variant_policy_changes_what_is_reported(name: str) -> None:
    code, findings = lint(name)
    assert (code, found(findings)) == EXPECTED[name]
    code, findings = lint(name, "--policy", "ube/2025-04-01")
    assert (code, found(findings)) == EXPECTED_UBE[name]


@pytest.mark.parametrize("name", NAMES)
def test_variant_policy_is_valid_and_extends_ube(name: str) -> None:
    proc = run_cli("policy", "validate", str(VARIANTS / name / "policy"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pol = load(str(VARIANTS / name / "policy"))
    assert pol.extends == "ube/2025-04-01" and pol.base_id == "ube/2025-04-01"
    lines = (VARIANTS / name / "policy" / "policy.yaml").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 100  # a few dozen lines: the changes, not a copy of Ube's ~3,400


# --------------------------------------------------------------------------- what each variant says


def test_urayasu_messages_name_the_operations_manager() -> None:
    _code, findings = lint("urayasu")
    approval = [f for f in findings if f["rule"] == "post-approval"]
    assert approval and "運用管理者" in approval[0]["message"] and "代理者" not in approval[0]["message"]
    password = [f for f in findings if f["rule"] == "account-password-policy"]
    assert "上限 92 日" in password[0]["message"]


def test_urayasu_init_writes_no_deputies(tmp_path: Path) -> None:
    """init's sample account follows the policy: no deputies: line when only the manager approves."""
    repo = tmp_path / "new"
    proc = run_cli("init", str(repo), "--policy", str(VARIANTS / "urayasu" / "policy"), "--today", "2025-06-01")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    account = (repo / "accounts" / "sample-x.yaml").read_text(encoding="utf-8")
    assert "deputies:" not in account and "manager:" in account
    ube = tmp_path / "ube"
    assert run_cli("init", str(ube), "--today", "2025-06-01").returncode == 0
    assert "deputies: []" in (ube / "accounts" / "sample-x.yaml").read_text(encoding="utf-8")


def test_kamisu_dispatched_staff_count_and_idle_message_asks_for_suspension() -> None:
    _code, findings = lint("kamisu", lang="en")
    idle = [f for f in findings if f["rule"] == "account-idle"]
    assert len(idle) == 1 and "209 days" in idle[0]["message"] and "status: suspended" in idle[0]["message"]
    assert not [f for f in findings if f["rule"] == "account-roster"]  # 派遣職員 is staff here


def test_izumi_clause_heading_in_the_markdown_report() -> None:
    proc = run_cli("lint", str(VARIANTS / "izumi"), "--today", TODAY, "-f", "markdown", timeout=300)
    assert "ガイドライン 6(12) 不確かな情報" in proc.stdout  # the new clause's heading, from the policy
    assert "text-discrimination" not in proc.stdout  # 民度が低い: the residence entries are removed


def test_policy_diff_reads_well_for_each_variant() -> None:
    for name in NAMES:
        proc = run_cli("policy", "diff", "ube/2025-04-01", str(VARIANTS / name / "policy"), "-f", "markdown")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.startswith("## ") and "✅" in proc.stdout  # the version went up, with a changelog entry


def test_the_committed_diff_example_is_current() -> None:
    """docs/policy-diff-example.md is the rendered diff of the izumi variant (re-render it when the policy changes)."""
    proc = run_cli("policy", "diff", "ube/2025-04-01", "examples/policies/izumi/policy", "-f", "markdown", cwd=ROOT)
    doc = (ROOT / "docs" / "policy-diff-example.md").read_text(encoding="utf-8")
    assert proc.stdout.strip() in doc


# --------------------------------------------------------------------------- no code outside the policy


@pytest.mark.parametrize("name", NAMES)
def test_variant_needs_no_code_outside_the_policy(name: str) -> None:
    """Every rule is the engine's, a built-in module's, or of a generic kind — never a plugin's."""
    load_builtin_rules()
    pol = load(str(VARIANTS / name / "policy"))
    for rid, spec in pol.rules.items():
        if rid in ENGINE_RULES:
            continue
        if spec.kind:
            assert spec.kind in KINDS, rid
            continue
        impl = implementation(spec)
        assert impl is not None and impl.module in BUILTIN_MODULES, f"{rid}: {impl}"
    assert not list((VARIANTS / name).rglob("*.py")), "a variant is YAML only"


@pytest.mark.parametrize("name", NAMES)
def test_variant_runs_with_no_entry_points(name: str) -> None:
    """The same findings with plugin discovery switched off (no entry point can contribute)."""
    code = ("import importlib.metadata as m, sys\n"
            "orig = m.entry_points\n"
            "m.entry_points = lambda **kw: [] if kw.get('group') == 'snspolicy.rules' else orig(**kw)\n"
            "from snspolicy.cli import main\n"
            "sys.argv = ['snspolicy'] + sys.argv[1:]\n"
            "main()\n")
    proc = subprocess.run([sys.executable, "-c", code, "lint", str(VARIANTS / name), "--today", TODAY, "-f", "json"],
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert (proc.returncode, found(json.loads(proc.stdout))) == EXPECTED[name]
