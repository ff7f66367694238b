"""Clause 4(3): password rules.

Two separate things live here:

* :func:`check_policy` checks the *declared rules* in an account file's
  ``security.password`` block (never a password) against the policy parameters.
* :func:`check_candidate` tests a candidate password *locally* (for
  ``snspolicy password check``): guessability with ``zxcvbn`` plus the
  guideline's explicit bans (職員番号, 生年月日, 電話番号, 連続した同一の文字・数字,
  the account handle, other easily guessed things). It returns problem codes
  only; the password is never stored, logged or echoed.

Problem codes of :func:`check_candidate`:

``empty``, ``too-short``, ``guessable`` (zxcvbn score below ``min_score``),
``contains-employee-id``, ``contains-birth-date``, ``contains-phone-number``,
``contains-handle``, ``contains-name`` (a word from ``context['words']``),
``repeated-characters`` (a run such as ``aaa``/``111``), ``sequence``
(``1234``, ``abcd``, ``4321``), ``strength-unchecked`` (zxcvbn is not installed;
the explicit bans were still checked).
"""

from __future__ import annotations

import datetime as _dt
import re
from itertools import pairwise
from typing import Any

__all__ = ["DEFAULTS", "birth_date_forms", "check_candidate", "check_policy"]

DEFAULTS: dict[str, Any] = {
    "min_length": 12,
    "allowed_managers": ["password-manager"],
    "require_unique": True,
    "max_age_days": None,
    "min_score": 3,
    "max_repeat": 2,  # "aaa" (3 identical in a row) is banned, "aa" is fine
    "max_sequence": 3,  # "1234"/"abcd" (4 in order) is banned, "123" is fine
}

ZXCVBN_MAX_LENGTH = 72  # zxcvbn 4.5 refuses longer input; the first 72 characters are scored


def _param(params: dict | None, name: str) -> Any:
    if isinstance(params, dict) and name in params and params[name] is not None:
        return params[name]
    return DEFAULTS[name]


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _as_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# ----------------------------------------------------------------------------- declared rules


def check_policy(declared: Any, params: dict | None = None, today: _dt.date | None = None) -> list[tuple[str, str, dict]]:
    """Check an account's ``security.password`` block against policy ``params``.

    Returns ``(field, problem_code, args)`` tuples; ``field`` is the key inside
    ``security.password`` (``""`` for the block itself). Codes:

    - ``missing`` (no block), ``not-a-mapping`` (the block is a scalar — possibly
      a literal password, so no value is ever put into ``args``);
    - ``min-length-missing``, ``min-length-invalid``, ``min-length-too-short``
      (args ``declared``, ``required``);
    - ``managed-by-missing``, ``managed-by-not-allowed`` (args ``declared``,
      ``allowed``);
    - ``unique-missing``, ``unique-invalid``, ``not-unique``;
    - ``last-changed-missing``, ``last-changed-invalid``, ``last-changed-in-future``,
      ``last-changed-too-old`` (args ``last_changed_on``, ``age_days``,
      ``max_age_days``); the date checks use ``today`` (default: the real date)
      and ``last_changed_on`` is required only when ``params.max_age_days`` is set.

    ``params``: ``min_length`` (int), ``allowed_managers`` (list of str),
    ``require_unique`` (bool), ``max_age_days`` (int or None).
    """
    if declared is None:
        return [("", "missing", {})]
    if not isinstance(declared, dict):
        return [("", "not-a-mapping", {})]
    problems: list[tuple[str, str, dict]] = []

    required = _as_int(_param(params, "min_length")) or DEFAULTS["min_length"]
    if "min_length" not in declared or declared.get("min_length") is None:
        problems.append(("min_length", "min-length-missing", {"required": required}))
    else:
        value = declared["min_length"]
        n = value if isinstance(value, int) and not isinstance(value, bool) else None
        if n is None or n <= 0:
            problems.append(("min_length", "min-length-invalid", {"required": required}))
        elif n < required:
            problems.append(("min_length", "min-length-too-short", {"declared": n, "required": required}))

    allowed = _param(params, "allowed_managers")
    allowed_list = [str(a) for a in allowed] if isinstance(allowed, (list, tuple, set)) else [str(allowed)]
    manager = declared.get("managed_by")
    if manager is None or manager == "":
        problems.append(("managed_by", "managed-by-missing", {"allowed": allowed_list}))
    elif allowed_list and str(manager) not in allowed_list:
        # ``managed_by`` names a kind of tool, never a secret, so echoing it is safe.
        problems.append(("managed_by", "managed-by-not-allowed", {"declared": str(manager)[:40], "allowed": allowed_list}))

    if bool(_param(params, "require_unique")):
        unique = declared.get("unique")
        if unique is None:
            problems.append(("unique", "unique-missing", {}))
        elif not isinstance(unique, bool):
            problems.append(("unique", "unique-invalid", {}))
        elif unique is False:
            problems.append(("unique", "not-unique", {}))

    max_age = _as_int(_param(params, "max_age_days"))
    raw = declared.get("last_changed_on")
    if raw is None or raw == "":
        if max_age is not None:
            problems.append(("last_changed_on", "last-changed-missing", {"max_age_days": max_age}))
    else:
        changed = _as_date(raw)
        if changed is None:
            problems.append(("last_changed_on", "last-changed-invalid", {}))
        else:
            now = today or _dt.date.today()
            age = (now - changed).days
            if age < 0:
                problems.append(("last_changed_on", "last-changed-in-future", {"last_changed_on": changed.isoformat()}))
            elif max_age is not None and age > max_age:
                problems.append(
                    (
                        "last_changed_on",
                        "last-changed-too-old",
                        {"last_changed_on": changed.isoformat(), "age_days": age, "max_age_days": max_age},
                    )
                )
    return problems


# ----------------------------------------------------------------------------- candidate

_ERAS = (  # (start date, romaji initial, kanji)
    (_dt.date(2019, 5, 1), "r", "令和"),
    (_dt.date(1989, 1, 8), "h", "平成"),
    (_dt.date(1926, 12, 25), "s", "昭和"),
    (_dt.date(1912, 7, 30), "t", "大正"),
)
_SEPARATORS = re.compile(r"[\s\-/._・,]")


def birth_date_forms(d: Any) -> set[str]:
    """Lower-case spellings of a birth date as people put them into passwords.

    Western: ``19900102``, ``900102``, ``0102`` (MMDD), ``0201`` (DDMM),
    ``1990年1月2日``; Japanese era: ``h020102``, ``h2.1.2`` (separators are
    removed before matching, so ``h212``), ``平成2年1月2日``, ``020102``.
    Separated spellings (``1990-01-02``, ``1990/1/2``) match because separators
    are removed from the candidate first. Forms shorter than 4 characters are
    left out, and so are digit-only forms shorter than 6 except MMDD/DDMM
    (they would match too much).
    """
    d = _as_date(d)
    if d is None:
        return set()
    y, m, dd = d.year, d.month, d.day
    forms: set[str] = set()
    for ms in {f"{m:02d}", str(m)}:
        for ds in {f"{dd:02d}", str(dd)}:
            forms.update({f"{y}{ms}{ds}", f"{y % 100:02d}{ms}{ds}", f"{ds}{ms}{y}", f"{ms}{ds}{y}", f"{y}年{ms}月{ds}日"})
    forms.update({f"{m:02d}{dd:02d}", f"{dd:02d}{m:02d}"})
    for start, initial, kanji in _ERAS:
        if d >= start:
            ey = y - start.year + 1
            for ys in {f"{ey:02d}", str(ey)}:
                for ms in {f"{m:02d}", str(m)}:
                    for ds in {f"{dd:02d}", str(dd)}:
                        forms.update({f"{initial}{ys}{ms}{ds}", f"{kanji}{ys}{ms}{ds}", f"{kanji}{ys}年{ms}月{ds}日"})
            forms.add(f"{ey:02d}{m:02d}{dd:02d}")
            if ey == 1:
                forms.update({f"{kanji}元年{m}月{dd}日", f"{kanji}元年{m:02d}月{dd:02d}日"})
            break
    padded_mmdd = {f"{m:02d}{dd:02d}", f"{dd:02d}{m:02d}"}
    # digits-only forms shorter than 6 match too much ("9012"), except MMDD/DDMM
    return {f for f in forms if len(f) >= 4 and (not f.isdigit() or len(f) >= 6 or f in padded_mmdd)}


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def _has_run(pw: str, max_repeat: int) -> bool:
    run = 1
    for a, b in pairwise(pw):
        run = run + 1 if a == b else 1
        if run > max_repeat:
            return True
    return False


def _has_sequence(pw: str, max_sequence: int) -> bool:
    low = pw.lower()
    for step in (1, -1):
        run = 1
        for a, b in pairwise(low):
            same_class = (a.isdigit() and b.isdigit()) or (a.isascii() and a.isalpha() and b.isascii() and b.isalpha())
            run = run + 1 if same_class and ord(b) - ord(a) == step else 1
            if run > max_sequence:
                return True
    return False


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _phone_forms(phone: str) -> set[str]:
    digits = _digits(phone)
    forms: set[str] = set()
    if len(digits) >= 6:
        forms.add(digits)
        if digits.startswith("0"):
            forms.add("81" + digits[1:])  # +81 836-31-1111
    groups = [g for g in re.split(r"\D+", phone) if g]
    if len(groups) >= 3:  # the local part without the area code, e.g. 31-1111
        local = "".join(groups[1:])
        if len(local) >= 6:
            forms.add(local)
    return forms


def _handle_forms(handle: str) -> set[str]:
    h = handle.strip().lstrip("@").lower()
    forms = {h, re.sub(r"[^0-9a-z]", "", h)}
    return {f for f in forms if len(f) >= 4}


def check_candidate(pw: str, context: dict | None = None) -> list[str]:
    """Test a candidate password locally; return problem codes (see module doc).

    ``context`` keys (all optional): ``employee_ids``, ``birth_dates`` (dates or
    ISO strings), ``phone_numbers``, ``handle``/``handles``, ``words`` (names
    and other guessable words), and the parameters ``min_length``, ``min_score``,
    ``max_repeat``, ``max_sequence`` (defaults in :data:`DEFAULTS`).
    The password itself never appears in the result.
    """
    ctx = context if isinstance(context, dict) else {}
    if not isinstance(pw, str) or pw == "":
        return ["empty"]
    problems: list[str] = []
    low = pw.lower()
    flat = _SEPARATORS.sub("", low)

    min_length = _as_int(_param(ctx, "min_length")) or DEFAULTS["min_length"]
    if len(pw) < min_length:
        problems.append("too-short")

    employee_ids = [e.strip().lower() for e in _strings(ctx.get("employee_ids")) if e.strip()]
    for e in employee_ids:
        candidates = {e, e.lstrip("0")}
        if any(len(c) >= 4 and (c in low or c in flat) for c in candidates):
            problems.append("contains-employee-id")
            break

    dates = [d for d in (_as_date(v) for v in _as_list(ctx.get("birth_dates"))) if d is not None]
    if any(form in flat for d in dates for form in birth_date_forms(d)):
        problems.append("contains-birth-date")

    phone_digits = _SEPARATORS.sub("", re.sub(r"[()+]", "", low))
    if any(f in phone_digits for p in _strings(ctx.get("phone_numbers")) for f in _phone_forms(p)):
        problems.append("contains-phone-number")

    handles = _strings(ctx.get("handles")) + _strings(ctx.get("handle"))
    handle_forms = {f for h in handles for f in _handle_forms(h)}
    if any(f in low or f in flat for f in handle_forms):
        problems.append("contains-handle")

    words = [w.strip().lower() for w in _strings(ctx.get("words")) if len(w.strip()) >= 3]
    if any(w in low or w.replace(" ", "") in flat for w in words):
        problems.append("contains-name")

    if _has_run(pw, _as_int(_param(ctx, "max_repeat")) or DEFAULTS["max_repeat"]):
        problems.append("repeated-characters")
    if _has_sequence(pw, _as_int(_param(ctx, "max_sequence")) or DEFAULTS["max_sequence"]):
        problems.append("sequence")

    min_score = _as_int(_param(ctx, "min_score"))
    min_score = DEFAULTS["min_score"] if min_score is None else min_score
    user_inputs = (
        employee_ids
        + sorted(handle_forms)
        + words
        + [f for d in dates for f in (d.strftime("%Y%m%d"), d.strftime("%m%d"))]
        + [_digits(p) for p in _strings(ctx.get("phone_numbers"))]
    )
    try:
        from zxcvbn import zxcvbn  # lazy: only ``password check`` needs it
    except ImportError:
        problems.append("strength-unchecked")
    else:
        try:
            result = zxcvbn(pw[:ZXCVBN_MAX_LENGTH], user_inputs=[u for u in user_inputs if u])
            if int(result.get("score", 0)) < min_score:
                problems.append("guessable")
        except Exception:  # noqa: BLE001 - a scorer bug must not leak the password in a traceback
            problems.append("strength-unchecked")
    return problems


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]
