"""The rule registry as the engine sees it: the built-in rule modules, the rules the engine
implements itself, and loading them (plugins add theirs through :mod:`snspolicy.engine.plugins`).

A rule of a generic kind (``kind: lexicon | fields | pattern`` in the policy,
:mod:`snspolicy.rules.generic`) has no registration of its own: :func:`implementation` gives the
kind's implementation for it, and :func:`is_runnable` is what every caller asks ("can anything run
this rule?")."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from snspolicy.rules.api import REGISTRY, RuleImpl

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.policy.model import Policy, RuleSpec

# Built-in rules, grouped by guideline clause (one module per group).
BUILTIN_MODULES = (
    "snspolicy.rules.core",
    "snspolicy.rules.accounts",
    "snspolicy.rules.security",
    "snspolicy.rules.secret_rules",
    "snspolicy.rules.posts",
    "snspolicy.rules.text_lexicon",
    "snspolicy.rules.text_pii",
    "snspolicy.rules.text_accuracy",
    "snspolicy.rules.text_clarity",
    "snspolicy.rules.incidents",
    "snspolicy.rules.workflow",
    "snspolicy.rules.activity",
)

# Rules implemented by the engine itself (they have policy entries but no function). Listed once.
ENGINE_RULES = frozenset({"yaml-syntax", "file-encoding", "schema", "waiver-invalid", "waiver-expired", "waiver-unused",
                          "internal-error"})

# Rules about reading the input: they run even when a policy does not list them (and --select
# keeps them), since a file that cannot be read cannot be checked.
INPUT_RULES = frozenset({"yaml-syntax", "file-encoding", "schema"})

_loaded = False


def load_builtin_rules() -> dict[str, RuleImpl]:
    """Import every built-in rule module (each registers its rules). A module that cannot be
    imported is an error, never silently skipped."""
    global _loaded
    if not _loaded:
        for name in BUILTIN_MODULES:
            importlib.import_module(name)
        _loaded = True
    return REGISTRY


def implementation(spec: RuleSpec) -> RuleImpl | None:
    """What runs ``spec``: its generic kind's implementation (run under the rule's id), or the
    implementation registered under its id (built in or from a plugin); None when nothing can.
    A rule that names a kind AND has an id of a registered rule is refused (:func:`kind_problems`):
    one rule, one implementation."""
    registry = load_builtin_rules()
    if spec.kind:
        from snspolicy.rules.generic import KIND_IMPLS

        impl = KIND_IMPLS.get(spec.kind)
        return None if impl is None or spec.id in registry else impl
    return registry.get(spec.id)


def is_runnable(rule_id: str, spec: RuleSpec) -> bool:
    """Can anything run this rule? A rule the engine implements itself (yaml-syntax, schema,
    waivers …), a rule of a generic kind, or one with a registered implementation."""
    return rule_id in ENGINE_RULES or implementation(spec) is not None


def kind_problems(policy: Policy) -> list[tuple[str, tuple[Any, ...], str, dict[str, Any]]]:
    """(rule id, path below the rule, message code, params) for every rule of a generic kind whose
    parameters are wrong, or whose id is that of a rule with its own implementation."""
    from snspolicy.rules.generic import kind_problems as problems

    registry = load_builtin_rules()
    out: list[tuple[str, tuple[Any, ...], str, dict[str, Any]]] = []
    for rid, spec in policy.rules.items():
        if not spec.kind:
            continue
        if rid in registry or rid in ENGINE_RULES:
            out.append((rid, ("kind",), "generic.builtin_id", {"rule": rid}))
            continue
        for path, code, params in problems(spec, policy):
            out.append((rid, ("params", *path), code, params))
    return out


def kind_param_names(kind: str) -> tuple[str, ...]:
    """The parameters a rule of generic kind ``kind`` takes (none for an unknown kind)."""
    from snspolicy.rules.generic import KIND_PARAMS

    return KIND_PARAMS.get(kind, ())
