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

DEFAULT_LEXICONS = {
    "text-defamation": ["defamation"],
    "text-discrimination": ["discrimination", "considerate"],
    "text-private": ["private"],
    "text-incitement": ["incitement"],
    "text-confidential": ["confidential"],
    "text-obscene": ["obscene"],
    "text-predecisional": ["predecisional"],
    "text-public-order": ["public-order"],
}


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


_TOPICS_KEY = "snspolicy.text.topics"
_CHECK = {"ja": "引用や啓発・案内として必要な表現か確かめてください",
          "en": "Check that the wording is needed as a quotation, for the campaign or the information"}
_TOPIC_CACHE: dict[int, tuple[object, list]] = {}


def post_topics(doc: Document, ctx: Context, text: str) -> list:
    """The topics (:mod:`snspolicy.text.context`) of the post, computed once per post."""
    cached = doc.cache.get(_TOPICS_KEY)
    if isinstance(cached, list):
        return cached
    from snspolicy.text.context import parse_topics, topics_of

    raw = ctx.param("text_contexts")
    hit = _TOPIC_CACHE.get(id(raw))
    if hit is None or hit[0] is not raw:
        if len(_TOPIC_CACHE) > 16:
            _TOPIC_CACHE.clear()
        hit = _TOPIC_CACHE[id(raw)] = (raw, parse_topics(raw))  # holding raw keeps its id from being reused
    category = doc.get("category")
    found = topics_of(text, hit[1], category if isinstance(category, str) else None)
    doc.cache[_TOPICS_KEY] = found
    return found


def _outermost(found: list) -> list:
    """One finding per place and rule: of matches of the same rule that overlap (お前はバカ and バカ;
    路上駐車しても、バレなければ and バレなければ大丈夫), keep the most severe, then the longest."""
    ranked = sorted(found, key=lambda m: (-_rank(m.severity), -(m.end - m.start), m.start, m.lexicon, m.entry_id))
    out: list = []
    for m in ranked:
        if any(o.start < m.end and m.start < o.end for o in out):
            continue
        out.append(m)
    return out


def lexicon_problems(doc: Document, ctx: Context, rule_id: str) -> Iterator[Problem]:
    """Findings of the lexicons named by ``rule_id``'s params in ``doc``'s body.

    A lexicon entry's own ``clause`` and ``severity`` win over the rule's when the entry gives
    them; in a post about a topic of the context model (docs/text-context.md) a finding on the
    vocabulary that topic exists to discuss is lowered to the topic's severity (a warning).
    """
    a = analysis(doc)
    if not a.text.strip():
        return
    results = a.token_results(ctx)
    if not results.lexicons and not results.timeouts:
        return  # no lexicon found anything in this post (most posts): eight rules ask
    found = []
    for name in _names(ctx, rule_id):
        for m in results.of(name):  # a regex of the lexicon that timed out: RegexTimeout, fatal (exit 2)
            if m.severity is None or a.in_code(m.start, m.end):
                continue  # an allowed context removed it / quoted as code
            found.append(m)
    if not found:
        return
    found = _outermost(found)
    found.sort(key=lambda m: (m.start, m.end, m.lexicon, m.entry_id))
    topics = post_topics(doc, ctx, a.text)
    rule_sev = str(ctx.rule.severity) if ctx.rule is not None else "error"
    keys = occurrence_keys([f"{m.lexicon}:{m.entry_id}" for m in found])
    for m, key in zip(found, keys):
        written = a.original(m.start, m.end) or m.surface
        suggestion = _suggestion(m.suggestion, ctx.lang)
        args = {"found": written, "suggestion": suggestion, "category": m.category or "",
                "lexicon": m.lexicon, "entry": m.entry_id, "context": m.context_hit or "",
                "clause": m.clause or (ctx.rule.clause if ctx.rule is not None else "")}
        if m.context_hit:
            variant = "context"
        elif not suggestion:
            variant = "no_suggestion"
        elif ctx.rule is not None and m.lexicon in ctx.rule.messages:
            variant = m.lexicon  # a message of its own for a lexicon (considerate: "言い換えを勧めます")
        else:
            variant = None
        severity = m.severity if m.severity_given else rule_sev
        for hit in topics:
            if hit.topic.covers(m.lexicon, m.entry_id, m.category) and _rank(severity) > _rank(hit.topic.severity):
                severity, variant, args["context"] = hit.topic.severity, hit.topic.variant, hit.cue
                break
        if variant in ("context", "consultation") and not suggestion:
            args["suggestion"] = _CHECK.get(ctx.lang, _CHECK["en"])
        sev = effective_severity(ctx, rule_id, severity)
        if not m.severity_given and sev is not None and str(sev) == rule_sev:
            sev = None  # the rule's own severity (and the repo's override of it)
        yield Problem(a.span(m.start, m.end), args, variant=variant, severity=sev,
                      clause=m.clause if m.clause and ctx.rule is not None and m.clause != ctx.rule.clause else None,
                      fingerprint_extra=key)


def _rank(severity: str | None) -> int:
    return {"info": 1, "warning": 2, "error": 3}.get(str(severity), 3)


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
