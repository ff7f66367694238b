"""Rules of a generic kind (kind: lexicon | pattern | fields): written in a policy, no Python.

Each test builds a posts repo with a local policy — a copy of the bundled one plus a rules file
(and lexicons, clauses) of its own — and runs the real pipeline: cases that must fire, cases that
must not, and policies that must be refused (exit status 2, at the policy's line).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_ACCOUNT, ROOT, run_cli, write

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.app.validate import policy_problems
from snspolicy.core.model import Severity
from snspolicy.engine.registry import implementation, is_runnable
from snspolicy.policy.model import load

BUNDLED = ROOT / "policy" / "ube" / "2025-04-01"
TODAY = dt.date(2025, 6, 1)

RUMOUR_LEXICON = """\
lexicon: rumour
title: {ja: 真偽の確かでない情報, en: Unverified information}
source: テスト用
entries:
  - id: mikakunin
    terms: [未確認情報]
    match: text
    category: unverified
    clause: "6(12)"
    severity: warning
    examples: {match: [未確認情報です], no_match: [確認済みの情報です]}
  - id: uwasa
    terms: [噂]
    category: unverified
    clause: "6(12)"
    severity: error
    examples: {match: [噂があります], no_match: [噂話ではありません]}
  - id: dema
    terms: [デマ]
    category: unverified
    clause: "6(1)"
    severity: info
    examples: {match: [それはデマです], no_match: [デモ行進があります]}
"""

NEW_CLAUSE = """\
  "6(12)":
    title: {ja: "不確かな情報の拡散の禁止", en: "No spreading unverified information"}
    heading: {ja: "不確かな情報", en: "Unverified information"}
    text: 真偽の確かでない情報を発信し、又は拡散しないこと。
    checkable: true
"""


def rule_yaml(rid: str, kind: str, params: str, *, clause: str = "6(12)", severity: str = "error",
              message: str = '{ja: "「{found}」は確かめてから書いてください。", en: "Check {found} first."}',
              enabled: str = "") -> str:
    return (f"  {rid}:\n    kind: {kind}\n    clause: \"{clause}\"\n    severity: {severity}\n{enabled}"
            f"    title: {{ja: テスト, en: Test}}\n    message: {message}\n    params:\n{params}"
            f"    doc:\n      why: {{ja: テスト, en: Test}}\n      bad: x\n      good: y\n")


def make_repo(root: Path, rules: str, *, lexicons: dict[str, str] | None = None, clauses: str = NEW_CLAUSE,
              posts: dict[str, str] | None = None, account: str = MINIMAL_ACCOUNT, config_extra: str = "") -> Path:
    """A posts repo whose snspolicy.yaml names a local policy: the bundled one plus ``rules``
    (a rules file's entries), ``lexicons`` (name -> file) and ``clauses`` (added to policy.yaml)."""
    pol = root / "policy"
    shutil.copytree(BUNDLED, pol)
    main = pol / "policy.yaml"
    text = main.read_text(encoding="utf-8")
    text = text.replace("    - rules/workflow.yaml\n", "    - rules/workflow.yaml\n    - rules/local.yaml\n", 1)
    for name in lexicons or {}:
        text = text.replace("  lexicons:\n", f"  lexicons:\n    - lexicons/{name}.yaml\n", 1)
    text = text.replace("\nclauses:\n", "\nclauses:\n" + clauses, 1)
    main.write_text(text, encoding="utf-8")
    write(pol, "rules/local.yaml", "rules:\n" + rules)
    for name, body in (lexicons or {}).items():
        write(pol, f"lexicons/{name}.yaml", body)
    write(root, "snspolicy.yaml", "policy: policy\nfail_on: error\n" + config_extra)
    write(root, "accounts/test-x.yaml", account)
    for rel, body in (posts or {}).items():
        write(root, rel, body)
    return root


def post(body: str, *, status: str = "draft", extra: str = "") -> str:
    return ("---\nid: p1\naccount: test-x\nstatus: " + status + "\npublish_at: 2025-06-10T09:00:00+09:00\n"
            "category: civic\nauthor: {employee_id: \"200002\"}\n" + extra + "---\n" + body + "\n")


def lint(root: Path, rule: str | None = None, today: dt.date = TODAY, lang: str = "ja") -> list:
    setup = runner.prepare([root])
    _repo, result = lint_setup(setup, lang=lang, today=today)
    return [f for f in result.findings if rule is None or f.rule == rule]


POST_PATH = "posts/test-x/2025/p1.md"
LEXICON_RULE = rule_yaml("text-rumour", "lexicon", "      lexicons: [rumour]\n", severity="error")


# --------------------------------------------------------------------------- kind: lexicon


def test_lexicon_kind_fires_with_the_entrys_clause_and_severity(tmp_path: Path) -> None:
    # a lexicon entry always gives its clause and severity (lexicon.schema.json): they win over the rule's
    root = make_repo(tmp_path / "r", LEXICON_RULE, lexicons={"rumour": RUMOUR_LEXICON},
                     posts={POST_PATH: post("未確認情報ですが、噂によるとデマだそうです。")})
    found = sorted(lint(root, "text-rumour"), key=lambda f: f.column)
    assert [(f.clause, f.severity) for f in found] == [
        ("6(12)", Severity.WARNING),  # the entry gives both
        ("6(12)", Severity.ERROR),    # 噂
        ("6(1)", Severity.INFO),      # デマ: the entry's own clause and severity win
    ]
    assert found[0].message == "「未確認情報」は確かめてから書いてください。"
    assert found[0].line == 9 and found[0].column == 1  # the first line of the body


def test_lexicon_kind_silent_on_clean_text_and_in_code(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", LEXICON_RULE, lexicons={"rumour": RUMOUR_LEXICON},
                     posts={POST_PATH: post("市の公式発表をお知らせします。`未確認情報` の扱いは別紙。")})
    assert lint(root, "text-rumour") == []


def test_lexicon_kind_unless_condition(tmp_path: Path) -> None:
    rule = rule_yaml("text-rumour", "lexicon", "      lexicons: [rumour]\n      unless: {consultation: true}\n")
    root = make_repo(tmp_path / "r", rule, lexicons={"rumour": RUMOUR_LEXICON},
                     posts={POST_PATH: post("噂があります。", extra="consultation: true\n"),
                            "posts/test-x/2025/p2.md": post("噂があります。").replace("id: p1", "id: p2")})
    assert [f.path for f in lint(root, "text-rumour")] == ["posts/test-x/2025/p2.md"]


def test_lexicon_kind_repo_override_only_tightens_an_entry_severity(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", LEXICON_RULE, lexicons={"rumour": RUMOUR_LEXICON},
                     posts={POST_PATH: post("未確認情報です。")},
                     config_extra="rules:\n  text-rumour: {severity: error, reason: 必ず止める}\n")
    assert [f.severity for f in lint(root, "text-rumour")] == [Severity.ERROR]


def test_disabled_generic_rule_does_not_run(tmp_path: Path) -> None:
    rule = rule_yaml("text-rumour", "lexicon", "      lexicons: [rumour]\n", enabled="    enabled: false\n")
    root = make_repo(tmp_path / "r", rule, lexicons={"rumour": RUMOUR_LEXICON}, posts={POST_PATH: post("噂です。")})
    assert lint(root, "text-rumour") == []


# --------------------------------------------------------------------------- kind: pattern

PATTERN_RULE = rule_yaml("text-spread-request", "pattern", "      patterns: ['(拡散|RT|リツイート)(希望|お願い)']\n",
                         severity="warning", message='{ja: "「{found}」: 拡散を求めないでください。", en: "{found}: do not ask."}')


def test_pattern_kind_fires_on_the_normalized_text(tmp_path: Path) -> None:
    # full-width ＲＴ is normalized (NFKC) before the search; the finding points at what was written
    root = make_repo(tmp_path / "r", PATTERN_RULE, posts={POST_PATH: post("イベントのお知らせです。ＲＴ希望！拡散お願いします")})
    found = lint(root, "text-spread-request")
    assert [f.message for f in found] == ["「ＲＴ希望」: 拡散を求めないでください。", "「拡散お願い」: 拡散を求めないでください。"]
    assert all(f.severity == Severity.WARNING and f.clause == "6(12)" for f in found)


def test_pattern_kind_silent(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", PATTERN_RULE,
                     posts={POST_PATH: post("イベントのお知らせです。拡散防止のため消毒をお願いします。\n\n```\nRT希望\n```")})
    assert lint(root, "text-spread-request") == []


@pytest.mark.parametrize("pattern", ["^(a+)+$", "(a|aa)+$", "(?P<"])
def test_hostile_pattern_refuses_the_policy(tmp_path: Path, pattern: str) -> None:
    rule = rule_yaml("text-spread-request", "pattern", f"      patterns: ['{pattern}']\n")
    root = make_repo(tmp_path / "r", rule, posts={POST_PATH: post("a" * 40 + "b")})
    proc = run_cli("lint", str(root), "--lang", "en")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "policy/rules/local.yaml:" in proc.stdout and "regular expression" in proc.stdout
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- kind: fields

FIELDS_RULE = rule_yaml("account-no-deputies", "fields", """\
      document: account
      when: {status: [active, suspended]}
      absent: [deputies]
      required: [security.password.last_changed_on, holders.*.department]
      allowed: {platform: [x, instagram]}
      order: [[approval.approved_on, holders.*.assigned_on]]
      max_age_days: {security.reviewed_on: 365}
""", clause="5", message="""
      default: {ja: "{field} を確認してください。", en: "Check {field}."}
      absent: {ja: "代理者（{field}）は置けません。", en: "No deputies ({field})."}
      allowed: {ja: "{field} の値 {value} は使えません（{allowed}）。", en: "{field}: {value} is not one of {allowed}."}
      order: {ja: "{second}（{second_value}）が {first}（{first_value}）より前です。", en: "{second} ({second_value}) is before {first} ({first_value})."}
      max_age: {ja: "{field} が {age_days} 日前です（{max_days} 日以内）。", en: "{field} is {age_days} days old ({max_days} at most)."}
""")


def test_fields_kind_silent_on_a_conforming_account(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", FIELDS_RULE, clauses="")
    assert lint(root, "account-no-deputies") == []


def test_fields_kind_fires(tmp_path: Path) -> None:
    account = (MINIMAL_ACCOUNT
               .replace("deputies: []", 'deputies: [{name: 楠 和也, employee_id: "100111"}]')
               .replace("platform: x", "platform: line")
               .replace("approval: {approved_by: \"100001\", approved_on: 2025-04-01}",
                        "approval: {approved_by: \"100001\", approved_on: 2025-04-05}")
               .replace("department: 広報広聴課, assigned_on: 2025-04-01}\n  - {name: 鈴木",
                        "assigned_on: 2025-04-01}\n  - {name: 鈴木")
               .replace("reviewed_on: 2025-04-01", "reviewed_on: 2024-04-01")
               .replace(", last_changed_on: 2025-04-01}", "}"))
    root = make_repo(tmp_path / "r", FIELDS_RULE, clauses="", account=account)
    found = {f.message for f in lint(root, "account-no-deputies")}
    assert found == {
        "代理者（deputies）は置けません。",
        "security.password.last_changed_on を確認してください。",
        "holders.*.department を確認してください。",
        "platform の値 line は使えません（x、instagram）。",
        "holders.*.assigned_on（2025-04-01）が approval.approved_on（2025-04-05）より前です。",
        "security.reviewed_on が 426 日前です（365 日以内）。",
    }


def test_fields_kind_when_condition(tmp_path: Path) -> None:
    account = MINIMAL_ACCOUNT.replace("deputies: []", 'deputies: ["100111"]').replace("status: active", "status: closed")
    root = make_repo(tmp_path / "r", FIELDS_RULE, clauses="", account=account)
    assert lint(root, "account-no-deputies") == []


def test_fields_kind_other_documents_untouched(tmp_path: Path) -> None:
    rule = rule_yaml("post-needs-category", "fields", "      document: post\n      required: [summary]\n", clause="3(4)",
                     message='{ja: "{field} を確認してください。", en: "Check {field}."}')
    root = make_repo(tmp_path / "r", rule, clauses="", posts={POST_PATH: post("お知らせです。")})
    found = lint(root, "post-needs-category")
    assert [(f.path, f.message) for f in found] == [(POST_PATH, "summary を確認してください。")]  # no summary
    assert lint(root, "account-no-deputies") == []  # (not in this policy)


# --------------------------------------------------------------------------- the policy refuses


@pytest.mark.parametrize("rules, lexicons, needle", [
    (rule_yaml("text-x", "lexicon", "      lexicons: [nothere]\n"), {}, "nothere"),
    (rule_yaml("text-x", "lexicon", "      lexicon: [rumour]\n"), {"rumour": RUMOUR_LEXICON}, "lexicons"),
    (rule_yaml("text-x", "pattern", "      patterns: []\n"), {}, "patterns"),
    (rule_yaml("acc-x", "fields", "      document: acount\n      required: [id]\n", clause="3(2)"), {}, "acount"),
    (rule_yaml("acc-x", "fields", "      document: account\n", clause="3(2)"), {}, "required"),
    (rule_yaml("acc-x", "fields", "      document: account\n      required: ['a b']\n", clause="3(2)"), {}, "required"),
    (rule_yaml("acc-x", "fields", "      document: account\n      order: [[a]]\n", clause="3(2)"), {}, "order"),
    (rule_yaml("acc-x", "fields", "      document: account\n      max_age_days: {a: 0}\n", clause="3(2)"), {}, "max_age_days"),
])
def test_invalid_generic_rules_are_refused(tmp_path: Path, rules: str, lexicons: dict, needle: str) -> None:
    root = make_repo(tmp_path / "r", rules, lexicons=lexicons, clauses=NEW_CLAUSE if '"6(12)"' in rules else "")
    pol = load("policy", root)
    found = [f"{p.params} {p.params['problem'].params}" for p in policy_problems(pol) if p.code == "policy_generic_invalid"]
    assert found and any(needle in f for f in found), [(p.code, p.params) for p in policy_problems(pol)]
    proc = run_cli("lint", str(root), "--lang", "en")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    proc = run_cli("policy", "validate", cwd=root)
    assert proc.returncode == 2 and "policy/rules/local.yaml:" in proc.stdout, proc.stdout


def test_a_kind_on_a_rule_with_its_own_implementation_is_refused() -> None:
    """One rule, one implementation: an id of a built-in rule cannot take a kind (an extending
    policy that patches ``account-2fa`` with ``kind: fields`` would otherwise replace its code)."""
    import copy

    from snspolicy.engine.registry import kind_problems

    pol = copy.copy(load("ube/2025-04-01"))
    spec = copy.copy(pol.rules["account-2fa"])
    spec.kind = "fields"
    pol.rules = {**pol.rules, "account-2fa": spec}
    assert implementation(spec) is None and not is_runnable("account-2fa", spec)
    assert [(rid, code) for rid, _where, code, _params in kind_problems(pol)] == [("account-2fa", "generic.builtin_id")]


def test_unknown_kind_is_a_schema_error_at_its_line(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", rule_yaml("text-x", "lexcon", "      lexicons: [rumour]\n"),
                     lexicons={"rumour": RUMOUR_LEXICON})
    proc = run_cli("policy", "validate", "--lang", "en", cwd=root)
    assert proc.returncode == 2
    assert "policy/rules/local.yaml:3:" in proc.stdout and "lexicon" in proc.stdout, proc.stdout


def test_a_rule_without_kind_or_implementation_is_refused(tmp_path: Path) -> None:
    rule = rule_yaml("text-x", "lexicon", "      lexicons: [rumour]\n").replace("    kind: lexicon\n", "")
    root = make_repo(tmp_path / "r", rule, lexicons={"rumour": RUMOUR_LEXICON})
    pol = load("policy", root)
    assert not is_runnable("text-x", pol.rules["text-x"])
    proc = run_cli("lint", str(root))
    assert proc.returncode == 2 and "text-x" in proc.stdout
    proc = run_cli("policy", "validate", cwd=root)
    assert proc.returncode == 2 and "policy/rules/local.yaml:2:" in proc.stdout, proc.stdout


def test_generic_rules_are_runnable_and_listed_as_implemented(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", LEXICON_RULE + PATTERN_RULE + FIELDS_RULE, lexicons={"rumour": RUMOUR_LEXICON})
    pol = load("policy", root)
    assert [p for p in policy_problems(pol)] == []
    for rid in ("text-rumour", "text-spread-request", "account-no-deputies"):
        assert is_runnable(rid, pol.rules[rid]) and implementation(pol.rules[rid]) is not None
    proc = run_cli("rules", "-f", "json", cwd=root)
    import json

    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    assert rows["text-rumour"]["implemented"] is True and rows["account-no-deputies"]["implemented"] is True
