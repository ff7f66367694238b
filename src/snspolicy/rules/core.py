"""Cross-file basics: a post names an existing account."""

from __future__ import annotations

from collections.abc import Iterator

from snspolicy.core.model import Problem
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule


@rule("post-account", kinds=("post",), depends_on=("account",))
def post_account(doc: Document, ctx: Context) -> Iterator[Problem]:
    account = doc.get("account")
    if isinstance(account, str) and account and account not in ctx.repo.accounts:
        yield Problem(("account",), {"account": account})
