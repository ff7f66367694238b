"""The common result type of the text detectors in :mod:`snspolicy.text`, the size of their per-text
memos, and two helpers they share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: How many texts the detectors' per-text memos remember (their links, hashtags, dates). The
#: engine checks documents in batches, rule by rule (``snspolicy.engine.documents.BATCH``): the
#: second rule to ask for a text's links comes after every text of the batch, so a memo must hold
#: all of them (each post has a few texts: its body, normalized, as posted, per platform).
TEXT_MEMO = 1024


@dataclass(frozen=True)
class TextMatch:
    """One thing a detector found in a text.

    ``start``/``end`` are code-point offsets into the text the detector was given
    (``text[start:end]`` is the matched span). ``masked`` is safe to print: it never
    holds a full phone number, e-mail address, 個人番号, street address, name or
    birth date. ``data`` holds detector-specific details for the calling rule; it
    may hold full values (e.g. ``e164`` of a phone number) and must not be printed.
    """

    kind: str
    start: int
    end: int
    masked: str
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


def as_list(values: Iterable[object] | None) -> list[str]:
    """An allow-list argument as a list of strings (one string is a list of one; None and non-lists: [])."""
    if values is None or isinstance(values, (str, bytes)):
        return [values] if isinstance(values, str) else []
    try:
        return [str(v) for v in values if v is not None]
    except TypeError:
        return []


def overlaps(start: int, end: int, spans: Sequence[tuple[int, int, str]]) -> bool:
    """Does [start, end) overlap one of ``spans`` ((start, end, label) triples)?"""
    return any(s < end and start < e for s, e, _ in spans)
