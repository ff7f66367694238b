"""Clause 3(1), 3(2), 4 and 8 rules on account files (accounts/*.yaml)."""

from __future__ import annotations

from typing import Iterator

from ..context import Context, parse_date, same_id
from ..loader.documents import Document
from ..model import Problem, Severity
from . import rule


@rule("account-holders", kinds=("account",))
def account_holders(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(1): exactly ``required`` holders, or an approved, unexpired exception."""
    holders = doc.get("holders")
    if not isinstance(holders, list):
        return  # the schema reports a missing or malformed list
    required = int(ctx.param("required", 2))
    seen: set[str] = set()
    for i, h in enumerate(holders):
        eid = str(h.get("employee_id")) if isinstance(h, dict) and h.get("employee_id") is not None else None
        if eid is not None:
            if eid in seen:
                yield Problem(("holders", i, "employee_id"), {"employee_id": eid}, variant="duplicate")
            seen.add(eid)
    count = len(holders)
    if count == required:
        return
    exc = doc.get("holders_exception")
    args = {"count": count, "required": required}
    if not isinstance(exc, dict):
        yield Problem(("holders",), args)
        return
    if not same_id(exc.get("approved_by"), doc.get("manager", "employee_id")):
        yield Problem(("holders_exception", "approved_by"), {**args, "approved_by": exc.get("approved_by")}, variant="approver")
        return
    until = parse_date(exc.get("until"))
    if until is None:
        return  # schema finding
    if until < ctx.today:
        yield Problem(("holders_exception", "until"), {**args, "until": until.isoformat()}, variant="expired")


@rule("account-2fa", kinds=("account",))
def account_2fa(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(2): two-factor on; weak methods warned with a stronger one named."""
    tf = doc.get("security", "two_factor")
    if not isinstance(tf, dict):
        return
    strong = list(ctx.param("strong_methods", ["security_key", "totp"]))
    if tf.get("enabled") is not True:
        yield Problem(("security", "two_factor", "enabled") if "enabled" in tf else ("security", "two_factor"))
        return
    method = tf.get("method")
    if method is None:
        yield Problem(("security", "two_factor"), {"stronger": strong}, variant="no_method",
                      severity=Severity.parse(ctx.param("weak_severity", "warning")))
    elif method in ctx.param("weak_methods", ["sms", "email"]):
        yield Problem(("security", "two_factor", "method"), {"method": method, "stronger": strong}, variant="weak",
                      severity=Severity.parse(ctx.param("weak_severity", "warning")))
