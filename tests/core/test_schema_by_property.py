"""The schema check's shortcut (snspolicy.io.schemacheck.passes_by_property): a document it lets
through has no problem at all when checked whole, whatever is changed in it; a valid document of
the examples is let through (the shortcut is used)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.io import schemacheck
from snspolicy.io.documents import split_front_matter
from snspolicy.io.errors import LoadError
from snspolicy.io.yamlloc import load_yaml
from tests.conftest import EXAMPLES

FOLDERS = {"post": "posts", "account": "accounts", "press": "press", "incident": "incidents"}


def _documents() -> list[tuple[str, Any]]:
    out = []
    for kind, folder in FOLDERS.items():
        for example in ("ube-city-posts", "ube-city-posts-violations"):
            for path in sorted((EXAMPLES / example / folder).rglob("*")):
                if path.suffix not in (".md", ".yaml", ".yml") or path.is_symlink() or not path.is_file():
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                try:
                    if kind == "post":
                        parts = split_front_matter(text)
                        if parts is None:
                            continue
                        data = load_yaml(parts[0], 1).data
                    else:
                        data = load_yaml(text).data
                except LoadError:  # the examples include broken files on purpose
                    data = None
                if isinstance(data, dict):
                    out.append((kind, data))
    return out


DOCUMENTS = _documents()


def _whole(kind: str, data: Any) -> list:
    return schemacheck._check(schemacheck.load_schema(kind), schemacheck.validator(kind), data)


def test_the_examples_are_many_and_the_valid_ones_take_the_shortcut():
    assert len(DOCUMENTS) > 40
    valid = [(k, d) for k, d in DOCUMENTS if not _whole(k, d)]
    assert len(valid) > 20
    assert all(schemacheck.passes_by_property(k, d) for k, d in valid if schemacheck.plain_key(d) is not None)
    assert {k for k, _ in valid} == set(FOLDERS)


def test_every_document_let_through_has_no_problem():
    for kind, data in DOCUMENTS:
        if schemacheck.passes_by_property(kind, data):
            assert _whole(kind, data) == [], (kind, data)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**12) | st.floats(allow_nan=False, width=32)
    | st.sampled_from(["", "x", "ube-city-x", "published", "draft", "event", "100001", "0100", "2025-05-20",
                       "2025-02-30", "2025-05-20T10:00:00+09:00", "2025-05-20 10:00", "not a date", "https://x.jp",
                       "media/a.jpg", "none", "crowd", "yes"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["employee_id", "approved_by", "approved_at", "path", "people", "x", "reason", "by"]),
        inner, max_size=3),
    max_leaves=6)


@given(st.integers(0, 10**6), st.lists(st.tuples(st.integers(0, 50), VALUES, st.booleans()), min_size=1, max_size=4))
@settings(max_examples=400, deadline=None)
def test_a_changed_document_is_let_through_only_when_it_has_no_problem(pick: int, changes: list) -> None:
    kind, original = DOCUMENTS[pick % len(DOCUMENTS)]
    data = copy.deepcopy(original)
    names = sorted(schemacheck.load_schema(kind)["properties"]) + ["unknown_key"]
    for which, value, remove in changes:
        name = names[which % len(names)]
        if remove:
            data.pop(name, None)
        else:
            data[name] = value
    if schemacheck.passes_by_property(kind, data):
        assert _whole(kind, data) == [], (kind, data)


@pytest.mark.parametrize("kind", sorted(FOLDERS))
def test_a_schema_that_cannot_be_split_is_never_taken_by_property(kind, monkeypatch):
    schema = schemacheck.load_schema(kind)
    changed = dict(schema, allOf=[{"required": ["nothing"]}])
    monkeypatch.setattr(schemacheck, "load_schema", lambda k: changed)
    schemacheck._property_validators.cache_clear()
    try:
        data = next(d for k, d in DOCUMENTS if k == kind)
        assert schemacheck.passes_by_property(kind, data) is False
    finally:
        schemacheck._property_validators.cache_clear()


def test_example_folders_exist():
    for folder in FOLDERS.values():
        assert (Path(EXAMPLES) / "ube-city-posts" / folder).is_dir()
