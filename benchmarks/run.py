"""snspolicy at the scale of a prefecture: whole-repo lint, its floor, one-file lint, textlint.

Run: ``python benchmarks/run.py`` (all sizes: 500, 2,000, 10,000 and 30,000 posts;
the last takes minutes), ``--quick`` (500 and 2,000), ``--sizes 500,10000``.
Run it with the Python that has snspolicy and its dependencies (SudachiPy) installed;
to measure a checkout, put its ``src`` on ``PYTHONPATH``.

For each size a posts repo is generated (benchmarks/repogen.py: realistic bodies of
median ~220 characters with dates, links, contact lines and hashtags; the example
repo's accounts, roster, registry and press releases; ~4 % planted violations) and
measured, each command in a fresh child process (wall clock; peak RSS from
``os.wait4``'s ``ru_maxrss``):

* **snspolicy** — ``snspolicy lint . -f json --no-cache`` in the repo (best of ``--repeats``);
  the findings are checked against the planted violations;
* **floor** — benchmarks/floor.py: read every post, parse its front matter with the
  same YAML loader, tokenize its body with the same analyzer (best of ``--repeats``; each
  run right after a run of snspolicy, so that both are measured in the same minutes);
* **ratio** — snspolicy / floor;
* **one file** — ``snspolicy lint posts/…/one.md`` in the repo, as the pre-commit
  hook runs it (median of ``--one-runs``);
* **textlint** — textlint with preset-ja-technical-writing and ja-no-inappropriate-words
  on the same bodies (one ``.md`` file per post), whole set and one file, when Node.js
  is installed: the packages pinned in benchmarks/package.json are installed into
  benchmarks/node_modules on first use (``--no-textlint`` skips it).

Results are printed as a table per size and written as JSON to benchmarks/out/
(``--write-docs`` also replaces the "Scale" section of docs/performance.md).
``--profile N`` instead runs the whole-repo lint of an N-post repo under cProfile
and prints where the time goes (the .prof file is kept in benchmarks/out/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import repogen

OUT = HERE / "out"
DOC = ROOT / "docs" / "performance.md"
ALL_SIZES = (500, 2_000, 10_000, 30_000)
QUICK_SIZES = (500, 2_000)
TEXTLINT_RC = HERE / ".textlintrc.json"
TEXTLINT_BIN = HERE / "node_modules" / ".bin" / "textlint"


# --------------------------------------------------------------------------- child processes


def child(cmd: list[str], cwd: Path, stdout: Path | None = None, served: bool = False) -> dict:
    """Run ``cmd``: wall seconds, peak RSS (MiB), exit status, and stdout when not redirected to a file.
    ``served``: a ``lint`` may be handed to the repo's warm server (else it always runs on its own)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SNSPOLICY_TODAY": repogen.TODAY}
    env.pop("SNSPOLICY_LANG", None)
    env.pop("SNSPOLICY_NO_CACHE", None)  # the cache is measured on purpose (cold runs pass --no-cache)
    env.pop("SNSPOLICY_NO_SERVER", None)
    if not served:
        env["SNSPOLICY_NO_SERVER"] = "1"
    with tempfile.TemporaryFile() as tmp:
        out = open(stdout, "wb") if stdout else tmp  # noqa: SIM115 - closed below
        try:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdout:
                out.close()
        tmp.seek(0)
        text = "" if stdout else tmp.read().decode("utf-8", "replace")
    rss_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    return {"seconds": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": rss_kib / 1024,
            "status": proc.returncode, "stdout": text, "stderr": err}


def snspolicy(args: list[str], repo: Path, stdout: Path | None = None, served: bool = False) -> dict:
    return child([sys.executable, "-m", "snspolicy", *args], repo, stdout, served)


def best(runs: list[dict]) -> dict:
    """The fastest run (wall clock; its CPU time), with the largest peak RSS of all runs."""
    fastest = min(runs, key=lambda r: r["seconds"])
    return {"seconds": round(fastest["seconds"], 3), "cpu": round(fastest["cpu"], 3),
            "rss_mib": round(max(r["rss_mib"] for r in runs), 1), "runs": [round(r["seconds"], 3) for r in runs]}


def median(runs: list[dict]) -> dict:
    return {"seconds": round(statistics.median(r["seconds"] for r in runs), 3),
            "cpu": round(statistics.median(r["cpu"] for r in runs), 3),
            "rss_mib": round(max(r["rss_mib"] for r in runs), 1), "runs": [round(r["seconds"], 3) for r in runs]}


# --------------------------------------------------------------------------- textlint


def textlint_ready(mode: str) -> tuple[bool, str]:
    """(usable, note). Installs the pinned packages into benchmarks/node_modules when needed."""
    if mode == "no":
        return False, "skipped (--no-textlint)"
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return False, "skipped: Node.js/npm not installed"
    if not TEXTLINT_BIN.exists():
        print("installing textlint into benchmarks/node_modules (npm ci) …", file=sys.stderr)
        cmd = [npm, "ci" if (HERE / "package-lock.json").exists() else "install", "--no-audit", "--no-fund"]
        proc = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not TEXTLINT_BIN.exists():
            return False, "skipped: npm install failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    version = subprocess.run([str(TEXTLINT_BIN), "--version"], cwd=HERE, capture_output=True, text=True,
                             check=False).stdout.strip()
    return True, f"textlint {version}, node {subprocess.run([node, '--version'], capture_output=True, text=True, check=False).stdout.strip()}"


def write_bodies(manifest: repogen.Manifest, where: Path) -> list[Path]:
    """The posts' bodies, one Markdown file each (what textlint reads)."""
    paths = []
    for post in manifest.posts:
        path = where / post.account / f"{post.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post.body + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def textlint(target: str, work: Path) -> dict:
    report = work / "textlint.json"
    cmd = [str(TEXTLINT_BIN), "--config", str(TEXTLINT_RC), "--rules-base-directory", str(HERE / "node_modules"),
           "--format", "json", "--output-file", str(report), target]
    res = child(cmd, HERE)
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        rules = Counter(m.get("ruleId") for f in data for m in f.get("messages", []))
        res["messages"] = sum(rules.values())
        res["by_rule"] = dict(rules.most_common(8))
        res["files"] = len(data)
    except (OSError, ValueError):
        res["messages"] = res["files"] = -1
    return res


# --------------------------------------------------------------------------- one size


def _edited_runs(repo: Path, one: str, args: list[str], n: int, served: bool) -> list[dict]:
    """``n`` runs on post ``one`` just edited (a new sentence each time: never in the cache)."""
    original = (repo / one).read_bytes()
    runs = []
    try:
        for i in range(n):
            extra = f"ご不明な点は担当までお問い合わせください（{'s' if served else ''}{i + 1}）。\n"
            (repo / one).write_bytes(original + extra.encode())
            runs.append(snspolicy(args, repo, served=served))
    finally:
        (repo / one).write_bytes(original)
    return runs


def measure(n: int, repeats: int, one_runs: int, use_textlint: bool, keep: Path | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"snspolicy-bench-{n}-"))
    try:
        repo = work / "repo"
        t0 = time.perf_counter()
        manifest = repogen.build_repo(repo, n, git=True)
        res: dict = {"posts": n, "generate_s": round(time.perf_counter() - t0, 2), "repo": manifest.stats()}
        print(f"  {n:,} posts generated in {res['generate_s']} s", file=sys.stderr)

        lint_args = ["lint", ".", "-f", "json", "--today", repogen.TODAY]
        # cold: no cache, worker processes as by default (one per CPU); each run followed by a run of
        # the floor, so that both are measured in the same minutes (the machine's speed drifts)
        runs, floor_runs = [], []
        for _ in range(repeats):
            runs.append(snspolicy(lint_args + ["--no-cache"], repo))
            floor_runs.append(child([sys.executable, str(HERE / "floor.py"), str(repo)], repo))
        res["snspolicy"] = best(runs)
        found = Counter()
        try:
            found = Counter(f["rule"] for f in json.loads(runs[0]["stdout"]))
        except ValueError:
            res["snspolicy"]["error"] = (runs[0]["stderr"] or runs[0]["stdout"])[-2000:]
        res["snspolicy"]["status"] = runs[0]["status"]
        res["snspolicy"]["findings"] = dict(sorted(found.items()))
        res["snspolicy"]["findings_match_planted"] = found == manifest.expected()
        print(f"  snspolicy {res['snspolicy']['runs']} s", file=sys.stderr)

        res["floor"] = best(floor_runs)
        if floor_runs[0]["status"] != 0:
            res["floor"]["error"] = floor_runs[0]["stderr"][-2000:]
        else:
            res["floor"].update(json.loads(floor_runs[0]["stdout"]))
        res["ratio"] = round(res["snspolicy"]["seconds"] / res["floor"]["seconds"], 2)
        res["cpu_ratio"] = round(res["snspolicy"]["cpu"] / max(res["floor"]["cpu"], 1e-9), 2)
        print(f"  floor {res['floor']['runs']} s", file=sys.stderr)

        # the same cold run in one process (what --jobs gains), and the second run with the cache
        res["serial"] = snspolicy(lint_args + ["--no-cache", "--jobs", "1"], repo)
        res["serial"]["same_output"] = res["serial"].pop("stdout", None) == runs[0]["stdout"]
        shutil.rmtree(repo / ".snspolicy_cache", ignore_errors=True)
        res["cache_fill"] = snspolicy(lint_args, repo)
        res["cache_fill"].pop("stdout", None)
        warm_runs = [snspolicy(lint_args, repo) for _ in range(repeats)]  # best of as many as the cold run
        same = all(w.pop("stdout", None) == runs[0]["stdout"] for w in warm_runs)
        res["warm"] = best(warm_runs) | {"same_output": same}
        res["warm_share"] = round(res["warm"]["seconds"] / res["snspolicy"]["seconds"], 3)
        print(f"  serial {res['serial']['seconds']:.2f} s, warm {res['warm']['seconds']:.2f} s", file=sys.stderr)

        one = manifest.posts[len(manifest.posts) // 2].rel  # a clean-or-not post in the middle of the repo
        one_args = ["lint", one, "--today", repogen.TODAY]
        one_runs_ = [snspolicy(one_args + ["--no-cache"], repo) for _ in range(one_runs)]
        res["one_file"] = median(one_runs_) | {"path": one, "status": one_runs_[0]["status"]}
        # as the pre-commit hook runs in a working copy: the cache filled by the runs above, and
        # the post either unchanged or just edited (a new sentence each time: never in the cache)
        res["one_file_cached"] = median([snspolicy(one_args, repo) for _ in range(one_runs)])
        res["one_file_edited"] = median(_edited_runs(repo, one, one_args, one_runs, served=False))
        print(f"  one file {res['one_file']['runs']} s, cached {res['one_file_cached']['runs']} s, "
              f"edited {res['one_file_edited']['runs']} s", file=sys.stderr)
        # the same with the repo's warm server (snspolicy server start), as a hook would use it
        if snspolicy(["server", "start", "."], repo)["status"] == 0:
            try:
                res["one_file_server"] = median([snspolicy(one_args, repo, served=True) for _ in range(one_runs)])
                res["one_file_server_edited"] = median(_edited_runs(repo, one, one_args, one_runs, served=True))
            finally:
                snspolicy(["server", "stop", "."], repo)
            print(f"  warm server: one file {res['one_file_server']['runs']} s, "
                  f"edited {res['one_file_server_edited']['runs']} s", file=sys.stderr)

        if use_textlint:
            bodies = work / "bodies"
            paths = write_bodies(manifest, bodies)
            whole = textlint(str(bodies / "**" / "*.md"), work)
            res["textlint"] = {"seconds": round(whole["seconds"], 3), "cpu": round(whole["cpu"], 3), "rss_mib": round(whole["rss_mib"], 1),
                               "files": whole["files"], "messages": whole["messages"], "status": whole["status"],
                               "by_rule": whole.get("by_rule", {})}
            if whole["files"] < 0:
                res["textlint"]["error"] = whole["stderr"][-2000:]
            ones = [textlint(str(paths[len(paths) // 2]), work) for _ in range(one_runs)]
            res["textlint_one_file"] = median(ones)
            print(f"  textlint {res['textlint']['seconds']} s, one file {res['textlint_one_file']['runs']} s",
                  file=sys.stderr)
        return res
    finally:
        if keep:
            dest = keep / f"repo-{n}"
            shutil.rmtree(dest, ignore_errors=True)
            shutil.move(str(work / "repo"), dest)
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- profile


# Functions whose cumulative time the profile summary shows (file suffix, function name).
HOT = [("snspolicy/io/repo.py", "load_repo", "read and parse every file (YAML, front matter)"),
       ("snspolicy/engine/core.py", "schema_findings", "JSON Schema validation"),
       ("snspolicy/text/tokens.py", "tokenize", "tokenize: Sudachi + Token objects"),
       ("sudachipy", "tokenize", "  of which SudachiPy's analysis"),
       ("snspolicy/text/lexicon.py", "find", "lexicon matching (all lexicons, one pass)"),
       ("snspolicy/text/pii.py", "find_phone_numbers", "phone-number matcher"),
       ("snspolicy/text/pii.py", "_e164", "  of which parsing allow-listed numbers"),
       ("snspolicy/text/links.py", "find_links", "find_links (all calls)"),
       ("snspolicy/rules/posts.py", "normalize_with_map", "press keyword normalization (post-embargo)"),
       ("snspolicy/domain/secretscan.py", "scan_text", "secret scan of file contents"),
       ("snspolicy/engine/waivers.py", "apply", "waivers"),
       ("<frozen importlib._bootstrap>", "_find_and_load", "imports")]


def summarize(prof: Path, top: int) -> None:
    """Rules by cumulative time, named hot spots, then the top functions by own time."""
    import pstats

    stats = pstats.Stats(str(prof))
    data = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_cc, _nc, _tt, ct, _callers) in data.values())
    print(f"\nprofiled total {total:.2f} s (cProfile slows Python code ~3x: read shares, not seconds)\n")
    print("rules (cumulative; the first rule to need a post's analysis pays for it):")
    rules = [(ct, nc, fn) for (file, _line, fn), (_cc, nc, _tt, ct, callers) in data.items()
             if "/snspolicy/rules/" in file and any(c[0].endswith("snspolicy/engine/core.py") and c[2] == "apply"
                                                    for c in callers)]
    for ct, nc, fn in sorted(rules, reverse=True)[:top]:
        print(f"  {ct:7.2f} s {100 * ct / total:5.1f} %  {fn} ({nc} calls)")
    print("\nhot spots (cumulative):")
    for suffix, name, label in HOT:
        hits = [(ct, nc) for (file, _line, fn), (_cc, nc, _tt, ct, _callers) in data.items()
                if fn == name and (file.endswith(suffix) or suffix in file or (suffix.startswith("<") and file == suffix))]
        if suffix == "sudachipy":
            hits = [(ct, nc) for (file, _line, fn), (_cc, nc, _tt, ct, _c) in data.items()
                    if file == "~" and "sudachipy.tokenizer.Tokenizer" in fn]
        if name == "_find_and_load":  # recursive: the outermost calls only
            hits = [max(hits)] if hits else []
        if hits:
            ct = sum(h[0] for h in hits)
            print(f"  {ct:7.2f} s {100 * ct / total:5.1f} %  {label} ({sum(h[1] for h in hits)} calls)")
    stats.sort_stats("tottime").print_stats(top)


def profile(n: int, top: int) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"snspolicy-profile-{n}-"))
    try:
        repo = work / "repo"
        repogen.build_repo(repo, n)
        prof = OUT / f"profile-{n}.prof"
        res = child([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "snspolicy", "lint", ".", "-f", "json",
                     "--today", repogen.TODAY, "--no-cache", "--jobs", "1"], repo)  # cold, in one process
        print(f"whole-repo lint of {n:,} posts under cProfile: {res['seconds']:.2f} s")
        summarize(prof, top)
        print(f"profile kept in {prof} (open with: python -m pstats {prof})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- reporting


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s"


def _sc(r: dict | None) -> str:
    """Wall time and, in brackets, CPU time; a failed run says so."""
    if not r:
        return "—"
    if r.get("files", 0) < 0:
        why = "out of memory" if "out of memory" in r.get("error", "") else f"exit status {r.get('status')}"
        return f"failed ({why}) after {r['seconds']:.0f} s"
    return f"{r['seconds']:.2f} s ({r['cpu']:.2f})"


def table(results: list[dict], meta: dict) -> str:
    head = ("| posts | body chars (median) | snspolicy (CPU) | floor (CPU) | ratio | peak RSS snspolicy / floor "
            "| per post | --jobs 1 | second run (cache) | one file --no-cache (CPU) | one file, cache | one file, "
            "just edited | one file, warm server: cache / just edited | textlint (CPU) | textlint one file |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        sp, fl = r["snspolicy"], r["floor"]
        tl, tl1 = r.get("textlint"), r.get("textlint_one_file")
        lines.append(
            f"| {r['posts']:,} | {r['repo']['body_chars']:,} ({r['repo']['median_chars']:g}) | {_sc(sp)} "
            f"| {_sc(fl)} | {r['ratio']:.1f}× | {sp['rss_mib']:.0f} / {fl['rss_mib']:.0f} MiB "
            f"| {1000 * sp['seconds'] / r['posts']:.2f} ms | {_opt(r.get('serial'))} "
            f"| {_opt(r.get('warm'))}{_share(r)} | {_sc(r['one_file'])} | {_opt(r.get('one_file_cached'))} "
            f"| {_opt(r.get('one_file_edited'))} "
            f"| {_opt(r.get('one_file_server'))} / {_opt(r.get('one_file_server_edited'))} "
            f"| {_sc(tl)} | {_s(tl1['seconds']) if tl1 else '—'} |")
    notes = [(f"Python {meta['python']}, {meta['machine']}, {meta['cpus']} CPUs (load average at start "
              f"{meta['loadavg']}); {meta['textlint']}.")]
    for r in results:
        sp = r["snspolicy"]
        ok = "match the planted violations" if sp.get("findings_match_planted") else "DO NOT match the planted violations"
        notes.append(f"{r['posts']:,} posts: {sum(sp['findings'].values())} findings ({ok}); "
                     f"snspolicy runs {sp['runs']} s, floor runs {r['floor']['runs']} s; one-file runs "
                     f"{r['one_file']['runs']} s (with the cache: {r.get('one_file_cached', {}).get('runs', '—')} s, "
                     f"just edited: {r.get('one_file_edited', {}).get('runs', '—')} s)"
                     + _textlint_note(r.get("textlint")))
    return "\n".join(lines) + "\n\n" + "\n".join(f"* {x}" for x in notes)


def _opt(r: dict | None) -> str:
    return "—" if not r else f"{r['seconds']:.2f} s"


def _share(r: dict) -> str:
    return f" ({100 * r['warm_share']:.0f} %)" if "warm_share" in r else ""


def _textlint_note(tl: dict | None) -> str:
    if not tl:
        return ""
    if tl.get("files", 0) < 0:
        return f"; textlint failed (exit status {tl.get('status')}, peak RSS {tl.get('rss_mib', 0):.0f} MiB)"
    return f"; textlint {tl['messages']} messages, peak RSS {tl['rss_mib']:.0f} MiB"


def memory_slope(results: list[dict]) -> str | None:
    """Peak RSS growth per post between the smallest and the largest size (KiB)."""
    if len(results) < 2:
        return None
    a, b = results[0], results[-1]
    d = (b["snspolicy"]["rss_mib"] - a["snspolicy"]["rss_mib"]) * 1024 / (b["posts"] - a["posts"])
    f = (b["floor"]["rss_mib"] - a["floor"]["rss_mib"]) * 1024 / (b["posts"] - a["posts"])
    return f"{d:.1f} KiB per post (floor {f:.1f} KiB)"


SECTION_START = "<!-- scale:start -->"
SECTION_END = "<!-- scale:end -->"


def write_docs(results: list[dict], meta: dict) -> None:
    sizes = ",".join(str(r["posts"]) for r in results)
    slope = memory_slope(results)
    body = "\n".join([
        SECTION_START,
        "## Scale: whole repo, floor, one file, textlint",
        "",
        f"Measured {meta['date']} with `python benchmarks/run.py --sizes {sizes}`.",
        "",
        table(results, meta),
        *([f"* Peak RSS grows by {slope} between the smallest and the largest repo."] if slope else []),
        SECTION_END,
    ])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if SECTION_START in text and SECTION_END in text:
        a, b = text.index(SECTION_START), text.index(SECTION_END) + len(SECTION_END)
        text = text[:a] + body + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    DOC.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main


def compile_bytecode() -> None:
    """Compile snspolicy's modules as an installation does: with PYTHONDONTWRITEBYTECODE set (or a
    checkout just edited) every run would compile them again and the one-file times would include it."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("snspolicy")
    if spec is not None and spec.origin:
        compileall.compile_dir(os.path.dirname(spec.origin), quiet=1)


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(x.replace("_", "")) for x in text.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes: a comma-separated list of post counts, not {text!r}") from None
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError("--sizes: post counts must be at least 1")
    return sizes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=parse_sizes, default=None, help="comma-separated post counts (default: 500,2000,10000,30000)")
    ap.add_argument("--quick", action="store_true", help="500 and 2,000 posts only")
    ap.add_argument("--repeats", type=int, default=None,
                    help="whole-repo runs of snspolicy and of the floor per size, alternating, best kept (default: 3 up to 10,000 posts, else 2)")
    ap.add_argument("--one-runs", type=int, default=3, help="one-file runs per size, median kept")
    tl = ap.add_mutually_exclusive_group()
    tl.add_argument("--textlint", dest="textlint", action="store_const", const="yes",
                    help="run textlint (installs it with npm into benchmarks/node_modules); default: when node is installed")
    tl.add_argument("--no-textlint", dest="textlint", action="store_const", const="no")
    ap.add_argument("--keep", type=Path, help="keep the generated repos in this folder")
    ap.add_argument("--write-docs", action="store_true", help="replace the Scale section of docs/performance.md")
    ap.add_argument("--profile", type=int, metavar="N", help="profile the whole-repo lint of an N-post repo instead")
    ap.add_argument("--top", type=int, default=40, help="rows of the profile to print")
    ap.add_argument("--from-json", type=Path, help="do not measure: print (and --write-docs) results saved earlier")
    args = ap.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        print(table(saved["results"], saved["meta"]))
        if args.write_docs:
            write_docs(saved["results"], saved["meta"])
        return 0

    compile_bytecode()
    if args.profile:
        return profile(args.profile, args.top)
    sizes = args.sizes or (QUICK_SIZES if args.quick else ALL_SIZES)
    use_textlint, note = textlint_ready(args.textlint or "auto")
    if args.textlint == "yes" and not use_textlint:
        print(f"textlint: {note}", file=sys.stderr)
        return 2
    meta = {"date": dt.date.today().isoformat(), "python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "loadavg": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
            "textlint": note if use_textlint else f"textlint {note}", "today": repogen.TODAY}
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results = []
    for n in sizes:
        print(f"{n:,} posts …", file=sys.stderr)
        repeats = args.repeats or (3 if n <= 10_000 else 2)
        r = measure(n, max(1, repeats), max(1, args.one_runs), use_textlint, args.keep)
        results.append(r)
        print(table([r], meta).split("\n\n")[0] + "\n", flush=True)
    print(table(results, meta))
    slope = memory_slope(results)
    if slope:
        print(f"* Peak RSS grows by {slope}.")
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    data = {"meta": meta, "results": results}
    for name in (f"run-{stamp}.json", "latest.json"):
        (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {OUT / f'run-{stamp}.json'}", file=sys.stderr)
    if args.write_docs:
        write_docs(results, meta)
    bad = [r["posts"] for r in results if not r["snspolicy"].get("findings_match_planted")]
    if bad:
        print(f"warning: findings differ from the planted violations at {bad} posts (see the JSON)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
