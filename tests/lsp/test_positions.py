"""snspolicy positions (1-based, code points) ↔ LSP positions (0-based, UTF-16 / UTF-8 / UTF-32 units)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from snspolicy.lsp.positions import UTF8, UTF16, UTF32, LineIndex, from_units, split_lines, to_units

KANJI_NON_BMP = "\U00020bb7"  # 𠮷 (two UTF-16 units, four UTF-8 bytes)
EMOJI = "\U0001F600"


def test_ascii_and_bmp_count_one_unit_per_character():
    assert to_units("abc", 2) == 2
    assert to_units("日本語です", 3) == 3
    assert to_units("日本語です", 3, UTF8) == 9


def test_non_bmp_characters_count_two_utf16_units():
    line = f"{KANJI_NON_BMP}野家 090-1234-5678 {EMOJI}!"
    # "090" starts at code point 4, i.e. after 𠮷(2) 野(1) 家(1) space(1) = 5 UTF-16 units
    assert line.index("090") == 4
    assert to_units(line, 4) == 5
    assert to_units(line, 4, UTF8) == 4 + 3 + 3 + 1
    assert to_units(line, 4, UTF32) == 4
    end = line.index("!")
    assert to_units(line, end) == end + 2  # two non-BMP characters before it
    assert from_units(line, 5) == 4
    assert from_units(line, to_units(line, end)) == end


def test_a_position_inside_a_surrogate_pair_falls_back_to_the_character_start():
    line = f"a{EMOJI}b"
    assert from_units(line, 2) == 1  # between the two halves of the emoji
    assert from_units(line, 3) == 2
    assert from_units(line, 99) == 3
    assert from_units(line, -1) == 0


def test_columns_are_clamped_to_the_line():
    assert to_units("abc", 10) == 3
    assert to_units("abc", -2) == 0


@given(st.text(max_size=40), st.data())
def test_utf16_matches_the_real_encoding(line, data):
    col = data.draw(st.integers(0, len(line)))
    units = len(line[:col].encode("utf-16-le", "surrogatepass")) // 2
    assert to_units(line, col) == units
    assert from_units(line, units) == col
    assert to_units(line, col, UTF8) == len(line[:col].encode("utf-8", "surrogatepass"))
    assert from_units(line, to_units(line, col, UTF8), UTF8) == col


def test_lines_split_like_lsp_on_every_line_end():
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("") == [""]
    assert split_lines("a\n") == ["a", ""]


def test_line_index_converts_findings_both_ways():
    text = f"---\r\nid: x\r\n---\r\n{KANJI_NON_BMP}の電話 090-1234-5678\r\n"
    idx = LineIndex(text)
    # a finding at line 4, columns 6..19 (code points, 1-based, end exclusive)
    assert idx.to_lsp(4, 6) == (3, 6)  # 𠮷 is two units: column 5 (0-based code points) → 6 units
    assert idx.to_lsp(4, 19) == (3, 19)
    assert idx.from_lsp(3, 6) == (4, 6)
    assert idx.to_lsp(99, 1) == (4, 0)  # past the end: clamped to the last line
    assert idx.end == (4, 0)
    assert idx.line_length(3) == 19


def test_a_bom_kept_by_the_editor_shifts_the_first_line():
    idx = LineIndex("\ufeffabc\ndef")
    assert idx.to_lsp(1, 1) == (0, 1)
    assert idx.from_lsp(0, 1) == (1, 1)
    assert idx.to_lsp(2, 1) == (1, 0)


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_round_trip_in_every_encoding(encoding):
    text = f"x{EMOJI}y\n日本{KANJI_NON_BMP}z"
    idx = LineIndex(text, encoding)
    for line, length in ((1, 3), (2, 4)):
        for col in range(1, length + 2):
            assert idx.from_lsp(*idx.to_lsp(line, col)) == (line, col)
