"""Posts (posts/**/*.md) as the guideline reads them: when a post goes out, whether it is out
yet, and the hash that pins the approved text of a revision.

Times are compared as aware datetimes in Japan time: a time without a zone is JST (+09:00) and a
date-only ``publish_at`` means 00:00 JST of that day (see docs/time-and-dates.md). Shared by the
post rules (5, 6(9), 6(10)), the account rules (3(1): first use of an account) and the commands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from snspolicy.core.values import JST, parse_datetime

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.io.documents import Document

__all__ = [
    "APPROVAL_STATUSES",
    "NOT_YET_OUT_STATUSES",
    "aware",
    "body_sha256",
    "not_yet_out",
    "publish_at",
    "publish_date",
]

# Past the draft stage: these need an approval (5), and a post in one of them is use of the account (3(1)).
APPROVAL_STATUSES = ("approved", "scheduled", "published", "deleted")
# Still to go out (whatever publish_at says).
NOT_YET_OUT_STATUSES = ("draft", "approved", "scheduled")


def aware(value: Any) -> dt.datetime | None:
    """A date/time value as an aware datetime in JST (no zone = JST, a date = 00:00 JST), or
    None when it is missing, unreadable or too close to year 1 / 9999 to convert."""
    if value is None or isinstance(value, bool):
        return None
    try:
        parsed = parse_datetime(value)
        return parsed.astimezone(JST) if parsed is not None else None
    except (ValueError, TypeError, OverflowError):
        return None


def publish_at(doc: Document) -> dt.datetime | None:
    """The post's ``publish_at`` as an aware datetime in JST."""
    return aware(doc.get("publish_at"))


def publish_date(doc: Document) -> dt.date | None:
    """The calendar day of ``publish_at`` in Japan (what approval dates are compared with)."""
    p = publish_at(doc)
    return p.date() if p is not None else None


def not_yet_out(doc: Document, today: dt.date) -> bool:
    """Is the post still to go out as of ``today``? (the roster describes today, not the past)"""
    status = doc.get("status")
    if status == "deleted":
        return False
    if status in NOT_YET_OUT_STATUSES:
        return True
    day = publish_date(doc)
    return day is None or day >= today


def body_sha256(body: str) -> str:
    """The hash recorded as a revision's ``body_sha256``: SHA-256 (hex) of the UTF-8 body with
    line ends normalized to LF and leading/trailing white space removed."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
