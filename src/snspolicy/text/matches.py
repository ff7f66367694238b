"""The common result type of the text detectors in :mod:`snspolicy.text`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
