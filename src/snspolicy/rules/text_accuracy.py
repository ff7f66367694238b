"""Clause 3(6) accuracy rules on a post's body: dates, weekdays and links.

* ``accuracy-weekday`` — a weekday written next to a date must be that date's weekday
  (Western and 令和/平成… dates; a date without a year takes the year that puts it
  nearest to ``publish_at``, so a December post about 1月3日（土） means next January).
  A date that does not exist (2月30日（月）) is reported too.
* ``accuracy-past-event`` — an event announced for a day before the post's own
  ``publish_at`` (Japan day). The comparison is with ``publish_at``, never with today,
  so a post does not start failing as time goes by: a finding on a published post
  means it went out stale (correct it with an approved revision). Posts whose status
  is not in the ``statuses`` param (default: all but ``deleted``) are skipped, as are
  dates in a sentence about births (``平成17年4月2日から…までに生まれた方``, 生年月日) and
  dates more than ``max_days_before`` days before publishing (history, not a stale
  announcement).
* ``link-https`` — links must use https (``allow.urls`` lists exceptions by prefix).
* ``link-shortener`` — no URL shorteners (``shorteners`` param): the reader cannot see
  where the link leads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from snspolicy.rules.api import Context
from snspolicy.io.documents import Document
from snspolicy.core.model import Fix, Problem
from snspolicy.rules.api import rule
from snspolicy.rules._text import Analysis, analysis, occurrence_keys, publish_day

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_JA = "月火水木金土日"


def _weekday_name(ja: str, lang: str) -> str:
    if lang == "ja" or ja not in WEEKDAYS_JA:
        return ja
    return WEEKDAYS_EN[WEEKDAYS_JA.index(ja)]


@rule("accuracy-weekday", kinds=("post",), text=True)
def accuracy_weekday(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(6): the weekday written beside a date is that date's weekday."""
    from snspolicy.text.dates import check_weekdays

    a = analysis(doc)
    if not any(ch in a.text for ch in WEEKDAYS_JA) and "(" not in a.text:
        return
    ref = publish_day(doc) or ctx.today
    found = sorted(check_weekdays(a.text, ref), key=lambda m: m.start)
    keys = occurrence_keys([f"{m.kind}:{m.masked}" for m in found])
    for m, key in zip(found, keys):
        written_text = a.original(m.start, m.end) or m.masked
        if m.kind == "invalid_date":
            yield Problem(a.span(m.start, m.end), {"written": written_text}, variant="invalid", fingerprint_extra=key)
            continue
        data = m.data
        args = {
            "written": written_text,
            "date": data.get("date", ""),
            "weekday": _weekday_name(str(data.get("written", "")), ctx.lang),
            "expected": _weekday_name(str(data.get("expected", "")), ctx.lang),
        }
        yield Problem(a.span(m.start, m.end), args, variant="inferred" if data.get("year_inferred") else None,
                      fingerprint_extra=key)


def _sentence_of(text: str, start: int, end: int) -> str:
    from snspolicy.text.tokens import sentences

    for s, e in sentences(text):
        if s <= start < e:
            return text[s:max(e, end)]
    return text[max(0, start - 60):end + 60]


@rule("accuracy-past-event", kinds=("post",), text=True)
def accuracy_past_event(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(6): an event announced for a day before the post's publish_at."""
    from snspolicy.text.dates import event_dates_before

    statuses = ctx.param("statuses")
    if isinstance(statuses, (list, tuple)) and doc.get("status") not in statuses:
        return
    pub = publish_day(doc)
    if pub is None:
        return
    a = analysis(doc)
    if "月" not in a.text and "/" not in a.text and "-" not in a.text and "." not in a.text:
        return
    birth_words = [str(w) for w in ctx.param("birth_words") or []]
    max_days = int(ctx.param("max_days_before"))
    found = []
    for m in event_dates_before(a.text, pub):
        try:
            when = dt.date.fromisoformat(str(m.data.get("date")))
        except ValueError:
            continue
        if max_days > 0 and (pub - when).days > max_days:
            continue
        sentence = _sentence_of(a.text, m.start, m.end)
        if any(w and w in sentence for w in birth_words):
            continue
        found.append((m, when))
    keys = occurrence_keys([f"past:{m.data.get('date')}" for m, _ in found])
    for (m, when), key in zip(found, keys):
        yield Problem(a.span(m.start, m.end), {"written": a.original(m.start, m.end) or m.masked, "date": when.isoformat(),
                                                "publish_date": pub.isoformat()}, fingerprint_extra=key)


# --------------------------------------------------------------------------- links


def _allowed_url(url: str, allowed: list[str]) -> bool:
    u = url.lower()
    for a in allowed:
        a = a.strip().lower()
        if a and u.startswith(a):
            return True
    return False


def _links(doc: Document, ctx: Context, kind: str, shorteners: Any = None) -> tuple[Analysis, list[Any]]:
    from snspolicy.text.links import find_links

    a = analysis(doc)
    if "." not in a.text:
        return a, []
    allowed = ctx.config.allowed("urls")
    out = [m for m in find_links(a.text, shorteners) if m.kind == kind and not a.in_code(m.start, m.end)
           and not _allowed_url(str(m.data.get("url", "")), allowed)]
    return a, out


@rule("link-https", kinds=("post",), text=True)
def link_https(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(6): links use https."""
    a, found = _links(doc, ctx, "http")
    keys = occurrence_keys([f"http:{m.data.get('url')}" for m in found])
    for m, key in zip(found, keys):
        url = a.original(m.start, m.end) or str(m.data.get("url", ""))
        https = "https://" + url.split("://", 1)[1] if "://" in url else url
        span = a.span(m.start, m.end)
        yield Problem(span, {"url": url, "https": https}, fingerprint_extra=key,
                      fix=Fix("https" if ctx.lang != "ja" else "https に変更", https, span))


@rule("link-shortener", kinds=("post",), text=True)
def link_shortener(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(6): no URL shorteners (the reader cannot see where they lead)."""
    short = ctx.param("shorteners")
    a, found = _links(doc, ctx, "shortener", [str(s) for s in short])
    keys = occurrence_keys([f"short:{m.data.get('url')}" for m in found])
    for m, key in zip(found, keys):
        url = a.original(m.start, m.end) or str(m.data.get("url", ""))
        yield Problem(a.span(m.start, m.end), {"url": url, "host": str(m.data.get("host", ""))}, fingerprint_extra=key)
