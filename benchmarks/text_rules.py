"""Benchmark of the text rules (clauses 3(6), 3(7), 6) on 10,000 generated posts.

Run: ``python benchmarks/text_rules.py`` (``--posts N`` to change the size,
``--write-docs`` to update the text-rules section of docs/performance.md,
``--json`` for machine-readable output).

What is measured, each in a fresh ``python -m snspolicy`` child process:

1. **Throughput** — a full ``snspolicy lint`` of a temporary posts repo with N posts
   generated from ``tests/corpus/clean_announcements.yaml`` (dates shifted, places,
   links, contact lines and hashtags varied; about 5 % of the posts get a violating
   sentence from ``tests/corpus/violations.yaml`` so that findings are produced and
   formatted too). The same repo is linted again with every text rule deselected
   (``--ignore``), the reference measured in the same run; the difference is the
   cost of the text rules.
2. **Start-up** — ``snspolicy lint <repo>/posts/…/one.md`` (one file, as a pre-commit
   hook runs it) with and without the text rules, median of 5 runs in a small repo
   (the clean example repo) and of 3 in the N-post repo.
3. **Peak memory** — ``ru_maxrss`` of each child (``os.wait4``).

Timings vary with the machine and its load; the script prints the machine's CPU count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
EXAMPLE = ROOT / "examples" / "ube-city-posts"
DOC = ROOT / "docs" / "performance.md"
TEXT_RULES = (
    "text-defamation", "text-discrimination", "text-private", "text-incitement", "text-confidential", "text-obscene",
    "text-predecisional", "text-public-order", "pii-phone", "pii-email", "pii-mynumber", "pii-address", "pii-name",
    "pii-birthdate", "media-exif-location", "accuracy-weekday", "accuracy-past-event", "link-https", "link-shortener",
    "clarity-length", "clarity-hashtags", "clarity-sentence-length",
)
PLATFORMS = ("x", "instagram", "facebook", "line", "threads")
TODAY = "2025-06-01"

CONFIG = """\
policy: ube/2025-04-01
fail_on: error
allow:
  phone_numbers: ["0836-31-1111"]
  email_domains: [city.ube.yamaguchi.jp]
  addresses: ["宇部市常盤町一丁目7番1号"]
"""
ACCOUNT = """\
id: bench-{p}
platform: {p}
handle: "@bench_{p}"
url: https://example.jp/bench_{p}
purpose: ベンチマーク用アカウント
departments: [広報広聴課]
manager: {{name: 山田 太郎, employee_id: "100001", title: 広報広聴課長}}
deputies: []
approval: {{approved_by: "100001", approved_on: 2024-01-04}}
operating_rules: https://www.city.ube.yamaguchi.jp/rules.html
holders:
  - {{name: 佐藤 花子, employee_id: "200002", department: 広報広聴課, assigned_on: 2024-01-04}}
  - {{name: 鈴木 一郎, employee_id: "200003", department: 広報広聴課, assigned_on: 2024-01-04}}
holders_exception: null
security:
  two_factor: {{enabled: true, method: totp}}
  password: {{min_length: 16, managed_by: password-manager, unique: true, last_changed_on: 2024-01-04}}
  reviewed_on: 2024-01-04
registry_submitted_on: 2024-01-05
profile:
  disclaimer_url: https://www.city.ube.yamaguchi.jp/disclaimer.html
status: active
"""
PLACES = ["ときわ公園", "宇部新川駅前", "渡辺翁記念会館", "アクトビレッジおの", "宇部市文化会館", "常盤湖畔", "真締川公園", "ヒストリア宇部"]
LINKS = ["https://www.city.ube.yamaguchi.jp/kurashi/index.html", "https://www.city.ube.yamaguchi.jp/kanko/event/index.html",
         "https://www.tokiwapark.jp/", "https://www.city.ube.yamaguchi.jp/shisei/koho/sns.html"]
CONTACTS = ["お問い合わせは宇部市役所 0836-31-1111（代表）へ。", "問い合わせ：宇部市役所（0836）31-1111",
            "メール：koho@city.ube.yamaguchi.jp"]
TAGS = ["#宇部市", "#ときわ公園", "#山口県", "#宇部", "#イベント"]


# --------------------------------------------------------------------------- generating the repo


def _vary(text: str, rng: random.Random) -> str:
    for place in PLACES:
        if place in text and rng.random() < 0.5:
            text = text.replace(place, rng.choice(PLACES))
            break
    r = rng.random()
    if r < 0.25:
        text += "\n詳しくは " + rng.choice(LINKS)
    elif r < 0.45:
        text += "\n" + rng.choice(CONTACTS)
    if "#" not in text and rng.random() < 0.3:
        text += "\n" + " ".join(rng.sample(TAGS, rng.randint(1, 2)))
    return text


def generate(root: Path, n: int, seed: int = 2025) -> list[str]:
    """Write a posts repo with ``n`` posts; returns the post paths (relative)."""
    rng = random.Random(seed)
    clean = yaml.safe_load((CORPUS / "clean_announcements.yaml").read_text(encoding="utf-8"))
    bad = [v for v in yaml.safe_load((CORPUS / "violations.yaml").read_text(encoding="utf-8")) if v.get("rule")]
    (root / "accounts").mkdir(parents=True)
    (root / "snspolicy.yaml").write_text(CONFIG, encoding="utf-8")
    for p in PLATFORMS:
        (root / "accounts" / f"bench-{p}.yaml").write_text(ACCOUNT.format(p=p), encoding="utf-8")
    paths = []
    for i in range(n):
        item = clean[i % len(clean)]
        publish = item["publish_at"]
        if not isinstance(publish, dt.datetime):
            publish = dt.datetime.fromisoformat(str(publish))
        publish -= dt.timedelta(days=rng.randint(0, 3))  # earlier: announced events stay in the future
        text = _vary(item["text"], rng)
        if rng.random() < 0.05:
            text += "\n" + rng.choice(bad)["text"].split("\n")[0]
        plat = item.get("platform") if item.get("platform") in PLATFORMS else "x"
        rel = f"posts/bench-{plat}/{publish:%Y}/{i:05d}-{item['id']}.md"
        front = (f"id: {i:05d}-{item['id']}\naccount: bench-{plat}\nstatus: published\npublish_at: {publish.isoformat()}\n"
                 f"category: {item.get('category') or 'civic'}\nauthor: {{employee_id: \"200002\"}}\n"
                 f"approval: {{approved_by: \"100001\", approved_on: {(publish.date() - dt.timedelta(days=1)).isoformat()}}}\n"
                 "consultation: false\n")
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}---\n{text}\n", encoding="utf-8")
        paths.append(rel)
    return paths


# --------------------------------------------------------------------------- measuring


def child(args: list[str], cwd: Path | None = None) -> tuple[float, int, int, str]:
    """Run ``python -m snspolicy ARGS``: (wall seconds, peak RSS in KiB, exit status, stdout)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SNSPOLICY_TODAY": TODAY}
    env.pop("SNSPOLICY_LANG", None)
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "snspolicy", *args], cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    return wall, rss, proc.returncode, text


IGNORE = ["--ignore", ",".join(TEXT_RULES)]


def count_findings(stdout: str) -> tuple[int, int]:
    try:
        data = json.loads(stdout)
    except ValueError:
        return -1, -1
    text = sum(1 for f in data if f.get("rule") in TEXT_RULES)
    return len(data), text


def measure(n: int, repeats: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="snspolicy-bench-"))
    try:
        repo = work / "repo"
        t0 = time.perf_counter()
        paths = generate(repo, n)
        gen = time.perf_counter() - t0
        chars = sum(len((repo / p).read_text(encoding="utf-8").split("---\n", 2)[2]) for p in paths)
        res: dict = {"posts": n, "body_chars": chars, "generate_s": round(gen, 2), "cpus": os.cpu_count(),
                     "python": platform.python_version(), "machine": platform.machine()}
        full = [child(["lint", str(repo), "-f", "json", "--today", TODAY]) for _ in range(repeats)]
        ref = [child(["lint", str(repo), "-f", "json", "--today", TODAY, *IGNORE]) for _ in range(repeats)]
        f_wall = min(w for w, *_ in full)
        r_wall = min(w for w, *_ in ref)
        res["full"] = {"seconds": round(f_wall, 2), "posts_per_s": round(n / f_wall, 1),
                       "peak_rss_mib": round(max(r for _, r, *_ in full) / 1024, 1),
                       "findings": count_findings(full[0][3])[0], "text_findings": count_findings(full[0][3])[1]}
        res["reference"] = {"seconds": round(r_wall, 2), "posts_per_s": round(n / r_wall, 1),
                            "peak_rss_mib": round(max(r for _, r, *_ in ref) / 1024, 1),
                            "findings": count_findings(ref[0][3])[0]}
        extra = max(f_wall - r_wall, 1e-9)
        res["text_rules_only"] = {"seconds": round(extra, 2), "posts_per_s": round(n / extra, 1),
                                  "ms_per_post": round(1000 * extra / n, 3)}
        # start-up: one file, small repo (pre-commit) and the big repo
        small = work / "small"
        shutil.copytree(EXAMPLE, small)
        one_small = next(iter(sorted((small / "posts").rglob("*.md"))))
        one_big = repo / paths[0]
        res["startup"] = {}
        for label, f, runs in (("small repo (example, 20 posts)", one_small, 5), (f"{n:,}-post repo", one_big, 3)):
            with_text = [child(["lint", str(f), "--today", TODAY]) for _ in range(runs)]
            without = [child(["lint", str(f), "--today", TODAY, *IGNORE]) for _ in range(runs)]
            res["startup"][label] = {
                "with_text_s": round(statistics.median(w for w, *_ in with_text), 3),
                "without_text_s": round(statistics.median(w for w, *_ in without), 3),
                "with_text_rss_mib": round(max(r_ for _, r_, *_ in with_text) / 1024, 1),
                "without_text_rss_mib": round(max(r_ for _, r_, *_ in without) / 1024, 1),
            }
        return res
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- reporting

SECTION_START = "<!-- text-rules:start -->"
SECTION_END = "<!-- text-rules:end -->"


def table(res: dict) -> str:
    n = res["posts"]
    lines = [
        (f"Measured {dt.date.today().isoformat()} with `python benchmarks/text_rules.py --posts {n}` "
        f"(Python {res['python']}, {res['machine']}, {res['cpus']} CPUs, shared machine: expect ±30 %)."),
        "",
        (f"**Throughput** — full `snspolicy lint` of a generated repo with {n:,} posts "
        f"({res['body_chars']:,} characters of body text, ~5 % with a violating sentence); best of the runs:"),
        "",
        "| run | wall time | posts / s | peak RSS | findings |",
        "|---|---|---|---|---|",
        (f"| all rules | {res['full']['seconds']} s | {res['full']['posts_per_s']:,} | {res['full']['peak_rss_mib']} MiB | "
        f"{res['full']['findings']:,} ({res['full']['text_findings']:,} from text rules) |"),
        (f"| text rules deselected (`--ignore`, reference) | {res['reference']['seconds']} s | "
        f"{res['reference']['posts_per_s']:,} | {res['reference']['peak_rss_mib']} MiB | {res['reference']['findings']:,} |"),
        (f"| **text rules alone** (difference) | {res['text_rules_only']['seconds']} s | "
        f"**{res['text_rules_only']['posts_per_s']:,}** | — | {res['text_rules_only']['ms_per_post']} ms per post |"),
        "",
        "**Start-up** — `snspolicy lint <repo>/posts/…/one.md` (one file, as the pre-commit hook runs it: accounts,",
        "press releases and the selected post are read; other posts only if a rule asks for them), median of 5 runs",
        "(3 in the big repo):",
        "",
        "| repo | with text rules | text rules deselected | peak RSS with / without |",
        "|---|---|---|---|",
    ]
    for label, s in res["startup"].items():
        lines.append(f"| {label} | {s['with_text_s']} s | {s['without_text_s']} s | "
                     f"{s['with_text_rss_mib']} / {s['without_text_rss_mib']} MiB |")
    return "\n".join(lines)


def observations(res: dict) -> list[str]:
    small = next(iter(res["startup"].values()))
    big = list(res["startup"].values())[-1]
    d_s = small["with_text_s"] - small["without_text_s"]
    d_m = small["with_text_rss_mib"] - small["without_text_rss_mib"]
    per_post_kib = (res["full"]["peak_rss_mib"] - res["reference"]["peak_rss_mib"] - d_m) * 1024 / res["posts"]
    return [
        "Reading the figures:",
        "",
        f"* The text rules cost about {res['text_rules_only']['ms_per_post']} ms per post, so a pull request that",
        "  touches a few posts is checked in well under a second; the whole 10,000-post repo in seconds.",
        f"* Start-up: the text rules add {d_s:.2f} s and {d_m:.0f} MiB to a one-file run (loading SudachiPy's",
        "  core dictionary, about 90 MiB, and phonenumbers' metadata). Beyond that, memory grows by about",
        f"  {max(per_post_kib, 0):.1f} KiB per post (the analysis kept for each post until the end of the run).",
        (f"* In the {res['posts']:,}-post repo a one-file run takes {min(big['without_text_s'], big['with_text_s'])}–"
        f"{max(big['without_text_s'], big['with_text_s'])} s: posts other than the selected one are not parsed"),
        "  (before this was done, the same run took 4.7–4.9 s, almost all of it reading and validating every",
        "  post of the repo).",
        "",
    ]


def write_docs(res: dict) -> None:
    body = "\n".join([
        SECTION_START,
        "## Text rules (clauses 3(6), 3(7), 6)",
        "",
        table(res),
        "",
        *observations(res),
        "How the text rules keep this cost down (src/snspolicy/rules/_text.py):",
        "",
        "* All lexicons of the policy are compiled into **one** and searched in one pass over a post's tokens",
        "  (the lexicon engine's cost is per search, not per entry): this took the text rules from about",
        "  3.1 ms to about 1.1 ms per post. Matches are the same: entries keep their terms, context and severity.",
        "* The phone-number matcher (the slowest detector) only runs on posts with a run of at least",
        "  10 digits; the other detectors skip posts without their marker characters (@, 生, #, …).",
        "* Nothing heavy is imported until a text rule runs: the rule modules import SudachiPy, phonenumbers,",
        "  ExifRead/Pillow and `regex` inside the rule functions (tested), so a run with the text rules",
        "  deselected pays nothing for them — compare the two start-up columns.",
        "* Each post is normalized and tokenized **once**; every lexicon of the policy and the name detector",
        "  run on those tokens in one go, and the tokens are then dropped (keeping them for every post until",
        "  the end of a run would cost about 20 KB per post, 200 MB for 10,000 posts, plus garbage-collection time).",
        "* Lexicons are compiled once per policy and process; EXIF is read once per image file per run,",
        "  and only its metadata (never the pixels).",
        "* Most of the remaining time is the morphological analysis itself (about 0.3 ms per post, see",
        "  docs/dependencies.md) and phone-number matching.",
        SECTION_END,
    ])
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if SECTION_START in text and SECTION_END in text:
            a, b = text.index(SECTION_START), text.index(SECTION_END) + len(SECTION_END)
            text = text[:a] + body + text[b:]
        else:
            text = text.rstrip("\n") + "\n\n" + body + "\n"
    else:
        text = "# Performance\n\nHow fast snspolicy is, and how it was measured. Each section is written by its benchmark.\n\n" + body + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=2, help="full lints per variant (best is kept)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--write-docs", action="store_true", help="update the text-rules section of docs/performance.md")
    ap.add_argument("--from-json", type=Path, help="do not measure: report results saved earlier with --json")
    args = ap.parse_args()
    if args.from_json:
        res = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        res = measure(max(1, args.posts), max(1, args.repeats))
    print(json.dumps(res, ensure_ascii=False, indent=2) if args.json else table(res))
    if args.write_docs:
        write_docs(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
