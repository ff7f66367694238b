"""Personal-information detectors (clause 6(5)): what must fire, what must not."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import pytest

from snspolicy.text.pii import (
    canonical_address,
    find_addresses,
    find_birth_dates,
    find_emails,
    find_honorific_names,
    find_my_numbers,
    find_phone_numbers,
    my_number_check_digit,
)

OFFICIAL = ["0836-31-1111"]


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


# --- phone numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, raw",
    [
        ("詳しくは0836-22-1234まで", "0836-22-1234"),
        ("TEL：0836(22)1234", "0836(22)1234"),
        ("TEL0836-22-1234", "0836-22-1234"),
        ("Fax.0836-22-1234", "0836-22-1234"),
        ("携帯090-1234-5678へ", "090-1234-5678"),
        ("携帯09012345678へ", "09012345678"),
        ("+81-90-1234-5678", "+81-90-1234-5678"),
        ("フリーダイヤル0120-123-456", "0120-123-456"),
        (nfkc("電話０８３６－２２－１２３４"), "0836-22-1234"),
        ("4/5(土)10:00～12:00 0836-22-1234", "0836-22-1234"),
    ],
)
def test_phone_numbers_found(text, raw):
    found = find_phone_numbers(text, OFFICIAL)
    assert [text[m.start:m.end] for m in found] == [raw]
    m = found[0]
    assert m.kind == "phone" and m.data["e164"].startswith("+81")
    assert m.masked != raw and "*" in m.masked


@pytest.mark.parametrize(
    "text",
    [
        "代表電話0836-31-1111",  # allowed, as written in the config
        "代表電話0836311111",  # allowed, other spelling
        "代表電話(0836)31-1111",
        "代表電話+81-836-31-1111",
        nfkc("代表電話０８３６（３１）１１１１"),
        "2025-04-01に開催",
        "料金1,500円",
        "参加費1500円",
        "10:00-12:00",
        "12:00～13:00",
        "〒755-8601 宇部市",
        "123456789012",
        "2025年",
        "令和7年4月1日",
        "2025/04/01",
        "20250401",
        "1234-5678",
        "第2-3回",
        "#7119",
        "https://www.city.ube.yamaguchi.jp/0836221234.html",
        "",
    ],
)
def test_phone_numbers_not_found(text):
    assert find_phone_numbers(text, OFFICIAL) == []


def test_phone_official_number_needs_the_allow_list():
    text = "お問い合わせ: 0836-31-1111"
    assert len(find_phone_numbers(text, [])) == 1
    assert find_phone_numbers(text, ["+81 836 31 1111"]) == []


def test_phone_bad_arguments_never_raise():
    assert find_phone_numbers(None, None) == []  # type: ignore[arg-type]
    assert find_phone_numbers("0836-22-1234", ["not a number", "", None]) != []  # type: ignore[list-item]
    assert find_phone_numbers("0836-22-1234", "0836-22-1234") == []  # a single string is one entry


# --- e-mail --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, domain",
    [
        ("連絡先: taro.yamada@gmail.com", "gmail.com"),
        ("taro[at]example.com", "example.com"),
        ("taro(at)example.com", "example.com"),
        ("taro★example.jp（★を@に）", "example.jp"),
        ("x@example.com.au", "example.com.au"),
        (nfkc("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"), "example.com"),
        ("kouhou@city.ube.yamaguchi.jp.evil.com", "city.ube.yamaguchi.jp.evil.com"),
    ],
)
def test_emails_found(text, domain):
    found = find_emails(text, ["city.ube.yamaguchi.jp"])
    assert len(found) == 1 and found[0].data["domain"] == domain
    assert "taro" not in found[0].masked and "@" in found[0].masked


@pytest.mark.parametrize(
    "text",
    [
        "問合せ: kouhou@city.ube.yamaguchi.jp",
        "問合せ: KOUHOU@City.Ube.Yamaguchi.JP。",
        "kouhou@sub.city.ube.yamaguchi.jp",  # subdomain of an allowed domain
        "@ube_city をフォロー",
        "a@b",
        "メール",
    ],
)
def test_emails_not_found(text):
    assert find_emails(text, ["city.ube.yamaguchi.jp"]) == []


def test_email_allowed_domain_is_not_a_suffix_match():
    assert len(find_emails("a@notcity.ube.yamaguchi.jp", ["city.ube.yamaguchi.jp"])) == 1


# --- 個人番号 ----------------------------------------------------------------------


def test_my_number_check_digit_formula():
    assert my_number_check_digit("12345678901") == 8
    assert my_number_check_digit("00000000001") == 9  # r = 2 -> 11 - 2
    assert my_number_check_digit("00000000000") == 0
    assert my_number_check_digit("1234") is None
    assert my_number_check_digit("１２３４５６７８９０１") is None


@pytest.mark.parametrize("text", ["123456789018", "番号は1234 5678 9018です", "1234-5678-9018", "No.123456789018"])
def test_my_number_found(text):
    found = find_my_numbers(text)
    assert len(found) == 1
    assert not any(c.isdigit() for c in found[0].masked)


@pytest.mark.parametrize(
    "text",
    [
        "123456789012",  # wrong check digit
        "0123456789018",  # inside a longer run
        "1234567890181",
        "1234-5678-9018-1",
        "1234 5678-9018",  # mixed separators
        "000000000000",
        "0836-31-1111",
        "https://example.jp/123456789018",
    ],
)
def test_my_number_not_found(text):
    assert find_my_numbers(text) == []


# --- addresses -----------------------------------------------------------------

ALLOWED_ADDR = ["宇部市常盤町一丁目7番1号"]


@pytest.mark.parametrize(
    "text, masked",
    [
        ("宇部市東岐波1234番地", "宇部市東岐波*番地"),
        ("宇部市東岐波1234番地の5", "宇部市東岐波*番地の*"),
        ("自宅は西本町2-3-4です", "西本町*-*-*"),
        ("宇部市東岐波1234-5", "宇部市東岐波*-*"),
        ("会場：宇部市西本町二丁目十三番二十号", "宇部市西本町*丁目*番*号"),
        ("中央町3丁目5-12", "中央町*丁目*-*"),
        ("常盤町7番2号", "常盤町*番*号"),
        ("本町1-7-1", "本町*-*-*"),  # same numbers as the allowed address, other town
        ("宇部市常盤町一丁目7番2号", "宇部市常盤町*丁目*番*号"),  # next door to the allowed one
        ("西本町1-2-3-405号室", "西本町*-*-*-*号室"),
    ],
)
def test_addresses_found(text, masked):
    found = find_addresses(text, ALLOWED_ADDR)
    assert [m.masked for m in found] == [masked]
    assert found[0].kind == "address"


def test_public_facility_address_is_reported_unless_allowed():
    text = "宇部市役所（宇部市常盤町一丁目7番1号）で開催します。"
    assert find_addresses(text, []) != []
    assert find_addresses(text, ALLOWED_ADDR) == []


@pytest.mark.parametrize(
    "text",
    [
        "宇部市役所（宇部市常盤町一丁目7番1号）",
        "宇部市常盤町1-7-1",  # allowed address, other spelling
        "常盤町1丁目7番1号",
        "〒755-8601 山口県宇部市常盤町一丁目7番1号",
        "宇部市東岐波",  # a district alone
        "常盤町一丁目",
        "政策の一丁目一番地です",
        "4-5月に開催",
        "第2会議室1-2",
        "令和7年4月5日",
        "3-2-1で発射",
        "市営住宅3号棟",
        "5番1号",  # no place
        "2025-04-01",
        "0836-31-1111",
        "",
    ],
)
def test_addresses_not_found(text):
    assert find_addresses(text, ALLOWED_ADDR) == []


def test_canonical_address():
    assert canonical_address("宇部市常盤町一丁目7番1号") == canonical_address("宇部市常盤町1-7-1") == "宇部市常盤町1-7-1"
    assert canonical_address("宇部市西本町二丁目十三番二十号") == "宇部市西本町2-13-20"
    assert canonical_address("東岐波1234番地の5") == "東岐波1234-5"
    assert canonical_address("八王子市一丁目1番1号").startswith("八王子市")  # kanji numerals in names stay
    assert canonical_address(None) == ""  # type: ignore[arg-type]


# --- names -----------------------------------------------------------------------

NAME_POSITIVE = [
    ("山田太郎さんが来ました", "山田太郎さん"),
    ("佐藤様へ", "佐藤様"),
    ("鈴木氏によると", "鈴木氏"),
    ("たろうくんと遊ぶ", "たろうくん"),
    ("はなこちゃん", "はなこちゃん"),
    ("山田 太郎さん", "山田 太郎さん"),
    ("講師の田中一郎氏が講演", "田中一郎氏"),
    ("今日は、さくらちゃんが来ました", "さくらちゃん"),
    ("花子さん", "花子さん"),
]
NAME_NEGATIVE = [
    "皆さん", "皆様", "みなさん", "みなさま", "お客様", "市長", "職員の皆さん", "お子さん", "地域の方々",
    "宇部市さん", "宇部商工会議所様", "株式会社山田様", "(株)山田様", "たくさんの人", "ちゃんと食べよう",
    "様々な", "お疲れ様でした", "ご苦労様", "パン屋さん", "お母さん", "おかあさん", "あかちゃん", "ワンちゃん",
    "サンタさん", "保護者様", "参加者の皆さん", "同様に", "多様な", "仕様書", "様子", "氏名", "君が代", "社殿",
    "お医者さん", "八幡さん", "ご来場の皆様", "市民の皆さま", "さんまを焼く", "ご家族様", "学生さん", "看護師さん",
    "運転手さん", "ボランティアさん", "ママさん", "息子さん", "ごちそうさまでした", "おかげさまで", "商店街の皆さん",
    "2年生さん", "",
]


@pytest.mark.parametrize("text, name", NAME_POSITIVE)
def test_names_found_without_tokens(text, name):
    found = find_honorific_names(text)
    assert [text[m.start:m.end] for m in found] == [name]
    assert found[0].masked != name and found[0].masked.endswith(found[0].data["honorific"])


@pytest.mark.parametrize("text", NAME_NEGATIVE)
def test_names_not_found_without_tokens(text):
    assert find_honorific_names(text) == []


def test_names_allow_list():
    assert find_honorific_names("山田太郎さん", allowed=["山田 太郎"]) == []
    assert find_honorific_names("山田太郎さんと佐藤花子さん", allowed=["山田太郎"])[0].masked == "佐***さん"


@dataclass(frozen=True)
class _Tok:
    surface: str
    start: int
    end: int
    normalized: str
    lemma: str
    reading: str
    pos: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def _tokenize():
    """The project's tokenizer if present, else SudachiPy directly; skip without either."""
    try:
        from snspolicy.text.tokens import tokenize  # type: ignore[import-not-found]

        return tokenize
    except ImportError:
        pass
    sudachi = pytest.importorskip("sudachipy")
    from sudachipy import dictionary, tokenizer

    d = dictionary.Dictionary(dict="core")
    tok = d.tokenizer() if hasattr(d, "tokenizer") else d.create()
    mode = tokenizer.Tokenizer.SplitMode.C

    def tokenize(text: str):
        return [
            _Tok(m.surface(), m.begin(), m.end(), m.normalized_form(), m.dictionary_form(), m.reading_form(),
                 tuple(m.part_of_speech()))
            for m in tok.tokenize(text, mode)
        ]

    del sudachi
    return tokenize


def _backend() -> str:
    try:
        from snspolicy.text.tokens import backend_name  # type: ignore[import-not-found]
    except ImportError:
        return "sudachi"
    return backend_name()


@pytest.mark.parametrize(
    "text, name, needs_dictionary",
    [(t, n, False) for t, n in NAME_POSITIVE]
    + [("ジョンさん", "ジョンさん", True), ("林さん", "林さん", True), ("山田はなこちゃん", "山田はなこちゃん", True),
       ("ゆうとくん", "ゆうとくん", False)],
)
def test_names_found_with_tokens(text, name, needs_dictionary):
    try:
        tokenize = _tokenize()
    except Exception as exc:  # noqa: BLE001 - dictionary missing
        pytest.skip(f"no tokenizer: {exc}")
    if needs_dictionary and _backend() == "charclass":
        pytest.skip("the crude tokenizer knows no names")
    found = find_honorific_names(text, tokenize(text))
    assert [text[m.start:m.end] for m in found] == [name]


@pytest.mark.parametrize("text", NAME_NEGATIVE)
def test_names_not_found_with_tokens(text):
    try:
        tokenize = _tokenize()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no tokenizer: {exc}")
    assert find_honorific_names(text, tokenize(text)) == []


def test_names_crude_tokens_are_ignored():
    """Tokens that only split on script changes (the last-resort backend) carry no POS information."""
    text = "山田太郎さんがたくさん来た"
    crude = [_Tok("山田太郎", 0, 4, "", "", "", ("名詞", "普通名詞", "一般")),
             _Tok("さんがたくさん", 4, 11, "", "", "", ("名詞", "普通名詞", "一般")),
             _Tok("来", 11, 12, "", "", "", ("名詞", "普通名詞", "一般")),
             _Tok("た", 12, 13, "", "", "", ("名詞", "普通名詞", "一般"))]
    assert [text[m.start:m.end] for m in find_honorific_names(text, crude)] == ["山田太郎さん"]


def test_names_bad_tokens_never_raise():
    assert find_honorific_names("山田太郎さん", tokens=[object()]) != []  # type: ignore[list-item]
    assert find_honorific_names(None) == []  # type: ignore[arg-type]


# --- birth dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "平成2年3月4日生まれ",
        "生年月日：1990年1月2日",
        "2019年5月1日生",
        "1990/1/2に生まれ",
        "誕生日は2019年5月1日です",
        "R2.3.4生",
        "令和元年5月1日(水)生まれ",
        "昭和50年12月31日生まれの方",
    ],
)
def test_birth_dates_found(text):
    found = find_birth_dates(text)
    assert len(found) == 1 and found[0].kind == "birthdate"
    assert not any(c.isdigit() for c in found[0].masked)


@pytest.mark.parametrize(
    "text",
    [
        "平成2年生まれ",
        "平成2年3月生まれ",
        "3月4日生まれのお友達",
        "誕生日会を開きます",
        "生誕100年",
        "2025年4月1日生まれ変わる新庁舎",
        "2025年4月1日生産開始",
        "2025年4月1日生活が変わります",
        "2025年4月1日に開催",
        "",
    ],
)
def test_birth_dates_not_found(text):
    assert find_birth_dates(text) == []


# --- never raise -------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 123, b"bytes", ["list"], "\x00\ud800", "0" * 100000, "あ" * 50000])
def test_detectors_never_raise(value):
    for fn in (find_my_numbers, find_birth_dates, find_honorific_names):
        fn(value)  # type: ignore[arg-type]
    find_phone_numbers(value, OFFICIAL)  # type: ignore[arg-type]
    find_emails(value, ["x.jp"])  # type: ignore[arg-type]
    find_addresses(value, ALLOWED_ADDR)  # type: ignore[arg-type]


# --- fuzzing: no detector of this package raises, offsets stay inside the text -----

_ALPHABET = "0123456789-()（）/:：.@ 　\n〒年月日番地号丁目の市町村さん様氏くんちゃん生まれ山田太郎宇部はなこ(土)～・#＃http://bit.ly/www."


def test_fuzz_detectors():
    hypothesis = pytest.importorskip("hypothesis")
    from datetime import date

    from hypothesis import strategies as st

    from snspolicy.text import clarity, dates, links

    @hypothesis.settings(max_examples=400, deadline=None, derandomize=True, database=None)
    @hypothesis.given(st.text(alphabet=_ALPHABET, max_size=80))
    def run(text: str) -> None:
        results = [
            *find_phone_numbers(text, OFFICIAL), *find_emails(text, ["x.jp"]), *find_my_numbers(text),
            *find_addresses(text, ALLOWED_ADDR), *find_honorific_names(text), *find_birth_dates(text),
            *dates.check_weekdays(text, date(2025, 4, 1)), *dates.event_dates_before(text, date(2025, 4, 1)),
            *links.find_links(text), *clarity.hashtags(text), *clarity.long_sentences(text, 10),
            *clarity.check_length(text, "x", {"x": 20}),
        ]
        for m in results:
            assert 0 <= m.start <= m.end <= len(text)
            assert isinstance(m.masked, str)
        clarity.weighted_length(text, "x")

    run()


def test_phone_detection_available():
    from snspolicy.text.pii import phone_detection_available

    assert phone_detection_available() is True  # phonenumbers is a test dependency


# --- review wave: cases found on realistic posts ----------------------------------


@pytest.mark.parametrize("text", [
    "ご連絡先：090-\n1111-2222（飼い主）",        # wrapped after the hyphen
    "ご連絡先：090-1111\n-2222",                    # wrapped before the hyphen
    "連絡先　0836-51-\r\n2345",                      # Windows line ending
])
def test_phone_wrapped_at_a_hyphen_is_found_and_masked(text):
    found = find_phone_numbers(nfkc(text), OFFICIAL)
    assert len(found) == 1
    assert "\n" not in found[0].masked and "1111-2222" not in found[0].masked


def test_phone_wrap_joins_only_at_a_hyphen():
    # two numbers on separate lines without a hyphen at the break stay two short numbers
    assert find_phone_numbers("定員 090\n12345678 人", OFFICIAL) == []
    # an allowed number wrapped after its hyphen is still the allowed number
    assert find_phone_numbers("上下水道局\n0836-31-\n1111 へ", OFFICIAL) == []


def test_facility_phone_number_is_not_an_address():
    text = "予約：宇部市保健センター 0836-31-1777"
    assert find_addresses(text, []) == []
    # a real hyphenated lot number after the same kind of place is still an address
    assert find_addresses("宇部市西岐波2229-1のお宅", [])


@pytest.mark.parametrize("text", ["kankyo.suki(アット)gmail.com", "kankyo.suki(アットマーク)gmail.com",
                                  "kankyo.suki [アット] gmail.com"])
def test_email_with_katakana_at(text):
    found = find_emails(text, ["city.ube.yamaguchi.jp"])
    assert len(found) == 1 and found[0].masked.endswith("@gmail.com") and "kankyo" not in found[0].masked


@pytest.mark.parametrize("allowed", [["チョーくん"], ["チョー"], ["チョー くん"]])
def test_allowed_name_may_be_written_with_its_honorific(allowed):
    from snspolicy.text.tokens import tokenize

    text = "チョーくんが遊びに来ます。チョーくんと写真を撮ろう"
    assert find_honorific_names(text, tokenize(text), allowed) == []
    assert len(find_honorific_names(text, tokenize(text), [])) == 2  # not allowed: reported
    # an allowed mascot does not hide a person's name next to it
    other = "チョーくんと山田花子さんが来ます"
    assert len(find_honorific_names(other, tokenize(other), allowed)) == 1
