"""Clause 3(7) clarity rules: length per platform, hashtags, over-long sentences.

* ``clarity-length`` — the body, counted the way the platform of the post's account
  counts it (X: CJK characters weigh 2, every URL 23; others: characters), is not
  longer than ``limits[platform]``;
* ``clarity-hashtags`` — at most ``max[platform]`` hashtags (``default`` for others);
* ``clarity-sentence-length`` — no sentence longer than ``max_chars`` characters
  (URLs, hashtags and spaces not counted).

The text counted is the body as it will be posted: HTML comments (inline waivers)
are removed. Limits are policy parameters; a platform without a limit is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from snspolicy.rules.api import Context
from snspolicy.io.documents import Document
from snspolicy.core.model import Problem
from snspolicy.rules.api import rule
from snspolicy.rules._text import analysis, platform_of

PLATFORM_NAMES = {"x": "X", "twitter": "X", "instagram": "Instagram", "facebook": "Facebook", "line": "LINE",
                  "youtube": "YouTube", "tiktok": "TikTok", "threads": "Threads"}


def _platform_label(platform: str, lang: str) -> str:
    if not platform:
        return "不明" if lang == "ja" else "unknown"
    return PLATFORM_NAMES.get(platform, platform)


def _int_map(value: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            try:
                if v is not None and not isinstance(v, bool):
                    out[str(k).lower()] = int(v)
            except (TypeError, ValueError):
                continue
    return out


@rule("clarity-length", kinds=("post",), text=True)
def clarity_length(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(7): the post fits the platform's length limit (counted as the platform counts)."""
    from snspolicy.text.clarity import check_length

    platform = platform_of(doc, ctx)
    limits = _int_map(ctx.param("limits"))
    if not platform or platform not in limits and not (platform == "twitter" and "x" in limits):
        return
    a = analysis(doc)
    if not a.posted:
        return
    x_params = ctx.param("x_counting")
    for m in check_length(a.posted, platform, limits, x_params if isinstance(x_params, dict) else None):
        data = m.data
        unit = "weighted" if platform in ("x", "twitter") else "chars"
        yield Problem(a.posted_span(m.start, m.end),
                      {"platform": _platform_label(platform, ctx.lang), "length": data.get("length"),
                       "limit": data.get("limit"), "over": int(data.get("length", 0)) - int(data.get("limit", 0))},
                      variant="x" if unit == "weighted" else None, fingerprint_extra=f"length|{platform}")


@rule("clarity-hashtags", kinds=("post",), text=True)
def clarity_hashtags(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(7): not more hashtags than the policy allows for the platform."""
    from snspolicy.text.clarity import hashtag_excess

    a = analysis(doc)
    if "#" not in a.posted and "＃" not in a.posted:
        return
    platform = platform_of(doc, ctx)
    maxima = _int_map(ctx.param("max"))
    limit = maxima.get(platform, maxima.get("default"))
    if limit is None:
        return
    excess = hashtag_excess(a.posted, limit)
    if not excess:
        return
    first, last = excess[0], excess[-1]
    yield Problem(a.posted_span(first.start, last.end),
                  {"platform": _platform_label(platform, ctx.lang), "count": first.data.get("count"), "limit": limit,
                   "tags": [t.masked for t in excess]},
                  fingerprint_extra=f"hashtags|{platform}")


@rule("clarity-sentence-length", kinds=("post",), text=True)
def clarity_sentence_length(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(7): no sentence longer than ``max_chars`` characters."""
    from snspolicy.text.clarity import long_sentences

    try:
        limit = int(ctx.param("max_chars"))
    except (TypeError, ValueError):
        return
    a = analysis(doc)
    if len(a.posted) <= limit:
        return
    for n, m in enumerate(long_sentences(a.posted, limit), 1):
        # the sentence itself is not quoted: it may hold personal data; the span points at it
        yield Problem(a.posted_span(m.start, m.end), {"length": m.data.get("length"), "limit": limit},
                      fingerprint_extra=f"sentence|{n}")
