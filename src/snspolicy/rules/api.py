"""What a rule may use: the :class:`Context` it receives, the :func:`rule` decorator that
registers it, and (re-exported from core) :class:`Problem` and :class:`Span`.

A rule is a small function registered with :func:`rule`. It receives one document (or, for
``kinds=("repo",)``, the whole repository once) and a :class:`Context`, and yields
:class:`~snspolicy.core.model.Problem` objects. It never prints and never formats messages: the
policy holds the clause, severity, title and message templates under the same rule id, so a policy
change is a reviewable YAML diff. Rules import only this module, ``snspolicy.domain``,
``snspolicy.text``, ``snspolicy.io`` (read-only document views) and ``snspolicy.core`` — never
another rule module, never git, never the CLI. The engine collects the registrations
(:mod:`snspolicy.engine.registry`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from snspolicy.core.model import Problem, Span

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.io.changes import ChangeSet
    from snspolicy.io.config import Config
    from snspolicy.io.documents import Document
    from snspolicy.io.repo import Repo
    from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["Context", "Problem", "Span", "RuleImpl", "REGISTRY", "rule", "CheckFn"]


@dataclass
class Context:
    repo: "Repo"
    policy: "Policy"
    today: dt.date
    lang: str = "ja"
    rule: "RuleSpec | None" = None
    shared: dict[str, Any] = field(default_factory=dict)  # per-run caches shared by rules
    changes: "ChangeSet | None" = None  # lint --base: the change as data (see snspolicy.io.changes)
    memo: "Callable[[str, Callable[[], Any]], Any] | None" = None  # the run's cache (snspolicy.engine.cache)

    @property
    def params(self) -> dict[str, Any]:
        """The current rule's parameters (policy, then the repo's overrides)."""
        return self.rule.params if self.rule else {}

    def param(self, name: str) -> Any:
        """The value of parameter ``name``: the current rule's own, else the policy's shared one.

        There is no default in Python: every value a rule uses is written in the policy (with its
        schema). A parameter the policy does not define raises
        :class:`~snspolicy.policy.model.PolicyError` at the rule in the policy — a fatal finding
        (exit status 2), never a silent fallback. ``policy validate`` and ``lint`` find such a
        rule before anything runs (:func:`snspolicy.app.rule_params.params_read`)."""
        if self.rule is not None and name in self.rule.params:
            return self.rule.params[name]
        if name in self.policy.params:
            return self.policy.params[name]
        from snspolicy.policy.model import PolicyError

        rid = self.rule.id if self.rule is not None else "-"
        raise PolicyError(*self.policy.where("rules", rid), "policy_param_undefined", {"rule": rid, "param": name},
                          "internal-error")

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, which the engine may keep in the repo's cache for later runs.

        ``key`` must name everything ``compute`` reads besides the policy, the settings and the
        shared inputs (those are in the cache's key): a file's path and a digest of its bytes.
        The value must be plain JSON (lists, dicts, strings, numbers); it comes back as JSON
        (tuples become lists). Without a cache it is simply computed."""
        if self.memo is None:
            return compute()
        return self.memo(key, compute)

    @property
    def config(self) -> "Config":
        return self.repo.config

    def problem(self, at: Span | tuple[Any, ...] = (), /, **kw: Any) -> Problem:
        return Problem(at=at, **kw)


CheckFn = Callable[["Document", "Context"], Iterable["Problem"]]


@dataclass(frozen=True)
class RuleImpl:
    id: str
    kinds: frozenset[str]  # document kinds: account, post, press, incident, config, repo
    func: CheckFn
    module: str = ""
    # a finding about the words of a post: in a pull-request run (``lint --base``) it is kept only
    # when it is on a line the change touched (an old sentence is not the author's new problem)
    text: bool = False
    # what else in the repo the rule reads besides its document ("accounts", "press", "posts",
    # "roster", "config", "changes"): a change to those re-checks the documents this rule sees
    depends_on: frozenset[str] = frozenset()
    # the parameters it reads with ``ctx.param`` when declared (``@rule(..., params=...)``); None:
    # found by reading the source (snspolicy.app.rule_params)
    params: frozenset[str] | None = None


REGISTRY: dict[str, RuleImpl] = {}


def rule(rule_id: str, *, kinds: Iterable[str], text: bool = False,
         depends_on: Iterable[str] = (), params: Iterable[str] | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register ``func`` as the implementation of ``rule_id``.

    ``params``: the parameters it reads with ``ctx.param`` (optional: without it they are found
    in the module's source; a plugin whose rule reads them indirectly declares them)."""

    def deco(func: CheckFn) -> CheckFn:
        if rule_id in REGISTRY and REGISTRY[rule_id].func is not func:
            raise ValueError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = RuleImpl(rule_id, frozenset(kinds), func, func.__module__, text, frozenset(depends_on),
                                     frozenset(params) if params is not None else None)
        return func

    return deco
