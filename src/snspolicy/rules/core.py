"""Cross-file basics: a post names an existing account."""

from __future__ import annotations

from typing import Iterator

from ..context import Context
from ..loader.documents import Document
from ..model import Problem
from . import rule


@rule("post-account", kinds=("post",))
def post_account(doc: Document, ctx: Context) -> Iterator[Problem]:
    account = doc.get("account")
    if isinstance(account, str) and account and account not in ctx.repo.accounts:
        yield Problem(("account",), {"account": account})
