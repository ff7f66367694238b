"""Positions: snspolicy's 1-based line / code-point column ↔ LSP's 0-based line / code-unit character.

A :class:`~snspolicy.model.Finding` counts columns in Unicode code points, from 1, with an
exclusive end. LSP counts lines from 0 and characters in the negotiated *position
encoding*'s code units: UTF-16 by default (a character outside the Basic Multilingual
Plane, such as 𠮷 or an emoji, is two units), or UTF-8 bytes / UTF-32 code points when the
client offers them. This module converts both ways for one line of text and knows nothing
about LSP types, so it is tested on its own.

Lines: snspolicy reads a file with ``\\r\\n`` and ``\\r`` turned into ``\\n`` and a UTF-8 BOM
dropped; an editor's buffer keeps them. :func:`split_lines` splits the buffer the way LSP
counts lines (``\\n``, ``\\r\\n`` and ``\\r`` all end a line), so line numbers agree, and
:class:`LineIndex` adds the BOM back on the first line.
"""

from __future__ import annotations

import re

UTF16 = "utf-16"
UTF8 = "utf-8"
UTF32 = "utf-32"

_LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line ends, as LSP numbers them (always at least one)."""
    return _LINE_END.split(text)


def _units(ch: str, encoding: str) -> int:
    cp = ord(ch)
    if encoding == UTF8:
        return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
    if encoding == UTF32:
        return 1
    return 2 if cp > 0xFFFF else 1


def to_units(line: str, column: int, encoding: str = UTF16) -> int:
    """Code-unit offset of code-point offset ``column`` (0-based) in ``line``; clamped to the line."""
    column = max(0, min(column, len(line)))
    if encoding == UTF32:
        return column
    head = line[:column]
    if encoding == UTF8:
        return len(head.encode("utf-8", "surrogatepass"))
    return column + sum(1 for ch in head if ord(ch) > 0xFFFF)


def from_units(line: str, units: int, encoding: str = UTF16) -> int:
    """Code-point offset (0-based) of code-unit offset ``units`` in ``line``.

    An offset in the middle of a character (between the two halves of a UTF-16 surrogate
    pair) falls back to the start of that character; past the end it is the line's length."""
    if units <= 0:
        return 0
    if encoding == UTF32:
        return min(units, len(line))
    n = 0
    for i, ch in enumerate(line):
        n += _units(ch, encoding)
        if n > units:
            return i
        if n == units:
            return i + 1
    return len(line)


class LineIndex:
    """The lines of one buffer, for converting many positions in it."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines = split_lines(text)
        self.encoding = encoding
        self.bom = 1 if text.startswith("\ufeff") else 0

    def to_lsp(self, line: int, column: int) -> tuple[int, int]:
        """snspolicy (1-based line, 1-based code-point column) → LSP (0-based line, code units).

        Out-of-range positions are clamped into the buffer (a finding is never dropped for it)."""
        row = max(0, line - 1)
        if row >= len(self.lines):
            row = len(self.lines) - 1
            return row, to_units(self.lines[row], len(self.lines[row]), self.encoding)
        col = max(0, column - 1) + (self.bom if row == 0 else 0)
        return row, to_units(self.lines[row], col, self.encoding)

    def from_lsp(self, row: int, character: int) -> tuple[int, int]:
        """LSP (0-based line, code units) → snspolicy (1-based line, 1-based code-point column)."""
        row = max(0, min(row, len(self.lines) - 1))
        col = from_units(self.lines[row], character, self.encoding) - (self.bom if row == 0 else 0)
        return row + 1, max(0, col) + 1

    def line_length(self, row: int) -> int:
        """Length of LSP line ``row`` in code units."""
        if not 0 <= row < len(self.lines):
            return 0
        return to_units(self.lines[row], len(self.lines[row]), self.encoding)

    @property
    def end(self) -> tuple[int, int]:
        """LSP position of the end of the buffer."""
        return len(self.lines) - 1, self.line_length(len(self.lines) - 1)
