"""Clause 7 rules: records of the response to unauthorized access (incidents/*.yaml).

* ``incident-steps`` — every step of 7(1)-(4) has a time or a reason it did not apply, and the
  report (7(4)) went to the three divisions;
* ``incident-order`` — the steps are in the guideline's order, between detection and closing;
* ``incident-other-account`` (7(3)) — the announcement went out through another registered
  account (which account a name means: :func:`snspolicy.domain.accounts.account_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from snspolicy.core.model import Problem
from snspolicy.core.values import parse_datetime
from snspolicy.domain.accounts import account_for
from snspolicy.domain.staff import fold_name
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule

# step key -> (sub-clause, Japanese label, English label); the order is the guideline's
STEPS = (
    ("change_password", "7(1)", "パスワードの変更", "changing the password"),
    ("notify_platform", "7(2)", "ソーシャルメディアへの通報", "reporting to the platform"),
    ("announce", "7(3)", "他のアカウントでの周知", "announcing through another account"),
    ("report", "7(4)", "3課への状況報告", "reporting to the three divisions"),
    ("website", "7(4)", "市公式ウェブサイトへの掲載の判断", "the decision on the city website"),
    ("press_release", "7(4)", "報道発表の判断", "the decision on a press release"),
    ("police", "7(4)", "警察への連絡", "contacting the police"),
)
ORDERED = ("change_password", "notify_platform", "announce", "report")


def _recipients(value: Any) -> list[str]:
    """The report's ``to`` as folded texts: a list, or one string of names (``防災危機管理課、デジタル推進課``)."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [fold_name(x) for x in items if isinstance(x, (str, int)) and not isinstance(x, bool) and fold_name(x)]


def reported_to(required: str, to: list[str]) -> bool:
    """Was ``required`` among the recipients? Written with a 係 or 課長 (``デジタル推進課（情報政策係）``,
    ``広報広聴課長``) or several names in one string, it still counts."""
    want = fold_name(required)
    return bool(want) and any(want in x for x in to)


def _label(key: str, ctx: Context) -> tuple[str, str]:
    for k, clause, ja, en in STEPS:
        if k == key:
            return clause, ja if ctx.lang == "ja" else en
    return "7", key


@rule("incident-steps", kinds=("incident",), depends_on=("account",))
def incident_steps(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Every step of 7(1)-(4) has a time (done_at) or a reason (not_applicable)."""
    steps = doc.get("steps")
    if not isinstance(steps, dict):
        return
    for key, _clause, _ja, _en in STEPS:
        clause, label = _label(key, ctx)
        step = steps.get(key)
        if not isinstance(step, dict) or not (step.get("done_at") or str(step.get("not_applicable") or "").strip()):
            at = ("steps", key) if key in steps else ("steps",)
            yield Problem(at, {"step": label, "sub": clause, "key": key}, fingerprint_extra=key)
    report = steps.get("report")
    if isinstance(report, dict) and report.get("done_at"):
        required = list(ctx.param("report_to", ["防災危機管理課", "デジタル推進課", "広報広聴課"]))
        to = _recipients(report.get("to"))
        missing = [d for d in required if not reported_to(d, to)]
        if missing:
            yield Problem(("steps", "report", "to") if "to" in report else ("steps", "report"), {"missing": missing},
                          variant="report_to", fingerprint_extra="report_to")


@rule("incident-order", kinds=("incident",), depends_on=("account",))
def incident_order(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Step times are not before detection, not after closing, and 7(1)→7(2)→7(3)→7(4) in order."""
    detected = parse_datetime(doc.get("detected_at"))
    closed = parse_datetime(doc.get("closed_at"))
    steps = doc.get("steps")
    if detected is None or not isinstance(steps, dict):
        return
    previous: tuple[str, dt.datetime] | None = None
    for key, _clause, _ja, _en in STEPS:
        step = steps.get(key)
        when = parse_datetime(step.get("done_at")) if isinstance(step, dict) else None
        if when is None:
            continue
        _, label = _label(key, ctx)
        if when < detected:
            yield Problem(("steps", key, "done_at"), {"step": label}, variant="before_detected", fingerprint_extra=key + "|b")
        elif closed is not None and when > closed:
            yield Problem(("steps", key, "done_at"), {"step": label}, variant="after_closed", fingerprint_extra=key + "|c")
        if key in ORDERED:
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

