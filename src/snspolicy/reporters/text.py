"""Plain text: one finding per line, then a summary line.

``path:line:col: severity [rule] clause message`` — the severity word stays
English (error|warning|info) so editors' problem matchers can parse it; the
summary line is in ``ctx.lang``. Line breaks inside a message become spaces,
and control characters are shown escaped, so one finding is always one line.
"""

from __future__ import annotations

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters._strings import plural, t
from snspolicy.reporters._util import Item, counts, one_line, prepare

_RESET = "\x1b[0m"
_COLORS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"


def format_line(item: Item, lang: str = "ja", *, color: bool = False) -> str:
    """One finding as ``path:line:col: severity [rule] clause message``."""
    where = f"{item.path or '-'}:{item.line}:{item.column}:"
    sev = str(item.severity)
    rule = f"[{one_line(item.rule)}]"
    clause = one_line(item.clause) or "-"
    msg = one_line(item.message)
    if item.waived:
        reason = one_line(item.waiver_reason)
        msg += t("waived_mark", lang, reason=reason) if reason else t("waived_mark_noreason", lang)
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        sev = f"{_COLORS[item.severity]}{sev}{_RESET}"
        rule = f"{_DIM}{rule}{_RESET}"
        if item.waived:
            msg = f"{_DIM}{msg}{_RESET}"
    return f"{where} {sev} {rule} {clause} {msg}"


def summary(items: list[Item], files_checked: int, lang: str = "ja", waived: int = 0) -> str:
    """The summary line, e.g. 「2 件の違反、1 件の警告（12 ファイル）」 / "2 errors, 1 warning in 12 files".

    When some files could not be read at all (exit status 2), the line says so: their
    contents were not checked, so "only 1 problem" would otherwise read as nearly done.
    """
    text = _counts_line(items, files_checked, lang, waived)
    unreadable = len({i.path for i in items if getattr(getattr(i, "finding", None), "fatal", False)
                      and getattr(i.finding, "rule", "") in ("yaml-syntax", "file-encoding")})
    return text + t("unreadable_note", lang, n=unreadable) if unreadable else text


def _counts_line(items: list[Item], files_checked: int, lang: str, waived: int) -> str:
    c = counts(items)
    parts = [
        t("count", lang, n=c[sev], what=plural(str(sev), c[sev], lang))
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if c[sev]
    ]
    files = t("files", lang, n=files_checked, what=plural("file", files_checked, lang))
    text = t("sep", lang).join(parts) if parts else t("no_problems", lang)
    if waived:
        return t("summary_waived", lang, parts=text, files=files, n=waived)
    return t("summary", lang, parts=text, files=files)


def render(
    findings: list[Finding],
    ctx: ReportContext,
    *,
    color: bool = False,
    show_waived: bool = False,
    summary_line: bool = True,
) -> str:
    """Render findings as text lines plus a summary (ANSI colours only when ``color``).

    Waived findings are left out (and counted in the summary) unless
    ``show_waived``, which prints them marked as waived.
    """
    lang = getattr(ctx, "lang", "ja")
    everything = prepare(findings, show_waived=True, root=getattr(ctx, "root", None))
    active = [i for i in everything if not i.waived]
    shown = everything if show_waived else active
    lines = [format_line(i, lang, color=color) for i in shown]
    if summary_line:
        files = getattr(ctx, "files_checked", 0)
        files = files if isinstance(files, int) and files >= 0 else 0
        lines.append(summary(active, files, lang, waived=len(everything) - len(active)))
    return "\n".join(lines) + ("\n" if lines else "")
