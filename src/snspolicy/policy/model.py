"""Loading the guideline's policy: versioned YAML under ``policy/`` (or a path).

A policy is a folder ``<city>/<version>/`` with ``policy.yaml`` (metadata,
clauses, categories, shared parameters, changelog) that includes rule
fragments (``rules/*.yaml``) and lexicons (``lexicons/*.yaml``). Everything is
validated against ``schemas/policy.schema.json`` and ``lexicon.schema.json``.

A policy id (``ube/2025-04-01``) always names the bundled policy: a folder of the same name
inside a posts repo never shadows it. A local policy is named by a path, which must stay inside
the repo when it comes from ``snspolicy.yaml`` (:func:`resolve`'s ``inside``), and every
``include:`` must stay inside the policy's own folder (no absolute path, no ``..``, no link
leading out). :attr:`Policy.locations` keeps the file and line of every rule parameter and
lexicon entry, so that a check made later (an unsafe regular expression) can point at it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core.errors import UserError
from snspolicy.io import schemacheck
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import inside as _inside, read_text
from snspolicy.io.yamlloc import Located, load_yaml
from snspolicy.core.model import Severity, Span
from snspolicy.core.resources import data_dir


@dataclass
class PolicyError(UserError):
    """The policy itself is broken: exit status 2."""

    path: str
    span: Span
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    rule: str = "schema"  # the rule id of the finding that reports it (plugins: internal-error)


#: where a part of the policy was written: file and span, by a path such as
#: ("rules", rule_id, "params", name) or ("lexicons", name, "entries", index)
Locations = dict[tuple[Any, ...], tuple[str, Span]]


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
    locations: Locations = field(default_factory=dict)

    def where(self, *path: Any) -> tuple[str, Span]:
        """File and span of a part of the policy (the nearest recorded parent; the main file)."""
        key = tuple(path)
        while key:
            if key in self.locations:
                return self.locations[key]
            key = key[:-1]
        return (str(self.files[0]) if self.files else self.id, Span())

    def clause_title(self, clause: str, lang: str) -> str:
        c = self.clauses.get(clause) or {}
        t = c.get("title") or {}
        return t.get(lang) or t.get("ja") or ""


def resolve(ref: str, base: Path | None = None, *, inside: Path | None = None) -> Path:
    """The ``policy.yaml`` a reference names.

    ``ube/2025-04-01`` (a bundled policy's id) → the bundled policy, whatever folders exist
    around. Anything else is a path to a policy folder or ``policy.yaml``: relative to ``base``,
    and (when ``inside`` is None: a path typed on the command line) to the current folder.
    With ``inside`` (the repo, for a reference written in ``snspolicy.yaml``) the path must stay
    inside it: a link or ``..`` leading out is ``policy_local_outside``.
    """
    key = ref.strip().strip("/")
    if key in bundled_ids():
        return data_dir("policy") / key / "policy.yaml"
    candidates = []
    p = Path(ref)
    if base is not None and not p.is_absolute():
        candidates.append(base / p)
    if inside is None:
        candidates.append(p)
    elif p.is_absolute() or "\0" in ref or not _inside(base / p if base is not None else p, inside):
        raise PolicyError(ref, Span(), "policy_local_outside", {"ref": ref})
    for c in candidates:
        try:
            if c.is_file():
                return c
            if (c / "policy.yaml").is_file():
                return c / "policy.yaml"
        except (OSError, ValueError):
            continue
    raise PolicyError(ref, Span(), "policy_not_found", {"ref": ref, "available": bundled_ids() or ["-"]})


def bundled_ids() -> list[str]:
    """The policies shipped with snspolicy, e.g. ``ube/2025-04-01``."""
    base = data_dir("policy")
    try:
        return sorted(p.parent.relative_to(base).as_posix() for p in base.glob("*/*/policy.yaml"))
    except OSError:
        return []


def _load(path: Path, kind: str, rel: str) -> Located:
    try:
        located = load_yaml(read_text(path))
    except LoadError as exc:
        raise PolicyError(rel, exc.span, exc.code, exc.params) from None
    problems = schemacheck.check(kind, located.data)
    if problems:
        p = problems[0]
        raise PolicyError(rel, located.span(p.path, p.key), p.code, p.params | {"where": ".".join(map(str, p.path))})
    return located


def _included(root: Path, main: Path, located: Located, kind: str, index: int, name: Any) -> Path:
    """The file an ``include:`` entry names, refused when it leaves the policy's folder."""
    rel = str(name)
    fpath = root / rel
    if Path(rel).is_absolute() or "\0" in rel or not _inside(fpath, root):
        raise PolicyError(str(main), located.span(("include", kind, index)), "policy_include_outside", {"include": rel})
    return fpath


def load(ref: str, base: Path | None = None, *, inside: Path | None = None) -> Policy:
    """Load a policy (see :func:`resolve` for ``ref``, ``base`` and ``inside``)."""
    main = resolve(ref, base, inside=inside)
    root = main.parent
    main_located = _load(main, "policy", str(main))
    data = main_located.data
    files = [main]
    locations: Locations = {}
    for key, span in main_located.values.items():
        if len(key) == 2 and key[0] == "params":
            locations[key] = (str(main), span)
    rules: dict[str, RuleSpec] = {}
    for i, frag in enumerate(data.get("include", {}).get("rules", [])):
        fpath = _included(root, main, main_located, "rules", i, frag)
        flocated = _load(fpath, "rules", str(fpath))
        fdata = flocated.data
        files.append(fpath)
        for rid, r in (fdata.get("rules") or {}).items():
            if rid in rules:
                raise PolicyError(str(fpath), flocated.span(("rules", rid), key=True), "policy_duplicate_rule", {"rule": rid})
            locations[("rules", rid)] = (str(fpath), flocated.span(("rules", rid), key=True))
            for name in r.get("params") or {}:
                locations[("rules", rid, "params", name)] = (str(fpath), flocated.span(("rules", rid, "params", name)))
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
    for i, lex in enumerate(data.get("include", {}).get("lexicons", [])):
        lpath = _included(root, main, main_located, "lexicons", i, lex)
        llocated = _load(lpath, "lexicon", str(lpath))
        ldata = llocated.data
        files.append(lpath)
        name = ldata["lexicon"]
        lexicons[name] = ldata
        locations[("lexicons", name)] = (str(lpath), Span())
        for j, _entry in enumerate(ldata.get("entries") or []):
            locations[("lexicons", name, "entries", j)] = (str(lpath), llocated.span(("entries", j)))
            if ("entries", j, "pattern") in llocated.values:
                locations[("lexicons", name, "entries", j, "pattern")] = (str(lpath), llocated.span(("entries", j, "pattern")))
    for rid, spec in rules.items():
        if spec.clause not in data["clauses"] and spec.clause != "-":
            raise PolicyError(*locations[("rules", rid)], "policy_unknown_clause", {"rule": rid, "clause": spec.clause})
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
        locations=locations,
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
