"""snspolicy.domain.posts: when a post goes out (JST), whether it is out yet, the revision hash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write

from snspolicy.core.values import JST
from snspolicy.domain.posts import aware, body_sha256, not_yet_out, publish_at, publish_date
from snspolicy.io.documents import Document, load_document

TODAY = dt.date(2025, 6, 1)


def _post(tmp_path: Path, front: str, body: str = "本文\n") -> Document:
    path = write(tmp_path, "posts/p.md", f"---\n{front}---\n{body}")
    return load_document("post", path, "posts/p.md", tmp_path)


@pytest.mark.parametrize("value, expected", [
    ("2025-06-01T09:00:00+09:00", dt.datetime(2025, 6, 1, 9, 0, tzinfo=JST)),
    ("2025-06-01T09:00", dt.datetime(2025, 6, 1, 9, 0, tzinfo=JST)),        # no zone: JST
    ("2025-06-01", dt.datetime(2025, 6, 1, 0, 0, tzinfo=JST)),              # a date: 00:00 JST
    ("2025-05-31T15:30:00Z", dt.datetime(2025, 6, 1, 0, 30, tzinfo=JST)),   # UTC read in Japan time
])
def test_aware(value: str, expected: dt.datetime) -> None:
    got = aware(value)
    assert got == expected and got is not None and got.utcoffset() == dt.timedelta(hours=9)


@pytest.mark.parametrize("value", [None, True, "not a time", 12345, "0001-01-01T00:00+14:00", []])
def test_aware_odd_values(value: object) -> None:
    assert aware(value) is None


def test_publish_date_is_the_japan_day(tmp_path: Path) -> None:
    doc = _post(tmp_path, "publish_at: 2025-05-31T20:00:00Z\n")
    assert publish_at(doc) == dt.datetime(2025, 6, 1, 5, 0, tzinfo=JST)
    assert publish_date(doc) == dt.date(2025, 6, 1)
    assert publish_date(_post(tmp_path, "status: draft\n")) is None


@pytest.mark.parametrize("front, out", [
    ("status: draft\npublish_at: 2020-01-01\n", True),
    ("status: scheduled\npublish_at: 2020-01-01\n", True),
    ("status: deleted\npublish_at: 2030-01-01\n", False),
    ("status: published\npublish_at: 2025-05-31T23:59:00+09:00\n", False),
    ("status: published\npublish_at: 2025-06-01T00:00:00+09:00\n", True),   # going out today
    ("status: published\n", True),                                          # no date: treated as still to go out
])
def test_not_yet_out(tmp_path: Path, front: str, out: bool) -> None:
    assert not_yet_out(_post(tmp_path, front), TODAY) is out


def test_body_sha256() -> None:
    assert body_sha256("a\r\nb\n\n") == body_sha256("  a\nb") == body_sha256("a\rb")
    assert body_sha256("a\nb") != body_sha256("a\nb2")
    assert body_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
