"""The floor of a whole-repo lint: what any linter of these posts must at least do.

Run: ``python benchmarks/floor.py REPO`` (benchmarks/run.py runs it in a child
process, like snspolicy, and measures its wall time and peak RSS).

For every ``posts/**/*.md`` of REPO: read the bytes, decode UTF-8, split the
YAML front matter from the body, parse the front matter with the loader
snspolicy uses (PyYAML's C ``CSafeLoader``), and tokenize the body with the
analyzer snspolicy uses (SudachiPy, ``core`` dictionary, split mode C). Nothing
else: no schema, no rule, no per-word Python object. Start-up (interpreter,
imports, loading the dictionary) is included, as it is in snspolicy's time.

Prints one line of JSON: files, body characters, morphemes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from sudachipy import Dictionary, SplitMode


def split(text: str) -> tuple[str, str]:
    """(front matter, body); ("", text) when there is none."""
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 3)
    if end < 0:
        return "", text
    return text[4:end], text[end + 5:]


def main(root: Path) -> dict:
    dictionary = Dictionary(dict="core")
    make = getattr(dictionary, "tokenizer", None) or dictionary.create  # create() before SudachiPy 0.6.9
    tokenizer = make(mode=SplitMode.C)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = chars = morphemes = 0
    for path in sorted((root / "posts").rglob("*.md")):
        front, body = split(path.read_bytes().decode("utf-8"))
        yaml.load(front, Loader=loader)
        morphemes += len(tokenizer.tokenize(body))
        files += 1
        chars += len(body)
    return {"files": files, "body_chars": chars, "morphemes": morphemes}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: floor.py REPO")
    print(json.dumps(main(Path(sys.argv[1]))))
