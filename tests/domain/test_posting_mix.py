"""Tests for snspolicy.domain.posting_mix: what the 3(4) posting mix counts, and how."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from posting_mix_sample import mix_posts

from snspolicy.core.values import JST
from snspolicy.domain.posting_mix import (
    PRIORITY_CATEGORIES,
    SKIP_REASONS,
    category_label,
    clean_label,
    mix,
    month_of,
    priority_share,
)


def test_counts() -> None:
    m = mix(mix_posts())
    assert m.total_posts == 6
    assert m.total(account="ube-city-x", month="2025-04", category="tourism") == 2
    assert m.total(account="ube-city-x", month="2025-04", category="health") == 1
    assert m.total(account="ube-city-x", month="2025-05", category="safety") == 1
    assert m.total(account="ube-city-x", month="2025-04") == 3
    assert m.total(account="ube-city-ig") == 2
    assert m.accounts == ["ube-city-ig", "ube-city-x"] and m.months == ["2025-04", "2025-05"]
    assert m.skipped == {"deleted": 2, "status": 1, "no_date": 2, "invalid": 1}


def test_month_of() -> None:
    assert month_of("2025-04-30T23:59:59+09:00") == "2025-04"
    assert month_of("2025-04-30T15:00:00Z") == "2025-05"
    assert month_of("2025-04-30T14:59:59Z") == "2025-04"
    assert month_of(datetime(2025, 12, 31, 23, 0)) == "2025-12"  # naive: as written
    assert month_of(date(2026, 1, 1)) == "2026-01"
    assert month_of("2025/4/1") == "2025-04"
    for bad in ("", "2025-13-01", "来週", None, 20250401, ["2025-04-01"]):
        assert month_of(bad) is None


def test_unknown_and_missing_categories() -> None:
    m = mix([
        {"account": "a", "status": "published", "publish_at": "2025-04-01", "category": "zzz"},
        {"account": "a", "status": "published", "publish_at": "2025-04-01"},
        {"status": "published", "publish_at": "2025-04-01", "category": "health"},
    ])
    assert m.categories[-2:] == ["zzz", ""]
    assert m.total(category="") == 1 and m.total(category="zzz") == 1 and m.total(account="") == 1


def test_empty_and_bad_input() -> None:
    assert mix(None).total_posts == 0
    assert mix([]).skipped == {}
    assert mix([None, 3, []]).skipped == {"invalid": 3}


def test_month_of_uses_japan_time() -> None:
    assert JST.utcoffset(None) == timedelta(hours=9)
    assert month_of(datetime(2025, 5, 31, 16, 0, tzinfo=UTC)) == "2025-06"  # 01:00 on 1 June in Japan
    assert month_of(datetime(2025, 5, 31, 23, 0, tzinfo=JST)) == "2025-05"


def test_skip_reasons_are_the_documented_ones() -> None:
    assert SKIP_REASONS == ("deleted", "status", "no_date", "invalid")
    assert set(mix(mix_posts()).skipped) <= set(SKIP_REASONS)


def test_category_label() -> None:
    assert category_label("tourism") == "観光" and category_label("tourism", "en") == "Tourism"
    assert category_label("event", "en-GB") == "Events"
    assert category_label("") == "未設定" and category_label("", "en") == "(unset)"
    assert category_label("zzz", "en") == "zzz"  # unknown: the key itself


def test_priority_share() -> None:
    assert priority_share({}) is None
    assert priority_share({"civic": 0}) is None
    assert priority_share({"tourism": 1, "civic": 1}) == 50.0
    assert priority_share({c: 1 for c in PRIORITY_CATEGORIES}) == 100.0
    assert priority_share({"other": 3, "": 1}) == 0.0


def test_clean_label() -> None:
    assert clean_label(None) == ""
    assert clean_label(" a\x00b\n ") == "a b"
    assert clean_label(12) == "12"
