"""Normalization of Japanese post text, with a map back to the original offsets.

:func:`normalize` applies Unicode NFKC (full-width ASCII to ASCII, half-width
katakana to full-width, ``①`` to ``1``, ``㈱`` to ``(株)`` …) and a few extra,
conservative unifications:

* zero-width and invisible format characters (U+200B–U+200D, U+2060, U+FEFF,
  soft hyphen U+00AD) are removed, so that ``バ\\u200bカ`` cannot hide a word;
* hyphen/minus look-alikes (``‐ ‑ ‒ – − ⁃ ˗``, and full-width ``－`` via NFKC)
  become ASCII ``-``, except between two katakana letters, where they are a
  mistyped long-vowel mark and become ``ー`` (``ラ−メン`` → ``ラーメン``);
* the long-vowel mark ``ー``/``ｰ`` between two ASCII digits becomes ``-``
  (``0836ー31ー1111`` → ``0836-31-1111``);
* wave dashes and tildes (``〜`` U+301C, ``～`` U+FF5E, ``∼`` U+223C) become ASCII ``~``.

Dashes and bars used as punctuation (``―`` U+2015, ``—`` U+2014, ``─``) are left
alone: after a katakana word they are punctuation (``ドラマ――``), not a long vowel.

Every character of the normalized text remembers which characters of the
original it came from; :meth:`Normalized.to_original` maps offsets back, so a
finding in the normalized text points at the right place in the file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from snspolicy.core.relazy import lazy

__all__ = ["Normalized", "nfkc", "nfkc_text", "normalize"]

_REMOVE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_HYPHENS = frozenset("\u2010\u2011\u2012\u2013\u2043\u2212\u02d7\ufe63\uff0d")
_WAVES = frozenset("\u301c\u223c\uff5e")
_CHOON = "\u30fc"  # ー


def _is_katakana_letter(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch == _CHOON


def _is_ascii_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


@lru_cache(maxsize=4096)
def nfkc(text: str) -> str:
    """NFKC of ``text`` (cached for short strings such as single characters)."""
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalized text and the way back to the original.

    ``text`` is the normalized text, ``original`` the input. ``_starts[i]`` and
    ``_ends[i]`` are the original span that produced normalized character ``i``
    (several normalized characters share a span when one original character
    expanded, e.g. ``㈱`` → ``(株)``; one normalized character spans several
    original ones when they were composed, e.g. ``ｶﾞ`` → ``ガ``).
    ``_starts`` is ``None`` when every character maps to the same offset
    (the texts have equal length and correspond character by character).
    """

    text: str
    original: str
    _starts: tuple[int, ...] | None = field(default=None, repr=False)
    _ends: tuple[int, ...] | None = field(default=None, repr=False)

    @property
    def identical(self) -> bool:
        """True when normalization changed nothing."""
        return self.text == self.original

    @property
    def same_offsets(self) -> bool:
        """True when every offset of :attr:`text` is the same in :attr:`original`."""
        return self._starts is None

    def to_original(self, offset: int, end: bool = False) -> int:
        """Map ``offset`` in :attr:`text` to an offset in :attr:`original`.

        With ``end=False`` (a start offset) the result is where the original
        characters that produced ``text[offset]`` begin. With ``end=True`` (an
        exclusive end offset) the result is where the original characters that
        produced ``text[offset - 1]`` end, so a span never cuts an original
        character that expanded into several (``㈱``) in half. Offsets outside
        ``0..len(text)`` are clamped.
        """
        n = len(self.text)
        offset = 0 if offset < 0 else n if offset > n else int(offset)
        if self._starts is None or self._ends is None:
            return offset
        if end:
            return 0 if offset == 0 else self._ends[offset - 1]
        return len(self.original) if offset == n else self._starts[offset]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized ``[start, end)`` span to the original text."""
        s = self.to_original(start)
        e = self.to_original(end, end=True)
        return (s, max(s, e))


class _PieceCache(dict):
    """Per-character NFKC, filled on first use (bounded)."""

    def __missing__(self, ch: str) -> str:
        p = unicodedata.normalize("NFKC", ch)
        if len(self) < 65536:
            self[ch] = p
        return p


_PIECE = _PieceCache()
_SPECIAL = lazy("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u2010-\u2013\u2043\u2212\u02d7\ufe63"
                      "\uff0d\u301c\u223c\uff5e\u30fc-]")
_REMOVE_RE = lazy("[" + "".join(sorted(_REMOVE)) + "]")


def _segments_exact(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into the smallest pieces whose NFKC concatenates to the whole."""
    segs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text)):
        seg, ch = text[start:i], text[i]
        if nfkc(seg + ch) == nfkc(seg) + nfkc(ch):
            segs.append((start, i))
            start = i
    if text:
        segs.append((start, len(text)))
    return segs


def _nfkc(text: str) -> tuple[str, list[str], str]:
    """``(NFKC of text, NFKC of each character, their concatenation)``.

    NFKC of a text is NFKC of the concatenation of its characters' NFKC (a character's NFKC
    decomposes exactly as the character does), so when that concatenation is already in NFKC,
    which the quick check tells without a copy, it is the answer: the text is not normalized a
    second time as a whole (which costs more than the characters looked up one by one)."""
    pieces = list(map(_PIECE.__getitem__, text))
    joined = "".join(pieces)
    nf = joined if unicodedata.is_normalized("NFKC", joined) else unicodedata.normalize("NFKC", text)
    return nf, pieces, joined


def nfkc_text(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)`` for a whole post: quicker, see :func:`_nfkc`."""
    joined = "".join(map(_PIECE.__getitem__, text))
    return joined if unicodedata.is_normalized("NFKC", joined) else unicodedata.normalize("NFKC", text)


def _offset_map(text: str, nf: str, pieces: list[str], joined: str) -> tuple[list[int], list[int]] | None:
    """Original (start, end) of each character of ``nf`` (``pieces``, ``joined``: of :func:`_nfkc`);
    None when offsets are unchanged."""
    if len(joined) == len(text) and joined == nf:  # NFKC of one character is never empty
        return None
    starts: list[int] = []
    ends: list[int] = []
    if joined == nf:  # each original character normalizes on its own
        for i, p in enumerate(pieces):
            starts.extend([i] * len(p))
            ends.extend([i + 1] * len(p))
        return starts, ends
    for s, e in _segments_exact(text):  # characters that NFKC composes (ｶﾞ → ガ)
        k = len(unicodedata.normalize("NFKC", text[s:e]))
        starts.extend([s] * k)
        ends.extend([e] * k)
    return starts, ends


def normalize(text: str) -> Normalized:
    """Normalize ``text`` (see the module docstring) and keep an offset map.

    Raises :class:`TypeError` when ``text`` is not a ``str``; never raises on
    any string (lone surrogates, control characters and emoji pass through).
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs str, got {type(text).__name__}")
    if not text:
        return Normalized("", "")
    nf, pieces, joined = _nfkc(text)
    mapping = _offset_map(text, nf, pieces, joined)
    if _REMOVE_RE.search(nf):
        starts, ends = mapping if mapping else (list(range(len(nf))), list(range(1, len(nf) + 1)))
        keep = [i for i, ch in enumerate(nf) if ch not in _REMOVE]
        nf = "".join(nf[i] for i in keep)
        mapping = ([starts[i] for i in keep], [ends[i] for i in keep])
    chars: list[str] | None = None
    n = len(nf)
    for m in _SPECIAL.finditer(nf):
        if chars is None:
            chars = list(nf)
        i = m.start()
        ch = chars[i]
        prev = chars[i - 1] if i > 0 else ""
        nxt = chars[i + 1] if i + 1 < n else ""
        if ch in _HYPHENS or (ch == "-" and text[mapping[0][i] if mapping else i] != "-"):
            if prev and nxt and _is_katakana_letter(prev) and _is_katakana_letter(nxt) and prev != _CHOON:
                chars[i] = _CHOON
            else:
                chars[i] = "-"
        elif ch == _CHOON and _is_ascii_digit(prev) and _is_ascii_digit(nxt):
            chars[i] = "-"
        elif ch in _WAVES:
            chars[i] = "~"
    out = nf if chars is None else "".join(chars)
    if mapping is None:
        return Normalized(out, text)  # one character for one: offsets unchanged
    return Normalized(out, text, tuple(mapping[0]), tuple(mapping[1]))
