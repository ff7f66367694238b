"""snspolicy.domain.accounts: which account a name means, holders, status, far-future dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write

from snspolicy.domain.accounts import (
    account_for,
    account_id,
    far_future,
    holders,
    is_closed,
    newest_assignment,
    normalize_handle,
    normalize_url,
)
from snspolicy.io.documents import Document, load_document


def _account(tmp_path: Path, name: str, body: str) -> Document:
    path = write(tmp_path, f"accounts/{name}.yaml", body)
    return load_document("account", path, f"accounts/{name}.yaml", tmp_path)


@pytest.mark.parametrize("a, b", [
    ("https://www.instagram.com/Ube_City/?hl=ja", "http://instagram.com/ube_city"),
    ("https://twitter.com/ube_city", "https://x.com/ube_city/"),
    ("https://mobile.twitter.com/ube_city", "x.com/ube_city"),
    ("https://m.facebook.com/ubecity", "https://fb.com/ubecity#about"),
    ("https://youtu.be/@ube", "https://www.youtube.com/@ube"),
    ("https://x.com/%E5%AE%87%E9%83%A8", "https://x.com/宇部"),
])
def test_same_url(a: str, b: str) -> None:
    assert normalize_url(a) == normalize_url(b) is not None


@pytest.mark.parametrize("a, b", [
    ("https://x.com/ube_city", "https://x.com/ube_city2"),
    ("https://x.com/ube_city", "https://instagram.com/ube_city"),
])
def test_different_url(a: str, b: str) -> None:
    assert normalize_url(a) != normalize_url(b)


@pytest.mark.parametrize("value", [None, "", "  ", 5, ["https://x.com"], "ftp://x.com/a", "https://", "http://[::1"])
def test_not_a_url(value: object) -> None:
    assert normalize_url(value) is None


def test_handles() -> None:
    assert normalize_handle("@Ube_City ") == normalize_handle("ube_city") == normalize_handle("＠Ｕｂｅ_Ｃｉｔｙ") == "ube_city"
    assert normalize_handle("@") is None and normalize_handle(None) is None and normalize_handle(3) is None


def test_account_id_and_status(tmp_path: Path) -> None:
    a = _account(tmp_path, "file-stem", "id: ube-x\nstatus: closed\n")
    b = _account(tmp_path, "other", "id: 5\nstatus: active\n")
    assert account_id(a) == "ube-x" and account_id(b) == "other"
    assert is_closed(a) and not is_closed(b)


def test_account_for(tmp_path: Path) -> None:
    a = _account(tmp_path, "ube-x", "id: ube-x\nhandle: '@Ube_City'\nurl: https://x.com/ube_city\n")
    b = _account(tmp_path, "ube-ig", "id: ube-ig\nhandle: '@ube_city'\nurl: https://www.instagram.com/ube_city/\n")
    accounts = {"ube-x": a, "ube-ig": b}
    assert account_for("ube-ig", accounts) == "ube-ig"
    assert account_for("@ube_city", accounts) == "ube-x"  # the first account with that handle
    assert account_for("https://instagram.com/Ube_City", accounts) == "ube-ig"
    assert account_for("https://twitter.com/ube_city", accounts) == "ube-x"
    assert account_for("@someone_else", accounts) is None
    assert account_for("", accounts) is None and account_for(None, accounts) is None and account_for(3, accounts) is None


def test_holders_and_newest_assignment(tmp_path: Path) -> None:
    a = _account(tmp_path, "a", "holders:\n  - {employee_id: '1', assigned_on: 2025-04-01}\n  - x\n"
                                "  - {employee_id: '2', assigned_on: 2025-05-10}\n  - {employee_id: '3', assigned_on: bad}\n")
    assert [i for i, _ in holders(a)] == [0, 2, 3]
    assert newest_assignment(a) == (dt.date(2025, 5, 10), 2)
    b = _account(tmp_path, "b", "holders: none\n")
    assert holders(b) == [] and newest_assignment(b) is None


def test_far_future() -> None:
    today = dt.date(2025, 6, 1)
    assert not far_future(dt.date(2026, 4, 1), today)  # a personnel change prepared ahead
    assert not far_future(today + dt.timedelta(days=1096), today)
    assert far_future(today + dt.timedelta(days=1097), today)
    assert far_future(dt.date(2052, 4, 1), today)
    assert far_future(today + dt.timedelta(days=11), today, 10)
    assert far_future(today + dt.timedelta(days=1097), today, "not a number")  # the default
