"""Links in post text: every URL, plain ``http://`` links and URL shorteners (clause 3(6)).

A URL is ``http://`` or ``https://`` followed by URL characters (ASCII only: after
NFKC normalization full-width letters are ASCII already, and Japanese text right
after a URL ends it), or a scheme-less ``www.`` host, or a scheme-less link on a
known shortener (``bit.ly/abc``). Trailing punctuation (``.,;:!?``) and unbalanced
closing brackets are not part of the URL.

Shorteners hide where a link leads, so a reader cannot judge it (3(6)). The
default list holds general-purpose shorteners only; first-party short domains
that lead to a known service (``youtu.be``, ``forms.gle``, ``lin.ee``) are not on it
— a policy can add them through the ``shorteners`` parameter.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from urllib.parse import urlsplit

from snspolicy.core.relazy import lazy
from snspolicy.text.matches import TEXT_MEMO, TextMatch

__all__ = ["DEFAULT_SHORTENERS", "find_links", "url_spans"]

DEFAULT_SHORTENERS: tuple[str, ...] = (
    "bit.ly",
    "bitly.com",
    "j.mp",
    "t.co",
    "tinyurl.com",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "v.gd",
    "x.gd",
    "buff.ly",
    "amzn.to",
    "amzn.asia",
    "cutt.ly",
    "rebrand.ly",
    "shorturl.at",
    "tiny.cc",
    "rb.gy",
    "t.ly",
    "s.id",
)

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
_URL_RE = lazy(
    r"(?<![A-Za-z0-9.@/\-])"
    r"(?:(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)://" + _URL_CHARS + r"+"
    r"|(?P<www>[Ww][Ww][Ww]\.)" + _HOST + r"(?:[/?#]" + _URL_CHARS + r"*)?"
    r"|(?P<bare>" + _HOST + r")/" + _URL_CHARS + r"+)"
)
_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "["}


def _trim(url: str) -> str:
    """Drop trailing punctuation and unbalanced closing brackets."""
    while url:
        last = url[-1]
        if last in _TRAILING or last in _PAIRS and url.count(last) > url.count(_PAIRS[last]):
            url = url[:-1]
        else:
            break
    return url


def _host_of(url: str) -> str:
    target = url if "://" in url else "http://" + url
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:
        host = ""
    return host.lower().rstrip(".")


def _is_shortener(host: str, shorteners: Iterable[str]) -> bool:
    try:
        hosts = _shortener_hosts(shorteners)  # type: ignore[arg-type]
    except TypeError:  # a list, or an entry that cannot be a key (a policy's odd parameter): not remembered
        hosts = _shortener_hosts.__wrapped__(shorteners)
    return host in hosts


@functools.lru_cache(maxsize=64)
def _shortener_hosts(shorteners: Iterable[str]) -> frozenset[str]:
    """The hosts that are a shortener: each listed host, lowered, without a final dot, and its ``www.``."""
    names = {n for n in (str(s).lower().strip().rstrip(".") for s in shorteners) if n}
    return frozenset(names | {"www." + n for n in names})


def url_spans(text: str, shorteners: Iterable[str] | None = None) -> list[tuple[int, int, str]]:
    """All URLs of :func:`find_links` as ``(start, end, url)``; never raises. Several detectors
    ask for the same post's URLs in turn: the answer for the last few texts is kept."""
    if not isinstance(text, str) or not text:
        return []
    short = tuple(DEFAULT_SHORTENERS if shorteners is None else (str(x) for x in shorteners))
    return list(_url_spans(text, short))


@functools.lru_cache(maxsize=TEXT_MEMO)
def _url_spans(text: str, shorteners: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((m.start, m.end, str(m.data["url"])) for m in find_links(text, shorteners) if m.kind == "url")


def find_links(text: str, shorteners: Iterable[str] | None = None) -> list[TextMatch]:
    """Find links in ``text``.

    Returns, in text order, one ``TextMatch`` of kind ``'url'`` for every URL
    (``data={'url', 'host', 'scheme'}``; ``scheme`` is ``None`` for ``www.`` links),
    plus one of kind ``'http'`` for every plain ``http://`` link and one of kind
    ``'shortener'`` for every link on a host in ``shorteners`` (default
    :data:`DEFAULT_SHORTENERS`; ``www.`` of a listed host counts too).
    Scheme-less ``host/path`` text is reported only when the host is a shortener.
    URLs are not personal data, so ``masked`` is the URL itself.
    """
    if not isinstance(text, str) or not text:
        return []
    short = tuple(DEFAULT_SHORTENERS if shorteners is None else shorteners)
    try:
        return list(_find_links(text, short))
    except TypeError:  # a shortener that cannot be a key (a policy's odd parameter): not remembered
        return list(_find_links.__wrapped__(text, short))


@functools.lru_cache(maxsize=TEXT_MEMO)
def _find_links(text: str, short: tuple) -> tuple[TextMatch, ...]:
    """:func:`find_links`, remembered for the last texts (:data:`TEXT_MEMO`): the link rules and the
    detectors that skip URLs ask for the same post's links in turn (the matches are shared: read-only)."""
    out: list[TextMatch] = []
    try:
        for m in _URL_RE.finditer(text):
            url = _trim(m.group(0))
            if not url:
                continue
            scheme = (m.group("scheme") or "").lower() or None
            if scheme and len(url) <= len(scheme) + 3:
                continue
            host = _host_of(url)
            if not host:
                continue
            is_short = _is_shortener(host, short)
            if m.group("bare") is not None and not is_short:
                continue  # e.g. "example.jp/abc" without scheme: not reported
            start, end = m.start(), m.start() + len(url)
            data = {"url": url, "host": host, "scheme": scheme}
            out.append(TextMatch("url", start, end, url, dict(data)))
            if scheme == "http":
                out.append(TextMatch("http", start, end, url, dict(data)))
            if is_short:
                out.append(TextMatch("shortener", start, end, url, dict(data)))
    except Exception:  # noqa: BLE001 - detectors never raise
        return tuple(out)
    return tuple(out)
