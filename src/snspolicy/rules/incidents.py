"""Clause 7 rules: records of the response to unauthorized access (incidents/*.yaml).

* ``incident-steps`` — every step of the policy's incident steps (Ube: 7(1)-(4)) has a time or a
  reason it did not apply, and the report went to every required recipient (Ube: the three
  divisions of 7(4));
* ``incident-order`` — the ordered steps are in the policy's order, every step between detection
  and closing;
* ``incident-other-account`` (7(3)) — the announcement went out through another registered
  account (which account a name means: :func:`snspolicy.domain.accounts.account_for`).

The steps (their keys, clauses, names and order) and the recipients are the policy's
``vocabularies.incident`` (:mod:`snspolicy.domain.vocabulary`), not Python: a city whose
guideline has other steps or other recipients changes its policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from snspolicy.core.model import Problem
from snspolicy.core.values import parse_datetime
from snspolicy.domain.accounts import account_for
from snspolicy.domain.staff import fold_name
from snspolicy.domain.vocabulary import vocabulary
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule


def _recipients(value: Any) -> list[str]:
    """The report's ``to`` as folded texts: a list, or one string of names (``防災危機管理課、デジタル推進課``)."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [fold_name(x) for x in items if isinstance(x, (str, int)) and not isinstance(x, bool) and fold_name(x)]


def reported_to(required: str, to: list[str]) -> bool:
    """Was ``required`` among the recipients? Written with a 係 or 課長 (``デジタル推進課（情報政策係）``,
    ``広報広聴課長``) or several names in one string, it still counts."""
    want = fold_name(required)
    return bool(want) and any(want in x for x in to)


@rule("incident-steps", kinds=("incident",), depends_on=("account",))
def incident_steps(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Every step of the policy's incident steps has a time (done_at) or a reason (not_applicable);
    a report that was made went to every recipient the policy requires."""
    steps = doc.get("steps")
    if not isinstance(steps, dict):
        return
    vocab = vocabulary(ctx.policy)
    for step in vocab.incident_steps:
        key = step.key
        got = steps.get(key)
        if not isinstance(got, dict) or not (got.get("done_at") or str(got.get("not_applicable") or "").strip()):
            at = ("steps", key) if key in steps else ("steps",)
            yield Problem(at, {"step": step.title_in(ctx.lang), "sub": step.clause, "key": key}, fingerprint_extra=key)
    report = steps.get("report")
    if isinstance(report, dict) and report.get("done_at") and vocab.report_to:
        to = _recipients(report.get("to"))
        missing = [d for d in vocab.report_to if not reported_to(d, to)]
        if missing:
            yield Problem(("steps", "report", "to") if "to" in report else ("steps", "report"),
                          {"missing": missing, "required": list(vocab.report_to)},
                          variant="report_to", fingerprint_extra="report_to")


@rule("incident-order", kinds=("incident",), depends_on=("account",))
def incident_order(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Step times are not before detection, not after closing, and the ordered steps (Ube:
    7(1)→7(2)→7(3)→7(4)) in the policy's order."""
    detected = parse_datetime(doc.get("detected_at"))
    closed = parse_datetime(doc.get("closed_at"))
    steps = doc.get("steps")
    if detected is None or not isinstance(steps, dict):
        return
    previous: tuple[str, dt.datetime] | None = None
    for step in vocabulary(ctx.policy).incident_steps:
        key = step.key
        got = steps.get(key)
        when = parse_datetime(got.get("done_at")) if isinstance(got, dict) else None
        if when is None:
            continue
        label = step.title_in(ctx.lang)
        if when < detected:
            yield Problem(("steps", key, "done_at"), {"step": label}, variant="before_detected", fingerprint_extra=key + "|b")
        elif closed is not None and when > closed:
            yield Problem(("steps", key, "done_at"), {"step": label}, variant="after_closed", fingerprint_extra=key + "|c")
        if step.ordered:
            if previous is not None and when < previous[1]:
                yield Problem(("steps", key, "done_at"), {"step": label, "previous": previous[0]}, variant="order",
                              fingerprint_extra=key + "|o")
            previous = (label, when)


@rule("incident-other-account", kinds=("incident",), depends_on=("account",))
def incident_other_account(doc: Document, ctx: Context) -> Iterator[Problem]:
    """7(3): the announcement went out through another, registered account."""
    announce = doc.get("steps", "announce")
    if not isinstance(announce, dict) or not announce.get("done_at"):
        return
    via = announce.get("via")
    if not via:
        yield Problem(("steps", "announce"), variant="missing")
        return
    resolved = account_for(via, ctx.repo.accounts)
    if resolved is not None and resolved == account_for(doc.get("account"), ctx.repo.accounts):
        yield Problem(("steps", "announce", "via"), {"account": str(via)[:60]})
    elif resolved is None:
        yield Problem(("steps", "announce", "via"), {"account": str(via)[:60]}, variant="unknown")

