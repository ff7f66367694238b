"""Clarity of post text (clause 3(7)): per-platform length, hashtags, long sentences.

Lengths are counted on the text **as it will be posted** (pass the original body,
not the NFKC form: NFKC turns a full-width ``１`` that X weighs 2 into ``1`` that
weighs 1); only NFC is applied, as the platforms do.

X (``x``/``twitter``) follows the twitter-text 3 configuration: code points in
U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, every
other code point 2 (so Japanese counts double), an emoji sequence (ZWJ
sequences, flags, keycaps, skin tones) weighs 2 as a whole, and every URL
weighs 23 whatever its length. URLs are those of :mod:`snspolicy.text.links`
plus scheme-less domains with a common TLD (``city.ube.yamaguchi.jp``), an
approximation of twitter-text's own URL extraction. The result is in X's
"characters" (280 = the limit of a standard account).

Every other platform counts code points after NFC (``params={'unit':
'graphemes'}`` counts user-perceived characters, ``'utf16'`` UTF-16 code units).
Limits are not built in: the caller passes them (from the policy).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from typing import Any

from snspolicy.core.relazy import lazy
from snspolicy.text.links import url_spans
from snspolicy.text.matches import TEXT_MEMO, TextMatch

try:  # grapheme clusters and emoji properties
    import regex as _regex
except ImportError:  # pragma: no cover - regex is a declared dependency
    _regex = None

__all__ = [
    "X_DEFAULTS",
    "check_length",
    "hashtag_excess",
    "hashtags",
    "long_sentences",
    "weighted_length",
]

X_DEFAULTS: dict[str, Any] = {
    "url_length": 23,
    "default_weight": 2,
    "emoji_weight": 2,
    "light_weight": 1,
    "light_ranges": ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037)),
}
_X_NAMES = {"x", "twitter"}
_BARE_DOMAIN_RE = lazy(
    r"(?<![A-Za-z0-9@#$.\-/])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
    r"(?:com|net|org|jp|info|biz|io|co|me|tv|ly|gl|gd|to|be|ee|us|uk|app|dev)"
    r"(?![A-Za-z0-9\-])(?:/[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?"
)
_EMOJI_RE = (
    _regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3") if _regex else None
)


def _url_spans_for_x(text: str) -> list[tuple[int, int]]:
    spans = [(s, e) for s, e, _ in url_spans(text)]
    for m in _BARE_DOMAIN_RE.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?'\")]":
            end -= 1
        if not any(s < end and m.start() < e for s, e in spans):
            spans.append((m.start(), end))
    return sorted(spans)


def _graphemes(text: str) -> list[str]:
    if _regex is not None:
        return _regex.findall(r"\X", text)
    return list(text)  # pragma: no cover


def _is_emoji(cluster: str) -> bool:
    if _EMOJI_RE is not None:
        if len(cluster) == 1 and ord(cluster) < 0x2000:
            return False  # ©, ® without a variation selector: text, weighed by range
        return _EMOJI_RE.search(cluster) is not None
    return any(0x1F000 <= ord(c) <= 0x1FAFF for c in cluster)  # pragma: no cover


#: the weight of each one-character cluster seen, per weighting (a post repeats its characters)
_CHAR_WEIGHTS: dict[tuple[Any, ...], dict[str, int]] = {}
_CHAR_WEIGHTS_MAX = 1 << 16


def _char_weights(key: tuple[Any, ...]) -> dict[str, int]:
    memo = _CHAR_WEIGHTS.get(key)
    if memo is None:
        if len(_CHAR_WEIGHTS) >= 8:
            _CHAR_WEIGHTS.clear()
        memo = _CHAR_WEIGHTS[key] = {}
    return memo


def _x_weights(text: str, params: Mapping[str, Any]) -> list[tuple[int, int]]:
    """(offset, weight) of each counted unit of ``text`` (already NFC)."""
    url_len = int(params.get("url_length", 23))
    heavy = int(params.get("default_weight", 2))
    light = int(params.get("light_weight", 1))
    emoji_w = int(params.get("emoji_weight", 2))
    ranges = params.get("light_ranges", X_DEFAULTS["light_ranges"])
    memo = _char_weights((heavy, light, emoji_w, tuple((r[0], r[1]) for r in ranges)))
    units: list[tuple[int, int]] = []
    spans = _url_spans_for_x(text)
    pos = 0
    for s, e in spans + [(len(text), len(text))]:
        for cluster in _graphemes(text[pos:s]):
            if len(cluster) == 1:  # most clusters: the weight of the character, worked out once
                w = memo.get(cluster)
                if w is None:
                    cp = ord(cluster)
                    w = emoji_w if _is_emoji(cluster) else light if any(lo <= cp <= hi for lo, hi in ranges) else heavy
                    if len(memo) < _CHAR_WEIGHTS_MAX:
                        memo[cluster] = w
                units.append((pos, w))
                pos += 1
                continue
            if _is_emoji(cluster):
                units.append((pos, emoji_w))
            else:
                for k, ch in enumerate(cluster):
                    cp = ord(ch)
                    w = light if any(lo <= cp <= hi for lo, hi in ranges) else heavy
                    units.append((pos + k, w))
            pos += len(cluster)
        if s < e:
            units.append((s, url_len))
        pos = max(pos, e)
    return units


def _plain_units(text: str, unit: str) -> list[tuple[int, int]]:
    if unit == "graphemes":
        out, pos = [], 0
        for c in _graphemes(text):
            out.append((pos, 1))
            pos += len(c)
        return out
    if unit == "utf16":
        return [(i, 2 if ord(ch) > 0xFFFF else 1) for i, ch in enumerate(text)]
    return [(i, 1) for i in range(len(text))]


def _x_total(text: str, params: Mapping[str, Any]) -> int:
    """``sum`` of the weights of :func:`_x_weights` without making a unit for each character: the
    weight of every one-character cluster already seen is looked up at once (a text with a character
    not weighed yet, or a cluster of several, is weighed the long way, which remembers it)."""
    memo = _char_weights((int(params.get("default_weight", 2)), int(params.get("light_weight", 1)),
                          int(params.get("emoji_weight", 2)),
                          tuple((r[0], r[1]) for r in params.get("light_ranges", X_DEFAULTS["light_ranges"]))))
    url_len = int(params.get("url_length", 23))
    total = pos = 0
    for s, e in _url_spans_for_x(text) + [(len(text), len(text))]:
        piece = text[pos:s]
        weights = list(map(memo.get, _graphemes(piece)))
        if None in weights:
            return sum(w for _, w in _x_weights(text, params))
        total += sum(weights) + (url_len if s < e else 0)  # type: ignore[arg-type]
        pos = max(pos + len(piece), e)
    return total


def _params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    p: dict[str, Any] = dict(X_DEFAULTS)
    if isinstance(params, Mapping):
        p.update(params)
    return p


def _units(text: str, platform: str, params: Mapping[str, Any] | None) -> list[tuple[int, int]]:
    if not isinstance(text, str):
        return []
    text = unicodedata.normalize("NFC", text)
    p = _params(params)
    if str(platform or "").lower() in _X_NAMES:
        return _x_weights(text, p)
    return _plain_units(text, str(p.get("unit", "codepoints")))


def _total(nfc: str, platform: str, params: Mapping[str, Any] | None) -> int:
    """``sum`` of the weights of :func:`_units` of ``nfc`` (already NFC), without the units."""
    p = _params(params)
    if platform in _X_NAMES:
        return _x_total(nfc, p)
    unit = str(p.get("unit", "codepoints"))
    if unit == "graphemes":
        return len(_graphemes(nfc))
    if unit == "utf16":
        return len(nfc.encode("utf-16-le", "surrogatepass")) // 2
    return len(nfc)


def weighted_length(text: str, platform: str, params: Mapping[str, Any] | None = None) -> int:
    """Length of ``text`` as ``platform`` counts it (X: weighted, others: characters).

    ``params`` may override ``url_length``, ``default_weight``, ``emoji_weight``,
    ``light_weight``, ``light_ranges`` (X) and ``unit`` (other platforms).
    Returns 0 for a non-string.
    """
    try:
        return sum(w for _, w in _units(text, platform, params))
    except Exception:  # noqa: BLE001 - detectors never raise
        return 0


def check_length(
    text: str,
    platform: str,
    limits: Mapping[str, int] | None,
    params: Mapping[str, Any] | None = None,
) -> list[TextMatch]:
    """One ``'length'`` match when ``text`` is longer than ``limits[platform]``.

    The match starts where the text passes the limit (so an editor can show what
    does not fit) and ends at the end of the text. ``data={'length', 'limit',
    'platform'}``. No limit for the platform: no match. Offsets are into the NFC
    form of ``text`` (equal to ``text`` for normal input).
    """
    try:
        if not isinstance(text, str) or not isinstance(limits, Mapping):
            return []
        key = str(platform or "").lower()
        limit = limits.get(key)
        if limit is None and key in _X_NAMES:
            limit = limits.get("x", limits.get("twitter"))
        if limit is None:
            return []
        limit = int(limit)
        nfc = unicodedata.normalize("NFC", text)
        total = _total(nfc, key, params)  # most posts fit: no unit per character
        if total <= limit:
            return []
        acc, start = 0, len(nfc)
        for off, w in _units(nfc, key, params):
            acc += w
            if acc > limit:
                start = off
                break
        return [TextMatch("length", start, len(nfc), f"{total}/{limit}",
                          {"length": total, "limit": limit, "platform": key})]
    except Exception:  # noqa: BLE001
        return []


# --- hashtags ------------------------------------------------------------------

_HASHTAG_RE = lazy(r"(?<![\w&#＃/])[#＃](?P<tag>[\w・ー々〆ヶ\u200c\u200d]+)")


def hashtags(text: str) -> list[TextMatch]:
    """Hashtags in ``text``: ``#宇部市``, ``＃ときわ公園``, ``#Ube_City``.

    A hashtag starts with ``#``/``＃`` not glued to a preceding letter (Japanese
    included: ``満開#宇部市`` is not linked on X), digit or ``&`` (``C#``, ``&#123;``), is made of letters, digits, ``_``, ``ー``, ``・`` and
    ``々``, and needs at least one character that is not a digit: ``#1`` and
    ``#2025`` are not hashtags (as on X). ``#`` inside URLs is a fragment, not a
    hashtag. Kind ``'hashtag'``, ``data={'tag': …}`` (without ``#``).
    """
    if not isinstance(text, str) or not text:
        return []
    return list(_hashtags(text))


@functools.lru_cache(maxsize=TEXT_MEMO)
def _hashtags(text: str) -> tuple[TextMatch, ...]:
    """:func:`hashtags`, remembered for the last texts (:data:`TEXT_MEMO`: the hashtag and
    sentence-length rules ask for the same post's in turn; the matches are shared: read-only)."""
    out: list[TextMatch] = []
    try:
        urls = url_spans(text)
        for m in _HASHTAG_RE.finditer(text):
            tag = m.group("tag").rstrip("・")
            if not tag or tag.replace("_", "").isdigit() or all(c.isdigit() for c in tag):
                continue
            if any(s <= m.start() < e for s, e, _ in urls):
                continue
            end = m.start("tag") + len(tag)
            out.append(TextMatch("hashtag", m.start(), end, text[m.start():end], {"tag": tag}))
    except Exception:  # noqa: BLE001
        return tuple(out)
    return tuple(out)


def hashtag_excess(text: str, max_count: int) -> list[TextMatch]:
    """The hashtags after the first ``max_count`` (kind ``'hashtag_excess'``).

    ``data={'count': total hashtags, 'limit': max_count, 'tag': …}``. Repeated tags
    count each time they are written.
    """
    try:
        limit = int(max_count)
    except (TypeError, ValueError):
        return []
    tags = hashtags(text)
    if limit < 0 or len(tags) <= limit:
        return []
    return [TextMatch("hashtag_excess", t.start, t.end, t.masked,
                      {"count": len(tags), "limit": limit, "tag": t.data["tag"]}) for t in tags[limit:]]


# --- long sentences ------------------------------------------------------------

_SENTENCE_END_RE = lazy(r"[。．！？!?]+[」』）)\]】”’]*|\n")
_SPACE_RE = lazy(r"\s")
_SKIPPED_RUN_RE = lazy(rb"\x01+")


def long_sentences(text: str, max_chars: int) -> list[TextMatch]:
    """Sentences longer than ``max_chars`` characters (kind ``'long_sentence'``).

    Sentences end at 。！？!? (with closing brackets after them) and at line
    breaks; enders inside URLs do not split. URLs, hashtags and white space are
    not counted (a long link does not make a sentence hard to read). The match
    covers the sentence; ``masked`` is ``'<length>/<limit>'`` (the sentence itself
    may contain personal data); ``data={'length', 'limit'}``.
    """
    try:
        limit = int(max_chars)
    except (TypeError, ValueError):
        return []
    if not isinstance(text, str) or not text or limit <= 0:
        return []
    out: list[TextMatch] = []
    try:
        skipped = bytearray(len(text))  # 1 where a URL or a hashtag is
        for s0, e0 in [(s, e) for s, e, _ in url_spans(text)] + [(t.start, t.end) for t in hashtags(text)]:
            skipped[s0:e0] = b"\x01" * (e0 - s0)

        def inside(i: int) -> bool:
            return bool(skipped[i])

        bounds: list[tuple[int, int]] = []
        start = 0
        for m in _SENTENCE_END_RE.finditer(text):
            if inside(m.start()):
                continue
            bounds.append((start, m.end()))
            start = m.end()
        bounds.append((start, len(text)))
        # what counts: the text with URLs and hashtags blanked out, less its white space
        parts, pos = [], 0
        for run in _SKIPPED_RUN_RE.finditer(skipped):
            parts += [text[pos:run.start()], " " * (run.end() - run.start())]
            pos = run.end()
        visible = "".join(parts) + text[pos:]
        for s, e in bounds:
            counted = (e - s) - len(_SPACE_RE.findall(visible, s, e))
            if counted > limit:
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                out.append(TextMatch("long_sentence", s, e, f"{counted}/{limit}",
                                     {"length": counted, "limit": limit}))
    except Exception:  # noqa: BLE001
        return out
    return out
