"""Output formats. A reporter turns findings plus a :class:`ReportContext` into text.

Reporters know nothing about rules: everything they print comes from
:class:`~snspolicy.core.model.Finding` (path, position, rule id, clause, severity,
message, title) and the context (rule metadata from the policy, counts,
language). Each format lives in its own module, imported only when used.

Usage::

    from snspolicy.reporters import render
    print(render("text", findings, ctx, color=True))

Options (keyword arguments) a format does not know are ignored, so a caller
may pass the same options to every format.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any
from collections.abc import Callable

from snspolicy.core.model import Finding, ReportContext

Reporter = Callable[..., str]

#: format name -> module inside this package (each module has ``render(findings, ctx, **options)``)
_MODULES: dict[str, str] = {
    "text": "text",
    "json": "json_",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
    "junit": "junit",
    "gitlab": "gitlab",
    "html": "html",
}


def _lazy(module: str) -> Reporter:
    def call(findings: list[Finding], ctx: ReportContext, **options: Any) -> str:
        mod = importlib.import_module(f"{__name__}.{module}")
        fn = mod.render
        params = inspect.signature(fn).parameters
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            options = {k: v for k, v in options.items() if k in params}
        return str(fn(findings, ctx, **options))

    call.__name__ = f"render_{module.rstrip('_')}"
    call.__doc__ = f"Render findings with snspolicy.reporters.{module} (imported on first use)."
    return call


#: format name -> reporter callable ``(findings, ctx, **options) -> str``
REPORTERS: dict[str, Reporter] = {name: _lazy(mod) for name, mod in _MODULES.items()}

FORMATS: tuple[str, ...] = tuple(REPORTERS)


def render(fmt: str, findings: list[Finding], ctx: ReportContext | None = None, **options: Any) -> str:
    """Render ``findings`` in format ``fmt`` (one of :data:`FORMATS`).

    Raises :class:`ValueError` (message lists the known formats) for an unknown
    format; that is a usage error for the CLI (exit status 2).
    """
    reporter = REPORTERS.get(str(fmt).strip().lower())
    if reporter is None:
        raise ValueError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return reporter(list(findings or []), ctx if ctx is not None else ReportContext(), **options)


__all__ = ["FORMATS", "REPORTERS", "Reporter", "render"]
