"""The words that differ between cities, read from the policy's ``vocabularies:`` section.

A guideline names people and steps in its own words: who may approve (管理者, 代理者, 運用管理者
…), which 在職区分 of the staff roster count as present staff, what makes a title a section
head's (各課等の長), the steps of the response to unauthorized access and who is told, the short
clause headings of the reports and the sample values ``snspolicy init`` writes. They are data
of the policy, never Python: this module reads them (with no fallback value of its own) and the
rules, the engine and the commands ask it. Format: docs/policy-authoring.md ("Vocabularies").

:func:`vocabulary` parses the section once per policy (cached) and raises
:class:`~snspolicy.policy.model.PolicyError` (exit status 2, at the policy file) when it is
missing or inconsistent; :func:`vocabulary_problems` lists every problem for ``policy validate``.
The JSON Schema of the section (``schemas/policy.schema.json``) checks the shapes when the
policy is loaded; this module checks what a schema cannot: that the roles an approval names
exist, that incident steps are known, that a word list is not empty.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from snspolicy.domain.staff import HeadTitles

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.policy.model import Policy, PolicyError

__all__ = [
    "APPROVALS",
    "INCIDENT_STEP_KEYS",
    "STATES",
    "Approvers",
    "IncidentStep",
    "Role",
    "StatusRule",
    "Vocabulary",
    "approver_fields",
    "clause_headings",
    "vocabulary",
    "vocabulary_problems",
]

#: what an approval may be for: the use of an account (3(1), holders_exception), a post, a revision
#: and a deletion of a post (5), a waiver (an accepted finding)
APPROVALS = ("accounts", "posts", "revisions", "deletions", "waivers")
#: how the roster's 在職区分 reads: in post, away for a while (休職, 出向 …), gone (退職 …)
STATES = ("active", "leave", "gone")
#: the incident steps the incident record can hold (schemas/incident.schema.json, steps)
INCIDENT_STEP_KEYS = ("change_password", "notify_platform", "announce", "report", "website", "press_release", "police")


@dataclass(frozen=True)
class Role:
    """A role that may approve: its name (``manager``), the account field naming its people
    (``manager``: one person; ``deputies``: a list) and its title in each language."""

    name: str
    field: str
    title: dict[str, str]

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("ja") or self.name


@dataclass(frozen=True)
class Approvers:
    """The approver roles and, per kind of approval (:data:`APPROVALS`), the roles that may give it."""

    roles: tuple[Role, ...]
    approve: dict[str, tuple[str, ...]]

    def roles_for(self, what: str) -> tuple[Role, ...]:
        names = self.approve.get(what, ())
        return tuple(r for r in self.roles if r.name in names)

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)


@dataclass(frozen=True)
class StatusRule:
    """One line of the roster-status table: a 在職区分 containing one of ``contains`` is ``state``."""

    state: str
    contains: tuple[str, ...]


@dataclass(frozen=True)
class IncidentStep:
    """One step of the incident response: the record's key, its clause, its name and whether it
    belongs to the ordered sequence (each such step not before the previous one)."""

    key: str
    clause: str
    title: dict[str, str]
    ordered: bool = False

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("ja") or self.key


@dataclass(frozen=True)
class Vocabulary:
    approvers: Approvers
    statuses: tuple[StatusRule, ...]
    section_heads: HeadTitles
    incident_steps: tuple[IncidentStep, ...]
    report_to: tuple[str, ...]
    init: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Problem:
    """A problem of the section: where (below ``vocabularies``), a ``vocab.*`` code, its params."""

    path: tuple[Any, ...]
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def _normal(word: Any) -> str:
    return unicodedata.normalize("NFKC", str(word)).strip().lower()


def _words(value: Any) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in value if isinstance(v, (str, int)) and not isinstance(v, bool)
                 and str(v).strip()) if isinstance(value, list) else ()


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
    return {"ja": value} if isinstance(value, str) else {}


def _parse(raw: Any) -> tuple[Vocabulary | None, list[_Problem]]:
    problems: list[_Problem] = []
    if not isinstance(raw, Mapping):
        return None, [_Problem((), "vocab.missing")]
    for key in ("approvers", "staff_statuses", "section_heads", "incident"):
        if key not in raw:
            problems.append(_Problem((key,), "vocab.missing_part", {"part": key}))
    if problems:
        return None, problems

    # approvers
    ap = raw.get("approvers") or {}
    roles: list[Role] = []
    for name, r in (ap.get("roles") or {}).items():
        r = r if isinstance(r, Mapping) else {}
        fld = str(r.get("field") or "").strip()
        if not fld:
            problems.append(_Problem(("approvers", "roles", name), "vocab.role_field", {"role": name}))
        roles.append(Role(str(name), fld, _texts(r.get("title"))))
    if not roles:
        problems.append(_Problem(("approvers", "roles"), "vocab.no_roles"))
    names = {r.name for r in roles}
    approve: dict[str, tuple[str, ...]] = {}
    given = ap.get("approve") or {}
    for what in APPROVALS:
        if what not in given:
            problems.append(_Problem(("approvers", "approve"), "vocab.approve_missing", {"what": what}))
            continue
        listed = _words(given.get(what))
        for n in listed:
            if n not in names:
                problems.append(_Problem(("approvers", "approve", what), "vocab.unknown_role",
                                            {"role": n, "roles": sorted(names) or ["-"]}))
        if not listed:
            problems.append(_Problem(("approvers", "approve", what), "vocab.approve_empty", {"what": what}))
        approve[what] = listed
    for what in given:
        if what not in APPROVALS:
            problems.append(_Problem(("approvers", "approve", what), "vocab.approve_unknown",
                                    {"what": what, "known": list(APPROVALS)}))

    # staff statuses: first matching line wins; no match: active
    statuses: list[StatusRule] = []
    for i, line in enumerate(raw.get("staff_statuses") or []):
        line = line if isinstance(line, Mapping) else {}
        state = str(line.get("state") or "")
        words = _words(line.get("contains"))
        if state not in STATES:
            problems.append(_Problem(("staff_statuses", i, "state"), "vocab.state", {"state": state, "known": list(STATES)}))
        if not words:
            problems.append(_Problem(("staff_statuses", i, "contains"), "vocab.status_words"))
        statuses.append(StatusRule(state, tuple(_normal(w) for w in words)))

    # section heads
    sh = raw.get("section_heads") or {}
    endings = _words(sh.get("endings"))
    exact = _words(sh.get("exact"))
    if not endings and not exact:
        problems.append(_Problem(("section_heads",), "vocab.head_words"))
    heads = HeadTitles.from_words(endings, _words(sh.get("not_after")), exact)

    # incident steps
    inc = raw.get("incident") or {}
    steps: list[IncidentStep] = []
    seen: set[str] = set()
    for i, s in enumerate(inc.get("steps") or []):
        s = s if isinstance(s, Mapping) else {}
        key = str(s.get("key") or "")
        if key not in INCIDENT_STEP_KEYS:
            problems.append(_Problem(("incident", "steps", i, "key"), "vocab.step_key",
                                    {"step": key, "known": list(INCIDENT_STEP_KEYS)}))
        if key in seen:
            problems.append(_Problem(("incident", "steps", i, "key"), "vocab.step_twice", {"step": key}))
        seen.add(key)
        steps.append(IncidentStep(key, str(s.get("clause") or ""), _texts(s.get("title")), bool(s.get("ordered", False))))
    if not steps:
        problems.append(_Problem(("incident", "steps"), "vocab.no_steps"))
    report_to = _words(inc.get("report_to"))
    init = raw.get("init") if isinstance(raw.get("init"), Mapping) else {}
    vocab = Vocabulary(Approvers(tuple(roles), approve), tuple(statuses), heads, tuple(steps), report_to, dict(init or {}))
    return vocab, problems


_CACHE: dict[int, tuple[Any, Vocabulary | None, list[_Problem]]] = {}


def _parsed(policy: Policy) -> tuple[Vocabulary | None, list[_Problem]]:
    raw = (policy.meta or {}).get("vocabularies")
    hit = _CACHE.get(id(policy.meta))
    if hit is not None and hit[0] is policy.meta:
        return hit[1], hit[2]
    vocab, problems = _parse(raw)
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[id(policy.meta)] = (policy.meta, vocab, problems)  # holding meta keeps its id from being reused
    return vocab, problems


def _error(policy: Policy, p: _Problem) -> PolicyError:
    from snspolicy.core.errors import UserError
    from snspolicy.policy.model import PolicyError

    where = ".".join(str(x) for x in ("vocabularies", *p.path))
    path, span = policy.where("vocabularies", *p.path)
    return PolicyError(path, span, "policy_vocabulary_invalid", {"where": where, "problem": UserError(p.code, p.params)})


def vocabulary_problems(policy: Policy) -> list[PolicyError]:
    """Every problem of the policy's ``vocabularies:`` section (empty: fine)."""
    _, problems = _parsed(policy)
    return [_error(policy, p) for p in problems]


def vocabulary(policy: Policy) -> Vocabulary:
    """The policy's vocabularies; :class:`~snspolicy.policy.model.PolicyError` when missing or invalid."""
    vocab, problems = _parsed(policy)
    if problems or vocab is None:
        raise _error(policy, problems[0] if problems else _Problem((), "vocab.missing"))
    return vocab


def clause_headings(policy: Policy, lang: str) -> dict[str, str]:
    """Clause id → the short heading the reports group findings under (the clause's ``heading``,
    else its ``title``) in ``lang``."""
    out: dict[str, str] = {}
    for cid, c in (policy.clauses or {}).items():
        c = c if isinstance(c, Mapping) else {}
        h = _texts(c.get("heading")) or _texts(c.get("title"))
        text = h.get(lang) or h.get("ja") or ""
        if text:
            out[str(cid)] = text
    return out


def approver_fields(policy: Policy, what: str) -> tuple[str, ...]:
    """The account fields naming the people who may approve ``what`` (:data:`APPROVALS`), in the
    order of the policy's roles: e.g. ``("manager", "deputies")`` for Ube's posts."""
    return tuple(r.field for r in vocabulary(policy).approvers.roles_for(what))
