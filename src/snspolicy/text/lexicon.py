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

An entry's ``exclude`` drops matches that are another word: ``pos`` (the matched word,
when it is one token, carries that part of speech: 土方 read as the surname ひじかた),
``followed_by`` / ``preceded_by`` (text right after / before the match). A katakana match
that is the reading of an adjacent Latin-script name (``DJ IKU(ディージェイ・イク)``) or part
of a proper noun (``セックスピストルズ``, ``マンコ・カパック``) is dropped too.

Speed: terms are indexed by the forms of their first word and by every prefix of their
text (one set/dict lookup per token instead of work per token and entry), and a regex
entry is skipped on a text that contains none of the characters or two-character strings
its matches can start with (:func:`_first_chars`, :func:`_prefixes`). The matches are the
same as a full scan (tests/text/test_lexicon_engine.py).

``context.allow`` words are looked for as normalized substrings of the whole
text (``scope: text``) or of the sentence of the match (``scope: sentence``); a
hit sets the match's severity to ``context.severity`` (``None``: the match is
still returned, with ``severity=None`` and ``context_hit`` set, and must not be
reported as a finding).
"""

from __future__ import annotations

import bisect
import operator
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snspolicy.text.lexicon_check import (  # re-exported: the file format's checks
    _clause,
    _str_list,
    validate_entries,
    validate_lexicon_dict,
)
from snspolicy.text.lexicon_names import KATAKANA_WORD as _KATAKANA_WORD
from snspolicy.text.lexicon_names import LATIN_WORD as _LATIN_WORD
from snspolicy.text.lexicon_names import katakana_name as _katakana_name
from snspolicy.text.lexicon_names import latin_name as _latin_name
from snspolicy.text.lexicon_names import proper_neighbour as _proper_neighbour
from snspolicy.text.normalize import normalize
from snspolicy.text.regex_prefix import Screen, screen_pattern
from snspolicy.text.regex_prefix import first_chars as _first_chars
from snspolicy.text.regex_prefix import prefixes as _prefixes
from snspolicy.text.regexsafe import LazyPattern, RegexTimeout, SafePattern, compile_safe

__all__ = ["LexEntry", "LexMatch", "Lexicon", "LexiconError", "validate_lexicon_dict"]

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
    severity_given: bool = True  # False: the entry has no severity of its own (the rule's applies)


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
    severity_given: bool = True
    exclude_pos: tuple[str, ...] = ()
    exclude_followed_by: tuple[str, ...] = ()
    exclude_preceded_by: tuple[str, ...] = ()


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
    prefixes: set[str] = field(default_factory=set)  # every prefix of every term text
    plain: list[tuple[str, LexEntry]] = field(default_factory=list)
    regexes: list[tuple[SafePattern | LazyPattern, LexEntry, frozenset[str] | None, frozenset[str] | None]] = \
        field(default_factory=list)
    screen: re.Pattern[str] | None = None  # the characters a regex's match can start with (regex_prefix.Screen)
    forms_or_prefixes: frozenset[str] = frozenset()  # by_form's keys and prefixes: one lookup for a surface



# --------------------------------------------------------------------------- validation
def _entry_from(e: Mapping, default_severity: str) -> LexEntry:
    kind = e.get("match") or "token"
    terms = tuple(dict.fromkeys(normalize(t).text.strip() for t in (_str_list(e.get("terms")) or [])))
    ctx_raw, ex_raw, exc_raw = e.get("context"), e.get("examples"), e.get("exclude")
    ctx: Mapping = ctx_raw if isinstance(ctx_raw, Mapping) else {}
    ex: Mapping = ex_raw if isinstance(ex_raw, Mapping) else {}
    exc: Mapping = exc_raw if isinstance(exc_raw, Mapping) else {}
    sug = e.get("suggestion")
    if isinstance(sug, str):
        sug = {"ja": sug}
    return LexEntry(
        id=e["id"], terms=tuple(t for t in terms if t), match=kind,
        pattern=e.get("pattern") if kind == "regex" else None,
        category=e.get("category"), clause=_clause(e.get("clause")),
        severity=e.get("severity") or default_severity, severity_given=bool(e.get("severity")),
        suggestion=dict(sug) if isinstance(sug, Mapping) else None,
        allow=tuple(normalize(a).text for a in (_str_list(ctx.get("allow")) or [])),
        scope=ctx.get("scope") or "text", context_severity=ctx.get("severity"),
        examples_match=tuple(_str_list(ex.get("match")) or []),
        examples_no_match=tuple(_str_list(ex.get("no_match")) or []),
        exclude_pos=tuple(_str_list(exc.get("pos")) or []),
        exclude_followed_by=tuple(normalize(w).text for w in (_str_list(exc.get("followed_by")) or []) if w),
        exclude_preceded_by=tuple(normalize(w).text for w in (_str_list(exc.get("preceded_by")) or []) if w),
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
    """Token ``i`` (text tokens are read by index, see :func:`~snspolicy.text.tokens.tokenize_rows`) is a verb
    or adjective the next one really inflects (``めくら|ない``), not a noun misread (``めくら|だ``)."""
    x = toks[i]
    if not x[6] or x[6][0] not in _VERBAL or i + 1 >= len(toks) or toks[i + 1][1] != x[2]:
        return False
    nxt = toks[i + 1]
    if nxt[6][:1] == ("助動詞",):
        return nxt[4] not in _NOT_VERB_AUX
    return nxt[6][:2] == ("助詞", "接続助詞")


def _tok_eq(t: _TermTok, x: Any) -> bool:
    """Does text token ``x`` count as term token ``t``? (see the module docstring)"""
    if (surface := x[0]) == t.surface:
        return True
    if not (pos := x[6]) or pos[0] != t.pos0:
        return False
    if t.inflected:
        cform = pos[5].split("-", 1)[0] if len(pos) > 5 else ""
        return x[3] == t.normalized and surface.startswith(t.surface) and cform not in _PLAIN_FORMS
    if x[4] == t.lemma:
        return True
    return t.canonical and x[3] == t.normalized


def _space_gap(gap: str) -> bool:
    """Two words separated only by spaces (not a line break) still form a phrase."""
    return gap.strip() == "" and "\n" not in gap


_START = operator.itemgetter(1)
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
        self._term_tokens: dict[str, list[list[Any]]] = {}
        self.validated = False  # every entry passed validate_entries (from_dict): patterns not checked again
        self._prefilters: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, {len(self.entries)} entries)"

    @classmethod
    def from_dict(cls, d: Any, *, strict: bool = True, default_severity: str = "error",
                  left_out: list[int] | None = None) -> Lexicon:
        """Build a lexicon from a parsed YAML mapping.

        With ``strict=True`` (default) any problem of :func:`validate_lexicon_dict`
        raises :class:`LexiconError`. With ``strict=False`` invalid entries are
        left out and the problems are kept in :attr:`problems`. ``left_out``
        (with ``strict=False``): the entries to leave out, as
        :func:`~snspolicy.text.lexicon_check.validate_entries` found them for this
        very ``d`` in an earlier run (the validation is then not done again).
        """
        if left_out is not None and not strict:
            problems: list[str] = []
            skip = set(left_out)
        else:
            problems, found = validate_entries(d)
            skip = set(found)
        if problems and strict:
            raise LexiconError(problems)
        if not isinstance(d, Mapping):
            return cls("", [], problems=problems)
        raw_name, raw_entries = d.get("lexicon"), d.get("entries")
        name = raw_name if isinstance(raw_name, str) else ""
        entries: list[LexEntry] = []
        for i, e in enumerate(raw_entries if isinstance(raw_entries, list) else []):
            if i in skip or not isinstance(e, Mapping):
                continue
            entries.append(_entry_from(e, default_severity))
        src = d.get("source")
        lex = cls(name, entries, d.get("title"), src if isinstance(src, str) else None, problems)
        lex.validated = True
        return lex

    # ------------------------------------------------------------------ compile
    def term_tokens(self) -> dict[str, list[list[Any]]]:
        """The analysis of every term matched by words (what :meth:`_compile` needs), as JSON
        values, so that a later run can give it back (:meth:`use_term_tokens`)."""
        from snspolicy.text.tokens import tokenize

        out: dict[str, list[list[Any]]] = {}
        for e in self.entries:
            if e.match in ("regex", "text"):
                continue
            for term in e.terms:
                if term not in out:
                    out[term] = [[t.surface, t.lemma, t.normalized, t.pos0, t.conjugating, t.inflected, t.canonical]
                                 for t in map(_term_tok, tokenize(term))]
        return out

    def use_term_tokens(self, table: Any) -> None:
        """Use this analysis of the terms (:meth:`term_tokens` of an earlier run with the same
        analyzer) instead of analysing them again; a term it lacks, or holds in another shape,
        is analysed."""
        if isinstance(table, dict):
            self._term_tokens = table

    def regex_prefilters(self) -> dict[str, list[list[str] | None]]:
        """What every regex entry's matches can start with (:func:`first_chars`, :func:`prefixes`
        of :mod:`snspolicy.text.regex_prefix`), as JSON values, so that a later run can give it
        back (:meth:`use_regex_prefilters`) instead of parsing every pattern again."""
        out: dict[str, list[list[str] | None]] = {}
        for e in self.entries:
            if e.match == "regex" and e.pattern and e.pattern not in out:
                out[e.pattern] = [None if x is None else sorted(x) for x in (_first_chars(e.pattern), _prefixes(e.pattern))]
        return out

    def use_regex_prefilters(self, table: Any) -> None:
        """Use these prefilters (:meth:`regex_prefilters` of an earlier run); a pattern the
        table lacks, or holds in another shape, is parsed."""
        if isinstance(table, dict):
            self._prefilters = table

    def _prefilter(self, pattern: str) -> tuple[frozenset[str] | None, frozenset[str] | None]:
        row = self._prefilters.get(pattern)
        if isinstance(row, list) and len(row) == 2 and all(
                x is None or (isinstance(x, list) and all(isinstance(ch, str) and ch for ch in x)) for x in row):
            return tuple(None if x is None else frozenset(x) for x in row)  # type: ignore[return-value]
        return _first_chars(pattern), _prefixes(pattern)

    def _analysed(self, term: str) -> tuple[_TermTok, ...]:
        rows = self._term_tokens.get(term)
        if isinstance(rows, list):
            try:
                return tuple(_TermTok(str(a), str(b), str(c), str(d), bool(e), bool(f), bool(g))
                             for a, b, c, d, e, f, g in rows)
            except (TypeError, ValueError):
                pass
        from snspolicy.text.tokens import tokenize

        return tuple(_term_tok(t) for t in tokenize(term))

    def _compile(self) -> _Compiled:
        if self._compiled is not None:
            return self._compiled
        with self._lock:
            if self._compiled is not None:
                return self._compiled
            c = _Compiled()
            for e in self.entries:
                if e.match == "regex":
                    pattern = e.pattern or ""
                    firsts, prefixes = self._prefilter(pattern)
                    if self.validated:
                        # checked when the entry was validated; compiled on the first text it could match
                        c.regexes.append((LazyPattern(pattern, compile_safe), e, firsts, prefixes))
                        continue
                    try:
                        c.regexes.append((compile_safe(pattern), e, firsts, prefixes))
                    except ValueError as exc:
                        self.problems.append(f"{self.name}: entry {e.id}: {exc}")
                    continue
                for term in e.terms:
                    if e.match == "text":
                        c.plain.append((term, e))
                        continue
                    toks = self._analysed(term)
                    if not toks:
                        continue
                    tm = _Term(e, term, toks)
                    first = toks[0]
                    for key in {first.surface, first.lemma, first.normalized}:
                        c.by_form.setdefault(key, []).append(tm)
                    c.by_text.setdefault(term, []).append(tm)
                    c.prefixes.update(term[:k] for k in range(1, len(term) + 1))
                    c.max_len = max(c.max_len, len(term))
            c.screen = screen_pattern((first, prefixes) for _, _, first, prefixes in c.regexes)
            c.forms_or_prefixes = frozenset(c.by_form).union(c.prefixes)
            self._compiled = c
            return c

    # ------------------------------------------------------------------ find
    def find(self, text: str, tokens: list | None = None, *,
             timeouts: list[tuple[str, RegexTimeout]] | None = None) -> list[LexMatch]:
        """All matches of the entries in ``text`` (normalized text), sorted by position.

        ``tokens`` are :func:`snspolicy.text.tokens.tokenize` of ``text`` (pass
        them when several lexicons search the same text). Never raises on a
        ``str``; a regex that times out is skipped, noted in :attr:`runtime_problems`
        and, with ``timeouts``, appended there as ``(entry id, RegexTimeout)``: the
        linter turns it into a fatal finding (exit status 2, at the entry), never a pass.
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
        screen = Screen(c.screen, text) if c.regexes else None
        for pat, e, first, prefixes in c.regexes:
            if screen is not None and screen.excludes(first, prefixes):
                continue  # none of the characters, or of the 2 characters, a match can start with
            try:
                for m in pat.finditer(text):
                    if m.end() > m.start():
                        raw.append((m.start(), m.end(), e, pat.pattern))
            except RegexTimeout as exc:
                msg = f"{self.name}: entry {e.id}: {exc}"
                if msg not in self.runtime_problems:
                    self.runtime_problems.append(msg)
                if timeouts is not None:
                    timeouts.append((e.id, exc))
        return self._finish(text, raw, tokens)

    def _token_matches(self, text: str, tokens: list, c: _Compiled) -> list[tuple[int, int, LexEntry, str]]:
        n_text = len(text)
        # tokens read by position (a Token is a tuple: 0 surface, 1 start, 2 end, 3 normalized, 4 lemma)
        toks = [t for t in tokens if 0 <= t[1] < t[2] <= n_text]
        starts = [t[1] for t in toks]
        if starts != sorted(starts):
            toks.sort(key=_START)
            starts = [t[1] for t in toks]
        out: dict[tuple[int, int, str], tuple[int, int, LexEntry, str]] = {}

        def continues(end: int) -> bool:
            k = bisect.bisect_left(starts, end)
            if k >= len(toks) or toks[k][1] != end:
                return False
            nxt = toks[k][6]
            return nxt[:1] == _CONTINUATION or nxt[:2] == ("助詞", "接続助詞")

        def add(s: int, e: int, term: _Term) -> None:
            if term.ends_inflected and continues(e):
                return
            out.setdefault((s, e, term.entry.id), (s, e, term.entry, term.text))

        # The index: only tokens whose surface, lemma or normalized form starts a term, or whose text
        # (its surface: the tokens are those of ``text``) begins a term's text, are looked at (set lookups
        # per token instead of work per token and entry); they are then handled in text order exactly as a
        # full scan would. (The text of the first token is the first span the character search below
        # tries: when no term begins with it, that search stops there.)
        forms, prefixes, either = c.by_form, c.prefixes, c.forms_or_prefixes
        n = len(toks)
        for i in [i for i, x in enumerate(toks) if x[0] in either or x[4] in forms or x[3] in forms]:
            x = toks[i]
            if x[0] in forms or x[4] in forms or x[3] in forms:
                # same words
                cands: dict[int, _Term] = {}
                for key in (x[0], x[4], x[3]):
                    for tm in forms.get(key, ()):
                        cands[id(tm)] = tm
                for tm in cands.values():
                    k = len(tm.toks)
                    if i + k > n:
                        continue
                    run = toks[i:i + k]
                    if any(run[j + 1][1] != run[j][2] and not _space_gap(text[run[j][2]:run[j + 1][1]])
                           for j in range(k - 1)):
                        continue
                    if any(tm.toks[j].pos0 == "名詞" and _inflecting(toks, i + j) for j in range(k)):
                        continue  # the noun めくら is not the verb in めくらない
                    if all(_tok_eq(tm.toks[j], run[j]) for j in range(k)):
                        add(run[0][1], run[-1][2], tm)
            if text[x[1]:x[2]] in prefixes:
                # same characters on word boundaries
                s = x[1]
                for j in range(i, n):
                    e = toks[j][2]
                    if e - s > c.max_len:
                        break
                    span = text[s:e]
                    if span not in c.prefixes:
                        break  # no term starts with this text: a longer span cannot be a term either
                    for tm in c.by_text.get(span, ()):
                        if j == i and len(tm.toks) == 1 and tm.toks[0].pos0 == "名詞" and _inflecting(toks, i):
                            continue  # one verb token spelled like a noun term (めくらない)
                        add(s, e, tm)
        return list(out.values())

    def _finish(self, text: str, raw: list[tuple[int, int, LexEntry, str]], tokens: list | None = None) -> list[LexMatch]:
        # one match per entry and place: drop a match inside a longer one of the same entry
        raw.sort(key=lambda r: (r[0], -(r[1] - r[0]), r[2].id))
        kept: list[tuple[int, int, LexEntry, str]] = []
        last_end: dict[str, int] = {}
        for s, e, entry, term in raw:
            if last_end.get(entry.id, -1) > s:
                continue
            last_end[entry.id] = e
            kept.append((s, e, entry, term))
        if kept:
            kept = self._not_excluded(text, kept, tokens)
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
                                entry.suggestion, hit, term, entry.severity_given))
        out.sort(key=lambda m: (m.start, m.end, m.entry_id))
        return out

    def _not_excluded(self, text: str, kept: list[tuple[int, int, LexEntry, str]],
                      tokens: list | None) -> list[tuple[int, int, LexEntry, str]]:
        """Drop matches that an entry's ``exclude`` rules out, and katakana words that are part of a
        name (see :func:`_katakana_name`)."""
        out = []
        for s, e, entry, term in kept:
            if entry.exclude_followed_by and any(text.startswith(w, e) for w in entry.exclude_followed_by):
                continue
            if entry.exclude_preceded_by and any(text.endswith(w, 0, s) for w in entry.exclude_preceded_by):
                continue
            if _LATIN_WORD.fullmatch(text, s, e) and _latin_name(text, s, e):
                continue  # Sex Pistols (セックス・ピストルズ): a band's name, not the word
            if entry.exclude_pos or _KATAKANA_WORD.fullmatch(text, s, e):
                if tokens is None:
                    from snspolicy.text.tokens import tokenize

                    tokens = tokenize(text)
                covering = [t for t in tokens if t[1] < e and s < t[2]]
                if entry.exclude_pos and len(covering) == 1 and any(p in entry.exclude_pos for p in covering[0][6]):
                    continue  # 土方 read as a surname (名詞,固有名詞,人名,姓), not the occupation; a longer
                    # match (土方仕事) is the term's own compound and is not excluded by one word's reading
                if _KATAKANA_WORD.fullmatch(text, s, e) and (
                        _katakana_name(text, s, e)
                        or _proper_neighbour(text, s, e, tokens, [(a, b) for a, b, *_ in kept if (a, b) != (s, e)])):
                    continue  # DJ IKU (ディージェイ・イク), セックスピストルズ: a name, not the word
            out.append((s, e, entry, term))
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
