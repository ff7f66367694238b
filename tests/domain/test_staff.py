"""snspolicy.domain.staff: the ONE section-head test, approvers, and who is present.

Every word list comes from the policy (``vocabularies``, read by :mod:`snspolicy.domain.vocabulary`):
the section-head cases run against the bundled policy's vocabulary, which both rules that need
the test (account-manager 3(2) and post-author 6(9)) use.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import write

from snspolicy.domain.staff import (
    HeadTitles,
    approved_earlier_regime,
    approver_ids,
    current_approvers,
    employee_id_text,
    fold_name,
    head_status,
    is_section_head,
    roster_departments,
    roster_state,
    same_department,
    staff_state,
)
from snspolicy.domain.vocabulary import StatusRule, vocabulary
from snspolicy.io.documents import Document, load_document
from snspolicy.io.roster import Roster, StaffMember
from snspolicy.policy.model import load

UBE = vocabulary(load("ube/2025-04-01"))
TITLES = UBE.section_heads
STATUSES = UBE.statuses
POST_FIELDS = tuple(r.field for r in UBE.approvers.roles_for("posts"))

HEADS = [
    "課長", "広報広聴課長", "中央図書館長", "館長", "所長", "センター長", "青少年センター長", "保健センター所長",
    "秘書室長", "選挙管理委員会事務局長", "議会事務局長", "第一小学校長", "ＩＴ推進室長", "防災危機管理課長",
    "市長公室長", "広報広聴課長（事務取扱）", "広報広聴課長 (事務取扱)", "広報　広聴課長", " 観光振興課長 ",
    # the heads of the executive organs (the decision in the module docstring)
    "市長", "副市長", "教育長", "会計管理者", "ＳＮＳ推進本部長",
]
NOT_HEADS = [
    "副課長", "課長補佐", "広報広聴課長補佐", "課長代理", "担当課長", "観光振興課担当課長", "副館長",
    "中央図書館副館長", "副センター長", "副所長", "担当部長", "係長", "主幹", "主査", "主任", "次長", "会計年度任用職員",
    "", "   ", "市長室", "前市長", "市長秘書", "市議会議長", "課長補佐（事務取扱）",
]


@pytest.mark.parametrize("title", HEADS)
def test_section_heads(title: str) -> None:
    assert is_section_head(title, TITLES) is True


@pytest.mark.parametrize("title", NOT_HEADS)
def test_not_section_heads(title: str) -> None:
    assert is_section_head(title, TITLES) is False


def test_acting_head_prefix_comes_from_the_policy() -> None:
    # 代理課長: 代理 is one of the policy's not_after words (policy data, not code)
    assert not is_section_head("代理課長", TITLES)
    assert is_section_head("代理課長", HeadTitles.from_words(["課長"], ["副", "担当"]))
    assert not is_section_head("代理課長", HeadTitles.from_words(["課長"], ["副", "担当", "代理"]))


def test_odd_values_are_not_heads() -> None:
    assert is_section_head(None, TITLES) is False
    assert is_section_head(12, TITLES) is False
    assert is_section_head(["課長"], TITLES) is False


def test_word_lists_can_drop_the_executive_titles() -> None:
    words = HeadTitles.from_words(["課長"], ["副"], [])
    assert is_section_head("広報広聴課長", words) and not is_section_head("市長", words)
    assert not is_section_head("副課長", words) and not is_section_head("館長", words)


def test_word_lists_are_words_not_expressions() -> None:
    words = HeadTitles.from_words(["課.長"], [])
    assert is_section_head("総務課.長", words) and not is_section_head("総務課長", words)


def test_empty_word_list_accepts_only_the_exact_titles() -> None:
    words = HeadTitles.from_words([], ["副"], ["市長"])
    assert is_section_head("市長", words) and not is_section_head("広報広聴課長", words)
    assert not is_section_head("課長", HeadTitles.from_words([], [], []))


def test_a_broken_expression_accepts_nothing() -> None:
    broken = HeadTitles("(", "[")
    assert not is_section_head("総務課長", broken) and not is_section_head("課長補佐", broken)
    no_exclusions = HeadTitles("課長$", "")
    assert is_section_head("担当課長", no_exclusions)


def test_no_word_list_lives_in_python() -> None:
    import snspolicy.domain.staff as staff

    for name in ("DEFAULT_HEAD_TITLES", "EXECUTIVE_TITLES", "HEAD_ENDINGS", "ON_LEAVE", "head_titles"):
        assert not hasattr(staff, name)


# --------------------------------------------------------------------------- head_status


def _account(tmp_path: Path, name: str, body: str) -> Document:
    path = write(tmp_path, f"accounts/{name}.yaml", body)
    return load_document("account", path, f"accounts/{name}.yaml", tmp_path)


def _roster(*members: tuple[str, str, str]) -> Roster:
    return Roster("staff.csv", {eid: StaffMember(eid, "名前", "広報広聴課", title, status, "", n + 2)
                                for n, (eid, title, status) in enumerate(members)})


def test_head_status(tmp_path: Path) -> None:
    a = _account(tmp_path, "a", 'manager: {employee_id: "100", title: 主査}\n'
                                'deputies: [{employee_id: "200", title: 課長補佐}, {employee_id: "300", title: 館長}]\n')
    b = _account(tmp_path, "b", 'manager: {employee_id: "400", title: 係長}\n')
    accounts = {"a": a, "b": b}
    assert head_status("100", a, accounts, None, TITLES) is True  # the manager of this account, whatever the title
    assert head_status("400", a, accounts, None, TITLES) is True  # the manager of another account
    assert head_status("200", a, accounts, None, TITLES) is False  # a deputy titled 課長補佐
    assert head_status("300", a, accounts, None, TITLES) is True  # a deputy titled 館長
    assert head_status("999", a, accounts, None, TITLES) is None  # nothing known
    roster = _roster(("200", "広報広聴課長", "在職"), ("999", "課長補佐", "在職"))
    assert head_status("200", a, accounts, roster, TITLES) is True  # the roster's title comes first
    assert head_status("999", a, accounts, roster, TITLES) is False
    assert head_status("300", a, accounts, roster, TITLES) is True  # not in the roster: the account files' title


def test_head_status_uses_the_rules_vocabulary(tmp_path: Path) -> None:
    a = _account(tmp_path, "a", 'manager: {employee_id: "100", title: 課長}\ndeputies: [{employee_id: "200", title: 市長}]\n')
    strict = HeadTitles.from_words(["課長"], [], [])
    assert head_status("200", a, {"a": a}, None, TITLES) is True
    assert head_status("200", a, {"a": a}, None, strict) is False


# --------------------------------------------------------------------------- approvers


def test_approvers(tmp_path: Path) -> None:
    a = _account(tmp_path, "a", 'manager: {employee_id: " 100 "}\n'
                                'deputies: [{employee_id: "200"}, "300", 400, {employee_id: "100"}, {employee_id: true},'
                                ' {employee_id: ""}, null, [1]]\n')
    assert approver_ids(a, POST_FIELDS) == ["100", "200", "300", "400"]
    assert current_approvers(a, POST_FIELDS) == {"100", "200", "300", "400"}
    assert approver_ids(None, POST_FIELDS) == [] and current_approvers(None, POST_FIELDS) == set()
    # a policy whose posts are approved by the manager alone (no deputies)
    assert approver_ids(a, ("manager",)) == ["100"]
    assert approver_ids(a, ()) == []


def test_manager_written_as_an_id(tmp_path: Path) -> None:
    a = _account(tmp_path, "a", 'manager: "100"\n')
    assert approver_ids(a, POST_FIELDS) == ["100"]


def test_approvers_from_a_dotted_field(tmp_path: Path) -> None:
    a = _account(tmp_path, "a", 'manager: {employee_id: "100"}\nsecurity: {reviewers: ["500"]}\n')
    assert approver_ids(a, ("manager", "security.reviewers")) == ["100", "500"]


def test_approved_earlier_regime(tmp_path: Path) -> None:
    a = _account(tmp_path, "a", 'manager: {employee_id: "100"}\ndeputies: [{employee_id: "200"}]\n'
                                'approval: {approved_by: "100", approved_on: 2025-04-01}\n')
    f = POST_FIELDS
    assert approved_earlier_regime(a, "900", "2025-03-31", f) is True  # the manager of the time
    assert approved_earlier_regime(a, "900", "2025-04-01", f) is False  # on the day of the re-approval: not earlier
    assert approved_earlier_regime(a, "200", "2025-03-31", f) is False  # a current deputy: not a question of regime
    assert approved_earlier_regime(a, "200", "2025-03-31", ("manager",)) is True  # deputies do not approve here
    assert approved_earlier_regime(a, "900", "not a date", f) is False
    assert approved_earlier_regime(a, True, "2025-03-31", f) is False
    assert approved_earlier_regime(a, "900", True, f) is False
    assert approved_earlier_regime(None, "900", "2025-03-31", f) is False
    b = _account(tmp_path, "b", 'manager: {employee_id: "100"}\n')
    assert approved_earlier_regime(b, "900", "2025-03-31", f) is False  # no approval date: nothing to be earlier than


def test_employee_id_text() -> None:
    assert employee_id_text(" 001024 ") == "001024"
    assert employee_id_text(532) == "532"
    assert [employee_id_text(v) for v in (None, "", "  ", True, {"a": 1}, [1])] == [None] * 6


# --------------------------------------------------------------------------- who is present


@pytest.mark.parametrize("status, state", [
    ("在職", "active"), ("", "active"), ("会計年度任用", "active"), ("再任用", "active"), ("在職（会計年度任用職員）", "active"),
    ("休職", "leave"), ("育児休業", "leave"), ("育休", "leave"), ("病気休暇", "leave"), ("出向", "leave"), ("退職予定", "leave"),
    ("退職", "gone"), ("任期満了", "gone"), ("離職", "gone"), ("Retired", "gone"), ("派遣", "leave"), ("派遣職員", "leave"),
    ("ＯＮ　ＬＥＡＶＥ", "leave"),
])
def test_staff_state(status: str, state: str) -> None:
    assert staff_state(SimpleNamespace(status=status), STATUSES) == state


def test_staff_statuses_are_the_policys() -> None:
    # a city that counts 派遣職員 (agency staff) as staff puts a line before the one reading 派遣 as away
    kamisu = (StatusRule("active", ("派遣職員",)), *STATUSES)
    assert staff_state(SimpleNamespace(status="派遣職員"), kamisu) == "active"
    assert staff_state(SimpleNamespace(status="派遣"), kamisu) == "leave"  # sent to another body: still away
    assert staff_state(SimpleNamespace(status="退職"), kamisu) == "gone"
    assert staff_state(SimpleNamespace(status="退職"), ()) == "active"  # no table: nothing is read into a status


@pytest.mark.parametrize("status, state", [("在職", "active"), ("", "active"), ("休職", "leave"), ("退職", "gone"),
                                           ("育児休業", "leave"), ("再任用", "active")])
def test_roster_state(status: str, state: str) -> None:
    # 休職 is in the roster's active list (io.roster.ACTIVE) but is leave here
    assert roster_state(StaffMember("1", "名前", "課", "主事", status, "", 2), STATUSES) == state


@pytest.mark.parametrize("cell, dept, same", [
    ("総務課・企画政策課", "企画政策課", True),
    ("企画政策課（総務課兼務）", "総務課", True),
    ("産業振興課", "産業振興課 観光係", True),      # a 係 is part of its 課
    ("産業振興課観光係", "産業振興課", True),
    ("税務課・収納対策室", "企画政策課", False),
    ("総務課", "総務", True),                        # prefix of two characters or more
    ("総務課", "税", False),
    ("", "総務課", False),
])
def test_roster_departments_and_same_department(cell: str, dept: str, same: bool) -> None:
    assert same_department(dept, roster_departments(cell)) is same


def test_fold_name() -> None:
    assert fold_name("常盤　正和") == fold_name("常盤 正和") == "常盤正和"
    assert fold_name("ＡＢＣ課") == "abc課"
    assert fold_name(None) == ""
