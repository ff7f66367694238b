"""Masking helpers: turn a secret or a piece of personal data into a printable hint.

Every output of snspolicy that refers to a secret or to personal data goes
through one of these functions. They never raise: any input (``None``, numbers,
odd strings) gives a string.

Rules of thumb:

* a secret keeps at most 4 leading characters and never more than 25 % of its
  length, followed by a fixed ``****`` (so the length is not revealed either).
  :func:`mask_secret` is the ONE way to mask a secret: the secret scanner
  (:mod:`snspolicy.domain.secretscan`) and every message use it. (The scanner shows
  only ``****`` for a value under a password-named key: a password's first
  characters are a real hint, while a token's first characters name its kind);
* a phone number keeps its first group (area code / mobile prefix) and its
  separators, every other digit becomes ``*``;
* an e-mail address keeps the first character of the local part and the domain;
* names keep at most 25 % of their characters; employee ids keep 2;
* addresses and dates keep their words and lose their numbers.
"""

from __future__ import annotations

import re

__all__ = [
    "mask_digits",
    "mask_email",
    "mask_employee_id",
    "mask_generic",
    "mask_name",
    "mask_phone",
    "mask_secret",
]

_STARS = "****"


def _text(value: object) -> str:
    if value is None:
        return ""
    try:
        return value if isinstance(value, str) else str(value)
    except Exception:  # noqa: BLE001 - __str__ of an odd object
        return ""


def mask_secret(value: object) -> str:
    """Mask a password, token or key: ``'ghp_abcdefghijklmnop'`` -> ``'ghp_****'``.

    Keeps 0 characters below length 10, 2 below length 20, else 4 (so never more than
    a quarter of the value). The number of stars is fixed, so the length is not shown.

    These are the secret scanner's thresholds (until 0.1.0 this function kept 2 characters
    from length 8 and 4 from length 16; nothing printed it, while every masked value in a
    finding came from the scanner's own copy — now removed — so findings are unchanged).
    """
    s = _text(value)
    n = len(s)
    if n < 10:
        keep = 0
    elif n < 20:
        keep = 2
    else:
        keep = 4
    keep = min(keep, n // 4)
    return s[:keep] + _STARS


def mask_generic(value: object, keep: int = 2) -> str:
    """Keep at most ``keep`` leading characters (and at most 25 %), star the rest.

    ``mask_generic('山田太郎')`` -> ``'山***'``. The result has the input's length,
    capped at 12 characters (long values end in ``*``), so it stays readable.
    """
    s = _text(value)
    n = len(s)
    if n == 0:
        return ""
    k = max(0, min(int(keep) if isinstance(keep, int) else 0, n // 4))
    return s[:k] + "*" * min(max(n - k, 1), 12)


def mask_employee_id(value: object) -> str:
    """``'200202'`` -> ``'2*****'``: enough to tell ids apart in a message, not to copy one."""
    return mask_generic(_text(value).strip(), keep=2) if value is not None else ""


def mask_name(value: object, honorific: str = "") -> str:
    """Mask a person's name, keeping the honorific: ``('山田太郎', 'さん')`` -> ``'山***さん'``."""
    return mask_generic(_text(value).strip(), keep=1) + _text(honorific)


def mask_digits(value: object) -> str:
    """Replace every digit and kanji numeral by ``*``; keep words and separators.

    ``'宇部市常盤町一丁目7番1号'`` -> ``'宇部市常盤町*丁目*番*号'`` (runs of numerals become
    one ``*``, so the number of digits is not shown either).
    """
    return re.sub(r"(?:[0-9０-９〇零一二三四五六七八九十百千元])+", "*", _text(value))


def mask_phone(value: object) -> str:
    """Mask a phone number, keeping the first group and the separators.

    ``'0836-22-1234'`` -> ``'0836-**-****'``, ``'0836(31)1111'`` -> ``'0836(**)****'``,
    ``'+81-836-22-1234'`` -> ``'+81-836-**-****'``, ``'09012345678'`` -> ``'090********'``.
    At most half of the digits are ever kept.
    """
    s = _text(value)
    digits = [i for i, ch in enumerate(s) if ch.isdigit()]
    if not digits:
        return "*" * min(len(s), 12)
    total = len(digits)
    # groups of digits separated by anything else
    groups: list[tuple[int, int]] = []
    for m in re.finditer(r"\d+", s):
        groups.append((m.start(), m.end()))
    keep_groups = 1
    if s.lstrip().startswith("+") and len(groups) > 1:
        keep_groups = 2  # country code and area code
    if len(groups) > keep_groups:
        keep_until = groups[keep_groups - 1][1]
    else:
        keep_until = digits[min(3 if total >= 10 else 2, total) - 1] + 1
    kept = sum(1 for i in digits if i < keep_until)
    if kept * 2 > total:
        keep_until = digits[max(0, min(2, total // 2) - 1)] + 1 if total >= 4 else 0
    return "".join(
        ch if (i < keep_until or not ch.isdigit()) else "*" for i, ch in enumerate(s)
    )


def mask_email(value: object) -> str:
    """Mask an e-mail address: ``'taro.yamada@example.com'`` -> ``'t***@example.com'``."""
    s = _text(value)
    for sep in ("@", "[at]", "(at)", "★", "☆"):
        if sep in s:
            local, _, domain = s.partition(sep)
            head = local[:1] if len(local) >= 4 else ""
            return f"{head}***@{domain}"
    return mask_generic(s, keep=1)
