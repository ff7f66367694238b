"""Clarity (clause 3(7)): per-platform length, hashtags, long sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.text.clarity import check_length, hashtag_excess, hashtags, long_sentences, weighted_length


@pytest.mark.parametrize(
    "text, x, plain",
    [
        ("abc", 3, 3),
        ("あいう", 6, 3),  # CJK weighs 2 on X
        ("宇部 Ube", 8, 6),
        ("ｱ", 2, 1),  # half-width katakana is not in the light ranges
        ("１", 2, 1),  # full-width digit: count the text as posted, not its NFKC form
        ("é", 1, 1),
        ("e\u0301", 1, 1),  # NFC first
        ("👍", 2, 1),
        ("👍🏽", 2, 2),
        ("👨\u200d👩\u200d👧\u200d👦", 2, 7),  # one ZWJ sequence
        ("🇯🇵", 2, 2),
        ("1\ufe0f\u20e3", 2, 3),  # keycap
        ("©", 1, 1),
        ("“引用”", 6, 4),  # U+201C/D are light on X, the two kanji are not
        ("https://www.city.ube.yamaguchi.jp/very/long/path/index.html", 23, 59),
        ("http://t.co/x", 23, 13),
        ("詳細はcity.ube.yamaguchi.jpへ", 31, 25),
        ("", 0, 0),
    ],
)
def test_weighted_length(text, x, plain):
    assert weighted_length(text, "x") == x
    assert weighted_length(text, "twitter") == x
    assert weighted_length(text, "instagram") == plain


def test_other_units_and_params():
    family = "👨\u200d👩\u200d👧\u200d👦"
    assert weighted_length(family, "threads", {"unit": "graphemes"}) == 1
    assert weighted_length("😀", "line", {"unit": "utf16"}) == 2
    assert weighted_length("https://example.com/abc", "x", {"url_length": 30}) == 30
    assert weighted_length(None, "x") == 0  # type: ignore[arg-type]
    assert weighted_length("abc", None) == 3  # type: ignore[arg-type]


LIMITS = {"x": 280, "threads": 500, "instagram": 2200}


def test_check_length_x():
    assert check_length("あ" * 140, "x", LIMITS) == []
    (m,) = check_length("あ" * 141, "x", LIMITS)
    assert m.kind == "length" and m.data == {"length": 282, "limit": 280, "platform": "x"}
    assert (m.start, m.end) == (140, 141)  # the part that does not fit
    assert check_length("a" * 280, "x", LIMITS) == []
    assert len(check_length("a" * 281, "x", LIMITS)) == 1


def test_check_length_other_platforms():
    assert check_length("あ" * 500, "threads", LIMITS) == []
    assert check_length("あ" * 501, "threads", LIMITS)[0].start == 500
    assert check_length("あ" * 5000, "youtube", LIMITS) == []  # no limit given
    assert check_length("abc", "x", None) == []  # type: ignore[arg-type]
    assert check_length("abc", "x", {"x": "bad"}) == []


def test_hashtags():
    text = "#宇部市 ＃ときわ公園 #1 #2025 C#言語 https://x.jp/#frag #Ube_City #2025宇部まつり &#123; #宇部・山口 1#2"
    assert [m.data["tag"] for m in hashtags(text)] == ["宇部市", "ときわ公園", "Ube_City", "2025宇部まつり", "宇部・山口"]
    (m,) = hashtags("桜が満開 #宇部市")
    assert (m.start, m.end, m.masked) == (5, 9, "#宇部市")
    assert hashtags("満開#宇部市") == []  # glued to the text: X does not link it
    assert [m.data["tag"] for m in hashtags("満開。#宇部市の桜")] == ["宇部市の桜"]
    assert hashtags("") == [] and hashtags(None) == []  # type: ignore[arg-type]


def test_hashtag_excess():
    found = hashtag_excess("#a #b #c #d", 2)
    assert [m.data["tag"] for m in found] == ["c", "d"]
    assert found[0].data["count"] == 4 and found[0].data["limit"] == 2
    assert hashtag_excess("#a #b", 2) == []
    assert hashtag_excess("#a", "x") == []  # type: ignore[arg-type]


def test_long_sentences():
    text = "短い文です。" + "あ" * 50 + "。https://example.com/?q=1!と書いた\n#宇部 #山口 #ときわ公園 #桜 #まつり"
    (m,) = long_sentences(text, 30)
    assert m.kind == "long_sentence" and text[m.start:m.end] == "あ" * 50 + "。"
    assert m.data == {"length": 51, "limit": 30} and m.masked == "51/30"
    assert long_sentences(text, 60) == []
    # the URL and the hashtags are not counted
    assert long_sentences("見て https://example.com/" + "a" * 100 + " です", 10) == []


def test_long_sentences_split_on_japanese_punctuation():
    text = "「" + "あ" * 20 + "。」" + "い" * 20 + "！" + "う" * 20 + "\n" + "え" * 20
    assert long_sentences(text, 25) == []
    assert len(long_sentences(text, 15)) == 4
    assert long_sentences("abc", 0) == [] and long_sentences(None, 5) == []  # type: ignore[arg-type]


def test_hashtags_are_remembered_but_each_caller_gets_its_own_list():
    text = "お知らせ #宇部市 #ときわ公園"
    first = hashtags(text)
    first.clear()
    assert [m.data["tag"] for m in hashtags(text)] == ["宇部市", "ときわ公園"]


_LENGTH_PARTS = ["宇部市", "の", "お知らせ", "です。", "ABC", "abc ", "123", "、", "😀", "👍🏽", "👨‍👩‍👧", "❤️", "©",
                 "が\u3099", "e\u0301", "𠮷", "\ud800", "https://www.city.ube.yamaguchi.jp/x?a=1", "www.example.jp",
                 "example.com/path", " ", "\n", "ｶﾞ", "#宇部"]


@given(st.lists(st.sampled_from(_LENGTH_PARTS), max_size=40).map("".join),
       st.sampled_from(["x", "twitter", "facebook", "instagram"]),
       st.sampled_from([None, {"unit": "graphemes"}, {"unit": "utf16"}, {"url_length": 10, "emoji_weight": 3}]))
@settings(max_examples=400, deadline=None)
def test_the_total_without_units_is_the_sum_of_the_units(text, platform, params):
    """check_length counts a post's length without a unit per character (most posts fit); the
    count must be exactly the sum of the units it makes when the post is too long."""
    import unicodedata

    from snspolicy.text import clarity

    nfc = unicodedata.normalize("NFC", text)
    assert clarity._total(nfc, platform, params) == sum(w for _, w in clarity._units(nfc, platform, params))
