"""split_front_matter finds its closing line with one pattern search: the same answer as reading
the front matter line by line (the way it was written first, kept here as the reference)."""

from __future__ import annotations

import random

from snspolicy.io.documents import split_front_matter


def _by_lines(text: str) -> tuple[str, int, str, int] | None:
    nl = text.find("\n")
    if (text if nl < 0 else text[:nl]).rstrip() != "---":
        return None
    start = nl + 1
    pos = start
    while nl >= 0:
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        if text[pos:end].rstrip() in ("---", "..."):
            body_offset = min(end + 1, len(text))
            return text[start:pos - 1] if pos > start else "", 1, text[body_offset:], body_offset
        pos = end + 1
    return None


# white space of every kind str.rstrip() knows, line breaks other than \n, look-alikes that are not
# white space, and the characters of the markers themselves
PIECES = ["---", "...", "--", "..", "-", ".", "\n", "\n", "\n", " ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85",
          "\u3000", "\u2028", "\u2029", "\u00a0", "\u200b", "\ufeff", "ー", "－", "a: 1", "本文", "#"]


def test_the_same_split_as_line_by_line():
    rng = random.Random(20261205)
    texts = ["", "---", "---\n", "---\n---", "---\n...", "---\n---\n", "---\na: 1\n---\nbody", "--- \na: 1\n... \t\n",
             "---\na: 1\n----\n---\n", "---\n\n---\n\n", "---\na: 1\n---\u3000\nbody", "---\na: 1\n---\u2028\n"]
    for _ in range(20000):
        texts.append("---" + rng.choice(["", " ", "\t", "\u3000"]) + "\n"
                     + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))))
        texts.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10))))
    for text in texts:
        assert split_front_matter(text) == _by_lines(text), repr(text)
