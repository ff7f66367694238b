"""The phone pre-screen (:func:`snspolicy.text.phones.may_hold_phone_number`) never hides a number
the matcher would find: it is checked against the phonenumbers library's own separators and
metadata, and against the matcher itself on generated texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from snspolicy.text import phones as pii

phonenumbers = pytest.importorskip("phonenumbers")
from phonenumbers import PhoneMetadata, phonenumbermatcher, phonenumberutil

JOINER = re.compile(f"[{pii.PHONE_JOINERS}\\s]")


def _class_members(char_class: str) -> list[str]:
    pattern = re.compile(f"[{char_class}]")
    return [chr(c) for c in range(0x10000) if pattern.fullmatch(chr(c))]


def test_every_separator_the_library_accepts_joins_a_chain():
    library = (phonenumberutil._VALID_PUNCTUATION + re.escape(phonenumberutil._PLUS_CHARS)
               + phonenumbermatcher._OPENING_PARENS + phonenumbermatcher._CLOSING_PARENS)
    members = _class_members(library)
    assert len(members) > 20  # the library's class was read (not an empty string)
    assert [ch for ch in members if not JOINER.fullmatch(ch)] == []


def test_no_valid_number_is_shorter_than_the_threshold():
    shortest = []
    for cc, regions in phonenumberutil.COUNTRY_CODE_TO_REGION_CODE.items():
        for region in regions:
            md = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
            if md is None:
                continue
            for desc in (md.general_desc, md.fixed_line, md.mobile, md.toll_free, md.premium_rate,
                         md.shared_cost, md.personal_number, md.voip, md.pager, md.uan, md.voicemail):
                for n in (desc.possible_length or ()) if desc is not None else ():
                    if n > 0:
                        shortest.append(len(str(cc)) + n)
    assert shortest and min(shortest) >= pii.MIN_PHONE_DIGITS
    jp = PhoneMetadata.metadata_for_region("JP")
    assert min(n for n in jp.general_desc.possible_length if n > 0) >= pii.MIN_PHONE_DIGITS


@pytest.mark.parametrize("text", [
    "12月3日（土）10:00～12:00 市民会館で開催します。",
    "参加費 1,500円、定員 30名。",
    "2025年12月3日",
    "午前9時から午後5時まで",
    "",
])
def test_texts_without_a_number_are_screened_out(text):
    assert not pii.may_hold_phone_number(text)


@pytest.mark.parametrize("text", [
    "お問い合わせは 090-1234-5678 まで",
    "TEL 0836（31）1111",
    "+49 1234",
    "電話 ０８３６－３４－８１１１",
    "2025/12/03",  # maybe: a date of 8 digits is handed to the matcher, which rejects it
])
def test_texts_that_may_hold_a_number_are_not_screened_out(text):
    assert pii.may_hold_phone_number(text)


def test_screened_posts_give_the_same_numbers():
    text = "申込は 0836-31-1111（平日 9:00～17:00）。12月3日締切。担当 090-1234-5678"
    assert [m.start for m in pii.find_phone_numbers(text)] == [text.index("0836"), text.index("090")]


_SEPARATOR = st.sampled_from(["-", "‐", "－", "ー", "(", ")", "（", "）", ".", "/", " ", "　", "\n", "~", "～", ":", ""])
# groups of digits joined by separators: many of them are valid numbers (0836-31-1111, 090 1234 5678)
_NUMBERISH = st.tuples(st.sampled_from(["", "0", "+81 ", "+49 ", "＋８１", "010-1-"]),
                       st.lists(st.tuples(st.text("0123456789０１２３４５６７８９", min_size=1, max_size=5), _SEPARATOR),
                                min_size=1, max_size=5),
                       ).map(lambda t: t[0] + "".join(d + s for d, s in t[1]))
_WORD = st.sampled_from(["TEL", "FAX", "電話", "月", "日", "円", "時", "内線", "x", "〒", "年", "まで", "、", "。"])


@st.composite
def _texts(draw):
    return "".join(draw(st.lists(st.one_of(_NUMBERISH, _WORD, _SEPARATOR), max_size=8)))


def test_the_generated_texts_hold_numbers():
    """The property below is only worth something if its texts hold numbers the matcher finds."""
    from hypothesis import find

    found = find(_texts(), lambda t: len(pii.find_phone_numbers(t)) >= 1)
    assert pii.find_phone_numbers(found)


def _whole_text_numbers(text: str) -> list[tuple[int, int, str]]:
    """The matcher run once over the whole text, as find_phone_numbers did before it screened the
    text and went line by line."""
    shadow = pii._PHONE_LABEL_RE.sub(lambda m: " " * len(m.group(0)), text)
    shadow = pii._PHONE_WRAP_RE.sub(lambda m: " " * len(m.group(0)), shadow)
    matcher = phonenumbers.PhoneNumberMatcher(shadow, "JP", leniency=phonenumbers.Leniency.VALID, max_tries=10000)
    return [(m.start, m.end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164))
            for m in matcher]


@settings(max_examples=600, deadline=None)
@given(_texts())
def test_screening_and_going_line_by_line_never_change_what_is_found(text):
    found = [(m.start, m.end, m.data["e164"]) for m in pii.find_phone_numbers(text)]
    assert found == _whole_text_numbers(text)


@pytest.mark.parametrize("text", [
    "電話 0836-31-\n1111（折り返し）",      # wrapped by an editor
    "2025-12-03 10:00\n090-1234-5678",
    "受付 0836-31-1111\n内線 123\n0836-31-1111",
    "x0836-31-1111\n0836-31-1111x",
    "1999/12/31 23:59\n+81 836 31 1111",
])
def test_line_by_line_on_posts_like_texts(text):
    found = [(m.start, m.end, m.data["e164"]) for m in pii.find_phone_numbers(text)]
    assert found == _whole_text_numbers(text)


# The label pattern as it was written first (a look-behind first: re tried it at every position).
_LABEL_AS_WRITTEN = re.compile(r"(?<![A-Za-z])(?:tel|fax|phone|ph|mobile|mob|cell|t|f)(?=\.?\s*[:：]?\s*[+(（0-9])",
                               re.IGNORECASE)
_LABEL_PARTS = ["tel", "TEL", "Tel", "fax", "FAX", "phone", "Ph", "mobile", "MOB", "cell", "t", "f", "T", "F", "hotel",
                "Hotel", "x", "a", "ſ", "K", ".", ":", "：", " ", "\n", "\t", "+", "(", "（", "0", "836", "-", "日",
                "電話", "ー", "－", "\r\n"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_PARTS), max_size=14).map("".join))
@example("090ー\n1234")
@example("090-\r\n 1234-5678")
@example("0836 \n－31")
@example("TEL0836 Hotel 0836 ſ:0 \u212a:0")
def test_the_label_pattern_blanks_what_it_blanked_as_first_written(text):
    """The label pattern starts each branch with its letter so that re can skip ahead; it must blank
    exactly what the pattern with the look-behind first blanked (HOTEL, ſ and the Kelvin sign
    included), and a text's wrapped numbers are joined only where the pattern can match."""
    def blank(rx, s):  # type: ignore[no-untyped-def]
        return rx.sub(lambda m: " " * len(m.group(0)), s)

    assert blank(pii._PHONE_LABEL_RE, text) == blank(_LABEL_AS_WRITTEN, text)
    if pii._PHONE_WRAP_HINT.search(text) is None:
        assert pii._PHONE_WRAP_RE.search(text) is None
