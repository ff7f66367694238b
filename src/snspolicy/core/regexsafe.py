"""Regular expressions from a policy that cannot hang the linter.

A policy or lexicon may carry regexes (``match: regex``). A pattern such as
``(a+)+$`` takes exponential time on ``"a" * 50 + "b"`` with Python's :mod:`re`.
Two defences (see docs/dependencies-tokenizer.md for the measurements):

1. :func:`check_pattern` rejects, when the policy is validated and in
   :func:`compile_safe`, the constructs that cause catastrophic backtracking:
   a quantifier inside an unbounded quantifier (``(a+)+``, ``(a*b?)*``) and an
   unbounded repetition of alternatives that can start with the same character
   (``(a|aa)+``, ``(\\w|\\d)*``). Possessive quantifiers and atomic groups
   (``(a*+b)*``, ``(?>a+)+``) are accepted: they do not backtrack.
2. Patterns run on the third-party ``regex`` module (same syntax as ``re``)
   with a time limit per call, so anything the check missed stops with
   :class:`RegexTimeout` instead of hanging. Without ``regex`` installed,
   :mod:`re` is used with the check only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "DEFAULT_TIMEOUT",
    "LazyPattern",
    "MAX_PATTERN_LENGTH",
    "RegexTimeout",
    "SafePattern",
    "UnsafePattern",
    "check_pattern",
    "compile_safe",
]

DEFAULT_TIMEOUT = 0.25  # seconds per search over one text
MAX_PATTERN_LENGTH = 2000
_BIG = 32  # a bounded repeat with more than this many repetitions counts as unbounded


class UnsafePattern(ValueError):
    """The pattern does not compile or may backtrack catastrophically."""


class RegexTimeout(TimeoutError):
    """A search ran longer than its time limit. ``pattern`` and ``timeout`` say which and how
    long; a lexicon search also names its ``lexicon`` and ``entry`` (id)."""

    def __init__(self, message: str, *, pattern: str | None = None, timeout: float | None = None,
                 lexicon: str | None = None, entry: str | None = None) -> None:
        super().__init__(message)
        self.pattern = pattern
        self.timeout = timeout
        self.lexicon = lexicon
        self.entry = entry


# --------------------------------------------------------------------------- static check
_ANY = "any"  # first-character set that may contain anything


def _parse(pattern: str) -> Any | None:
    try:
        from re import _parser  # type: ignore[attr-defined]  # Python >= 3.11
    except ImportError:  # pragma: no cover - older or future layout
        return None
    try:
        return _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - syntax only the `regex` module knows
        return None


def _first(items: list, c: Any) -> Any:
    """Rough set of characters a sequence can start with: _ANY or a list of (lo, hi)."""
    for op, av in items:
        if op is c.AT:
            continue
        if op is c.LITERAL:
            return [(av, av)]
        if op is c.IN:
            ranges = []
            for iop, iav in av:
                if iop is c.LITERAL:
                    ranges.append((iav, iav))
                elif iop is c.RANGE:
                    ranges.append(iav)
                else:  # NEGATE, CATEGORY (\w, \d …)
                    return _ANY
            return ranges
        if op is c.SUBPATTERN:
            return _first(list(av[-1]), c)
        if op is c.BRANCH:
            out: list = []
            for alt in av[1]:
                f = _first(list(alt), c)
                if f is _ANY:
                    return _ANY
                out.extend(f)
            return out
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            return _first(list(av[2]), c)
        return _ANY
    return _ANY  # empty alternative


def _overlap(a: Any, b: Any) -> bool:
    if a is _ANY or b is _ANY:
        return True
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a for lo2, hi2 in b)


def _range_test(lo: int, hi: int) -> Callable[[str], bool]:
    return lambda ch: lo <= ord(ch) <= hi


def _char_test(op: Any, av: Any, c: Any) -> Any | None:
    """A predicate for a single-character item, or None when the item is not one."""
    cats: dict[str, Callable[[str], bool]] = {
        "CATEGORY_DIGIT": str.isdecimal,
        "CATEGORY_NOT_DIGIT": lambda ch: not ch.isdecimal(),
        "CATEGORY_SPACE": str.isspace,
        "CATEGORY_NOT_SPACE": lambda ch: not ch.isspace(),
        "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_",
        "CATEGORY_NOT_WORD": lambda ch: not (ch.isalnum() or ch == "_"),
    }
    if op is c.LITERAL:
        return lambda ch: ord(ch) == av
    if op is c.NOT_LITERAL:
        return lambda ch: ord(ch) != av
    if op is c.ANY:
        return lambda ch: True
    if op is c.IN:
        tests: list[Callable[[str], bool]] = []
        negate = False
        for iop, iav in av:
            if iop is c.NEGATE:
                negate = True
            elif iop is c.LITERAL:
                tests.append(_range_test(iav, iav))
            elif iop is c.RANGE:
                tests.append(_range_test(iav[0], iav[1]))
            elif iop is c.CATEGORY and str(iav) in cats:
                tests.append(cats[str(iav)])
            else:
                return lambda ch: True  # unknown: assume it matches everything
        return (lambda ch: not any(t(ch) for t in tests)) if negate else (lambda ch: any(t(ch) for t in tests))
    return None


def _flatten(items: list, c: Any) -> list:
    """Items of a sequence with plain groups opened up (for finding delimiters)."""
    out: list = []
    for op, av in items:
        if op is c.SUBPATTERN:
            out.extend(_flatten(list(av[-1]), c))
        else:
            out.append((op, av))
    return out


def _inner_loops(items: list, c: Any) -> list:
    """Unbounded repeats reachable inside a loop body (through groups, branches, bounded repeats)."""
    found: list = []
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _lo, hi, sub = av
            if hi is c.MAXREPEAT or hi > _BIG:
                found.append((op, av))
            else:
                found.extend(_inner_loops(list(sub), c))
        elif op is c.SUBPATTERN:
            found.extend(_inner_loops(list(av[-1]), c))
        elif op is c.BRANCH:
            for alt in av[1]:
                found.extend(_inner_loops(list(alt), c))
    return found


def _branches(items: list, c: Any) -> list:
    """Alternations reachable inside a loop body without entering another repeat."""
    found: list = []
    for op, av in items:
        if op is c.BRANCH:
            found.append(av[1])
            for alt in av[1]:
                found.extend(_branches(list(alt), c))
        elif op is c.SUBPATTERN:
            found.extend(_branches(list(av[-1]), c))
    return found


_NESTED = ("a quantifier inside an unbounded quantifier without a delimiter between the "
           "repetitions, e.g. (a+)+, can take exponential time; rewrite it without nesting")
_ALTERN = ("a repeated alternation whose branches can start with the same character, "
           "e.g. (a|aa)+, can take exponential time")


def _loop_problem(body: list, c: Any) -> str | None:
    for branch in _branches(body, c):
        firsts = [_first(list(alt), c) for alt in branch]
        if any(_overlap(firsts[i], firsts[j]) for i in range(len(firsts)) for j in range(i + 1, len(firsts))):
            return _ALTERN
    inner = _inner_loops(body, c)
    if not inner:
        return None
    delimiters = [av for op, av in _flatten(body, c) if op is c.LITERAL]
    for _op, (_lo, _hi, sub) in inner:
        sub = list(sub)
        test = _char_test(sub[0][0], sub[0][1], c) if len(sub) == 1 else None
        if test is None or not any(not test(chr(d)) for d in delimiters):
            return _NESTED
    return None


def _walk(items: list, c: Any, problems: list[str]) -> None:
    possessive = getattr(c, "POSSESSIVE_REPEAT", None)
    atomic = getattr(c, "ATOMIC_GROUP", None)
    for op, av in items:
        if problems:
            return
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _lo, hi, sub = av
            if hi is c.MAXREPEAT or hi > _BIG:
                prob = _loop_problem(list(sub), c)
                if prob:
                    problems.append(prob)
                    return
            _walk(list(sub), c, problems)
        elif op is possessive or op is atomic:
            continue  # no backtracking into these
        elif op is c.SUBPATTERN:
            _walk(list(av[-1]), c, problems)
        elif op is c.BRANCH:
            for alt in av[1]:
                _walk(list(alt), c, problems)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            _walk(list(av[1]), c, problems)
        elif op is c.GROUPREF_EXISTS:
            for part in av[1:]:
                if part is not None:
                    _walk(list(part), c, problems)


def check_pattern(pattern: object) -> list[str]:
    """Problems of a policy regex (empty list = acceptable). Never raises. The answer for a text is
    remembered (the policy check and each worker's lexicon validation ask for the same patterns)."""
    if type(pattern) is str:
        return list(_check_text(pattern))
    return _check_pattern(pattern)


@lru_cache(maxsize=1024)
def _check_text(pattern: str) -> tuple[str, ...]:
    return tuple(_check_pattern(pattern))


def _check_pattern(pattern: object) -> list[str]:
    if not isinstance(pattern, str):
        return [f"pattern must be a string, not {type(pattern).__name__}"]
    if not pattern:
        return ["pattern is empty"]
    if len(pattern) > MAX_PATTERN_LENGTH:
        return [f"pattern is longer than {MAX_PATTERN_LENGTH} characters"]
    try:
        _engine().compile(pattern)
    except Exception as exc:  # noqa: BLE001 - re.error / regex.error / OverflowError …
        return [f"pattern does not compile: {exc}"]
    tree = _parse(pattern)
    if tree is None:
        return []
    try:
        from re import _constants as c  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover
        return []
    problems: list[str] = []
    try:
        _walk(list(tree), c, problems)
    except Exception:  # noqa: BLE001 - unexpected tree shape: rely on the time limit
        return []
    return problems[:1]


# --------------------------------------------------------------------------- runtime
def _engine() -> Any:
    try:
        import regex

        return regex
    except ImportError:  # pragma: no cover - `regex` is a declared dependency
        return re


@dataclass(frozen=True)
class SafePattern:
    """A compiled policy regex whose searches stop after ``timeout`` seconds.

    ``finditer``/``findall``/``search`` raise :class:`RegexTimeout` when the
    limit is hit (only possible for patterns :func:`check_pattern` let through).
    """

    pattern: str
    _compiled: Any
    timeout: float
    _has_timeout: bool

    def _kw(self) -> dict:
        return {"timeout": self.timeout} if self._has_timeout else {}

    def finditer(self, text: str) -> Iterator[Any]:
        """All non-overlapping matches (materialized within the time limit)."""
        try:
            return iter(list(self._compiled.finditer(text, **self._kw())))
        except TimeoutError as exc:
            raise self._timeout() from exc

    def search(self, text: str) -> Any | None:
        """The first match or None."""
        try:
            return self._compiled.search(text, **self._kw())
        except TimeoutError as exc:
            raise self._timeout() from exc

    def _timeout(self) -> RegexTimeout:
        return RegexTimeout(f"regex {self.pattern!r} took longer than {self.timeout}s", pattern=self.pattern,
                            timeout=self.timeout)

    def findall(self, text: str) -> list[str]:
        """The matched strings (whole matches, not groups)."""
        return [m.group(0) for m in self.finditer(text)]


def compile_safe(pattern: str, flags: int = 0, *, timeout: float = DEFAULT_TIMEOUT,
                 checked: bool = False) -> SafePattern:
    """Compile a policy regex, or raise :class:`UnsafePattern` saying why not.

    ``flags`` are :mod:`re` flags (their values are the same in ``regex``). ``checked``: the
    caller already had :func:`check_pattern` accept this very pattern (a lexicon's validated
    entries); it is not analysed again (the time limit applies all the same).
    """
    problems = [] if checked else check_pattern(pattern)
    if problems:
        raise UnsafePattern(f"{pattern!r}: {problems[0]}" if isinstance(pattern, str) else problems[0])
    eng = _engine()
    try:
        compiled = eng.compile(pattern, flags)
    except Exception as exc:
        raise UnsafePattern(f"{pattern!r}: pattern does not compile: {exc}") from exc
    return SafePattern(pattern, compiled, float(timeout), eng is not re)


class LazyPattern:
    """A pattern :func:`check_pattern` already accepted, compiled by ``compile_safe`` (the time
    limit included) on its first search: compiling with ``regex`` is slow, and a lexicon's pattern
    is searched only in texts holding a string a match can start with, so a one-file run need
    not compile every pattern of every lexicon. ``compile_safe`` is a parameter so that the
    caller's (patchable) reference is the one used."""

    __slots__ = ("pattern", "_compile", "_safe")

    def __init__(self, pattern: str, compile: Callable[..., SafePattern] = compile_safe) -> None:
        self.pattern = pattern
        self._compile = compile
        self._safe: SafePattern | None = None

    def finditer(self, text: str) -> Iterator[Any]:
        safe = self._safe
        if safe is None:
            safe = self._safe = self._compile(self.pattern, checked=True)
        return safe.finditer(text)
