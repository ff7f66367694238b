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
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Token", "TokenizerUnavailable", "backend_name", "sentences", "tokenize"]


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text.

    ``surface`` is ``text[start:end]``; ``normalized`` the analyzer's spelling-
    unified form (``キチガイ`` → ``気違い``, ``死ね`` → ``死ぬ``); ``lemma`` the
    dictionary form in the text's own spelling (``殺し`` → ``殺す``, ``イク`` → ``イク``);
    ``reading`` katakana reading (may be empty); ``pos`` see the module docstring.
    """

    surface: str
    start: int
    end: int
    normalized: str
    lemma: str
    reading: str
    pos: tuple[str, ...]

    @property
    def conjugation(self) -> str:
        """The conjugation form (活用形) without its subtype, '' when the word does not inflect."""
        cf = self.pos[5] if len(self.pos) > 5 else "*"
        return "" if cf in ("*", "") else cf.split("-", 1)[0]


class TokenizerUnavailable(RuntimeError):
    """Raised only when a backend is forced by name and cannot be loaded."""


# Sudachi refuses input longer than 49,149 UTF-8 bytes; chunks stay well below.
_MAX_CHUNK_BYTES = 40_000
_SENT_END = re.compile(r"[。．！？!?]+[」』）)】〕〉》\"'’”]*|\n+")


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
Backend = Callable[[str], list[Token]]


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
    make = getattr(dictionary, "tokenizer", None) or dictionary.create
    local = threading.local()  # a Sudachi tokenizer must not be shared between threads
    pos_cache: dict[int, tuple[str, ...]] = {}

    def run(text: str) -> list[Token]:
        tok = getattr(local, "tok", None)
        if tok is None:
            tok = local.tok = make(mode=SplitMode.C)
        out: list[Token] = []
        for m in tok.tokenize(text):
            pid = m.part_of_speech_id()
            pos = pos_cache.get(pid)
            if pos is None:
                pos = pos_cache[pid] = tuple(m.part_of_speech())
            if pos[0] == "空白":
                continue
            out.append(Token(m.surface(), m.begin(), m.end(), m.normalized_form(),
                             m.dictionary_form(), m.reading_form(), pos))
        return out

    return run


def _load_fugashi() -> Backend:
    import fugashi

    tagger = fugashi.Tagger()
    lock = threading.Lock()

    def run(text: str) -> list[Token]:
        out: list[Token] = []
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
            out.append(Token(text[start:end], start, end, f.lemma or surface,
                             f.orthBase or surface, f.kana or "", pos))
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
    def run(text: str) -> list[Token]:
        out: list[Token] = []
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
            out.append(Token(s, i, j, s, s, "", pos))
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
    if not isinstance(text, str) or not text:
        return []
    run = _get_backend()
    clean = _clean(text)
    out: list[Token] = []
    for start, end in _chunks(clean):
        try:
            toks = run(clean[start:end])
        except Exception:  # noqa: BLE001 - an analyzer error must not stop the linter
            toks = _load_charclass()(clean[start:end])
        if start == 0 and clean is text:
            out.extend(toks)
            continue
        for t in toks:
            s, e = t.start + start, t.end + start
            out.append(Token(text[s:e], s, e, t.normalized, t.lemma, t.reading, t.pos))
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
