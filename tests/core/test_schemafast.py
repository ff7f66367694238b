"""The schema check's predicates (snspolicy.io.schemafast) say what jsonschema says: every
subschema of the shipped schemas that becomes a predicate is checked against jsonschema's
``is_valid`` (with the same format checker) on generated JSON values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.io import schemacheck
from snspolicy.io.schemafast import predicate

KINDS = ("post", "account", "press", "incident", "config", "lexicon", "policy", "rules")


def _walk(schema: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(schema, dict):
        yield path, schema
        for key, value in schema.items():
            if key in ("properties", "$defs", "patternProperties") and isinstance(value, dict):
                for name, sub in value.items():
                    yield from _walk(sub, f"{path}/{key}/{name}")
            elif key in ("oneOf", "anyOf", "allOf", "prefixItems") and isinstance(value, list):
                for n, sub in enumerate(value):
                    yield from _walk(sub, f"{path}/{key}/{n}")
            elif key in ("items", "additionalProperties", "not", "contains") and isinstance(value, dict):
                yield from _walk(value, f"{path}/{key}")


def _cases() -> list[tuple[str, str, Any, Any, Any]]:
    out = []
    for kind in KINDS:
        whole = schemacheck.validator(kind)
        for path, sub in _walk(schemacheck.load_schema(kind)):
            pred = predicate(sub, whole.format_checker)
            if pred is not None:
                out.append((kind, path, sub, pred, whole.evolve(schema=sub)))
    return out


CASES = _cases()
KEYS = sorted({name for _, _, sub, _, _ in CASES for name in (sub.get("properties") or {})} | {"extra", ""})
_STRINGS = st.one_of(
    st.sampled_from(["", " ", "x", "a b", "2025-05-20", "2025-05-20T10:00:00+09:00", "2025-05-20 10:00", "2025-13-45",
                     "2025-05-20T25:00:00Z", "0001-01-01", "9999-12-31T23:59:59Z", "100001", " 100001",
                     "https://example.jp/a", "http://x", "@ube_city", "ube-city-x", "true", "null", "x" * 300]),
    st.text(max_size=12),
)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(), st.just(1.0), _STRINGS)
_JSON = st.recursive(_SCALARS, lambda kids: st.lists(kids, max_size=3)
                     | st.dictionaries(st.sampled_from(KEYS), kids, max_size=5), max_leaves=10)


def test_the_shipped_schemas_give_predicates_where_they_matter():
    paths = {(kind, path) for kind, path, *_ in CASES}
    assert ("post", "/properties/publish_at") in paths
    assert ("post", "/properties/approval") in paths
    assert len(CASES) > 50


@pytest.mark.parametrize("schema", [{"enum": [1]}, {"enum": ["a", True]}, {"$ref": "#/x"}, {"minimum": 1},
                                    {"prefixItems": [{}], "items": {}}, {"uniqueItems": True},
                                    {"type": "string", "const": "a"}, {"oneOf": [{"type": "string"}, {"enum": [1]}]},
                                    {"type": "object", "patternProperties": {"^a": {}}, "additionalProperties": False}])
def test_other_keywords_are_left_to_jsonschema(schema):
    assert predicate(schema, None) is None


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(CASES), _JSON)
def test_every_predicate_says_what_jsonschema_says(case, value):
    kind, path, _sub, pred, validator = case
    assert pred(value) == validator.is_valid(value), (kind, path, value)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([c for c in CASES if (c[2].get("properties") or c[2].get("oneOf"))]),
       st.data())
def test_objects_built_from_the_schema_agree_too(case, data):
    """Values shaped like the schema (its own property names, dates where it wants dates) reach
    the nested checks that random values rarely reach."""
    kind, path, sub, pred, validator = case
    branches = [sub, *[b for b in sub.get("oneOf", []) if isinstance(b, dict)]]
    names = sorted({n for b in branches for n in (b.get("properties") or {})})
    value = data.draw(st.one_of(_SCALARS, st.dictionaries(st.sampled_from(names or ["extra"]) | st.just("extra"),
                                                          _SCALARS, max_size=len(names) + 1)))
    assert pred(value) == validator.is_valid(value), (kind, path, value)


SYNTHETIC = [
    {"oneOf": [{"type": "string"}, {"type": "string", "minLength": 2}]},  # both pass "ab": oneOf fails
    {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 1}]},
    {"allOf": [{"type": "string"}, {"pattern": "b"}]},  # unanchored: "abc" matches
    {"type": ["string", "null"], "minLength": 2},
    {"type": "number"},
    {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
    {"type": "object", "properties": {"a": {"format": "date"}}, "required": ["a"], "additionalProperties": False},
    {"properties": {"a": {"type": "boolean"}}},  # applies to objects only
    {"enum": ["a", "ab", None]},
    {"type": "array", "items": {"enum": ["a"]}, "minItems": 1, "maxItems": 2},
    {"items": {"type": "string", "minLength": 2}},  # applies to arrays only
    True,
    False,
]


@pytest.mark.parametrize("schema", SYNTHETIC)
@settings(max_examples=300, deadline=None)
@given(value=st.one_of(_JSON, st.sampled_from(["ab", "abc", "a", 1, 1.0, True, None, {"a": "2025-05-20"}, {"a": "x", "b": 2},
                                                {"a": "x", "b": "y"}, {"a": True}, {"a": 1}, [], ["a"], ["a", "a"],
                                                ["a", "a", "a"], ["ab", 1], [None]])))
def test_synthetic_schemas(schema, value):
    import jsonschema

    whole = schemacheck.validator("post")
    validator = jsonschema.Draft202012Validator(schema, format_checker=whole.format_checker)
    assert predicate(schema, whole.format_checker)(value) == validator.is_valid(value), value
