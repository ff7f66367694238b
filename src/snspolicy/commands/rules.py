"""``snspolicy rules``: the rules of the policy in force, with clause, severity and title."""

from __future__ import annotations

import json
import re

import click

from snspolicy.commands._options import lang_option, policy_here
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_OK

__all__ = ["clause_order", "rules"]


@click.command("rules")
@lang_option()
@click.option("--policy", "policy_ref", default=None, help="ポリシーを指定 / policy id or path")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules(lang: str, policy_ref: str | None, fmt: str) -> int:
    """ルールの一覧（ID・条項・重大度・名称）/ list the rules with their clause."""
    from snspolicy.engine.registry import is_runnable

    pol = policy_here(policy_ref)
    rows = []
    for rid, spec in sorted(pol.rules.items(), key=lambda kv: (clause_order(kv[1].clause), kv[0])):
        rows.append({"id": rid, "clause": spec.clause, "severity": str(spec.severity), "title": spec.title_in(lang),
                     "enabled": spec.enabled, "implemented": is_runnable(rid, spec)})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max(len(str(r["id"])) for r in rows) if rows else 10
    for r in rows:
        flag = "" if r["enabled"] else messages.message("rules.disabled", lang)
        click.echo(f"{r['id']:<{width}}  {r['clause']:<6}  {r['severity']:<7}  {r['title']}{flag}")
    return EXIT_OK


def clause_order(clause: str) -> tuple[int, list[int]]:
    """Guideline order: 3(1) < 3(2) < 3(10) < 4; clauses without a number last."""
    nums = [int(n) for n in re.findall(r"\d+", clause)]
    return (0 if nums else 1, nums)
