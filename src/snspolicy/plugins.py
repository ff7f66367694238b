"""Third-party rules: packages register them in the ``snspolicy.rules`` entry-point group.

An entry point names a module (or any object in it); importing it registers its
rules with :func:`snspolicy.rules.rule`. If the module has a ``POLICY`` attribute
(a path to a rules fragment in the policy format, ``rules/*.yaml``), the
fragment is validated like the built-in policy and merged into it.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

_loaded: list[tuple[str, object]] | None = None


def load_plugins() -> list[tuple[str, object]]:
    """Import every plugin once; returns (entry point name, loaded object)."""
    global _loaded
    if _loaded is None:
        _loaded = []
        try:
            eps = metadata.entry_points(group="snspolicy.rules")
        except Exception:  # pragma: no cover - broken metadata should not stop linting
            eps = ()
        for ep in eps:
            try:
                _loaded.append((ep.name, ep.load()))
            except Exception as exc:  # a broken plugin is reported, not fatal for the run
                _loaded.append((ep.name, exc))
    return _loaded


def policy_fragments() -> list[Path]:
    """Rule fragments (YAML) shipped by plugins."""
    out: list[Path] = []
    for _name, obj in load_plugins():
        frag = getattr(obj, "POLICY", None)
        if frag:
            out.append(Path(frag))
    return out
