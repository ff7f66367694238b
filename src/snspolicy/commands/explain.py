"""``snspolicy explain RULE``: a rule with its clause's text, why it exists, bad and good examples."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from snspolicy.commands._options import lang_option, policy_here
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_OK, UserError

if TYPE_CHECKING:
    from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["explain", "explain_text"]


@click.command("explain")
@click.argument("rule_id")
@lang_option()
@click.option("--policy", "policy_ref", default=None, help="ポリシーを指定 / policy id or path")
def explain(rule_id: str, lang: str, policy_ref: str | None) -> int:
    """ルールの説明（条項の本文、理由、悪い例・良い例）/ explain a rule."""
    pol = policy_here(policy_ref)
    spec = pol.rules.get(rule_id)
    if spec is None:
        raise UserError("explain.no_rule", {"rule": rule_id})
    click.echo(explain_text(pol, spec, lang))
    return EXIT_OK


def explain_text(pol: Policy, spec: RuleSpec, lang: str) -> str:
    """The explanation of ``spec`` as plain text."""
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
