"""Phone numbers in Japanese post text (clause 6(5)): :func:`find_phone_numbers`, with the
``phonenumbers`` library (imported when a text may hold a number). Re-exported by
:mod:`snspolicy.text.pii`, with the other detectors of personal information."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from snspolicy.core.mask import mask_phone
from snspolicy.core.relazy import lazy
from snspolicy.text.links import url_spans
from snspolicy.text.matches import TextMatch, as_list, overlaps

__all__ = ["MIN_PHONE_DIGITS", "PHONE_JOINERS", "find_local_numbers", "find_phone_numbers", "may_hold_local_number",
           "may_hold_phone_number", "phone_detection_available"]


# "TEL0836-…" / "Fax:0836…": phonenumbers rejects a number glued to Latin letters,
# so such labels are blanked (same length) before matching.
# Each branch starts with its letter and only then looks behind it (not after another letter: "Hotel"), so
# that re skips to the places where a label can start instead of trying every position of every post.
_PHONE_LABEL_RE = lazy(
    r"(?:t(?<![A-Za-z].)(?:el)?|f(?<![A-Za-z].)(?:ax)?|p(?<![A-Za-z].)h(?:one)?|m(?<![A-Za-z].)ob(?:ile)?"
    r"|c(?<![A-Za-z].)ell)(?=\.?\s*[:：]?\s*[+(（0-9])",
    re.IGNORECASE,
)


# A line break right after (or before) the hyphen of a number ("090-⏎1234-5678", wrapped by an
# editor) does not end the number: the matcher sees a space there instead (same length).
_PHONE_WRAP_RE = lazy(r"(?<=[0-9][\-‐‑‒–—―−－ー])[ \t]*\r?\n[ \t]*(?=[0-9])|(?<=[0-9])[ \t]*\r?\n[ \t]*(?=[\-‐‑‒–—―−－][0-9])")
# What every such break has around it (it starts with a character class: found quickly); a text without
# one is not searched with the pattern above, which begins with a look-behind (tried at every position)
_PHONE_WRAP_HINT = lazy(r"[0-9\-‐‑‒–—―−－ー][ \t]*\r?\n[ \t]*[0-9\-‐‑‒–—―−－]")


# The pre-screen: a number phonenumbers accepts is digits joined by at most 4 of its separators
# (its VALID_PUNCTUATION, brackets, plus signs; whitespace here too), and has at least
# MIN_PHONE_DIGITS digits: 8 for a Japanese number, 6 for the shortest foreign number with its
# country code (+43 / +49 and 4 digits). A text without such a chain has no number to find, so
# the matcher (which parses every group of digits it meets: dates, times, prices) is not run.
# tests/text/test_phone_prescreen.py holds this against the library's own constants and metadata.
MIN_PHONE_DIGITS = 6
PHONE_JOINERS = "\\-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f \xa0\xad\u200b\u2060\u3000()（）［］.\\[\\]/~\u2053\u223c\uff5e+＋"
_PHONE_CHAIN_RE = lazy(rf"\d(?:[{PHONE_JOINERS}\s]{{0,4}}\d)*")


def may_hold_phone_number(text: str) -> bool:
    """False when ``text`` cannot hold a number :func:`find_phone_numbers` reports (no chain of
    :data:`MIN_PHONE_DIGITS` digits joined by phone separators); True says only "maybe"."""
    for m in _PHONE_CHAIN_RE.finditer(text):
        if m.end() - m.start() >= MIN_PHONE_DIGITS and sum(ch.isdigit() for ch in m.group()) >= MIN_PHONE_DIGITS:
            return True
    return False


def _e164(number: str) -> str | None:
    import phonenumbers

    try:
        parsed = phonenumbers.parse(unicodedata.normalize("NFKC", number), "JP")
    except Exception:  # noqa: BLE001 - phonenumbers raises NumberParseException and others
        return None
    try:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except Exception:  # noqa: BLE001
        return None


def phone_detection_available() -> bool:
    """True when ``phonenumbers`` is installed (else :func:`find_phone_numbers` finds nothing)."""
    try:
        import phonenumbers  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=64)
def _allowed_phones(entries: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The allow-list parsed once per distinct list (not once per post): digit prefixes of the
    entries ending in ``*``, and the E.164 form of the others."""
    prefixes = tuple(p for p in ("".join(ch for ch in unicodedata.normalize("NFKC", a) if ch.isdigit())
                                 for a in entries if a.rstrip().endswith("*")) if p)
    return prefixes, frozenset(e for e in (_e164(a) for a in entries if not a.rstrip().endswith("*")) if e)


def find_phone_numbers(text: str, allowed: Iterable[str] | None = ()) -> list[TextMatch]:
    """Phone numbers in ``text`` that are not on ``allowed``.

    Uses ``phonenumbers.PhoneNumberMatcher`` (region JP, leniency VALID): numbers
    with hyphens, brackets (``0836(31)1111``), spaces, ``+81``, glued to ``TEL``/``FAX``.
    Dates, prices, times, postal codes, years and 12-digit numbers are not valid
    Japanese numbers and are not reported; numbers inside URLs are skipped.
    An allowed number matches in any spelling (compared as E.164); an allowed entry ending in
    ``*`` is a prefix of digits (``0836-34-*``). Toll-free and navigation-dial numbers are
    reported like any other unless allowed (the rule lowers them to a warning).
    Kind ``'phone'``, ``data={'e164': …}`` (full number: not for printing).
    Without the ``phonenumbers`` package nothing is found: check
    :func:`phone_detection_available` and tell the user.
    """
    if not isinstance(text, str) or not text:
        return []
    shadow = _PHONE_LABEL_RE.sub(lambda m: " " * len(m.group(0)), text)
    if _PHONE_WRAP_HINT.search(shadow) is not None:
        shadow = _PHONE_WRAP_RE.sub(lambda m: " " * len(m.group(0)), shadow)
    if not may_hold_phone_number(shadow):
        return []  # no number can be there: the library is not even loaded
    try:
        import phonenumbers  # noqa: F401 - is it installed?
    except ImportError:  # pragma: no cover - declared dependency
        return []
    prefixes, allowed_e164 = _allowed_phones(tuple(as_list(allowed)))
    urls = url_spans(text)
    out: list[TextMatch] = []
    at = 0
    try:
        for line in shadow.split("\n"):
            for start, end, e164 in _line_numbers(line) if may_hold_phone_number(line) else ():
                start += at
                end += at
                if overlaps(start, end, urls) or e164 in allowed_e164:
                    continue
                if prefixes and e164.startswith("+81") and any(("0" + e164[3:]).startswith(p) for p in prefixes):
                    continue
                raw = re.sub(r"\s*\n\s*", "", text[start:end])
                out.append(TextMatch("phone", start, end, mask_phone(raw), {"e164": e164}))
            at += len(line) + 1
    except Exception:  # noqa: BLE001 - never raise from a detector
        return out
    return out


@functools.lru_cache(maxsize=4096)
def _line_numbers(line: str) -> tuple[tuple[int, int, str], ...]:
    """The numbers in one line of the (shadowed) text: (start, end, E.164).

    Line by line is the same as the whole text at once: no number the matcher accepts holds a
    line break (its separators are spaces, dashes, brackets, dots and slashes; a number wrapped by
    an editor was joined by :data:`_PHONE_WRAP_RE` before), and what it looks at around a number
    (the character before and after, a ``:30`` after a time) is on the same line or is the line
    break, which it treats like the end of the text. Lines repeat from post to post (a
    department's contact line), so each is parsed once per process."""
    import phonenumbers

    matcher = phonenumbers.PhoneNumberMatcher(line, "JP", leniency=phonenumbers.Leniency.VALID, max_tries=10000)
    return tuple((m.start, m.end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164))
                 for m in matcher)


# --------------------------------------------------------------------------- numbers without the area code
# A local number ("【電話】22-1234", "TEL 223-4567"): the exchange (1-4 digits, never starting with 0) and the
# 4-digit subscriber number. phonenumbers cannot validate it (no area code), so it is taken only right after a
# phone label (【電話】, 電話：, TEL, FAX, ☎ …); what follows must not make it a range, a date or an amount.
_LOCAL_LABEL = (r"(?:【(?:電話|TEL|Tel|FAX|Fax|ファクス|ファックス|携帯)(?:番号)?(?:[・/](?:FAX|Fax|ファクス|ファックス))?】"
                r"|(?<![A-Za-z])(?:TEL|Tel|tel|FAX|Fax|fax)(?:[・/](?:FAX|Fax|fax))?"
                r"|(?:電話番号|電話|ファクス|ファックス)(?:[・/](?:FAX|Fax|ファクス|ファックス))?|☎|℡|📞)")
_DASH = "\\-‐‑‒–—―−－ー"
_LOCAL_RE = lazy(_LOCAL_LABEL + rf"[ \u3000]*[:：.]?[ \u3000]*(?P<num>[1-9][0-9]{{0,3}}[{_DASH}][0-9]{{4}})"
                       rf"(?![0-9]|[{_DASH}.,/~〜～][0-9]|[年月日時分秒円%％回個件歳才人名枚本台冊万番号倍点])")

_DATE_LIKE = lazy(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")  # 2024-0415


def may_hold_local_number(text: str) -> bool:
    """False when ``text`` holds no local number :func:`find_local_numbers` could report."""
    return _LOCAL_RE.search(text) is not None


def _local_allowed(digits: str, entries: tuple[str, ...]) -> bool:
    """Is the local number one of the allowed numbers written without its area code? An entry counts
    when its digits end in the local number's after a 2-5 digit area code (``0836-31-1111`` allows
    ``31-1111``); a prefix entry (``0836-34-*``) when its groups after the area code begin the number."""
    for entry in entries:
        e = unicodedata.normalize("NFKC", entry).strip()
        if e.startswith("+81"):
            e = "0" + e[3:].lstrip(" -(")
        groups = re.findall(r"[0-9]+", e)
        if not groups or not groups[0].startswith("0"):
            continue
        if e.endswith("*"):
            rest = "".join(groups[1:])
            if rest and digits.startswith(rest):
                return True
            continue
        full = "".join(groups)
        if len(full) == 10 and full.endswith(digits) and 2 <= len(full) - len(digits) <= 5:
            return True
    return False


def find_local_numbers(text: str, allowed: Iterable[str] | None = ()) -> list[TextMatch]:
    """Phone numbers written without their area code right after a phone label (``【電話】22-1234``,
    ``TEL:223-4567``, ``【電話・FAX】241-0000``) that are not an allowed number written so.

    Not found: a full number (``【電話】0836-22-1234``: :func:`find_phone_numbers`), ranges, dates and
    amounts after a label (``電話 9-1700円``, ``電話 1-1000件``, ``2024-0415``), postal codes and other numbers
    without a label. Such a number may be anyone's, and most are a section's or a facility's line: the rule reports
    only those the words around name a person (:mod:`snspolicy.text.contacts`). Kind ``'phone'``,
    ``data={'e164': '', 'local': …}`` (digits: not for printing); ``masked`` hides every digit.
    """
    if not isinstance(text, str) or not text:
        return []
    entries = tuple(as_list(allowed))
    urls = url_spans(text)
    out: list[TextMatch] = []
    try:
        for m in _LOCAL_RE.finditer(text):
            start, end = m.span("num")
            digits = "".join(ch for ch in m.group("num") if ch.isdigit())
            if overlaps(start, end, urls) or _local_allowed(digits, entries) or _DATE_LIKE.fullmatch(digits):
                continue
            out.append(TextMatch("phone", start, end, re.sub(r"[0-9]", "*", m.group("num")),
                                 {"e164": "", "local": digits}))
    except Exception:  # noqa: BLE001 - never raise from a detector
        return out
    return out
