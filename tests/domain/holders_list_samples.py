"""Account mappings for the 一覧表 tests (tests/domain/test_holders_list_*.py)."""

from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2025, 4, 3)


def account(**over: object) -> dict:
    """One valid account mapping (the X account of 広報広聴課); keyword arguments replace keys."""
    acc = {
        "id": "ube-city-x",
        "platform": "x",
        "handle": "@ube_city",
        "url": "https://x.com/ube_city",
        "purpose": "市政情報の発信",
        "departments": ["広報広聴課"],
        "manager": {"name": "山田 太郎", "employee_id": "100001", "title": "広報広聴課長"},
        "deputies": [],
        "approval": {"approved_by": "100001", "approved_on": dt.date(2025, 4, 1)},
        "holders": [
            {"name": "佐藤 花子", "employee_id": "200002", "department": "広報広聴課", "assigned_on": dt.date(2025, 4, 1)},
            {"name": "鈴木 一郎", "employee_id": "200003", "department": "広報広聴課", "assigned_on": "2025-04-01"},
        ],
        "holders_exception": None,
        "security": {
            "two_factor": {"enabled": True, "method": "totp"},
            "password": {"min_length": 14, "managed_by": "password-manager", "unique": True, "last_changed_on": dt.date(2025, 4, 1)},
            "reviewed_on": dt.date(2025, 4, 1),
        },
        "registry_submitted_on": dt.date(2025, 4, 2),
        "status": "active",
    }
    acc.update(over)
    return acc


def accounts() -> list[dict]:
    """Three accounts, sorted in the 一覧表 as X, Instagram, LINE; a fresh copy on every call."""
    return [
        account(),
        account(
            id="ube-city-line",
            platform="line",
            handle="宇部市",
            url="https://line.me/R/ti/p/@ubecity",
            departments=["広報広聴課", "観光政策課"],
            deputies=[{"name": "高橋 次郎", "employee_id": "100009"}],
        ),
        account(
            id="ube-kanko-instagram",
            platform="instagram",
            handle="@ube_kanko",
            purpose="観光 | イベント情報\nの発信",
            holders=account()["holders"] + [{"name": "田中 三郎", "department": "観光政策課"}],
            holders_exception={"reason": "繁忙期のため", "approved_by": "100001", "until": dt.date(2025, 9, 30)},
            security={"two_factor": {"enabled": False}},
        ),
    ]
