"""The lexicon file format's checks (docs/lexicon-format.md): what `policy validate` and the
lexicon loader report about an entry or a whole lexicon, as plain sentences with the entry's place.

Kept apart from the matcher (:mod:`snspolicy.text.lexicon`), which re-exports
:func:`validate_lexicon_dict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from snspolicy.core.relazy import lazy
from snspolicy.text.normalize import normalize
from snspolicy.text.regexsafe import check_pattern

__all__ = ["MATCH_KINDS", "SCOPES", "SEVERITIES", "validate_lexicon_dict"]

SEVERITIES = ("error", "warning", "info")
MATCH_KINDS = ("token", "text", "regex")
SCOPES = ("text", "sentence")
_ENTRY_KEYS = {"id", "terms", "match", "pattern", "category", "clause", "severity",
               "suggestion", "context", "examples", "exclude", "note"}
_EXCLUDE_KEYS = ("pos", "followed_by", "preceded_by")
_ID_RE = lazy(r"[a-z0-9-]+")


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _clause(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        s = str(value).strip()
        return s or None
    return None


def _entry_problems(e: Any, where: str) -> list[str]:
    if not isinstance(e, Mapping):
        return [f"{where}: an entry must be a mapping, not {type(e).__name__}"]
    out: list[str] = []
    unknown = sorted(str(k) for k in e if k not in _ENTRY_KEYS)
    if unknown:
        out.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    eid = e.get("id")
    if not isinstance(eid, str) or not _ID_RE.fullmatch(eid):
        out.append(f"{where}: id must match [a-z0-9-]+ (got {eid!r})")
    kind = e.get("match", "token")
    if kind is None:
        kind = "token"
    if kind not in MATCH_KINDS:
        out.append(f"{where}: match must be one of {', '.join(MATCH_KINDS)} (got {kind!r})")
    terms = e.get("terms")
    pattern = e.get("pattern")
    if kind == "regex":
        for p in check_pattern(pattern):
            out.append(f"{where}: {p}")
        if terms is not None and _str_list(terms) is None:
            out.append(f"{where}: terms must be a list of strings")
    else:
        lst = _str_list(terms)
        if not lst:
            out.append(f"{where}: terms must be a non-empty list of strings")
        elif any(not normalize(t).text.strip() for t in lst):
            out.append(f"{where}: a term is empty after normalization")
        if pattern is not None:
            out.append(f"{where}: pattern is only used with match: regex")
    sev = e.get("severity", "error")
    if sev not in SEVERITIES:
        out.append(f"{where}: severity must be one of {', '.join(SEVERITIES)} (got {sev!r})")
    if "clause" in e and e["clause"] is not None and _clause(e["clause"]) is None:
        out.append(f"{where}: clause must be a string such as \"6(1)\"")
    if e.get("category") is not None and not isinstance(e.get("category"), str):
        out.append(f"{where}: category must be a string")
    sug = e.get("suggestion")
    if sug is not None and not isinstance(sug, str) and not (
            isinstance(sug, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in sug.items())):
        out.append(f"{where}: suggestion must be a mapping such as {{ja: ..., en: ...}}")
    ctx = e.get("context")
    if ctx is not None:
        if not isinstance(ctx, Mapping):
            out.append(f"{where}: context must be a mapping")
        else:
            bad = sorted(str(k) for k in ctx if k not in ("allow", "scope", "severity"))
            if bad:
                out.append(f"{where}: unknown context key(s) {', '.join(bad)}")
            allow = _str_list(ctx.get("allow"))
            if not allow or any(not normalize(a).text.strip() for a in allow):
                out.append(f"{where}: context.allow must be a non-empty list of non-empty strings")
            if ctx.get("scope", "text") not in SCOPES:
                out.append(f"{where}: context.scope must be text or sentence (got {ctx.get('scope')!r})")
            if ctx.get("severity") is not None and ctx.get("severity") not in SEVERITIES:
                out.append(f"{where}: context.severity must be error, warning, info or null")
    exc = e.get("exclude")
    if exc is not None:
        if not isinstance(exc, Mapping):
            out.append(f"{where}: exclude must be a mapping with pos, followed_by or preceded_by")
        else:
            bad = sorted(str(k) for k in exc if k not in _EXCLUDE_KEYS)
            if bad:
                out.append(f"{where}: unknown exclude key(s) {', '.join(bad)}")
            for k in _EXCLUDE_KEYS:
                if exc.get(k) is not None and not _str_list(exc.get(k)):
                    out.append(f"{where}: exclude.{k} must be a non-empty list of strings")
    if e.get("note") is not None and not isinstance(e.get("note"), str):
        out.append(f"{where}: note must be a string")
    ex = e.get("examples")
    if ex is not None:
        if not isinstance(ex, Mapping):
            out.append(f"{where}: examples must be a mapping with match and no_match")
        else:
            bad = sorted(str(k) for k in ex if k not in ("match", "no_match"))
            if bad:
                out.append(f"{where}: unknown examples key(s) {', '.join(bad)}")
            for k in ("match", "no_match"):
                if ex.get(k) is not None and _str_list(ex.get(k)) is None:
                    out.append(f"{where}: examples.{k} must be a list of strings")
    return out


def validate_lexicon_dict(d: Any) -> list[str]:
    """Structural problems of a parsed lexicon (empty list = valid). Never raises.

    Checks the fields of docs/lexicon-format.md, unique entry ids, regexes that
    do not compile or may backtrack catastrophically, and a term listed in two
    entries (which would report the same word twice).
    """
    return validate_entries(d)[0]


def validate_entries(d: Any) -> tuple[list[str], list[int]]:
    """:func:`validate_lexicon_dict`'s problems, and the indexes of the entries a lexicon leaves
    out (not a mapping, a problem of its own, an id used before): one pass over the entries."""
    if not isinstance(d, Mapping):
        return [f"a lexicon must be a mapping, not {type(d).__name__}"], []
    out: list[str] = []
    left_out: list[int] = []
    name = d.get("lexicon")
    if not isinstance(name, str) or not name.strip():
        out.append("lexicon: a name (string) is required")
    label = name if isinstance(name, str) and name.strip() else "lexicon"
    entries = d.get("entries")
    if not isinstance(entries, list):
        out.append(f"{label}: entries must be a list")
        return out, []
    seen_ids: dict[str, int] = {}
    kept_ids: set[Any] = set()
    seen_terms: dict[str, str] = {}
    for i, e in enumerate(entries):
        eid = e.get("id") if isinstance(e, Mapping) else None
        where = f"{label}: entry {eid}" if isinstance(eid, str) else f"{label}: entries[{i}]"
        try:
            own = _entry_problems(e, where)
        except Exception as exc:  # noqa: BLE001 - defensive: odd YAML values
            out.append(f"{where}: cannot be read ({type(exc).__name__})")
            left_out.append(i)
            continue
        out.extend(own)
        if own or not isinstance(e, Mapping) or eid in kept_ids:
            left_out.append(i)
        else:
            kept_ids.add(eid)
        if isinstance(eid, str):
            if eid in seen_ids:
                out.append(f"{label}: duplicate entry id {eid!r} (entries[{seen_ids[eid]}] and entries[{i}])")
            else:
                seen_ids[eid] = i
        if isinstance(e, Mapping) and e.get("match", "token") in ("token", "text", None):
            for t in _str_list(e.get("terms")) or []:
                key = normalize(t).text
                other = seen_terms.get(key)
                if other is not None and other != eid:
                    out.append(f"{label}: term {t!r} is in entries {other} and {eid}")
                elif isinstance(eid, str):
                    seen_terms[key] = eid
    return out, left_out
