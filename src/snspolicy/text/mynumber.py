"""個人番号 (My Number) in post text (clause 6(5)): twelve digits whose last one is the check digit
of the first eleven (the official formula), outside longer digit runs and URLs.

Re-exported by :mod:`snspolicy.text.pii` with the other personal-data detectors.
"""

from __future__ import annotations

from snspolicy.core.relazy import lazy
from snspolicy.text.links import url_spans
from snspolicy.text.matches import TextMatch

__all__ = ["find_my_numbers", "my_number_check_digit"]


_MY_NUMBER_RE = lazy(
    r"(?<![0-9])(?<![0-9][ \-‐−－])"
    r"(?P<a>[0-9]{4})(?P<sep>[ \-‐−－]?)(?P<b>[0-9]{4})(?P=sep)(?P<c>[0-9]{4})"
    r"(?![0-9])(?![ \-‐−－][0-9])"
)


def my_number_check_digit(first11: str) -> int | None:
    """The check digit of a 個人番号 from its first 11 digits (official formula).

    With P(n) the n-th digit counted from the right of the 11 digits and
    Q(n) = n+1 for n ≤ 6, n−5 for n ≥ 7: r = Σ P(n)·Q(n) mod 11; the check
    digit is 0 when r ≤ 1, else 11 − r.
    """
    if not isinstance(first11, str) or len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        return None
    total = 0
    for n in range(1, 12):
        p = int(first11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


def find_my_numbers(text: str) -> list[TextMatch]:
    """12-digit 個人番号 with a valid check digit: ``123456789018``, ``1234 5678 9018``,
    ``1234-5678-9018``; not inside longer digit runs; numbers of one repeated digit and
    numbers inside URLs are skipped. Kind ``'mynumber'``; ``masked`` keeps no digit."""
    if not isinstance(text, str) or not text:
        return []
    out: list[TextMatch] = []
    urls = url_spans(text)
    for m in _MY_NUMBER_RE.finditer(text):
        digits = m.group("a") + m.group("b") + m.group("c")
        if len(set(digits)) == 1 or any(s < m.end() and m.start() < e for s, e, _ in urls):
            continue
        if my_number_check_digit(digits[:11]) != int(digits[11]):
            continue
        sep = m.group("sep")
        out.append(TextMatch("mynumber", m.start(), m.end(), sep.join(["****"] * 3), {}))
    return out
