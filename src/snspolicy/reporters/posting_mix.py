"""The posting mix of guideline 3(4) shown to people: a table (text, Markdown, CSV) and an SVG chart.

The counts come from :mod:`snspolicy.domain.posting_mix` (what is counted and
why a post is left out is documented there); this module only renders them.
Text and Markdown tables end with notes saying what was counted and what was
left out. Like every reporter it knows nothing about rules.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from snspolicy.domain.posting_mix import (
    PRIORITY_CATEGORIES,
    SKIP_REASONS,
    PostingMix,
    category_label,
    clean_label,
    priority_share,
)

__all__ = ["CATEGORY_COLORS", "render_svg_chart", "render_table"]

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


def _lang(lang: object) -> str:
    return "en" if str(lang or "").strip().lower().startswith("en") else "ja"


def _s(key: str, lang: str, **kw: Any) -> str:
    return _STRINGS[key][_lang(lang)].format(**kw)


# ----------------------------------------------------------------- tables


def _table(m: PostingMix, lang: str) -> tuple[list[str], list[list[str]], list[list[Any]]]:
    """Header, display rows, and raw rows (numbers) including a total row."""
    header = [_s("account", lang), _s("month", lang)] + [category_label(c, lang) for c in m.categories] \
        + [_s("total", lang), _s("priority", lang)]
    raw: list[list[Any]] = []
    for account, month, row in m.rows():
        raw.append([account or _s("none_account", lang), month] + [row.get(c, 0) for c in m.categories]
                   + [sum(row.values()), priority_share(row)])
    totals: dict[str, int] = {}
    for (_, _, c), n in m.counts.items():
        totals[c] = totals.get(c, 0) + n
    raw.append([_s("total", lang), ""] + [totals.get(c, 0) for c in m.categories]
               + [m.total_posts, priority_share(totals)])

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
    parts = [_s("skip_" + k, lang, n=m.skipped[k]) for k in SKIP_REASONS if m.skipped.get(k)]
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

    title = _s("chart_title_account", lang, account=clean_label(account)) if account is not None else _s("chart_title", lang)
    parts = ("、" if _lang(lang) == "ja" else ", ").join(
        f"{category_label(c, lang)} {sum(row.get(c, 0) for row in data.values())}" for c in cats)
    desc = _s("chart_desc", lang, months=len(months), total=sum(totals), parts=parts) if months else _s("no_data", lang)

    out: list[str] = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
         f'font-family={quoteattr(_FONT)} font-size="12">'),
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
        out.append(f'<text x="{lx + 20}" y="{ly + 11}">{escape(clean_label(category_label(c, lang)) + mark)}</text>')
    if any(c in PRIORITY_CATEGORIES for c in cats):
        ly = plot_top + len(cats) * 22 + 8
        note = "★ 3(4) 重点分野" if _lang(lang) == "ja" else "★ 3(4) priority"
        out.append(f'<text x="{lx}" y="{ly + 11}" font-size="11" fill="#555555">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
