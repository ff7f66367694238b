"""``lint --statistics``: how many findings each rule gave, as a table of its own.

    件数  ルール          重大度   条項  内容
       3  post-approval   error    5     承認がない
       1  pii-phone       error    6(5)  個人の電話番号
       4  合計

One row per rule with at least one (not waived) finding, most frequent first (then by rule
id); the last column is the rule's title from the policy (``ctx.rules``), else the title the
finding carries. Columns are padded by display width (a Japanese character is two columns),
so the table lines up in a terminal. Not a format of its own (``-f``): the text output shows it
between the findings and the summary line, and a run without text output prints it on stderr.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from snspolicy.core.model import Finding, ReportContext
from snspolicy.reporters._strings import t
from snspolicy.reporters._util import Item, one_line, prepare

__all__ = ["render", "rows"]


def rows(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False) -> list[tuple[int, Item]]:
    """``(count, first item)`` of each rule, most frequent first."""
    items = prepare(findings, show_waived=show_waived, root=getattr(ctx, "root", None))
    count: Counter[str] = Counter(i.rule for i in items)
    first: dict[str, Item] = {}
    for i in items:
        first.setdefault(i.rule, i)
    return [(n, first[rule]) for rule, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def render(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False) -> str:
    """The table (ending with a line break), or ``""`` when there is nothing to count."""
    lang = getattr(ctx, "lang", "ja")
    table = rows(findings, ctx, show_waived=show_waived)
    if not table:
        return ""
    infos = getattr(ctx, "rules", None) or {}
    body = []
    for n, item in table:
        info = infos.get(item.rule)
        title = one_line(getattr(info, "title", "") or item.title or "")
        body.append((str(n), one_line(item.rule), str(item.severity), one_line(item.clause) or "-", title))
    head = (t("stats_count", lang), t("stats_rule", lang), t("stats_severity", lang), t("stats_clause", lang),
            t("stats_title", lang))
    total = (str(sum(n for n, _ in table)), t("stats_total", lang), "", "", "")
    widths = [max(_width(r[i]) for r in (head, *body, total)) for i in range(4)]

    def line(cells: tuple[str, ...]) -> str:
        count = " " * (widths[0] - _width(cells[0])) + cells[0]  # numbers right-aligned
        parts = [count] + [_pad(c, w) for c, w in zip(cells[1:4], widths[1:4])] + [cells[4]]
        return "  ".join(parts).rstrip()

    return "\n".join(line(r) for r in (head, *body, total)) + "\n"
