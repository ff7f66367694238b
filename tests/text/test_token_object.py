"""Token is a cheap object (a tuple underneath) that behaves like the frozen dataclass it replaced,
and the Sudachi backend's word cache gives exactly what Sudachi gives."""

from __future__ import annotations

import copy
import os
import pickle
from dataclasses import FrozenInstanceError

import pytest

from snspolicy.text import tokens as tokens_mod
from snspolicy.text.tokens import Token, tokenize

POS = ("名詞", "普通名詞", "一般", "*", "*", "*")
VERB = ("動詞", "一般", "*", "*", "五段-サ行", "命令形-一般")


def tok(surface: str = "桜", start: int = 0, end: int = 1, pos: tuple[str, ...] = POS) -> Token:
    return Token(surface, start, end, surface, surface, "サクラ", pos)


def test_fields_and_keywords() -> None:
    t = Token(surface="殺せ", start=3, end=5, normalized="殺す", lemma="殺す", reading="コロセ", pos=VERB)
    assert (t.surface, t.start, t.end, t.normalized, t.lemma, t.reading, t.pos) == ("殺せ", 3, 5, "殺す", "殺す", "コロセ", VERB)
    assert t == Token("殺せ", 3, 5, "殺す", "殺す", "コロセ", VERB)
    assert t.conjugation == "命令形"
    assert tok().conjugation == ""
    assert Token("a", 0, 1, "a", "a", "", ()).conjugation == ""
    with pytest.raises(TypeError):
        Token("a", 0, 1)  # type: ignore[call-arg]


def test_read_only_like_a_frozen_dataclass() -> None:
    t = tok()
    for name in ("surface", "start", "pos", "other"):
        with pytest.raises(FrozenInstanceError):
            setattr(t, name, "x")
    with pytest.raises(FrozenInstanceError):
        del t.surface
    with pytest.raises(AttributeError):
        t.__dict__  # noqa: B018 - no per-instance dictionary


def test_equality_hash_and_no_ordering() -> None:
    a, b, c = tok(), tok(), tok(start=1, end=2)
    assert a == b and hash(a) == hash(b) and a != c
    # the frozen dataclass hashed the tuple of its fields
    assert hash(a) == hash(("桜", 0, 1, "桜", "桜", "サクラ", POS))
    assert a != ("桜", 0, 1, "桜", "桜", "サクラ", POS)  # not equal to a plain tuple
    assert (a == ("桜", 0, 1, "桜", "桜", "サクラ", POS)) is False
    assert ("桜", 0, 1, "桜", "桜", "サクラ", POS) != a
    assert (("桜", 0, 1, "桜", "桜", "サクラ", POS) == a) is False
    assert a != "桜" and a is not None
    assert len({a, b, c}) == 2
    plain = tuple(c)
    for compare in (lambda x, y: x < y, lambda x, y: x <= y, lambda x, y: x > y, lambda x, y: x >= y):
        for x, y in ((a, c), (a, plain), (plain, a), (a, 1)):
            with pytest.raises(TypeError):
                compare(x, y)
    with pytest.raises(TypeError):
        a + c
    with pytest.raises(TypeError):
        a * 2


def test_repr_copy_pickle_match() -> None:
    t = tok()
    assert repr(t) == ("Token(surface='桜', start=0, end=1, normalized='桜', lemma='桜', reading='サクラ', "
                       "pos=('名詞', '普通名詞', '一般', '*', '*', '*'))")
    for other in (copy.copy(t), copy.deepcopy(t), pickle.loads(pickle.dumps(t))):
        assert other == t and type(other) is Token and other.pos == POS
    match t:
        case Token(surface, start, end):
            assert (surface, start, end) == ("桜", 0, 1)
        case _:
            pytest.fail("positional pattern does not match")


def _sudachi_backend() -> bool:
    try:
        import sudachipy  # noqa: F401
    except ImportError:
        return False
    return os.environ.get("SNSPOLICY_TOKENIZER", "sudachi") == "sudachi"


sudachi = pytest.mark.skipif(not _sudachi_backend(), reason="the word cache belongs to the SudachiPy backend")

TEXTS = [
    "【宇部まつり】11月1日（土）10時～15時に、ときわ公園で開催します。参加費は1,000円です。",
    "１，０００円と1,000円、２０２５年12月3日（水）、三千五百円、ｱｲｳｴｵ、ＡＢＣ、㍻、①②",  # joined numbers, OOV, width
    "カピバラサンドイッチョとフワモコリンがやってくる！ #宇部市 https://www.city.ube.yamaguchi.jp/a.html",  # OOV words
    "あいつはバカだ。殺せ。キチガイ。夏のバカンスを楽しもう",
    "宇部 市役所\n桜🌸満開😀です👨\u200d👩\u200d👧",
]


def _direct(text: str) -> list[tuple]:
    """What SudachiPy itself says, read word by word (no cache)."""
    from sudachipy import Dictionary, SplitMode

    d = Dictionary(dict=os.environ.get("SNSPOLICY_TEST_SUDACHI_DICT", "core"))
    t = (getattr(d, "tokenizer", None) or d.create)(mode=SplitMode.C)
    return [(m.surface(), m.begin(), m.end(), m.normalized_form(), m.dictionary_form(), m.reading_form(),
             tuple(m.part_of_speech())) for m in t.tokenize(text) if m.part_of_speech()[0] != "空白"]


@sudachi
def test_word_cache_gives_what_sudachi_gives() -> None:
    for _round in range(2):  # the second round is served from the cache
        for text in TEXTS:
            got = [tuple(t) for t in tokenize(text)]
            assert got == _direct(text), text


@sudachi
def test_unknown_words_are_not_confused() -> None:
    # OOV words share word ids; each must keep its own forms
    a = tokenize("カピバラサンドイッチョ")
    b = tokenize("フワモコリンドン")
    assert [t.surface for t in a] == [t.normalized for t in a] == ["カピバラサンドイッチョ"]
    assert [t.surface for t in b] == [t.normalized for t in b] == ["フワモコリンドン"]
    (n1,) = [t for t in tokenize("１，０００円") if t.pos[1] == "数詞"]
    (n2,) = [t for t in tokenize("２，５００円") if t.pos[1] == "数詞"]
    assert (n1.normalized, n2.normalized) == ("1000", "2500")


@sudachi
def test_word_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens_mod, "_MAX_WORDS", 3)  # cleared again and again
    for text in TEXTS:
        assert [tuple(t) for t in tokenize(text)] == _direct(text)


@sudachi
def test_tokens_share_word_strings() -> None:
    first, second = tokenize("宇部市の桜"), tokenize("宇部市の桜")
    assert first == second
    assert first[0].reading is second[0].reading  # one string for every occurrence of a word
    assert first[0].surface == "宇部市"


@sudachi
def test_tokenizing_does_not_grow_the_text() -> None:
    # CPython caches a str's UTF-8 form inside the str when an extension asks for it; the
    # caller keeps the post text for the whole run, so tokenize must not leave that cache behind
    import sys

    text = "".join(["宇部市の桜が満開です。"] * 20)
    size = sys.getsizeof(text)
    assert tokenize(text)
    assert sys.getsizeof(text) == size
