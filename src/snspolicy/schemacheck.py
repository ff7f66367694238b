"""JSON Schema validation (Draft 2020-12) with findings at the offending line and column.

Schemas carry an ``x-clause`` keyword on properties: a schema finding takes the
clause of the nearest property that has one, so a missing ``approval`` of an
account is reported under 3(1) and a media item without ``rights`` under 6(6).
Messages never quote the offending value (it may be a secret or personal data).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from .resources import schema_path


@dataclass
class SchemaProblem:
    path: tuple  # where in the document
    key: bool  # point at the key rather than the value
    code: str  # message code in snspolicy.messages (schema_*)
    params: dict[str, Any]
    clause: str | None


@lru_cache(maxsize=None)
def load_schema(kind: str) -> dict:
    with schema_path(kind).open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def validator(kind: str):
    import jsonschema

    schema = load_schema(kind)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _clause_for(schema: dict, schema_path_: list, extra_prop: str | None) -> str | None:
    """The ``x-clause`` of the deepest schema object on the path (or of the missing property)."""
    clause = schema.get("x-clause")
    node: Any = schema
    for step in schema_path_:
        if isinstance(node, (dict, list)):
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict):
                if "$ref" in node and isinstance(node["$ref"], str) and node["$ref"].startswith("#/"):
                    target: Any = schema
                    for part in node["$ref"][2:].split("/"):
                        target = target.get(part, {}) if isinstance(target, dict) else {}
                    if isinstance(target, dict) and target.get("x-clause"):
                        clause = target["x-clause"]
                if node.get("x-clause"):
                    clause = node["x-clause"]
    if extra_prop and isinstance(node, dict):
        props = node.get("properties", {}) if node.get("type") == "object" or "properties" in node else {}
        sub = props.get(extra_prop)
        if isinstance(sub, dict) and sub.get("x-clause"):
            clause = sub["x-clause"]
    return clause


def _describe(error) -> tuple[str, dict[str, Any], tuple, bool, str | None]:
    """Message code, params, extra path, point-at-key, missing-property name."""
    v = error.validator
    if v == "required":
        missing = [p for p in error.validator_value if isinstance(error.instance, dict) and p not in error.instance]
        name = missing[0] if missing else "?"
        return "schema_required", {"field": name}, (), False, name
    if v == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        name = extra[0] if extra else "?"
        return "schema_unknown_key", {"field": name}, (name,), True, None
    if v == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        return "schema_type", {"expected": expected}, (), False, None
    if v == "enum":
        return "schema_enum", {"allowed": error.validator_value}, (), False, None
    if v == "const":
        return "schema_enum", {"allowed": [error.validator_value]}, (), False, None
    if v == "format":
        return "schema_format", {"format": error.validator_value}, (), False, None
    if v == "pattern":
        return "schema_pattern", {"pattern": error.validator_value}, (), False, None
    if v in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "minProperties"):
        return "schema_" + v, {"limit": error.validator_value}, (), False, None
    return "schema_other", {"validator": v}, (), False, None


def _leaves(error) -> Iterator:
    """For oneOf/anyOf errors, the most specific sub-error explains more."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        import jsonschema

        branches: dict = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else 0, []).append(sub)
        fitting = [errs for errs in branches.values()
                   if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if len(fitting) == 1:  # the instance has the right type for one branch: explain that one
            for sub in fitting[0]:
                yield from _leaves(sub)
            return

        best = jsonschema.exceptions.best_match(error.context)
        if best is not None:
            yield from _leaves(best)
            return
    yield error


def check(kind: str, data: Any) -> list[SchemaProblem]:
    """Validate ``data`` against the schema of ``kind``; one problem per error."""
    schema = load_schema(kind)
    problems: list[SchemaProblem] = []
    seen: set[tuple] = set()
    for top in validator(kind).iter_errors(data):
        for error in _leaves(top):
            code, params, extra, key, missing = _describe(error)
            path = tuple(error.absolute_path) + extra
            spath = list(error.absolute_schema_path)
            if missing is not None and spath and spath[-1] == "required":
                spath = spath[:-1]  # look up the missing property beside "required"
            clause = _clause_for(schema, spath, missing)
            if missing is None and path:
                # the property's own clause wins over its parent's
                clause = _clause_for(schema, spath, None) or clause
            sig = (path, code)
            if sig in seen:
                continue
            seen.add(sig)
            problems.append(SchemaProblem(path, key, code, params, clause))
    problems.sort(key=lambda p: [str(x) for x in p.path])
    return problems
