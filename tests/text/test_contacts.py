"""Whose contact is it (snspolicy.text.contacts), allow prefixes and whole addresses (snspolicy.text.pii),
and the CSV list of public contacts. All names, numbers and addresses are fictional."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from snspolicy.text import pii
from snspolicy.io.contacts_csv import ContactsFileError, load_contacts_csv
from snspolicy.text.contacts import ORGANISATION, PERSON, UNKNOWN, classify, is_tollfree
from snspolicy.text.normalize import normalize

if os.environ.get("SNSPOLICY_TOKENIZER", "sudachi") != "sudachi":
    pytest.skip("written for the default SudachiPy backend", allow_module_level=True)
pytest.importorskip("sudachipy")


def holder(text: str, value: str, kind: str = "phone"):
    t = normalize(text).text
    v = normalize(value).text
    i = t.index(v)
    return classify(t, i, i + len(v), kind)


# --------------------------------------------------------------------------- organisations and facilities
@pytest.mark.parametrize(("text", "value", "name"), [
    ("問合せ：市民活動推進課\n【電話】0836-34-2020", "0836-34-2020", "市民活動推進課"),
    ("申込み：5月31日までに宇部市体育協会【電話】0836-21-4040へ。", "0836-21-4040", "宇部市体育協会"),
    ("申込みは(株)ときわ企画【電話】03-5555-0101まで", "03-5555-0101", "(株)ときわ企画"),
    ("問合せ：NPO法人みらいの森事務局\n【電話】090-1111-0000。", "090-1111-0000", "NPO法人みらいの森事務局"),
    ("■ときわ合唱サークル\n毎週木曜。文化会館。\n【電話】0836-22-3030", "0836-22-3030", "ときわ合唱サークル"),
    ("お申し込みはフラワーショップ・ハナミズキ【電話】0836-29-1212", "0836-29-1212", ""),
    ("■ときわズンバクラブ\n毎週火曜。文化会館。\n申込み：Eメールで【メール】zumba.tokiwa@gmail.com へ",
     "zumba.tokiwa@gmail.com", "ときわズンバクラブ"),  # the label says only how to apply: the heading names the holder
    ("問合せ：日本〇〇協会山口支部・宇部\n【電話】070-1111-2222", "070-1111-2222", ""),  # ・宇部 is a place
])
def test_organisation_contact(text, value, name):
    h = holder(text, value, "email" if "@" in value else "phone")
    assert h.kind == ORGANISATION, h
    if name:
        assert h.name == name


@pytest.mark.parametrize(("text", "value"), [
    ("会場：ふれあいセンター(宇部市東新川町5-10)", "宇部市東新川町5-10"),
    ("所在地：宇部市西本町2-3-4", "宇部市西本町2-3-4"),
    ("物件：\n(1)宇部市野中三丁目1200番3(180平方メートル)", "宇部市野中三丁目1200番3"),
    ("〒755-0000 宇部市西本町2-3-4 うべ商工会議所へ郵送してください。", "宇部市西本町2-3-4"),
])
def test_facility_address(text, value):
    assert holder(text, value, "address").kind == ORGANISATION


@pytest.mark.parametrize("number", ["0120-444-555", "0800-100-2000", "0570-011-022", "+81 120 444 555"])
def test_tollfree_and_navidial_are_an_organisation(number):
    assert is_tollfree(number)
    assert holder(f"相談は {number} へ", number) == holder(f"相談は {number} へ", number)
    assert holder(f"相談は {number} へ", number).kind == ORGANISATION
    assert holder(f"相談は {number} へ", number).reason == "tollfree"


def test_ordinary_number_is_not_tollfree():
    assert not is_tollfree("0836-31-1111") and not is_tollfree("090-1234-5678")


@pytest.mark.parametrize(("text", "value"), [
    ("info@minato-sports.example.jp へお申し込みください", "info@minato-sports.example.jp"),
    ("問合せは kouhou@kenminkai.or.jp", "kouhou@kenminkai.or.jp"),
])
def test_organisation_mail_by_address(text, value):
    assert holder(text, value, "email").kind == ORGANISATION


# --------------------------------------------------------------------------- persons
@pytest.mark.parametrize(("text", "value"), [
    ("問合せ：田中\n【電話】090-2222-3333。", "090-2222-3333"),
    ("申込み：6月1日までに宇部市卓球協会・佐々木【電話】080-4444-5555へ", "080-4444-5555"),
    ("問合せ：林\n【電話】070-6666-7777", "070-6666-7777"),  # a one-character surname
    ("連絡は山口さん(090-8888-9999)まで", "090-8888-9999"),
    ("申込みは電話で鈴木へ。\n【電話】0836-77-8888【メール】suzuki.home@example.com", "suzuki.home@example.com"),
    ("申込み：5月1日までに砂守【電話】090-1111-2222へ", "090-1111-2222"),  # a short name right before the number
])
def test_person_contact(text, value):
    kind = "email" if "@" in value else "phone"
    h = holder(text, value, kind)
    assert h.kind == PERSON, h
    assert h.name == ""  # a person's name is never carried to the message


@pytest.mark.parametrize(("text", "value", "reason"), [
    ("集合場所は自宅(宇部市東岐波1234番地5)です", "宇部市東岐波1234番地5", "home"),
    ("山本さん宅 宇部市西本町2-3-4", "宇部市西本町2-3-4", "home"),
    ("申込は担当の携帯 090-1234-5678 まで", "090-1234-5678", "private"),
])
def test_home_and_private_phone_are_personal(text, value, reason):
    kind = "address" if "宇部市" in value else "phone"
    h = holder(text, value, kind)
    assert (h.kind, h.reason) == (PERSON, reason)


def test_home_beats_a_facility_label():
    assert holder("場所：自宅(宇部市東岐波1234番地5)", "宇部市東岐波1234番地5", "address").kind == PERSON


@pytest.mark.parametrize(("text", "value"), [
    ("090-1234-5678", "090-1234-5678"),
    ("詳しくは 090-1234-5678 まで。", "090-1234-5678"),
    ("申込み：Eメールで【メール】kazoku2024@gmail.com へ", "kazoku2024@gmail.com"),
])
def test_nothing_tells_whose(text, value):
    kind = "email" if "@" in value else "phone"
    assert holder(text, value, kind).kind == UNKNOWN


def test_classify_never_raises_on_odd_spans():
    assert classify("abc", 5, 9).kind == UNKNOWN
    assert classify("", 0, 0).kind == UNKNOWN
    assert classify(None, 0, 1).kind == UNKNOWN  # type: ignore[arg-type]


# --------------------------------------------------------------------------- allow prefixes and whole addresses
def test_phone_prefix_allows_a_range_of_numbers():
    text = "本庁 0836-34-1000、支所 0836-34-2999、自宅 0836-35-1000"
    found = pii.find_phone_numbers(text, ["0836-34-*"])
    assert [m.data["e164"] for m in found] == ["+81836351000"]


def test_address_prefix_allows_a_district():
    text = "宇部市常盤町二丁目3番4号と宇部市東岐波1234番地"
    found = pii.find_addresses(text, ["宇部市常盤町*"])
    assert [m.data["place"] for m in found] == ["宇部市東岐波"]
    assert len(pii.find_addresses(text, ["常盤町*"])) == 1  # without the city too
    assert len(pii.find_addresses(text, ["盤町*"])) == 2  # not inside another name


def test_whole_mail_address_allows_only_itself():
    text = "info@minato.example.jp と taro@minato.example.jp"
    found = pii.find_emails(text, ["info@minato.example.jp"])
    assert [m.data["domain"] for m in found] == ["minato.example.jp"]
    assert len(found) == 1
    assert pii.find_emails(text, ["minato.example.jp"]) == []  # a domain allows every address


# --------------------------------------------------------------------------- the CSV list of public contacts
def test_csv_of_facilities_in_open_data_layout(tmp_path: Path):
    p = tmp_path / "facilities.csv"
    p.write_text("名称,所在地_連結表記,電話番号,FAX番号,メールアドレス,緯度,経度\n"
                 "ときわ体育館,宇部市野中三丁目5番1号,0836-99-1000,0836-99-1001,taiiku@example.lg.jp,33.9,131.2\n"
                 "文化ホール,宇部市朝日町8-1,0836-99-2000,,,,\n", encoding="utf-8")
    got = load_contacts_csv(p)
    assert got["phone_numbers"] == ["0836-99-1000", "0836-99-1001", "0836-99-2000"]
    assert got["addresses"] == ["宇部市野中三丁目5番1号", "宇部市朝日町8-1"]
    assert got["email_domains"] == ["taiiku@example.lg.jp"]


def test_csv_in_shift_jis_with_english_headers(tmp_path: Path):
    p = tmp_path / "partners.csv"
    p.write_bytes("name,phone,address\n宇部観光協会,0836-99-3000,宇部市常盤町1-1-1\n".encode("cp932"))
    assert load_contacts_csv(p)["phone_numbers"] == ["0836-99-3000"]


@pytest.mark.parametrize(("content", "code"), [
    ("名称,備考\nA,B\n", "config_contacts_columns"),
    ("", "config_contacts_columns"),
    (b"\xff\xfe\x00\x81", "config_contacts_unreadable"),
])
def test_csv_that_cannot_be_used(tmp_path: Path, content, code):
    p = tmp_path / "x.csv"
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    with pytest.raises(ContactsFileError) as exc:
        load_contacts_csv(p)
    assert exc.value.code == code


def test_missing_csv(tmp_path: Path):
    with pytest.raises(ContactsFileError) as exc:
        load_contacts_csv(tmp_path / "none.csv")
    assert exc.value.code == "config_contacts_unreadable"
