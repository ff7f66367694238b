"""Account files (accounts/*.yaml) as the guideline reads them: which account a name means,
its holders, its status, and how far ahead a record date may be.

Shared by the account rules (3(1), 3(2), 4, 8), the incident rules (7(3): "announced through
another account") and the commands. Values come from user-written YAML: every function here
accepts odd input (a number for a handle, a list for a URL …) and never raises.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from snspolicy.core.values import parse_date

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.io.documents import Document

__all__ = [
    "HOST_ALIASES",
    "MAX_FUTURE_DAYS",
    "account_for",
    "account_id",
    "far_future",
    "holders",
    "is_closed",
    "newest_assignment",
    "normalize_handle",
    "normalize_url",
]

# Host spellings that name the same site (compared after removing "www." / "m.").
HOST_ALIASES = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "mobile.x.com": "x.com",
                "fb.com": "facebook.com", "instagr.am": "instagram.com", "youtu.be": "youtube.com"}

# A record date more than this many days ahead is a typo (2052 for 2025), not a plan.
MAX_FUTURE_DAYS = 1096


def account_id(doc: Document) -> str:
    """The account's id (the file name stem when ``id`` is missing or not text)."""
    value = doc.get("id")
    return value if isinstance(value, str) and value else Path(doc.path).stem


def is_closed(doc: Document) -> bool:
    """``status: closed`` (廃止): the record checks still apply, the running ones do not."""
    return doc.get("status") == "closed"


def holders(doc: Document) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) of each ``holders`` entry that is a mapping."""
    value = doc.get("holders")
    if not isinstance(value, list):
        return []
    return [(i, h) for i, h in enumerate(value) if isinstance(h, dict)]


def newest_assignment(doc: Document) -> tuple[dt.date, int] | None:
    """(newest ``holders[].assigned_on``, its index), or None when no holder has a date."""
    best: tuple[dt.date, int] | None = None
    for i, h in holders(doc):
        d = parse_date(h.get("assigned_on"))
        if d is not None and (best is None or d > best[0]):
            best = (d, i)
    return best


def far_future(d: dt.date, today: dt.date, max_days: Any = MAX_FUTURE_DAYS) -> bool:
    """A date more than ``max_days`` (default 1096, three years; a value that is not a number
    means the default) after ``today``: a typo (2052 for 2025) that would otherwise satisfy
    every "on or after" check for decades.

    Dates a little in the future are accepted on purpose: the record of a personnel
    change effective 4月1日 is usually prepared in March (assigned_on, reviewed_on,
    last_changed_on and registry_submitted_on all set to the effective date).
    """
    try:
        limit = int(max_days)
    except (TypeError, ValueError):
        limit = MAX_FUTURE_DAYS
    return (d - today).days > limit


def normalize_url(url: Any) -> str | None:
    """Compare URLs ignoring scheme, ``www.``/``m.``, case, trailing slash, query and fragment.

    ``https://www.instagram.com/Ube_City/?hl=ja`` and ``http://instagram.com/ube_city``
    give the same key. None for something that is not an http(s) URL with a host.
    """
    if not isinstance(url, str) or not url.strip():
        return None
    s = url.strip()
    if "://" not in s:
        s = "https://" + s
    try:
        parts = urlsplit(s)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    host = HOST_ALIASES.get(host, host)
    path = unquote(parts.path).rstrip("/").lower()
    return host + path


def normalize_handle(handle: Any) -> str | None:
    """``'@Ube_City '`` -> ``'ube_city'`` (NFKC, no leading @, case-folded)."""
    if not isinstance(handle, str):
        return None
    h = unicodedata.normalize("NFKC", handle).strip().lstrip("@").strip().casefold()
    return h or None


def account_for(value: Any, accounts: Mapping[str, Document]) -> str | None:
    """The id of the account ``value`` names: its id, or its handle (``@ube_city``) or URL."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text in accounts:
        return text
    handle, url = normalize_handle(text), normalize_url(text) if "/" in text else None
    for acc in accounts.values():
        if (url and url == normalize_url(acc.get("url"))) or (handle and handle == normalize_handle(acc.get("handle"))):
            return account_id(acc)
    return None
