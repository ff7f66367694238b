"""Tests of snspolicy.text.normalize: NFKC plus extra unification, and the map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.text.normalize import normalize


def check_map(original: str) -> None:
    """Every normalized character maps into the original, in order, with start <= end."""
    n = normalize(original)
    prev = 0
    for i in range(len(n.text) + 1):
        o = n.to_original(i)
        assert 0 <= o <= len(original)
        assert o >= prev
        prev = o
        if i:
            assert n.to_original(i, end=True) >= n.to_original(i - 1)


@pytest.mark.parametrize(
    ("src", "want"),
    [
        ("ＡＢＣ１２３！", "ABC123!"),
        ("ｶﾞｽ料金", "ガス料金"),
        ("㈱宇部", "(株)宇部"),
        ("①②", "12"),
        ("ﾊﾟﾝﾌﾚｯﾄ", "パンフレット"),
        ("か\u3099", "が"),
        ("バ\u200bカ", "バカ"),
        ("\ufeff宇部", "宇部"),
        ("ラ−メン", "ラーメン"),  # minus sign between katakana: a mistyped long vowel
        ("0836ー31ー1111", "0836-31-1111"),  # long-vowel mark between digits: a hyphen
        ("０８３６－３１－１１１１", "0836-31-1111"),
        ("10時～12時", "10時~12時"),
        ("10時〜12時", "10時~12時"),
        ("ドラマ――それは", "ドラマ――それは"),  # a dash used as punctuation stays
        ("コーヒー", "コーヒー"),
        ("宇部市の桜", "宇部市の桜"),
        ("", ""),
    ],
)
def test_normalized_text(src: str, want: str) -> None:
    assert normalize(src).text == want


def test_identical_text_keeps_offsets() -> None:
    n = normalize("宇部市の桜が満開です。")
    assert n.identical and n.same_offsets
    assert [n.to_original(i) for i in range(4)] == [0, 1, 2, 3]


def test_one_for_one_changes_keep_offsets() -> None:
    n = normalize("ＡＢＣ！")
    assert not n.identical and n.same_offsets
    assert n.to_original(2) == 2


def test_halfwidth_voiced_mark_maps_back() -> None:
    original = "ｶﾞｽ料金"  # 5 code points -> ガス料金 (4)
    n = normalize(original)
    assert n.text == "ガス料金"
    assert n.to_original(0) == 0
    assert n.to_original(1) == 2  # ス is original index 2
    assert n.to_original(2) == 3
    assert n.to_original(4) == len(original)
    start = n.text.index("料金")
    s, e = n.span_to_original(start, start + 2)
    assert original[s:e] == "料金"
    s, e = n.span_to_original(0, 1)
    assert original[s:e] == "ｶﾞ"


def test_expansion_maps_back_without_cutting() -> None:
    original = "㈱宇部興産"
    n = normalize(original)
    assert n.text == "(株)宇部興産"
    i = n.text.index("宇部")
    assert original[n.to_original(i):n.to_original(i + 2, end=True)] == "宇部"
    # a span ending inside the expansion of ㈱ covers the whole original character
    assert n.span_to_original(0, 2) == (0, 1)
    assert n.to_original(1) == 0 and n.to_original(2) == 0


def test_circled_digit_maps_back() -> None:
    original = "会場は①番"
    n = normalize(original)
    assert n.text == "会場は1番"
    assert original[n.to_original(3):n.to_original(4, end=True)] == "①"


def test_removed_zero_width_maps_back() -> None:
    original = "あいつはバ\u200bカだ"
    n = normalize(original)
    i = n.text.index("バカ")
    s, e = n.span_to_original(i, i + 2)
    assert original[s:e] == "バ\u200bカ"


def test_offsets_are_clamped() -> None:
    n = normalize("ｶﾞｽ")
    assert n.to_original(-5) == 0
    assert n.to_original(999) == 3


@pytest.mark.parametrize(
    "src",
    ["ｶﾞｽ料金は㈱宇部①", "👨\u200d👩\u200d👧 家族", "\ud800壊れた", "\x00\x01制御", "ﾝﾞ", "가각", "e\u0301\u0327",
     "ラ−メン 0836ー31ー1111 10時～12時", "㍻３１年", "ｱｲｳ" * 200],
)
def test_map_is_monotonic_and_in_range(src: str) -> None:
    check_map(src)


def test_mixed_text_span_round_trip() -> None:
    original = "【お知らせ】ｲﾍﾞﾝﾄは①会場、㈱ＡＢＣ主催。ﾊﾞｶﾝｽ"
    n = normalize(original)
    for word, orig in [("イベント", "ｲﾍﾞﾝﾄ"), ("ABC", "ＡＢＣ"), ("バカンス", "ﾊﾞｶﾝｽ"), ("(株)", "㈱")]:
        i = n.text.index(word)
        s, e = n.span_to_original(i, i + len(word))
        assert original[s:e] == orig


def test_not_a_string() -> None:
    with pytest.raises(TypeError):
        normalize(None)  # type: ignore[arg-type]


_NFKC_PARTS = ["宇部", "ｶ", "ﾞ", "ﾟ", "ﾊ", "か", "\u3099", "\u309a", "e", "\u0301", "\u0323", "\u0308", "A", "\u212b",
               "\u1100", "\u1161", "\u11a8", "가", "㈱", "①", "ﬁ", "㍻", "ＡＢＣ", "１２", "（", "）", "：", "\u0958",
               "\u0915", "\u093c", "\u0f73", "\u0f71", "\u0f72", "Ω", "\u0345", "\u03b9", "ー", "－", "～", " ", "\n",
               "\u00a0", "\u200b", "😀", "\ud800", "ǅ", "\u0338", "=", "<"]


@given(st.lists(st.sampled_from(_NFKC_PARTS), max_size=30).map("".join))
@settings(max_examples=1500, deadline=None)
def test_nfkc_from_the_characters_is_the_texts_nfkc(text: str) -> None:
    """normalize() takes the concatenation of the characters' NFKC when it is already in NFKC (no
    second normalization of the whole text): it must be the text's own NFKC, whatever composes or
    reorders across characters (voiced marks, combining accents, jamo, Tibetan, singletons)."""
    import unicodedata

    from snspolicy.text.normalize import _nfkc, nfkc_text

    assert _nfkc(text)[0] == unicodedata.normalize("NFKC", text) == nfkc_text(text)
