"""Posting-mix report for guideline 3(4).

3(4) asks staff to actively post information close to daily life (健康・育児、
安全安心) and information the city wants to promote (観光・イベント・特産品).
This module counts posts per account, per month and per category, and renders
the counts as a table (text, Markdown, CSV) or a stacked bar chart (SVG).

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

Everything excluded is counted in :attr:`PostingMix.skipped` by reason and
shown under the text and Markdown tables. No function here raises on odd input.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

JST = timezone(timedelta(hours=9), "JST")

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

# Okabe & Ito's colour-blind-safe palette; grey for "other"; unknown categories get hatching.
CATEGORY_COLORS: dict[str, str] = {
    "health": "#009E73",
    "childcare": "#CC79A7",
    "safety": "#0072B2",
    "tourism": "#E69F00",
    "event": "#D55E00",
    "product": "#F0E442",
    "civic": "#56B4E9",
    "other": "#999999",
}
_DARK = frozenset({"health", "safety", "event"})  # white numbers on these, black elsewhere
_EXTRA_COLORS = ("#666666", "#333333", "#BBBBBB", "#000000")

_STRINGS: dict[str, dict[str, str]] = {
    "account": {"ja": "アカウント", "en": "Account"},
    "month": {"ja": "月", "en": "Month"},
    "total": {"ja": "合計", "en": "Total"},
    "priority": {"ja": "重点分野の割合", "en": "Priority share"},
    "all": {"ja": "全体", "en": "All"},
    "none_account": {"ja": "（アカウント未設定）", "en": "(no account)"},
    "posts": {"ja": "投稿数", "en": "Posts"},
    "chart_title": {"ja": "分野別の投稿数（月別）", "en": "Posts by category and month"},
    "chart_title_account": {"ja": "分野別の投稿数（月別）— {account}", "en": "Posts by category and month — {account}"},
    "chart_desc": {
        "ja": "積み上げ棒グラフ。{months} か月、合計 {total} 件。{parts}",
        "en": "Stacked bar chart. {months} months, {total} posts in all. {parts}",
    },
    "no_data": {"ja": "集計対象の投稿がありません", "en": "No posts to count"},
    "scope": {
        "ja": "集計対象: 公開済み・予約済み・承認済みの投稿（月は日本時間）。"
              "重点分野 = 3(4) の健康・育児・安全安心・観光・イベント・特産品。",
        "en": "Counted: published, scheduled and approved posts (months in Japan time). "
              "Priority = 3(4)'s health, childcare, safety, tourism, events, local products.",
    },
    "skipped": {"ja": "集計から除いた投稿: {parts}", "en": "Not counted: {parts}"},
    "skip_deleted": {"ja": "削除済み {n} 件", "en": "deleted: {n}"},
    "skip_status": {"ja": "下書きなど {n} 件", "en": "draft or other status: {n}"},
    "skip_no_date": {"ja": "公開日時（publish_at）がない・日付として読めない {n} 件", "en": "no readable publish_at: {n}"},
    "skip_invalid": {"ja": "前付け（front matter）の形式が正しくない {n} 件", "en": "front matter not a mapping: {n}"},
}
_SKIP_ORDER = ("deleted", "status", "no_date", "invalid")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _lang(lang: object) -> str:
    return "en" if str(lang or "").strip().lower().startswith("en") else "ja"


def _s(key: str, lang: str, **kw: Any) -> str:
    return _STRINGS[key][_lang(lang)].format(**kw)


def _clean(value: object) -> str:
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
    skipped = {k: 0 for k in _SKIP_ORDER}
    for post in posts or []:
        if not isinstance(post, dict):
            skipped["invalid"] += 1
            continue
        status = _clean(post.get("status")).lower()
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
        account = _clean(post.get("account")) if isinstance(post.get("account"), (str, int)) else ""
        category = _clean(post.get("category")) if isinstance(post.get("category"), str) else UNSET
        key = (account, month, category)
        result.counts[key] = result.counts.get(key, 0) + 1
    known = set(result.categories)
    found = {c for _, _, c in result.counts}
    result.categories += sorted(found - known - {UNSET})
    if UNSET in found:
        result.categories.append(UNSET)
    result.skipped = {k: v for k, v in skipped.items() if v}
    return result


# ----------------------------------------------------------------- tables


def _priority_share(row: dict[str, int]) -> float | None:
    total = sum(row.values())
    if not total:
        return None
    return 100.0 * sum(n for c, n in row.items() if c in PRIORITY_CATEGORIES) / total


def _table(m: PostingMix, lang: str) -> tuple[list[str], list[list[str]], list[list[Any]]]:
    """Header, display rows, and raw rows (numbers) including a total row."""
    header = [_s("account", lang), _s("month", lang)] + [category_label(c, lang) for c in m.categories] \
        + [_s("total", lang), _s("priority", lang)]
    raw: list[list[Any]] = []
    for account, month, row in m.rows():
        raw.append([account or _s("none_account", lang), month] + [row.get(c, 0) for c in m.categories]
                   + [sum(row.values()), _priority_share(row)])
    totals: dict[str, int] = {}
    for (_, _, c), n in m.counts.items():
        totals[c] = totals.get(c, 0) + n
    raw.append([_s("total", lang), ""] + [totals.get(c, 0) for c in m.categories]
               + [m.total_posts, _priority_share(totals)])

    def show(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.0f}%"
        return str(v)

    return header, [[show(v) for v in r] for r in raw], raw


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _notes(m: PostingMix, lang: str) -> list[str]:
    notes = [_s("scope", lang)]
    parts = [_s("skip_" + k, lang, n=m.skipped[k]) for k in _SKIP_ORDER if m.skipped.get(k)]
    if parts:
        notes.append(_s("skipped", lang, parts=("、" if _lang(lang) == "ja" else ", ").join(parts)))
    return notes


def _md_cell(text: str) -> str:
    s = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\\`*_\[\]~|])", r"\\\1", s).replace("@", "&#64;")
    return s or " "


def _csv_safe(value: Any) -> Any:
    """Defuse spreadsheet formulas: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render_table(m: PostingMix, fmt: str = "text", lang: str = "ja") -> str:
    """Render the mix as ``text`` (aligned columns), ``markdown`` or ``csv``.

    One row per account and month, one column per category, then the total and
    the share of 3(4)'s priority categories; a last row totals everything. Text
    and Markdown end with notes saying what was counted and what was left out;
    CSV is data only (write it with ``encoding="utf-8-sig"`` for Excel).
    Raises ValueError for an unknown ``fmt``.
    """
    if not isinstance(m, PostingMix):
        m = PostingMix()
    header, rows, raw = _table(m, lang)
    fmt = str(fmt).strip().lower()
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([_csv_safe(h) for h in header])
        for r in raw:
            w.writerow(["" if v is None else (f"{v:.1f}" if isinstance(v, float) else _csv_safe(v)) for v in r])
        return buf.getvalue()
    if fmt in ("markdown", "md"):
        lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |",
                 "|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|"]
        lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
        return "\n".join(lines + [""] + [_md_cell(n) for n in _notes(m, lang)]) + "\n"
    if fmt == "text":
        widths = [max(_width(r[i]) for r in [header] + rows) for i in range(len(header))]
        def fmt_row(r: list[str]) -> str:
            return "  ".join(_pad(c, widths[i], right=i >= 2) for i, c in enumerate(r)).rstrip()
        rule = "  ".join("-" * w for w in widths)
        lines = [fmt_row(header), rule] + [fmt_row(r) for r in rows[:-1]] + [rule, fmt_row(rows[-1])]
        return "\n".join(lines + [""] + _notes(m, lang)) + "\n"
    raise ValueError(f"unknown table format {fmt!r}; choose text, markdown or csv")


# ----------------------------------------------------------------- SVG chart

_FONT = "'Hiragino Sans','Hiragino Kaku Gothic ProN','Noto Sans JP','Yu Gothic','Meiryo',sans-serif"


def _nice_step(maximum: int) -> int:
    """A 1/2/5×10^k tick step giving at most about 6 ticks."""
    if maximum <= 5:
        return 1
    raw = maximum / 5
    mag = 10 ** math.floor(math.log10(raw))
    for f in (1, 2, 5, 10):
        if f * mag >= raw:
            return int(f * mag)
    return int(10 * mag)


def _fill(category: str, extras: list[str]) -> str:
    if category in CATEGORY_COLORS:
        return CATEGORY_COLORS[category]
    return f"url(#hatch{extras.index(category)})"


def render_svg_chart(m: PostingMix, lang: str = "ja", account: str | None = None) -> str:
    """A self-contained SVG stacked bar chart: one bar per month, one segment per category.

    ``account`` limits the chart to one account (default: all accounts). The SVG
    has a ``<title>`` and ``<desc>`` (read by screen readers), axis labels, a
    legend, a tooltip ``<title>`` per segment, and counts printed inside segments
    tall enough to hold them, so colours are never the only cue.
    """
    if not isinstance(m, PostingMix):
        m = PostingMix()
    data = m.by_month(account)
    months = list(data)
    cats = [c for c in m.categories if any(row.get(c) for row in data.values())]
    extras = [c for c in cats if c not in CATEGORY_COLORS]
    totals = [sum(row.values()) for row in data.values()]
    top = max(totals, default=0)
    step = _nice_step(top)
    y_max = max(step, math.ceil(top / step) * step)

    slot, bar_w, left, plot_top, plot_h = 64, 40, 64, 56, 240
    legend_w = 180
    plot_w = max(240, slot * len(months))
    width = left + plot_w + 24 + legend_w
    height = plot_top + plot_h + 64
    base_y = plot_top + plot_h

    title = _s("chart_title_account", lang, account=_clean(account)) if account is not None else _s("chart_title", lang)
    parts = ("、" if _lang(lang) == "ja" else ", ").join(
        f"{category_label(c, lang)} {sum(row.get(c, 0) for row in data.values())}" for c in cats)
    desc = _s("chart_desc", lang, months=len(months), total=sum(totals), parts=parts) if months else _s("no_data", lang)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        f'font-family={quoteattr(_FONT)} font-size="12">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
        "<defs>",
    ]
    for i, _c in enumerate(extras):
        color = _EXTRA_COLORS[i % len(_EXTRA_COLORS)]
        angle = (45, -45, 0, 90)[(i // len(_EXTRA_COLORS)) % 4]
        out.append(f'<pattern id="hatch{i}" width="6" height="6" patternUnits="userSpaceOnUse" '
                   f'patternTransform="rotate({angle})"><rect width="6" height="6" fill="#FFFFFF"/>'
                   f'<rect width="3" height="6" fill="{color}"/></pattern>')
    out += [
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
        f'<text x="{left}" y="28" font-size="16" font-weight="bold">{escape(title)}</text>',
    ]
    # y axis, grid lines and ticks
    for v in range(0, y_max + 1, step):
        y = base_y - plot_h * v / y_max
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#DDDDDD"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{v}</text>')
    out.append(f'<line x1="{left}" y1="{plot_top}" x2="{left}" y2="{base_y}" stroke="#333333"/>')
    out.append(f'<line x1="{left}" y1="{base_y}" x2="{left + plot_w}" y2="{base_y}" stroke="#333333"/>')
    mid_y = plot_top + plot_h / 2
    out.append(f'<text x="18" y="{mid_y:.1f}" text-anchor="middle" transform="rotate(-90 18 {mid_y:.1f})">'
               f'{escape(_s("posts", lang))}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 14}" text-anchor="middle">'
               f'{escape(_s("month", lang))}</text>')
    if not months:
        out.append(f'<text x="{left + plot_w / 2:.1f}" y="{mid_y:.1f}" text-anchor="middle" fill="#555555">'
                   f'{escape(_s("no_data", lang))}</text>')
    # bars
    for i, month in enumerate(months):
        x = left + i * slot + (slot - bar_w) / 2
        y = float(base_y)
        row = data[month]
        for c in cats:
            n = row.get(c, 0)
            if not n:
                continue
            h = plot_h * n / y_max
            y -= h
            label = f"{month} {category_label(c, lang)}: {n}"
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" fill="{_fill(c, extras)}" '
                       f'stroke="#FFFFFF" stroke-width="1"><title>{escape(label)}</title></rect>')
            if h >= 14:
                cx, cy = x + bar_w / 2, y + h / 2
                if c in extras:  # a white plate keeps the number readable on hatching
                    plate_w = 7 * len(str(n)) + 6
                    out.append(f'<rect x="{cx - plate_w / 2:.1f}" y="{cy - 7:.1f}" width="{plate_w}" height="13" '
                               f'rx="2" fill="#FFFFFF" aria-hidden="true"/>')
                ink = "#FFFFFF" if c in _DARK else "#000000"
                out.append(f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" font-size="11" '
                           f'fill="{ink}" aria-hidden="true">{n}</text>')
        total = sum(row.values())
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">{total}</text>')
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{base_y + 18}" text-anchor="middle">{escape(month)}</text>')
    # legend: top to bottom in the reverse stacking order, so it reads like the bars
    lx = left + plot_w + 24
    for j, c in enumerate(reversed(cats)):
        ly = plot_top + j * 22
        out.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{_fill(c, extras)}" stroke="#333333" '
                   f'stroke-width="0.5"/>')
        mark = " ★" if c in PRIORITY_CATEGORIES else ""
        out.append(f'<text x="{lx + 20}" y="{ly + 11}">{escape(_clean(category_label(c, lang)) + mark)}</text>')
    if any(c in PRIORITY_CATEGORIES for c in cats):
        ly = plot_top + len(cats) * 22 + 8
        note = "★ 3(4) 重点分野" if _lang(lang) == "ja" else "★ 3(4) priority"
        out.append(f'<text x="{lx}" y="{ly + 11}" font-size="11" fill="#555555">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


__all__ = [
    "CATEGORY_COLORS", "CATEGORY_LABELS", "COUNTED_STATUSES", "DEFAULT_CATEGORIES", "PRIORITY_CATEGORIES",
    "PostingMix", "category_label", "mix", "month_of", "render_svg_chart", "render_table",
]
