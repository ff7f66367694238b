"""A rule explained as plain text: its clause and the guideline's text, what it checks and why,
bad and good examples, parameters (``snspolicy explain`` and the language server's hover).

The documentation shows the parameters' current values (``{params.min_length}`` in the policy's
text, :meth:`~snspolicy.policy.model.RuleSpec.doc_text`), and each parameter is listed with its
value and unit, so that the explanation follows the policy (and the repo's overrides)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from snspolicy.core import messages
from snspolicy.policy.params import unit_label

if TYPE_CHECKING:
    from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["explain_text"]


def explain_text(pol: Policy, spec: RuleSpec, lang: str) -> str:
    """The explanation of ``spec`` (a rule of ``pol``) in ``lang``."""
    def label(name: str) -> str:
        return messages.message("label." + name, lang)

    clause = pol.clauses.get(spec.clause, {})
    out = [f"{spec.id}: {spec.title_in(lang)}", f"{label('clause')}: {spec.clause} {pol.clause_title(spec.clause, lang)}",
           f"{label('severity')}: {spec.severity}"]
    if clause.get("text"):
        out.append(f"{label('guideline')}: {clause['text']}")
    for key in ("what", "why"):
        text = spec.doc_text(key, lang)
        if text:
            out += ["", f"{label(key)}:", "  " + text]
    for key in ("bad", "good"):
        if spec.doc.get(key):
            out += ["", f"{label(key)}:"] + ["  " + line for line in str(spec.doc[key]).rstrip().splitlines()]
    if spec.params:
        out += ["", f"{label('params')}:"]
        for k, v in spec.params.items():
            unit = unit_label((spec.param_schema.get(k) or {}).get("unit"), lang) if _numeric(v) else ""
            out.append(f"  {k}: {json.dumps(v, ensure_ascii=False)}" + (f" {unit}" if unit else ""))
    return "\n".join(out)


def _numeric(value: object) -> bool:
    """A number, or a mapping or list of numbers (the values a unit applies to)."""
    if isinstance(value, dict):
        return bool(value) and all(_numeric(v) for v in value.values())
    if isinstance(value, list):
        return bool(value) and all(_numeric(v) for v in value)
    return isinstance(value, (int, float)) and not isinstance(value, bool)
