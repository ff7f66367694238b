"""Rules of a generic kind: the common shapes of a check, written in a policy without Python.

A rule in a policy's ``rules/*.yaml`` with ``kind:`` needs no implementation of its own: its
``params`` say what to check, the rule's ``clause``, ``severity``, ``title`` and ``message`` say
how to report it, exactly as for a built-in rule. Three kinds (docs/policy-authoring.md):

* ``lexicon`` — the policy's lexicons (``params.lexicons``) matched on the words of a post, with
  the same engine and per-post analysis as the clause-6 rules (:mod:`snspolicy.rules._text`);
  a lexicon entry's own ``clause`` and ``severity`` win over the rule's when the entry gives them;
* ``pattern`` — regular expressions (``params.patterns``) searched in the normalized text of a
  post. They are the policy's, so they are checked for catastrophic backtracking when the policy
  is loaded and run with a time limit (:mod:`snspolicy.text.regexsafe`);
* ``fields`` — checks over the fields of one kind of document (``params.document``: account,
  post, press or incident): ``required``, ``absent``, ``allowed`` values, the ``order`` of two
  dates and a date's ``max_age_days``, for the documents ``when`` describes.

``lexicon`` and ``pattern`` rules skip Markdown code (as the clause-6 rules do) and take
``when`` / ``unless`` conditions on the post's front matter. A field is named by a dotted path
(``security.password.last_changed_on``); ``*`` stands for every item of a list
(``holders.*.assigned_on``). A condition maps a path to a value, a list of values (any of them),
``null`` (absent) or ``{not: …}``.

The engine finds the implementation of a rule with a kind through
:func:`snspolicy.engine.registry.implementation`; :func:`kind_problems` says what is wrong with
a rule's kind parameters (``policy validate`` and every ``lint`` refuse such a policy).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from snspolicy.core.model import Problem
from snspolicy.core.values import parse_date, parse_datetime
from snspolicy.io.documents import Document
from snspolicy.rules._text import analysis, effective_severity, occurrence_keys
from snspolicy.rules.api import Context, RuleImpl

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["DOCUMENT_KINDS", "KIND_IMPLS", "KIND_PARAMS", "KINDS", "condition_holds", "kind_problems", "values_at"]

#: the document kinds a ``fields`` rule can check
DOCUMENT_KINDS = ("account", "post", "press", "incident")
#: the parameters each kind takes (anything else is refused, with a did-you-mean)
KIND_PARAMS: dict[str, tuple[str, ...]] = {
    "lexicon": ("lexicons", "when", "unless"),
    "pattern": ("patterns", "when", "unless"),
    "fields": ("document", "when", "unless", "required", "absent", "allowed", "order", "max_age_days"),
}
KINDS = tuple(KIND_PARAMS)
_PATH = re.compile(r"^[A-Za-z0-9_-]+(\.(?:[A-Za-z0-9_-]+|\*))*$")
_MISSING = object()


# --------------------------------------------------------------------------- paths and conditions


def values_at(data: Any, path: str) -> list[tuple[tuple[Any, ...], Any]]:
    """(YAML path, value) for a dotted ``path`` in ``data``; ``*`` expands over list items. A step
    that is missing gives one pair with the value :data:`_MISSING` at the deepest path reached."""
    out: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    for step in path.split("."):
        nxt: list[tuple[tuple[Any, ...], Any]] = []
        for where, cur in out:
            if cur is _MISSING:
                nxt.append((where, cur))
            elif step == "*":
                if isinstance(cur, list):
                    nxt.extend(((*where, i), item) for i, item in enumerate(cur))
            elif isinstance(cur, Mapping) and step in cur:
                nxt.append(((*where, step), cur[step]))
            else:
                nxt.append((where, _MISSING))
        out = nxt
    return out


def _blank(value: Any) -> bool:
    return value is _MISSING or value is None or (isinstance(value, str) and not value.strip()) \
        or (isinstance(value, (list, dict)) and not value)


def _same(value: Any, want: Any) -> bool:
    if want is None:
        return _blank(value)
    if value is _MISSING or isinstance(value, (list, dict)):
        return False
    if isinstance(want, bool) or isinstance(value, bool):
        return value is want
    return str(value).strip() == str(want).strip()


def _holds(value: Any, want: Any) -> bool:
    if isinstance(want, Mapping) and set(want) == {"not"}:
        return not _holds(value, want["not"])
    if isinstance(want, list):
        return any(_same(value, w) for w in want)
    return _same(value, want)


def condition_holds(data: Any, cond: Any) -> bool:
    """Does every ``path: value`` of ``cond`` hold in ``data`` (for a path with ``*``: in some item)?"""
    if not isinstance(cond, Mapping):
        return True
    return all(any(_holds(v, want) for _, v in values_at(data, str(path))) for path, want in cond.items())


def _applies(doc: Document, ctx: Context) -> bool:
    data = doc.data if isinstance(doc.data, Mapping) else {}
    when, unless = ctx.params.get("when"), ctx.params.get("unless")
    return condition_holds(data, when) and not (isinstance(unless, Mapping) and unless and condition_holds(data, unless))


# --------------------------------------------------------------------------- kind: lexicon

_ENTRY_CACHE: dict[int, tuple[Any, dict[tuple[str, str], Mapping[str, Any]]]] = {}


def _entries(policy: Policy) -> dict[tuple[str, str], Mapping[str, Any]]:
    """(lexicon, entry id) → the entry as written (to know whether it gives a clause or severity)."""
    lexicons = policy.lexicons or {}
    hit = _ENTRY_CACHE.get(id(lexicons))
    if hit is not None and hit[0] is lexicons:
        return hit[1]
    out: dict[tuple[str, str], Mapping[str, Any]] = {}
    for name, data in lexicons.items():
        for e in (data.get("entries") or []) if isinstance(data, Mapping) else []:
            if isinstance(e, Mapping) and isinstance(e.get("id"), str):
                out[(str(name), e["id"])] = e
    if len(_ENTRY_CACHE) > 16:
        _ENTRY_CACHE.clear()
    _ENTRY_CACHE[id(lexicons)] = (lexicons, out)  # holding the lexicons keeps their id from being reused
    return out


def _suggestion(sug: object, lang: str) -> str:
    if isinstance(sug, Mapping):
        return str(sug.get(lang) or sug.get("ja") or sug.get("en") or "").strip().rstrip("。.")
    return ""


def lexicon_kind(doc: Document, ctx: Context) -> Iterator[Problem]:
    """``kind: lexicon``: every match of ``params.lexicons`` in the post's words."""
    if ctx.rule is None or not _applies(doc, ctx):
        return
    a = analysis(doc)
    if not a.text.strip():
        return
    names = [str(n) for n in ctx.params.get("lexicons") or [] if isinstance(n, (str, int))]
    results = a.token_results(ctx)
    found = [m for n in names for m in results.of(n) if m.severity is not None and not a.in_code(m.start, m.end)]
    found.sort(key=lambda m: (m.start, m.end, m.lexicon, m.entry_id))
    raw = _entries(ctx.policy)
    keys = occurrence_keys([f"{m.lexicon}:{m.entry_id}" for m in found])
    for m, key in zip(found, keys):
        entry = raw.get((m.lexicon, m.entry_id), {})
        suggestion = _suggestion(m.suggestion, ctx.lang)
        args = {"found": a.original(m.start, m.end) or m.surface, "suggestion": suggestion,
                "category": m.category or "", "lexicon": m.lexicon, "entry": m.entry_id, "context": m.context_hit or ""}
        variant = "context" if m.context_hit else (None if suggestion else "no_suggestion")
        # the entry's own severity (or its context's) wins; else the rule's (with the repo's override)
        own = m.context_hit is not None or "severity" in entry
        severity = effective_severity(ctx, ctx.rule.id, m.severity) if own else None
        clause = str(entry["clause"]).strip() if entry.get("clause") not in (None, "") else None
        yield Problem(a.span(m.start, m.end), args, variant=variant, severity=severity,
                      clause=clause if clause and clause != ctx.rule.clause else None, fingerprint_extra=key)


# --------------------------------------------------------------------------- kind: pattern


def pattern_kind(doc: Document, ctx: Context) -> Iterator[Problem]:
    """``kind: pattern``: every match of ``params.patterns`` in the post's normalized text."""
    from snspolicy.text.regexsafe import compile_safe

    if ctx.rule is None or not _applies(doc, ctx):
        return
    a = analysis(doc)
    if not a.text.strip():
        return
    patterns = ctx.params.get("patterns") or []
    found: list[tuple[int, int, int]] = []
    for i, pattern in enumerate(patterns if isinstance(patterns, list) else [patterns]):
        compiled = compile_safe(pattern)  # refused at load time when unsafe: this never raises UnsafePattern
        for m in compiled.finditer(a.text):
            if m.end() > m.start() and not a.in_code(m.start(), m.end()):
                found.append((m.start(), m.end(), i))
    found.sort()
    keys = occurrence_keys([f"p{i}:{a.text[s:e]}" for s, e, i in found])
    for (s, e, i), key in zip(found, keys):
        yield Problem(a.span(s, e), {"found": a.original(s, e) or a.text[s:e], "pattern": i + 1}, fingerprint_extra=key)


# --------------------------------------------------------------------------- kind: fields


def _dotted(where: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in where)


def _short(value: Any) -> str:
    text = str(value).strip().replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def _moment(value: Any) -> dt.datetime | None:
    if value is _MISSING or isinstance(value, bool):
        return None
    return parse_datetime(value)


def fields_kind(doc: Document, ctx: Context) -> Iterator[Problem]:
    """``kind: fields``: required, absent and allowed fields, date order and date age."""
    p = ctx.params
    if doc.kind != p.get("document") or not _applies(doc, ctx):
        return
    data = doc.data if isinstance(doc.data, Mapping) else {}
    for path in p.get("required") or []:
        for where, value in values_at(data, str(path)):
            if _blank(value):
                yield Problem(where, {"field": str(path)}, variant="required", fingerprint_extra=f"required|{path}|{_dotted(where)}")
    for path in p.get("absent") or []:
        for where, value in values_at(data, str(path)):
            if not _blank(value):
                yield Problem(where, {"field": str(path)}, variant="absent", key=True, fingerprint_extra=f"absent|{_dotted(where)}")
    for path, allowed in (p.get("allowed") or {}).items():
        for where, value in values_at(data, str(path)):
            items = [(where, value)] if not isinstance(value, list) else [((*where, i), v) for i, v in enumerate(value)]
            for at, v in items:
                if not _blank(v) and not any(_same(v, w) for w in allowed or []):
                    yield Problem(at, {"field": str(path), "value": _short(v), "allowed": [str(w) for w in allowed or []]},
                                  variant="allowed", fingerprint_extra=f"allowed|{_dotted(at)}")
    for pair in p.get("order") or []:
        first, second = str(pair[0]), str(pair[1])
        for fw, fv in values_at(data, first):
            for sw, sv in values_at(data, second):
                a, b = _moment(fv), _moment(sv)
                if a is not None and b is not None and a > b:
                    yield Problem(sw, {"first": first, "second": second, "first_value": _short(fv), "second_value": _short(sv)},
                                  variant="order", fingerprint_extra=f"order|{_dotted(fw)}|{_dotted(sw)}")
    for path, days in (p.get("max_age_days") or {}).items():
        for where, value in values_at(data, str(path)):
            d = parse_date(value) if value is not _MISSING and not isinstance(value, bool) else None
            if d is not None and isinstance(days, int) and (ctx.today - d).days > days:
                yield Problem(where, {"field": str(path), "value": d.isoformat(), "age_days": (ctx.today - d).days,
                                      "max_days": days}, variant="max_age", fingerprint_extra=f"max_age|{_dotted(where)}")


#: the implementation of each kind (``id`` is the kind: the engine runs it under the rule's id)
KIND_IMPLS: dict[str, RuleImpl] = {
    "lexicon": RuleImpl("kind:lexicon", frozenset({"post"}), lexicon_kind, __name__, text=True),
    "pattern": RuleImpl("kind:pattern", frozenset({"post"}), pattern_kind, __name__, text=True),
    "fields": RuleImpl("kind:fields", frozenset(DOCUMENT_KINDS), fields_kind, __name__),
}


# --------------------------------------------------------------------------- validation


def _is_path(value: Any) -> bool:
    return isinstance(value, str) and bool(_PATH.match(value))


def _condition_problems(name: str, cond: Any) -> list[tuple[tuple[Any, ...], str, dict[str, Any]]]:
    if cond is None:
        return []
    if not isinstance(cond, Mapping) or not cond:
        return [((name,), "generic.condition", {"param": name})]
    return [((name, path), "generic.path", {"param": name, "path": str(path)}) for path in cond if not _is_path(path)]


def kind_problems(spec: RuleSpec, policy: Policy) -> list[tuple[tuple[Any, ...], str, dict[str, Any]]]:
    """What is wrong with the kind parameters of ``spec``: (path below ``params``, ``generic.*`` code,
    its params). Empty when the rule is fine (regular expressions are checked with every other
    regular expression of the policy, by name: ``patterns``)."""
    kind = spec.kind
    if kind not in KIND_PARAMS:
        return [((), "generic.kind", {"kind": kind, "known": list(KINDS)})]
    p = spec.params or {}
    out: list[tuple[tuple[Any, ...], str, dict[str, Any]]] = []
    for name in p:
        if name not in KIND_PARAMS[kind]:
            close = difflib.get_close_matches(str(name), KIND_PARAMS[kind], n=1)
            out.append(((name,), "generic.unknown_param", {"param": name, "kind": kind, "known": list(KIND_PARAMS[kind]),
                                                            "suggestion": close[0] if close else "-"}))
    out += _condition_problems("when", p.get("when")) + _condition_problems("unless", p.get("unless"))
    if kind == "lexicon":
        names = p.get("lexicons")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            out.append((("lexicons",), "generic.lexicons", {}))
        else:
            for n in names:
                if n not in (policy.lexicons or {}):
                    out.append((("lexicons",), "generic.unknown_lexicon", {"lexicon": n, "known": sorted(policy.lexicons or {}) or ["-"]}))
    elif kind == "pattern":
        pats = p.get("patterns")
        if not isinstance(pats, list) or not pats or not all(isinstance(x, str) and x for x in pats):
            out.append((("patterns",), "generic.patterns", {}))
    else:
        out += _fields_problems(p)
    return out


def _fields_problems(p: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str, dict[str, Any]]]:
    out: list[tuple[tuple[Any, ...], str, dict[str, Any]]] = []
    if p.get("document") not in DOCUMENT_KINDS:
        out.append((("document",), "generic.document", {"document": str(p.get("document")), "known": list(DOCUMENT_KINDS)}))
    checks = ("required", "absent", "allowed", "order", "max_age_days")
    if not any(p.get(c) for c in checks):
        out.append(((), "generic.no_checks", {"checks": list(checks)}))
    for name in ("required", "absent"):
        value = p.get(name)
        if value is not None and (not isinstance(value, list) or not all(_is_path(x) for x in value)):
            out.append(((name,), "generic.paths", {"param": name}))
    allowed = p.get("allowed")
    if allowed is not None and (not isinstance(allowed, Mapping) or not all(
            _is_path(k) and isinstance(v, list) and v and all(isinstance(x, (str, int, float, bool)) for x in v)
            for k, v in allowed.items())):
        out.append((("allowed",), "generic.allowed", {}))
    order = p.get("order")
    if order is not None and (not isinstance(order, list) or not all(
            isinstance(x, list) and len(x) == 2 and all(_is_path(y) for y in x) for x in order)):
        out.append((("order",), "generic.order", {}))
    ages = p.get("max_age_days")
    if ages is not None and (not isinstance(ages, Mapping) or not all(
            _is_path(k) and isinstance(v, int) and not isinstance(v, bool) and v > 0 for k, v in ages.items())):
        out.append((("max_age_days",), "generic.max_age_days", {}))
    return out
