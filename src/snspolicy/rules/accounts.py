"""Clause 3(1), 3(2), 4(5) and 8 rules on account files (accounts/*.yaml): the account's record.

* ``account-approval`` (3(1)) — the manager approved using the service, before the first post;
* ``account-manager``, ``account-operating-rules``, ``account-duplicate`` (3(2)) — a section
  head as manager, the departments sharing the account, written operating rules, one file
  per account;
* ``registry-stale`` (4(5)) — the committed 一覧表 matches the account files, and each account
  was re-submitted after its newest change of holders;
* ``account-disclaimer`` (8) — the profile links the published disclaimer.

The rules about running an account (4(1)-(4)) are in :mod:`snspolicy.rules.security`. One
function per rule id; messages, severities and parameters are in
``policy/<city>/<version>/rules/accounts.yaml``.

Account status (decided here, documented in the policy's rule docs):

* ``active`` and ``suspended`` accounts get every check: a suspended account
  still exists on the platform and can still be taken over.
* ``closed`` accounts keep the record checks (3(1) approval, 3(2) manager,
  operating rules, duplicates) and the repo-wide secret scan, and skip the checks
  about running an account (4(1) holders, 4(2) two-factor, 4(3) password rules,
  4(4) roster and review, 4(5) re-submission, 8 disclaimer). A closed account is
  still listed in the 一覧表 (状態: 廃止).

Personal data never goes into a message in full: these rules name no person, and the cells of
a committed 一覧表 are masked by :mod:`snspolicy.domain.holders_list` before they reach a message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from snspolicy.core.model import Problem, Severity, Span
from snspolicy.core.values import parse_date
from snspolicy.domain.accounts import (
    account_id,
    far_future,
    holders,
    is_closed,
    newest_assignment,
    normalize_handle,
    normalize_url,
)
from snspolicy.domain.holders_list.stale import compare_registry, difference_args, registry_accounts
from snspolicy.domain.posts import APPROVAL_STATUSES, publish_date
from snspolicy.domain.staff import current_approvers, employee_id_text, fold_name, is_section_head, same_department
from snspolicy.domain.vocabulary import approver_fields, vocabulary
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule


def _severity(ctx: Context, name: str, default: str) -> Severity:
    try:
        return Severity.parse(ctx.param(name))
    except (KeyError, AttributeError):
        return Severity.parse(default)


def _far_future(d: dt.date, ctx: Context) -> bool:
    return far_future(d, ctx.today, ctx.param("max_future_days"))


# --------------------------------------------------------------------------- 3(1)


def _first_use(ctx: Context) -> dict[str, tuple[dt.date, str]]:
    """Per account id: the JST date of its earliest post past the draft stage, and that post's path.

    A post approved by someone who is not the account's manager or deputy now was approved
    under an earlier manager: it does not count as use before the current manager's approval
    (the new manager's re-approval after a personnel change is not "used before approval").
    Kept in the repo's cache under the digests of every post and account read (a second run of
    an unchanged repo does not read every post's date again).
    """
    cache = ctx.shared.get("accounts.first_use")
    if cache is None:
        key = _first_use_key(ctx)
        rows = _first_use_rows(ctx) if key is None else ctx.remember(key, lambda: _first_use_rows(ctx))
        cache = {acc: (dt.date.fromisoformat(day), path) for acc, day, path in rows}
        ctx.shared["accounts.first_use"] = cache
    return cache


def _first_use_key(ctx: Context) -> str | None:
    """The cache key of :func:`_first_use`: the path and digest of every post and account it reads
    (None when one was not read from disk, such as an editor's unsaved buffer)."""
    import hashlib

    h = hashlib.sha256()
    for doc in [*ctx.repo.by_kind("post"), *ctx.repo.by_kind("account")]:
        if not doc.digest:
            return None
        h.update(f"{doc.kind}\0{doc.path}\0{doc.digest}\n".encode("utf-8", "surrogatepass"))
    return f"account-approval|first-use|{h.hexdigest()}"


def _first_use_rows(ctx: Context) -> list[list[str]]:
    """:func:`_first_use` as JSON rows: account id, ISO date, post path."""
    first: dict[str, tuple[dt.date, str]] = {}
    fields = approver_fields(ctx.policy, "posts")
    approvers: dict[str, set[str]] = {}  # per account, computed once
    for post in ctx.repo.by_kind("post"):
        acc = post.get("account")
        if not isinstance(acc, str) or post.get("status") not in APPROVAL_STATUSES:
            continue
        by = post.get("approval", "approved_by")
        if acc not in approvers:
            approvers[acc] = current_approvers(ctx.repo.accounts.get(acc), fields)
        if isinstance(by, str) and by.strip() and by.strip() not in approvers[acc]:
            continue
        day = publish_date(post)
        if day is None:
            continue
        if acc not in first or (day, post.path) < first[acc]:
            first[acc] = (day, post.path)
    return [[acc, day.isoformat(), path] for acc, (day, path) in sorted(first.items())]


@rule("account-approval", kinds=("account",), depends_on=("post",))
def account_approval(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(1): the manager approved using the service, on or before the first post, not in the future."""
    appr = doc.get("approval")
    if not isinstance(appr, dict):
        return  # missing approval: the schema reports it under 3(1)
    allowed = current_approvers(doc, approver_fields(ctx.policy, "accounts"))
    by = employee_id_text(appr.get("approved_by")) if isinstance(appr.get("approved_by"), (str, int)) else None
    if by is not None and allowed and by not in allowed:
        yield Problem(("approval", "approved_by"), variant="approver")
    on = parse_date(appr.get("approved_on"))
    if on is None:
        return  # malformed date: schema finding
    if _far_future(on, ctx):
        yield Problem(("approval", "approved_on"), {"approved_on": on.isoformat(), "days_ahead": (on - ctx.today).days}, variant="future")
        return
    first = _first_use(ctx).get(account_id(doc))
    if first is not None and on > first[0]:
        yield Problem(("approval", "approved_on"),
                      {"approved_on": on.isoformat(), "first_post": first[1], "first_date": first[0].isoformat()},
                      variant="after_use")


# --------------------------------------------------------------------------- 3(2)


@rule("account-manager", kinds=("account",), depends_on=("roster",))
def account_manager(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(2): a manager who is a section head; departments sharing the account listed once each;
    every holder belongs to one of them."""
    manager = doc.get("manager")
    titles = vocabulary(ctx.policy).section_heads
    if isinstance(manager, dict):
        title = manager.get("title")
        roster = ctx.repo.roster
        member = roster.get(manager.get("employee_id")) if roster is not None else None
        if roster is not None and member is not None and member.title and not is_section_head(member.title, titles):
            yield Problem(("manager", "employee_id"), {"title": member.title[:40], "roster": roster.path},
                          variant="roster_not_head", severity=_severity(ctx, "roster_not_head_severity", "error"))
        elif isinstance(title, str) and title.strip() and not is_section_head(title, titles):
            yield Problem(("manager", "title"), {"title": title.strip()[:40]}, variant="not_head",
                          severity=_severity(ctx, "not_head_severity", "warning"))
    departments = doc.get("departments")
    if not isinstance(departments, list):
        return
    seen: set[str] = set()
    for i, d in enumerate(departments):
        if isinstance(d, str) and d.strip():
            if fold_name(d) in seen:
                yield Problem(("departments", i), {"department": d.strip()[:40]}, variant="duplicate_department",
                              severity=Severity.WARNING)
            seen.add(fold_name(d))
    if not seen or is_closed(doc):
        return
    for i, h in holders(doc):
        dept = h.get("department")
        if isinstance(dept, str) and dept.strip() and not same_department(dept, seen):
            yield Problem(("holders", i, "department"), {"department": dept.strip()[:40]},
                          variant="holder_department", severity=Severity.WARNING)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@rule("account-operating-rules", kinds=("account",), depends_on=("doc",))
def account_operating_rules(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(2): operating rules are a non-empty file in the repo, or an https URL."""
    ref = doc.get("operating_rules")
    if not isinstance(ref, str) or not ref.strip():
        return  # schema: required, non-empty string
    ref = ref.strip()
    at = ("operating_rules",)
    low = ref.lower()
    if low.startswith("https://"):
        if not urlsplit(ref).hostname:
            yield Problem(at, variant="bad_url")
        return
    if low.startswith("http://"):
        yield Problem(at, variant="http")
        return
    if _SCHEME.match(ref) and not re.match(r"^[A-Za-z]:[\\/]", ref):
        yield Problem(at, {"scheme": ref.split(":", 1)[0][:10]}, variant="scheme")
        return
    rel = ref.split("#", 1)[0].replace("\\", "/")
    if rel.startswith("/") or re.match(r"^[A-Za-z]:/", rel):
        yield Problem(at, {"path": rel[:120]}, variant="absolute")
        return
    if not ctx.repo.exists(rel):
        yield Problem(at, {"path": rel[:120]}, variant="missing")
        return
    try:
        with open(ctx.repo.root / rel, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        yield Problem(at, {"path": rel[:120]}, variant="missing")
        return
    if not head.strip():
        yield Problem(at, {"path": rel[:120]}, variant="empty")


def _account_index(ctx: Context) -> dict[str, list[Document]]:
    cache = ctx.shared.get("accounts.index")
    if cache is None:
        cache = {}
        for d in sorted(ctx.repo.by_kind("account"), key=lambda d: d.path):
            if not isinstance(d.data, dict):
                continue
            keys = {("id", account_id(d))}
            h = normalize_handle(d.get("handle"))
            if h:
                keys.add(("handle", f"{d.get('platform')}|{h}"))
            u = normalize_url(d.get("url"))
            if u:
                keys.add(("url", u))
            for k in keys:
                cache.setdefault("|".join(k), []).append(d)
        ctx.shared["accounts.index"] = cache
    return cache


@rule("account-duplicate", kinds=("account",), depends_on=("account",))
def account_duplicate(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(2): one account, one file: the same id, handle (on one platform) or URL in two files
    is reported on the later file (by path), naming the first; ``id`` equals the file name."""
    stem = Path(doc.path).stem
    raw_id = doc.get("id")
    if isinstance(raw_id, str) and raw_id and raw_id != stem:
        yield Problem(("id",), {"id": raw_id[:60], "stem": stem[:60]}, variant="id_stem")
    index = _account_index(ctx)
    handle = normalize_handle(doc.get("handle"))
    checks = (
        ("id", account_id(doc), ("id",)),
        ("handle", f"{doc.get('platform')}|{handle}" if handle else None, ("handle",)),
        ("url", normalize_url(doc.get("url")), ("url",)),
    )
    for kind, key, at in checks:
        if not key:
            continue
        docs = index.get(f"{kind}|{key}", [])
        if len(docs) > 1 and docs[0] is not doc and any(d is doc for d in docs):
            yield Problem(at, {"first": docs[0].path}, variant=kind, fingerprint_extra=f"{kind}|{docs[0].path}")


# --------------------------------------------------------------------------- 4(5)


@rule("registry-stale", kinds=("repo",), depends_on=("account",))
def registry_stale(doc: Document | None, ctx: Context) -> Iterator[Problem]:
    """4(5): the committed 一覧表 (``registry:`` in snspolicy.yaml) matches the account files;
    each account's ``registry_submitted_on`` is not before its newest holder assignment."""
    repo = ctx.repo
    for acc in sorted(repo.by_kind("account"), key=lambda d: d.path):
        if not isinstance(acc.data, dict) or is_closed(acc) or not repo.reportable(acc.path):
            continue
        yield from _submission(acc, ctx)
    rel = getattr(repo.config, "registry", None)
    if not rel or not isinstance(rel, str):
        return
    rel = rel.replace("\\", "/")
    if not repo.exists(rel):
        yield Problem(Span(), {"registry": rel}, variant="missing", path=rel)
        return
    for d in compare_registry(repo.root / rel, registry_accounts(repo), ctx.lang):
        variant, args = difference_args(d, ctx.lang)
        yield Problem(Span(max(int(d.line or 1), 1), 1), {**args, "registry": rel}, variant=variant, path=rel,
                      fingerprint_extra=f"{d.kind}|{args['account']}|{d.column_key or d.column}")


def _submission(acc: Document, ctx: Context) -> Iterator[Problem]:
    submitted_raw = acc.get("registry_submitted_on")
    newest = newest_assignment(acc)
    at = ("registry_submitted_on",)
    span = acc.span(at)
    if submitted_raw is None:
        if bool(ctx.param("require_submission")):
            yield Problem(span, variant="not_submitted", path=acc.path, severity=Severity.WARNING,
                          fingerprint_extra="not_submitted")
        return
    submitted = parse_date(submitted_raw)
    if submitted is None:
        return  # schema
    if _far_future(submitted, ctx):
        yield Problem(span, {"submitted_on": submitted.isoformat(), "days_ahead": (submitted - ctx.today).days},
                      variant="submitted_future", path=acc.path,
                      fingerprint_extra="submitted_future")
    elif newest is not None and submitted < newest[0]:
        yield Problem(span, {"submitted_on": submitted.isoformat(), "assigned_on": newest[0].isoformat()},
                      variant="resubmit", path=acc.path, fingerprint_extra="resubmit")


# --------------------------------------------------------------------------- 8


def _host_allowed(host: str, allowed: list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == a or host.endswith("." + a) for a in (str(x).lower().strip().rstrip(".") for x in allowed) if a)


@rule("account-disclaimer", kinds=("account",))
def account_disclaimer(doc: Document, ctx: Context) -> Iterator[Problem]:
    """8: the profile links the published disclaimer over https (on an allowed host, when listed)."""
    if is_closed(doc):
        return
    url = doc.get("profile", "disclaimer_url")
    if not isinstance(url, str) or not url.strip():
        return  # schema: profile.disclaimer_url is required (clause 8)
    at = ("profile", "disclaimer_url")
    u = url.strip()
    try:
        parts = urlsplit(u)
        host = parts.hostname or ""
    except ValueError:
        yield Problem(at, variant="bad_url")
        return
    if parts.scheme.lower() == "http":
        yield Problem(at, variant="http")
        return
    if parts.scheme.lower() != "https" or not host:
        yield Problem(at, variant="bad_url")
        return
    allowed = ctx.param("allowed_hosts") or []
    if isinstance(allowed, list) and allowed and not _host_allowed(host, allowed):
        yield Problem(at, {"host": host[:80], "allowed": [str(a) for a in allowed]}, variant="host",
                      severity=_severity(ctx, "host_severity", "warning"))
