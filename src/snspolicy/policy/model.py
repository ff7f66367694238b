"""Loading the guideline's policy: versioned YAML under ``policy/`` (or a path).

A policy is a folder ``<city>/<version>/`` with ``policy.yaml`` (metadata, clauses, categories,
shared parameters, changelog) that includes rule fragments (``rules/*.yaml``) and lexicons
(``lexicons/*.yaml``), or writes them inline (``rules:``, ``lexicons:``). A ``policy.yaml`` may
instead **extend** another policy and give only its changes (``extends: ube/2025-04-01``);
:mod:`snspolicy.policy.resolve` merges the chain into one document. The format is
docs/policy-format.md. Everything is validated against ``schemas/policy.schema.json``,
``rules.schema.json`` and ``lexicon.schema.json``; what a schema cannot say (parameters against
their ``param_schema``, placeholders in the docs, the clause of a lexicon entry, the version of
an extending policy) is checked by :mod:`snspolicy.policy.checks`.

A policy id (``ube/2025-04-01``) always names the bundled policy: a folder of the same name
inside a posts repo never shadows it. A local policy is named by a path, which must stay inside
the repo when it comes from ``snspolicy.yaml`` (:func:`resolve`'s ``inside``, which also bounds
its ``extends:``), and every ``include:`` must stay inside the policy's own folder (no absolute
path, no ``..``, no link leading out). :meth:`Policy.where` gives the file and line that wrote
any part of the resolved policy, so that a check made later can point at it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core.model import Severity, Span
from snspolicy.core.resources import data_dir
from snspolicy.io import schemacheck
from snspolicy.io.textfile import inside as _inside
from snspolicy.io.yamlloc import ParseMemo
from snspolicy.policy.errors import PolicyError
from snspolicy.policy.params import render
from snspolicy.policy.resolve import Resolved, Sources, bundled_ids, resolve_file

__all__ = ["Policy", "PolicyError", "RuleSpec", "apply_overrides", "bundled_ids", "load", "resolve", "rule_spec"]


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
    kind: str = ""  # a generic kind (lexicon, fields, pattern: docs/policy-authoring.md); "" for a rule with its own code
    #: name -> JSON Schema fragment (with snspolicy's ``description`` and ``unit``) of each parameter
    param_schema: dict[str, Any] = field(default_factory=dict)
    #: the policy's shared parameters (a rule's own take precedence), for rendering placeholders
    shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def param_values(self) -> dict[str, Any]:
        """The parameters a placeholder may name: the shared ones, then the rule's own."""
        return {**self.shared, **self.params}

    def message(self, variant: str | None, lang: str) -> str:
        """The message template of ``variant`` in ``lang``, its ``{params.NAME}`` placeholders filled
        (the others, such as ``{count}``, are the finding's own and stay for the engine)."""
        m = self.messages.get(variant or "default") or self.messages.get("default") or {}
        template = m.get(lang) or m.get("ja") or m.get("en") or self.title.get(lang, self.id)
        return render(template, self.param_values(), lang) if "{params." in template else template

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("ja") or self.id

    def doc_text(self, key: str, lang: str) -> str:
        """``what``, ``why`` or ``fix`` of the documentation in ``lang`` (Japanese when missing),
        with the parameters' current values in place of ``{params.NAME}``. ``bad`` and ``good``
        are examples and are returned as written."""
        value = self.doc.get(key)
        if isinstance(value, dict):
            text = str(value.get(lang) or value.get("ja") or value.get("en") or "")
        else:
            text = "" if value is None else str(value)
        if key in ("bad", "good") or "{params." not in text:
            return text
        return render(text, self.param_values(), lang)


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
    #: name -> JSON Schema fragment of each shared parameter
    param_schema: dict[str, Any] = field(default_factory=dict)
    #: what the policy extends, as written (``ube/2025-04-01``), and that policy's id and version
    extends: str | None = None
    base_id: str | None = None
    base_version: str | None = None
    #: where every part of the resolved policy was written (see :mod:`snspolicy.policy.resolve`)
    sources: Sources | None = field(default=None, repr=False, compare=False)
    #: the resolved document (``policy show --resolved`` prints it)
    document: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def where(self, *path: Any, key: bool = False) -> tuple[str, Span]:
        """File and span of a part of the policy (the nearest recorded parent; the main file)."""
        probe = tuple(path)
        while probe:
            if probe in self.locations:
                return self.locations[probe]
            probe = probe[:-1]
        if self.sources is not None:
            found = self.sources.where(path, key=key or (len(path) == 2 and path[0] in ("rules", "clauses")))
            if found[0]:
                return found
        return (str(self.files[0]) if self.files else self.id, Span())

    def clause_title(self, clause: str, lang: str) -> str:
        c = self.clauses.get(clause) or {}
        t = c.get("title") or {}
        return t.get(lang) or t.get("ja") or ""

    def unit_of(self, rule: str | None, name: str) -> str | None:
        """The ``unit`` of a parameter (``limits.x`` takes that of ``limits``), or None."""
        schema = self.schema_of(rule, name)
        unit = schema.get("unit") if isinstance(schema, dict) else None
        return str(unit) if unit else None

    def schema_of(self, rule: str | None, name: str) -> dict[str, Any] | None:
        """The ``param_schema`` entry of a rule's parameter (or a shared one when ``rule`` is None
        or the rule has no such parameter)."""
        head = name.split(".", 1)[0]
        spec = self.rules.get(rule) if rule else None
        if spec is not None and head in spec.param_schema:
            found = spec.param_schema[head]
        else:
            found = self.param_schema.get(head)
        return found if isinstance(found, dict) else None


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


def rule_spec(rid: str, r: dict[str, Any], source: str, shared: dict[str, Any] | None = None) -> RuleSpec:
    """A rule of the policy (its schema already checked) as a :class:`RuleSpec`."""
    message = r["message"]
    return RuleSpec(
        id=rid,
        clause=str(r["clause"]),
        severity=Severity.parse(r["severity"]),
        title=r["title"],
        messages=message if "default" in message else {"default": message},
        params=dict(r.get("params") or {}),
        doc=r.get("doc") or {},
        enabled=r.get("enabled", True),
        source=source,
        kind=str(r.get("kind") or ""),
        param_schema=dict(r.get("param_schema") or {}),
        shared=shared if shared is not None else {},
    )


def _check_resolved(res: Resolved) -> None:
    """What the merge produced against the schemas (the first problem raised, at the line that
    wrote it): the policy's sections when it extends another, and each rule and lexicon written
    inline or changed by an extending file. (Each file was checked when it was read; what comes
    unchanged from an included file or from the base needs no second check.)"""
    doc = res.data
    checks: list[tuple[str, Any, tuple[Any, ...]]] = []
    if res.base is not None:
        checks.append(("policy", {k: v for k, v in doc.items() if k not in ("rules", "lexicons")}, ()))
    checks += [("lexicon", doc["lexicons"][name], ("lexicons", name))
               for section, name in sorted(res.touched) if section == "lexicons" and name in doc["lexicons"]]
    for kind, data, prefix in checks:
        problems = schemacheck.check(kind, data)
        if problems:
            p = problems[0]
            where = prefix + tuple(p.path)
            path, span = res.sources.where(where, key=p.key)
            raise PolicyError(path, span, p.code, p.params | {"where": ".".join(map(str, where))})
    touched = {name: doc["rules"][name] for section, name in res.touched if section == "rules" and name in doc["rules"]}
    problems = schemacheck.check("rules", {"rules": touched}) if touched else []
    if problems:
        p = problems[0]
        path, span = res.sources.where(p.path, key=p.key)
        raise PolicyError(path, span, p.code, p.params | {"where": ".".join(map(str, p.path))})


def load(ref: str, base: Path | None = None, *, inside: Path | None = None, memo: ParseMemo | None = None) -> Policy:
    """Load a policy (see :func:`resolve` for ``ref``, ``base`` and ``inside``), its ``extends:``
    chain merged. Raises :class:`PolicyError` for a file that cannot be read, a schema problem,
    a broken chain (a cycle, a missing base, a removal of something the base lacks) or a rule
    naming a clause the policy does not have. The checks that list every problem (parameters,
    placeholders, lexicon clauses, versions) are :func:`snspolicy.policy.checks.problems`."""
    main = resolve(ref, base, inside=inside)
    res = resolve_file(main, inside=inside, memo=memo)
    _check_resolved(res)
    doc = res.data
    shared = dict(doc.get("params") or {})
    rules: dict[str, RuleSpec] = {}
    for rid, r in doc["rules"].items():
        source = res.sources.file_of(("rules", rid)) or str(main)
        rules[rid] = rule_spec(rid, r, source, shared)
    clauses = {str(k): v for k, v in doc["clauses"].items()}
    for rid, spec in rules.items():
        if spec.clause not in clauses and spec.clause != "-":
            raise PolicyError(*res.sources.where(("rules", rid, "clause")), "policy_unknown_clause",
                              {"rule": rid, "clause": spec.clause})
    meta = {k: v for k, v in doc.items() if k not in ("rules", "lexicons")}
    base_res = res.base
    return Policy(
        id=doc["id"],
        version=str(doc["version"]),
        root=main.parent,
        meta=meta,
        clauses=clauses,
        rules=rules,
        lexicons=dict(doc["lexicons"]),
        categories=doc.get("categories") or {},
        params=shared,
        files=res.files,
        param_schema=dict(doc.get("param_schema") or {}),
        extends=res.extends,
        base_id=str(base_res.data.get("id")) if base_res is not None else None,
        base_version=str(base_res.data.get("version")) if base_res is not None else None,
        sources=res.sources,
        document=doc,
    )


def apply_overrides(policy: Policy, overrides: dict[str, Any]) -> Policy:
    """Apply ``snspolicy.yaml``'s ``rules:`` overrides (already schema-checked: each has a reason;
    their parameters are checked by :func:`snspolicy.policy.checks.override_problems`)."""
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
