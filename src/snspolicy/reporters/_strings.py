"""The reporters' access to the message catalogue: report chrome (headings, summary lines,
column names) as ``reporter.<key>`` entries of :mod:`snspolicy.core.messages`, and the short
names of the guideline's clauses for grouping headings.

Rule titles and messages come from the policy, not from here.
"""

from __future__ import annotations

from typing import Any

from snspolicy.core import messages

__all__ = ["clause_name", "plural", "t"]

PREFIX = "reporter."


def t(key: str, lang: object = "ja", **kw: Any) -> str:
    """The report string ``key`` (catalogue code ``reporter.<key>``) in ``lang`` (ja unless English)."""
    return messages.message(PREFIX + key, messages.lang_of(lang), **kw)


def plural(key: str, n: int, lang: object = "ja") -> str:
    """The noun ``key`` (``error``, ``warning``, ``info``, ``file``) for a count of ``n``."""
    return t(key if n == 1 else key + "_pl", lang)


def clause_name(clause: str, lang: object = "ja") -> str:
    """Short name of a guideline clause; ``""`` when unknown."""
    return messages.clause_name(clause, lang)
