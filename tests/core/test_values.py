"""core.values: reading dates and times the way every rule does."""

from __future__ import annotations

import datetime as dt

import pytest

from snspolicy.core.values import JST, _aware, parse_datetime

_CASES = ["2025-05-20T10:00:00+09:00", "2025-05-20T01:00:00Z", "2025-05-20 10:00", "2025-05-20", " 2025-05-20T10:00 ",
          "2025-13-45", "", "yes", "0001-01-01T00:00+14:00", "9999-12-31T23:59:59-12:00", "2025-05-20T10:00:00.5+09:00"]


@pytest.mark.parametrize("text", _CASES)
def test_a_remembered_reading_is_the_reading(text: str) -> None:
    """A text's reading is remembered (the rules ask for a post's publish_at again and again): the
    first and every later answer are the uncached one."""
    want = _aware(text)
    assert parse_datetime(text) == want and parse_datetime(text) == want
    assert want is None or (want.tzinfo is not None and parse_datetime(text).utcoffset() == want.utcoffset())


def test_values_that_are_not_text_are_read_as_before() -> None:
    class Text(str):
        pass

    assert parse_datetime(Text("2025-05-20T10:00")) == dt.datetime(2025, 5, 20, 10, 0, tzinfo=JST)
    assert parse_datetime(dt.date(2025, 5, 20)) == dt.datetime(2025, 5, 20, tzinfo=JST)
    assert parse_datetime(dt.datetime(2025, 5, 20, 1, 0, tzinfo=dt.timezone.utc)).hour == 1
    assert parse_datetime(None) is None and parse_datetime(["2025-05-20"]) is None
