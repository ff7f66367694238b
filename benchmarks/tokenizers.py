"""Compare Japanese morphological analyzers for snspolicy's lexicon matching.

Run: ``python benchmarks/tokenizers.py`` (optionally ``--json``). Each candidate
that is not installed is reported as missing, so the script never fails for a
missing package. Measured per candidate:

* accuracy on the traps that matter to the linter (a banned word inside an
  innocent word, inflection, spelling variants);
* cold start: a fresh interpreter importing the package and tokenizing one
  sentence (median of 3 runs, wall clock);
* throughput: characters per second on realistic municipal text (the Ube
  guideline plus sample posts), warm, best of 3;
* install size: bytes on disk of the files the installed distributions list.

Then two measurements of snspolicy itself (skipped when it cannot be imported):

* the pipeline normalize + tokenize + lexicon find on 10,000 short posts;
* regex engines for policy patterns: ``re``, ``regex`` (with timeout) and
  ``google-re2`` on a catastrophic pattern and on an ordinary one.

Figures and the decision are written up in docs/dependencies-tokenizer.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Tok:
    surface: str
    lemma: str  # dictionary form in the text's own spelling
    normalized: str  # spelling-unified form ("" when the analyzer has none)
    pos: tuple[str, ...]
    cform: str  # conjugation form, "" when none/unknown


# --------------------------------------------------------------------------- backends
# Each factory returns a function str -> list[Tok]; the import happens inside it.


def _sudachi(dict_name: str, mode: str) -> Callable[[], Callable[[str], list[Tok]]]:
    def factory() -> Callable[[str], list[Tok]]:
        from sudachipy import Dictionary, SplitMode

        tok = Dictionary(dict=dict_name).create(mode=getattr(SplitMode, mode))

        def run(text: str) -> list[Tok]:
            out = []
            for m in tok.tokenize(text):
                pos = tuple(m.part_of_speech())
                cf = pos[5] if len(pos) > 5 and pos[5] != "*" else ""
                out.append(Tok(m.surface(), m.dictionary_form(), m.normalized_form(), pos[:4], cf))
            return out

        return run

    return factory


def _janome() -> Callable[[str], list[Tok]]:
    from janome.tokenizer import Tokenizer

    t = Tokenizer()

    def run(text: str) -> list[Tok]:
        out = []
        for m in t.tokenize(text):
            cf = "" if m.infl_form == "*" else m.infl_form
            out.append(Tok(m.surface, m.base_form, "", tuple(m.part_of_speech.split(",")), cf))
        return out

    return run


def _fugashi() -> Callable[[str], list[Tok]]:
    import fugashi

    t = fugashi.Tagger()  # picks up unidic-lite

    def run(text: str) -> list[Tok]:
        out = []
        for w in t(text):
            f = w.feature
            pos = (f.pos1, f.pos2, f.pos3, f.pos4)
            cf = "" if f.cForm in (None, "*") else f.cForm
            out.append(Tok(w.surface, f.orthBase or w.surface, f.lemma or "", pos, cf))
        return out

    return run


CANDIDATES: dict[str, tuple[str, Callable[[], Callable[[str], list[Tok]]], list[str]]] = {
    # name: (import statement for cold start, factory, distributions for size)
    "sudachipy+core (C)": ("from sudachipy import Dictionary; Dictionary(dict='core').create().tokenize('宇部市の桜が見頃です。')",
                           _sudachi("core", "C"), ["SudachiPy", "SudachiDict-core"]),
    "sudachipy+core (A)": ("from sudachipy import Dictionary, SplitMode; Dictionary(dict='core').create(mode=SplitMode.A).tokenize('宇部市の桜が見頃です。')",
                           _sudachi("core", "A"), ["SudachiPy", "SudachiDict-core"]),
    "sudachipy+small (C)": ("from sudachipy import Dictionary; Dictionary(dict='small').create().tokenize('宇部市の桜が見頃です。')",
                            _sudachi("small", "C"), ["SudachiPy", "SudachiDict-small"]),
    "janome": ("from janome.tokenizer import Tokenizer; list(Tokenizer().tokenize('宇部市の桜が見頃です。'))",
               _janome, ["Janome"]),
    "fugashi+unidic-lite": ("import fugashi; fugashi.Tagger()('宇部市の桜が見頃です。')",
                            _fugashi, ["fugashi", "unidic-lite"]),
}


# --------------------------------------------------------------------------- traps
def _surfaces(toks: list[Tok]) -> list[str]:
    return [t.surface for t in toks]


def _has(toks: list[Tok], surface: str) -> bool:
    return surface in _surfaces(toks)


def _norm_of(run: Callable[[str], list[Tok]], word: str) -> str:
    toks = run(word)
    return "|".join(t.normalized or t.lemma for t in toks)


def _cform_of(toks: list[Tok], surface_prefix: str) -> str:
    for t in toks:
        if t.surface.startswith(surface_prefix):
            return t.cform
    return ""


# (name, check) — check returns (ok, detail)
Trap = tuple[str, Callable[[Callable[[str], list[Tok]]], tuple[bool, str]]]

TRAPS: list[Trap] = [
    ("バカンス is not バカ", lambda r: (not _has(r("夏のバカンスを楽しもう"), "バカ"), "/".join(_surfaces(r("夏のバカンスを楽しもう"))))),
    ("あいつはバカだ has バカ", lambda r: (_has(r("あいつはバカだ"), "バカ"), "/".join(_surfaces(r("あいつはバカだ"))))),
    ("バイク is not イク", lambda r: (not _has(r("バイクで通勤します"), "イク"), "/".join(_surfaces(r("バイクで通勤します"))))),
    ("イクラ丼 is not イク", lambda r: (not _has(r("名物のイクラ丼"), "イク"), "/".join(_surfaces(r("名物のイクラ丼"))))),
    ("シネマ is not シネ", lambda r: (not _has(r("シネマで映画を観る"), "シネ"), "/".join(_surfaces(r("シネマで映画を観る"))))),
    ("アホウドリ is not アホ", lambda r: (not _has(r("アホウドリの保護"), "アホ"), "/".join(_surfaces(r("アホウドリの保護"))))),
    ("東京都 is not 京都", lambda r: (not _has(r("東京都から来ました"), "京都"), "/".join(_surfaces(r("東京都から来ました"))))),
    ("土人形 is not 土人", lambda r: (not _has(r("伝統の土人形を展示"), "土人"), "/".join(_surfaces(r("伝統の土人形を展示"))))),
    ("大麻 is a token in 啓発 text (context rule needed)",
     lambda r: (_has(r("薬物乱用防止の啓発で大麻の危険性を伝えます"), "大麻"), "/".join(_surfaces(r("薬物乱用防止の啓発で大麻の危険性を伝えます"))))),
    ("死ね is imperative", lambda r: ("命令" in _cform_of(r("死ね"), "死ね"), _cform_of(r("死ね"), "死ね") or "-")),
    ("死ねない is not imperative", lambda r: ("命令" not in _cform_of(r("もう死ねない"), "死ね") and _cform_of(r("もう死ねない"), "死ね") != "",
                                                _cform_of(r("もう死ねない"), "死ね") or "-")),
    ("キチガイ ≡ 気違い (normalized)", lambda r: (_norm_of(r, "キチガイ") == _norm_of(r, "気違い"), f"{_norm_of(r, 'キチガイ')} / {_norm_of(r, '気違い')}")),
    ("ばか ≡ バカ ≡ 馬鹿 (normalized)", lambda r: (len({_norm_of(r, w) for w in ("ばか", "バカ", "馬鹿")}) == 1,
                                                " / ".join(_norm_of(r, w) for w in ("ばか", "バカ", "馬鹿")))),
    ("イク not unified with 行く (lemma keeps spelling)", lambda r: (r("イク")[0].lemma != "行く", r("イク")[0].lemma)),
    ("ｶﾞｽ (half-width) read as ガス", lambda r: (any("ガス" in (t.normalized or t.lemma) for t in r("ｶﾞｽ料金")), "/".join(_surfaces(r("ｶﾞｽ料金"))))),
    ("emoji survives", lambda r: ("".join(_surfaces(r("桜🌸満開😀です"))) == "桜🌸満開😀です", "/".join(_surfaces(r("桜🌸満開😀です"))))),
]

# informational splits (no right answer; shows granularity)
SPLITS = ["個人的には", "現在検討中です", "素案を公表", "宇部市", "宇部市役所", "ときわ公園", "朝鮮人", "在日外国人", "バカ売れ", "死ねよ"]


# --------------------------------------------------------------------------- measures
def corpus() -> str:
    guide = ROOT.parent / "shared" / "guideline" / "ube-sns-guideline-2025-04-01.clean.md"
    alt = Path("/work/shared/guideline/ube-sns-guideline-2025-04-01.clean.md")
    text = ""
    for p in (guide, alt):
        if p.exists():
            text = p.read_text(encoding="utf-8")
            break
    posts = (
        "【お知らせ】令和7年4月10日（木）10時から、ときわ公園で春の植樹祭を開催します。参加無料・申込不要です。"
        "雨天の場合は中止となります。詳しくは市ホームページをご覧ください。#宇部市 #ときわ公園\n"
        "ごみの収集日が変わります。燃やせるごみは毎週月曜日と木曜日です。分別にご協力をお願いします。\n"
        "宇部市役所 市民活動課（電話0836-34-8143）では、地域の防災訓練の参加者を募集しています。\n"
    )
    return text + posts * 20


def cold_start(stmt: str) -> float | None:
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", stmt], check=False, capture_output=True)
        if p.returncode != 0:
            return None
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def throughput(run: Callable[[str], list[Tok]], text: str) -> float:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for ln in lines:
            run(ln)
        best = min(best, time.perf_counter() - t0)
    return sum(len(ln) for ln in lines) / best


def install_size(dists: list[str]) -> int | None:
    total = 0
    for name in dists:
        try:
            d = md.distribution(name)
        except md.PackageNotFoundError:
            return None
        for f in d.files or []:
            p = Path(d.locate_file(f))
            if p.is_file():
                total += p.stat().st_size
    return total


POST = ("【お知らせ】令和７年４月１０日（木）１０時から、ときわ公園で春の植樹祭を開催します。参加無料・申込不要です。"
        "雨天の場合は中止となります。詳しくは市ホームページをご覧ください。#宇部市 問い合わせ：公園緑地課（電話０８３６－３４－８１１１）")


def pipeline(n_posts: int = 10_000) -> dict | None:
    """normalize + tokenize + Lexicon.find over ``n_posts`` copies of a typical post."""
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from snspolicy.text.lexicon import Lexicon
        from snspolicy.text.normalize import normalize
        from snspolicy.text.tokens import backend_name, tokenize
    except Exception:  # noqa: BLE001
        return None
    words = ["馬鹿", "バカ", "ばか", "アホ", "死ね", "殺す", "気違い", "大麻", "覚醒剤", "検討中", "素案", "個人的には",
             "取扱注意", "庁内限り", "クズ", "ゴミ", "消えろ", "イク", "土人", "ハゲ"] * 10
    lex = Lexicon.from_dict({"lexicon": "bench", "entries": [
        {"id": f"e{i}", "terms": [w + ("" if i < 20 else "x" * (i // 20))]} for i, w in enumerate(words)]})
    posts = [POST + str(i) for i in range(n_posts)]
    lex.find(normalize(posts[0]).text)  # load the analyzer and compile
    tn = tt = tf = 0.0
    for post in posts:  # one post at a time, as the linter does (keeping all tokens alive costs GC time)
        t0 = time.perf_counter()
        text = normalize(post).text
        t1 = time.perf_counter()
        toks = tokenize(text)
        t2 = time.perf_counter()
        lex.find(text, toks)
        t3 = time.perf_counter()
        tn, tt, tf = tn + t1 - t0, tt + t2 - t1, tf + t3 - t2
    return {"backend": backend_name(), "posts": n_posts, "chars_per_post": len(POST), "entries": len(lex.entries),
            "normalize_s": tn, "tokenize_s": tt, "find_s": tf, "total_s": tn + tt + tf}


def regex_engines() -> dict:
    """Time of a catastrophic and an ordinary pattern in re, regex and re2 (None = not installed)."""
    import re

    out: dict = {}
    evil, evil_text = r"(a+)+$", "a" * 24 + "b"  # 24: re needs seconds already; 50 would need years
    ok, ok_text = r"検討中|素案|\(案\)", POST * 10
    engines: dict = {"re": re}
    for mod in ("regex", "re2"):
        try:
            engines[mod] = __import__(mod)
        except ImportError:
            engines[mod] = None
    for name, eng in engines.items():
        if eng is None:
            out[name] = None
            continue
        kw = {"timeout": 1.0} if name == "regex" else {}
        t0 = time.perf_counter()
        try:
            eng.compile(evil).search(evil_text, **kw)
            evil_res = "finished"
        except TimeoutError:
            evil_res = "timed out"
        t1 = time.perf_counter()
        c = eng.compile(ok)
        for _ in range(2000):
            list(c.finditer(ok_text, **kw))
        t2 = time.perf_counter()
        out[name] = {"evil_s": t1 - t0, "evil": evil_res, "ordinary_us": (t2 - t1) / 2000 * 1e6,
                     "ordinary_chars": len(ok_text)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print results as JSON")
    args = ap.parse_args()
    text = corpus()
    results = {}
    for name, (stmt, factory, dists) in CANDIDATES.items():
        res: dict = {"name": name}
        try:
            run = factory()
        except Exception as exc:  # noqa: BLE001 - not installed or broken
            res["missing"] = f"{type(exc).__name__}: {exc}"
            results[name] = res
            if not args.json:
                print(f"== {name}: not available ({res['missing']})")
            continue
        traps = []
        for tname, check in TRAPS:
            try:
                ok, detail = check(run)
            except Exception as exc:  # noqa: BLE001 - a trap must not stop the benchmark
                ok, detail = False, f"error {exc}"
            traps.append({"trap": tname, "ok": ok, "detail": detail})
        res["traps"] = traps
        res["traps_passed"] = sum(t["ok"] for t in traps)
        res["splits"] = {s: "/".join(_surfaces(run(s))) for s in SPLITS}
        res["cold_start_s"] = cold_start(stmt)
        res["chars_per_s"] = throughput(run, text)
        res["install_bytes"] = install_size(dists)
        results[name] = res
        if not args.json:
            print(f"== {name}")
            for t in traps:
                print(f"  [{'ok' if t['ok'] else 'NO'}] {t['trap']}: {t['detail']}")
            for s, sp in res["splits"].items():
                print(f"  split {s}: {sp}")
            cs = res["cold_start_s"]
            size = res["install_bytes"]
            print(f"  traps passed: {res['traps_passed']}/{len(traps)}")
            print(f"  cold start (import + first tokenize): {cs:.3f} s" if cs else "  cold start: n/a")
            print(f"  throughput: {res['chars_per_s']:,.0f} chars/s on {len(text):,} chars")
            print(f"  install size: {size / 1e6:.1f} MB" if size else "  install size: n/a")
    pipe = pipeline()
    rx = regex_engines()
    if args.json:
        print(json.dumps({"analyzers": results, "pipeline": pipe, "regex": rx}, ensure_ascii=False, indent=1))
        return 0
    if pipe:
        print(f"== snspolicy pipeline ({pipe['backend']}), {pipe['posts']:,} posts of {pipe['chars_per_post']} chars, "
              f"{pipe['entries']} lexicon entries")
        print(f"  normalize {pipe['normalize_s']:.2f} s, tokenize {pipe['tokenize_s']:.2f} s, "
              f"find {pipe['find_s']:.2f} s, total {pipe['total_s']:.2f} s")
    print("== regex engines: (a+)+$ on 'a'*24+'b', and an ordinary alternation")
    for name, r in rx.items():
        if r is None:
            print(f"  {name}: not installed")
        else:
            print(f"  {name}: catastrophic {r['evil_s']:.3f} s ({r['evil']}); "
                  f"ordinary {r['ordinary_us']:.1f} us per {r['ordinary_chars']} chars")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
