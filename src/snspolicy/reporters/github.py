"""GitHub Actions workflow commands: one annotation per finding.

``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=TITLE::MESSAGE``
(``::warning`` for warnings, ``::notice`` for info). Escaping follows the
Actions runner: in the message ``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``;
property values additionally ``:`` -> ``%3A`` and ``,`` -> ``%2C``.

``col``/``endColumn`` are written only when the finding is on one line (GitHub
ignores columns of multi-line annotations). GitHub shows only the first few
annotations of each kind per step, so errors come first, then warnings, then
notices, each in file order. Waived findings are not annotated unless
``show_waived`` (then as notices).
"""

from __future__ import annotations

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters._strings import t
from snspolicy.reporters._util import Item, clean, prepare

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property value."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(item: Item, lang: str = "ja") -> str:
    """One finding as a workflow command line."""
    command = "notice" if item.waived else _COMMAND[item.severity]
    title = f"[{item.rule}] {item.clause}".strip()
    if item.title:
        title += f" {item.title}"
    props: list[tuple[str, str]] = []
    if item.path:
        one_line = item.line == item.end_line
        props.append(("file", item.path))
        props.append(("line", str(item.line)))
        if one_line:
            props.append(("col", str(item.column)))
        props.append(("endLine", str(item.end_line)))
        if one_line:
            props.append(("endColumn", str(item.end_column)))
    props.append(("title", title))
    message = item.message or item.title or item.rule
    if item.waived:
        message += t("waived_mark", lang, reason=item.waiver_reason) if item.waiver_reason \
            else t("waived_mark_noreason", lang)
    head = ",".join(f"{k}={escape_property(clean(v))}" for k, v in props)
    return f"::{command} {head}::{escape_data(message)}"


def render(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False) -> str:
    """Render findings as workflow commands, one per line (errors first)."""
    lang = getattr(ctx, "lang", "ja")
    items = prepare(findings, show_waived=show_waived, root=getattr(ctx, "root", None))
    items.sort(key=lambda i: (i.waived, -int(i.severity), i.sort_key()))
    lines = [annotation(i, lang) for i in items]
    return "\n".join(lines) + ("\n" if lines else "")
