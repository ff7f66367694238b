"""Clause 3(1), 3(2), 4 and 8 rules on account files (accounts/*.yaml).

One function per rule id; messages, severities and parameters are in
``policy/<city>/<version>/rules/accounts.yaml``.

Account status (decided here, documented in the policy's rule docs):

* ``active`` and ``suspended`` accounts get every check: a suspended account
  still exists on the platform and can still be taken over.
* ``closed`` accounts keep the record checks (3(1) approval, 3(2) manager,
  operating rules, duplicates) and the repo-wide secret scan, and skip the checks
  about running an account (4(1) holders, 4(2) two-factor, 4(3) password rules,
  4(4) roster and review, 4(5) re-submission, 8 disclaimer). A closed account is
  still listed in the 一覧表 (状態: 廃止).

Personal data never goes into a message in full: names are masked with
:func:`snspolicy.mask.mask_name`, employee ids with :func:`_mask_id`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from snspolicy.core.values import JST, parse_date, parse_datetime, same_id
from snspolicy.rules.api import Context
from snspolicy.io.documents import Document
from snspolicy.core.mask import mask_generic, mask_name
from snspolicy.domain.holders_list.stale import compare_registry, difference_args, registry_accounts
from snspolicy.core.model import Problem, Severity, Span
from snspolicy.rules.api import rule

# --------------------------------------------------------------------------- helpers

POST_USE_STATUSES = ("approved", "scheduled", "published", "deleted")  # a draft is not use


def _closed(doc: Document) -> bool:
    return doc.get("status") == "closed"


def account_id(doc: Document) -> str:
    """The account's id (the file name stem when ``id`` is missing or not text)."""
    value = doc.get("id")
    return value if isinstance(value, str) and value else Path(doc.path).stem


def _mask_id(value: Any) -> str:
    """``'200202'`` -> ``'2*****'``: enough to tell ids apart in a message, not to copy one."""
    return mask_generic(str(value).strip(), keep=2) if value is not None else ""


def _norm(text: Any) -> str:
    """NFKC, no whitespace at all (HR writes 常盤　正和, YAML 常盤 正和), case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).casefold()


def _severity(ctx: Context, name: str, default: str) -> Severity:
    try:
        return Severity.parse(ctx.param(name, default))
    except (KeyError, AttributeError):
        return Severity.parse(default)


def far_future(d: dt.date, ctx: Context) -> bool:
    """A date more than ``max_future_days`` (default 1096, three years) after today: a typo
    (2052 for 2025) that would otherwise satisfy every "on or after" check for decades.

    Dates a little in the future are accepted on purpose: the record of a personnel
    change effective 4月1日 is usually prepared in March (assigned_on, reviewed_on,
    last_changed_on and registry_submitted_on all set to the effective date).
    """
    try:
        limit = int(ctx.param("max_future_days", 1096))
    except (TypeError, ValueError):
        limit = 1096
    return (d - ctx.today).days > limit


def _holders(doc: Document) -> list[tuple[int, dict]]:
    holders = doc.get("holders")
    if not isinstance(holders, list):
        return []
    return [(i, h) for i, h in enumerate(holders) if isinstance(h, dict)]


def _newest_assignment(doc: Document) -> tuple[dt.date, int] | None:
    """(newest holders[].assigned_on, its index) or None."""
    best: tuple[dt.date, int] | None = None
    for i, h in _holders(doc):
        d = parse_date(h.get("assigned_on"))
        if d is not None and (best is None or d > best[0]):
            best = (d, i)
    return best


# --------------------------------------------------------------------------- 3(1)


def current_approvers(account: Document | None) -> set[str]:
    """Employee ids (stripped text) of the account's manager and deputies."""
    if account is None:
        return set()
    out: set[str] = set()
    people = [account.get("manager")]
    deputies = account.get("deputies")
    people += list(deputies) if isinstance(deputies, list) else []
    for p in people:
        value = p.get("employee_id") if isinstance(p, dict) else p if isinstance(p, str) else None
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            out.add(str(value).strip())
    return out


def approved_earlier_regime(account: Document | None, approved_by: Any, when: Any) -> bool:
    """Was this approval given under an earlier manager? True when ``approved_by`` is not a current
    manager or deputy and ``when`` is before the account's ``approval.approved_on``.

    After a change of manager (人事異動 on 4月1日) the new manager approves the account again
    (3(1)); approvals of posts, revisions and deletions given before that by the manager or a
    deputy of the time stay valid: they are history, not something to approve again.
    """
    if account is None or approved_by is None or isinstance(approved_by, bool):
        return False
    if str(approved_by).strip() in current_approvers(account):
        return False
    since = parse_date(account.get("approval", "approved_on"))
    on = parse_date(when) if not isinstance(when, bool) else None
    return since is not None and on is not None and on < since


def _first_use(ctx: Context) -> dict[str, tuple[dt.date, str]]:
    """Per account id: the JST date of its earliest non-draft post, and that post's path.

    A post approved by someone who is not the account's manager or deputy now was approved
    under an earlier manager: it does not count as use before the current manager's approval
    (the new manager's re-approval after a personnel change is not "used before approval").
    """
    cache = ctx.shared.get("accounts.first_use")
    if cache is None:
        cache = {}
        for post in ctx.repo.by_kind("post"):
            acc = post.get("account")
            if not isinstance(acc, str) or post.get("status") not in POST_USE_STATUSES:
                continue
            by = post.get("approval", "approved_by")
            if isinstance(by, str) and by.strip() and by.strip() not in current_approvers(ctx.repo.accounts.get(acc)):
                continue
            when = parse_datetime(post.get("publish_at"))
            if when is None:
                continue
            day = when.astimezone(JST).date()
            if acc not in cache or (day, post.path) < cache[acc]:
                cache[acc] = (day, post.path)
        ctx.shared["accounts.first_use"] = cache
    return cache


@rule("account-approval", kinds=("account",))
def account_approval(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(1): the manager approved using the service, on or before the first post, not in the future."""
    appr = doc.get("approval")
    if not isinstance(appr, dict):
        return  # missing approval: the schema reports it under 3(1)
    manager = doc.get("manager", "employee_id")
    by = appr.get("approved_by")
    if by is not None and manager is not None and not same_id(by, manager):
        yield Problem(("approval", "approved_by"), variant="approver")
    on = parse_date(appr.get("approved_on"))
    if on is None:
        return  # malformed date: schema finding
    if far_future(on, ctx):
        yield Problem(("approval", "approved_on"), {"approved_on": on.isoformat(), "days_ahead": (on - ctx.today).days}, variant="future")
        return
    first = _first_use(ctx).get(account_id(doc))
    if first is not None and on > first[0]:
        yield Problem(("approval", "approved_on"),
                      {"approved_on": on.isoformat(), "first_post": first[1], "first_date": first[0].isoformat()},
                      variant="after_use")


# --------------------------------------------------------------------------- 3(2)

_DEFAULT_HEAD = r"(課|室|館|所|局|部|場|園|署|センター|事務局|本部|支所|校|院|事務)長$|^(市長|副市長|教育長|会計管理者)$"
# 副館長, 担当課長, 課長代理 … end like a head's title but are not 各課等の長
_DEFAULT_NOT_HEAD = r"(副|担当|代理)(課|室|館|所|局|部|場|園|署|センター|事務局|本部|支所|校|院|事務)長$"


def _is_head(title: str, pattern: str, not_pattern: str = _DEFAULT_NOT_HEAD) -> bool:
    t = re.sub(r"[（(][^）)]*[）)]\s*$", "", unicodedata.normalize("NFKC", title))
    t = re.sub(r"\s+", "", t)
    try:
        if not_pattern and re.search(not_pattern, t):
            return False
    except re.error:
        pass
    try:
        return re.search(pattern, t) is not None
    except re.error:
        return re.search(_DEFAULT_HEAD, t) is not None


@rule("account-manager", kinds=("account",))
def account_manager(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(2): a manager who is a section head; departments sharing the account listed once each;
    every holder belongs to one of them."""
    manager = doc.get("manager")
    pattern = str(ctx.param("head_title_pattern", _DEFAULT_HEAD))
    not_pattern = str(ctx.param("not_head_title_pattern", _DEFAULT_NOT_HEAD) or "")
    if isinstance(manager, dict):
        title = manager.get("title")
        roster = ctx.repo.roster
        member = roster.get(manager.get("employee_id")) if roster is not None else None
        if member is not None and member.title and not _is_head(member.title, pattern, not_pattern):
            yield Problem(("manager", "employee_id"), {"title": member.title[:40], "roster": roster.path},
                          variant="roster_not_head", severity=_severity(ctx, "roster_not_head_severity", "error"))
        elif isinstance(title, str) and title.strip() and not _is_head(title, pattern, not_pattern):
            yield Problem(("manager", "title"), {"title": title.strip()[:40]}, variant="not_head",
                          severity=_severity(ctx, "not_head_severity", "warning"))
    departments = doc.get("departments")
    if not isinstance(departments, list):
        return
    seen: set[str] = set()
    for i, d in enumerate(departments):
        if isinstance(d, str) and d.strip():
            if _norm(d) in seen:
                yield Problem(("departments", i), {"department": d.strip()[:40]}, variant="duplicate_department",
                              severity=Severity.WARNING)
            seen.add(_norm(d))
    if not seen or _closed(doc):
        return
    for i, h in _holders(doc):
        dept = h.get("department")
        if isinstance(dept, str) and dept.strip() and not same_department(dept, seen):
            yield Problem(("holders", i, "department"), {"department": dept.strip()[:40]},
                          variant="holder_department", severity=Severity.WARNING)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@rule("account-operating-rules", kinds=("account",))
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


# Host spellings that name the same site (compared after removing "www." / "m.").
_HOST_ALIASES = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "mobile.x.com": "x.com",
                 "fb.com": "facebook.com", "instagr.am": "instagram.com", "youtu.be": "youtube.com"}


def normalize_url(url: Any) -> str | None:
    """Compare URLs ignoring scheme, ``www.``/``m.``, case, trailing slash, query and fragment.

    ``https://www.instagram.com/Ube_City/?hl=ja`` and ``http://instagram.com/ube_city``
    give the same key. None for something that is not an http(s) URL with a host.
    """
    if not isinstance(url, str) or not url.strip():
        return None
    s = url.strip()
    if "://" not in s:
        s = "https://" + s
    try:
        parts = urlsplit(s)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    host = _HOST_ALIASES.get(host, host)
    path = unquote(parts.path).rstrip("/").lower()
    return host + path


def normalize_handle(handle: Any) -> str | None:
    """``'@Ube_City '`` -> ``'ube_city'`` (NFKC, no leading @, case-folded)."""
    if not isinstance(handle, str):
        return None
    h = unicodedata.normalize("NFKC", handle).strip().lstrip("@").strip().casefold()
    return h or None


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


@rule("account-duplicate", kinds=("account",))
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


# --------------------------------------------------------------------------- 4(1)


@rule("account-holders", kinds=("account",))
def account_holders(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(1): exactly ``required`` distinct holders, or an approved, unexpired exception
    (and never fewer than ``min_holders``, exception or not)."""
    if _closed(doc):
        return
    holders = doc.get("holders")
    if not isinstance(holders, list):
        return  # the schema reports a missing or malformed list
    required = int(ctx.param("required", 2))
    minimum = int(ctx.param("min_holders", 1))
    seen: set[str] = set()
    count = 0
    for i, h in enumerate(holders):
        eid = h.get("employee_id") if isinstance(h, dict) else None
        if eid is None:
            count += 1
            continue
        key = str(eid).strip()
        if key in seen:
            yield Problem(("holders", i, "employee_id"), {"employee_id": _mask_id(key)}, variant="duplicate")
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
    if not same_id(exc.get("approved_by"), doc.get("manager", "employee_id")):
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
    if _closed(doc):
        return
    tf = doc.get("security", "two_factor")
    if not isinstance(tf, dict):
        return  # schema
    strong = list(ctx.param("strong_methods", ["security_key", "passkey", "totp", "app"]))
    weak_sev = _severity(ctx, "weak_severity", "warning")
    if tf.get("enabled") is not True:
        yield Problem(("security", "two_factor", "enabled") if "enabled" in tf else ("security", "two_factor"),
                      {"stronger": strong})
        return
    method = tf.get("method")
    if method is None:
        yield Problem(("security", "two_factor"), {"stronger": strong}, variant="no_method", severity=weak_sev)
    elif method in ctx.param("weak_methods", ["sms", "email"]):
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
    from snspolicy.domain import password

    if _closed(doc):
        return
    declared = doc.get("security", "password")
    if declared is None:
        return  # schema: security.password is required
    params = {k: ctx.param(k) for k in ("min_length", "allowed_managers", "require_unique", "max_age_days")}
    params = {k: v for k, v in params.items() if v is not None}
    for field_, code, args in password.check_policy(declared, params, ctx.today):
        variant = _PASSWORD_VARIANTS.get(code)
        if variant is None:
            continue
        at: tuple = ("security", "password", field_) if field_ else ("security", "password")
        safe = {k: v for k, v in args.items() if k != "declared" or code == "min-length-too-short"}
        if code == "managed-by-not-allowed":
            safe = {"allowed": args.get("allowed", [])}  # never echo the value: it might be a password
        yield Problem(at, safe, variant=variant)
    changed = parse_date(declared.get("last_changed_on")) if isinstance(declared, dict) else None
    if changed is not None and far_future(changed, ctx):
        yield Problem(("security", "password", "last_changed_on"), {"last_changed_on": changed.isoformat(), "days_ahead": (changed - ctx.today).days},
                      variant="last_changed_future")


# --------------------------------------------------------------------------- 4(4)

_ON_LEAVE = {"休職", "休業", "育休", "育児休業", "病休", "on leave", "leave"}
# 在職区分 words meaning the person has left (an error); other words that are not in
# the roster's active list are read as leave (休…, 出向, 派遣: a warning) or, when
# unknown (再任用, 会計年度任用 …: kinds of employment, not states), as in post.
_GONE = ("退職", "離職", "退任", "任期満了", "死亡", "失職", "免職", "解職", "retired", "left", "resigned")
_AWAY = ("休", "出向", "派遣", "研修", "leave")


def staff_state(member: Any) -> str:
    """``'active'``, ``'leave'`` or ``'gone'`` for a roster member (by its 在職区分).

    HR exports differ: ``育児休業`` / ``病気休暇`` / ``出向`` are leave, ``退職`` / ``任期満了``
    mean the person left, ``会計年度任用`` / ``再任用`` are kinds of employment (in post).
    """
    status = unicodedata.normalize("NFKC", str(getattr(member, "status", "") or "")).strip().lower()
    if "予定" in status:  # 退職予定: still in post, to be replaced soon
        return "leave"
    if any(w in status for w in _GONE):
        return "gone"
    if status in _ON_LEAVE or any(w in status for w in _AWAY):
        return "leave"
    return "active"


_DEPT_SPLIT = re.compile(r"[・、,，/／;；\n]|兼務?|併任|兼任|事務取扱")


def roster_departments(value: Any) -> set[str]:
    """The departments in a roster cell (兼務: ``総務課・企画政策課``, ``企画政策課（総務課兼務）``)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    parts = _DEPT_SPLIT.split(re.sub(r"[()（）「」\[\]【】]", "・", text))
    return {_norm(p) for p in parts if _norm(p)} | ({_norm(text)} if _norm(text) else set())


def _state(member: Any) -> str:
    """The roster's own reading first (its active list), then :func:`staff_state` for the rest."""
    if member.active and member.status.strip().lower() not in _ON_LEAVE:
        return "active"
    return staff_state(member)


def same_department(a: Any, others: set[str]) -> bool:
    """Is department ``a`` one of ``others`` (normalized with :func:`_norm`)? A section and its
    係 are the same department: ``産業振興課観光係`` matches ``産業振興課`` and the reverse."""
    x = _norm(a)
    return bool(x) and any(x == o or (len(o) >= 2 and x.startswith(o)) or (len(x) >= 2 and o.startswith(x))
                           for o in others if o)


def _exception_covers(doc: Document, ctx: Context) -> bool:
    """An approved (by the manager), reasoned, unexpired holders_exception is in place."""
    exc = doc.get("holders_exception")
    if not isinstance(exc, dict) or not same_id(exc.get("approved_by"), doc.get("manager", "employee_id")):
        return False
    until = parse_date(exc.get("until"))
    reason = exc.get("reason")
    return isinstance(reason, str) and bool(reason.strip()) and until is not None and until >= ctx.today


def _people(doc: Document) -> Iterator[tuple[str, tuple, dict]]:
    """(role, YAML path, mapping) for the manager, each deputy and each holder."""
    m = doc.get("manager")
    if isinstance(m, dict):
        yield "manager", ("manager",), m
    deps = doc.get("deputies")
    if isinstance(deps, list):
        for i, d in enumerate(deps):
            if isinstance(d, dict):
                yield "deputy", ("deputies", i), d
    for i, h in _holders(doc):
        yield "holder", ("holders", i), h


ROLE_NAMES = {"manager": {"ja": "管理者", "en": "manager"}, "deputy": {"ja": "代理承認者", "en": "deputy"},
              "holder": {"ja": "担当者", "en": "holder"}}


@rule("account-roster", kinds=("account",))
def account_roster(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(4): with a staff roster configured, the manager, deputies and holders exist in it,
    are in post (not 退職), and holders are still in the department written for them."""
    roster = ctx.repo.roster
    if roster is None or _closed(doc):
        return
    departments = {_norm(d) for d in (doc.get("departments") or []) if isinstance(d, str)} \
        if isinstance(doc.get("departments"), list) else set()
    # an approved exception covers leave as long as enough holders remain in post (a substitute while 育休)
    in_post = 0
    for _i, h in _holders(doc):
        m = roster.get(h.get("employee_id")) if isinstance(h.get("employee_id"), str) else None
        if m is not None and _state(m) == "active":
            in_post += 1
    covered = _exception_covers(doc, ctx) and in_post >= int(ctx.param("required", 2))
    for role, path, person in _people(doc):
        eid = person.get("employee_id")
        if not isinstance(eid, str) or not eid.strip():
            continue  # missing or unquoted (001024 read as a number): the schema reports it
        args = {"role": ROLE_NAMES[role][ctx.lang if ctx.lang in ("ja", "en") else "ja"],
                "name": mask_name(person.get("name") or ""), "employee_id": _mask_id(eid), "roster": roster.path}
        member = roster.get(eid)
        if member is None:
            yield Problem((*path, "employee_id"), args, variant="missing")
            continue
        args["line"] = member.line
        status = member.status.strip()
        state = _state(member)
        if state == "gone":
            yield Problem((*path, "employee_id"), {**args, "status": status[:20]}, variant="inactive")
            continue
        if state == "leave":
            # on leave with an approved exception (a substitute holder while 育休): noted, not a warning
            sev = Severity.INFO if role == "holder" and covered else Severity.WARNING
            yield Problem((*path, "employee_id"), {**args, "status": status[:20]}, variant="on_leave", severity=sev)
        name = person.get("name")
        if isinstance(name, str) and name.strip() and member.name and _norm(name) != _norm(member.name):
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


@rule("account-review", kinds=("account",))
def account_review(doc: Document, ctx: Context) -> Iterator[Problem]:
    """4(4): credentials reviewed (security.reviewed_on) on or after the newest holder
    assignment, not in the future; the password changed after it too (warning)."""
    if _closed(doc):
        return
    newest = _newest_assignment(doc)
    reviewed = parse_date(doc.get("security", "reviewed_on"))
    if reviewed is not None and far_future(reviewed, ctx):
        yield Problem(("security", "reviewed_on"), {"reviewed_on": reviewed.isoformat(), "days_ahead": (reviewed - ctx.today).days},
                      variant="future")
    if newest is None:
        return
    assigned, idx = newest
    args = {"assigned_on": assigned.isoformat(), "name": mask_name(doc.get("holders", idx, "name") or "")}
    if reviewed is not None and reviewed < assigned:
        yield Problem(("security", "reviewed_on"), {**args, "reviewed_on": reviewed.isoformat()})
    changed = parse_date(doc.get("security", "password", "last_changed_on"))
    if changed is not None and changed < assigned and bool(ctx.param("password_after_change", True)):
        yield Problem(("security", "password", "last_changed_on"), {**args, "last_changed_on": changed.isoformat()},
                      variant="password", severity=_severity(ctx, "password_severity", "warning"))


# --------------------------------------------------------------------------- 4(5)


@rule("registry-stale", kinds=("repo",))
def registry_stale(doc: None, ctx: Context) -> Iterator[Problem]:
    """4(5): the committed 一覧表 (``registry:`` in snspolicy.yaml) matches the account files;
    each account's ``registry_submitted_on`` is not before its newest holder assignment."""
    repo = ctx.repo
    for acc in sorted(repo.by_kind("account"), key=lambda d: d.path):
        if not isinstance(acc.data, dict) or _closed(acc) or not repo.reportable(acc.path):
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
    newest = _newest_assignment(acc)
    at = ("registry_submitted_on",)
    span = acc.span(at)
    if submitted_raw is None:
        if bool(ctx.param("require_submission", True)):
            yield Problem(span, variant="not_submitted", path=acc.path, severity=Severity.WARNING,
                          fingerprint_extra="not_submitted")
        return
    submitted = parse_date(submitted_raw)
    if submitted is None:
        return  # schema
    if far_future(submitted, ctx):
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
    if _closed(doc):
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
    allowed = ctx.param("allowed_hosts", []) or []
    if isinstance(allowed, list) and allowed and not _host_allowed(host, allowed):
        yield Problem(at, {"host": host[:80], "allowed": [str(a) for a in allowed]}, variant="host",
                      severity=_severity(ctx, "host_severity", "warning"))
