"""Regular expressions compiled on first use.

Python's ``re`` compiles a character class of Japanese script (``[一-龥]``) code point by code
point, ~2 ms each time one appears in a pattern: the text modules' ~70 module-level patterns cost
~45 ms to compile, and a one-file run over a post without a phone number, a date or a contact
line uses a third of them. :func:`lazy` gives a stand-in that compiles its pattern the first time
one of the pattern's methods or attributes is asked for. After that, every method is a plain
attribute of the stand-in holding the compiled pattern's bound method, so a hot loop pays no more
than it does with the compiled pattern itself (no extra call).

The result is the pattern ``re.compile(pattern, flags)`` gives, with the same methods and
attributes; an invalid pattern raises ``re.error`` on first use instead of at import (each module's
patterns are compiled by its tests).
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

__all__ = ["LazyRe", "lazy"]

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")
_VALUES = ("flags", "groups", "groupindex")


class LazyRe:
    """``re.compile(pattern, flags)``, made when first used (module docstring)."""

    __slots__ = ("pattern", "_flags", "compiled", *_METHODS, *_VALUES)

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # called only for a slot not filled yet: compile, fill every slot, answer
        if name not in _METHODS and name not in _VALUES and name != "compiled":
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attr in _METHODS + _VALUES:
            setattr(self, attr, getattr(compiled, attr))
        self.compiled = compiled
        return getattr(self, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """A stand-in for ``re.compile(pattern, flags)`` that compiles on first use (typed as the
    pattern it stands for: it has its methods and attributes)."""
    return cast("re.Pattern[AnyStr]", LazyRe(pattern, flags))
