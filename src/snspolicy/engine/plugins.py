"""Third-party rules: packages register them in the ``snspolicy.rules`` entry-point group.

A department or another city adds rules without forking snspolicy::

    # pyproject.toml of the plugin package
    [project.entry-points."snspolicy.rules"]
    dept = "snspolicy_dept_rules"          # a module (or "module:object")

Importing the entry point registers the rule functions with
:func:`snspolicy.rules.rule`. The module's ``POLICY`` attribute names a rules
fragment in the policy format (``rules/*.yaml``: clause, severity, title,
messages, doc). :func:`merge_fragments` validates each fragment with
``schemas/rules.schema.json`` exactly like the built-in fragments, checks that
its clauses exist in the policy, that its ids do not clash with the policy's
and that the plugin really implements every rule it declares, and adds the
rules to the policy, so that ``lint``, ``rules``, ``explain`` and ``docs`` see
them. Anything wrong is a :class:`~snspolicy.policy.PolicyError` (exit status 2)
naming the fragment file and line, or the plugin: a plugin that silently does
not run would make a green check worthless.

Importing a plugin is contained: any exception, and also ``SystemExit`` (``sys.exit(0)`` in a
plugin's module would otherwise end the run with status 0 and no report) and other
``BaseException`` subclasses, becomes ``plugin_load_error`` (exit status 2, reported as an
``internal-error`` finding). Only ``KeyboardInterrupt`` goes through: Ctrl-C stops the run
(exit status 130 at the command line).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snspolicy.io import schemacheck
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import read_text
from snspolicy.io.yamlloc import Located, load_yaml
from snspolicy.core.model import Severity, Span
from snspolicy.policy.model import Policy, PolicyError, rule_spec

ENTRY_POINT_GROUP = "snspolicy.rules"



@dataclass(frozen=True)
class Plugin:
    """One entry point of the ``snspolicy.rules`` group after loading it."""

    name: str  # entry point name
    target: str  # "module" or "module:attr"
    distribution: str | None
    obj: Any = None
    error: str | None = None  # "ExceptionType: text" when importing failed

    @property
    def module(self) -> str:
        return self.target.split(":", 1)[0].strip()

    @property
    def fragment(self) -> Path | None:
        """The ``POLICY`` fragment path, when the plugin ships one."""
        frag = getattr(self.obj, "POLICY", None) if self.error is None else None
        if frag is None or frag == "":
            return None
        try:
            return Path(os.fspath(frag))
        except TypeError:
            return Path(str(frag))


_loaded: list[Plugin] | None = None


def discover() -> list[Plugin]:
    """Import every plugin once (cached); a plugin whose import fails carries ``error``."""
    global _loaded
    if _loaded is not None:
        return _loaded
    from snspolicy.engine.registry import load_builtin_rules

    load_builtin_rules()  # first, so that a plugin clashing with a built-in id fails on its own import
    from snspolicy.engine.libraries import may_have_entry_points

    found: list[Plugin] = []
    eps: list[Any] = []
    if may_have_entry_points(ENTRY_POINT_GROUP):
        from importlib import metadata

        try:
            eps = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value))
        except Exception:  # pragma: no cover - broken metadata of an unrelated package
            eps = []
    seen: set[tuple[str, str]] = set()
    for ep in eps:
        if (ep.name, ep.value) in seen:  # the same distribution visible twice on sys.path
            continue
        seen.add((ep.name, ep.value))
        dist = getattr(getattr(ep, "dist", None), "name", None)
        try:
            found.append(Plugin(ep.name, ep.value, dist, ep.load()))
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - SystemExit(0) too: reported by merge_fragments, never a traceback
            found.append(Plugin(ep.name, ep.value, dist, None, describe_exception(exc)))
    _loaded = found
    return found


def describe_exception(exc: BaseException) -> str:
    """``Type: first line`` of an exception (``SystemExit: 0``), at most 200 characters of text."""
    try:
        text = str(exc).splitlines()[0][:200] if str(exc) else ""
    except Exception:  # noqa: BLE001 - a broken __str__
        text = ""
    return f"{type(exc).__name__}: {text}".rstrip(": ") if text else type(exc).__name__


def load_plugins() -> list[tuple[str, object]]:
    """(entry point name, loaded object or the import error text) for every plugin."""
    return [(p.name, p.obj if p.error is None else p.error) for p in discover()]


def policy_fragments() -> list[Path]:
    """Rule fragments (YAML) shipped by plugins."""
    return [f for f in (p.fragment for p in discover()) if f is not None]


def reset() -> None:
    """Forget the loaded plugins (tests)."""
    global _loaded
    _loaded = None


# --------------------------------------------------------------------------- merging


def _load_fragment(path: Path) -> Located:
    rel = str(path)
    try:
        located = load_yaml(read_text(path))
    except LoadError as exc:
        raise PolicyError(rel, exc.span, exc.code, exc.params) from None
    except OSError as exc:  # pragma: no cover - read_text reports unreadable files itself
        raise PolicyError(rel, Span(), "unreadable", {"error": type(exc).__name__}) from None
    problems = schemacheck.check("rules", located.data)
    if problems:
        p = problems[0]
        raise PolicyError(rel, located.span(p.path, p.key), p.code, p.params | {"where": ".".join(map(str, p.path))})
    return located


def _owned_by(impl_module: str, plugin: Plugin) -> bool:
    top = plugin.module.split(".", 1)[0]
    return impl_module == plugin.module or impl_module.split(".", 1)[0] == top


def merge_fragments(policy: Policy, plugins: list[Plugin] | None = None) -> Policy:
    """A copy of ``policy`` with the rules of every plugin's fragment added.

    ``plugins`` defaults to :func:`discover` (the installed entry points).
    Raises :class:`~snspolicy.policy.PolicyError` when a plugin cannot be
    imported, its fragment is missing or invalid (file, line and column of the
    problem), a rule names a clause the policy does not have, an id is already
    taken, or a declared rule has no implementation. Calling it again on its own
    result changes nothing.
    """
    from snspolicy.rules.api import REGISTRY

    plugins = discover() if plugins is None else plugins
    if not plugins:
        return policy
    merged = copy.copy(policy)
    merged.rules = dict(policy.rules)
    merged.files = list(policy.files)
    merged.locations = dict(policy.locations)
    done: set[Path] = set()
    for plugin in plugins:
        where = f"{plugin.distribution or plugin.name} ({plugin.target})"
        if plugin.error is not None:
            raise PolicyError(where, Span(), "plugin_load_error",
                              {"plugin": plugin.name, "target": plugin.target, "error": plugin.error}, "internal-error")
        frag = plugin.fragment
        if frag is None:
            continue
        if not frag.is_file():
            raise PolicyError(where, Span(), "plugin_fragment_missing", {"plugin": plugin.name, "fragment": str(frag)})
        resolved = frag.resolve()
        if resolved in done:
            continue
        done.add(resolved)
        source = str(frag)
        located = _load_fragment(frag)
        for rid, raw in ((located.data or {}).get("rules") or {}).items():
            existing = merged.rules.get(rid)
            if existing is not None:
                if existing.source == source:
                    continue  # merged before (idempotent)
                raise PolicyError(source, located.span(("rules", rid), key=True), "policy_duplicate_rule", {"rule": rid})
            clause = str(raw["clause"])
            if clause != "-" and clause not in merged.clauses:
                raise PolicyError(source, located.span(("rules", rid, "clause")), "policy_unknown_clause",
                                  {"rule": rid, "clause": clause})
            impl = REGISTRY.get(rid)
            if impl is None:
                raise PolicyError(source, located.span(("rules", rid), key=True), "plugin_rule_missing",
                                  {"plugin": plugin.name, "rule": rid})
            if not _owned_by(impl.module, plugin):
                raise PolicyError(source, located.span(("rules", rid), key=True), "plugin_rule_foreign",
                                  {"plugin": plugin.name, "rule": rid, "module": impl.module})
            merged.rules[rid] = rule_spec(rid, raw, source, shared=merged.params)  # as the policy's own rules
            merged.locations[("rules", rid)] = (source, located.span(("rules", rid), key=True))
            for name in raw.get("params") or {}:
                merged.locations[("rules", rid, "params", name)] = (source, located.span(("rules", rid, "params", name)))
        if frag not in merged.files:
            merged.files.append(frag)
    return merged


__all__ = ["ENTRY_POINT_GROUP", "Plugin", "describe_exception", "discover", "load_plugins", "policy_fragments",
           "merge_fragments", "reset"]
