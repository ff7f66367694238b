"""``snspolicy explain RULE``: a rule with its clause's text, why it exists, bad and good examples
(rendered by :func:`snspolicy.reporters.explain.explain_text`, which the language server's hover shares)."""

from __future__ import annotations

import click

from snspolicy.commands._options import lang_option, policy_here
from snspolicy.core.errors import EXIT_OK, UserError

__all__ = ["explain"]


@click.command("explain")
@click.argument("rule_id")
@lang_option()
@click.option("--policy", "policy_ref", default=None, help="ポリシーを指定 / policy id or path")
def explain(rule_id: str, lang: str, policy_ref: str | None) -> int:
    """ルールの説明（条項の本文、理由、悪い例・良い例）/ explain a rule."""
    from snspolicy.reporters.explain import explain_text

    pol = policy_here(policy_ref)
    spec = pol.rules.get(rule_id)
    if spec is None:
        raise UserError("explain.no_rule", {"rule": rule_id})
    click.echo(explain_text(pol, spec, lang))
    return EXIT_OK
