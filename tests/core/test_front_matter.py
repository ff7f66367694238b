"""Splitting a post into front matter and body (snspolicy.io.documents.split_front_matter) looks
only at the front matter's lines, with the same result as splitting the whole text into lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.io.documents import split_front_matter


def _split_front_matter_by_lines(text: str) -> tuple[str, int, str, int] | None:
    """The former implementation: every line of the text."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    offset = len(lines[0]) + 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            body_offset = min(offset + sum(len(line) + 1 for line in lines[1:i + 1]), len(text))
            return "\n".join(lines[1:i]), 1, text[body_offset:], body_offset
    return None


def test_a_post():
    text = "---\nid: a\ntitle: t\n---\n本文です。\n---\n"
    assert split_front_matter(text) == ("id: a\ntitle: t", 1, "本文です。\n---\n", 23)
    assert split_front_matter("---\n---") == ("", 1, "", 7)
    assert split_front_matter("本文\n---\n") is None
    assert split_front_matter("---\nid: a\n") is None  # never closed


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["---", "...", "-", ".", "\n", " ", "\r", "\t", "a: 1", "本文", "\u3000"]),
                max_size=16).map("".join))
def test_front_matter_is_split_as_line_by_line(text: str) -> None:
    assert split_front_matter(text) == _split_front_matter_by_lines(text)
