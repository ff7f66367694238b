"""A rule explained as plain text: its clause and the guideline's text, what it checks and why,
bad and good examples, parameters (``snspolicy explain`` and the language server's hover)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from snspolicy.core import messages

if TYPE_CHECKING:
    from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["explain_text"]


def explain_text(pol: Policy, spec: RuleSpec, lang: str) -> str:
    """The explanation of ``spec`` (a rule of ``pol``) in ``lang``."""
    def label(name: str) -> str:
        return messages.message("label." + name, lang)

    doc = spec.doc or {}
    clause = pol.clauses.get(spec.clause, {})
    out = [f"{spec.id}: {spec.title_in(lang)}", f"{label('clause')}: {spec.clause} {pol.clause_title(spec.clause, lang)}",
           f"{label('severity')}: {spec.severity}"]
    if clause.get("text"):
        out.append(f"{label('guideline')}: {clause['text']}")
    for key in ("what", "why"):
        v = (doc.get(key) or {})
        if v:
            out += ["", f"{label(key)}:", "  " + (v.get(lang) or v.get("ja", ""))]
    for key in ("bad", "good"):
        if doc.get(key):
            out += ["", f"{label(key)}:"] + ["  " + line for line in str(doc[key]).rstrip().splitlines()]
    if spec.params:
        out += ["", f"{label('params')}:"] + [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in spec.params.items()]
    return "\n".join(out)
