"""``extends:``: a policy version is the policy it extends plus its changes (docs/policy-format.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from policy_helpers import extending, line_of
from policy_snapshot import fingerprints

from snspolicy.core.model import Severity
from snspolicy.policy import diff as pd
from snspolicy.policy import model as policy_mod
from snspolicy.policy.model import PolicyError

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def ube():
    return policy_mod.load("ube/2025-04-01")


@pytest.fixture(scope="module")
def draft():
    return policy_mod.load("ube/2026-04-01-draft")


# --------------------------------------------------------------------------- the 2026 draft


def test_the_draft_is_a_short_extends_file():
    main = policy_mod.resolve("ube/2026-04-01-draft")
    assert sorted(p.name for p in main.parent.rglob("*") if p.is_file()) == ["README.md", "policy.yaml"]
    assert len(main.read_text(encoding="utf-8").splitlines()) < 60
    assert "extends: ube/2025-04-01" in main.read_text(encoding="utf-8")


def test_the_resolved_draft_equals_the_draft_before_it_extended(ube, draft):
    """Rule by rule (and lexicon, clause, category, section): the resolved draft is what the draft
    loaded from its full copy of the 2025 files was, just before it became an extends file. A part
    of ube/2025-04-01 changed since then is inherited by the draft as it should be: skipped."""
    recorded = json.loads((DATA / "draft-2026-04-01-before-extends.json").read_text(encoding="utf-8"))
    now_base, now_draft = fingerprints(ube), fingerprints(draft)
    compared = 0
    for key, expected in recorded["draft"].items():
        if recorded["base"].get(key) != now_base.get(key):
            # the base changed this part since: inherited as it should be (and a part the draft also
            # changes, such as its defamation entry, is checked as base + change below)
            continue
        assert now_draft.get(key) == expected, key
        compared += 1
    assert compared >= 60
    assert all(now_draft.get(k) == v for k, v in recorded["draft"].items() if k.startswith("rule:")
               and recorded["base"].get(k) == now_base.get(k))
    assert set(now_draft) >= set(recorded["draft"])


def test_the_draft_is_the_base_plus_its_changes(ube, draft):
    changed = {"account-password-policy", "account-2fa", "clarity-sentence-length"}
    assert set(draft.rules) == set(ube.rules)
    for rid, spec in ube.rules.items():
        other = draft.rules[rid]
        if rid not in changed:
            assert other == spec, rid
            continue
        assert (other.clause, other.severity, other.title, other.messages, other.doc, other.param_schema) == \
            (spec.clause, spec.severity, spec.title, spec.messages, spec.doc, spec.param_schema)
    assert draft.rules["account-password-policy"].params == {**ube.rules["account-password-policy"].params, "min_length": 14}
    assert draft.rules["account-2fa"].params["weak_severity"] == "error"
    assert draft.rules["clarity-sentence-length"].params["max_chars"] == 120
    assert {k: v for k, v in draft.lexicons.items() if k != "defamation"} == \
        {k: v for k, v in ube.lexicons.items() if k != "defamation"}
    entries = draft.lexicons["defamation"]["entries"]
    assert entries[:-1] == ube.lexicons["defamation"]["entries"] and entries[-1]["id"] == "kisama"
    assert (draft.clauses, draft.categories, draft.params) == (ube.clauses, ube.categories, ube.params)
    assert [e["version"] for e in draft.meta["changelog"]] == ["2026-04-01", "2025-04-01"]
    assert (draft.id, draft.version, draft.meta["status"], draft.extends) == \
        ("ube/2026-04-01-draft", "2026-04-01", "draft", "ube/2025-04-01")
    assert draft.meta.get("vocabularies") == ube.meta.get("vocabularies")


def test_the_draft_docs_show_its_own_values(draft):
    what = draft.rules["account-password-policy"].doc_text("what", "ja")
    assert "ポリシーの値（14 文字）" in what and "12 文字" not in what


def test_policy_diff_of_the_draft_lists_exactly_its_changes(ube, draft):
    d = pd.diff(ube, draft)
    got = sorted((c.kind, c.rule or "", c.subject) for c in d.changes)
    assert got == [("lexicon-entry-added", "text-defamation", "defamation/kisama"),
                   ("param", "account-2fa", "weak_severity"), ("param", "account-password-policy", "min_length"),
                   ("param", "clarity-sentence-length", "max_chars")]
    assert d.problems == []


def test_an_error_in_the_draft_points_at_the_draft(tmp_path):
    main = extending(tmp_path / "p", "rules:\n  account-2fa:\n    parmas: {weak_severity: error}\n")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2
    assert f"policy.yaml:{line_of(main, 'parmas')}:" in r.stdout and "params" in r.stdout


# --------------------------------------------------------------------------- merging


def test_change_severity_message_clause_text_and_enable(tmp_path, ube):
    main = extending(tmp_path / "p", """\
rules:
  clarity-hashtags:
    severity: error
    enabled: false
    message:
      ja: "ハッシュタグが多すぎます。"
clauses:
  "3(8)":
    text: 利用者と冷静かつ誠実にやり取りすること。
categories:
  sports: {ja: スポーツ, en: Sports, promoted: true}
""")
    pol = policy_mod.load(str(main), None)
    spec = pol.rules["clarity-hashtags"]
    assert spec.severity == Severity.ERROR and spec.enabled is False
    assert spec.messages["default"]["ja"] == "ハッシュタグが多すぎます。"
    assert spec.messages["default"]["en"] == ube.rules["clarity-hashtags"].messages["default"]["en"]  # the other language kept
    assert pol.clauses["3(8)"]["text"] == "利用者と冷静かつ誠実にやり取りすること。"
    assert pol.clauses["3(8)"]["title"] == ube.clauses["3(8)"]["title"]
    assert "sports" in pol.categories and "health" in pol.categories


def test_add_and_remove_rules_clauses_lexicons_entries_and_params(tmp_path, ube):
    main = extending(tmp_path / "p", """\
remove:
  rules: [clarity-hashtags]
  lexicon_entries: {defamation: [baka]}
  lexicons: [obscene]
  clauses: ["8(4)"]
  categories: [other]
  params: [timezone]
remove_nothing_else: null
""".replace("remove_nothing_else: null\n", "") + """\
rules:
  text-obscene:
    params: {lexicons: [defamation]}
lexicons:
  defamation:
    entries:
      - {id: aho, severity: warning}
""")
    pol = policy_mod.load(str(main), None)
    assert "clarity-hashtags" not in pol.rules
    ids = [e["id"] for e in pol.lexicons["defamation"]["entries"]]
    assert "baka" not in ids and len(ids) == len(ube.lexicons["defamation"]["entries"]) - 1
    aho = next(e for e in pol.lexicons["defamation"]["entries"] if e["id"] == "aho")
    assert aho["severity"] == "warning" and aho["terms"]  # an entry merged by id keeps what it does not change
    assert "obscene" not in pol.lexicons and "8(4)" not in pol.clauses and "other" not in pol.categories
    assert "timezone" not in pol.params and "timezone" not in pol.param_schema
    # an entry after the removed one is still located at its own line of the base's file
    path, span = pol.where("lexicons", "defamation", "entries", ids.index("aho"))
    assert path.endswith("defamation.yaml") and span.line == line_of(Path(path), "- id: aho")


def test_removing_what_the_base_lacks_is_refused_with_a_did_you_mean(tmp_path):
    main = extending(tmp_path / "p", "remove:\n  rules: [clarity-hashtag]\n")
    with pytest.raises(PolicyError) as info:
        policy_mod.load(str(main), None)
    assert info.value.code == "policy_remove_unknown" and info.value.params["suggestion"] == "clarity-hashtags"
    assert info.value.span.line == line_of(main, "clarity-hashtag")
    main = extending(tmp_path / "q", "remove:\n  lexicon_entries: {defamation: [nope]}\n")
    with pytest.raises(PolicyError):
        policy_mod.load(str(main), None)


def test_a_new_rule_must_be_whole(tmp_path):
    main = extending(tmp_path / "p", "rules:\n  my-rule:\n    clause: \"5\"\n    severity: error\n")
    r = run_cli("policy", "validate", str(main.parent))
    line = line_of(main, 'clause: "5"')
    assert r.returncode == 2 and f"policy.yaml:{line}:" in r.stdout and "title" in r.stdout


def test_remove_is_only_for_an_extending_policy(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    main = folder / "policy.yaml"
    main.write_text(policy_mod.resolve("ube/2025-04-01").read_text(encoding="utf-8")
                    .replace("include:", "remove: {rules: [x]}\ninclude:", 1)
                    .replace("rules/", str(policy_mod.resolve("ube/2025-04-01").parent / "rules") + "/"), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        policy_mod.load(str(main), None)
    assert info.value.code in ("policy_remove_without_extends", "policy_include_outside")


# --------------------------------------------------------------------------- chains


def test_a_chain_of_three(tmp_path):
    extending(tmp_path / "b", "rules:\n  account-password-policy:\n    params: {min_length: 14}\n", version="2025-10-01")
    main = extending(tmp_path / "a", "rules:\n  account-2fa:\n    params: {weak_severity: error}\n",
                     extends="../b", version="2026-04-01")
    pol = policy_mod.load(str(main), None)
    assert pol.rules["account-password-policy"].params["min_length"] == 14
    assert pol.rules["account-2fa"].params["weak_severity"] == "error"
    assert (pol.base_id, pol.base_version, pol.extends) == ("test/b", "2025-10-01", "../b")
    assert [e["version"] for e in pol.meta["changelog"]] == ["2026-04-01", "2025-10-01", "2025-04-01"]
    assert pol.where("rules", "account-password-policy", "params", "min_length")[0].endswith("b/policy.yaml")


def test_a_cycle_is_refused_at_the_extends_line(tmp_path):
    extending(tmp_path / "b", extends="../a")
    main = extending(tmp_path / "a", extends="../b")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2
    assert "循環" in r.stdout and "b/policy.yaml:2:" in r.stdout  # the extends: line of the file that closes the circle
    assert "/../" not in r.stdout
    own = extending(tmp_path / "self", extends=".")
    r = run_cli("policy", "validate", str(own.parent), "--lang", "en")
    assert r.returncode == 2 and "circle" in r.stdout


def test_a_missing_base_is_refused_at_the_extends_line(tmp_path):
    main = extending(tmp_path / "p", extends="ube/2099-01-01")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2 and "policy.yaml:2:" in r.stdout and "ube/2099-01-01" in r.stdout


def test_a_policy_from_snspolicy_yaml_may_not_extend_out_of_the_repo(tmp_path):
    extending(tmp_path / "outside")
    repo = tmp_path / "repo"
    extending(repo / "policy", extends="../../outside")
    (repo / "snspolicy.yaml").write_text("policy: policy\n", encoding="utf-8")
    r = run_cli("policy", "validate", cwd=repo)
    assert r.returncode == 2 and "policy.yaml:2:" in r.stdout


# --------------------------------------------------------------------------- versions


def test_a_version_that_does_not_increase_is_refused(tmp_path):
    main = extending(tmp_path / "p", version="2025-04-01")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 2
    line = line_of(main, 'version: "')
    assert f"policy.yaml:{line}:" in r.stdout and "2025-04-01" in r.stdout
    main = extending(tmp_path / "q", version="2024-04-01")
    assert run_cli("policy", "validate", str(main.parent)).returncode == 2
    main = extending(tmp_path / "r", version="2025-04-01.1")
    r = run_cli("policy", "validate", str(main.parent))
    assert r.returncode == 0, r.stdout


# --------------------------------------------------------------------------- policy show


def test_policy_show_prints_the_file_or_the_resolved_policy(tmp_path, draft):
    r = run_cli("policy", "show", "ube/2026-04-01-draft")
    assert r.returncode == 0 and r.stdout.startswith("# yaml-language-server") and "extends: ube/2025-04-01" in r.stdout
    r = run_cli("policy", "show", "--resolved", "ube/2026-04-01-draft")
    assert r.returncode == 0 and "extends:" not in r.stdout.split("\n", 3)[-1]
    folder = tmp_path / "resolved"
    folder.mkdir()
    (folder / "policy.yaml").write_text(r.stdout, encoding="utf-8")
    again = policy_mod.load(str(folder), None)
    assert fingerprints(again) == fingerprints(draft)  # it loads as the same policy
    assert run_cli("policy", "validate", str(folder)).returncode == 0


def test_policy_show_without_a_ref_uses_the_repos_policy(tmp_path):
    repo = tmp_path / "repo"
    extending(repo / "policy", "rules:\n  account-2fa:\n    params: {weak_severity: error}\n")
    (repo / "snspolicy.yaml").write_text("policy: policy\n", encoding="utf-8")
    r = run_cli("policy", "show", "--resolved", cwd=repo)
    assert r.returncode == 0 and "weak_severity: error" in r.stdout
    r = run_cli("policy", "show", "nope/none", cwd=repo)
    assert r.returncode == 2
