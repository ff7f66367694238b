"""JSON: a list of ``Finding.to_dict()`` in stable ``sort_key`` order (UTF-8, indent 2).

Waived findings are left out unless ``show_waived``; then they are included
with ``"waived": true`` and ``"waiver_reason"``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from snspolicy.core.model import Finding, ReportContext
from snspolicy.reporters._util import prepare

_SURROGATE = re.compile("[\ud800-\udfff]")


def _to_dict(finding: Finding, waived: bool, reason: str) -> dict[str, Any]:
    try:
        d = finding.to_dict()
    except Exception:
        d = {}
    if not isinstance(d, dict):
        d = {}
    if waived:
        d["waived"] = True
        if reason:
            d["waiver_reason"] = reason
    return d


def _encodable(value: Any) -> Any:
    """``value`` with every string made writable as UTF-8 (lone surrogates -> U+FFFD)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {str(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encodable(v) for v in value]
    return value


def render(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False) -> str:
    """Render findings as a JSON array (``ensure_ascii=False``) followed by a newline."""
    items = prepare(findings, show_waived=show_waived, root=getattr(ctx, "root", None))
    out = []
    for i in items:
        d = _to_dict(i.finding, i.waived, i.waiver_reason)
        # the contract keys, normalized (a missing or odd value never breaks consumers)
        d.update(
            path=i.path, line=i.line, column=i.column, end_line=i.end_line, end_column=i.end_column,
            rule=i.rule, clause=i.clause, severity=str(i.severity), message=i.message,
        )
        d["title"] = i.title
        d["fingerprint"] = i.fingerprint
        out.append(_encodable(d))
    return json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n"
