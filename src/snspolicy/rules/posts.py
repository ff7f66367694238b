"""Clause 5, 6(6), 6(9), 6(10) and 3(4) rules on a post's front matter and the other files of the repo.

* ``post-approval`` (5) — an approved / scheduled / published / deleted post carries an
  approval by the account's manager or a deputy, dated on or before ``publish_at`` (JST date).
* ``post-self-approval`` (5) — the approver is not the author (two people see every post).
* ``post-revision-approval`` (5) — each revision after publishing is approved by the
  manager or a deputy and dated on or after publishing; an optional ``body_sha256`` of the
  latest revision must match the current body (see :func:`body_sha256`).
* ``post-deletion-record`` (5) — ``status: deleted`` goes with a ``deleted`` record approved by
  the manager or a deputy, and a ``deleted`` record goes with ``status: deleted``.
* ``post-author`` (6(9)) — the author is staff (in the roster and active when one is
  configured), or external with a section head's permission dated on or before publishing
  (who is a section head: :mod:`snspolicy.domain.staff`).
* ``post-embargo`` (6(10)) — ``publish_at`` is not before the embargo of the linked press
  release, nor of any press release whose keywords occur in the post's text and whose embargo
  is at most ``keyword_window_days`` (90) days after the post (an annual event's post from
  last year shares this year's keywords without revealing anything).
* ``post-media`` (6(6)) — each media file exists inside the repo, its rights record is complete
  for its source, and no identifiable person appears without consent.
* ``post-category`` (3(4)) — the category is one of the policy's categories.

Times are compared as aware datetimes; a time without a zone is JST (+09:00) and a
date-only ``publish_at`` means 00:00 JST of that day (see docs/time-and-dates.md).
Missing or mistyped fields are left to the schema check, which reports them with the
same clause; these rules never raise on odd input.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from snspolicy.core.model import Fix, Problem
from snspolicy.core.relazy import lazy
from snspolicy.core.values import JST, parse_date, same_id
from snspolicy.domain.posts import aware, body_sha256, not_yet_out, publish_at, publish_date
from snspolicy.domain.staff import (
    approved_earlier_regime,
    approver_ids,
    employee_id_text,
    head_status,
    staff_state,
)
from snspolicy.domain.vocabulary import approver_fields, vocabulary
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule

# ---------------------------------------------------------------- small helpers


def _checkable(value: Any) -> bool:
    """An id written as text. An unquoted id is a number (``001024`` even becomes 532, an octal
    number): the schema reports it, and comparing it would only add a misleading finding."""
    return isinstance(value, str) and bool(value.strip())


def _not_approver(account: Document | None, fields: tuple[str, ...], by_raw: Any, when: Any) -> bool:
    """Should an approval by ``by_raw`` on ``when`` be reported as not by one of the account's
    approvers (the people in ``fields``: the policy's roles, in Ube's the manager or a deputy)?"""
    if account is None or not _checkable(by_raw) or by_raw.strip() in approver_ids(account, fields):
        return False
    return not approved_earlier_regime(account, by_raw, when, fields)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _account(doc: Document, ctx: Context) -> Document | None:
    acc = doc.get("account")
    return ctx.repo.accounts.get(acc) if isinstance(acc, str) else None


def _date(value: Any) -> dt.date | None:
    try:
        return parse_date(value) if not isinstance(value, bool) else None
    except (ValueError, TypeError):
        return None


def _fmt_dt(value: dt.datetime) -> str:
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- clause 5


@rule("post-approval", kinds=("post",), depends_on=("account",))
def post_approval(doc: Document, ctx: Context) -> Iterator[Problem]:
    """5: an approval by the manager or a deputy, dated on or before the publishing day."""
    status = doc.get("status")
    if status not in tuple(ctx.param("statuses")):
        return
    pub_day = publish_date(doc)
    if pub_day is None and doc.get("publish_at") is None and status in tuple(ctx.param("need_publish_at")):
        yield Problem(("status",), {"status": status}, variant="no_publish_at")
    approval = doc.get("approval")
    if approval is None:
        yield Problem(("approval",) if "approval" in (doc.data or {}) else ("status",), {"status": status})
        return
    if not isinstance(approval, dict):
        return  # schema finding
    by = employee_id_text(approval.get("approved_by"))
    account = _account(doc, ctx)
    fields = approver_fields(ctx.policy, "posts")
    allowed = approver_ids(account, fields)
    if by is not None and _not_approver(account, fields, approval.get("approved_by"), approval.get("approved_on")):
        yield Problem(("approval", "approved_by"), {"approved_by": by, "approvers": allowed}, variant="approver")
    on = _date(approval.get("approved_on"))
    if on is not None and pub_day is not None and on > pub_day:
        yield Problem(("approval", "approved_on"), {"approved_on": on.isoformat(), "publish_date": pub_day.isoformat()},
                      variant="late")


def _author_id(author: Any) -> str | None:
    if isinstance(author, dict):
        return employee_id_text(author.get("employee_id"))
    return employee_id_text(author) if isinstance(author, (str, int)) else None


@rule("post-self-approval", kinds=("post",), depends_on=("account",))
def post_self_approval(doc: Document, ctx: Context) -> Iterator[Problem]:
    """5: nobody approves their own post (nor a revision they are recorded as the author of)."""
    author = _author_id(doc.get("author"))
    approval = doc.get("approval")
    if author and isinstance(approval, dict) and same_id(approval.get("approved_by"), author):
        yield Problem(("approval", "approved_by"), {"employee_id": author})
    revisions = doc.get("revisions")
    for i, rev in enumerate(revisions if isinstance(revisions, list) else []):
        if not isinstance(rev, dict):
            continue
        rev_author = _author_id(rev.get("author"))
        if rev_author and same_id(rev.get("approved_by"), rev_author):
            yield Problem(("revisions", i, "approved_by"), {"employee_id": rev_author, "on": str(rev.get("on") or "")},
                          variant="revision")


@rule("post-revision-approval", kinds=("post",), depends_on=("account",))
def post_revision_approval(doc: Document, ctx: Context) -> Iterator[Problem]:
    """5: every revision is approved by the manager or a deputy, on or after the publishing day."""
    revisions = doc.get("revisions")
    if not isinstance(revisions, list):
        return
    account = _account(doc, ctx)
    fields = approver_fields(ctx.policy, "revisions")
    allowed = approver_ids(account, fields)
    pub_day = publish_date(doc)
    latest: tuple[dt.date, int, dict] | None = None
    for i, rev in enumerate(revisions):
        if not isinstance(rev, dict):
            continue
        on = _date(rev.get("on"))
        by = employee_id_text(rev.get("approved_by"))
        if by is None:
            yield Problem(("revisions", i), {"on": on.isoformat() if on else "?"})
        elif _not_approver(account, fields, rev.get("approved_by"), rev.get("on")):
            yield Problem(("revisions", i, "approved_by"), {"approved_by": by, "approvers": allowed}, variant="approver")
        if on is not None and pub_day is not None and on < pub_day:
            yield Problem(("revisions", i, "on"), {"on": on.isoformat(), "publish_date": pub_day.isoformat()}, variant="before_publish")
        if on is not None and (latest is None or on >= latest[0]):
            latest = (on, i, rev)
    if latest is not None:
        _, i, rev = latest
        recorded = rev.get("body_sha256")
        if isinstance(recorded, str) and recorded.strip():
            want = recorded.strip().lower().removeprefix("sha256:")
            if want != body_sha256(doc.body):
                yield Problem(("revisions", i, "body_sha256"), {"on": latest[0].isoformat()}, variant="body_changed")


@rule("post-deletion-record", kinds=("post",), depends_on=("account",))
def post_deletion_record(doc: Document, ctx: Context) -> Iterator[Problem]:
    """5: a deleted post records date, reason and an approval by the manager or a deputy."""
    status = doc.get("status")
    deleted = doc.get("deleted")
    if status != "deleted":
        if deleted is not None and deleted != {} and status is not None:
            yield Problem(("deleted",), {"status": status}, variant="inconsistent")
        return
    if deleted is None:
        yield Problem(("deleted",) if "deleted" in (doc.data or {}) else ("status",))
        return
    if not isinstance(deleted, dict):
        return  # schema finding
    blank = [f for f in ("on", "reason", "approved_by") if f in deleted and _blank(deleted.get(f))]
    if blank:
        yield Problem(("deleted", blank[0]), {"fields": blank}, variant="incomplete")
    by = employee_id_text(deleted.get("approved_by"))
    account = _account(doc, ctx)
    fields = approver_fields(ctx.policy, "deletions")
    if by is not None and _not_approver(account, fields, deleted.get("approved_by"), deleted.get("on")):
        yield Problem(("deleted", "approved_by"), {"approved_by": by, "approvers": approver_ids(account, fields)}, variant="approver")


# ---------------------------------------------------------------- clause 6(9)


@rule("post-author", kinds=("post",), depends_on=("account", "roster"))
def post_author(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(9): staff author (active in the roster), or external with a section head's permission."""
    author = doc.get("author")
    if not isinstance(author, dict):
        return  # schema finding
    roster = ctx.repo.roster
    upcoming = not_yet_out(doc, ctx.today)
    if "external" not in author:
        eid = employee_id_text(author.get("employee_id"))
        if eid is None or roster is None or not upcoming:
            return
        member = roster.get(eid)
        if member is None:
            yield Problem(("author", "employee_id"), {"employee_id": eid, "roster": roster.path}, variant="not_in_roster")
        elif staff_state(member, vocabulary(ctx.policy).statuses) == "gone":
            yield Problem(("author", "employee_id"), {"employee_id": eid, "roster": roster.path}, variant="inactive")
        return
    missing = [f for f in ("permitted_by", "permitted_on") if _blank(author.get(f))]
    if missing:
        yield Problem(("author",), {"fields": missing}, variant="external_no_permission")
        return
    by = employee_id_text(author.get("permitted_by"))
    if by is None:
        return
    account = _account(doc, ctx)
    vocab = vocabulary(ctx.policy)
    head = head_status(by, account, ctx.repo.accounts, roster, vocab.section_heads)
    is_manager = account is not None and same_id(account.get("manager", "employee_id"), by)
    member = roster.get(by) if roster is not None else None
    if upcoming and roster is not None and not is_manager and (member is None or staff_state(member, vocab.statuses) == "gone"):
        yield Problem(("author", "permitted_by"), {"permitted_by": by, "roster": roster.path}, variant="permitter_not_in_roster")
    elif head is False:
        yield Problem(("author", "permitted_by"), {"permitted_by": by}, variant="not_head")
    permitted_on = _date(author.get("permitted_on"))
    pub_day = publish_date(doc)
    if permitted_on is not None and pub_day is not None and permitted_on > pub_day:
        yield Problem(("author", "permitted_on"), {"permitted_on": permitted_on.isoformat(), "publish_date": pub_day.isoformat()},
                      variant="permission_late")


# ---------------------------------------------------------------- clause 6(10)

_JOINERS = frozenset("\uff9e\uff9f\u3099\u309a")  # (half-width) voiced marks that NFKC composes with the previous kana
_ASCII_ALNUM = lazy(r"[0-9a-z]")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def normalize_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC + casefold ``text`` and drop white space, keeping for every output character the
    [start, end) of the original characters it came from (a base character and its marks)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or text[j] in _JOINERS):
            j += 1
        for ch in _fold(text[i:j]):
            if not ch.isspace():
                out.append(ch)
                starts.append(i)
                ends.append(j)
        i = j
    return "".join(out), starts, ends


def _is_word_char(ch: str) -> bool:
    return bool(ch) and bool(_ASCII_ALNUM.fullmatch(_fold(ch)[:1] or " "))


def find_keyword(text: str, keyword: str, mapped: tuple[str, list[int], list[int]] | None = None) -> tuple[int, int] | None:
    """[start, end) in ``text`` of the first occurrence of ``keyword`` (NFKC, case and white space
    insensitive), or None. A keyword starting/ending with a Latin letter or digit must not touch
    another one there (so ``UBE`` does not match inside ``YouTube``)."""
    kw = "".join(ch for ch in _fold(keyword or "") if not ch.isspace())
    if not kw:
        return None
    norm, starts, ends = mapped or normalize_with_map(text)
    pos = norm.find(kw)
    while pos >= 0:
        s, e = starts[pos], ends[pos + len(kw) - 1]
        left_ok = not _ASCII_ALNUM.fullmatch(kw[0]) or s == 0 or not _is_word_char(text[s - 1])
        right_ok = not _ASCII_ALNUM.fullmatch(kw[-1]) or e >= len(text) or not _is_word_char(text[e])
        if left_ok and right_ok:
            return s, e
        pos = norm.find(kw, pos + 1)
    return None


def _texts(doc: Document) -> list[tuple[str, tuple | None]]:
    """The post's texts: its body, then any ``platform_text`` variants (with their YAML path)."""
    out: list[tuple[str, tuple | None]] = [(doc.body or "", None)]
    variants = doc.get("platform_text")
    if isinstance(variants, dict):
        for k, v in variants.items():
            if isinstance(v, str):
                out.append((v, ("platform_text", k)))
    return out


# Characters for which folding the whole text at once gives the same string as
# normalize_with_map (folding base + marks cluster by cluster): Latin-1, general punctuation and
# symbols, kana, CJK and its squared words (㍻), Latin ligatures, full/half-width forms (not half-width Hangul), variation selectors, emoji. Outside these (Hangul
# jamo, Indic vowel signs, ...) NFKC may compose across clusters, so the quick test is skipped.
_PLAIN_SAFE = lazy("[^\u0000-\u02ff\u2000-\u2bff\u3000-\u30ff\u3300-\u4dbf\u4e00-\u9fff"
                         "\ufb00-\ufb06\ufe00-\ufe0f\uff00-\uff9f\uffe0-\uffef\U0001f000-\U0001faff]")


def _plain(text: str) -> str | None:
    """``text`` folded (NFKC + casefold) without white space, as one string — equal to the
    first item of :func:`normalize_with_map` for the characters of ``_PLAIN_SAFE`` (None otherwise)."""
    if _PLAIN_SAFE.search(text):
        return None
    from snspolicy.text.normalize import nfkc_text  # NFKC of a whole body, quicker than unicodedata's

    return "".join(nfkc_text(text).casefold().split())


def _embargo_index(ctx: Context) -> tuple[list[dt.datetime], list[tuple[dt.datetime, str, Document, list[str]]]]:
    """The press releases with a readable embargo, sorted by embargo (then id), with their
    keywords: built once per run and kept in ``ctx.shared``. A keyword is folded only when a post
    could reveal it (:func:`_folded_keywords`): a one-file run folds those of the few press
    releases whose embargo follows the post, not those of all of them."""
    press = ctx.repo.press
    cached = ctx.shared.get("post-embargo:index")
    if cached is not None and cached[0] is press:
        return cached[1], cached[2]
    entries: list[tuple[dt.datetime, str, Document, list[str]]] = []
    for pid, pr in press.items():
        raw = pr.get("embargo_until")
        emb = aware(raw) if isinstance(raw, str) else None
        if emb is None:
            continue
        keywords = pr.get("keywords")
        entries.append((emb, pid, pr, [kw for kw in (keywords if isinstance(keywords, list) else [])
                                       if isinstance(kw, str)]))
    entries.sort(key=lambda e: (e[0], e[1]))
    embs = [e[0] for e in entries]
    ctx.shared["post-embargo:index"] = (press, embs, entries)
    return embs, entries


def _folded_keywords(ctx: Context, pid: str, keywords: list[str]) -> list[tuple[str, str, int]]:
    """A press release's keywords as (keyword, folded keyword without white space, length of the
    folded keyword), folded once per run."""
    folded: dict[tuple[str, tuple[str, ...]], list[tuple[str, str, int]]] = \
        ctx.shared.setdefault("post-embargo:folded", {})
    key = (pid, tuple(keywords))
    out = folded.get(key)
    if out is None:
        out = folded[key] = [(kw, "".join(_fold(kw).split()), len(_fold(kw).strip())) for kw in keywords]
    return out


@rule("post-embargo", kinds=("post",), depends_on=("press",))
def post_embargo(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(10): not published before the embargo of a linked or keyword-matched press release."""
    if doc.get("status") in tuple(ctx.param("skip_statuses")):
        return
    pub = publish_at(doc)
    press = ctx.repo.press
    linked = doc.get("press_release")
    linked_id = linked.strip() if isinstance(linked, str) and linked.strip() else None
    if linked_id is not None:
        pr = press.get(linked_id)
        if pr is None:
            close = difflib.get_close_matches(linked_id, list(press), n=1, cutoff=0.6)
            yield Problem(("press_release",), {"press": linked_id, "suggestion": close[0] if close else "-"},
                          variant="unknown_press_suggest" if close else "unknown_press")
        elif pub is not None:
            emb = aware(pr.get("embargo_until")) if isinstance(pr.get("embargo_until"), str) else None
            if emb is not None and pub < emb:
                yield Problem(("publish_at",), {"press": linked_id, "embargo": _fmt_dt(emb), "publish_at": _fmt_dt(pub)},
                              variant="linked", fingerprint_extra=f"linked|{linked_id}")
    if pub is None:
        return
    min_len = int(ctx.param("min_keyword_length"))
    window = ctx.param("keyword_window_days")
    window = window if isinstance(window, int) and not isinstance(window, bool) and window > 0 else None
    embs, entries = _embargo_index(ctx)
    lo = bisect.bisect_right(embs, pub)  # only embargoes after the post's publish time
    hi = len(embs)
    if window is not None:
        try:
            hi = bisect.bisect_right(embs, pub + dt.timedelta(days=window))
        except OverflowError:
            hi = len(embs)
    # last year's 花火大会 post does not reveal this year's press release (the window above)
    candidates = sorted(entries[lo:hi], key=lambda e: e[1])
    if not candidates:
        return
    texts = _texts(doc)
    plains: dict[int, str | None] = {}
    mapped: dict[int, tuple[str, list[int], list[int]]] = {}
    for emb, pid, _pr, keywords in candidates:
        if pid == linked_id:
            continue
        for kw, kw_plain, kw_len in _folded_keywords(ctx, pid, keywords):
            if kw_len < min_len:
                continue
            hit = None
            for n, (text, where) in enumerate(texts):
                if n not in plains:
                    plains[n] = _plain(text)
                plain = plains[n]
                if plain is not None and kw_plain and kw_plain not in plain:
                    continue  # cannot occur: skip the character-by-character offset map
                if n not in mapped:
                    mapped[n] = normalize_with_map(text)
                found = find_keyword(text, kw, mapped[n])
                if found is not None:
                    hit = (found, where)
                    break
            if hit is None:
                continue
            (s, e), where = hit
            at = doc.body_span(s, e) if where is None else where
            yield Problem(at, {"press": pid, "keyword": kw, "embargo": _fmt_dt(emb), "publish_at": _fmt_dt(pub)},
                          variant="keyword", fingerprint_extra=f"keyword|{pid}")
            break  # one finding per press release


# ---------------------------------------------------------------- clause 6(6)

_URL = lazy(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _outside(path: str) -> bool:
    p = path.replace("\\", "/")
    return (p.startswith("/") or bool(re.match(r"^[A-Za-z]:", p)) or bool(_URL.match(p))
            or any(part == ".." for part in p.split("/")))


@rule("post-media", kinds=("post",), depends_on=("media",))
def post_media(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(6): media files exist in the repo, rights are complete, no identifiable person without consent."""
    media = doc.get("media")
    if not isinstance(media, list):
        return
    required: dict[str, list[str]] = dict(ctx.param("rights_required") or {})
    for i, item in enumerate(media):
        if not isinstance(item, dict):
            continue
        path = item.get("path")
        shown = path if isinstance(path, str) else ""
        if isinstance(path, str) and path.strip():
            if _outside(path.strip()):
                yield Problem(("media", i, "path"), {"path": path}, variant="outside")
            elif not ctx.repo.exists(path.strip()):
                yield Problem(("media", i, "path"), {"path": path}, variant="missing_file")
        rights = item.get("rights")
        if isinstance(rights, dict) and isinstance(rights.get("source"), str):
            source = rights["source"]
            lacking = []
            for need in required.get(source) or []:
                options = [o.strip() for o in str(need).split("|") if o.strip()]
                if options and all(_blank(rights.get(o)) for o in options):
                    lacking.append(" / ".join(options))
            if lacking:
                yield Problem(("media", i, "rights"), {"path": shown, "source": source, "fields": lacking}, variant="rights")
        if item.get("people") == "identifiable":
            yield Problem(("media", i, "people"), {"path": shown}, variant="identifiable")


# ---------------------------------------------------------------- clause 3(4)


def suggest_category(value: str, categories: dict[str, Any]) -> str | None:
    """The policy category ``value`` most likely means (its id, label, or a close spelling)."""
    folded = _fold(value).strip()
    if not folded:
        return None
    for key, meta in categories.items():
        labels = [key] + ([str(v) for k, v in meta.items() if k in ("ja", "en")] if isinstance(meta, dict) else [])
        if any(_fold(lab) == folded for lab in labels):
            return str(key)
    for key, meta in categories.items():
        ja = _fold(str(meta.get("ja", ""))) if isinstance(meta, dict) else ""
        if ja and len(folded) >= 2 and folded in ja:
            return str(key)
    close = difflib.get_close_matches(folded, [str(k) for k in categories], n=1, cutoff=0.6)
    return close[0] if close else None


@rule("post-category", kinds=("post",))
def post_category(doc: Document, ctx: Context) -> Iterator[Problem]:
    """3(4): the category is one of the policy's categories (with the closest one suggested)."""
    category = doc.get("category")
    categories = ctx.policy.categories or {}
    if not isinstance(category, str) or not categories or category in categories:
        return
    allowed = [str(k) for k in categories]
    suggestion = suggest_category(category, categories)
    if suggestion is None:
        yield Problem(("category",), {"category": category, "allowed": allowed})
        return
    fix = Fix(f"category: {suggestion}", suggestion, doc.span(("category",)))
    yield Problem(("category",), {"category": category, "allowed": allowed, "suggestion": suggestion}, variant="suggest", fix=fix)
