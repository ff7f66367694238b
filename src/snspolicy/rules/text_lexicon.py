"""Clause 6 wording rules: the policy's lexicons matched on the words of a post's body.

One rule per guideline item; each rule's ``params.lexicons`` names the lexicons it
searches (docs/lexicon-format.md):

* ``text-defamation`` 6(1), ``text-discrimination`` 6(2), ``text-private`` 6(3),
  ``text-incitement`` 6(4), ``text-confidential`` 6(5) (confidentiality markers),
  ``text-obscene`` 6(7), ``text-public-order`` 6(11);
* ``text-predecisional`` 6(8) — not reported when the post has ``consultation: true``
  (the city is asking for opinions, which the guideline allows).

Matching is on whole words of the normalized body (:mod:`snspolicy.text.lexicon`):
バカ is not found in バカンス. A lexicon entry's ``severity`` is the finding's
severity; an allowed context word (``context.allow``) lowers it or removes the
finding. A repo override of the rule's severity only tightens (see
:func:`._text.effective_severity`). Matches inside Markdown code and HTML comments
are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator

from snspolicy.rules.api import Context
from snspolicy.io.documents import Document
from snspolicy.core.model import Problem
from snspolicy.rules.api import rule
from snspolicy.rules._text import analysis, effective_severity, occurrence_keys

def _names(ctx: Context, rule_id: str) -> list[str]:
    value = ctx.param("lexicons")
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, (str, int))]
    return []


def _suggestion(sug: object, lang: str) -> str:
    """The entry's better wording in ``lang`` without its final full stop (the template adds one)."""
    if isinstance(sug, dict):
        text = sug.get(lang) or sug.get("ja") or sug.get("en") or ""
        return str(text).strip().rstrip("。.")
    return ""


def lexicon_problems(doc: Document, ctx: Context, rule_id: str) -> Iterator[Problem]:
    """Findings of the lexicons named by ``rule_id``'s params in ``doc``'s body."""
    a = analysis(doc)
    if not a.text.strip():
        return
    found = []
    results = a.token_results(ctx).lexicons
    for name in _names(ctx, rule_id):
        for m in results.get(name, ()):
            if m.severity is None or a.in_code(m.start, m.end):
                continue  # an allowed context removed it / quoted as code
            found.append(m)
    found.sort(key=lambda m: (m.start, m.end, m.lexicon, m.entry_id))
    keys = occurrence_keys([f"{m.lexicon}:{m.entry_id}" for m in found])
    for m, key in zip(found, keys):
        written = a.original(m.start, m.end) or m.surface
        suggestion = _suggestion(m.suggestion, ctx.lang)
        args = {"found": written, "suggestion": suggestion, "category": m.category or "",
                "lexicon": m.lexicon, "entry": m.entry_id, "context": m.context_hit or ""}
        if m.context_hit:
            variant = "context"
        elif not suggestion:
            variant = "no_suggestion"
        else:
            variant = None
        yield Problem(a.span(m.start, m.end), args, variant=variant,
                      severity=effective_severity(ctx, rule_id, m.severity), fingerprint_extra=key)


@rule("text-defamation", kinds=("post",), text=True)
def text_defamation(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(1): insults and defamatory words."""
    yield from lexicon_problems(doc, ctx, "text-defamation")


@rule("text-discrimination", kinds=("post",), text=True)
def text_discrimination(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(2): discriminatory words (race, creed, residence, occupation, disability …)."""
    yield from lexicon_problems(doc, ctx, "text-discrimination")


@rule("text-private", kinds=("post",), text=True)
def text_private(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(3): the staff member's personal opinions or private life."""
    yield from lexicon_problems(doc, ctx, "text-private")


@rule("text-incitement", kinds=("post",), text=True)
def text_incitement(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(4): words that encourage illegal acts."""
    yield from lexicon_problems(doc, ctx, "text-incitement")


@rule("text-confidential", kinds=("post",), text=True)
def text_confidential(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): confidentiality markers (取扱注意, 庁内限り …)."""
    yield from lexicon_problems(doc, ctx, "text-confidential")


@rule("text-obscene", kinds=("post",), text=True)
def text_obscene(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(7): obscene words."""
    yield from lexicon_problems(doc, ctx, "text-obscene")


@rule("text-predecisional", kinds=("post",), text=True)
def text_predecisional(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(8): pre-decisional markers (検討中, 素案, (案) …), unless the post asks for opinions."""
    if doc.get("consultation") is True:
        return
    yield from lexicon_problems(doc, ctx, "text-predecisional")


@rule("text-public-order", kinds=("post",), text=True)
def text_public_order(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(11): drugs, illegal gambling, threats, suicide methods, prostitution."""
    yield from lexicon_problems(doc, ctx, "text-public-order")
