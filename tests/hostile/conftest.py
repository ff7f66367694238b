"""Fixtures of the hostile-input suite: a box (see :mod:`hostile.helpers`) checked after every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import Box, make_box


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Box]:
    """The repo under attack and its surroundings; fails the test when anything outside the repo changed."""
    b = make_box(tmp_path)
    before = b.snapshot()
    yield b
    assert b.snapshot() == before, "something outside the repo was created, changed or deleted"
