"""Markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Written for readers who are not programmers: a ✅/❌ headline that says what to
do, a small table of counts, then the findings grouped by guideline clause in
the guideline's order (3(1) < 3(2) < … < 6(10) < 6(11) < 7 < 8), one table row
per finding: where, how serious, rule, message. When there are more than
``collapse_after`` rows every clause group is folded into a ``<details>``
block; at most ``max_rows`` rows are printed in all (the rest are counted).

Table cells are escaped: ``|``, line breaks, HTML (``<``, ``>``, ``&``),
Markdown emphasis/link characters, and ``@`` (so a handle in a message does not
notify a GitHub user).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import groupby

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters._strings import clause_name, t
from snspolicy.reporters._util import Item, clause_key, counts, fails, one_line, prepare, severity_of

_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]~])")


def cell(text: str) -> str:
    """Escape text for a Markdown table cell (one line, no HTML, no mentions)."""
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = s.replace("|", "\\|").replace("@", "&#64;")
    s = re.sub(r"\r\n|\r|\n", "<br>", s)
    return s.strip() or " "


def code_cell(text: str) -> str:
    """Text as inline code inside a table cell (falls back to :func:`cell` if it holds a backtick)."""
    s = one_line(text)
    if not s or "`" in s:
        return cell(s)
    return "`" + s.replace("|", "\\|") + "`"


def _level(sev: Severity, lang: str) -> str:
    return f"{_ICON[sev]} {t(str(sev), lang)}"


def _heading(clause: str, lang: str, headings: Mapping[str, str]) -> str:
    if not clause:
        return t("md_no_clause", lang)
    name = clause_name(clause, headings)
    return t("md_clause", lang, clause=clause) + (f" {name}" if name else "")


def _row(item: Item, lang: str) -> str:
    where = f"{item.path or '-'}:{item.line}"
    msg = item.message or item.title or item.rule
    if item.waived:
        msg += t("waived_mark", lang, reason=item.waiver_reason) if item.waiver_reason \
            else t("waived_mark_noreason", lang)
    return f"| {code_cell(where)} | {_level(item.severity, lang)} | {code_cell(item.rule)} | {cell(msg)} |"


def _group_counts(items: list[Item]) -> str:
    c = counts(items)
    return " ".join(f"{_ICON[s]} {c[s]}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if c[s])


def render(
    findings: list[Finding],
    ctx: ReportContext,
    *,
    show_waived: bool = False,
    collapse_after: int = 20,
    max_rows: int = 300,
) -> str:
    """Render the Markdown summary (see the module docstring)."""
    lang = getattr(ctx, "lang", "ja")
    everything = prepare(findings, show_waived=True, root=getattr(ctx, "root", None))
    active = [i for i in everything if not i.waived]
    shown = everything if show_waived else active
    c = counts(active)

    out: list[str] = [f"## {t('md_title', lang)}", ""]
    if fails(active, getattr(ctx, "fail_on", Severity.ERROR)):
        out.append(t("md_fail", lang))
    else:
        out.append(t("md_pass_clean", lang) if not active else t("md_pass", lang))
    out += ["", f"| {t('md_kind', lang)} | {t('md_num', lang)} |", "|---|---:|"]
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        out.append(f"| {_level(sev, lang)} | {c[sev]} |")
    out.append("")
    notes = [t("md_files_checked", lang, n=getattr(ctx, "files_checked", 0))]
    policy = one_line(getattr(ctx, "policy_id", ""))
    if policy:
        notes.append(t("md_policy", lang, policy=cell(policy)))
    level = severity_of(getattr(ctx, "fail_on", Severity.ERROR))
    notes.append(t("md_fail_level", lang, level=t(str(level), lang)))
    out.append(" ・ ".join(notes))
    waived = len(everything) - len(active)
    if waived and not show_waived:
        out += ["", t("md_waived", lang, n=waived)]

    try:
        limit = max(0, int(max_rows))
    except (TypeError, ValueError):
        limit = 300
    try:
        fold = len(shown) > int(collapse_after)
    except (TypeError, ValueError):
        fold = False
    printed = 0
    ordered = sorted(shown, key=lambda i: (clause_key(i.clause), i.sort_key()))
    for clause, group_iter in groupby(ordered, key=lambda i: i.clause):
        group = list(group_iter)
        if printed >= limit:
            break
        heading = _heading(clause, lang, (getattr(ctx, "clauses", None) or {}))
        title = f"{heading}（{t('md_group_count', lang, n=len(group))}）" if lang != "en" else f"{heading} ({len(group)})"
        out.append("")
        if fold:
            out += ["<details>", f"<summary>{cell(title)} {_group_counts(group)}</summary>", ""]
        else:
            out += [f"### {cell(title)}", ""]
        out += [
            f"| {t('md_where', lang)} | {t('md_level', lang)} | {t('md_rule', lang)} | {t('md_message', lang)} |",
            "|---|---|---|---|",
        ]
        for item in group:
            if printed >= limit:
                break
            out.append(_row(item, lang))
            printed += 1
        if fold:
            out += ["", "</details>"]
    if printed < len(shown):
        out += ["", t("md_omitted", lang, n=len(shown) - printed)]
    return "\n".join(out) + "\n"
