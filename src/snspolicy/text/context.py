"""The context model of the wording rules: what a post is *about*.

An article about preventing domestic violence lists the forms of abuse (「ギャンブルに生活費を
つぎ込む」), a gambling-addiction clinic names the games, a human-rights campaign quotes the
slurs it fights, an anti-fraud warning quotes the crooks' words (「バレないから大丈夫」). The
words are the same as in a post that does the harm; the difference is the article's subject.

A **topic** (policy parameter ``text_contexts``, see docs/text-context.md) has

* ``cues`` — words that make a post about the topic (one is enough). They are looked for in
  the NFKC-normalized text as plain substrings; a cue of ASCII letters and digits only (``DV``)
  must stand alone (``DVD`` is not ``DV``);
* ``post_categories`` — front-matter categories (``health`` …) that make a post about the topic
  without any cue;
* ``categories`` — the lexicon categories (an entry's ``category``) the topic exists to discuss;
  also ``entries``, single entries as ``lexicon:entry-id``;
* ``severity`` — the most a finding on that vocabulary may be in such a post (default
  ``warning``): a warning, so that a person still reads the sentence, never an error;
* ``variant`` — the message variant used (default ``context``, which names the cue).

Everything here works on strings; nothing is imported from the rest of the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from snspolicy.core.relazy import lazy
from snspolicy.text.normalize import normalize

__all__ = ["Topic", "TopicHit", "parse_topics", "topic_problems", "topics_of"]

_SEVERITIES = ("error", "warning", "info")
_KEYS = {"title", "cues", "post_categories", "categories", "entries", "severity", "variant", "note"}
_ASCII_WORD = lazy(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Topic:
    """One subject a post can be about (see the module docstring)."""

    id: str
    title: Mapping[str, str]
    cues: tuple[str, ...] = ()
    post_categories: tuple[str, ...] = ()
    categories: frozenset[str] = frozenset()
    entries: frozenset[str] = frozenset()
    severity: str = "warning"
    variant: str = "context"

    def covers(self, lexicon: str, entry_id: str, category: str | None) -> bool:
        """Is a match of ``lexicon:entry_id`` (with ``category``) vocabulary this topic exists to discuss?"""
        return (category is not None and category in self.categories) or f"{lexicon}:{entry_id}" in self.entries


@dataclass(frozen=True)
class TopicHit:
    """A topic found in a post and why: the cue (or ``category: health``)."""

    topic: Topic
    cue: str


def _strs(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def topic_problems(raw: Any) -> list[str]:
    """Structural problems of a ``text_contexts`` value (empty list = valid). Never raises."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return ["text_contexts must be a mapping of topic id to topic"]
    out: list[str] = []
    for tid, t in raw.items():
        where = f"text_contexts.{tid}"
        if not isinstance(t, Mapping):
            out.append(f"{where}: a topic must be a mapping")
            continue
        bad = sorted(str(k) for k in t if k not in _KEYS)
        if bad:
            out.append(f"{where}: unknown key(s) {', '.join(bad)}")
        for k in ("cues", "post_categories", "categories", "entries"):
            if t.get(k) is not None and _strs(t.get(k)) is None:
                out.append(f"{where}: {k} must be a list of strings")
        if not _strs(t.get("cues")) and not _strs(t.get("post_categories")):
            out.append(f"{where}: needs cues or post_categories")
        if not _strs(t.get("categories")) and not _strs(t.get("entries")):
            out.append(f"{where}: needs categories or entries (the vocabulary it discusses)")
        if t.get("severity", "warning") not in _SEVERITIES:
            out.append(f"{where}: severity must be error, warning or info")
        if t.get("variant") is not None and not isinstance(t.get("variant"), str):
            out.append(f"{where}: variant must be a message variant name")
    return out


def parse_topics(raw: Any) -> list[Topic]:
    """The topics of a ``text_contexts`` value; malformed topics are left out (see :func:`topic_problems`)."""
    if not isinstance(raw, Mapping):
        return []
    out: list[Topic] = []
    for tid, t in raw.items():
        if not isinstance(t, Mapping) or topic_problems({tid: t}):
            continue
        title = t.get("title")
        if isinstance(title, str):
            title = {"ja": title}
        out.append(Topic(
            id=str(tid),
            title=dict(title) if isinstance(title, Mapping) else {"ja": str(tid)},
            cues=tuple(dict.fromkeys(normalize(c).text.strip() for c in (_strs(t.get("cues")) or []) if c.strip())),
            post_categories=tuple(_strs(t.get("post_categories")) or []),
            categories=frozenset(_strs(t.get("categories")) or []),
            entries=frozenset(_strs(t.get("entries")) or []),
            severity=str(t.get("severity") or "warning"),
            variant=str(t.get("variant") or "context"),
        ))
    return out


def _find_cue(text: str, cue: str) -> bool:
    if not _ASCII_WORD.fullmatch(cue):
        return cue in text
    for m in re.finditer(re.escape(cue), text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            return True
    return False


def topics_of(text: str, topics: Iterable[Topic], post_category: str | None = None) -> list[TopicHit]:
    """The topics ``text`` (normalized) is about, each with the cue that showed it."""
    if not isinstance(text, str):
        return []
    out: list[TopicHit] = []
    for t in topics:
        if post_category and post_category in t.post_categories:
            out.append(TopicHit(t, f"category: {post_category}"))
            continue
        cue = next((c for c in t.cues if c and _find_cue(text, c)), None)
        if cue is not None:
            out.append(TopicHit(t, cue))
    return out
