"""Names that look like banned words: the katakana reading of a Latin-script name, one word of
a several-word Latin name with its reading, a word that is part of a katakana proper noun. Used
by :mod:`snspolicy.text.lexicon` to leave such matches out (issue 16)."""

from __future__ import annotations

import re

from snspolicy.core.relazy import lazy

__all__ = ["KATAKANA_WORD", "LATIN_WORD", "katakana_name", "latin_name", "proper_neighbour"]

KATAKANA_WORD = lazy("[\u30a1-\u30fa\u30fc\u30fb]+")
_KATA_LETTER = lazy("[\u30a1-\u30fa\u30fc]")
_READING = lazy("[\u30a1-\u30fa\u30fc\u30fb =･ \u3000]*")
_LATIN_NAME_END = lazy(r"[A-Za-z][A-Za-z0-9.&'!?\-]*[ \u3000]*$")
_LATIN_START = lazy(r"[ \u3000]*[A-Za-z]")


def katakana_name(text: str, s: int, e: int) -> bool:
    """Is the katakana match ``text[s:e]`` the katakana reading of an adjacent Latin-script name?
    ``DJ IKU (ディージェイ・イク)`` or ``イク (IKU)``: the bracket holds only katakana and the other
    side of it is a Latin name (being part of a proper noun is :func:`proper_neighbour`).
    """
    # 1. reading of a Latin-script name, in brackets after it ...
    a = s
    while a > 0 and _READING.fullmatch(text[a - 1]):
        a -= 1
    b = e
    while b < len(text) and _READING.fullmatch(text[b]):
        b += 1
    if a > 0 and text[a - 1] == "(" and b < len(text) and text[b] == ")" and \
            _LATIN_NAME_END.search(text, max(0, a - 41), a - 1):
        return True
    # ... or before it: イク(IKU)
    if b < len(text) and text[b] == "(" and _LATIN_START.match(text, b + 1):
        close = text.find(")", b + 1, b + 60)
        if close > 0 and re.fullmatch(r"[A-Za-z0-9 .&'!?\-]+", text[b + 1:close]):
            return True
    return False


LATIN_WORD = lazy(r"[A-Za-z]+")
_LATIN_RUN_CH = lazy(r"[A-Za-z0-9.&'!?\- ]")
_BRACKETED_READING = lazy("[ \u3000]*\\([\u30a1-\u30fa\u30fc\u30fb =･\u3000]+\\)")


def latin_name(text: str, s: int, e: int) -> bool:
    """Is the Latin-script match one word of a several-word Latin name followed by its katakana
    reading in brackets (``Sex Pistols(セックス・ピストルズ)``)? A single word with a reading
    (``SEX(セックス)``) is not a name."""
    a, b = s, e
    while a > 0 and _LATIN_RUN_CH.match(text[a - 1]):
        a -= 1
    while b < len(text) and _LATIN_RUN_CH.match(text[b]):
        b += 1
    words = re.findall(r"[A-Za-z0-9]+", text[a:b])
    return len(words) >= 2 and _BRACKETED_READING.match(text, b) is not None


def proper_neighbour(text: str, s: int, e: int, tokens: list, matched: list[tuple[int, int]]) -> bool:
    """Is the katakana match part of a proper noun? A katakana token of 3+ letters analysed as a
    proper noun touches it (``セックスピストルズ`` = ``セックス|ピストルズ``), or a katakana word of 2+
    letters is joined to it by ``・`` and is not itself a match (``マンコ・カパック``, a foreign
    name; ``バカ・アホ`` stays two matches). Whether the matched token itself is tagged as a proper
    noun is not used: the analyzer tags rare katakana words (``アスペ``) so in some contexts."""
    for surface, start, end, *_, pos in tokens:  # Tokens or plain rows in their field order
        if (end == s or start == e) and "固有名詞" in pos and len(surface) >= 3 and KATAKANA_WORD.fullmatch(surface):
            return True
    for side in ("left", "right"):
        if side == "left" and s > 0 and text[s - 1] == "・":
            j = s - 1
            while j > 0 and _KATA_LETTER.match(text[j - 1]):
                j -= 1
            span = (j, s - 1)
        elif side == "right" and e < len(text) and text[e] == "・":
            j = e + 1
            while j < len(text) and _KATA_LETTER.match(text[j]):
                j += 1
            span = (e + 1, j)
        else:
            continue
        if span[1] - span[0] >= 2 and not any(ms < span[1] and span[0] < me for ms, me in matched):
            return True
    return False
