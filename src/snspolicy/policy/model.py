"""Loading the guideline's policy: versioned YAML under ``policy/`` (or a path).

A policy is a folder ``<city>/<version>/`` with ``policy.yaml`` (metadata,
clauses, categories, shared parameters, changelog) that includes rule
fragments (``rules/*.yaml``) and lexicons (``lexicons/*.yaml``). Everything is
validated against ``schemas/policy.schema.json`` and ``lexicon.schema.json``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core.errors import UserError
from snspolicy.io import schemacheck
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import read_text
from snspolicy.io.yamlloc import load_yaml
from snspolicy.core.model import Severity, Span
from snspolicy.core.resources import data_dir


@dataclass
class PolicyError(UserError):
    """The policy itself is broken: exit status 2."""

    path: str
    span: Span
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class RuleSpec:
    id: str
    clause: str
    severity: Severity
    title: dict[str, str]
    messages: dict[str, dict[str, str]]  # variant -> lang -> template
    params: dict[str, Any]
    doc: dict[str, Any]
    enabled: bool = True
    source: str = ""  # file the rule came from

    def message(self, variant: str | None, lang: str) -> str:
        m = self.messages.get(variant or "default") or self.messages.get("default") or {}
        return m.get(lang) or m.get("ja") or m.get("en") or self.title.get(lang, self.id)

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("ja") or self.id


@dataclass
class Policy:
    id: str
    version: str
    root: Path
    meta: dict[str, Any]
    clauses: dict[str, dict[str, Any]]
    rules: dict[str, RuleSpec]
    lexicons: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, str]]
    params: dict[str, Any]
    files: list[Path] = field(default_factory=list)

    def clause_title(self, clause: str, lang: str) -> str:
        c = self.clauses.get(clause) or {}
        t = c.get("title") or {}
        return t.get(lang) or t.get("ja") or ""


def resolve(ref: str, base: Path | None = None) -> Path:
    """``ube/2025-04-01`` → the bundled policy folder; otherwise a path (folder or policy.yaml)."""
    candidates = []
    p = Path(ref)
    if base is not None and not p.is_absolute():
        candidates.append(base / p)
    candidates.append(p)
    candidates.append(data_dir("policy") / ref)
    for c in candidates:
        if c.is_file():
            return c
        if (c / "policy.yaml").is_file():
            return c / "policy.yaml"
    raise PolicyError(ref, Span(), "policy_not_found", {"ref": ref, "available": bundled_ids() or ["-"]})


def bundled_ids() -> list[str]:
    """The policies shipped with snspolicy, e.g. ``ube/2025-04-01``."""
    base = data_dir("policy")
    try:
        return sorted(p.parent.relative_to(base).as_posix() for p in base.glob("*/*/policy.yaml"))
    except OSError:
        return []


def _load(path: Path, kind: str, rel: str) -> Any:
    try:
        located = load_yaml(read_text(path))
    except LoadError as exc:
        raise PolicyError(rel, exc.span, exc.code, exc.params) from None
    problems = schemacheck.check(kind, located.data)
    if problems:
        p = problems[0]
        raise PolicyError(rel, located.span(p.path, p.key), p.code, p.params | {"where": ".".join(map(str, p.path))})
    return located.data


def load(ref: str, base: Path | None = None) -> Policy:
    main = resolve(ref, base)
    root = main.parent
    data = _load(main, "policy", str(main))
    files = [main]
    rules: dict[str, RuleSpec] = {}
    for frag in data.get("include", {}).get("rules", []):
        fpath = root / frag
        fdata = _load(fpath, "rules", str(fpath))
        files.append(fpath)
        for rid, r in (fdata.get("rules") or {}).items():
            if rid in rules:
                raise PolicyError(str(fpath), Span(), "policy_duplicate_rule", {"rule": rid})
            rules[rid] = RuleSpec(
                id=rid,
                clause=str(r["clause"]),
                severity=Severity.parse(r["severity"]),
                title=r["title"],
                messages=r["message"] if "default" in r["message"] else {"default": r["message"]},
                params=r.get("params") or {},
                doc=r.get("doc") or {},
                enabled=r.get("enabled", True),
                source=str(fpath),
            )
    lexicons: dict[str, dict[str, Any]] = {}
    for lex in data.get("include", {}).get("lexicons", []):
        lpath = root / lex
        ldata = _load(lpath, "lexicon", str(lpath))
        files.append(lpath)
        lexicons[ldata["lexicon"]] = ldata
    for rid, spec in rules.items():
        if spec.clause not in data["clauses"] and spec.clause != "-":
            raise PolicyError(str(main), Span(), "policy_unknown_clause", {"rule": rid, "clause": spec.clause})
    return Policy(
        id=data["id"],
        version=str(data["version"]),
        root=root,
        meta=data,
        clauses={str(k): v for k, v in data["clauses"].items()},
        rules=rules,
        lexicons=lexicons,
        categories=data.get("categories") or {},
        params=data.get("params") or {},
        files=files,
    )


def apply_overrides(policy: Policy, overrides: dict[str, Any]) -> Policy:
    """Apply ``snspolicy.yaml``'s ``rules:`` overrides (already schema-checked: each has a reason)."""
    policy = copy.copy(policy)
    policy.rules = dict(policy.rules)
    for rid, o in (overrides or {}).items():
        spec = policy.rules.get(rid)
        if spec is None:
            continue
        spec = copy.copy(spec)
        if "enabled" in o:
            spec.enabled = bool(o["enabled"])
        if "severity" in o:
            spec.severity = Severity.parse(o["severity"])
        if "params" in o:
            spec.params = {**spec.params, **o["params"]}
        policy.rules[rid] = spec
    return policy
