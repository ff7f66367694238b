"""The reporters' access to the message catalogue: report chrome (headings, summary lines,
column names) as ``reporter.<key>`` entries of :mod:`snspolicy.core.messages`, and the short
names of the guideline's clauses for grouping headings.

Rule titles and messages, and the clause headings, come from the policy (through
:class:`~snspolicy.core.model.ReportContext`), not from here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
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


def clause_name(clause: str, headings: Mapping[str, str] | None) -> str:
    """Short name of a guideline clause from the policy's headings (``ReportContext.clauses``, in
    the report's language); ``6(1)(2)`` takes that of ``6(1)``; ``""`` when unknown."""
    if not headings:
        return ""
    key = unicodedata.normalize("NFKC", clause or "").replace(" ", "")
    name = headings.get(key)
    if name is None and "(" in key and ")" in key:
        name = headings.get(key[: key.index(")") + 1])
    return name or ""
