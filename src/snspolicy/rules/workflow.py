"""Change-based rules: what a pull request does, compared with its base (``lint --base REF``).

They read ``ctx.changes``, the change as data (:class:`snspolicy.io.changes.ChangeSet`, made by
:mod:`snspolicy.app.changes`); without ``--base`` there is none and these rules yield nothing.
They never run git: base contents and base policies are fetched before the rules run.

* ``post-removed`` (5) — a post file removed (or moved out of ``posts/``) while its retention
  period (``retention_days`` from ``publish_at``) runs. A never-published post may be removed.
* ``post-edit-without-revision`` (5) — the body (or the media) of a post that had gone out
  changed, but no ``revisions`` entry was added.
* ``account-change-review`` (4(4)) — the holders or the manager changed without a newer
  ``security.reviewed_on``; a holder left without a newer ``password.last_changed_on``.
* ``account-change-registry`` (4(5)) — the same change without a newer ``registry_submitted_on``.
* ``policy-and-content-changed`` (-) — one change touches both the policy (``snspolicy.yaml``,
  a policy folder) and the content (accounts, posts, press, incidents, media).
* ``policy-version-bump`` (-) — a policy inside the repo changed its rules without a new
  ``version`` and a changelog entry for it.

Messages never name people: holder changes are reported as counts.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from snspolicy.core.values import JST, parse_date
from snspolicy.domain.accounts import newest_assignment
from snspolicy.domain.posts import publish_at
from snspolicy.io.changes import ChangeSet
from snspolicy.io.documents import Document
from snspolicy.io.yamlloc import Located
from snspolicy.rules.api import Context
from snspolicy.core.model import Problem, Severity, Span
from snspolicy.rules.api import rule

CONTENT_KEYS = ("accounts", "posts", "press", "incidents", "media")


def _changes(ctx: Context) -> ChangeSet | None:
    return ctx.changes


def _paths(ctx: Context) -> dict[str, str]:
    paths = getattr(ctx.config, "paths", None) or {}
    return {k: str(paths.get(k, k)).strip("/").replace("\\", "/") for k in CONTENT_KEYS}


def _under(path: str | None, folder: str) -> bool:
    return path is not None and bool(folder) and (path == folder or path.startswith(folder + "/"))


def _is_post(path: str | None, ctx: Context) -> bool:
    return path is not None and path.endswith(".md") and _under(path, _paths(ctx)["posts"])


def _is_account(path: str | None, ctx: Context) -> bool:
    return path is not None and path.endswith((".yaml", ".yml")) and _under(path, _paths(ctx)["accounts"])


def _docs(ctx: Context) -> dict[str, Any]:
    cache = ctx.shared.setdefault("workflow_docs", None)
    if cache is None:
        cache = {d.path: d for d in ctx.repo.documents}
        ctx.shared["workflow_docs"] = cache
    return cache


def _went_out(doc: Document, today: dt.date) -> bool:
    """Had the post been published at the base? published/deleted, or scheduled and due."""
    status = doc.get("status")
    if status in ("published", "deleted"):
        return True
    if status == "scheduled":
        p = publish_at(doc)
        return p is not None and p.astimezone(JST).date() <= today
    return False


def _date(value: Any) -> dt.date | None:
    if isinstance(value, bool):
        return None
    try:
        return parse_date(value)
    except (ValueError, TypeError):
        return None


def _int_param(ctx: Context, name: str) -> int:
    v = ctx.param(name)
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    raise ValueError(f"parameter {name} is not a whole number")  # the param_schema rules this out


# ---------------------------------------------------------------- 5: retention


@rule("post-removed", kinds=("repo",))
def post_removed(doc: Any, ctx: Context) -> Iterator[Problem]:
    """5: a post that went out stays in the repo (marked deleted) for the retention period."""
    changes = _changes(ctx)
    if changes is None:
        return
    days = _int_param(ctx, "retention_days")
    for c in changes.files:
        if not _is_post(c.old_path, ctx):
            continue
        if c.status != "D" and _is_post(c.path, ctx):
            continue  # kept (or moved inside posts/)
        old = changes.old_document("post", c.old_path) if c.old_path else None
        args = {"path": c.old_path, "days": days}
        if old is None or not isinstance(old.data, dict):
            yield Problem(Span(), args, variant="unreadable", path=c.old_path, fingerprint_extra="unreadable")
            continue
        status = old.get("status")
        pub = publish_at(old)
        if status == "draft" or (status in ("approved", "scheduled") and (pub is None or pub.astimezone(JST).date() > ctx.today)):
            continue  # never published: may be removed
        if pub is None:
            yield Problem(Span(), {**args, "status": str(status)}, variant="no_date", path=c.old_path, fingerprint_extra="no_date")
            continue
        day = pub.astimezone(JST).date()
        until = day + dt.timedelta(days=days)
        if ctx.today < until:
            moved = "" if c.status == "D" else c.path
            yield Problem(Span(), {**args, "status": str(status), "published": day.isoformat(), "until": until.isoformat(),
                                   "moved_to": moved}, variant="moved" if moved else None, path=c.old_path,
                          fingerprint_extra="removed")


def _body_key(text: str) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "\n".join(line.rstrip() for line in lines)


def _media_key(doc: Document) -> list[tuple[str, str]]:
    media = doc.get("media")
    out = []
    for m in media if isinstance(media, list) else []:
        if isinstance(m, dict):
            out.append((str(m.get("path") or ""), str(m.get("alt") or "")))
    return out


def _revisions(doc: Document) -> list[Any]:
    r = doc.get("revisions")
    return r if isinstance(r, list) else []


@rule("post-edit-without-revision", kinds=("repo",))
def post_edit_without_revision(doc: Any, ctx: Context) -> Iterator[Problem]:
    """5: changing what a published post says (body, media) adds an approved revision."""
    changes = _changes(ctx)
    if changes is None:
        return
    docs = _docs(ctx)
    for c in changes.files:
        if c.status == "D" or c.old_path is None or not _is_post(c.path, ctx) or not _is_post(c.old_path, ctx):
            continue
        new = docs.get(c.path)
        old = changes.old_document("post", c.old_path)
        if new is None or old is None or not isinstance(new.data, dict) or not isinstance(old.data, dict):
            continue
        if not _went_out(old, ctx.today):
            continue
        body_changed = _body_key(old.body) != _body_key(new.body)
        media_changed = bool(ctx.param("media")) and _media_key(old) != _media_key(new)
        if not (body_changed or media_changed):
            continue
        if len(_revisions(new)) > len(_revisions(old)):
            continue  # a revision was added; its approval is checked by post-revision-approval
        lines = changes.changed_lines(c.path, new.text) or set()
        body_line = new.text.count("\n", 0, new.body_offset) + 1
        first = min((n for n in lines if n >= body_line), default=None)
        if "revisions" in new.data:
            at = new.span(("revisions",), key=True)
        elif body_changed and first is not None:
            at = Span(first, 1)
        else:
            at = new.span(("media",) if "media" in new.data else ("status",), key=True)
        what = "body" if body_changed else "media"
        yield Problem(at, {"status": str(old.get("status")), "revisions": len(_revisions(new))},
                      variant=None if body_changed else "media", path=new.path, fingerprint_extra=f"edit|{what}")


# ---------------------------------------------------------------- 4(4), 4(5): personnel changes


def _person_id(p: Any) -> str | None:
    if isinstance(p, dict):
        p = p.get("employee_id")
    if p is None or isinstance(p, (dict, list, bool)):
        return None
    s = str(p).strip()
    return s or None


def _holders(doc: Document) -> set[str]:
    h = doc.get("holders")
    return {i for i in (_person_id(x) for x in (h if isinstance(h, list) else [])) if i}


def _newest_assignment(doc: Document) -> dt.date | None:
    newest = newest_assignment(doc)
    return newest[0] if newest is not None else None


def _account_pairs(ctx: Context) -> Iterator[tuple[Any, Any, dict]]:
    """(old, new, what changed) for each account whose holders or manager changed."""
    changes = _changes(ctx)
    if changes is None:
        return
    docs = _docs(ctx)
    for c in changes.files:
        if c.status == "D" or c.old_path is None or not _is_account(c.path, ctx):
            continue
        new = docs.get(c.path)
        old = changes.old_document("account", c.old_path)
        if new is None or old is None or not isinstance(new.data, dict) or not isinstance(old.data, dict):
            continue
        if new.get("status") == "closed":
            continue
        oh, nh = _holders(old), _holders(new)
        om, nm = _person_id(old.get("manager")), _person_id(new.get("manager"))
        if oh == nh and om == nm:
            continue
        yield old, new, {"added": len(nh - oh), "removed": len(oh - nh), "manager": om != nm}


def _span(doc: Document, path: tuple[Any, ...]) -> Span:
    """The span of ``path`` in ``doc``, else of its nearest present parent, else of ``holders``."""
    for i in range(len(path), 0, -1):
        if doc.get(*path[:i]) is not None:
            return doc.span(path[:i], key=i < len(path))
    return doc.span(("holders",), key=True) if doc.get("holders") is not None else Span()


def _not_newer(old_value: Any, new_value: Any) -> tuple[bool, dt.date | None, dt.date | None]:
    o, n = _date(old_value), _date(new_value)
    return (n is None or (o is not None and n <= o)), o, n


def _enabled(ctx: Context, rule_id: str) -> bool:
    spec = ctx.policy.rules.get(rule_id)
    return bool(spec and spec.enabled)


def _severity(value: Any) -> Severity | None:
    try:
        return Severity.parse(value)
    except (KeyError, ValueError, AttributeError):
        return None


def _password_covered(ctx: Context, changed: dt.date | None, newest: dt.date | None, severity: Severity | None) -> bool:
    """Will account-review report the same stale password, at least as severely?"""
    spec = ctx.policy.rules.get("account-review")
    if spec is None or not spec.enabled or changed is None or newest is None or changed >= newest:
        return False
    if not bool(spec.params["password_after_change"]):
        return False
    theirs = _severity(spec.params["password_severity"]) or Severity.WARNING
    return theirs >= (severity or Severity.ERROR)


def _what(change: dict, lang: str) -> str:
    parts = []
    if lang == "en":
        if change["added"]:
            parts.append(f"{change['added']} holder(s) added")
        if change["removed"]:
            parts.append(f"{change['removed']} holder(s) removed")
        if change["manager"]:
            parts.append("manager changed")
        return ", ".join(parts)
    if change["added"]:
        parts.append(f"担当者 {change['added']} 名追加")
    if change["removed"]:
        parts.append(f"担当者 {change['removed']} 名交代・削除")
    if change["manager"]:
        parts.append("管理者の交代")
    return "・".join(parts)


@rule("account-change-review", kinds=("repo",))
def account_change_review(doc: Any, ctx: Context) -> Iterator[Problem]:
    """4(4): a change of holders or manager comes with a review (and a new password when someone left)."""
    for old, new, change in _account_pairs(ctx):
        what = _what(change, ctx.lang)
        stale, o, n = _not_newer(old.get("security", "reviewed_on"), new.get("security", "reviewed_on"))
        newest = _newest_assignment(new)
        covered = _enabled(ctx, "account-review") and n is not None and newest is not None and n < newest
        if stale and not covered:
            at = _span(new, ("security", "reviewed_on"))
            yield Problem(at, {"change": what, "old": o.isoformat() if o else "-", "new": n.isoformat() if n else "-"},
                          path=new.path, fingerprint_extra="review")
        if change["removed"] or (change["manager"] and bool(ctx.param("password_on_manager_change"))):
            pw_stale, po, pn = _not_newer(old.get("security", "password", "last_changed_on"),
                                          new.get("security", "password", "last_changed_on"))
            severity = _severity(ctx.param("password_severity"))
            if pw_stale and not _password_covered(ctx, pn, newest, severity):
                at = _span(new, ("security", "password", "last_changed_on"))
                yield Problem(at, {"change": what, "old": po.isoformat() if po else "-", "new": pn.isoformat() if pn else "-"},
                              variant="password", severity=severity, path=new.path, fingerprint_extra="password")


@rule("account-change-registry", kinds=("repo",))
def account_change_registry(doc: Any, ctx: Context) -> Iterator[Problem]:
    """4(5): a change of holders or manager comes with a new submission of the 一覧表."""
    for old, new, change in _account_pairs(ctx):
        stale, o, n = _not_newer(old.get("registry_submitted_on"), new.get("registry_submitted_on"))
        newest = _newest_assignment(new)
        covered = _enabled(ctx, "registry-stale") and n is not None and newest is not None and n < newest
        if stale and not covered:
            at = _span(new, ("registry_submitted_on",))
            yield Problem(at, {"change": _what(change, ctx.lang), "old": o.isoformat() if o else "-",
                               "new": n.isoformat() if n else "-"}, path=new.path, fingerprint_extra="registry")


# ---------------------------------------------------------------- policy changes


def _policy_dirs(ctx: Context, changes: ChangeSet) -> list[str]:
    """Folders (relative to the root) of policies kept in the posts repo that the change touches."""
    return list(changes.policy_folders)


def _policy_paths(ctx: Context, changes: ChangeSet) -> list[str]:
    dirs = _policy_dirs(ctx, changes)
    out = []
    for p in sorted(changes.paths()):
        if p == "snspolicy.yaml" or any(d == "" and p == "policy.yaml" or d and _under(p, d) for d in dirs):
            out.append(p)
    return out


@rule("policy-and-content-changed", kinds=("repo",))
def policy_and_content_changed(doc: Any, ctx: Context) -> Iterator[Problem]:
    """-: a change of the policy or snspolicy.yaml goes in a pull request without content."""
    changes = _changes(ctx)
    if changes is None:
        return
    policy = _policy_paths(ctx, changes)
    if not policy:
        return
    folders = _paths(ctx)
    content = sorted({p for p in changes.paths() if any(_under(p, folders[k]) for k in CONTENT_KEYS)})
    pinned = changes.policy_from or ""
    if content:
        yield Problem(Span(), {"policy_files": policy[:5], "content_files": content[:5], "count": len(content),
                               "ref": pinned or changes.base}, path=policy[0], fingerprint_extra="both")
    elif pinned:
        yield Problem(Span(), {"policy_files": policy[:5], "ref": pinned}, variant="pinned", path=policy[0],
                      severity=Severity.INFO, fingerprint_extra="pinned")


@rule("policy-version-bump", kinds=("repo",))
def policy_version_bump(doc: Any, ctx: Context) -> Iterator[Problem]:
    """-: a policy whose rules changed has a new version and a changelog entry for it."""
    changes = _changes(ctx)
    if changes is None:
        return
    from snspolicy.policy import diff as policydiff
    from snspolicy.policy import model as policy_mod
    from snspolicy.policy.model import PolicyError

    root = Path(changes.root)
    for folder in _policy_dirs(ctx, changes):
        main = posixpath.join(folder, "policy.yaml") if folder else "policy.yaml"
        old = changes.base_policies.get(folder)
        if not (root / main).is_file() or changes.old_bytes(main) is None or old is None:
            continue  # a new or a removed policy (or one broken at the base): nothing to compare
        try:
            new = policy_mod.load(str(root / main), None)
        except PolicyError:
            continue  # broken policies are reported by `snspolicy policy validate`
        d = policydiff.diff(old, new)
        for problem in policydiff.version_problems(old, new, d):
            located = _located(ctx, root / main)
            span = located.span(("version",)) if located is not None and problem == "same_version" else \
                located.span(("changelog",), key=True) if located is not None else Span()
            yield Problem(span, {"policy": new.id, "version": new.version, "old_version": old.version,
                                 "count": len(d.rule_changes())}, variant=None if problem == "same_version" else problem,
                          path=main, fingerprint_extra=problem)


def _located(ctx: Context, path: Path) -> Located | None:
    from snspolicy.io.errors import LoadError
    from snspolicy.io.textfile import read_text
    from snspolicy.io.yamlloc import load_yaml

    try:
        return load_yaml(read_text(path))
    except (LoadError, OSError):
        return None
