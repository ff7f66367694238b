"""Semantic diff of two policies: which rules were added or removed, tightened or loosened.

``diff(old, new)`` compares two loaded :class:`~snspolicy.policy.Policy` objects and returns a
:class:`PolicyDiff` of :class:`Change` items, each with a *direction*:

* ``tighter`` — more content is reported (a rule added or enabled, a severity raised, a lexicon
  entry or term added, a minimum raised, an allow-list shortened …);
* ``looser`` — less is reported (the opposite);
* ``changed`` — a change whose direction cannot be told (a pattern, a clause, the guideline text);
* ``wording`` — titles, messages and documentation only.

The direction of a parameter comes from :data:`PARAM_DIRECTIONS` and the naming conventions
in :func:`param_changes` (``min_*`` up = tighter, ``max_*`` up = looser, ``*_severity`` by
severity, lists named ``allow…``/``skip…`` added = looser …); anything else is ``changed``. A
parameter's change carries its unit and description from the policy's ``param_schema``, so that
the renderers show ``12 文字 → 14 文字`` under the parameter's own name.

Both policies are compared as loaded, i.e. **resolved**: a policy that ``extends:`` another is
compared with everything it inherits.

``version_problems`` says whether a policy whose rules changed has a new ``version`` and a
changelog entry for it. :mod:`snspolicy.app.impact` lints a posts repo under both policies and
fills an :class:`Impact`; :mod:`snspolicy.reporters.policy_diff` renders it all, in Japanese
(default) or English.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from snspolicy.core.model import Severity
from snspolicy.policy.model import Policy, RuleSpec

__all__ = [
    "PARAM_DIRECTIONS",
    "Change",
    "Impact",
    "PolicyDiff",
    "FileImpact",
    "diff",
    "param_changes",
    "text_diff",
    "version_key",
    "version_problems",
]

TIGHTER, LOOSER, CHANGED, WORDING = "tighter", "looser", "changed", "wording"

# name -> "up" (a higher number / True / an added list item is tighter) or "down" (looser)
PARAM_DIRECTIONS: dict[str, str] = {
    # numbers
    "min_length": "up", "min_score": "up", "min_holders": "up", "retention_days": "up", "max_file_bytes": "up",
    "min_keyword_length": "down", "entropy_min_length": "down", "entropy_threshold": "down",
    "entropy_threshold_long": "down", "entropy_long_length": "down", "min_value_length": "down",
    "max_future_days": "down", "max_age_days": "down", "max_repeat": "down", "max_sequence": "down",
    # booleans
    "require_unique": "up", "require_submission": "up", "password_after_change": "up",
    # lists: an added item is tighter ("up") or looser ("down")
    "weak_methods": "up", "statuses": "up", "need_publish_at": "up", "report_to": "up", "lexicons": "up",
    "shorteners": "up", "blocked_hosts": "up", "not_head_prefixes": "up",
    "strong_methods": "down", "allowed_managers": "down", "allowed_hosts": "down", "placeholders": "down",
    "skip_extensions": "down", "skip_statuses": "down", "head_title_suffixes": "down",
    # text rules
    "max_days_before": "up",       # accuracy-past-event: older dates are history, not stale events
    "max_bytes": "up",             # media-exif-location: larger files are still read
    "limits": "down", "max": "down", "max_chars": "down",   # clarity: per-platform and sentence limits
    "birth_words": "down", "not_names": "down",               # words that make a match acceptable
    "rights_required": "up",       # post-media: fields required per rights source
}
_LOOSER_LIST_WORDS = ("allow", "skip", "ignore", "exempt", "except", "placeholder", "safe")
_SEVERITY_RANK = {None: 0, "none": 0, "info": 1, "warning": 2, "error": 3}


@dataclass
class Change:
    """One semantic change. ``kind`` says what changed (see the module docstring of the renderers)."""

    kind: str
    direction: str
    rule: str | None = None
    clause: str | None = None
    subject: str = ""
    old: Any = None
    new: Any = None
    items: list[str] = field(default_factory=list)  # list items / lexicon terms added or removed
    unit: str | None = None  # a parameter's unit (param_schema ``unit``: days, characters …)
    label: dict[str, str] | None = None  # a parameter's description (param_schema ``description``: {ja, en})

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", [])}


@dataclass
class PolicyDiff:
    old: dict[str, Any]
    new: dict[str, Any]
    changes: list[Change]
    changelog: list[dict[str, Any]]  # entries of the new changelog that the old one lacks
    problems: list[str] = field(default_factory=list)  # version_problems()

    def by_direction(self, direction: str) -> list[Change]:
        """The changes of one direction in guideline order (clause, then rule id)."""
        items = [c for c in self.changes if c.direction == direction]
        return sorted(items, key=lambda c: (_clause_key(c.clause or "-"), c.rule or "", c.subject))

    def rule_changes(self) -> list[Change]:
        """Changes that need a new version (everything but wording)."""
        return [c for c in self.changes if c.direction != WORDING]

    def summary(self) -> dict[str, int]:
        return {d: len(self.by_direction(d)) for d in (TIGHTER, LOOSER, CHANGED, WORDING)}


# ----------------------------------------------------------------------------- comparing


def _info(p: Policy) -> dict[str, Any]:
    return {"id": p.id, "version": p.version, "status": str(p.meta.get("status", "active")),
            "name": (p.meta.get("name") or {}), "source": str(p.root)}


def sev_rank(value: Any) -> int | None:
    if isinstance(value, Severity):
        return int(value)
    key = None if value is None else str(value).lower()
    return _SEVERITY_RANK.get(key)


def _direction_of_name(name: str) -> str | None:
    """The direction of a parameter (``limits.x`` takes that of ``limits``)."""
    if name in PARAM_DIRECTIONS:
        return PARAM_DIRECTIONS[name]
    if "." in name:
        return _direction_of_name(name.split(".", 1)[0])
    if name.startswith(("min_", "require")):
        return "up"
    if name.startswith("max_"):
        return "down"
    return None


def _num(value: Any, name: str, direction: str | None) -> float | None:
    """A comparable number. None means "no limit": +inf where a higher value is looser (``max_…``),
    -inf where a higher value is tighter (``min_…``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if value is None and direction == "down":
        return float("inf")
    if value is None and direction == "up":
        return float("-inf")
    return None


def _items(value: Any) -> list[str]:
    return [json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (dict, list)) else str(v) for v in value]


def param_changes(name: str, old: Any, new: Any, *, rule: str | None = None, clause: str | None = None,
                  kind: str = "param") -> list[Change]:
    """Changes of one parameter (none when equal). A list that both gains and loses items gives two."""
    if old == new:
        return []

    def mk(direction: str, old_v: Any = old, new_v: Any = new, items: list[str] | None = None) -> Change:
        return Change(kind, direction, rule, clause, name, old_v, new_v, list(items or []))

    if name.endswith("_severity") or name == "severity":
        o, n = sev_rank(old), sev_rank(new)
        if o is not None and n is not None and o != n:
            return [mk(TIGHTER if n > o else LOOSER)]
        return [mk(CHANGED)]
    if isinstance(old, dict) and isinstance(new, dict):  # per key, each with the parameter's direction
        out: list[Change] = []
        for key in sorted(set(old) | set(new), key=str):
            out += param_changes(f"{name}.{key}", old.get(key), new.get(key), rule=rule, clause=clause, kind=kind)
        return out
    way = _direction_of_name(name)
    if isinstance(old, list) and isinstance(new, list):
        o_items, n_items = _items(old), _items(new)
        added = [x for x in n_items if x not in o_items]
        removed = [x for x in o_items if x not in n_items]
        if way is None and any(w in name for w in _LOOSER_LIST_WORDS):
            way = "down"
        out = []
        if not added and not removed:  # reordered
            return [mk(WORDING)]
        for items, is_add in ((added, True), (removed, False)):
            if not items:
                continue
            if way is None:
                d = CHANGED
            else:
                d = TIGHTER if (is_add == (way == "up")) else LOOSER
            out.append(mk(d, "+" if is_add else "-", None, items))
        return out
    if isinstance(old, bool) and isinstance(new, bool) and way is not None:
        return [mk(TIGHTER if (new == (way == "up")) else LOOSER)]
    fo, fn = _num(old, name, way), _num(new, name, way)
    if way is not None and fo is not None and fn is not None and fo != fn:
        return [mk(TIGHTER if ((fn > fo) == (way == "up")) else LOOSER)]
    return [mk(CHANGED)]


def _annotated(changes: list[Change], schema: Any) -> list[Change]:
    """The changes of one parameter with its unit and description (from its ``param_schema``)."""
    if isinstance(schema, dict):
        for c in changes:
            c.unit = str(schema["unit"]) if schema.get("unit") else None
            c.label = dict(schema["description"]) if isinstance(schema.get("description"), dict) else None
    return changes


def _lexicon_users(p: Policy) -> dict[str, str]:
    out: dict[str, str] = {}
    for rid, spec in p.rules.items():
        lex = spec.params.get("lexicons")
        for name in lex if isinstance(lex, list) else ([lex] if isinstance(lex, str) else []):
            out.setdefault(str(name), rid)
    return out


def _terms(entry: dict) -> list[str]:
    t = entry.get("terms")
    out = [str(x) for x in t] if isinstance(t, list) else []
    if entry.get("pattern"):
        out.append(f"/{entry['pattern']}/")
    return out


def _allow(entry: dict) -> list[str]:
    ctx = entry.get("context")
    a = ctx.get("allow") if isinstance(ctx, dict) else None
    return [str(x) for x in a] if isinstance(a, list) else []


def _lexicon_changes(old: Policy, new: Policy) -> list[Change]:
    out: list[Change] = []
    users = {**_lexicon_users(old), **_lexicon_users(new)}
    for name in sorted(set(old.lexicons) | set(new.lexicons)):
        rule = users.get(name)
        spec = (new.rules.get(rule) or old.rules.get(rule)) if rule else None
        clause = spec.clause if spec is not None else None
        lo, ln = old.lexicons.get(name), new.lexicons.get(name)
        if lo is None or ln is None:
            present: dict[str, Any] = ln or lo or {}
            entries = present.get("entries") or []
            out.append(Change("lexicon-added" if lo is None else "lexicon-removed", TIGHTER if lo is None else LOOSER,
                              rule, clause, name, items=[str(e.get("id")) for e in entries if isinstance(e, dict)]))
            continue
        eo = {str(e.get("id")): e for e in lo.get("entries") or [] if isinstance(e, dict)}
        en = {str(e.get("id")): e for e in ln.get("entries") or [] if isinstance(e, dict)}
        for eid in sorted(set(eo) | set(en)):
            subject = f"{name}/{eid}"
            if eid not in eo:
                b = en[eid]
                out.append(Change("lexicon-entry-added", TIGHTER, rule, str(b.get("clause") or clause or "") or None, subject,
                                  items=_terms(b), new=b.get("severity")))
                continue
            if eid not in en:
                a = eo[eid]
                out.append(Change("lexicon-entry-removed", LOOSER, rule, str(a.get("clause") or clause or "") or None, subject,
                                  items=_terms(a), old=a.get("severity")))
                continue
            a, b = eo[eid], en[eid]
            eclause = str(b.get("clause") or clause or "") or None
            ta, tb = _terms(a), _terms(b)
            if [t for t in tb if t not in ta]:
                out.append(Change("lexicon-terms-added", TIGHTER, rule, eclause, subject, items=[t for t in tb if t not in ta]))
            if [t for t in ta if t not in tb]:
                out.append(Change("lexicon-terms-removed", LOOSER, rule, eclause, subject, items=[t for t in ta if t not in tb]))
            for c in param_changes("severity", a.get("severity"), b.get("severity"), rule=rule, clause=eclause,
                                   kind="lexicon-severity"):
                c.subject = subject
                out.append(c)
            aa, ab = _allow(a), _allow(b)
            if [t for t in ab if t not in aa]:
                out.append(Change("lexicon-allow-added", LOOSER, rule, eclause, subject, items=[t for t in ab if t not in aa]))
            if [t for t in aa if t not in ab]:
                out.append(Change("lexicon-allow-removed", TIGHTER, rule, eclause, subject, items=[t for t in aa if t not in ab]))
            ca: dict[str, Any] = a["context"] if isinstance(a.get("context"), dict) else {}
            cb: dict[str, Any] = b["context"] if isinstance(b.get("context"), dict) else {}
            if ca.get("severity") != cb.get("severity") and (ca or cb):
                o, n = sev_rank(ca.get("severity")), sev_rank(cb.get("severity"))
                d = CHANGED if o is None or n is None or o == n else TIGHTER if n > o else LOOSER
                out.append(Change("lexicon-context-severity", d, rule, eclause, subject, ca.get("severity"), cb.get("severity")))
            for key in ("match", "scope"):
                va = a.get(key) if key == "match" else ca.get(key)
                vb = b.get(key) if key == "match" else cb.get(key)
                if va != vb:
                    out.append(Change("lexicon-entry", CHANGED, rule, eclause, f"{subject}.{key}", va, vb))
            if a.get("clause") != b.get("clause"):
                out.append(Change("lexicon-entry", CHANGED, rule, eclause, f"{subject}.clause", a.get("clause"), b.get("clause")))
            if a.get("suggestion") != b.get("suggestion") or a.get("examples") != b.get("examples"):
                out.append(Change("lexicon-wording", WORDING, rule, eclause, subject))
    return out


def _rule_changes(rid: str, a: RuleSpec | None, b: RuleSpec | None) -> list[Change]:
    if a is None and b is not None:
        return [Change("rule-added", TIGHTER if b.enabled else WORDING, rid, b.clause, new=str(b.severity))]
    if b is None and a is not None:
        return [Change("rule-removed", LOOSER if a.enabled else WORDING, rid, a.clause, old=str(a.severity))]
    assert a is not None and b is not None
    out: list[Change] = []
    if a.enabled != b.enabled:
        out.append(Change("rule-enabled", TIGHTER if b.enabled else LOOSER, rid, b.clause, old=a.enabled, new=b.enabled))
    if a.severity != b.severity:
        out.append(Change("severity", TIGHTER if b.severity > a.severity else LOOSER, rid, b.clause,
                          old=str(a.severity), new=str(b.severity)))
    if a.clause != b.clause:
        out.append(Change("clause", CHANGED, rid, b.clause, old=a.clause, new=b.clause))
    for name in sorted(set(a.params) | set(b.params)):
        schema = b.param_schema.get(name) or a.param_schema.get(name)
        out += _annotated(param_changes(name, a.params.get(name), b.params.get(name), rule=rid, clause=b.clause), schema)
    wording = [k for k, x, y in (("title", a.title, b.title), ("message", a.messages, b.messages), ("doc", a.doc, b.doc)) if x != y]
    if wording:
        out.append(Change("wording", WORDING, rid, b.clause, ", ".join(wording)))
    return out


def _vocabulary_changes(old: Policy, new: Policy) -> list[Change]:
    """The ``vocabularies:`` differences (:mod:`snspolicy.policy.vocabulary_diff`) as changes:
    ``vocabulary-added`` / ``vocabulary-removed`` (list items) or ``vocabulary`` (old → new)."""
    from snspolicy.policy.vocabulary_diff import vocabulary_changes

    out: list[Change] = []
    for v in vocabulary_changes(old.meta.get("vocabularies"), new.meta.get("vocabularies")):
        if v.added:
            out.append(Change("vocabulary-added", v.direction, subject=v.subject, items=list(v.added)))
        if v.removed:
            out.append(Change("vocabulary-removed", v.direction, subject=v.subject, items=list(v.removed)))
        if not v.added and not v.removed:
            out.append(Change("vocabulary", v.direction, subject=v.subject, old=v.old, new=v.new))
    return out


def diff(old: Policy, new: Policy) -> PolicyDiff:
    """Every semantic difference between two policies, in a stable order."""
    changes: list[Change] = []
    for rid in sorted(set(old.rules) | set(new.rules)):
        changes += _rule_changes(rid, old.rules.get(rid), new.rules.get(rid))
    changes += _lexicon_changes(old, new)
    for cid in sorted(set(old.categories) | set(new.categories)):
        a, b = old.categories.get(cid), new.categories.get(cid)
        if a is None:
            changes.append(Change("category-added", LOOSER, "post-category", "3(4)", cid, new=(b or {}).get("ja")))
        elif b is None:
            changes.append(Change("category-removed", TIGHTER, "post-category", "3(4)", cid, old=a.get("ja")))
        elif a != b:
            changes.append(Change("category", WORDING, "post-category", "3(4)", cid, a.get("ja"), b.get("ja")))
    for name in sorted(set(old.params) | set(new.params)):
        schema = new.param_schema.get(name) or old.param_schema.get(name)
        changes += _annotated(param_changes(name, old.params.get(name), new.params.get(name), kind="policy-param"), schema)
    for cid in sorted(set(old.clauses) | set(new.clauses), key=_clause_key):
        a, b = old.clauses.get(cid), new.clauses.get(cid)
        if a is None or b is None:
            changes.append(Change("guideline-clause-added" if a is None else "guideline-clause-removed", CHANGED, clause=cid))
        elif a.get("text") != b.get("text") or a.get("checkable") != b.get("checkable"):
            if a.get("text") != b.get("text"):
                changes.append(Change("guideline-clause-text", CHANGED, clause=cid, old=str(a.get("text") or ""),
                                      new=str(b.get("text") or "")))
            if a.get("checkable") != b.get("checkable"):
                changes.append(Change("guideline-clause", CHANGED, clause=cid, old=a.get("checkable"), new=b.get("checkable")))
        elif a != b:
            changes.append(Change("guideline-clause-wording", WORDING, clause=cid))
    changes += _vocabulary_changes(old, new)
    old_versions = {str(e.get("version")) for e in old.meta.get("changelog") or [] if isinstance(e, dict)}
    new_log = [e for e in new.meta.get("changelog") or [] if isinstance(e, dict) and str(e.get("version")) not in old_versions]
    d = PolicyDiff(_info(old), _info(new), changes, new_log)
    d.problems = version_problems(old, new, d)
    return d


def version_key(version: Any) -> tuple[int, ...]:
    """The numbers of a version (``2025-04-01`` → (2025, 4, 1); ``1.10`` → (1, 10)) for ordering."""
    return tuple(int(n) for n in re.findall(r"\d+", str(version or "")))


def version_problems(old: Policy, new: Policy, d: PolicyDiff | None = None) -> list[str]:
    """``version_backwards`` when the new version is lower than the old one (whatever changed);
    ``same_version`` or ``no_changelog`` when the rules changed without a new version; else []."""
    d = d if d is not None else diff(old, new)
    if d.changes and version_key(new.version) < version_key(old.version):
        return ["version_backwards"]
    if not d.rule_changes():
        return []
    if str(new.version) == str(old.version):
        return ["same_version"]
    entries = [e for e in new.meta.get("changelog") or [] if isinstance(e, dict)]
    if not any(str(e.get("version")) == str(new.version) for e in entries):
        return ["no_changelog"]
    old_versions = {str(e.get("version")) for e in old.meta.get("changelog") or [] if isinstance(e, dict)}
    if str(new.version) in old_versions:
        return ["same_version"]
    return []


def _clause_key(c: str) -> tuple:
    import re

    return tuple(int(n) for n in re.findall(r"\d+", c)) or (999,)


# ----------------------------------------------------------------------------- impact on a posts repo


@dataclass
class FileImpact:
    path: str
    added: list[str]  # rules reported under NEW but not OLD, or more severely: "rule" / "rule (warning→error)"
    removed: list[str]  # rules reported under OLD but not NEW, or less severely


@dataclass
class Impact:
    repo: str
    today: str
    fail_on: str
    old_failing: int
    new_failing: int
    newly_fail: list[FileImpact]
    newly_pass: list[FileImpact]
    changed: list[FileImpact]  # findings differ, pass/fail the same
    notes: list[str] = field(default_factory=list)


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A character-run diff of two texts: ``[(op, text)]`` with op ``=`` (unchanged), ``-``
    (deleted) or ``+`` (added). Japanese has no spaces between words, so the diff works on
    characters; an unchanged run of three characters or fewer between two edits is folded into
    them, so that a reworded phrase reads as one deletion and one addition."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.append(("=", old[i1:i2]))
            continue
        if i2 > i1:
            ops.append(("-", old[i1:i2]))
        if j2 > j1:
            ops.append(("+", new[j1:j2]))
    merged: list[tuple[str, str]] = []
    pending = {"-": "", "+": ""}

    def flush() -> None:
        for k in ("-", "+"):
            if pending[k]:
                merged.append((k, pending[k]))
                pending[k] = ""

    for i, (op, text) in enumerate(ops):
        between_edits = 0 < i < len(ops) - 1 and ops[i - 1][0] != "=" and ops[i + 1][0] != "="
        if op == "=" and len(text) <= 3 and between_edits:
            pending["-"] += text
            pending["+"] += text
        elif op == "=":
            flush()
            merged.append(("=", text))
        else:
            pending[op] += text
    flush()
    return merged
