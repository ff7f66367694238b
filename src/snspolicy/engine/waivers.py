"""Waivers: a finding accepted on purpose, with rule, reason, approver and expiry.

In a post's front matter::

    waivers:
      - {rule: text-private, reason: 市長コラムのため, approved_by: "100001", until: 2025-12-31}

or inline in the body (covers the same file)::

    <!-- snspolicy-waive rule=text-private reason="市長コラムのため" approved_by=100001 until=2025-12-31 -->

A waiver lacking any of the four fields, naming an unknown rule, or approved by
someone who is not the account's manager or deputy is reported (waiver-invalid)
and hides nothing. An expired waiver stops hiding its finding (waiver-expired), reported no
more severely than the finding itself (an expired waiver for a warning does not fail the
run); an expired waiver whose rule no longer finds anything in the file is reported as
a warning asking to delete it.
A waiver that hides nothing is reported (waiver-unused), unless its rule did not
run at all (disabled, or left out with ``--select``/``--ignore``).

``until`` is inclusive: a waiver is valid through that day and expired from the next
day (compared with ``--today``). Inline waivers take ``key=value`` pairs; a value with
spaces is quoted ("…" or '…'); a value may not contain ``>``. Waivers cover findings of
the post file they are written in, never ``schema`` or unreadable-file findings (fix
the file instead) nor other waiver findings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from snspolicy.core.model import Finding, Severity, Span
from snspolicy.core.values import parse_date, same_id
from snspolicy.engine.findings import FindingFactory
from snspolicy.engine.registry import ENGINE_RULES
from snspolicy.io.documents import Document
from snspolicy.policy.model import Policy

FIELDS = ("rule", "reason", "approved_by", "until")
INLINE = re.compile(r"<!--\s*snspolicy-waive\b(?P<body>[^>]{0,2000}?)-->")
_PAIR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
NOT_WAIVABLE = ENGINE_RULES  # fix the file instead; a waiver finding is not waived by another


@dataclass(frozen=True)
class WaiverInputs:
    """All that waivers need from a run: a pure pass over its findings."""

    posts: list[Document]  # the posts being reported on
    accounts: Mapping[str, Document]  # account id -> account file (who may approve a waiver)
    policy: Policy
    today: dt.date
    enabled: Callable[[str], bool]  # does this rule run in this run?
    factory: FindingFactory


@dataclass
class Waiver:
    doc: Document
    data: dict[str, Any]
    span: Span
    used: bool = False


def collect(doc: Document) -> list[Waiver]:
    out: list[Waiver] = []
    raw = doc.get("waivers")
    if isinstance(raw, list):
        for i, w in enumerate(raw):
            out.append(Waiver(doc, w if isinstance(w, dict) else {}, doc.span(("waivers", i))))
    for m in INLINE.finditer(doc.body or ""):
        data = parse_inline(m.group("body"))
        out.append(Waiver(doc, data, doc.body_span(m.start(), m.end())))
    return out


def parse_inline(body: str) -> dict[str, str]:
    """``rule=x reason="a b" approved_by=100001`` → a dict (the first of a repeated key wins)."""
    data: dict[str, str] = {}
    for m in _PAIR.finditer(body or ""):
        value = next(g for g in (m.group(2), m.group(3), m.group(4)) if g is not None)
        data.setdefault(m.group(1), value)
    return data


def _approvers(inputs: WaiverInputs, doc: Document) -> set[str]:
    from snspolicy.domain.staff import current_approvers
    from snspolicy.domain.vocabulary import approver_fields

    return current_approvers(inputs.accounts.get(str(doc.get("account"))), approver_fields(inputs.policy, "waivers"))


def check(inputs: WaiverInputs, doc: Document, w: Waiver) -> tuple[str, dict[str, Any]] | None:
    """Why waiver ``w`` is invalid (a waiver-invalid message variant and its arguments), or None."""
    rule_id = str(w.data.get("rule") or "")
    missing = [f for f in FIELDS if not str(w.data.get(f) or "").strip()]
    if missing:
        return "missing", {"fields": missing}
    if rule_id not in inputs.policy.rules or rule_id in NOT_WAIVABLE:
        return "unknown_rule", {"rule": rule_id}
    if parse_date(w.data.get("until")) is None:
        return "bad_date", {}
    approvers = _approvers(inputs, doc)
    if not any(same_id(w.data.get("approved_by"), a) for a in approvers):
        return "approver", {"approved_by": str(w.data.get("approved_by"))[:20], "approvers": sorted(approvers) or ["-"]}
    return None


def apply(findings: list[Finding], inputs: WaiverInputs) -> list[Finding]:
    """Mark findings hidden by valid waivers and add the waiver-* findings; returns the new list."""
    out = list(findings)
    for doc in inputs.posts:
        for w in collect(doc):
            rule_id = str(w.data.get("rule") or "")
            spec = inputs.policy.rules.get(rule_id)
            clause = spec.clause if spec else None
            problem = check(inputs, doc, w)
            if problem is not None:
                if inputs.enabled("waiver-invalid"):
                    out.append(_finding(inputs, "waiver-invalid", doc, w, problem[0], problem[1], clause))
                continue
            until = parse_date(w.data.get("until"))
            if until is not None and until < inputs.today:
                if inputs.enabled("waiver-expired"):
                    out.append(_expired(inputs, doc, w, rule_id, until.isoformat(), clause, out))
                continue
            for f in out:
                if f.path == doc.path and f.rule == rule_id and not f.fatal:
                    f.waived = True
                    f.waiver_reason = str(w.data.get("reason"))
                    w.used = True
            if not w.used and inputs.enabled("waiver-unused") and inputs.enabled(rule_id):
                out.append(_finding(inputs, "waiver-unused", doc, w, None, {"rule": rule_id}, clause))
    return out


def _expired(inputs: WaiverInputs, doc: Document, w: Waiver, rule_id: str, until: str, clause: str | None,
             findings: list[Finding]) -> Finding:
    """waiver-expired, no more severe than the findings it hid (a warning's expired waiver does not
    fail the run); a ``stale`` warning when the rule no longer finds anything in the file."""
    hidden = [f.severity for f in findings if f.path == doc.path and f.rule == rule_id and not f.fatal]
    own = inputs.policy.rules["waiver-expired"].severity
    if not hidden:
        return _finding(inputs, "waiver-expired", doc, w, "stale", {"rule": rule_id, "until": until}, clause,
                        severity=min(own, Severity.WARNING))
    return _finding(inputs, "waiver-expired", doc, w, None, {"rule": rule_id, "until": until}, clause,
                    severity=min(own, max(hidden)))


def _finding(inputs: WaiverInputs, rule_id: str, doc: Document, w: Waiver, variant: str | None, args: dict[str, Any],
             clause: str | None, severity: Severity | None = None) -> Finding:
    return inputs.factory.from_template(rule_id, doc.path, w.span, variant, args, clause=clause, severity=severity,
                                        extra=f"{w.data.get('rule')}|{variant}")
