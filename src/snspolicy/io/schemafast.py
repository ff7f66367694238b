"""Plain JSON Schema fragments as Python predicates: the schema check's shortcut for values that
differ in every document (a post's ``publish_at``, its ``approval``), which jsonschema would
check one by one at ~50 µs each.

:func:`predicate` turns a subschema into a function ``value -> bool`` that says exactly what
``jsonschema``'s ``is_valid`` says, for the values the shortcut hands it: made only of JSON types
(:func:`snspolicy.io.schemacheck.plain_key` is not None). Only these keywords are understood:
``type``, ``minLength``, ``maxLength``, ``pattern``, ``format`` (through the validator's own
format checker), ``enum`` (of texts and null), ``anyOf``, ``oneOf``, ``allOf``, ``properties``,
``required``, ``additionalProperties`` (``false``, ``true`` or a schema), ``items`` (without
``prefixItems``), ``minItems``, ``maxItems``, ``true``/``false`` schemas and annotations (``title``,
``description``, ``x-…`` …). A subschema with any other keyword (``const``, ``$ref``, ``minimum``,
``uniqueItems`` …) gives None: the caller checks it with jsonschema.
tests/core/test_schemafast.py holds every predicate built from the shipped schemas against
jsonschema on generated values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["Predicate", "predicate"]

Predicate = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "default", "deprecated", "readOnly",
                          "writeOnly"})
#: JSON Schema types over the JSON types of Python (bool is not a number; 1.0 is an integer)
_TYPES: dict[str, Predicate] = {
    "string": lambda v: type(v) is str,
    "null": lambda v: v is None,
    "boolean": lambda v: type(v) is bool,
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) is int or type(v) is float,
}


def predicate(schema: Any, format_checker: Any) -> Predicate | None:
    """``schema`` as a function of a JSON value, or None when it uses a keyword not listed in the
    module docstring. ``format_checker``: the validator's (``jsonschema.FormatChecker``)."""
    if schema is True or schema is False:
        return (lambda v: True) if schema else (lambda v: False)
    if type(schema) is not dict:
        return None
    checks: list[Predicate] = []
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        check = _keyword(key, value, schema, format_checker)
        if check is None:
            return None
        checks.append(check)
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(check(v) for check in checks)


def _keyword(key: str, value: Any, schema: dict, fc: Any) -> Predicate | None:
    if key == "type":
        names = [value] if type(value) is str else value
        if type(names) is not list or not names or any(n not in _TYPES for n in names):
            return None
        tests = [_TYPES[n] for n in names]
        return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))
    if key in ("minLength", "maxLength"):
        if type(value) is not int or value < 0:
            return None
        n = value
        return (lambda v: type(v) is not str or len(v) >= n) if key == "minLength" else \
               (lambda v: type(v) is not str or len(v) <= n)
    if key == "pattern":
        try:
            rx = re.compile(value)
        except (re.error, TypeError):
            return None
        return lambda v: type(v) is not str or rx.search(v) is not None
    if key == "format":
        if type(value) is not str or fc is None:
            return None
        return lambda v: bool(fc.conforms(v, value))
    if key in ("anyOf", "oneOf", "allOf"):
        if type(value) is not list or not value:
            return None
        branches = [predicate(s, fc) for s in value]
        if any(b is None for b in branches):
            return None
        bs: list[Predicate] = branches  # type: ignore[assignment]
        if key == "anyOf":
            return lambda v: any(b(v) for b in bs)
        if key == "allOf":
            return lambda v: all(b(v) for b in bs)
        return lambda v: sum(1 for b in bs if b(v)) == 1
    if key == "properties":
        if type(value) is not dict:
            return None
        props = {name: predicate(s, fc) for name, s in value.items()}
        if any(p is None for p in props.values()):
            return None
        ps: dict[str, Predicate] = props  # type: ignore[assignment]
        return lambda v: type(v) is not dict or all(p(v[name]) for name, p in ps.items() if name in v)
    if key == "required":
        if type(value) is not list or any(type(n) is not str for n in value):
            return None
        names = list(value)
        return lambda v: type(v) is not dict or all(n in v for n in names)
    if key == "items":
        if "prefixItems" in schema:
            return None
        each = predicate(value, fc)
        if each is None:
            return None
        return lambda v: type(v) is not list or all(each(x) for x in v)
    if key in ("minItems", "maxItems"):
        if type(value) is not int or value < 0:
            return None
        k = value
        return (lambda v: type(v) is not list or len(v) >= k) if key == "minItems" else \
               (lambda v: type(v) is not list or len(v) <= k)
    if key == "enum":
        # text and null only: jsonschema compares a text to a text with ==, and only None equals None
        if type(value) is not list or not value or any(x is not None and type(x) is not str for x in value):
            return None
        texts, null = frozenset(x for x in value if x is not None), None in value
        return lambda v: (type(v) is str and v in texts) or (null and v is None)
    if key == "additionalProperties":
        if "patternProperties" in schema:
            return None
        known = frozenset(schema.get("properties") or ())
        if value is True:
            return lambda v: True
        if value is False:
            return lambda v: type(v) is not dict or v.keys() <= known
        extra = predicate(value, fc)
        if extra is None:
            return None
        return lambda v: type(v) is not dict or all(extra(x) for k, x in v.items() if k not in known)
    return None
