"""Rule docs render parameter values (they cannot go stale), and one validation for lint and
``policy validate``: unimplemented rules, lexicon clauses, placeholders … each located, exit 2."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli
from policy_helpers import extending, line_of, repo_with_policy

from snspolicy.app.rule_docs import catalogue
from snspolicy.policy import model as policy_mod
from snspolicy.policy.params import bare_placeholders, format_value, placeholder_problems, render
from snspolicy.reporters.explain import explain_text

# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("text, values, lang, expected", [
    ("{params.n}", {"n": 12}, "ja", "12"),
    ("{params.d|duration}", {"d": 1096}, "ja", "3 年"),
    ("{params.d|duration}", {"d": 1096}, "en", "three years"),
    ("{params.d|duration}", {"d": 365}, "en", "one year"),
    ("{params.d|duration}", {"d": 90}, "ja", "90 日"),
    ("{params.d|duration}", {"d": 1}, "en", "1 day"),
    ("{params.d|duration}", {"d": 400}, "ja", "400 日"),  # not a whole number of years
    ("{params.n|words}", {"n": 2}, "en", "two"),
    ("{params.n|words}", {"n": 2}, "ja", "2"),
    ("{params.n|words}", {"n": 12}, "en", "12"),
    ("{params.n|thousands}", {"n": 63206}, "en", "63,206"),
    ("{params.m.x}", {"m": {"x": 280}}, "ja", "280"),
    ("{params.m.a,params.m.b}", {"m": {"a": 500, "b": 500}}, "ja", "500"),
    ("{params.m.a,params.m.b}", {"m": {"a": 500, "b": 600}}, "ja", "500・600"),
    ("{params.m.a,params.m.b}", {"m": {"a": 500, "b": 600}}, "en", "500/600"),
    ("{params.l}", {"l": ["sms", "email"]}, "ja", "sms、email"),
    ("{params.l}", {"l": ["sms", "email"]}, "en", "sms, email"),
    ("{params.z}", {"z": None}, "ja", "なし"),
    ("{params.b}", {"b": True}, "en", "yes"),
    ("{params.nope} {count}", {"n": 1}, "ja", "{params.nope} {count}"),  # unknown and non-parameter: as written
    ("{params.n|bogus}", {"n": 1}, "ja", "{params.n|bogus}"),
])
def test_render(text, values, lang, expected):
    assert render(text, values, lang) == expected


def test_placeholder_problems_must_fire_and_must_not():
    values = {"n": 1, "m": {"x": 2}}
    assert placeholder_problems("{params.n} {params.m.x|thousands} {count}", values) == []
    assert placeholder_problems("{params.nn}", values) == [("{params.nn}", "unknown")]
    assert placeholder_problems("{params.m.y}", values) == [("{params.m.y}", "unknown")]
    assert placeholder_problems("{params.n|bogus}", values) == [("{params.n|bogus}", "filter")]
    assert bare_placeholders("{params.n} と {min_length}") == ["{min_length}"]
    assert bare_placeholders("（12 文字）") == []
    assert format_value(4.0, "ja") == "4.0"


def test_explain_follows_the_parameter(tmp_path):
    """The issue's example: explain said 「ポリシーの値（12 文字）」 after the parameter became 16."""
    main = extending(tmp_path / "p", "rules:\n  account-password-policy:\n    params: {min_length: 16}\n")
    r = run_cli("explain", "account-password-policy", "--policy", str(main.parent))
    assert r.returncode == 0, r.stderr
    assert "ポリシーの値（16 文字）" in r.stdout and "12 文字" not in r.stdout
    assert "min_length: 16 文字" in r.stdout  # the parameter, with its unit
    r = run_cli("explain", "account-password-policy", "--policy", str(main.parent), "--lang", "en")
    assert "at least the policy's (16)" in r.stdout and "min_length: 16 characters" in r.stdout


def test_docs_and_sarif_help_follow_the_parameters(tmp_path):
    main = extending(tmp_path / "p", "rules:\n  account-approval:\n    params: {max_future_days: 400}\n"
                                     "  account-holders:\n    params: {required: 3}\n")
    pol = policy_mod.load(str(main), None)
    ja, en = catalogue(pol, "ja"), catalogue(pol, "en")
    assert "承認日が 400 日以上先" in ja and "3 年以上先（日付の誤り）でなく" not in ja
    assert "more than 400 days ahead" in en and "exactly three distinct holders" in en
    assert "ちょうど 3 名か" in explain_text(pol, pol.rules["account-holders"], "ja")
    from snspolicy.app.setup import rule_infos

    assert "400 日以上先" in rule_infos(pol, "ja")["account-approval"].description


def test_messages_fill_parameters_too(tmp_path):
    main = extending(tmp_path / "p", "rules:\n  clarity-length:\n    params:\n      x_counting: {url_length: 24, default_weight: 2, emoji_weight: 2, light_weight: 1}\n")
    spec = policy_mod.load(str(main), None).rules["clarity-length"]
    assert "URL は1つを24と数えます" in spec.message("x", "ja") and "{length}" in spec.message("x", "ja")


def test_no_parameter_value_is_written_into_the_bundled_docs():
    """A number a rule's parameter holds (3 or more) does not appear in its what/why/fix as written:
    the text names the parameter instead (``{params.min_length}``)."""
    pol = policy_mod.load("ube/2025-04-01")
    found = []
    for rid, spec in pol.rules.items():
        numbers = {v for v in spec.params.values() if isinstance(v, int) and not isinstance(v, bool) and v >= 3}
        for v in spec.params.values():
            if isinstance(v, dict):
                numbers |= {x for x in v.values() if isinstance(x, int) and not isinstance(x, bool) and x >= 3}
        for key in ("what", "why", "fix"):
            for lang, text in (spec.doc.get(key) or {}).items():
                for n in numbers:
                    # a clause such as 4(3) is not a value
                    if re.search(rf"(?<![\d.,(]){n:,}(?![\d,)(])|(?<![\d.,(]){n}(?![\d,)(])", str(text)):
                        found.append(f"{rid} {key}.{lang}: {n}")
    assert found == []


@pytest.mark.parametrize("doc, code_word", [
    ("最低 {params.min_lenght} 文字", "{params.min_lenght}"),   # a misspelt parameter
    ("最低 {min_length} 文字", "{min_length}"),                  # a value written without params.
    ("最低 {params.min_length|years} 文字", "years"),             # an unknown filter
])
def test_a_broken_placeholder_in_the_docs_is_refused(tmp_path, doc, code_word):
    main = extending(tmp_path / "p", f"rules:\n  account-password-policy:\n    doc:\n      what: {{ja: \"{doc}\"}}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2 and code_word in r.stdout
    assert f"policy.yaml:{line_of(main, 'what:')}:" in r.stdout


# --------------------------------------------------------------------------- one validation


RULE = """\
  {rid}:
    clause: "5"
    severity: error
    title: {{ja: テスト}}
    message: {{ja: テストです。}}
    doc: {{why: {{ja: テスト}}, bad: x, good: y}}
"""


def test_an_unimplemented_rule_is_refused_by_validate_and_lint(tmp_path):
    repo = repo_with_policy(tmp_path, "rules:\n" + RULE.format(rid="no-such-impl"))
    main = repo / "policy" / "policy.yaml"
    where = f"policy/policy.yaml:{line_of(main, 'no-such-impl')}:"
    r = run_cli("policy", "validate", cwd=repo)
    assert r.returncode == 2 and where in r.stdout and "no-such-impl" in r.stdout
    r = run_cli("lint", cwd=repo)
    assert r.returncode == 2 and where in r.stdout + r.stderr
    r = run_cli("lint", "--select", "no-such-impl", cwd=repo)
    assert r.returncode == 2 and "no-such-impl" in r.stdout + r.stderr


def test_an_implemented_rule_passes(tmp_path):
    repo = repo_with_policy(tmp_path)
    assert run_cli("policy", "validate", cwd=repo).returncode == 0
    assert run_cli("lint", "--select", "account-2fa", cwd=repo).returncode == 0


def test_a_lexicon_entry_with_an_unknown_clause_is_refused(tmp_path):
    main = extending(tmp_path / "p", """\
lexicons:
  defamation:
    entries:
      - id: extra
        terms: [ろくでなし]
        match: token
        category: insult
        clause: "6(12)"
        severity: error
        examples: {match: [ろくでなしだ], no_match: [ろうそく]}
""")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2 and "6(12)" in r.stdout
    assert f"policy.yaml:{line_of(main, '6(12)')}:" in r.stdout
    ok = main.read_text(encoding="utf-8").replace('"6(12)"', '"6(1)"')
    main.write_text(ok, encoding="utf-8")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 0, r.stdout


BROKEN = {
    "unknown parameter": "rules:\n  account-holders:\n    params: {min_holderz: 5}\n",
    "wrong type": "rules:\n  account-holders:\n    params: {required: two}\n",
    "unimplemented rule": "rules:\n" + RULE.format(rid="no-such-impl"),
    "lexicon clause": "lexicons:\n  defamation:\n    entries:\n      - {id: baka, clause: \"9(9)\"}\n",
    "lexicon example": "lexicons:\n  defamation:\n    entries:\n      - {id: baka, examples: {match: [まったく関係のない文], no_match: []}}\n",
    "bare placeholder": "rules:\n  account-2fa:\n    doc: {what: {ja: \"{weak_methods} は弱い\"}}\n",
    "unsafe regex": "lexicons:\n  defamation:\n    entries:\n      - {id: hostile, match: regex, pattern: '(a+)+$', category: x, clause: \"6(1)\", "
                    "severity: error, examples: {match: [aaa], no_match: [bbb]}}\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_lint_refuses_what_validate_rejects(tmp_path, name):
    repo = repo_with_policy(tmp_path, BROKEN[name])
    v = run_cli("policy", "validate", cwd=repo)
    assert v.returncode == 2, (name, v.stdout)
    lint = run_cli("lint", cwd=repo)
    assert lint.returncode == 2, (name, lint.stdout, lint.stderr)
    located = re.findall(r"(policy/policy\.yaml:\d+|lexicons/\w+\.yaml:\d+)", v.stdout)
    assert located and any(loc in lint.stdout + lint.stderr for loc in located), (name, v.stdout, lint.stdout, lint.stderr)
