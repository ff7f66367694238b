"""Example snspolicy plugin: event posts must name a contact (rule ``dept-event-contact``).

snspolicy imports this module through the ``snspolicy.rules`` entry point
(see pyproject.toml). Importing it registers the rule function with
:func:`snspolicy.rules.rule`; ``POLICY`` names the policy fragment that gives
the rule its clause, severity, messages and documentation.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Iterator

from snspolicy.core.model import Problem
from snspolicy.rules.api import rule

#: the policy fragment merged into the policy by snspolicy.plugins.merge_fragments
POLICY = Path(__file__).with_name("rules.yaml")


@rule("dept-event-contact", kinds=("post",))
def event_contact(doc, ctx) -> Iterator[Problem]:
    """An event post (category in ``categories``) must contain one of ``markers``. The values come
    from the fragment's ``params`` (each with its ``param_schema``): ``ctx.param`` has no default."""
    categories = [str(c) for c in ctx.param("categories") or []]
    if str(doc.get("category", default="")) not in categories or doc.get("status") == "deleted":
        return
    body = unicodedata.normalize("NFKC", doc.body or "")
    markers = [unicodedata.normalize("NFKC", str(m)) for m in ctx.param("markers") or []]
    if any(m and m in body for m in markers):
        return
    yield Problem(("category",), {"example": ctx.param("example")})
