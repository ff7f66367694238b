"""Which parameters a rule implementation reads, so that a policy lacking one is refused when it
is loaded (``lint``, ``policy validate``) rather than when a document happens to reach the line.

A rule reads its parameters with ``ctx.param("name")`` (:meth:`snspolicy.rules.api.Context.param`,
which has no default). An implementation registered with ``@rule(..., params=(...))`` declares
them; otherwise they are read from the source of its module (``ast``, once per module):

* every ``<x>.param("name")`` call with a literal name in the rule's function,
* and in the module-level functions it calls (transitively), where a helper that receives the
  name as an argument (``def _severity(ctx, name, default): ctx.param(name)``) counts the literal
  its caller passes (``_severity(ctx, "weak_severity", "warning")``).

What cannot be seen this way (a name computed at run time, a helper in another module) is still
caught when the rule runs: ``ctx.param`` raises a located policy error, a fatal finding.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.rules.api import RuleImpl

__all__ = ["module_reads", "params_read"]


@dataclass
class _Function:
    names: set[str] = field(default_factory=set)  # literal parameter names read here
    by_arg: dict[str, int] = field(default_factory=dict)  # argument name -> position, read as a parameter name
    calls: list[ast.Call] = field(default_factory=list)  # calls of module-level functions


def _scan(fn: ast.FunctionDef | ast.AsyncFunctionDef, module_functions: set[str]) -> _Function:
    args = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
    out = _Function()
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "param" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                out.names.add(first.value)
            elif isinstance(first, ast.Name) and first.id in args:
                out.by_arg[first.id] = args.index(first.id)
        elif isinstance(func, ast.Name) and func.id in module_functions:
            out.calls.append(node)
    return out


def _literal_arg(call: ast.Call, position: int, name: str) -> str | None:
    node: ast.expr | None = call.args[position] if position < len(call.args) else None
    if node is None:
        node = next((k.value for k in call.keywords if k.arg == name), None)
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


@lru_cache(maxsize=None)
def module_reads(path: str) -> dict[str, frozenset[str]]:
    """For each module-level function of the file ``path``, the parameters it reads (see the module
    docstring); empty when the file cannot be read or parsed."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return {}
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    scanned = {name: _scan(fn, set(defs)) for name, fn in defs.items()}
    memo: dict[str, set[str]] = {}

    def reads(name: str, stack: tuple[str, ...] = ()) -> set[str]:
        if name in memo:
            return memo[name]
        if name in stack:
            return set()
        f = scanned[name]
        found = set(f.names)
        for call in f.calls:
            callee = call.func.id  # type: ignore[attr-defined]
            found |= reads(callee, stack + (name,))
            for arg, position in scanned[callee].by_arg.items():
                literal = _literal_arg(call, position, arg)
                if literal is not None:
                    found.add(literal)
        memo[name] = found
        return found

    return {name: frozenset(reads(name)) for name in defs}


def params_read(impl: RuleImpl) -> frozenset[str]:
    """The parameters ``impl`` reads: declared, or found in its module's source."""
    if impl.params is not None:
        return impl.params
    module = sys.modules.get(impl.module)
    path = getattr(module, "__file__", None)
    if not path or not str(path).endswith(".py"):
        return frozenset()
    name = getattr(impl.func, "__name__", "")
    return module_reads(str(path)).get(name, frozenset())
