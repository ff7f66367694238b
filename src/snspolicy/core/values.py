"""Reading values as users write them: dates kept as text by the loader, times without a zone
(read as Japan time), employee ids written as text or numbers. One definition of JST."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def parse_date(value: Any) -> dt.date | None:
    """A YAML date (kept as text by the loader) or datetime → date; None if unparsable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        s = value.strip()
        try:
            return dt.date.fromisoformat(s[:10])
        except ValueError:
            return None
    return None


def parse_datetime(value: Any) -> dt.datetime | None:
    """Aware datetime; a value without a zone is read as JST (+09:00), a date as 00:00 JST."""
    if type(value) is str:
        return _parse_text(value)  # the rules ask again and again for a post's publish_at
    return _aware(value)


@lru_cache(maxsize=1 << 14)
def _parse_text(value: str) -> dt.datetime | None:
    return _aware(value)


def _aware(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        d = value
    elif isinstance(value, dt.date):
        d = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        s = value.strip().replace(" ", "T", 1) if "T" not in value and len(value.strip()) > 10 else value.strip()
        if s.endswith("Z"):
            s = s[:-1] + "+00:00"
        try:
            d = dt.datetime.fromisoformat(s)
        except ValueError:
            return None
    else:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=JST)
    try:  # 0001-01-01T00:00+14:00 cannot be compared with anything: treat it as unparsable
        d.astimezone(dt.timezone.utc)
        d.astimezone(JST)
    except (OverflowError, ValueError):
        return None
    return d


def same_id(a: Any, b: Any) -> bool:
    return a is not None and b is not None and str(a).strip() == str(b).strip()
