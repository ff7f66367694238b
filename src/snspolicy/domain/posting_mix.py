"""The posting mix of guideline 3(4): posts counted per account, month and category.

3(4) asks staff to actively post information close to daily life (健康・育児、
安全安心) and information the city wants to promote (観光・イベント・特産品).
This module holds the counting model; the tables and the SVG chart that show it
to people are in :mod:`snspolicy.reporters.posting_mix`.

What is counted (documented contract):

* only posts whose ``status`` is ``published``, ``scheduled`` or ``approved``
  (a draft is not a post yet; ``deleted`` posts — ``status: deleted`` or a
  non-empty ``deleted:`` record — are excluded);
* the month is ``YYYY-MM`` of ``publish_at`` in Japan time (UTC+9) when the time
  carries a zone, as written otherwise; ``publish_at`` may be a string, a
  ``datetime`` or a ``date``. Posts without a readable ``publish_at`` are not
  counted;
* a post with no ``category`` is counted under "未設定" (unset), one with no
  ``account`` under an empty account.

Everything excluded is counted in :attr:`PostingMix.skipped` by reason (in the
order of :data:`SKIP_REASONS`). No function here raises on odd input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from snspolicy.core.values import JST

#: the 2025 policy's category list, in display order
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "health", "childcare", "safety", "tourism", "event", "product", "civic", "other",
)
#: categories 3(4) names as ones to post actively
PRIORITY_CATEGORIES: frozenset[str] = frozenset({"health", "childcare", "safety", "tourism", "event", "product"})
COUNTED_STATUSES: frozenset[str] = frozenset({"published", "scheduled", "approved"})
UNSET = ""  # key of posts without a category

CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "health": {"ja": "健康", "en": "Health"},
    "childcare": {"ja": "育児", "en": "Childcare"},
    "safety": {"ja": "安全安心", "en": "Safety"},
    "tourism": {"ja": "観光", "en": "Tourism"},
    "event": {"ja": "イベント", "en": "Events"},
    "product": {"ja": "特産品", "en": "Local products"},
    "civic": {"ja": "市政", "en": "Civic"},
    "other": {"ja": "その他", "en": "Other"},
    UNSET: {"ja": "未設定", "en": "(unset)"},
}

#: reasons a post is not counted, in display order
SKIP_REASONS: tuple[str, ...] = ("deleted", "status", "no_date", "invalid")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _lang(lang: object) -> str:
    return "en" if str(lang or "").strip().lower().startswith("en") else "ja"


def clean_label(value: object) -> str:
    """``value`` as text with control characters replaced by spaces, stripped (None → "")."""
    return _CONTROL.sub(" ", "" if value is None else str(value)).strip()


def category_label(category: str, lang: str = "ja") -> str:
    """Display name of a category (the key itself when unknown)."""
    entry = CATEGORY_LABELS.get(category)
    return entry[_lang(lang)] if entry else category


def month_of(value: object) -> str | None:
    """``YYYY-MM`` of a ``publish_at`` value (str, datetime or date), in Japan time when zoned."""
    if isinstance(value, datetime):
        dt = value.astimezone(JST) if value.tzinfo is not None else value
        return f"{dt.year:04d}-{dt.month:02d}"
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        m = re.match(r"^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?$", text)
        if not m or not 1 <= int(m.group(2)) <= 12:
            return None
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return month_of(parsed)


@dataclass
class PostingMix:
    """Post counts by (account, month, category), plus what was not counted and why."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    categories: list[str] = field(default_factory=lambda: list(DEFAULT_CATEGORIES))
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def accounts(self) -> list[str]:
        return sorted({a for a, _, _ in self.counts})

    @property
    def months(self) -> list[str]:
        return sorted({m for _, m, _ in self.counts})

    def total(self, account: str | None = None, month: str | None = None, category: str | None = None) -> int:
        """Number of counted posts matching every given key (None = any)."""
        return sum(
            n for (a, m, c), n in self.counts.items()
            if (account is None or a == account) and (month is None or m == month)
            and (category is None or c == category)
        )

    def by_month(self, account: str | None = None) -> dict[str, dict[str, int]]:
        """month -> category -> count, over all accounts or one."""
        out: dict[str, dict[str, int]] = {}
        for (a, m, c), n in self.counts.items():
            if account is None or a == account:
                row = out.setdefault(m, {})
                row[c] = row.get(c, 0) + n
        return dict(sorted(out.items()))

    def rows(self) -> list[tuple[str, str, dict[str, int]]]:
        """(account, month, {category: count}) for every account and month with posts, sorted."""
        table: dict[tuple[str, str], dict[str, int]] = {}
        for (a, m, c), n in self.counts.items():
            row = table.setdefault((a, m), {})
            row[c] = row.get(c, 0) + n
        return [(a, m, table[(a, m)]) for a, m in sorted(table)]

    @property
    def total_posts(self) -> int:
        return sum(self.counts.values())


def mix(posts: Iterable[dict[str, Any]] | None, categories: Iterable[str] = DEFAULT_CATEGORIES) -> PostingMix:
    """Count posts (parsed front matter dicts) per account, month and category.

    ``categories`` gives the column order (the policy's list); categories found
    in posts but not in it are added after it in sorted order, and "unset" last.
    """
    result = PostingMix(categories=[c for c in dict.fromkeys(str(c) for c in categories)])
    skipped = {k: 0 for k in SKIP_REASONS}
    for post in posts or []:
        if not isinstance(post, dict):
            skipped["invalid"] += 1
            continue
        status = clean_label(post.get("status")).lower()
        if status == "deleted" or post.get("deleted"):
            skipped["deleted"] += 1
            continue
        if status not in COUNTED_STATUSES:
            skipped["status"] += 1
            continue
        month = month_of(post.get("publish_at"))
        if month is None:
            skipped["no_date"] += 1
            continue
        account = clean_label(post.get("account")) if isinstance(post.get("account"), (str, int)) else ""
        category = clean_label(post.get("category")) if isinstance(post.get("category"), str) else UNSET
        key = (account, month, category)
        result.counts[key] = result.counts.get(key, 0) + 1
    known = set(result.categories)
    found = {c for _, _, c in result.counts}
    result.categories += sorted(found - known - {UNSET})
    if UNSET in found:
        result.categories.append(UNSET)
    result.skipped = {k: v for k, v in skipped.items() if v}
    return result


def priority_share(row: dict[str, int]) -> float | None:
    """Percentage of the posts in ``row`` (category -> count) in 3(4)'s priority categories; None when empty."""
    total = sum(row.values())
    if not total:
        return None
    return 100.0 * sum(n for c, n in row.items() if c in PRIORITY_CATEGORIES) / total


__all__ = [
    "CATEGORY_LABELS", "COUNTED_STATUSES", "DEFAULT_CATEGORIES", "PRIORITY_CATEGORIES", "SKIP_REASONS", "UNSET",
    "PostingMix", "category_label", "clean_label", "mix", "month_of", "priority_share",
]
