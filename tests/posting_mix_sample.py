"""Posts for the 3(4) posting-mix tests (domain counting and its renderings): counted ones across a
month boundary in Japan time, and every kind that is not counted."""

from __future__ import annotations

from datetime import UTC, date, datetime


def mix_posts() -> list[dict]:
    return [
        {"account": "ube-city-x", "status": "published", "publish_at": "2025-04-01T09:00:00+09:00", "category": "tourism"},
        {"account": "ube-city-x", "status": "scheduled", "publish_at": "2025-04-20T12:00:00+09:00", "category": "tourism"},
        {"account": "ube-city-x", "status": "approved", "publish_at": date(2025, 4, 3), "category": "health"},
        # 2025-04-30 15:30 UTC is 2025-05-01 00:30 in Japan
        {"account": "ube-city-x", "status": "published",
         "publish_at": datetime(2025, 4, 30, 15, 30, tzinfo=UTC), "category": "safety"},
        {"account": "ube-city-ig", "status": "published", "publish_at": "2025-05-02", "category": "event"},
        {"account": "ube-city-ig", "status": "published", "publish_at": "2025-05-03T10:00:00", "category": "civic"},
        # not counted
        {"account": "ube-city-x", "status": "draft", "publish_at": "2025-04-05", "category": "tourism"},
        {"account": "ube-city-x", "status": "deleted", "publish_at": "2025-04-05", "category": "tourism"},
        {"account": "ube-city-x", "status": "published", "publish_at": "2025-04-05", "category": "tourism",
         "deleted": {"on": "2025-04-06", "reason": "誤り"}},
        {"account": "ube-city-x", "status": "published", "publish_at": "来週", "category": "tourism"},
        {"account": "ube-city-x", "status": "published", "category": "tourism"},
        "not a mapping",
    ]
