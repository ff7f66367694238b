"""The policy's vocabularies (domain/vocabulary.py): read from the policy, refused when broken,
and shown by ``policy diff`` (policy/vocabulary_diff.py)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, write

from snspolicy.domain.vocabulary import APPROVALS, approver_fields, clause_headings, vocabulary, vocabulary_problems
from snspolicy.policy.model import PolicyError, load
from snspolicy.policy.vocabulary_diff import vocabulary_changes

UBE = load("ube/2025-04-01")


def with_vocabulary(change: dict) -> object:
    """A copy of Ube's policy whose vocabularies have ``change`` applied (dotted keys; None deletes)."""
    pol = copy.copy(UBE)
    meta = copy.deepcopy(UBE.meta)
    for dotted, value in change.items():
        keys = dotted.split(".")
        cur = meta["vocabularies"]
        for k in keys[:-1]:
            cur = cur[k]
        if value is None:
            del cur[keys[-1]]
        else:
            cur[keys[-1]] = value
    pol.meta = meta
    return pol


def test_ubes_vocabulary() -> None:
    v = vocabulary(UBE)
    assert vocabulary_problems(UBE) == []
    assert approver_fields(UBE, "posts") == ("manager", "deputies")
    assert approver_fields(UBE, "accounts") == ("manager",)
    assert set(v.approvers.approve) == set(APPROVALS)
    assert [s.key for s in v.incident_steps if s.ordered] == ["change_password", "notify_platform", "announce", "report"]
    assert v.report_to == ("防災危機管理課", "デジタル推進課", "広報広聴課")
    assert v.init["city"] == "宇部市"


def test_clause_headings() -> None:
    ja, en = clause_headings(UBE, "ja"), clause_headings(UBE, "en")
    assert ja["6(5)"] == "職務上の秘密・個人情報" and en["4(3)"] == "Passwords"
    assert ja["1"] == "目的"  # no heading: the title


@pytest.mark.parametrize("change, code", [
    ({"approvers.approve.posts": ["manager", "boss"]}, "vocab.unknown_role"),
    ({"approvers.approve.posts": []}, "vocab.approve_empty"),
    ({"approvers.approve.posts": None}, "vocab.approve_missing"),
    ({"approvers.roles": {}}, "vocab.no_roles"),
    ({"staff_statuses": [{"state": "away", "contains": ["休"]}]}, "vocab.state"),
    ({"section_heads": {"not_after": ["副"]}}, "vocab.head_words"),
    ({"incident.steps": [{"key": "tweet", "clause": "7", "title": {"ja": "x"}}]}, "vocab.step_key"),
    ({"incident": None}, "vocab.missing_part"),
])
def test_broken_vocabularies_are_refused(change: dict, code: str) -> None:
    pol = with_vocabulary(change)
    problems = vocabulary_problems(pol)
    assert [p.params["problem"].code for p in problems][:1] == [code]
    with pytest.raises(PolicyError) as err:
        vocabulary(pol)
    assert err.value.code == "policy_vocabulary_invalid"


def test_a_policy_without_vocabularies_is_refused_by_lint(tmp_path: Path) -> None:
    pol = tmp_path / "repo" / "policy"
    import shutil

    shutil.copytree(ROOT / "policy" / "ube" / "2025-04-01", pol)
    text = (pol / "policy.yaml").read_text(encoding="utf-8")
    start, end = text.index("\nvocabularies:\n"), text.index("\nclauses:\n")
    (pol / "policy.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    write(tmp_path / "repo", "snspolicy.yaml", "policy: policy\n")
    proc = run_cli("lint", str(tmp_path / "repo"), "--lang", "en")
    assert proc.returncode == 2 and "vocabularies" in proc.stdout and "Traceback" not in proc.stderr, proc.stdout


def test_vocabulary_diff_directions() -> None:
    old = UBE.meta["vocabularies"]
    new = copy.deepcopy(old)
    new["approvers"]["approve"]["posts"] = ["manager"]                       # fewer approvers: tighter
    new["section_heads"]["exact"] = [*old["section_heads"]["exact"], "参与"]  # one more head: looser
    new["incident"]["report_to"] = old["incident"]["report_to"][:2]           # one recipient fewer: looser
    new["staff_statuses"] = [{"state": "active", "contains": ["派遣職員"]}, *old["staff_statuses"]]
    new["approvers"]["roles"]["manager"]["title"] = {"ja": "運用管理者", "en": "operations manager"}
    found = {(c.subject, c.direction, tuple(c.added), tuple(c.removed)) for c in vocabulary_changes(old, new)}
    assert found == {
        ("approvers.approve.posts", "tighter", (), ("deputy",)),
        ("section_heads.exact", "looser", ("参与",), ()),
        ("incident.report_to", "looser", (), ("広報広聴課",)),
        ("staff_statuses", "changed", ("派遣職員 → active",), ()),
        ("approvers.roles.manager.title", "wording", (), ()),
    }
    assert vocabulary_changes(old, copy.deepcopy(old)) == []


def test_policy_diff_shows_vocabulary_changes(tmp_path: Path) -> None:
    proc = run_cli("policy", "diff", "ube/2025-04-01", str(ROOT / "examples" / "policies" / "urayasu" / "policy"),
                   "--lang", "en")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "vocabularies.approvers.approve.posts: removed deputy" in proc.stdout
