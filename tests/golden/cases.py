"""The outputs recorded as golden files: every lint format in both languages on the two
example repos, plus the catalogue commands. ``python tests/golden/cases.py --record``
re-records them (do that only in a commit that means to change the output)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = ROOT / "examples"
TODAY = "2026-01-15"
FORMATS = ("text", "json", "sarif", "github", "markdown", "junit")


def cases() -> list[tuple[str, list[str], Path]]:
    out: list[tuple[str, list[str], Path]] = []
    for repo in ("ube-city-posts", "ube-city-posts-violations"):
        for lang in ("ja", "en"):
            for fmt in FORMATS:
                out.append((f"{repo}.{lang}.{fmt}", ["lint", "--today", TODAY, "--lang", lang, "-f", fmt, "--no-color"],
                            EXAMPLES / repo))
    for lang in ("ja", "en"):
        out.append((f"rules.{lang}.json", ["rules", "-f", "json", "--lang", lang], EXAMPLES / "ube-city-posts"))
        out.append((f"explain.{lang}.txt", ["explain", "pii-phone", "--lang", lang], EXAMPLES / "ube-city-posts"))
    return out


def run(args: list[str], cwd: Path) -> tuple[int, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNSPOLICY_")}
    env["COLUMNS"] = "100"
    env["SNSPOLICY_NO_CACHE"] = "1"  # the examples are linted in place: leave them as checked in
    proc = subprocess.run([sys.executable, "-m", "snspolicy", *args], cwd=cwd, env=env, capture_output=True, timeout=600)
    return proc.returncode, proc.stdout


def record() -> None:
    for name, args, cwd in cases():
        code, out = run(args, cwd)
        (HERE / "out" / name).parent.mkdir(parents=True, exist_ok=True)
        (HERE / "out" / name).write_bytes(f"exit={code}\n".encode() + out)
        print(name, code)


if __name__ == "__main__":
    if "--record" in sys.argv:
        record()
