"""Lexicons: word lists of the text rules, matched on whole words.

A lexicon (docs/lexicon-format.md) is loaded from an already parsed YAML
mapping with :meth:`Lexicon.from_dict` and searched with :meth:`Lexicon.find`
on **normalized** text (:func:`snspolicy.text.normalize.normalize`); match
offsets are offsets into the text passed in.

How ``match: token`` entries match (each term is normalized and tokenized once):

* **same words**: the term's tokens equal a run of the text's tokens. A text
  token equals a term token when the surfaces are equal, or — for words of the
  same part of speech — when

  - the term token is uninflected or in its dictionary form and the lemmas
    (dictionary forms in their own spelling) are equal: ``殺す`` matches
    ``殺した`` and ``殺せ``, ``イク`` matches ``イッた`` but not ``行く``;
  - the term token is written in the analyzer's canonical spelling (its
    normalized form) and the text token has the same normalized form:
    ``気違い`` matches ``キチガイ`` and ``きちがい``, while ``キチガイ`` matches only
    itself, and ``イク`` (normalized ``行く``) never matches ``行く``. So list every
    spelling, or the canonical one;
  - the term token is an inflected form (``死ね``), the text token has the same
    normalized form, starts with the term's spelling and is not in the
    plain/attributive form (``死ねよ`` yes, ``死ねる`` no);

* **same characters on word boundaries**: the normalized term occurs in the
  text starting where a text token starts and ending where one ends (the
  analyzer sometimes splits a word differently in context: ``死ね！`` is read as
  ``死/ね/！``). A term inside a longer word never matches: ``バカ`` not in
  ``バカンス``, ``イク`` not in ``バイク``, ``京都`` not in ``東京都``.

A noun term never matches a verb or adjective token spelled the same way that the
next token inflects: ``めくら`` (noun) does not match ``ページをめくらない`` (the verb
めくる), but still matches ``めくらだ`` even when the analyzer reads a verb there.

A term whose last word is an inflected form is not matched when the text goes
on inflecting it: ``死ね`` does not match ``死ねない`` or ``死ねば`` (next token an
auxiliary verb or a conjunctive particle).

``match: text`` entries match the normalized term anywhere; ``match: regex``
entries run their pattern through :mod:`snspolicy.text.regexsafe`.

``context.allow`` words are looked for as normalized substrings of the whole
text (``scope: text``) or of the sentence of the match (``scope: sentence``); a
hit sets the match's severity to ``context.severity`` (``None``: the match is
still returned, with ``severity=None`` and ``context_hit`` set, and must not be
reported as a finding).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snspolicy.text.normalize import normalize
from snspolicy.text.regexsafe import RegexTimeout, SafePattern, check_pattern, compile_safe

__all__ = ["LexEntry", "LexMatch", "Lexicon", "LexiconError", "validate_lexicon_dict"]

SEVERITIES = ("error", "warning", "info")
MATCH_KINDS = ("token", "text", "regex")
SCOPES = ("text", "sentence")
_ENTRY_KEYS = {"id", "terms", "match", "pattern", "category", "clause", "severity",
               "suggestion", "context", "examples"}
_ID_RE = re.compile(r"[a-z0-9-]+")
_CONTINUATION = ("助動詞",)  # pos[0] of a token that continues an inflected form
_PLAIN_FORMS = ("終止形", "連体形")


class LexiconError(ValueError):
    """A lexicon mapping has structural problems; ``problems`` lists them."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems) if problems else "invalid lexicon")
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class LexMatch:
    """One occurrence of a lexicon entry in a text.

    ``text[start:end] == surface``. ``severity`` is None when a context word
    removed the finding (``context_hit`` then names the word). ``term`` is the
    term (or pattern) of the entry that matched.
    """

    entry_id: str
    lexicon: str
    start: int
    end: int
    surface: str
    clause: str | None
    severity: str | None
    category: str | None
    suggestion: dict | None
    context_hit: str | None
    term: str = ""


@dataclass(frozen=True)
class LexEntry:
    """A validated lexicon entry (terms already NFKC-normalized)."""

    id: str
    terms: tuple[str, ...]
    match: str = "token"
    pattern: str | None = None
    category: str | None = None
    clause: str | None = None
    severity: str = "error"
    suggestion: dict | None = None
    allow: tuple[str, ...] = ()
    scope: str = "text"
    context_severity: str | None = None
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _TermTok:
    surface: str
    lemma: str
    normalized: str
    pos0: str
    conjugating: bool
    inflected: bool  # conjugating and not in its dictionary form
    canonical: bool  # written in the analyzer's normalized spelling


@dataclass(frozen=True, slots=True)
class _Term:
    entry: LexEntry
    text: str
    toks: tuple[_TermTok, ...]

    @property
    def ends_inflected(self) -> bool:
        return bool(self.toks) and self.toks[-1].inflected


@dataclass
class _Compiled:
    by_form: dict[str, list[_Term]] = field(default_factory=dict)
    by_text: dict[str, list[_Term]] = field(default_factory=dict)
    max_len: int = 0
    first_chars: set[str] = field(default_factory=set)
    plain: list[tuple[str, LexEntry]] = field(default_factory=list)
    regexes: list[tuple[SafePattern, LexEntry]] = field(default_factory=list)


# --------------------------------------------------------------------------- validation
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
    if not isinstance(d, Mapping):
        return [f"a lexicon must be a mapping, not {type(d).__name__}"]
    out: list[str] = []
    name = d.get("lexicon")
    if not isinstance(name, str) or not name.strip():
        out.append("lexicon: a name (string) is required")
    label = name if isinstance(name, str) and name.strip() else "lexicon"
    entries = d.get("entries")
    if not isinstance(entries, list):
        out.append(f"{label}: entries must be a list")
        return out
    seen_ids: dict[str, int] = {}
    seen_terms: dict[str, str] = {}
    for i, e in enumerate(entries):
        eid = e.get("id") if isinstance(e, Mapping) else None
        where = f"{label}: entry {eid}" if isinstance(eid, str) else f"{label}: entries[{i}]"
        try:
            out.extend(_entry_problems(e, where))
        except Exception as exc:  # noqa: BLE001 - defensive: odd YAML values
            out.append(f"{where}: cannot be read ({type(exc).__name__})")
            continue
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
    return out


def _entry_from(e: Mapping, default_severity: str) -> LexEntry:
    kind = e.get("match") or "token"
    terms = tuple(dict.fromkeys(normalize(t).text.strip() for t in (_str_list(e.get("terms")) or [])))
    ctx_raw, ex_raw = e.get("context"), e.get("examples")
    ctx: Mapping = ctx_raw if isinstance(ctx_raw, Mapping) else {}
    ex: Mapping = ex_raw if isinstance(ex_raw, Mapping) else {}
    sug = e.get("suggestion")
    if isinstance(sug, str):
        sug = {"ja": sug}
    return LexEntry(
        id=e["id"], terms=tuple(t for t in terms if t), match=kind,
        pattern=e.get("pattern") if kind == "regex" else None,
        category=e.get("category"), clause=_clause(e.get("clause")),
        severity=e.get("severity") or default_severity,
        suggestion=dict(sug) if isinstance(sug, Mapping) else None,
        allow=tuple(normalize(a).text for a in (_str_list(ctx.get("allow")) or [])),
        scope=ctx.get("scope") or "text", context_severity=ctx.get("severity"),
        examples_match=tuple(_str_list(ex.get("match")) or []),
        examples_no_match=tuple(_str_list(ex.get("no_match")) or []),
    )


# --------------------------------------------------------------------------- matching
def _term_tok(t: Any) -> _TermTok:
    conj = len(t.pos) > 4 and t.pos[4] not in ("*", "")
    return _TermTok(t.surface, t.lemma, t.normalized, t.pos[0] if t.pos else "",
                    conj, conj and t.surface != t.lemma,
                    t.surface == t.normalized or t.lemma == t.normalized)


_VERBAL = ("動詞", "形容詞")
_NOT_VERB_AUX = ("だ", "です")  # after these the analyzer misread a noun as a verb stem (めくら|だ)


def _inflecting(toks: list, i: int) -> bool:
    """Token ``i`` is a verb or adjective that the next token really inflects
    (``めくら|ない``, ``めくら|ず``), not a noun the analyzer misread (``めくら|だ``)."""
    x = toks[i]
    if not x.pos or x.pos[0] not in _VERBAL or i + 1 >= len(toks) or toks[i + 1].start != x.end:
        return False
    nxt = toks[i + 1]
    if nxt.pos[:1] == ("助動詞",):
        return nxt.lemma not in _NOT_VERB_AUX
    return nxt.pos[:2] == ("助詞", "接続助詞")


def _tok_eq(t: _TermTok, x: Any) -> bool:
    """Does text token ``x`` count as term token ``t``? (see the module docstring)"""
    if x.surface == t.surface:
        return True
    if not x.pos or x.pos[0] != t.pos0:
        return False
    if t.inflected:
        cform = x.pos[5].split("-", 1)[0] if len(x.pos) > 5 else ""
        return x.normalized == t.normalized and x.surface.startswith(t.surface) and cform not in _PLAIN_FORMS
    if x.lemma == t.lemma:
        return True
    return t.canonical and x.normalized == t.normalized


def _space_gap(gap: str) -> bool:
    """Two words separated only by spaces (not a line break) still form a phrase."""
    return gap.strip() == "" and "\n" not in gap


class Lexicon:
    """A compiled lexicon. Build with :meth:`from_dict`; search with :meth:`find`."""

    def __init__(self, name: str, entries: list[LexEntry], title: Any = None, source: str | None = None,
                 problems: list[str] | None = None):
        self.name = name
        self.title = title
        self.source = source
        self.entries: tuple[LexEntry, ...] = tuple(entries)
        self.problems: list[str] = list(problems or [])
        self.runtime_problems: list[str] = []  # e.g. a regex that timed out on some text
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, {len(self.entries)} entries)"

    @classmethod
    def from_dict(cls, d: Any, *, strict: bool = True, default_severity: str = "error") -> Lexicon:
        """Build a lexicon from a parsed YAML mapping.

        With ``strict=True`` (default) any problem of :func:`validate_lexicon_dict`
        raises :class:`LexiconError`. With ``strict=False`` invalid entries are
        left out and the problems are kept in :attr:`problems`.
        """
        problems = validate_lexicon_dict(d)
        if problems and strict:
            raise LexiconError(problems)
        if not isinstance(d, Mapping):
            return cls("", [], problems=problems)
        raw_name, raw_entries = d.get("lexicon"), d.get("entries")
        name = raw_name if isinstance(raw_name, str) else ""
        entries: list[LexEntry] = []
        seen: set[str] = set()
        for e in raw_entries if isinstance(raw_entries, list) else []:
            if not isinstance(e, Mapping) or _entry_problems(e, "") or e["id"] in seen:
                continue
            seen.add(e["id"])
            entries.append(_entry_from(e, default_severity))
        src = d.get("source")
        return cls(name, entries, d.get("title"), src if isinstance(src, str) else None, problems)

    # ------------------------------------------------------------------ compile
    def _compile(self) -> _Compiled:
        if self._compiled is not None:
            return self._compiled
        with self._lock:
            if self._compiled is not None:
                return self._compiled
            from snspolicy.text.tokens import tokenize

            c = _Compiled()
            for e in self.entries:
                if e.match == "regex":
                    try:
                        c.regexes.append((compile_safe(e.pattern or ""), e))
                    except ValueError as exc:
                        self.problems.append(f"{self.name}: entry {e.id}: {exc}")
                    continue
                for term in e.terms:
                    if e.match == "text":
                        c.plain.append((term, e))
                        continue
                    toks = tuple(_term_tok(t) for t in tokenize(term))
                    if not toks:
                        continue
                    tm = _Term(e, term, toks)
                    first = toks[0]
                    for key in {first.surface, first.lemma, first.normalized}:
                        c.by_form.setdefault(key, []).append(tm)
                    c.by_text.setdefault(term, []).append(tm)
                    c.first_chars.add(term[0])
                    c.max_len = max(c.max_len, len(term))
            self._compiled = c
            return c

    # ------------------------------------------------------------------ find
    def find(self, text: str, tokens: list | None = None) -> list[LexMatch]:
        """All matches of the entries in ``text`` (normalized text), sorted by position.

        ``tokens`` are :func:`snspolicy.text.tokens.tokenize` of ``text`` (pass
        them when several lexicons search the same text). Never raises on a
        ``str``; a regex that times out is skipped and noted in
        :attr:`runtime_problems`.
        """
        if not isinstance(text, str) or not text:
            return []
        c = self._compile()
        raw: list[tuple[int, int, LexEntry, str]] = []  # start, end, entry, term
        if c.by_form:
            if tokens is None:
                from snspolicy.text.tokens import tokenize

                tokens = tokenize(text)
            raw.extend(self._token_matches(text, tokens, c))
        for term, e in c.plain:
            i = text.find(term)
            while i >= 0:
                raw.append((i, i + len(term), e, term))
                i = text.find(term, i + len(term))
        for pat, e in c.regexes:
            try:
                for m in pat.finditer(text):
                    if m.end() > m.start():
                        raw.append((m.start(), m.end(), e, pat.pattern))
            except RegexTimeout as exc:
                msg = f"{self.name}: entry {e.id}: {exc}"
                if msg not in self.runtime_problems:
                    self.runtime_problems.append(msg)
        return self._finish(text, raw)

    def _token_matches(self, text: str, tokens: list, c: _Compiled) -> list[tuple[int, int, LexEntry, str]]:
        toks = sorted((t for t in tokens if 0 <= t.start < t.end <= len(text)), key=lambda t: t.start)
        starts = [t.start for t in toks]
        out: dict[tuple[int, int, str], tuple[int, int, LexEntry, str]] = {}

        def continues(end: int) -> bool:
            k = bisect.bisect_left(starts, end)
            if k >= len(toks) or toks[k].start != end:
                return False
            nxt = toks[k]
            return nxt.pos[:1] == _CONTINUATION or nxt.pos[:2] == ("助詞", "接続助詞")

        def add(s: int, e: int, term: _Term) -> None:
            if term.ends_inflected and continues(e):
                return
            out.setdefault((s, e, term.entry.id), (s, e, term.entry, term.text))

        n = len(toks)
        for i, x in enumerate(toks):
            # same words
            cands: dict[int, _Term] = {}
            for key in (x.surface, x.lemma, x.normalized):
                for tm in c.by_form.get(key, ()):
                    cands[id(tm)] = tm
            for tm in cands.values():
                k = len(tm.toks)
                if i + k > n:
                    continue
                run = toks[i:i + k]
                if any(run[j + 1].start != run[j].end and not _space_gap(text[run[j].end:run[j + 1].start])
                       for j in range(k - 1)):
                    continue
                if any(tm.toks[j].pos0 == "名詞" and _inflecting(toks, i + j) for j in range(k)):
                    continue  # the noun めくら is not the verb in めくらない
                if all(_tok_eq(tm.toks[j], run[j]) for j in range(k)):
                    add(run[0].start, run[-1].end, tm)
            # same characters on word boundaries
            s = x.start
            if text[s] not in c.first_chars:
                continue
            for j in range(i, n):
                e = toks[j].end
                if e - s > c.max_len:
                    break
                for tm in c.by_text.get(text[s:e], ()):
                    if j == i and len(tm.toks) == 1 and tm.toks[0].pos0 == "名詞" and _inflecting(toks, i):
                        continue  # one verb token spelled like a noun term (めくらない)
                    add(s, e, tm)
        return list(out.values())

    def _finish(self, text: str, raw: list[tuple[int, int, LexEntry, str]]) -> list[LexMatch]:
        # one match per entry and place: drop a match inside a longer one of the same entry
        raw.sort(key=lambda r: (r[0], -(r[1] - r[0]), r[2].id))
        kept: list[tuple[int, int, LexEntry, str]] = []
        last_end: dict[str, int] = {}
        for s, e, entry, term in raw:
            if last_end.get(entry.id, -1) > s:
                continue
            last_end[entry.id] = e
            kept.append((s, e, entry, term))
        sents: list[tuple[int, int]] | None = None
        out: list[LexMatch] = []
        for s, e, entry, term in kept:
            sev: str | None = entry.severity
            hit = None
            if entry.allow:
                scope_text = text
                if entry.scope == "sentence":
                    if sents is None:
                        from snspolicy.text.tokens import sentences

                        sents = sentences(text)
                    scope_text = next((text[a:b] for a, b in sents if a <= s < b), text[s:e])
                hit = next((w for w in entry.allow if w and w in scope_text), None)
                if hit is not None:
                    sev = entry.context_severity
            out.append(LexMatch(entry.id, self.name, s, e, text[s:e], entry.clause, sev, entry.category,
                                entry.suggestion, hit, term))
        out.sort(key=lambda m: (m.start, m.end, m.entry_id))
        return out

    # ------------------------------------------------------------------ examples
    def check_examples(self) -> list[str]:
        """Failures of the entries' own examples (empty list = all pass).

        A ``match`` example must give a finding of its entry (a match whose
        severity a context word removed does not count); a ``no_match`` example
        must not.
        """
        out: list[str] = []
        for e in self.entries:
            for ex in e.examples_match:
                found = [m for m in self.find(normalize(ex).text) if m.entry_id == e.id and m.severity]
                if not found:
                    out.append(f"{self.name}: entry {e.id}: example {ex!r} should match but does not")
            for ex in e.examples_no_match:
                found = [m for m in self.find(normalize(ex).text) if m.entry_id == e.id and m.severity]
                if found:
                    out.append(f"{self.name}: entry {e.id}: example {ex!r} should not match "
                               f"but matches {found[0].surface!r}")
        return out
