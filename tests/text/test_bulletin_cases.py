"""Personal-data cases met in a real city newsletter (benchmarks/bulletin.py), rewritten with invented
names, numbers and places: nothing here is taken from the newsletter. Each case has its traps.

* a number written without its area code after a phone label (``問合せ：山川`` / ``【電話】22-1111``) is a
  person's number too: it is reported when the words around it name a person, and only then;
* a FAX number next to a person's name is that person's contact, like the phone before it;
* a mailing list (``…@googlegroups.com``) reaches a group, not one person's mailbox;
* 〇〇園芸 (a nursery), 市斎場 (a funeral hall) and 〇〇センターさくらの木 are organisations, not people;
* one character picked out of a heading (…委員の日) names no one.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import account_yaml

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.core.model import Severity
from snspolicy.text.contacts import ORGANISATION, PERSON, classify
from snspolicy.text.normalize import normalize
from snspolicy.text.phones import find_local_numbers, find_phone_numbers, may_hold_local_number

SUDACHI = os.environ.get("SNSPOLICY_TOKENIZER", "sudachi") == "sudachi"
needs_sudachi = pytest.mark.skipif(not SUDACHI, reason="written for the default SudachiPy backend")
pytest.importorskip("phonenumbers")


def holder(text: str, value: str, kind: str = "phone"):
    t = normalize(text).text
    v = normalize(value).text
    i = t.index(v)
    return classify(t, i, i + len(v), kind)


def local_numbers(text: str, allowed: list[str] | None = None) -> list[str]:
    t = normalize(text).text
    return [t[m.start:m.end] for m in find_local_numbers(t, allowed or [])]


# --------------------------------------------------------------------------- numbers without the area code
@pytest.mark.parametrize(("text", "number"), [
    ("問合せ：山川\n【電話】22-1111。", "22-1111"),
    ("【電話・FAX】555-0100", "555-0100"),
    ("【FAX】555-0199【メール】kai@example.jp", "555-0199"),
    ("TEL:22-1111", "22-1111"),
    ("Tel. 22-1111", "22-1111"),
    ("TEL/FAX 555-0100", "555-0100"),
    ("☎ 34-0000", "34-0000"),
    ("電話番号：22-1111。", "22-1111"),
    ("ファクス 555-0100 へ", "555-0100"),
    ("【電話】２２－１１１１", "22-1111"),  # full-width: normalized first
    ("電話：1234-5678", "1234-5678"),  # a 4-digit exchange (a 2-digit area code)
])
def test_local_number_after_a_phone_label_is_found(text, number):
    assert local_numbers(text) == [number]
    assert may_hold_local_number(normalize(text).text)


@pytest.mark.parametrize("text", [
    "〒755-0000 宇部市西本町2-3-4",            # a postal code
    "郵便番号 755-0000",
    "受付 9-1700",                              # no phone label
    "22-1111",
    "【電話】0836-22-1111",                     # a full number: find_phone_numbers reports it
    "電話 (0836)22-1111",
    "電話 9-1700円",                            # an amount
    "電話 1-1000件",
    "電話 2-3000〜4000",                        # a range
    "電話 2024-0415",                           # a date
    "電話 4-1234-5678",                         # more groups (an ISBN, a lot number)
    "ISBN978-4-1234-5678-0",
    "地番 12-3456",
    "HOTEL 22-1111",                            # TEL inside a word
    "電話で 22-1111 番の札をお取りください",   # the label does not stand right before the number
    "電話相談 22-1111",
    "詳しくは https://example.jp/TEL22-1111 を",  # inside a URL
])
def test_local_number_traps(text):
    assert local_numbers(text) == []


def test_a_full_number_is_not_also_a_local_one():
    t = normalize("問合せ：山川\n【電話】0836-22-1111【FAX】0836-22-1112").text
    assert local_numbers(t) == []
    assert len(find_phone_numbers(t)) == 2


@pytest.mark.parametrize(("text", "allowed"), [
    ("【電話】31-1111", ["0836-31-1111"]),      # an allowed number written without its area code
    ("【電話】31-1111", ["+81 836-31-1111"]),
    ("【電話】34-2020", ["0836-34-*"]),          # an allowed prefix
])
def test_local_number_on_the_allow_list(text, allowed):
    assert local_numbers(text, allowed) == []


@pytest.mark.parametrize(("text", "allowed"), [
    ("【電話】31-1112", ["0836-31-1111"]),      # another number
    ("【電話】35-2020", ["0836-34-*"]),          # outside the prefix
    ("【電話】31-1111", ["08363*"]),             # a prefix without groups: its area code is unknown
])
def test_local_number_allow_list_traps(text, allowed):
    assert local_numbers(text, allowed) == [text.split("】")[1]]


def test_local_number_is_masked_whole():
    [m] = find_local_numbers("【電話】555-0100")
    assert m.masked == "***-****"
    assert m.data["local"] == "5550100"


# --------------------------------------------------------------------------- whose contact
@needs_sudachi
@pytest.mark.parametrize(("text", "value"), [
    ("問合せ：山川\n【電話】22-1111。", "22-1111"),
    ("申込み：6月1日までに宇部市将棋協会・松下【電話・FAX】555-0100へ。", "555-0100"),
    ("申込み：電話で宇部囲碁の会・松下へ。\n【電話】555-0100", "555-0100"),
    # a FAX next to a person's name is that person's, like the phone before it (also an 050 number)
    ("申込み：ときわ詩吟の会・梅山【電話】070-1111-2222【FAX】050-1111-3333へ。", "050-1111-3333"),
    ("申込み：ときわ詩吟の会・梅山【電話】22-1111【FAX】22-1112へ。", "22-1112"),
    ("申込み：馬場【電話】090-1111-2222へ。", "090-1111-2222"),  # a surname ending in 場
    ("問合せ：事務局の林\n【電話】090-1111-2222", "090-1111-2222"),  # の before a one-kanji surname
    ("(4)山川一郎\n(無人販売)\n主な販売商品：米\n住所：東岐波1\n【電話】090-1111-4444", "090-1111-4444"),  # a farmer's own name
    ("申込み：ときわ詩吟の会・梅山【電話】070-1111-2222【メール】umeyama.kai@gmail.com へ",
     "umeyama.kai@gmail.com"),  # free mail next to a person's name stays a person's
])
def test_person_contact_from_the_bulletin(text, value):
    h = holder(text, value, "email" if "@" in value else "phone")
    assert h.kind == PERSON, h


@needs_sudachi
@pytest.mark.parametrize(("text", "value", "reason"), [
    ("申込み：ときわ詩吟の会・梅山【電話】070-1111-2222【メール】tokiwa-shigin@googlegroups.com へ",
     "tokiwa-shigin@googlegroups.com", "list"),
    ("(3)みなと園芸\n(季節限定)\n主な販売商品：花苗\n住所：東岐波1\n【電話】090-1111-4444", "090-1111-4444", "org"),
    ("申込み：6月1日から市斎場【電話】0836-22-0002へ。", "0836-22-0002", "org"),
    ("問合せ：子ども発達センターさくらの木\n【電話】0836-22-0001", "0836-22-0001", "org"),
])
def test_organisation_contact_from_the_bulletin(text, value, reason):
    h = holder(text, value, "email" if "@" in value else "phone")
    assert (h.kind, h.reason) == (ORGANISATION, reason), h


@needs_sudachi
def test_one_character_of_a_heading_names_no_one():
    text = "■6月1日はみどり委員の日\nみどり委員は地域の相談役です。担当の確認は、みどり推進課へ。\n【電話】090-1111-5555"
    assert holder(text, "090-1111-5555").kind != PERSON


# --------------------------------------------------------------------------- the rule
CONFIG = """\
policy: ube/2025-04-01
fail_on: error
allow:
  phone_numbers: ["0836-31-1111", "0836-34-*"]
  email_domains: [city.ube.yamaguchi.jp]
"""


def lint(tmp_path: Path, body: str):
    root = tmp_path / "repo"
    (root / "accounts").mkdir(parents=True)
    (root / "posts").mkdir()
    (root / "snspolicy.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "accounts" / "test-x.yaml").write_text(account_yaml("test-x"), encoding="utf-8")
    (root / "posts" / "p1.md").write_text(
        "---\nid: p1\naccount: test-x\nstatus: published\npublish_at: 2025-05-12T09:00:00+09:00\ncategory: civic\n"
        'author: {employee_id: "200002"}\napproval: {approved_by: "100001", approved_on: 2025-01-06}\n'
        f"consultation: false\n---\n{body}\n", encoding="utf-8")
    _, result = lint_setup(runner.prepare([root]), today=dt.date(2025, 6, 1),
                           select=lambda spec: spec.id in ("pii-phone", "pii-email"))
    assert not [f for f in result.findings if f.rule == "internal-error"]
    return [f for f in result.findings if f.path == "posts/p1.md"]


@needs_sudachi
@pytest.mark.parametrize("body", [
    "囲碁教室の参加者を募集します。\n問合せ：山川\n【電話】22-5678。",
    "申込み：6月1日までに宇部市将棋協会・松下【電話・FAX】555-5678へ。",
])
def test_rule_reports_a_persons_local_number(tmp_path, body):
    [f] = lint(tmp_path, body)
    assert (f.rule, f.severity) == ("pii-phone", Severity.ERROR)
    assert "個人の番号" in f.message
    assert f.message.startswith(("電話番号 **-**** ", "電話番号 ***-**** ")) and "5678" not in f.message


@needs_sudachi
@pytest.mark.parametrize("body", [
    "問合せ：市民活動推進課\n【電話】22-1111",       # a section's line
    "申込み：6月1日から市斎場【電話】22-1111へ。",    # a facility's
    "詳しくは、下記へ。\n【電話】22-1111",            # no one named: most such lines are public
    "問合せ：山川\n【電話】34-2020",                  # on the allow list (0836-34-*)
    "問合せ：山川\n【電話】31-1111",                  # the allowed 0836-31-1111 without its area code
    "問合せ：山川\n〒755-0000 東岐波1234番地",        # a postal code
])
def test_rule_leaves_other_local_numbers_alone(tmp_path, body):
    assert [f for f in lint(tmp_path, body) if f.rule == "pii-phone"] == []


@needs_sudachi
def test_rule_full_and_local_numbers_of_one_person(tmp_path):
    found = lint(tmp_path, "申込み：ときわ詩吟の会・梅山【電話】090-1111-2222【FAX】22-1112へ。")
    assert [(f.rule, f.severity) for f in found] == [("pii-phone", Severity.ERROR)] * 2
    assert all("個人の番号" in f.message for f in found)


@needs_sudachi
def test_rule_mailing_list_is_a_warning(tmp_path):
    found = lint(tmp_path, "申込み：ときわ詩吟の会・梅山【メール】tokiwa-shigin@googlegroups.com へ")
    assert [(f.rule, f.severity) for f in found] == [("pii-email", Severity.WARNING)]


@needs_sudachi
def test_the_same_department_named_above_answers_on_its_own_line():
    """``問合せ：同部・川端`` means "the department named above, ask for 川端": the number is the
    department's line (an organisation's contact), not 川端's own; a mobile number stays the person's."""
    assert holder("問合せ：同部・川端\n【電話】33-2222", "33-2222").kind == ORGANISATION
    assert holder("問合せ：同課・森野（電話0836-44-5555）", "0836-44-5555").kind == ORGANISATION
    assert holder("申込み：同センター・谷口\n【電話】0836-44-5555", "0836-44-5555").kind == ORGANISATION
    # traps: a mobile is the person's own line; 共同部 is a name of its own; a name alone, or after an
    # association, is still a person
    assert holder("問合せ：同課・森野\n【携帯】090-1111-2222", "090-1111-2222").kind == PERSON
    assert holder("問合せ：同課・森野（090-1111-2222）", "090-1111-2222").kind == PERSON
    assert holder("問合せ：共同部・川端\n【電話】33-2222", "33-2222").kind == PERSON
    assert holder("問合せ：川端\n【電話】33-2222", "33-2222").kind == PERSON
    assert holder("問合せ：市卓球協会・川端\n【電話】33-2222", "33-2222").kind == PERSON
