"""Japanese tokenization (morphological analysis) for the text rules.

:func:`tokenize` splits a text into :class:`Token` objects with code-point
offsets into the given text. The analyzer is SudachiPy with the ``core``
dictionary in split mode C (longest units: ``検討中``, ``個人的``, ``宇部市`` are one
token each); see docs/dependencies-tokenizer.md for the measurements behind the
choice. When SudachiPy (or its dictionary) is not installed, fugashi with
``unidic-lite`` is used, and when neither is, a crude tokenizer that splits on
changes of script (kanji / hiragana / katakana / Latin / digits) keeps the
linter working with reduced precision. ``SNSPOLICY_TOKENIZER`` (``sudachi``,
``fugashi`` or ``charclass``) forces one backend.

Importing this module is cheap: the analyzer is imported and its dictionary
loaded on the first call of :func:`tokenize` (about 0.1 s).

Whitespace is not returned as tokens. ``pos`` has six fields in the
UniDic/Sudachi layout: ``(品詞1, 品詞2, 品詞3, 品詞4, 活用型, 活用形)``, e.g.
``("動詞", "一般", "*", "*", "五段-サ行", "命令形")``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from operator import itemgetter
from typing import Any, Self

from snspolicy.core.relazy import lazy

__all__ = ["Token", "TokenizerUnavailable", "backend_name", "sentences", "tokenize", "tokenize_rows"]


_tuple_new = tuple.__new__
_tuple_eq = tuple.__eq__
_tuple_ne = tuple.__ne__
_FIELDS = ("surface", "start", "end", "normalized", "lemma", "reading", "pos")


class Token(tuple):
    """One word of a text (immutable).

    ``surface`` is ``text[start:end]``; ``normalized`` the analyzer's spelling-
    unified form (``キチガイ`` → ``気違い``, ``死ね`` → ``死ぬ``); ``lemma`` the
    dictionary form in the text's own spelling (``殺し`` → ``殺す``, ``イク`` → ``イク``);
    ``reading`` katakana reading (may be empty); ``pos`` see the module docstring.

    Built as ``Token(surface, start, end, normalized, lemma, reading, pos)`` (keywords
    accepted). It behaves like the frozen dataclass it replaces: read-only attributes
    (assigning raises :class:`dataclasses.FrozenInstanceError`), equal only to a Token
    with the same fields, hashable, no ordering, the same ``repr``. It is a tuple
    underneath (the cheapest object CPython builds: a run makes one per word, ~125 per
    post), so it can also be indexed and unpacked in field order.
    """

    __slots__ = ()
    __match_args__ = ("surface", "start", "end", "normalized", "lemma", "reading", "pos")

    def __new__(cls, surface: str, start: int, end: int, normalized: str, lemma: str, reading: str,
                pos: tuple[str, ...]) -> Self:
        return _tuple_new(cls, (surface, start, end, normalized, lemma, reading, pos))

    surface: str = property(itemgetter(0), doc="The word as written: ``text[start:end]``.")  # type: ignore[assignment]
    start: int = property(itemgetter(1), doc="Offset (code points) of the first character.")  # type: ignore[assignment]
    end: int = property(itemgetter(2), doc="Offset (code points) after the last character.")  # type: ignore[assignment]
    normalized: str = property(itemgetter(3), doc="Spelling-unified form.")  # type: ignore[assignment]
    lemma: str = property(itemgetter(4), doc="Dictionary form in the text's own spelling.")  # type: ignore[assignment]
    reading: str = property(itemgetter(5), doc="Katakana reading ('' when unknown).")  # type: ignore[assignment]
    pos: tuple[str, ...] = property(itemgetter(6), doc="Part of speech, six fields.")  # type: ignore[assignment]

    @property
    def conjugation(self) -> str:
        """The conjugation form (活用形) without its subtype, '' when the word does not inflect."""
        pos = self[6]
        cf = pos[5] if len(pos) > 5 else "*"
        return "" if cf in ("*", "") else cf.split("-", 1)[0]

    def __repr__(self) -> str:
        return "Token(" + ", ".join(f"{name}={value!r}" for name, value in zip(_FIELDS, self)) + ")"

    # Equal only to a Token (the dataclass compared fields with objects of its own class only;
    # a plain tuple must not compare equal, or ordered, through tuple's own comparison).
    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return _tuple_eq(self, other)
        return False if isinstance(other, tuple) else NotImplemented

    def __ne__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return _tuple_ne(self, other)
        return True if isinstance(other, tuple) else NotImplemented

    __hash__ = tuple.__hash__  # the hash the frozen dataclass had: hash of the fields' tuple

    def __lt__(self, other: object) -> bool:
        if isinstance(other, tuple):
            raise TypeError(f"Token and {type(other).__name__} cannot be ordered")
        return NotImplemented

    __le__ = __gt__ = __ge__ = __lt__

    def __add__(self, other: object) -> Token:
        return NotImplemented

    __mul__ = __rmul__ = __add__

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getnewargs__(self) -> tuple:  # copy and pickle call __new__ with the seven fields
        return tuple(self)


class TokenizerUnavailable(RuntimeError):
    """Raised only when a backend is forced by name and cannot be loaded."""


# Words remembered by the Sudachi backend (a dictionary word's forms): ~400 bytes each, ~20 MB at most.
_MAX_WORDS = 50_000
# Sudachi refuses input longer than 49,149 UTF-8 bytes; chunks stay well below.
_MAX_CHUNK_BYTES = 40_000
_SENT_END = lazy(r"[。．！？!?]+[」』）)】〕〉》\"'’”]*|\n+")


def _clean(text: str) -> str:
    """Replace what no analyzer can encode (lone surrogates) by U+FFFD, same length."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def _chunks(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into spans of at most ~_MAX_CHUNK_BYTES, at sentence ends when possible."""
    if len(text) * 4 <= _MAX_CHUNK_BYTES:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    start = 0
    size = 0
    last_cut = 0  # a sentence end inside the current chunk
    i = 0
    n = len(text)
    while i < n:
        size += len(text[i].encode("utf-8", "replace"))
        ch = text[i]
        i += 1
        if ch in "。．！？!?\n":
            last_cut = i
        if size >= _MAX_CHUNK_BYTES:
            cut = last_cut if last_cut > start else i
            spans.append((start, cut))
            start = cut
            last_cut = start
            size = len(text[start:i].encode("utf-8", "replace"))
    if start < n:
        spans.append((start, n))
    return spans


# --------------------------------------------------------------------------- backends
#: A word as a plain tuple in :class:`Token`'s field order (surface, start, end, normalized, lemma,
#: reading, pos): what :func:`tokenize_rows` gives (a Token is one too).
Row = tuple[str, int, int, str, str, str, tuple[str, ...]]
Backend = Callable[[str], list[Row]]


#: the word fields the Sudachi backend reads (the others are not loaded from the dictionary:
#: about 8 % quicker); tests/text/test_tokens.py checks that the tokens are the same as with all
SUDACHI_FIELDS = frozenset({"pos", "normalized_form", "dictionary_form", "reading_form"})


def _tokenizer_factory(dictionary: Any, fields: frozenset[str] | None) -> Callable[..., Any]:
    """``make(mode=...)``: a tokenizer that loads only ``fields`` when this SudachiPy can (else all)."""
    make = getattr(dictionary, "tokenizer", None)
    if make is None:  # SudachiPy before 0.6.3
        return dictionary.create  # type: ignore[no-any-return]
    if fields is not None:
        try:
            make(fields=set(fields))
        except Exception:  # noqa: BLE001 - a SudachiPy that cannot load a subset
            return make  # type: ignore[no-any-return]
        return lambda **kw: make(fields=set(fields), **kw)
    return make  # type: ignore[no-any-return]


def _load_sudachi() -> Backend:
    from sudachipy import Dictionary, SplitMode

    dictionary = None
    errors = []
    for name in ("core", "full", "small"):
        try:
            dictionary = Dictionary(dict=name)
            break
        except Exception as exc:  # noqa: BLE001 - dictionary package not installed
            errors.append(f"{name}: {exc}")
    if dictionary is None:
        raise ImportError("no Sudachi dictionary installed (" + "; ".join(errors) + ")")
    make = _tokenizer_factory(dictionary, SUDACHI_FIELDS)
    local = threading.local()  # a Sudachi tokenizer must not be shared between threads
    pos_cache: dict[int, tuple[str, ...]] = {}
    # What a dictionary word always has, whatever the text: word id -> (normalized, lemma,
    # reading, pos). A post repeats the words of the others, so after the first posts
    # almost every word is found here: no string is built for it, and its tokens share
    # the strings. Unknown words (OOV) share word ids, so they are read every time.
    words: dict[int, tuple[str, str, str, tuple[str, ...]]] = {}
    blank = ("", "", "", ("空白",))  # a blank word: not a token

    def _pos(m: Any) -> tuple[str, ...]:
        pid = m.part_of_speech_id()
        pos = pos_cache.get(pid)
        if pos is None:
            pos = pos_cache[pid] = tuple(m.part_of_speech())
        return pos

    def _info(m: Any, wid: int) -> tuple[str, str, str, tuple[str, ...]]:
        pos = _pos(m)
        info = blank if pos[0] == "空白" else (m.normalized_form(), m.dictionary_form(), m.reading_form(), pos)
        if not m.is_oov():
            if len(words) >= _MAX_WORDS:
                words.clear()
            words[wid] = info
        return info

    def run(text: str) -> list[Row]:
        tok = getattr(local, "tok", None)
        if tok is None:
            tok = local.tok = make(mode=SplitMode.C)
        out: list[Row] = []
        append = out.append
        get = words.get
        b = 0
        # Sudachi reads the text as UTF-8, which CPython then caches inside the str object for
        # as long as it lives (+130 % of a Japanese text's size); the caller keeps the text for
        # the whole run, so the analyzer gets a throwaway copy (~1 µs per post).
        for m in tok.tokenize(text.encode("utf-8").decode("utf-8")):
            e = m.end()
            info = get(wid := m.word_id())
            if info is None:
                info = _info(m, wid)
            if info is not blank:
                # text[b:e] is m.surface() (offsets are code points into text), without a call into Sudachi
                append((text[b:e], b, e, info[0], info[1], info[2], info[3]))
            b = e  # the words of the analysis follow each other: a word begins where the one before ended
        return out

    return run


def _load_fugashi() -> Backend:
    import fugashi

    tagger = fugashi.Tagger()
    lock = threading.Lock()

    def run(text: str) -> list[Row]:
        out: list[Row] = []
        pos_at = 0
        with lock:
            words = [(w.surface, w.feature) for w in tagger(text)]
        for surface, f in words:
            start = text.find(surface, pos_at)
            if start < 0:  # MeCab changed the surface; resynchronise conservatively
                start = pos_at
            end = start + len(surface)
            pos_at = end
            if not surface.strip():
                continue
            pos = tuple(str(x) if x is not None else "*" for x in
                        (f.pos1, f.pos2, f.pos3, f.pos4, f.cType, f.cForm))
            out.append((text[start:end], start, end, f.lemma or surface, f.orthBase or surface, f.kana or "", pos))
        return out

    return run


def _script(ch: str) -> str:
    if "\u3041" <= ch <= "\u309f":
        return "hira"
    if "\u30a0" <= ch <= "\u30ff" or ch == "\u30fc":
        return "kata"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "々〆ヶ":
        return "kanji"
    if ch.isdigit():
        return "digit"
    if ch.isalpha():
        return "latin"
    return "sym:" + ch  # every symbol its own token


def _load_charclass() -> Backend:
    def run(text: str) -> list[Row]:
        out: list[Row] = []
        i, n = 0, len(text)
        while i < n:
            if text[i].isspace():
                i += 1
                continue
            kind = _script(text[i])
            j = i + 1
            if not kind.startswith("sym:"):
                while j < n and _script(text[j]) == kind:
                    j += 1
            s = text[i:j]
            pos = ("補助記号", "一般", "*", "*", "*", "*") if kind.startswith("sym:") else \
                  ("名詞", "数詞", "*", "*", "*", "*") if kind == "digit" else ("名詞", "普通名詞", "一般", "*", "*", "*")
            out.append((s, i, j, s, s, "", pos))
            i = j
        return out

    return run


_LOADERS: dict[str, Callable[[], Backend]] = {
    "sudachi": _load_sudachi,
    "fugashi": _load_fugashi,
    "charclass": _load_charclass,
}
_backend: Backend | None = None
_backend_name = ""
_lock = threading.Lock()


def _get_backend() -> Backend:
    global _backend, _backend_name
    if _backend is not None:
        return _backend
    with _lock:
        if _backend is None:
            forced = os.environ.get("SNSPOLICY_TOKENIZER", "").strip().lower()
            if forced:
                if forced not in _LOADERS:
                    raise TokenizerUnavailable(
                        f"SNSPOLICY_TOKENIZER={forced!r}: use one of {', '.join(_LOADERS)}")
                try:
                    _backend, _backend_name = _LOADERS[forced](), forced
                except Exception as exc:
                    raise TokenizerUnavailable(f"tokenizer {forced!r} cannot be loaded: {exc}") from exc
            else:
                for name, loader in _LOADERS.items():
                    try:
                        _backend, _backend_name = loader(), name
                        break
                    except Exception:  # noqa: BLE001, S112 - not installed: try the next backend
                        continue
    assert _backend is not None  # charclass cannot fail
    return _backend


def backend_name() -> str:
    """Name of the backend in use (loads it): ``sudachi``, ``fugashi`` or ``charclass``."""
    _get_backend()
    return _backend_name


def tokenize(text: str) -> list[Token]:
    """Tokenize ``text``; offsets are code points into ``text``.

    Never raises on a ``str`` (empty text gives ``[]``; lone surrogates are read
    as U+FFFD; text longer than the analyzer accepts is split at sentence ends).
    A non-``str`` argument gives ``[]``.
    """
    return [t if t.__class__ is Token else _tuple_new(Token, t) for t in tokenize_rows(text)]


def tokenize_rows(text: str) -> list[Row]:
    """:func:`tokenize` as plain tuples in :class:`Token`'s field order (read them by index: 0 surface,
    1 start, 2 end, 3 normalized, 4 lemma, 5 reading, 6 pos). For the code that reads every word of
    every post: a tuple costs about half of a Token to make (~0.1 ms per post)."""
    if not isinstance(text, str) or not text:
        return []
    run = _get_backend()
    clean = _clean(text)
    out: list[Row] = []
    for start, end in _chunks(clean):
        try:
            toks = run(clean[start:end])
        except Exception:  # noqa: BLE001 - an analyzer error must not stop the linter
            toks = _load_charclass()(clean[start:end])
        if start == 0 and clean is text:
            out.extend(toks)
            continue
        for t in toks:
            s, e = t[1] + start, t[2] + start
            out.append((text[s:e], s, e, t[3], t[4], t[5], t[6]))
    return out


_SPACE = frozenset(" \t\r\n\u3000\f\v")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``.

    Sentences end after ``。！？!?`` (and ``．``), including closing brackets or
    quotes right after them (``「…。」``), and at newlines. Spans exclude the
    newline and surrounding whitespace; empty sentences are skipped. ASCII
    ``.`` does not end a sentence (URLs, decimals).
    """
    if not isinstance(text, str) or not text:
        return []
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.start() if m.group(0).startswith("\n") else m.end()
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s] in _SPACE:
            s += 1
        while e > s and text[e - 1] in _SPACE:
            e -= 1
        if e > s:
            out.append((s, e))
    return out
