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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

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
        p = subprocess.run([sys.executable, "-c", stmt], capture_output=True)
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
        except Exception as exc:  # not installed or broken
            res["missing"] = f"{type(exc).__name__}: {exc}"
            results[name] = res
            if not args.json:
                print(f"== {name}: not available ({res['missing']})")
            continue
        traps = []
        for tname, check in TRAPS:
            try:
                ok, detail = check(run)
            except Exception as exc:
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
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
