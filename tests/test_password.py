"""Tests for snspolicy.password (clause 4(3))."""

from __future__ import annotations

import builtins
import datetime as dt

import pytest

from snspolicy.domain import password as pw

TODAY = dt.date(2025, 6, 1)
PARAMS = {"min_length": 14, "allowed_managers": ["password-manager"], "max_age_days": 365}
GOOD_DECL = {"min_length": 14, "managed_by": "password-manager", "unique": True, "last_changed_on": dt.date(2025, 4, 1)}

CTX = {
    "employee_ids": ["200002", "0004821"],
    "birth_dates": [dt.date(1990, 1, 2), "1985-11-23"],
    "phone_numbers": ["0836-31-1111", "090-1234-5678"],
    "handle": "@ube_city",
    "words": ["sato hanako"],
    "min_length": 12,
    "min_score": 3,
}
STRONG = "kT9#vQ2!mZ7pLx4w"


def _codes(problems):
    return [(f, c) for f, c, _ in problems]


# ----------------------------------------------------------------------------- check_policy


def test_good_declaration_passes() -> None:
    assert pw.check_policy(GOOD_DECL, PARAMS, today=TODAY) == []


def test_missing_block_and_scalar_block() -> None:
    assert _codes(pw.check_policy(None, PARAMS)) == [("", "missing")]
    problems = pw.check_policy("Tr0ub4dor&3", PARAMS)
    assert _codes(problems) == [("", "not-a-mapping")]
    assert "Tr0ub4dor" not in repr(problems)


def test_each_field() -> None:
    decl = {"min_length": 8, "managed_by": "notebook", "unique": False, "last_changed_on": dt.date(2023, 1, 1)}
    problems = pw.check_policy(decl, PARAMS, today=TODAY)
    assert _codes(problems) == [
        ("min_length", "min-length-too-short"),
        ("managed_by", "managed-by-not-allowed"),
        ("unique", "not-unique"),
        ("last_changed_on", "last-changed-too-old"),
    ]
    args = {c: a for _, c, a in problems}
    assert args["min-length-too-short"] == {"declared": 8, "required": 14}
    assert args["managed-by-not-allowed"]["allowed"] == ["password-manager"]
    assert args["last-changed-too-old"]["age_days"] == (TODAY - dt.date(2023, 1, 1)).days


def test_missing_fields() -> None:
    assert _codes(pw.check_policy({}, PARAMS, today=TODAY)) == [
        ("min_length", "min-length-missing"),
        ("managed_by", "managed-by-missing"),
        ("unique", "unique-missing"),
        ("last_changed_on", "last-changed-missing"),
    ]


def test_last_changed_only_required_with_max_age() -> None:
    decl = dict(GOOD_DECL)
    del decl["last_changed_on"]
    assert pw.check_policy(decl, {"min_length": 14}, today=TODAY) == []


def test_invalid_values() -> None:
    decl = {"min_length": True, "managed_by": "password-manager", "unique": "yes", "last_changed_on": "someday"}
    assert _codes(pw.check_policy(decl, PARAMS, today=TODAY)) == [
        ("min_length", "min-length-invalid"),
        ("unique", "unique-invalid"),
        ("last_changed_on", "last-changed-invalid"),
    ]


def test_boundaries() -> None:
    exact = dict(GOOD_DECL, last_changed_on=TODAY - dt.timedelta(days=365))
    assert pw.check_policy(exact, PARAMS, today=TODAY) == []
    over = dict(GOOD_DECL, last_changed_on=TODAY - dt.timedelta(days=366))
    assert _codes(pw.check_policy(over, PARAMS, today=TODAY)) == [("last_changed_on", "last-changed-too-old")]
    future = dict(GOOD_DECL, last_changed_on="2026-01-01")
    assert _codes(pw.check_policy(future, PARAMS, today=TODAY)) == [("last_changed_on", "last-changed-in-future")]
    assert pw.check_policy(dict(GOOD_DECL, min_length=20), PARAMS, today=TODAY) == []


def test_default_params() -> None:
    assert pw.check_policy(GOOD_DECL, None, today=TODAY) == []
    assert pw.check_policy(GOOD_DECL, {"unexpected": 1}, today=TODAY) == []


# ----------------------------------------------------------------------------- check_candidate


def test_strong_password_has_no_problem() -> None:
    assert pw.check_candidate(STRONG, CTX) == []


@pytest.mark.parametrize(
    "candidate,code",
    [
        ("kT9#vQ200002mZ7pLx", "contains-employee-id"),
        ("kT9#v4821Q!mZ7pLx4wR", "contains-employee-id"),  # leading zeros dropped: 0004821 -> 4821
        ("Sakura19900102!xQ#", "contains-birth-date"),
        ("xQ!1990-01-02zTk9#pLm", "contains-birth-date"),
        ("xQ!1990/1/2zTk9#pLm", "contains-birth-date"),
        ("xQ!H2.1.2zTk9#pLmWv", "contains-birth-date"),
        ("xQ!h020102zTk9#pLmW", "contains-birth-date"),
        ("xQ!0102zTk9#pLmWv3", "contains-birth-date"),
        ("xQ!S60.11.23zTk9#pLm", "contains-birth-date"),
        ("平成2年1月2日zTk9#pLmWv", "contains-birth-date"),
        ("kT9#v0836311111mZ", "contains-phone-number"),
        ("kT9#v+81-836-31-1111", "contains-phone-number"),
        ("kT9#v09012345678mZ", "contains-phone-number"),
        ("Ube_City#k9TpQ2vLx", "contains-handle"),
        ("UbeCity#k9TpQ2vLxW", "contains-handle"),
        ("SatoHanako#k9TpQ2v", "contains-name"),
        ("kT9#vaaaQ2!mZ7pLx4w", "repeated-characters"),
        ("kT9#v111Q2!mZ7pLx4w", "repeated-characters"),
        ("kT9#v1234Q!mZ7pLx4w", "sequence"),
        ("kT9#vabcdQ!mZ7pLx4w", "sequence"),
        ("kT9#vDCBAQ!mZ7pLx4w", "sequence"),
        ("kT9#v9876Q!mZ7pLx4w", "sequence"),
    ],
)
def test_banned_patterns(candidate: str, code: str) -> None:
    assert code in pw.check_candidate(candidate, CTX)


@pytest.mark.parametrize(
    "candidate",
    [
        "kT9#vQ2!mZ7pLx4w",
        "kT9#vaaQ2!mZ7pLx4w",  # two in a row is fine
        "kT9#v123Q!mZ7pLx4w",  # three in order is fine
        "kT9#vQ2!mZ7pLx4w0836",  # area code alone is not the number
        "kT9#vQ2!mZ7pLx1990w",  # the year alone is not the birth date
    ],
)
def test_allowed_patterns(candidate: str) -> None:
    codes = pw.check_candidate(candidate, CTX)
    assert [c for c in codes if c != "guessable"] == []


def test_guessable_and_short() -> None:
    assert pw.check_candidate("password", CTX) == ["too-short", "guessable"]
    assert "guessable" in pw.check_candidate("iloveyou12345", CTX)
    assert pw.check_candidate("", CTX) == ["empty"]
    assert pw.check_candidate(None, CTX) == ["empty"]  # type: ignore[arg-type]


def test_min_score_parameter() -> None:
    assert "guessable" not in pw.check_candidate("iloveyou12345", dict(CTX, min_score=0))


def test_very_long_candidate_does_not_fail() -> None:
    assert pw.check_candidate(STRONG * 20, CTX) == []


def test_result_never_contains_the_password() -> None:
    secret = "Ube_City#19900102"
    codes = pw.check_candidate(secret, CTX)
    assert codes and all(secret not in c and "19900102" not in c for c in codes)


def test_without_context() -> None:
    assert pw.check_candidate(STRONG) == []
    assert pw.check_candidate(STRONG, {"birth_dates": ["not a date", None, 3]}) == []


def test_without_zxcvbn(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "zxcvbn":
            raise ImportError("no zxcvbn")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    assert pw.check_candidate(STRONG, CTX) == ["strength-unchecked"]
    assert pw.check_candidate("kT9#vaaaQ2!mZ7pLx4w", CTX) == ["repeated-characters", "strength-unchecked"]


def test_birth_date_forms() -> None:
    forms = pw.birth_date_forms(dt.date(1990, 1, 2))
    for f in ("19900102", "900102", "0102", "h212", "h020102", "平成2年1月2日", "1990年1月2日"):
        assert f in forms
    assert "9012" not in forms  # too short to be safe to match
    assert "令和元年5月1日" in pw.birth_date_forms(dt.date(2019, 5, 1))
    assert pw.birth_date_forms("garbage") == set()
