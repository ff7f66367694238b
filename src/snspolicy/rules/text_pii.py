"""Clause 6(5) personal-information rules on a post's body and its images.

* ``pii-phone`` — phone numbers that are not on ``allow.phone_numbers`` nor national
  public helplines (the rule's ``public_numbers`` param: いのちの電話 …), and a person's number
  written without its area code after a phone label (``問合せ：山田`` / ``【電話】22-1234``); any spelling
  of an allowed number matches: ``0836-31-1111``, ``(0836)31-1111``, ``０８３６－３１－１１１１``;
  ``0836-34-*`` allows a prefix;
* ``pii-email`` — e-mail addresses outside ``allow.email_domains`` (a whole address there
  allows only itself);
* ``pii-mynumber`` — 12-digit 個人番号 with a valid check digit (spaced or not);
* ``pii-address`` — street addresses down to 番地/号 not on ``allow.addresses``;
* ``pii-name`` — people's names with an honorific (さん, 様, くん …), except
  ``allow.names`` and the role words of the rule's ``not_names`` param (保健師さん);
* ``pii-birthdate`` — birth dates of individuals (a full date with 生まれ/生年月日);
* ``media-exif-location`` — GPS or other location data in the metadata of an image
  the post attaches.

Phone numbers, e-mail and addresses are read in context (:mod:`snspolicy.text.contacts`):
a person's contact (next to a person's name, a home) stays an error; an organisation's or
facility's contact (``問合せ：〇〇課``, ``会場：``, 0120/0800/0570) becomes a warning that says how
to allow it; one that nothing identifies stays an error. The city's own contacts come from the
policy's ``city_contacts`` parameter, a repo's public contacts from ``allow`` in snspolicy.yaml
(also an imported CSV list, ``allow.contacts``).

Every message shows the value masked (:mod:`snspolicy.mask`); full values never
leave this module. The detectors live in :mod:`snspolicy.text.pii` and
:mod:`snspolicy.text.exif`; phonenumbers, SudachiPy and the image libraries are
imported only when a rule runs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from snspolicy.core.model import Problem, Severity
from snspolicy.io.documents import Document
from snspolicy.rules._text import Analysis, analysis, effective_severity, occurrence_keys
from snspolicy.rules.api import Context, rule

# Role and occupation words the name detector may read as a given name before さん
# (保健師 → 保|健師). Extended by the ``not_names`` param of pii-name.
DEFAULT_NOT_NAMES = (
    "保健師", "看護師", "助産師", "薬剤師", "医師", "獣医師", "歯科医師", "技師", "講師", "調理師", "美容師",
    "理容師", "庭師", "漁師", "猟師", "牧師", "栄養士", "保育士", "介護士", "運転士", "消防士", "弁護士",
    "司法書士", "税理士", "飼育員", "学芸員", "指導員", "相談員", "支援員", "司書", "駅長", "園長", "館長",
    "校長", "店長", "署長", "所長", "先生", "サンタ",
)


def _problems(a: Analysis, matches: Iterable[Any], args_of: Callable[[Any], dict[str, Any]],
              variant_of: Callable[[Any], str | None] | None = None) -> Iterator[Problem]:
    ms = sorted(matches, key=lambda m: (m.start, m.end))
    keys = occurrence_keys([f"{m.kind}:{m.masked}" for m in ms])
    for m, key in zip(ms, keys):
        yield Problem(a.span(m.start, m.end), args_of(m), variant=variant_of(m) if variant_of else None,
                      fingerprint_extra=key)


# --------------------------------------------------------------------------- whose contact

_REASONS = {
    "ja": {"name": "人名の隣にある", "home": "自宅・個人宅の", "private": "「携帯」などと書かれた", "": ""},
    "en": {"name": "next to a person's name", "home": "a home's", "private": "a staff member's or private phone",
           "": "personal"},
}


def city_contacts(ctx: Context, kind: str) -> list[str]:
    """The city's own contacts of ``kind`` (phone_numbers, addresses, email_domains) from the policy's
    ``city_contacts`` parameter: allowed in every repo of that city without configuration."""
    value = ctx.param("city_contacts")
    items = value.get(kind) if isinstance(value, dict) else None
    return [str(x) for x in items if isinstance(x, (str, int))] if isinstance(items, list) else []


def _contact_problems(a: Analysis, ctx: Context, rule_id: str, found: list[Any], kind: str,
                      base_args: Callable[[Any], dict[str, Any]], unknown_variant: Callable[[Any], str | None]) -> Iterator[Problem]:
    """Findings for contact values: a person's stays at the rule's severity (variant ``personal``),
    an organisation's or facility's becomes a warning that says how to allow it (``organisation``,
    ``tollfree`` for 0120/0800/0570), one that nothing identifies keeps the rule's default message.
    A phone number written without its area code (``data['local']``) is reported only as a person's."""
    from snspolicy.text.contacts import ORGANISATION, PERSON, classify

    ms = [(m, classify(a.text, m.start, m.end, kind)) for m in sorted(found, key=lambda m: (m.start, m.end))]
    # a local number of a section, a facility or no one known is left alone: most are public lines
    ms = [(m, h) for m, h in ms if h.kind == PERSON or not m.data.get("local")]
    keys = occurrence_keys([f"{m.kind}:{m.masked}" for m, _ in ms])
    lang = ctx.lang if ctx.lang in _REASONS else "en"
    for (m, holder), key in zip(ms, keys):
        args = dict(base_args(m))
        severity = None
        variant: str | None
        if holder.kind == ORGANISATION:
            variant = "tollfree" if holder.reason == "tollfree" else "organisation"
            args["holder"] = holder.name or ("団体・施設" if lang == "ja" else "an organisation or facility")
            severity = effective_severity(ctx, rule_id, "warning")
        elif holder.kind == PERSON:
            variant = "personal" if (kind != "phone" or args.get("official")) else unknown_variant(m)
            args["reason"] = _REASONS[lang].get(holder.reason, _REASONS[lang][""])
        else:
            variant = unknown_variant(m)
        yield Problem(a.span(m.start, m.end), args, variant=variant, severity=severity, fingerprint_extra=key)


# --------------------------------------------------------------------------- phone

# A phone number has at least 10 digits (Japanese numbers have 10 or 11 with the leading 0);
# posts without such a run of digits skip the (slow) phone-number matcher.
_PHONE_HINT = re.compile(r"[0-9](?:[^0-9]{0,3}[0-9]){9,}")  # a line break may sit in a wrapped number


@rule("pii-phone", kinds=("post",), text=True)
def pii_phone(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): phone numbers that are not official (``allow.phone_numbers``, ``public_numbers`` param)."""
    from snspolicy.text import pii

    a = analysis(doc)
    full = _PHONE_HINT.search(a.text) is not None
    if not full and not pii.may_hold_local_number(a.text):
        return
    if not pii.phone_detection_available():
        if not ctx.shared.get("pii-phone.unavailable"):
            ctx.shared["pii-phone.unavailable"] = True
            yield Problem(a.span(0, 0), {}, variant="unavailable", severity=Severity.WARNING,
                          fingerprint_extra="unavailable")
        return
    own = city_contacts(ctx, "phone_numbers")
    allowed = ctx.config.allowed("phone_numbers")
    official = next((n for n in [*allowed, *own] if not n.rstrip().endswith("*")), "")
    public = ctx.param("public_numbers")
    public = [str(n) for n in public if isinstance(n, (str, int))] if isinstance(public, (list, tuple)) else []
    found = pii.find_phone_numbers(a.text, [*allowed, *own, *public]) if full else []
    # a number without its area code (【電話】22-1234): reported only as a person's (see _contact_problems)
    found += pii.find_local_numbers(a.text, [*allowed, *own, *public])
    yield from _contact_problems(a, ctx, "pii-phone", found, "phone", lambda m: {"masked": m.masked, "official": official},
                                 lambda m: None if official else "no_official")


# --------------------------------------------------------------------------- e-mail


@rule("pii-email", kinds=("post",), text=True)
def pii_email(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): e-mail addresses outside the allowed domains."""
    from snspolicy.text import pii

    a = analysis(doc)
    if not any(mark in a.text for mark in ("@", "at", "アット", "★", "☆")):
        return
    allowed = [*ctx.config.allowed("email_domains"), *city_contacts(ctx, "email_domains")]
    found = pii.find_emails(a.text, allowed)
    shown = list(dict.fromkeys(d for d in allowed if "@" not in d.strip("@")))[:3]
    domains = "、".join(shown) if ctx.lang == "ja" else ", ".join(shown)
    yield from _contact_problems(a, ctx, "pii-email", found, "email", lambda m: {"masked": m.masked, "domains": domains},
                                 lambda m: None if shown else "no_domains")


# --------------------------------------------------------------------------- 個人番号


@rule("pii-mynumber", kinds=("post",), text=True)
def pii_mynumber(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): 個人番号 (12 digits with a valid check digit)."""
    from snspolicy.text import pii

    a = analysis(doc)
    if sum(map(str.isdigit, a.text)) < 12:
        return
    yield from _problems(a, pii.find_my_numbers(a.text), lambda m: {"masked": m.masked})


# --------------------------------------------------------------------------- address


@rule("pii-address", kinds=("post",), text=True)
def pii_address(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): street addresses (down to 番地/号) that are not on ``allow.addresses``."""
    from snspolicy.text import pii

    a = analysis(doc)
    if not any(ch.isdigit() or ch in "〇一二三四五六七八九十" for ch in a.text):
        return
    allowed = [*ctx.config.allowed("addresses"), *city_contacts(ctx, "addresses")]
    yield from _contact_problems(a, ctx, "pii-address", pii.find_addresses(a.text, allowed), "address",
                                 lambda m: {"masked": m.masked}, lambda m: None)


# --------------------------------------------------------------------------- names

@functools.lru_cache(maxsize=16)
def _normalized_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """The role words as the detectors see a text (normalized), once per list (not once per post)."""
    from snspolicy.text.normalize import normalize

    return tuple(normalize(str(w)).text for w in words if w)


@rule("pii-name", kinds=("post",), text=True)
def pii_name(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): a person's name with an honorific (山田花子さん), unless allowed."""
    a = analysis(doc)
    text = a.text
    if not any(h in text for h in ("さん", "さま", "様", "氏", "くん", "君", "ちゃん", "殿")):
        return
    extra = ctx.param("not_names")
    words = tuple(DEFAULT_NOT_NAMES) if not isinstance(extra, (list, tuple)) else tuple(str(w) for w in extra if w)
    not_names = _normalized_words(words)
    found = []
    for m in a.token_results(ctx).names:
        hon = str(m.data.get("honorific", ""))
        before = text[:m.end - len(hon)]
        if any(w and before.endswith(w) for w in not_names):
            continue  # 保健師さん: a role, not a name
        found.append(m)
    yield from _problems(a, found, lambda m: {"masked": m.masked})


# --------------------------------------------------------------------------- birth dates


@rule("pii-birthdate", kinds=("post",), text=True)
def pii_birthdate(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): the birth date of an individual."""
    from snspolicy.text import pii

    a = analysis(doc)
    if not any(w in a.text for w in ("生", "誕生")):
        return
    yield from _problems(a, pii.find_birth_dates(a.text), lambda m: {"masked": m.masked})


# --------------------------------------------------------------------------- image metadata

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _inside_repo(path: str) -> bool:
    p = path.replace("\\", "/")
    return not (p.startswith("/") or re.match(r"^[A-Za-z]:", p) or _URL.match(p) or any(part == ".." for part in p.split("/")))


@rule("media-exif-location", kinds=("post",), depends_on=("media",))
def media_exif_location(doc: Document, ctx: Context) -> Iterator[Problem]:
    """6(5): location data (GPS, XMP location fields) in an attached image's metadata."""
    media = doc.get("media")
    if not isinstance(media, list):
        return
    from snspolicy.text.exif import gps_location

    cache: dict[str, Any] = ctx.shared.setdefault("media-exif-location.cache", {})
    max_bytes = ctx.param("max_bytes")
    for i, item in enumerate(media):
        path = item.get("path") if isinstance(item, dict) else None
        if not isinstance(path, str) or not path.strip() or not _inside_repo(path.strip()):
            continue  # post-media reports missing and outside paths
        rel = path.strip()
        if not ctx.repo.exists(rel):
            continue
        if rel not in cache:
            cache[rel] = gps_location(ctx.repo.root / rel, max_bytes)
        found = cache[rel]
        if not found:
            continue
        fields = [str(f) for f in found.get("fields") or []]
        coords = found.get("latitude") is not None and found.get("longitude") is not None
        yield Problem(("media", i, "path"), {"path": rel, "fields": fields, "source": str(found.get("source", "exif"))},
                      variant=None if coords else "fields", fingerprint_extra=f"media|{rel}")
