"""Masking helpers: nothing printable may hold a whole secret or a whole piece of personal data."""

from __future__ import annotations

import pytest

from snspolicy.core.mask import mask_digits, mask_email, mask_employee_id, mask_generic, mask_name, mask_phone, mask_secret


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_****"),
        ("abcdefghij", "ab****"),  # 10 chars: 2 kept
        ("abcdefg", "****"),  # short: nothing kept
        ("", "****"),
        (None, "****"),
    ],
)
def test_mask_secret(value, expected):
    assert mask_secret(value) == expected


@pytest.mark.parametrize("n", range(60))
def test_mask_secret_never_keeps_more_than_a_quarter(n):
    value = "S" * n
    kept = mask_secret(value).removesuffix("****")
    assert len(kept) <= 4 and len(kept) <= n // 4


def test_mask_secret_hides_length():
    assert mask_secret("x" * 20) == "xxxx****" and mask_secret("x" * 200) == "xxxx****"


@pytest.mark.parametrize("n, kept", [(8, 0), (9, 0), (10, 2), (19, 2), (20, 4), (64, 4)])
def test_mask_secret_thresholds(n, kept):
    value = "".join(chr(ord("a") + i % 26) for i in range(n))
    assert mask_secret(value) == value[:kept] + "****"


def test_the_secret_scanner_masks_with_mask_secret():
    from snspolicy.domain.secretscan import scan_text

    token = "ghp_" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"
    for text in (f"token: {token}\n", f"api_key = {token[4:20]}\n", f"note {token}\n"):
        (m,) = scan_text(text, "a.env")
        value = text[m.column - 1 : m.end_column - 1]
        assert m.masked == mask_secret(value) and value not in m.masked
    # a value under a password-like key shows nothing at all, whatever its length
    (m,) = scan_text("パスワード：Ube2025!abcdefghij\n", "memo.md")
    assert m.masked == "****"


def test_mask_employee_id():
    assert mask_employee_id("200202") == "2*****"
    assert mask_employee_id(" 001024 ") == "0*****"
    assert mask_employee_id(532) == "***"
    assert mask_employee_id(None) == ""


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0836-22-1234", "0836-**-****"),
        ("0836(31)1111", "0836(**)****"),
        ("(0836)22-1234", "(0836)**-****"),
        ("+81-836-22-1234", "+81-836-**-****"),
        ("090-1234-5678", "090-****-****"),
        ("09012345678", "090********"),
        ("0120-123-456", "0120-***-***"),
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize("value", ["0836-22-1234", "09012345678", "1234", "12-34", "+81 90 1234 5678", "abc", ""])
def test_mask_phone_keeps_at_most_half_of_the_digits(value):
    masked = mask_phone(value)
    digits = sum(c.isdigit() for c in value)
    assert sum(c.isdigit() for c in masked) * 2 <= digits
    assert masked != value or digits == 0


def test_mask_email():
    assert mask_email("taro.yamada@example.com") == "t***@example.com"
    assert mask_email("ab@example.com") == "***@example.com"
    assert "taro" not in mask_email("taro@example.com")
    assert mask_email(None) == ""


def test_mask_name_and_generic():
    assert mask_name("山田太郎", "さん") == "山***さん"
    assert mask_name("佐藤", "様") == "**様"
    assert mask_generic("abcdefgh", keep=4) == "ab******"  # never more than 25 %
    assert mask_generic("") == ""
    assert mask_generic(12345678) == "12******"


def test_mask_digits():
    assert mask_digits("宇部市常盤町一丁目7番1号") == "宇部市常盤町*丁目*番*号"
    assert mask_digits("平成2年3月4日生まれ") == "平成*年*月*日生まれ"
    assert mask_digits("令和元年5月1日") == "令和*年*月*日"
    assert mask_digits(None) == ""
