"""What changed between two policies' ``vocabularies:`` (for ``snspolicy policy diff``).

The vocabularies decide who may approve, who counts as present staff, who is a section head and
which incident steps are required (docs/policy-authoring.md): a reviewer must see a change to
them as clearly as a changed parameter. Each difference is one :class:`VocabularyChange` with a
direction, read as the rules read the words:

* ``approvers.approve.<what>`` — a role that may no longer approve makes the check stricter;
  a role added loosens it. ``approvers.roles.<name>.title`` is wording; ``.field`` a change;
* ``section_heads`` — more ``endings`` / ``exact`` titles accept more people (looser), more
  ``not_after`` words fewer (stricter);
* ``staff_statuses`` — the table as a whole (its lines are read in order): a change;
* ``incident.steps`` — a step added is stricter, one removed looser; ``incident.report_to``
  the same for recipients;
* ``init`` — the sample values of ``snspolicy init``: wording (nothing is checked with them).

The policy layer cannot import the domain layer, so this module reads the raw mappings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["VocabularyChange", "vocabulary_changes"]

TIGHTER, LOOSER, CHANGED, WORDING = "tighter", "looser", "changed", "wording"


@dataclass(frozen=True)
class VocabularyChange:
    """``subject`` is the dotted path below ``vocabularies``; ``added``/``removed`` the list items."""

    direction: str
    subject: str
    old: Any = None
    new: Any = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _m(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _words(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _list_change(subject: str, a: Any, b: Any, added_dir: str, removed_dir: str) -> list[VocabularyChange]:
    wa, wb = _words(a), _words(b)
    added = [w for w in wb if w not in wa]
    removed = [w for w in wa if w not in wb]
    if not added and not removed:
        return [] if wa == wb else [VocabularyChange(CHANGED, subject, wa, wb)]  # only the order changed
    direction = added_dir if not removed else removed_dir if not added else CHANGED
    return [VocabularyChange(direction, subject, wa, wb, added, removed)]


def _title(value: Any) -> str:
    t = _m(value)
    return " / ".join(str(t[k]) for k in ("ja", "en") if t.get(k)) or str(value or "")


def _status_lines(value: Any) -> list[str]:
    """The roster-status table as lines ``word・word → state`` (its order is part of its meaning)."""
    return [f"{'・'.join(_words(x.get('contains')))} → {x.get('state')}" for x in value if isinstance(x, Mapping)] \
        if isinstance(value, list) else []


def _step_keys(value: Any) -> list[str]:
    return [str(s.get("key")) for s in value if isinstance(s, Mapping)] if isinstance(value, list) else []


def vocabulary_changes(old: Any, new: Any) -> list[VocabularyChange]:
    """Every difference between two ``vocabularies:`` mappings, in a stable order."""
    a, b = _m(old), _m(new)
    out: list[VocabularyChange] = []
    # approvers
    ra, rb = _m(_m(a.get("approvers")).get("roles")), _m(_m(b.get("approvers")).get("roles"))
    for name in sorted(set(ra) | set(rb)):
        x, y = _m(ra.get(name)), _m(rb.get(name))
        if name not in ra or name not in rb:
            out.append(VocabularyChange(CHANGED, f"approvers.roles.{name}", dict(x) or None, dict(y) or None))
            continue
        if x.get("field") != y.get("field"):
            out.append(VocabularyChange(CHANGED, f"approvers.roles.{name}.field", x.get("field"), y.get("field")))
        if x.get("title") != y.get("title"):
            out.append(VocabularyChange(WORDING, f"approvers.roles.{name}.title", _title(x.get("title")), _title(y.get("title"))))
    pa, pb = _m(_m(a.get("approvers")).get("approve")), _m(_m(b.get("approvers")).get("approve"))
    for what in sorted(set(pa) | set(pb)):
        out += _list_change(f"approvers.approve.{what}", pa.get(what), pb.get(what), LOOSER, TIGHTER)
    # staff statuses: an ordered table, compared line by line ("派遣職員 → active")
    if a.get("staff_statuses") != b.get("staff_statuses"):
        la, lb = _status_lines(a.get("staff_statuses")), _status_lines(b.get("staff_statuses"))
        out += _list_change("staff_statuses", la, lb, CHANGED, CHANGED) or [VocabularyChange(CHANGED, "staff_statuses", la, lb)]
    # section heads
    ha, hb = _m(a.get("section_heads")), _m(b.get("section_heads"))
    for key, added_dir, removed_dir in (("endings", LOOSER, TIGHTER), ("exact", LOOSER, TIGHTER), ("not_after", TIGHTER, LOOSER)):
        out += _list_change(f"section_heads.{key}", ha.get(key), hb.get(key), added_dir, removed_dir)
    # incident
    ia, ib = _m(a.get("incident")), _m(b.get("incident"))
    sa, sb = ia.get("steps"), ib.get("steps")
    if sa != sb:
        ka, kb = _step_keys(sa), _step_keys(sb)
        found = _list_change("incident.steps", ka, kb, TIGHTER, LOOSER)
        if not found:  # the same steps: their order flags or clauses changed (a change), or their names (wording)
            def shape(steps: Any) -> list[tuple[Any, ...]]:
                return [(s.get("key"), s.get("clause"), bool(s.get("ordered"))) for s in steps if isinstance(s, Mapping)] \
                    if isinstance(steps, list) else []
            found = [VocabularyChange(CHANGED if shape(sa) != shape(sb) else WORDING, "incident.steps", ka, kb)]
        out += found
    out += _list_change("incident.report_to", ia.get("report_to"), ib.get("report_to"), TIGHTER, LOOSER)
    # init: sample values only
    if a.get("init") != b.get("init"):
        out.append(VocabularyChange(WORDING, "init"))
    return out
