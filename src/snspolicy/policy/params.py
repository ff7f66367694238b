"""Rule parameters as data: their schemas, their values checked, and their values in the docs.

Every parameter of a rule (``params:``) and of the policy (the shared ``params:``) has an entry
in the ``param_schema:`` beside it: a JSON Schema fragment (``type``, ``minimum``, ``enum`` …)
plus two annotations of snspolicy, ``description`` (``{ja, en}``, required: a short name for the
parameter, shown by ``explain``, the rule catalogue and ``policy diff``) and ``unit`` (one of
:data:`UNITS`, where the value has one). :func:`value_problems` checks a value against its
fragment; :mod:`snspolicy.policy.checks` uses it for the policy and for every override.

Rule documentation and messages name parameters instead of repeating their values, so that the
text cannot go stale when a value changes: ``{params.min_length}`` is replaced by the current
value (:func:`render`). A placeholder may name a key of a mapping parameter
(``{params.limits.x}``), several parameters that usually have the same value
(``{params.limits.threads,params.limits.line}``: one value when they are equal, each value when
they are not) and take a filter after ``|``:

* ``duration`` — a number of days written the way people say it: ``3 年`` / ``three years`` for
  1096 (a whole number of years, ± 1 day), else ``90 日`` / ``90 days``;
* ``words`` — in English, a number from zero to ten as a word (``two``); digits in Japanese;
* ``thousands`` — ``2,200``.

Lists are joined (``、`` / ``, ``), ``null`` is ``なし`` / ``none``, ``true`` is ``はい`` / ``yes``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from snspolicy.core import messages
from snspolicy.io import schemacheck
from snspolicy.io.schemacheck import SchemaProblem

__all__ = ["ANNOTATIONS", "FILTERS", "PLACEHOLDER", "UNITS", "bare_placeholders", "format_value", "lookup",
           "placeholder_problems", "render", "suggestion", "unit_label", "value_problems"]

#: ``{params.NAME}``, ``{params.NAME.KEY}``, ``{params.A,params.B}``, each with an optional ``|filter``
PLACEHOLDER = re.compile(r"\{params\.([A-Za-z_][\w.-]*(?:\s*,\s*params\.[A-Za-z_][\w.-]*)*)(?:\|([A-Za-z_]+))?\}")
#: a ``{name}`` that is not a parameter placeholder (in documentation: a forgotten ``params.``)
_BARE = re.compile(r"\{([A-Za-z_][\w.]*)(?:\|[A-Za-z_]+)?\}")
FILTERS = ("duration", "words", "thousands")
#: the keywords of a ``param_schema`` entry that are snspolicy's, not JSON Schema's
ANNOTATIONS = ("description", "unit")
#: the units a parameter may declare (their words are in the message catalogue, ``unit.*``)
UNITS = ("days", "hours", "characters", "bytes", "people", "items", "hashtags", "points", "bits")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_MISSING = object()


def unit_label(unit: str | None, lang: str) -> str:
    """The word of a unit in ``lang`` (``文字``, ``days``); empty for no unit."""
    labels = {
        "days": messages.message("unit.days", lang), "hours": messages.message("unit.hours", lang),
        "characters": messages.message("unit.characters", lang), "bytes": messages.message("unit.bytes", lang),
        "people": messages.message("unit.people", lang), "items": messages.message("unit.items", lang),
        "hashtags": messages.message("unit.hashtags", lang), "points": messages.message("unit.points", lang),
        "bits": messages.message("unit.bits", lang),
    }
    return labels.get(unit or "", "")


def lookup(values: Mapping[str, Any], ref: str) -> Any:
    """The value ``ref`` (``limits.x``) names in ``values``, or :data:`_MISSING`."""
    head, *rest = ref.split(".")
    if head not in values:
        return _MISSING
    value = values[head]
    for key in rest:
        if not isinstance(value, Mapping) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _refs(group: str) -> list[str]:
    return [r.strip()[len("params."):] if r.strip().startswith("params.") else r.strip() for r in group.split(",")]


def _number_words(n: int, lang: str) -> str:
    return _WORDS[n] if messages.lang_of(lang) == "en" and 0 <= n < len(_WORDS) else str(n)


def _duration(days: Any, lang: str) -> str:
    en = messages.lang_of(lang) == "en"
    if isinstance(days, bool) or not isinstance(days, (int, float)):
        return format_value(days, lang)
    years = round(days / 365.25)
    if years >= 1 and abs(days - years * 365.25) <= 1:
        return f"{_number_words(years, lang)} year{'s' if years != 1 else ''}" if en else f"{years} 年"
    n = int(days) if float(days).is_integer() else days
    return f"{n} day{'s' if n != 1 else ''}" if en else f"{n} 日"


def format_value(value: Any, lang: str, how: str | None = None) -> str:
    """A parameter's value as text in ``lang`` (``how``: a filter of :data:`FILTERS`)."""
    ja = messages.lang_of(lang) == "ja"
    if how == "duration":
        return _duration(value, lang)
    if value is None:
        return "なし" if ja else "none"
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if ja else ("yes" if value else "no")
    if isinstance(value, int):
        if how == "words":
            return _number_words(value, lang)
        return f"{value:,}" if how == "thousands" else str(value)
    if isinstance(value, float):
        return f"{value:,}" if how == "thousands" else str(value)
    sep = "、" if ja else ", "
    if isinstance(value, (list, tuple)):
        return sep.join(format_value(v, lang, how) for v in value)
    if isinstance(value, Mapping):
        return sep.join(f"{k}: {format_value(v, lang, how)}" for k, v in value.items())
    return str(value)


def render(text: str, values: Mapping[str, Any], lang: str) -> str:
    """``text`` with every ``{params.…}`` placeholder replaced by the value it names (a
    placeholder naming nothing stays as written: ``policy validate`` reports it)."""

    def one(m: re.Match[str]) -> str:
        refs, how = _refs(m.group(1)), m.group(2)
        if how is not None and how not in FILTERS:
            return m.group(0)
        found = [lookup(values, r) for r in refs]
        if any(v is _MISSING for v in found):
            return m.group(0)
        shown: list[str] = []
        for v in found:
            s = format_value(v, lang, how)
            if s not in shown:
                shown.append(s)
        return ("・" if messages.lang_of(lang) == "ja" else "/").join(shown)

    return PLACEHOLDER.sub(one, text)


def placeholder_problems(text: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(placeholder, problem)`` for each placeholder of ``text`` that names no parameter
    (``unknown``) or an unknown filter (``filter``)."""
    out: list[tuple[str, str]] = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(2) is not None and m.group(2) not in FILTERS:
            out.append((m.group(0), "filter"))
        elif any(lookup(values, r) is _MISSING for r in _refs(m.group(1))):
            out.append((m.group(0), "unknown"))
    return out


def bare_placeholders(text: str) -> list[str]:
    """``{name}`` placeholders that are not ``{params.…}`` (documentation has no other values)."""
    return [m.group(0) for m in _BARE.finditer(PLACEHOLDER.sub("", text))]


def value_problems(schema: Mapping[str, Any], value: Any) -> list[SchemaProblem]:
    """What is wrong with ``value`` for the parameter schema ``schema`` (empty: it fits)."""
    fragment = {k: v for k, v in schema.items() if k not in ANNOTATIONS}
    return schemacheck.check_value(fragment, value)


def suggestion(name: str, known: Iterable[str]) -> str:
    """The known name closest to ``name`` (difflib), or empty."""
    close = difflib.get_close_matches(str(name), sorted(str(k) for k in known), n=1, cutoff=0.6)
    return close[0] if close else ""
