"""The rule registry.

A rule is a small function registered with :func:`rule`. It receives one
document (or, for ``kinds=("repo",)``, the whole repository once) and a
:class:`~snspolicy.context.Context`, and yields :class:`~snspolicy.model.Problem`
objects. It never prints and never formats messages: the policy holds the
clause, severity, title and message templates under the same rule id, so a
policy change is a reviewable YAML diff.

Built-in rules live in the modules listed in :data:`BUILTIN_MODULES`, grouped by
guideline clause. Third-party packages add rules through the ``snspolicy.rules``
entry-point group (see :mod:`snspolicy.plugins`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..context import Context
    from ..loader.documents import Document
    from ..model import Problem

CheckFn = Callable[["Document", "Context"], Iterable["Problem"]]


@dataclass(frozen=True)
class RuleImpl:
    id: str
    kinds: frozenset[str]  # document kinds: account, post, press, incident, config, repo
    func: CheckFn
    text: bool = False  # needs Japanese text analysis (heavy, loaded lazily)
    module: str = ""


REGISTRY: dict[str, RuleImpl] = {}

BUILTIN_MODULES = (
    "snspolicy.rules.core",
    "snspolicy.rules.accounts",
    "snspolicy.rules.secrets",
    "snspolicy.rules.posts",
    "snspolicy.rules.waivers",
    "snspolicy.rules.text_lexicon",
    "snspolicy.rules.text_pii",
    "snspolicy.rules.text_accuracy",
    "snspolicy.rules.text_clarity",
    "snspolicy.rules.incidents",
    "snspolicy.rules.workflow",
)

# Rules implemented by the engine itself (they have policy entries but no function).
ENGINE_RULES = frozenset({"yaml-syntax", "file-encoding", "schema", "waiver-invalid", "waiver-expired", "waiver-unused", "internal-error"})


def rule(rule_id: str, *, kinds: Iterable[str], text: bool = False) -> Callable[[CheckFn], CheckFn]:
    """Register ``func`` as the implementation of ``rule_id``."""

    def deco(func: CheckFn) -> CheckFn:
        if rule_id in REGISTRY and REGISTRY[rule_id].func is not func:
            raise ValueError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = RuleImpl(rule_id, frozenset(kinds), func, text, func.__module__)
        return func

    return deco


_loaded = False


def load_builtin_rules() -> dict[str, RuleImpl]:
    global _loaded
    if not _loaded:
        for name in BUILTIN_MODULES:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:  # a missing dependency inside an existing module is a bug
                    raise
        _loaded = True
    return REGISTRY
