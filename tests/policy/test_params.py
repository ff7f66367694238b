"""Every rule parameter has a schema in the policy; the policy and every override are checked against
it; a rule reads only what the policy defines (no default in Python)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from policy_helpers import extending, line_of, repo_with_policy

from snspolicy.app.rule_params import module_reads, params_read
from snspolicy.app.validate import policy_problems
from snspolicy.engine.registry import load_builtin_rules
from snspolicy.policy import model as policy_mod
from snspolicy.policy.checks import param_problems
from snspolicy.policy.model import PolicyError
from snspolicy.rules.api import Context


@pytest.fixture(scope="module")
def ube():
    return policy_mod.load("ube/2025-04-01")


def test_every_parameter_of_the_bundled_policies_has_a_schema_and_fits_it(ube):
    for ref in ("ube/2025-04-01", "ube/2026-04-01-draft"):
        pol = policy_mod.load(ref)
        assert policy_problems(pol) == [], ref
    for rid, spec in ube.rules.items():
        assert set(spec.params) == set(spec.param_schema), rid
        for name, schema in spec.param_schema.items():
            assert schema["description"]["ja"] and schema["description"]["en"], (rid, name)
    assert set(ube.params) == set(ube.param_schema)


def test_units_where_a_value_has_one(ube):
    assert ube.unit_of("account-password-policy", "min_length") == "characters"
    assert ube.unit_of("account-approval", "max_future_days") == "days"
    assert ube.unit_of("clarity-length", "limits.x") == "characters"  # a key of a mapping takes its unit
    assert ube.unit_of("account-2fa", "weak_methods") is None


# --------------------------------------------------------------------------- the policy


def test_a_misspelt_parameter_is_refused_with_a_did_you_mean(tmp_path):
    main = extending(tmp_path / "p", "rules:\n  account-holders:\n    params: {min_holderz: 5}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2
    line = line_of(main, "min_holderz")
    assert f"policy.yaml:{line}:" in r.stdout
    assert "min_holderz" in r.stdout and "「min_holders」の誤りではありませんか" in r.stdout  # Japanese by default
    r = run_cli("policy", "validate", str(main.parent), "--lang", "en")
    assert "Did you mean 'min_holders'?" in r.stdout


def test_a_mistyped_parameter_is_refused_at_its_value(tmp_path):
    main = extending(tmp_path / "p", 'rules:\n  account-password-policy:\n    params:\n      min_length: "14"\n')
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2
    assert f"policy.yaml:{line_of(main, 'min_length')}:" in r.stdout and "min_length" in r.stdout
    main.write_text(main.read_text(encoding="utf-8").replace('"14"', "0"), encoding="utf-8")  # below its minimum
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2 and "1 以上" in r.stdout


def test_a_list_of_the_wrong_words_and_a_bad_severity_are_refused(tmp_path):
    main = extending(tmp_path / "p", "rules:\n  account-2fa:\n    params: {weak_methods: [sms, fax], weak_severity: fatal}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2
    assert "weak_methods.1" in r.stdout and "weak_severity" in r.stdout


def test_a_schema_without_a_value_is_refused(tmp_path):
    main = extending(tmp_path / "p", "rules:\n  account-holders:\n    param_schema:\n"
                                     "      max_holders: {type: integer, description: {ja: 上限}}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2 and "max_holders" in r.stdout and "値がありません" in r.stdout
    assert f"policy.yaml:{line_of(main, 'max_holders')}:" in r.stdout


def test_a_new_parameter_with_its_schema_is_accepted(tmp_path):
    main = extending(tmp_path / "p", "params: {city_code: 352021}\nparam_schema:\n"
                                     "  city_code: {type: integer, description: {ja: 団体コード, en: municipality code}}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 0, r.stdout


def test_a_shared_parameter_without_a_schema_is_refused(tmp_path):
    main = extending(tmp_path / "p", "params: {timezon: '+09:00'}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2 and "timezon" in r.stdout and "timezone" in r.stdout


def test_param_problems_must_fire_and_must_not():
    schemas = {"n": {"type": "integer", "minimum": 1, "description": {"ja": "数"}}}
    assert list(param_problems({"n": 3}, schemas, "x")) == []
    assert [p.code for p in param_problems({"n": 0}, schemas, "x")] == ["policy_param_invalid"]
    assert [p.code for p in param_problems({"m": 3}, schemas, "x")] == ["policy_param_unknown", "policy_param_no_value"]
    assert [p.code for p in param_problems({"nn": 3}, schemas, "x", need_values=False)] == ["policy_param_unknown_suggest"]
    assert [p.code for p in param_problems({}, schemas, "x", need_values=False)] == []


# --------------------------------------------------------------------------- overrides in snspolicy.yaml


def test_an_override_with_an_unknown_parameter_stops_lint_at_its_line(tmp_path):
    repo = repo_with_policy(tmp_path, config_extra=(
        "rules:\n  account-holders:\n    params: {min_holderz: 2}\n    reason: テスト\n"))
    r = run_cli("lint", cwd=repo)
    assert r.returncode == 2, r.stdout + r.stderr
    line = line_of(repo / "snspolicy.yaml", "min_holderz")
    assert f"snspolicy.yaml:{line}:" in r.stdout + r.stderr
    assert "min_holders" in r.stdout + r.stderr


def test_an_override_of_the_wrong_type_stops_lint(tmp_path):
    repo = repo_with_policy(tmp_path, config_extra=(
        "rules:\n  account-password-policy:\n    params: {min_length: 十四}\n    reason: テスト\n"))
    r = run_cli("lint", cwd=repo)
    assert r.returncode == 2
    assert "min_length" in r.stdout + r.stderr
    r = run_cli("policy", "validate", cwd=repo)
    assert r.returncode == 2 and f"snspolicy.yaml:{line_of(repo / 'snspolicy.yaml', 'min_length')}:" in r.stdout


def test_a_valid_override_is_accepted(tmp_path):
    repo = repo_with_policy(tmp_path, config_extra=(
        "rules:\n  account-password-policy:\n    params: {min_length: 16}\n    reason: 16 文字以上にする\n"))
    r = run_cli("policy", "validate", cwd=repo)
    assert r.returncode == 0, r.stdout
    r = run_cli("explain", "account-password-policy", cwd=repo)  # explain shows the policy, not the override
    assert r.returncode == 0


# --------------------------------------------------------------------------- no default in Python


def test_ctx_param_has_no_default(ube):
    spec = ube.rules["account-holders"]
    ctx = Context(repo=None, policy=ube, today=None, rule=spec)  # type: ignore[arg-type]
    assert ctx.param("required") == 2
    assert ctx.param("timezone") == "+09:00"  # a shared parameter
    with pytest.raises(TypeError):
        ctx.param("required", 3)  # type: ignore[call-arg]
    with pytest.raises(PolicyError) as info:
        ctx.param("max_holders")
    assert info.value.code == "policy_param_undefined"
    assert info.value.path.endswith("accounts.yaml") and info.value.span.line > 0  # at the rule in the policy


def _param_calls(path: Path) -> list[tuple[int, int]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "param":
            out.append((node.lineno, len(node.args) + len(node.keywords)))
    return out


def test_no_rule_gives_a_parameter_a_python_default():
    """``ctx.param(name, default)`` is gone: the policy holds every value (issue 11)."""
    offenders = []
    for folder in ("rules", "text", "domain"):
        for path in sorted((ROOT / "src" / "snspolicy" / folder).rglob("*.py")):
            offenders += [f"{path.name}:{line}" for line, n in _param_calls(path) if n != 1]
    assert offenders == []


def test_the_parameters_each_rule_reads_are_found_and_defined(ube):
    registry = load_builtin_rules()
    reads = {rid: params_read(impl) for rid, impl in registry.items()}
    assert {"min_length", "allowed_managers", "require_unique", "max_age_days", "max_future_days"} <= reads["account-password-policy"]
    assert {"weak_severity", "weak_methods", "strong_methods"} <= reads["account-2fa"]  # _severity(ctx, "weak_severity", …)
    assert reads["post-removed"] == {"retention_days"}  # through _int_param(ctx, "retention_days")
    for rid, spec in ube.rules.items():
        if rid in reads:
            assert reads[rid] <= set(spec.params) | set(ube.params), rid


def test_the_source_scan_follows_helpers(tmp_path):
    mod = tmp_path / "some_rules.py"
    mod.write_text(textwrap.dedent('''
        def _sev(ctx, name, fallback):
            return ctx.param(name)

        def _limit(ctx):
            return ctx.param("limit")

        def check(doc, ctx):
            _sev(ctx, "host_severity", "warning")
            _sev(ctx, name="other_severity", fallback=None)
            return _limit(ctx) + ctx.param("plain")

        def unrelated(doc, ctx):
            return ctx.param("never")
    '''), encoding="utf-8")
    reads = module_reads(str(mod))
    assert reads["check"] == {"host_severity", "other_severity", "limit", "plain"}
    assert reads["unrelated"] == {"never"}


def test_a_rule_reading_a_parameter_the_policy_lacks_is_refused_before_it_runs(tmp_path):
    """A city's policy that removes a parameter the code reads: refused when loaded, at the rule."""
    main = extending(tmp_path / "p", "remove:\n  rules: [account-approval]\nrules:\n"
                     "  account-approval:\n    clause: \"3(1)\"\n    severity: error\n    title: {ja: 承認}\n"
                     "    message: {ja: 承認がありません。}\n    doc: {why: {ja: テスト}, bad: x, good: y}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2
    assert "max_future_days" in r.stdout and f"policy.yaml:{line_of(main, '  account-approval:')}:" in r.stdout
