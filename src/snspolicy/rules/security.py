"""Clause 4(1)-(4) rules on account files (accounts/*.yaml): running an account safely.

* ``account-holders`` (4(1)) — two holders (``required``), or an approved, unexpired exception;
* ``account-2fa`` (4(2)) — two-factor authentication on, with a strong method;
* ``account-password-policy`` (4(3)) — the declared password rules meet the policy
  (:mod:`snspolicy.domain.password`);
* ``account-roster`` and ``account-review`` (4(4)) — the people are in the staff roster and
  in post, and the credentials were reviewed after the newest change of holders.

A ``closed`` account skips all of these (nobody runs it any more: see
:mod:`snspolicy.rules.accounts` for the account statuses). Messages, severities and parameters
are in ``policy/<city>/<version>/rules/accounts.yaml``. Personal data never goes into a message
in full: names are masked with :func:`~snspolicy.core.mask.mask_name`, employee ids with
:func:`~snspolicy.core.mask.mask_employee_id`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from snspolicy.core.mask import mask_employee_id, mask_name
from snspolicy.core.model import Problem, Severity
from snspolicy.core.values import parse_date
from snspolicy.domain import password
from snspolicy.domain.accounts import far_future, holders, is_closed, newest_assignment
from snspolicy.domain.staff import (
    current_approvers,
    employee_id_text,
    fold_name,
    roster_departments,
    roster_state,
    same_department,
)
from snspolicy.domain.vocabulary import approver_fields, vocabulary
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule


def _severity(ctx: Context, name: str, default: str) -> Severity:
    try:
        return Severity.parse(ctx.param(name))
    except (KeyError, AttributeError):
        return Severity.parse(default)


def _far_future(d: Any, ctx: Context) -> bool:
    return far_future(d, ctx.today, ctx.param("max_future_days"))


# --------------------------------------------------------------------------- 4(1)


@rule("account-holders", kinds=("account",))
def account_holders(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(1): exactly ``required`` distinct holders, or an approved, unexpired exception
    (and never fewer than ``min_holders``, exception or not)."""
    if is_closed(doc):
        return
    people = doc.get("holders")
    if not isinstance(people, list):
        return  # the schema reports a missing or malformed list
    required = int(ctx.param("required"))
    minimum = int(ctx.param("min_holders"))
    seen: set[str] = set()
    count = 0
    for i, h in enumerate(people):
        eid = h.get("employee_id") if isinstance(h, dict) else None
        if eid is None:
            count += 1
            continue
        key = str(eid).strip()
        if key in seen:
            yield Problem(("holders", i, "employee_id"), {"employee_id": mask_employee_id(key)}, variant="duplicate")
            continue
        seen.add(key)
        count += 1
    if count == required:
        return
    args = {"count": count, "required": required, "minimum": minimum}
    if count < minimum:
        yield Problem(("holders",), args, variant="too_few")
        return
    exc = doc.get("holders_exception")
    if not isinstance(exc, dict):
        yield Problem(("holders",), args)
        return
    if not _approved_for_account(doc, exc.get("approved_by"), ctx):
        yield Problem(("holders_exception", "approved_by"), args, variant="approver")
    if not (isinstance(exc.get("reason"), str) and exc["reason"].strip()):
        yield Problem(("holders_exception",), args, variant="no_reason")
    until = parse_date(exc.get("until"))
    if until is not None and until < ctx.today:
        yield Problem(("holders_exception", "until"), {**args, "until": until.isoformat()}, variant="expired")


# --------------------------------------------------------------------------- 4(2)


@rule("account-2fa", kinds=("account",))
def account_2fa(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(2): two-factor on; weak methods (sms, email) warned with stronger ones named."""
    if is_closed(doc):
        return
    tf = doc.get("security", "two_factor")
    if not isinstance(tf, dict):
        return  # schema
    strong = list(ctx.param("strong_methods"))
    weak_sev = _severity(ctx, "weak_severity", "warning")
    if tf.get("enabled") is not True:
        yield Problem(("security", "two_factor", "enabled") if "enabled" in tf else ("security", "two_factor"),
                      {"stronger": strong})
        return
    method = tf.get("method")
    if method is None:
        yield Problem(("security", "two_factor"), {"stronger": strong}, variant="no_method", severity=weak_sev)
    elif method in ctx.param("weak_methods"):
        yield Problem(("security", "two_factor", "method"), {"method": method, "stronger": strong},
                      variant="weak", severity=weak_sev)


# --------------------------------------------------------------------------- 4(3)

# password.check_policy codes -> message variant. Codes about a missing or
# mistyped field are left to the schema (which reports them under 4(3)).
_PASSWORD_VARIANTS = {
    "not-a-mapping": "not_mapping",
    "min-length-too-short": "min_length",
    "managed-by-not-allowed": "managed_by",
    "not-unique": "unique",
    "last-changed-missing": "last_changed_missing",
    "last-changed-too-old": "last_changed_old",
}


@rule("account-password-policy", kinds=("account",))
def account_password_policy(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(3): the declared password rules meet the policy (length, kept in a password
    manager, unique per account, optionally changed within ``max_age_days``)."""
    if is_closed(doc):
        return
    declared = doc.get("security", "password")
    if declared is None:
        return  # schema: security.password is required
    params = {"min_length": ctx.param("min_length"), "allowed_managers": ctx.param("allowed_managers"),
              "require_unique": ctx.param("require_unique"), "max_age_days": ctx.param("max_age_days")}
    params = {k: v for k, v in params.items() if v is not None}
    for field_, code, args in password.check_policy(declared, params, ctx.today):
        variant = _PASSWORD_VARIANTS.get(code)
        if variant is None:
            continue
        at: tuple[str, ...] = ("security", "password", field_) if field_ else ("security", "password")
        safe = {k: v for k, v in args.items() if k != "declared" or code == "min-length-too-short"}
        if code == "managed-by-not-allowed":
            safe = {"allowed": args.get("allowed", [])}  # never echo the value: it might be a password
        yield Problem(at, safe, variant=variant)
    changed = parse_date(declared.get("last_changed_on")) if isinstance(declared, dict) else None
    if changed is not None and _far_future(changed, ctx):
        yield Problem(("security", "password", "last_changed_on"),
                      {"last_changed_on": changed.isoformat(), "days_ahead": (changed - ctx.today).days},
                      variant="last_changed_future")


# --------------------------------------------------------------------------- 4(4)


def _approved_for_account(doc: Document, by: Any, ctx: Context) -> bool:
    """Is ``by`` one of the people who may approve for this account (the policy's approver roles
    for ``accounts``: in Ube's policy, the manager)?"""
    eid = employee_id_text(by) if isinstance(by, (str, int)) else None
    return eid is not None and eid in current_approvers(doc, approver_fields(ctx.policy, "accounts"))


def _exception_covers(doc: Document, ctx: Context) -> bool:
    """An approved (by the manager), reasoned, unexpired holders_exception is in place."""
    exc = doc.get("holders_exception")
    if not isinstance(exc, dict) or not _approved_for_account(doc, exc.get("approved_by"), ctx):
        return False
    until = parse_date(exc.get("until"))
    reason = exc.get("reason")
    return isinstance(reason, str) and bool(reason.strip()) and until is not None and until >= ctx.today


def _people(doc: Document, ctx: Context) -> Iterator[tuple[str, str, tuple[Any, ...], dict[str, Any]]]:
    """(role, its name in ``ctx.lang``, YAML path, mapping) for the people of each approver role
    of the policy (Ube's: the manager, each deputy) and each holder."""
    for role in vocabulary(ctx.policy).approvers.roles:
        keys = tuple(role.field.split("."))
        value = doc.get(*keys)
        if isinstance(value, dict):
            yield role.name, role.title_in(ctx.lang), keys, value
        elif isinstance(value, list):
            for i, d in enumerate(value):
                if isinstance(d, dict):
                    yield role.name, role.title_in(ctx.lang), (*keys, i), d
    holder = HOLDER_NAME["en" if ctx.lang == "en" else "ja"]
    for i, h in holders(doc):
        yield "holder", holder, ("holders", i), h


HOLDER_NAME = {"ja": "担当者", "en": "holder"}


@rule("account-roster", kinds=("account",), depends_on=("roster",))
def account_roster(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(4): with a staff roster configured, the manager, deputies and holders exist in it,
    are in post (not 退職), and holders are still in the department written for them."""
    roster = ctx.repo.roster
    if roster is None or is_closed(doc):
        return
    departments = {fold_name(d) for d in (doc.get("departments") or []) if isinstance(d, str)} \
        if isinstance(doc.get("departments"), list) else set()
    statuses = vocabulary(ctx.policy).statuses
    # an approved exception covers leave as long as enough holders remain in post (a substitute while 育休)
    in_post = 0
    for _i, h in holders(doc):
        m = roster.get(h.get("employee_id")) if isinstance(h.get("employee_id"), str) else None
        if m is not None and roster_state(m, statuses) == "active":
            in_post += 1
    covered = _exception_covers(doc, ctx) and in_post >= int(ctx.param("required"))
    for role, role_name, path, person in _people(doc, ctx):
        eid = person.get("employee_id")
        if not isinstance(eid, str) or not eid.strip():
            continue  # missing or unquoted (001024 read as a number): the schema reports it
        args: dict[str, Any] = {"role": role_name,
                                "name": mask_name(person.get("name") or ""), "employee_id": mask_employee_id(eid),
                                "roster": roster.path}
        member = roster.get(eid)
        if member is None:
            yield Problem((*path, "employee_id"), args, variant="missing")
            continue
        args["line"] = member.line
        status = member.status.strip()
        state = roster_state(member, statuses)
        if state == "gone":
            yield Problem((*path, "employee_id"), {**args, "status": status[:20]}, variant="inactive")
            continue
        if state == "leave":
            # on leave with an approved exception (a substitute holder while 育休): noted, not a warning
            sev = Severity.INFO if role == "holder" and covered else Severity.WARNING
            yield Problem((*path, "employee_id"), {**args, "status": status[:20]}, variant="on_leave", severity=sev)
        name = person.get("name")
        if isinstance(name, str) and name.strip() and member.name and fold_name(name) != fold_name(member.name):
            yield Problem((*path, "name"), args, variant="name", severity=Severity.WARNING)
        if not member.department:
            continue
        dept = person.get("department") if role == "holder" else None
        in_roster = roster_departments(member.department)
        if isinstance(dept, str) and dept.strip():
            if not same_department(dept, in_roster):
                yield Problem((*path, "department"), {**args, "department": member.department[:40]}, variant="moved")
        elif departments and not any(same_department(d, departments) for d in in_roster):
            sev = Severity.ERROR if role == "manager" else Severity.WARNING
            yield Problem((*path, "employee_id"), {**args, "department": member.department[:40]},
                          variant="moved_out", severity=sev)


@rule("account-review", kinds=("account",), depends_on=("roster",))
def account_review(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(4): credentials reviewed (security.reviewed_on) on or after the newest holder
    assignment, not in the future; the password changed after it too (warning)."""
    if is_closed(doc):
        return
    newest = newest_assignment(doc)
    reviewed = parse_date(doc.get("security", "reviewed_on"))
    if reviewed is not None and _far_future(reviewed, ctx):
        yield Problem(("security", "reviewed_on"),
                      {"reviewed_on": reviewed.isoformat(), "days_ahead": (reviewed - ctx.today).days},
                      variant="future")
    if newest is None:
        return
    assigned, idx = newest
    args = {"assigned_on": assigned.isoformat(), "name": mask_name(doc.get("holders", idx, "name") or "")}
    if reviewed is not None and reviewed < assigned:
        yield Problem(("security", "reviewed_on"), {**args, "reviewed_on": reviewed.isoformat()})
    changed = parse_date(doc.get("security", "password", "last_changed_on"))
    if changed is not None and changed < assigned and bool(ctx.param("password_after_change")):
        yield Problem(("security", "password", "last_changed_on"), {**args, "last_changed_on": changed.isoformat()},
                      variant="password", severity=_severity(ctx, "password_severity", "warning"))
