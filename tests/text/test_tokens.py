"""Tests of snspolicy.text.tokens: tokenization, offsets, long input, sentences, lazy import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from snspolicy.text.tokens import Token, backend_name, sentences, tokenize

SRC = str(Path(__file__).resolve().parents[2] / "src")


def surfaces(text: str) -> list[str]:
    return [t.surface for t in tokenize(text)]


def assert_offsets(text: str, toks: list[Token]) -> None:
    prev = 0
    for t in toks:
        assert text[t.start:t.end] == t.surface
        assert t.start >= prev and t.end > t.start
        prev = t.end


def _has_sudachi() -> bool:
    try:
        import sudachipy  # noqa: F401
    except ImportError:
        return False
    return os.environ.get("SNSPOLICY_TOKENIZER", "sudachi") == "sudachi"


sudachi = pytest.mark.skipif(not _has_sudachi(), reason="traps are written for the default SudachiPy backend")


def test_backend_is_sudachi() -> None:
    pytest.importorskip("sudachipy")
    if os.environ.get("SNSPOLICY_TOKENIZER"):
        pytest.skip("backend forced")
    assert backend_name() == "sudachi"


def test_empty_and_bad_input() -> None:
    assert tokenize("") == []
    assert tokenize(None) == []  # type: ignore[arg-type]
    assert tokenize("   \n\t") == []


def test_token_fields() -> None:
    toks = tokenize("あいつはバカだ")
    baka = [t for t in toks if t.surface == "バカ"]
    assert baka and baka[0].start == 4 and baka[0].end == 6
    assert baka[0].pos[0] == "名詞" and len(baka[0].pos) == 6
    assert_offsets("あいつはバカだ", toks)


@sudachi
def test_inflection_fields() -> None:
    (t,) = tokenize("殺せ")
    assert t.lemma == "殺す" and t.normalized == "殺す"
    assert t.conjugation == "命令形"
    (k,) = tokenize("キチガイ")
    assert k.normalized == "気違い" and k.lemma == "キチガイ"
    assert tokenize("宇部")[0].pos[:3] == ("名詞", "固有名詞", "地名")


@sudachi
@pytest.mark.parametrize(
    ("text", "absent"),
    [("夏のバカンスを楽しもう", "バカ"), ("バイクで通勤します", "イク"), ("名物のイクラ丼", "イク"),
     ("東京都から来ました", "京都"), ("伝統の土人形を展示", "土人"), ("アホウドリの保護", "アホ")],
)
def test_word_inside_word_is_not_a_token(text: str, absent: str) -> None:
    assert absent not in surfaces(text)


@sudachi
def test_splits_used_by_the_lexicons() -> None:
    assert surfaces("個人的には反対です")[:3] == ["個人的", "に", "は"]
    assert "検討中" in surfaces("現在検討中です")
    assert "素案" in surfaces("素案を公表")
    assert "大麻" in surfaces("薬物乱用防止の啓発で大麻の危険性を伝えます")


def test_emoji_and_odd_characters() -> None:
    text = "桜🌸満開😀です👨\u200d👩\u200d👧\x00\ufffd"
    toks = tokenize(text)
    assert_offsets(text, toks)
    assert "🌸" in [t.surface for t in toks]


def test_lone_surrogate_does_not_crash() -> None:
    text = "壊れた\ud800文字"
    toks = tokenize(text)
    assert_offsets(text, toks)
    assert toks[-1].surface == "文字"


def test_whitespace_is_not_a_token() -> None:
    text = "宇部 市役所\n桜"
    toks = tokenize(text)
    assert all(t.surface.strip() for t in toks)
    assert_offsets(text, toks)


def test_long_text_with_sentences() -> None:
    text = "宇部市の桜が満開です。" * 8000  # 88,000 chars, far over Sudachi's byte limit
    toks = tokenize(text)
    assert_offsets(text, toks)
    assert toks[-1].end == len(text)
    assert sum(1 for t in toks if t.surface == "満開") == 8000


def test_long_text_without_sentence_end() -> None:
    text = "あ" * 30000 + "バカ" + "漢" * 30000
    toks = tokenize(text)
    assert_offsets(text, toks)
    assert toks[-1].end == len(text)


def test_sentences() -> None:
    text = "「こんにちは。」と言った！本当？\n\n次の行 です  \nURLは https://example.jp/a.b です"
    spans = sentences(text)
    got = [text[s:e] for s, e in spans]
    assert got == ["「こんにちは。」", "と言った！", "本当？", "次の行 です", "URLは https://example.jp/a.b です"]
    assert sentences("") == []
    assert sentences("。。\n\n") == [(0, 2)]
    assert sentences(None) == []  # type: ignore[arg-type]


def test_sentences_with_repeated_marks() -> None:
    text = "すごい！！本当？！次"
    assert [text[s:e] for s, e in sentences(text)] == ["すごい！！", "本当？！", "次"]


def test_forced_fallback_backends() -> None:
    code = ("from snspolicy.text.tokens import tokenize, backend_name;"
            "t=tokenize('あいつはバカだ。夏のバカンス');"
            "s=[x.surface for x in t];"
            "assert 'バカ' in s and 'バカンス' in s, s;"
            "print(backend_name())")
    for name in ("charclass", "fugashi"):
        if name == "fugashi":
            pytest.importorskip("fugashi")
            pytest.importorskip("unidic_lite")
        env = {**os.environ, "PYTHONPATH": SRC, "SNSPOLICY_TOKENIZER": name}
        p = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env, timeout=120)
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == name


def test_unknown_forced_backend_is_a_clear_error() -> None:
    code = "from snspolicy.text.tokens import tokenize; tokenize('x')"
    env = {**os.environ, "PYTHONPATH": SRC, "SNSPOLICY_TOKENIZER": "nonsense"}
    p = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode != 0 and "TokenizerUnavailable" in p.stderr


def test_import_is_lazy() -> None:
    code = ("import sys, snspolicy.text.tokens, snspolicy.text.lexicon, snspolicy.text.normalize, "
            "snspolicy.text.regexsafe;"
            "bad=[m for m in ('sudachipy','fugashi','janome','regex') if m in sys.modules];"
            "assert not bad, bad")
    env = {**os.environ, "PYTHONPATH": SRC}
    p = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr


def test_loading_only_the_fields_read_gives_the_same_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Sudachi backend loads only the word fields it reads (SUDACHI_FIELDS): on every text of
    the vendored corpora its tokens are the tokens of a tokenizer that loads all of them."""
    import yaml

    from snspolicy.text import tokens as tokens_mod

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = [str(item["text"]) for f in sorted(corpus.glob("*.yaml"))
             for item in yaml.safe_load(f.read_text(encoding="utf-8")) or [] if isinstance(item, dict) and item.get("text")]
    assert len(texts) > 200
    subset = tokens_mod._load_sudachi()
    monkeypatch.setattr(tokens_mod, "SUDACHI_FIELDS", None)
    whole = tokens_mod._load_sudachi()
    assert [subset(t) for t in texts] == [whole(t) for t in texts]
    monkeypatch.setattr(tokens_mod, "SUDACHI_FIELDS", frozenset({"pos"}))  # the comparison can tell a missing field
    assert [tokens_mod._load_sudachi()(t) for t in texts[:20]] != [whole(t) for t in texts[:20]]


@pytest.mark.parametrize("text", ["宇部市の広報です。", "ｷﾁｶﾞｲ\ud800じみた", "あ" * 30_000 + "。" + "い" * 30_000, " \n ", ""])
def test_rows_are_the_tokens_as_plain_tuples(text: str) -> None:
    """tokenize_rows gives what tokenize gives, as plain tuples in Token's field order (long texts
    cut into chunks and lone surrogates included)."""
    from snspolicy.text.tokens import tokenize_rows

    rows = tokenize_rows(text)
    toks = tokenize(text)
    assert rows == [tuple(t) for t in toks]
    assert all(isinstance(t, Token) for t in toks)
    if backend_name() == "sudachi":
        assert all(type(r) is tuple for r in rows)


def test_word_offsets_are_the_analyzers() -> None:
    """The Sudachi backend takes a word's start from the end of the word before (one call less per
    word): every token's offsets and surface must be the analyzer's own, on the vendored corpora and
    on texts with spaces, emoji, half-width kana, combining marks and line breaks."""
    import yaml

    if backend_name() != "sudachi":
        pytest.skip("the Sudachi backend")
    from sudachipy import Dictionary, SplitMode

    from snspolicy.text.tokens import tokenize_rows

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = [str(i["text"]) for name in ("clean_announcements.yaml", "violations.yaml")
             for i in yaml.safe_load((corpus / name).read_text(encoding="utf-8"))]
    texts += ["  宇部市 の\u3000お知らせ  ", "😀👍🏽 ﾃｽﾄ です\n\n次の行\t", "e\u0301te\u0301 カ\u3099", "ＡＢＣ１２３！", " ", "a"]
    dictionary = Dictionary(dict="core")
    analyzer = dictionary.tokenizer(mode=SplitMode.C) if hasattr(dictionary, "tokenizer") else dictionary.create(SplitMode.C)
    for text in texts:
        want = [(m.surface(), m.begin(), m.end()) for m in analyzer.tokenize(text) if m.part_of_speech()[0] != "空白"]
        assert [(r[0], r[1], r[2]) for r in tokenize_rows(text)] == want, text
