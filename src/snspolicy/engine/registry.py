"""The rule registry as the engine sees it: the built-in rule modules, the rules the engine
implements itself, and loading them (plugins add theirs through :mod:`snspolicy.engine.plugins`)."""

from __future__ import annotations

import importlib

from snspolicy.rules.api import REGISTRY, RuleImpl

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
