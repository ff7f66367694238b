"""Is an account still in use? ``account-idle``: an active account with no post for a long time.

An account nobody posts to is an account nobody watches: a takeover goes unnoticed, a password
is not changed when the holders change, the profile grows stale. Some guidelines say so
outright — 神栖市ソーシャルメディア利用規程 (第5条第3項) has the 運用管理者 suspend an account that
has had no post for a certain period, to prevent its misuse. The period is the policy's
(``max_idle_days``); the rule has no value of its own.

* the account is ``status: active`` (a suspended or closed account is already out of use);
* its last post is the newest publishing day (JST) among its posts that went out — published,
  scheduled or deleted, with ``publish_at`` on or before today (a deleted post was out until it
  was deleted);
* with no post at all, the account counts as idle from its approval (``approval.approved_on``):
  an account approved and never used is idle too;
* more than ``max_idle_days`` days since then → a finding on the account's ``status``.

Whether a guideline wants this (and how long a silence it accepts) is a decision of the policy:
Ube's policy has the rule switched off, with the reason in the rule's documentation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from snspolicy.core.model import Problem
from snspolicy.core.values import parse_date
from snspolicy.domain.accounts import account_id
from snspolicy.domain.posts import publish_date
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule

#: post statuses whose post went out on its publishing day
OUT_STATUSES = ("scheduled", "published", "deleted")
_CACHE = "activity.last_post"


def _last_posts(ctx: Context) -> dict[str, tuple[dt.date, str]]:
    """Account id → (JST day, path) of its newest post that went out by today (once per run)."""
    cache = ctx.shared.get(_CACHE)
    if cache is None:
        cache = {}
        for post in ctx.repo.by_kind("post"):
            acc = post.get("account")
            day = publish_date(post)
            if not isinstance(acc, str) or post.get("status") not in OUT_STATUSES or day is None or day > ctx.today:
                continue
            if acc not in cache or (day, post.path) > cache[acc]:
                cache[acc] = (day, post.path)
        ctx.shared[_CACHE] = cache
    return cache


@rule("account-idle", kinds=("account",), depends_on=("post",))
def account_idle(doc: Document, ctx: Context) -> Iterator[Problem]:
    """An active account whose last post (or, never used, whose approval) is more than
    ``max_idle_days`` days ago."""
    if doc.get("status") != "active":
        return
    limit = ctx.param("max_idle_days")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        return  # the policy's parameter check refuses such a value before anything runs
    at = ("status",)
    last = _last_posts(ctx).get(account_id(doc))
    if last is not None:
        idle = (ctx.today - last[0]).days
        if idle > limit:
            yield Problem(at, {"last_post": last[0].isoformat(), "post": last[1], "days": idle, "max_days": limit})
        return
    since = parse_date(doc.get("approval", "approved_on"))
    if since is not None and since <= ctx.today and (ctx.today - since).days > limit:
        yield Problem(at, {"approved_on": since.isoformat(), "days": (ctx.today - since).days, "max_days": limit},
                      variant="never")
