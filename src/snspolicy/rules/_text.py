"""Shared, per-post text analysis for the text rules (clauses 3(6), 3(7) and 6).

Every text rule of a post works on the same :class:`Analysis`, computed once and
kept in ``doc.cache``:

* ``body`` — the post body with HTML comments (``<!-- … -->``, where inline waivers
  live) blanked out: each character becomes a space, line breaks stay, so offsets
  do not move;
* ``norm`` — :func:`snspolicy.text.normalize.normalize` of that text (NFKC and a few
  unifications) with its map back to body offsets;
* ``tokens`` — the morphological analysis of ``norm.text``. Everything that needs
  tokens (every lexicon of the policy and the name detector) is computed in one go
  by :meth:`Analysis.token_results` and the tokens are then dropped: keeping the
  tokens of every post until the end of a run (the engine runs rule by rule) would
  cost about 20 KB per post;
* ``code`` — spans of Markdown code (fenced blocks and inline code) in ``norm.text``:
  wording rules (the lexicons) ignore matches there, personal-data rules do not
  (a phone number in back-quotes is still published);
* ``posted`` — the text as it will be posted (comments removed, surrounding blank
  lines stripped) for the clarity rules, which count characters as the platforms do.

:meth:`Analysis.span` turns a ``[start, end)`` of the normalized text into a
:class:`~snspolicy.model.Span` of the file (line and column of the original
characters). Nothing heavy is imported here: the tokenizer and the detectors are
imported on first use, so a run without text rules never loads them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from snspolicy.core.model import Severity, Span
from snspolicy.core.relazy import lazy
from snspolicy.core.values import JST, parse_datetime

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.io.documents import Document
    from snspolicy.rules.api import Context
    from snspolicy.text.normalize import Normalized
    from snspolicy.text.tokens import Token

__all__ = [
    "Analysis", "TokenResults", "analysis", "combined_lexicon", "effective_severity", "occurrence_keys", "platform_of",
    "publish_day", "surname_kana_names",
]

_CACHE_KEY = "snspolicy.text.analysis"
_COMMENT = lazy(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE = lazy(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
_INLINE_CODE = lazy(r"(?<!`)(`+)(?!`)([^\n]+?)(?<!`)\1(?!`)")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character inside ``spans`` but line breaks replaced by a space."""
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@dataclass
class Analysis:
    """The analysed body of one post (see the module docstring)."""

    doc: Document
    body: str
    norm: Normalized
    code: list[tuple[int, int]] = field(default_factory=list)
    posted: str = ""
    posted_offsets: list[int] | int = 0  # body offset of each posted character, or of the first when contiguous
    _tokens: list[Token] | None = None
    _results: TokenResults | None = None

    @property
    def text(self) -> str:
        """The normalized text the detectors search."""
        return self.norm.text

    @property
    def tokens(self) -> list[Token]:
        """Tokens of :attr:`text`, computed once per post."""
        if self._tokens is None:
            from snspolicy.text.tokens import tokenize

            self._tokens = tokenize(self.norm.text) if self.norm.text.strip() else []
        return self._tokens

    def token_results(self, ctx: Context) -> TokenResults:
        """Lexicon matches (every lexicon of the policy) and honorific names, computed once.

        The tokens are released afterwards (see the module docstring); :attr:`tokens`
        recomputes them if another rule asks again.
        """
        if self._results is None:
            from snspolicy.text.pii import find_honorific_names
            from snspolicy.text.tokens import Token, tokenize_rows

            # plain rows (read by index) for the lexicons; Tokens, which have the attributes of
            # pii.TokenLike, only for a text with an honorific (a Token costs twice a row to make)
            toks: list[Any] = (list(self._tokens) if self._tokens is not None else
                               tokenize_rows(self.norm.text) if self.norm.text.strip() else [])
            lex: dict[str, list] = {}  # only lexicons with matches (memory: one entry per post and lexicon otherwise)
            combined, back = combined_lexicon(ctx)
            timeouts: dict[str, Exception] = {}  # lexicon name -> its first regex that timed out
            if combined is not None and combined.entries:
                slow: list[tuple[str, Any]] = []
                for m in combined.find(self.text, toks, timeouts=slow):
                    name, entry_id = back[m.entry_id]
                    lex.setdefault(name, []).append(dataclasses.replace(m, lexicon=name, entry_id=entry_id))
                for cid, exc in slow:
                    name, entry_id = back[cid]
                    timeouts.setdefault(name, _lexicon_timeout(exc, name, entry_id))
            allowed = ctx.config.allowed("names") if ctx.config else []
            names = find_honorific_names(self.text, list(map(partial(tuple.__new__, Token), toks)), allowed) \
                if _HONORIFICS.search(self.text) else []
            names = names + surname_kana_names(self.text, toks, [(m.start, m.end) for m in names], allowed)
            self._results = TokenResults(lex, sorted(names, key=lambda m: (m.start, m.end)), timeouts)
            self._tokens = None
        return self._results

    def body_offsets(self, start: int, end: int) -> tuple[int, int]:
        """A normalized ``[start, end)`` as offsets of the original body."""
        return self.norm.span_to_original(start, end)

    def span(self, start: int, end: int) -> Span:
        """File span of normalized characters ``[start, end)``."""
        s, e = self.body_offsets(start, end)
        return self.doc.body_span(s, e)

    def original(self, start: int, end: int) -> str:
        """The body text (as written) behind normalized ``[start, end)``."""
        s, e = self.body_offsets(start, end)
        return self.doc.body[s:e]

    def in_code(self, start: int, end: int) -> bool:
        """Does normalized ``[start, end)`` overlap Markdown code?"""
        return any(s < end and start < e for s, e in self.code)

    def posted_span(self, start: int, end: int) -> Span:
        """File span of ``[start, end)`` of :attr:`posted`."""
        n = len(self.posted)
        if n == 0:
            return self.doc.body_span(0, 0)
        start, last = min(max(start, 0), n - 1), min(max(end, 1), n) - 1
        offsets = self.posted_offsets
        if isinstance(offsets, int):  # no comment removed: posted is a slice of the body
            return self.doc.body_span(offsets + start, offsets + last + 1)
        s, e = offsets[start], offsets[last] + 1
        return self.doc.body_span(s, max(s, e))


@dataclass(frozen=True)
class TokenResults:
    """What the token-based detectors found in one post."""

    lexicons: dict[str, list]  # lexicon name -> LexMatch list (context-removed matches included); absent: none
    names: list  # TextMatch list of pii names (before the rule's not_names filter)
    timeouts: dict[str, Exception] = field(default_factory=dict)  # lexicon name -> RegexTimeout of one of its entries

    def of(self, name: str) -> list:
        """The matches of lexicon ``name``. Raises the lexicon's RegexTimeout when one of its regexes
        timed out on this post: the post was not fully checked, which the engine reports as a fatal
        finding at the entry (exit status 2), never as a pass."""
        exc = self.timeouts.get(name)
        if exc is not None:
            raise exc
        return self.lexicons.get(name, [])


def _lexicon_timeout(exc: Exception, lexicon: str, entry: str) -> Exception:
    """``exc`` (a RegexTimeout of the combined lexicon) naming the policy's lexicon and entry id."""
    from snspolicy.core.regexsafe import RegexTimeout

    return RegexTimeout(str(exc), pattern=getattr(exc, "pattern", None), timeout=getattr(exc, "timeout", None),
                        lexicon=lexicon, entry=entry)


_HONORIFICS = lazy("さん|さま|様|氏|くん|君|ちゃん|殿")
_KANA_HONORIFIC = lazy("さん|くん|ちゃん")
_HIRA_RUN = lazy("[\u3041-\u3096ー]{1,5}?(?=さん|くん|ちゃん)")
_PARTICLE_NEXT = frozenset("はがのにをともへやでよねかな")


def surname_kana_names(text: str, toks: list, taken: list[tuple[int, int]], allowed: list[str]) -> list:
    """``鈴木ゆうとくん``: a surname token followed by a hiragana given name that the
    analyzer split oddly (ゆう|と|くん, with くん read as a verb), which
    :func:`snspolicy.text.pii.find_honorific_names` misses. Needs the surname token
    (人名・姓) and the next token (人名) to be adjacent; the given name is 2–5 hiragana."""
    from snspolicy.core.mask import mask_name
    from snspolicy.text.matches import TextMatch
    from snspolicy.text.pii import _name_allowed

    out: list = []
    if _KANA_HONORIFIC.search(text) is None:
        return out  # every name found here ends with one of these honorifics
    for i, t in enumerate(toks[:-1]):  # Tokens or plain rows: read by index (1 start, 2 end, 6 pos)
        pos = tuple(t[6] or ())
        if "人名" not in pos or "姓" not in pos:
            continue
        nxt = toks[i + 1]
        if nxt[1] != t[2] or "人名" not in tuple(nxt[6] or ()):
            continue
        m = _HIRA_RUN.match(text, nxt[1])
        if m is None or not 2 <= len(m.group(0)) <= 5:
            continue
        hm = _KANA_HONORIFIC.match(text, m.end())
        if hm is None:
            continue
        after = text[hm.end():hm.end() + 1]
        if after and "\u3041" <= after <= "\u3096" and after not in _PARTICLE_NEXT:
            continue  # さんま, くんせい: the "honorific" starts another word
        start, end = t[1], hm.end()
        if any(s < end and start < e for s, e in taken):
            continue
        name = text[start:hm.start()]
        if _name_allowed(name, allowed):
            continue
        out.append(TextMatch("name", start, end, mask_name(name, hm.group(0)), {"honorific": hm.group(0)}))
    return out


def analysis(doc: Document) -> Analysis:
    """The cached :class:`Analysis` of ``doc`` (a post); computed on first use."""
    cached = doc.cache.get(_CACHE_KEY)
    if isinstance(cached, Analysis):
        return cached
    from snspolicy.text.normalize import normalize

    raw = doc.body if isinstance(doc.body, str) else ""
    comments = [(m.start(), m.end()) for m in _COMMENT.finditer(raw)]
    body = _blank(raw, comments)
    norm = normalize(body)
    code: list[tuple[int, int]] = []
    for m in _FENCE.finditer(norm.text):
        code.append((m.start(), m.end()))
    for m in _INLINE_CODE.finditer(norm.text):
        if not any(s <= m.start() < e for s, e in code):
            code.append((m.start(), m.end()))
    posted, offsets = _posted(raw, comments)
    a = Analysis(doc, body, norm, sorted(code), posted, offsets)
    doc.cache[_CACHE_KEY] = a
    return a


def _posted(raw: str, comments: list[tuple[int, int]]) -> tuple[str, list[int] | int]:
    """The body without comments and surrounding blank space, with each character's body offset
    (or, without comments, the offset of its first character: the rest follow contiguously).

    A line that held only a comment (an inline waiver) disappears with its line break.
    """
    if not comments:
        stripped = raw.strip()
        return stripped, (len(raw) - len(raw.lstrip()) if stripped else 0)
    removed = bytearray(len(raw))
    for s, e in comments:
        removed[s:e] = b"\x01" * (e - s)
    keep: list[int] = []
    pos = 0
    for line in raw.split("\n"):
        ls, le = pos, pos + len(line)
        kept = [i for i in range(ls, le) if not removed[i]]
        only_comment = any(removed[ls:le]) and all(raw[i].isspace() for i in kept)
        if not only_comment:
            keep.extend(kept)
            if le < len(raw) and not removed[le]:
                keep.append(le)
        pos = le + 1
    a, b = 0, len(keep)
    while a < b and raw[keep[a]].isspace():
        a += 1
    while b > a and raw[keep[b - 1]].isspace():
        b -= 1
    keep = keep[a:b]
    return "".join(raw[i] for i in keep), keep


# --------------------------------------------------------------------------- front matter helpers


def publish_day(doc: Document) -> dt.date | None:
    """The Japan (JST) day of the post's ``publish_at``, or None when absent/unreadable."""
    when = parse_datetime(doc.get("publish_at"))
    if when is None:
        return None
    return when.astimezone(JST).date()


def platform_of(doc: Document, ctx: Context) -> str:
    """The platform of the post's account (``x``, ``instagram`` …), '' when unknown."""
    acc_id = doc.get("account")
    acc = ctx.repo.accounts.get(acc_id) if isinstance(acc_id, str) else None
    if acc is None:
        return ""
    platform = acc.get("platform")
    return platform.strip().lower() if isinstance(platform, str) else ""


# --------------------------------------------------------------------------- lexicons

_LEXICON_CACHE: dict[int, tuple[Any, Any, dict[str, tuple[str, str]]]] = {}
_LEXICON_CACHE_MAX = 16


def combined_lexicon(ctx: Context) -> tuple[Any, dict[str, tuple[str, str]]]:
    """All lexicons of the policy compiled as one, and a map back to (lexicon, entry id).

    One search over a post's tokens instead of one per lexicon (eight times less
    matching work); matches are identical because entries keep their own terms,
    context and severity. Compiled once per policy (shared between runs in one
    process); invalid entries are left out (``snspolicy policy validate`` reports them).
    """
    lexicons = ctx.policy.lexicons or {}
    hit = _LEXICON_CACHE.get(id(lexicons))
    if hit is not None and hit[0] is lexicons:
        return hit[1], hit[2]
    entries: list[dict[str, Any]] = []
    back: dict[str, tuple[str, str]] = {}
    for name, data in lexicons.items():
        raw = data.get("entries") if isinstance(data, Mapping) else None
        for e in raw if isinstance(raw, list) else []:
            if isinstance(e, Mapping) and isinstance(e.get("id"), str):
                cid = f"e{len(back)}"
                back[cid] = (str(name), e["id"])
                entries.append({**e, "id": cid})
    lex = _build_combined(ctx, entries) if entries else None
    if len(_LEXICON_CACHE) >= _LEXICON_CACHE_MAX:
        _LEXICON_CACHE.clear()
    _LEXICON_CACHE[id(lexicons)] = (lexicons, lex, back)  # holding ``lexicons`` keeps its id from being reused
    return lex, back


def _build_combined(ctx: Context, entries: list[dict[str, Any]]) -> Any:
    """The combined lexicon; which entries it leaves out and how its terms are analysed are
    remembered by the run's cache (keyed by the entries: the run's key already covers the policy
    files and the analyzer), so a one-file run does not check every pattern, parse every pattern
    for its prefilter and analyse every term again (a validated lexicon compiles a pattern only
    when a text could match it)."""
    import hashlib
    import json

    from snspolicy.text.lexicon import Lexicon
    from snspolicy.text.lexicon_check import validate_entries

    d = {"lexicon": "combined", "entries": entries}
    digest = hashlib.sha256(json.dumps(entries, ensure_ascii=False, sort_keys=True, default=repr).encode(
        "utf-8", "surrogatepass")).hexdigest()
    left_out = ctx.remember(f"lexicon|left-out|{digest}", lambda: validate_entries(d)[1])
    usable = isinstance(left_out, list) and all(type(i) is int for i in left_out)
    lex = Lexicon.from_dict(d, strict=False, left_out=left_out if usable else None)
    lex.use_term_tokens(ctx.remember(f"lexicon|terms|{digest}", lex.term_tokens))
    lex.use_regex_prefilters(ctx.remember(f"lexicon|prefilters|{digest}", lex.regex_prefilters))
    return lex


def effective_severity(ctx: Context, rule_id: str, value: str | None) -> Severity | None:
    """The severity of one problem whose own severity (a lexicon entry's) is ``value``.

    A repo override of the rule's severity in ``snspolicy.yaml`` may only tighten:
    the result is the stricter of the two. None when ``value`` is None or unknown.
    """
    if value is None:
        return None
    try:
        sev = Severity.parse(value)
    except (KeyError, AttributeError):
        return None
    override = ((ctx.config.rules or {}).get(rule_id) or {}).get("severity") if ctx.config else None
    if override:
        try:
            sev = max(sev, Severity.parse(override))
        except (KeyError, AttributeError):
            pass
    return sev


def occurrence_keys(keys: list[str]) -> list[str]:
    """Stable fingerprint parts: ``key``, ``key#2`` … for repeated keys (no line numbers)."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return out
