"""What a regular expression's matches can start with, read from its parsed form.

The lexicon uses it to skip a regex entry on a text that holds none of the possible first
characters or first two-character prefixes (a sound over-approximation: when the pattern is not
understood, the answer is None and the entry is always searched). :class:`Screen` asks that of one
text for all of a lexicon's regexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["Screen", "first_chars", "prefixes", "screen_pattern"]


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or None when that is not a small known
    set (a class such as ``\\w``, ``.``, a case-insensitive pattern, syntax only ``regex`` knows).

    Used only to skip searching a text that contains none of them: a sound over-approximation."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - older Python layout or syntax of the `regex` module
        return None
    if parsed.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_VERBOSE):
        return None
    chars: set[str] = set()

    def seq(items: Any) -> bool | None:
        """Add the first characters of a sequence; True when it can match the empty string, None: unknown."""
        for op, av in items:
            r = item(op, av)
            if r is None:
                return None
            if not r:
                return False
        return True

    def item(op: Any, av: Any) -> bool | None:
        if op is c.LITERAL:
            chars.add(chr(av))
            return False
        if op is c.IN:
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav))
                elif iop is c.RANGE and iav[1] - iav[0] <= 256:
                    chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
                else:
                    return None
            return False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return True  # zero-width: the match starts with what follows
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op is c.BRANCH:
            empty = False
            for alt in av[1]:
                r = seq(alt)
                if r is None:
                    return None
                empty = empty or r
            return empty
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and op is not None:
            r = seq(av[2])
            if r is None:
                return None
            return r or av[0] == 0
        if op is getattr(c, "ATOMIC_GROUP", None) and op is not None:
            return seq(av)
        return None

    if seq(parsed) is not False or not chars:
        return None  # may match the empty string or starts with something unknown
    return frozenset(chars)


_MAX_PREFIXES = 400


def prefixes(pattern: str, k: int = 2) -> frozenset[str] | None:
    """Strings of at most ``k`` characters one of which every match of ``pattern`` starts with, or None
    when that is not a small known set (see :func:`first_chars`). A text that contains none of them
    cannot match: a sound pre-screen, finer than the first characters (``の`` is everywhere, ``の人`` not)."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - older Python layout or syntax of the `regex` module
        return None
    if parsed.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_VERBOSE):
        return None
    repeats = tuple(x for x in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) if x is not None)

    class Unknown(Exception):
        pass

    def alts(op: Any, av: Any) -> set[tuple[str, bool]]:
        """What one item can match: (start, whole) pairs; whole = the item matches exactly that string."""
        if op is c.LITERAL:
            return {(chr(av), True)}
        if op is c.IN:
            out: set[tuple[str, bool]] = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    out.add((chr(iav), True))
                elif iop is c.RANGE and iav[1] - iav[0] <= 256:
                    out.update((chr(x), True) for x in range(iav[0], iav[1] + 1))
                else:
                    raise Unknown
            return out
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return {("", True)}  # zero-width
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op is getattr(c, "ATOMIC_GROUP", None):
            return seq(av)
        if op is c.BRANCH:
            out = set()
            for alt in av[1]:
                out |= seq(alt)
            return out
        if op in repeats:
            lo, hi, sub = av
            once = seq(sub)
            cur: set[tuple[str, bool]] = {("", True)}
            for _ in range(min(lo, k)):  # the first rounds are whole (X+ = X X*)
                cur = concat(cur, once)
            if hi == min(lo, k) + 1:  # one optional round (X?): whole when present
                cur = concat(cur, {("", True)} | once)
            elif hi > min(lo, k):  # maybe more rounds: none, or one more whose end is not followed
                cur = concat(cur, {("", True)} | {(s, False) for s, _ in once})
            return cur
        raise Unknown

    def concat(cur: set[tuple[str, bool]], item: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
        nxt: set[tuple[str, bool]] = set()
        for s, whole in cur:
            if not whole or len(s) >= k:
                nxt.add((s[:k], whole and len(s) <= k))
                continue
            for t, twhole in item:
                u = s + t
                nxt.add((u[:k], twhole and len(u) <= k))
        if len(nxt) > _MAX_PREFIXES:
            raise Unknown
        return nxt

    def seq(items: Any) -> set[tuple[str, bool]]:
        cur: set[tuple[str, bool]] = {("", True)}
        for op, av in items:
            if all(not whole or len(s) >= k for s, whole in cur):
                break  # every prefix is long enough or cannot be extended
            cur = concat(cur, alts(op, av))
        return cur

    try:
        found = seq(parsed)
    except (Unknown, RecursionError):
        return None
    prefixes = {s for s, _ in found}
    if not prefixes or "" in prefixes:
        return None  # may match the empty string or starts with something unknown
    return frozenset(prefixes)


Filter = tuple[frozenset[str] | None, frozenset[str] | None]  # (first_chars, prefixes) of one pattern


def screen_pattern(filters: Iterable[Filter]) -> re.Pattern[str] | None:
    """One character class of every character a match of these patterns can start with (their first
    characters and the first characters of their prefixes); None when no pattern has a filter."""
    union: set[str] = set()
    for first, prefs in filters:
        union.update(first or ())
        union.update(p[0] for p in prefs or ())
    return re.compile("[" + "".join(map(re.escape, sorted(union))) + "]") if union else None


class Screen:
    """:func:`first_chars` and :func:`prefixes` asked of one text, for patterns whose characters are all in
    ``rx`` (:func:`screen_pattern`): only the places of those characters are looked at (one search in C),
    not the set of every character or every two in a row of the text, which cost more than the searches it
    saved (a Japanese character is a new object each time it is read from a text)."""

    __slots__ = ("_at", "_pairs", "_text", "chars")

    def __init__(self, rx: re.Pattern[str] | None, text: str) -> None:
        self._text = text
        self._at = [m.start() for m in rx.finditer(text)] if rx is not None else []
        self.chars = frozenset(text[i] for i in self._at)
        self._pairs: frozenset[str] | None = None

    def excludes(self, first: frozenset[str] | None, prefs: frozenset[str] | None) -> bool:
        """True when the text holds none of ``first`` or none of ``prefs``: the pattern cannot match it."""
        if first is not None and first.isdisjoint(self.chars):
            return True
        if prefs is None:
            return False
        if self._pairs is None:
            self._pairs = frozenset(self._text[i:i + 2] for i in self._at)
        return self._pairs.isdisjoint(prefs) and self.chars.isdisjoint(prefs)
