"""The lexicon engine's index, regex pre-screen, ``exclude`` rules, names in katakana and the
entry's own severity (issue 15: index by form; issue 16: names, exclusions; issue 11: clause and
severity of an entry win)."""

from __future__ import annotations

import bisect
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.text import lexicon as lexmod
from snspolicy.text.lexicon import Lexicon, validate_lexicon_dict
from snspolicy.text.normalize import normalize
from snspolicy.text.tokens import tokenize

ROOT = Path(__file__).resolve().parents[2]
LEXICONS = ROOT / "policy" / "ube" / "2025-04-01" / "lexicons"
CORPUS = ROOT / "tests" / "corpus"

if os.environ.get("SNSPOLICY_TOKENIZER", "sudachi") != "sudachi":
    pytest.skip("written for the default SudachiPy backend", allow_module_level=True)
pytest.importorskip("sudachipy")


def combined() -> Lexicon:
    entries = []
    for p in sorted(LEXICONS.glob("*.yaml")):
        for e in yaml.safe_load(p.read_text(encoding="utf-8"))["entries"]:
            entries.append({**e, "id": f"{p.stem}-{e['id']}"})
    return Lexicon.from_dict({"lexicon": "all", "entries": entries}, strict=False)


def corpus_texts() -> list[str]:
    out = []
    for name in ("clean_announcements.yaml", "review_clean.yaml", "violations.yaml", "review_violations.yaml"):
        out += [str(i["text"]) for i in yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))]
    return [normalize(t).text for t in out]


# --------------------------------------------------------------------------- the index
def reference_token_matches(self, text, tokens, c):
    """The engine's token matching before the index (a scan of every token against every form and
    every term start), kept here to prove the indexed version finds exactly the same matches."""
    toks = sorted((t for t in tokens if 0 <= t.start < t.end <= len(text)), key=lambda t: t.start)
    starts = [t.start for t in toks]
    out = {}

    def continues(end):
        k = bisect.bisect_left(starts, end)
        if k >= len(toks) or toks[k].start != end:
            return False
        nxt = toks[k]
        return nxt.pos[:1] == ("助動詞",) or nxt.pos[:2] == ("助詞", "接続助詞")

    def add(s, e, term):
        if term.ends_inflected and continues(e):
            return
        out.setdefault((s, e, term.entry.id), (s, e, term.entry, term.text))

    n = len(toks)
    for i, x in enumerate(toks):
        cands = {}
        for key in (x.surface, x.lemma, x.normalized):
            for tm in c.by_form.get(key, ()):
                cands[id(tm)] = tm
        for tm in cands.values():
            k = len(tm.toks)
            if i + k > n:
                continue
            run = toks[i:i + k]
            if any(run[j + 1].start != run[j].end and not lexmod._space_gap(text[run[j].end:run[j + 1].start])
                   for j in range(k - 1)):
                continue
            if any(tm.toks[j].pos0 == "名詞" and lexmod._inflecting(toks, i + j) for j in range(k)):
                continue
            if all(lexmod._tok_eq(tm.toks[j], run[j]) for j in range(k)):
                add(run[0].start, run[-1].end, tm)
        s = x.start
        for j in range(i, n):
            e = toks[j].end
            if e - s > c.max_len:
                break
            for tm in c.by_text.get(text[s:e], ()):
                if j == i and len(tm.toks) == 1 and tm.toks[0].pos0 == "名詞" and lexmod._inflecting(toks, i):
                    continue
                add(s, e, tm)
    return list(out.values())


def test_index_finds_exactly_what_a_full_scan_finds(monkeypatch):
    lex = combined()
    texts = corpus_texts()
    texts += ["あいつはバカだ、死ね", "めくらないでください", "ｷﾁｶﾞｲ じみた値段", "DJ IKU(ディージェイ・イク)"]
    indexed = [[(m.entry_id, m.start, m.end, m.term, m.severity) for m in lex.find(t, tokenize(t))] for t in texts]
    monkeypatch.setattr(Lexicon, "_token_matches", reference_token_matches)
    full = [[(m.entry_id, m.start, m.end, m.term, m.severity) for m in lex.find(t, tokenize(t))] for t in texts]
    assert indexed == full
    assert sum(map(len, indexed)) > 100  # the comparison covers many matches


def split_tokens(tokens):
    """Every word cut into its characters (same part of speech): the words of a term's text then
    differ from the term's own words, so only the search by characters can find it."""
    from snspolicy.text.tokens import Token

    return [Token(ch, t.start + k, t.start + k + 1, ch, ch, "", t.pos) for t in tokens for k, ch in enumerate(t.surface)]


def test_index_finds_what_a_full_scan_finds_when_words_are_cut_differently(monkeypatch):
    lex = combined()
    texts = corpus_texts()
    indexed = [[(m.entry_id, m.start, m.end) for m in lex.find(t, split_tokens(tokenize(t)))] for t in texts]
    monkeypatch.setattr(Lexicon, "_token_matches", reference_token_matches)
    full = [[(m.entry_id, m.start, m.end) for m in lex.find(t, split_tokens(tokenize(t)))] for t in texts]
    assert indexed == full
    # many matches of terms longer than one character, found only by their characters
    assert sum(1 for ms in indexed for _, s, e in ms if e - s > 1) > 50


def test_tokens_out_of_order_are_sorted_first():
    lex = Lexicon.from_dict({"lexicon": "t", "entries": [{"id": "baka", "terms": ["バカ"]}]})
    text = "バカとバカ"
    toks = list(reversed(tokenize(text)))
    assert [(m.start, m.end) for m in lex.find(text, toks)] == [(0, 2), (3, 5)]


# --------------------------------------------------------------------------- regex pre-screen
@pytest.mark.parametrize(("pattern", "chars"), [
    ("万引き(?:しよう|しても)", "万"),
    ("(?:大麻|覚醒剤)を売ります", "大覚"),
    ("(?:借金して)?賭けよう", "借賭"),  # an optional start: what follows can start the match too
    ("[ぁ-ゔ]{2}ね", None),  # a small range: its characters
    ("(?<=お前)は", "は"),  # a look-behind consumes nothing
    ("x*", None),  # may match the empty string
    ("\\w+バカ", None),  # a class of unknown size
    ("(?i)baka", None),
    ("お?前", "お前"),
])
def test_first_characters_of_a_pattern(pattern, chars):
    got = lexmod._first_chars(pattern)
    if pattern == "[ぁ-ゔ]{2}ね":
        assert got is not None and "あ" in got and "ネ" not in got and "ゔ" in got
        return
    assert got == (frozenset(chars) if chars is not None else None)


@pytest.mark.parametrize(("pattern", "prefixes"), [
    ("万引き(?:しよう|しても)", {"万引"}),
    ("(?:大麻|覚醒剤)を", {"大麻", "覚醒"}),
    ("(?:借金して)?賭けよう", {"借金", "賭け"}),
    ("(?:の人|出身)(?:は|って)", {"の人", "出身"}),
    ("お?前", {"お前", "前"}),
    ("(?<=[亜-熙][亜-熙])ども", {"ども"}),  # a look-behind consumes nothing
    ("[亜-熙]+ども", None),  # a class too wide to list
    ("ども(?=は)", {"ども"}),
    ("x*", None),
    ("a[bc]", {"ab", "ac"}),
    ("a+b", {"aa", "ab"}),  # X+ is X X*
    ("(?:ab){2}c", {"ab"}),
    ("x?y?z", {"xy", "xz", "yz", "z"}),
])
def test_prefixes_of_a_pattern(pattern, prefixes):
    got = lexmod._prefixes(pattern)
    assert got == (frozenset(prefixes) if prefixes is not None else None)


def test_prescreen_never_hides_a_match():
    """Every regex of the policy: each match on the corpora starts with one of its first characters
    and with one of its prefixes, so skipping a text without them never loses a match."""
    lex = combined()
    c = lex._compile()
    checked = 0
    for text in corpus_texts():
        for pat, e, first, prefixes in c.regexes:
            for m in pat.finditer(text):
                if m.end() <= m.start():
                    continue
                if first is not None:
                    assert text[m.start()] in first, (e.id, text[m.start():m.end()])
                if prefixes is not None:
                    assert any(text.startswith(p, m.start()) for p in prefixes), (e.id, text[m.start():m.end()])
                checked += 1
    assert checked > 20


def test_prescreen_skips_most_searches():
    lex = combined()
    c = lex._compile()
    runs = skipped = 0
    for text in corpus_texts():
        for _, _, first, prefixes in c.regexes:
            runs += 1
            if (first is not None and first.isdisjoint(text)) or (prefixes is not None and not any(p in text for p in prefixes)):
                skipped += 1
    assert skipped > 0.8 * runs, (skipped, runs)


# --------------------------------------------------------------------------- exclude
def lex_with(entry: dict) -> Lexicon:
    return Lexicon.from_dict({"lexicon": "t", "entries": [{"id": "w", **entry}]})


def hits(lex: Lexicon, text: str) -> list[str]:
    t = normalize(text).text
    return [m.surface for m in lex.find(t) if m.severity]


def test_exclude_pos_tells_the_occupation_from_the_surname():
    lex = lex_with({"terms": ["土方"], "exclude": {"pos": ["固有名詞"]}})
    assert hits(lex, "昔は土方の仕事をしていました") == ["土方"]
    assert hits(lex, "土方さんが受付にいます") == []
    assert hits(lex, "土方歳三の生涯をたどる講座") == []
    assert hits(lex_with({"terms": ["土方"]}), "土方さんが受付にいます") == ["土方"]  # without exclude


def test_exclude_followed_and_preceded_by():
    lex = lex_with({"terms": ["ボケ"], "exclude": {"followed_by": ["の実", "の花"], "preceded_by": ["ピン"]}})
    assert hits(lex, "このボケが") == ["ボケ"]
    assert hits(lex, "ボケの実を収穫しました") == []
    assert hits(lex, "ボケの花が咲きました") == []


@pytest.mark.parametrize(("value", "problem"), [
    ({"pos": "固有名詞"}, None),  # one string is a list of one
    ({"pos": []}, "exclude.pos must be a non-empty list"),
    ({"after": ["x"]}, "unknown exclude key"),
    ("固有名詞", "exclude must be a mapping"),
])
def test_exclude_is_validated(value, problem):
    found = validate_lexicon_dict({"lexicon": "t", "entries": [{"id": "w", "terms": ["土方"], "exclude": value}]})
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found), found


def test_note_is_accepted_and_must_be_text():
    ok = {"lexicon": "t", "entries": [{"id": "w", "terms": ["x"], "note": "why this word"}]}
    assert validate_lexicon_dict(ok) == []
    bad = {"lexicon": "t", "entries": [{"id": "w", "terms": ["x"], "note": ["a"]}]}
    assert validate_lexicon_dict(bad)


# --------------------------------------------------------------------------- names in katakana
SLANG = lex_with({"terms": ["イク", "セックス", "マンコ"]})


@pytest.mark.parametrize("text", [
    "ゲストは DJ IKU(ディージェイ・イク)です",       # reading of a Latin-script name, after it
    "ゲストのイク(IKU)さんが歌います",                 # ... or before it
    "Sex Pistols(セックス・ピストルズ)のコピーバンド",
    "セックスピストルズの曲を演奏",                       # touching a katakana proper noun
    "インカ帝国のマンコ・カパックについて学ぶ",            # joined by ・ to a name word
])
def test_katakana_inside_a_name_is_not_the_word(text):
    assert hits(SLANG, text) == []


@pytest.mark.parametrize(("text", "word"), [
    ("もうイク", "イク"),
    ("(イク)", "イク"),                     # brackets without a Latin name
    ("ABC、セックスの話", "セックス"),        # Latin text not bracketed with it
    ("セックス・マンコ", "セックス"),          # two listed words are both matches
    ("SEX(セックス)", "SEX"),                # one Latin word with its reading is the word itself
])
def test_katakana_word_still_matches_outside_names(text, word):
    assert word in hits(SLANG, text)


# --------------------------------------------------------------------------- severity given or not
def test_entry_without_severity_is_marked():
    lex = Lexicon.from_dict({"lexicon": "t", "entries": [
        {"id": "a", "terms": ["バカ"], "severity": "warning"}, {"id": "b", "terms": ["アホ"]}]})
    ms = {m.entry_id: m for m in lex.find("バカとアホ")}
    assert ms["a"].severity == "warning" and ms["a"].severity_given
    assert ms["b"].severity == "error" and not ms["b"].severity_given  # the rule's severity applies


def test_policy_lexicons_use_only_known_keys():
    for p in LEXICONS.glob("*.yaml"):
        assert validate_lexicon_dict(yaml.safe_load(p.read_text(encoding="utf-8"))) == [], p.name


def test_katakana_word_pattern_is_katakana_only():
    from snspolicy.text import lexicon_names

    assert lexmod._KATAKANA_WORD.fullmatch("セックス")
    assert not lexmod._KATAKANA_WORD.fullmatch("せっくす")
    assert re.fullmatch(lexicon_names._READING.pattern, "ディージェイ・イク")


# -- what a run remembers of the combined lexicon (issue 15: a one-file run does not check every
# -- pattern and analyse every term again) ------------------------------------------------------
def _all_entries() -> list[dict]:
    entries = []
    for p in sorted(LEXICONS.glob("*.yaml")):
        for e in yaml.safe_load(p.read_text(encoding="utf-8"))["entries"]:
            entries.append({**e, "id": f"{p.stem}-{e['id']}"})
    return entries


def test_a_remembered_validation_and_analysis_give_the_same_matches():
    import json

    from snspolicy.text.lexicon_check import validate_entries

    d = {"lexicon": "all", "entries": _all_entries()}
    fresh = Lexicon.from_dict(d, strict=False)
    left_out = json.loads(json.dumps(validate_entries(d)[1]))
    table = json.loads(json.dumps(fresh.term_tokens()))  # as the cache gives them back
    again = Lexicon.from_dict(d, strict=False, left_out=left_out)
    again.use_term_tokens(table)
    analysed: list[str] = []
    real = lexmod.Lexicon._analysed
    try:
        lexmod.Lexicon._analysed = lambda self, term: analysed.append(term) or real(self, term)  # type: ignore[method-assign]
        assert [e.id for e in again.entries] == [e.id for e in fresh.entries]
        for text in corpus_texts():
            t = normalize(text).text
            assert again.find(t) == fresh.find(t), text
    finally:
        lexmod.Lexicon._analysed = real  # type: ignore[method-assign]
    assert analysed and all(term in table for term in analysed)


def test_left_out_entries_are_the_ones_the_lexicon_rejects():
    from snspolicy.text.lexicon_check import validate_entries

    d = {"lexicon": "t", "entries": [
        {"id": "a", "terms": ["危険"], "clause": "4(2)"},
        "not a mapping",
        {"id": "b", "match": "regex", "pattern": "(a+)+$", "clause": "4(2)"},  # may backtrack: rejected
        {"id": "a", "terms": ["安全"], "clause": "4(2)"},  # an id used before
        {"id": "c", "terms": ["注意"], "clause": "4(2)"},
    ]}
    problems, left_out = validate_entries(d)
    assert left_out == [1, 2, 3] and problems == validate_lexicon_dict(d)
    assert [e.id for e in Lexicon.from_dict(d, strict=False).entries] == ["a", "c"]
    assert [e.id for e in Lexicon.from_dict(d, strict=False, left_out=left_out).entries] == ["a", "c"]


def test_damaged_term_analysis_is_done_again():
    d = {"lexicon": "t", "entries": [{"id": "a", "terms": ["危険"], "clause": "4(2)"}]}
    good = Lexicon.from_dict(d, strict=False)
    bad = Lexicon.from_dict(d, strict=False)
    bad.use_term_tokens({"危険": [["only", "three", "fields"]]})
    text = normalize("この先は危険です。").text
    assert bad.find(text) == good.find(text) and good.find(text)


def test_plain_rows_find_what_tokens_find():
    """The rules pass the lexicon plain tuples (tokenize_rows), not Tokens: read by index, they must
    give exactly the matches Tokens give (an attribute read on a row would raise here)."""
    from snspolicy.text.tokens import tokenize_rows

    lex = combined()
    texts = corpus_texts() + ["あいつはバカだ、死ね", "めくらないでください", "DJ IKU(ディージェイ・イク)", "セックスピストルズ"]
    rows = [tokenize_rows(t) for t in texts]
    assert all(type(r) is tuple for rs in rows for r in rs)
    by_rows = [[(m.entry_id, m.start, m.end, m.term, m.severity) for m in lex.find(t, r)] for t, r in zip(texts, rows)]
    by_tokens = [[(m.entry_id, m.start, m.end, m.term, m.severity) for m in lex.find(t, tokenize(t))] for t in texts]
    assert by_rows == by_tokens
    assert sum(map(len, by_rows)) > 100


def _screened_by_sets(text, first, prefs):
    """The pre-screen as it was: sets of every character and every two characters of the text."""
    chars = frozenset(text)
    pairs = frozenset(text[i:i + 2] for i in range(len(text) - 1))
    return (first is not None and first.isdisjoint(chars)) or (
        prefs is not None and pairs.isdisjoint(prefs) and chars.isdisjoint(prefs))


_ODD_PATTERNS = [r"\]x", r"\^y", r"-z", r"\\q", r"[-\]]w", r"a?b", "お前(?:ら)?", "しね|死ね", r"\[案\]"]


def test_the_screen_skips_exactly_what_sets_of_the_whole_text_skip():
    from snspolicy.text.regex_prefix import Screen, first_chars, prefixes, screen_pattern

    c = combined()._compile()
    filters = [(first, prefs) for _, _, first, prefs in c.regexes]
    odd = [(first_chars(p), prefixes(p)) for p in _ODD_PATTERNS]
    texts = corpus_texts() + ["]x ^y -z \\q", "a]w", "お前らしね", "[案]です", "", "b"]
    excluded = 0
    for fs, rx in ((filters, c.screen), (odd, screen_pattern(odd))):
        for text in texts:
            screen = Screen(rx, text)
            for first, prefs in fs:
                assert screen.excludes(first, prefs) == _screened_by_sets(text, first, prefs), (text, first, prefs)
                excluded += screen.excludes(first, prefs)
    assert excluded > 1000


@given(st.text(alphabet="]^-\\xyzqwab[案お前らしね死 ", max_size=30))
@settings(max_examples=300, deadline=None)
def test_the_screen_of_odd_characters(text):
    from snspolicy.text.regex_prefix import Screen, first_chars, prefixes, screen_pattern

    odd = [(first_chars(p), prefixes(p)) for p in _ODD_PATTERNS]
    screen = Screen(screen_pattern(odd), text)
    assert [screen.excludes(f, p) for f, p in odd] == [_screened_by_sets(text, f, p) for f, p in odd]
