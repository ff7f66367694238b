"""Waivers: a finding accepted on purpose, with rule, reason, approver and expiry.

In a post's front matter::

    waivers:
      - {rule: text-private, reason: 市長コラムのため, approved_by: "100001", until: 2025-12-31}

or inline in the body (covers the same file)::

    <!-- snspolicy-waive rule=text-private reason="市長コラムのため" approved_by=100001 until=2025-12-31 -->

A waiver lacking any of the four fields, naming an unknown rule, or approved by
someone who is not the account's manager or deputy is reported (waiver-invalid)
and hides nothing. An expired waiver stops hiding its finding (waiver-expired).
A waiver that hides nothing is reported (waiver-unused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import messages
from .context import parse_date, same_id
from .model import Finding, Span

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine
    from .loader.documents import Document

FIELDS = ("rule", "reason", "approved_by", "until")
INLINE = re.compile(r"<!--\s*snspolicy-waive\b(?P<body>[^>]{0,2000}?)-->")
_PAIR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
NOT_WAIVABLE = {"yaml-syntax", "file-encoding", "internal-error", "waiver-invalid", "waiver-expired", "waiver-unused"}


@dataclass
class Waiver:
    doc: "Document"
    data: dict
    span: Span
    used: bool = False


def collect(doc: "Document") -> list[Waiver]:
    out: list[Waiver] = []
    raw = doc.get("waivers")
    if isinstance(raw, list):
        for i, w in enumerate(raw):
            out.append(Waiver(doc, w if isinstance(w, dict) else {}, doc.span(("waivers", i))))
    for m in INLINE.finditer(doc.body or ""):
        data = {k: next(v for v in vals if v is not None) for k, *vals in _PAIR.findall(m.group("body"))}
        out.append(Waiver(doc, data, doc.body_span(m.start(), m.end())))
    return out


def _approvers(engine: "Engine", doc: "Document") -> set[str]:
    acc = engine.repo.accounts.get(str(doc.get("account")))
    if acc is None:
        return set()
    ids = {str(acc.get("manager", "employee_id"))}
    for d in acc.get("deputies") or []:
        if isinstance(d, dict) and d.get("employee_id") is not None:
            ids.add(str(d["employee_id"]))
        elif isinstance(d, (str, int)):
            ids.add(str(d))
    return ids


def apply(engine: "Engine", findings: list[Finding]) -> list[Finding]:
    lang = engine.lang
    out = list(findings)
    for doc in engine.repo.by_kind("post"):
        for w in collect(doc):
            rule_id = str(w.data.get("rule") or "")
            spec = engine.policy.rules.get(rule_id)
            clause = spec.clause if spec else None
            missing = [f for f in FIELDS if not str(w.data.get(f) or "").strip()]
            problem = None
            if missing:
                problem = ("missing", {"fields": missing})
            elif spec is None or rule_id in NOT_WAIVABLE:
                problem = ("unknown_rule", {"rule": rule_id})
            elif parse_date(w.data.get("until")) is None:
                problem = ("bad_date", {})
            elif not any(same_id(w.data.get("approved_by"), a) for a in _approvers(engine, doc)):
                problem = ("approver", {"approved_by": w.data.get("approved_by")})
            if problem:
                if engine._enabled("waiver-invalid"):
                    out.append(_finding(engine, "waiver-invalid", doc, w, problem[0], problem[1], clause))
                continue
            until = parse_date(w.data.get("until"))
            if until is not None and until < engine.today:
                if engine._enabled("waiver-expired"):
                    out.append(_finding(engine, "waiver-expired", doc, w, None, {"rule": rule_id, "until": until.isoformat()}, clause))
                continue
            for f in out:
                if f.path == doc.path and f.rule == rule_id and not f.fatal:
                    f.waived = True
                    f.waiver_reason = str(w.data.get("reason"))
                    w.used = True
            if not w.used and engine._enabled("waiver-unused"):
                out.append(_finding(engine, "waiver-unused", doc, w, None, {"rule": rule_id}, clause))
    return out


def _finding(engine: "Engine", rule_id: str, doc: "Document", w: Waiver, variant: str | None, args: dict, clause: str | None) -> Finding:
    spec = engine.policy.rules[rule_id]
    text = messages.format_template(spec.message(variant, engine.lang), args, engine.lang)
    return engine.finding(rule_id, doc.path, w.span, text, clause=clause or spec.clause, extra=f"{w.data.get('rule')}|{variant}")
