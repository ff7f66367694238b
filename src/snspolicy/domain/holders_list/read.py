"""Reading a committed 一覧表 (clause 4(5)) back: CSV, Markdown and XLSX readers.

Each reader turns a file's bytes into a :class:`Table` (the header row and the
data rows with their line or row numbers) or raises :class:`Unreadable` with a
short reason code. The header row is found by its texts (Japanese or English
headers of :data:`.table.COLUMNS`), so a title, an as-of line or notes above the
table do not matter. ``openpyxl`` is imported only when an XLSX file is read.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from snspolicy.domain.holders_list.table import COLUMNS

__all__ = [
    "HEADER_INDEX",
    "Table",
    "Unreadable",
    "looks_like_header",
    "norm_header",
    "read_csv",
    "read_markdown",
    "read_table",
    "read_xlsx",
]


@dataclass
class Table:
    """A table read from a committed 一覧表, with the line (CSV/Markdown) or row (XLSX) of each row."""

    headers: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]  # (line or row number, cells)
    fmt: str  # csv | xlsx | md
    lossy_encoding: str | None = None  # "cp932" when expected values must be round-tripped


class Unreadable(Exception):
    """The file cannot be read as a 一覧表; ``str(exc)`` is the reason code
    (``format``, ``encoding``, ``binary``, ``csv``, ``xlsx``, ``no-sheet``, ``no-header``,
    ``openpyxl-missing``)."""


def norm_header(h: str) -> str:
    """A header text normalized for matching: NFKC, no whitespace, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", h or "")).lower()


#: normalized header text (Japanese or English) -> column key
HEADER_INDEX: dict[str, str] = {}
for _c in COLUMNS:
    HEADER_INDEX[norm_header(_c.ja)] = _c.key
    HEADER_INDEX[norm_header(_c.en)] = _c.key


def looks_like_header(cells: Sequence[str]) -> bool:
    """A row naming at least half of the 一覧表's columns, including ID or account name."""
    keys = {HEADER_INDEX.get(norm_header(c)) for c in cells} - {None}
    return len(keys) >= max(3, len(COLUMNS) // 2) and ("id" in keys or "handle" in keys)


def _cell_str(v: Any) -> str:
    """An XLSX cell value as text (dates as ISO 8601, whole floats without ``.0``)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if not (v.hour or v.minute or v.second) else v.isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_csv(data: bytes) -> Table:
    """A CSV file: UTF-8 (with or without BOM) or cp932 (Shift_JIS, then ``lossy_encoding``)."""
    lossy = None
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp932")
                lossy = "cp932"
            except UnicodeDecodeError:
                raise Unreadable("encoding") from None
    if "\0" in text:
        raise Unreadable("binary")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if header is None:
                if looks_like_header(cells):
                    header, header_line = cells, line
                continue
            rows.append((line, cells))
    except csv.Error:
        raise Unreadable("csv") from None
    if header is None:
        raise Unreadable("no-header")
    return Table(header, header_line, rows, "csv", lossy)


def _split_md_row(line: str) -> list[str]:
    """The cells of one Markdown table line (``\\|`` and ``\\\\`` unescaped)."""
    s = line.strip()
    s = s.removeprefix("|")
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] in "\\|":
            cur.append(s[i + 1])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append("".join(cur).strip())
    return cells


_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")


def read_markdown(data: bytes) -> Table:
    """The first Markdown table whose header names the 一覧表's columns."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("encoding") from None
    lines = text.splitlines()
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if header is None:
            if stripped.startswith("|"):
                cells = _split_md_row(stripped)
                if looks_like_header(cells):
                    header, header_line = cells, n
            continue
        if not stripped.startswith("|"):
            if rows or n > header_line + 1:
                break
            continue
        if _MD_SEPARATOR.match(stripped):
            continue
        rows.append((n, _split_md_row(stripped)))
    if header is None:
        raise Unreadable("no-header")
    return Table(header, header_line, rows, "md")


def read_xlsx(data: bytes) -> Table:
    """The first worksheet of a workbook (header row searched in the first 50 rows)."""
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover
        raise Unreadable("openpyxl-missing") from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any broken workbook is "unreadable"
        raise Unreadable("xlsx") from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise Unreadable("no-sheet")
        header: list[str] | None = None
        header_line = 0
        rows: list[tuple[int, list[str]]] = []
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_str(v) for v in values]
            if header is None:
                if looks_like_header(cells):
                    header, header_line = cells, r
                elif r > 50:
                    break
                continue
            rows.append((r, cells))
    except Unreadable:
        raise
    except Exception:  # noqa: BLE001
        raise Unreadable("xlsx") from None
    finally:
        with contextlib.suppress(Exception):
            wb.close()
    if header is None:
        raise Unreadable("no-header")
    while header and header[-1] == "":
        header.pop()
    return Table(header, header_line, rows, "xlsx")



def read_table(suffix: str, data: bytes) -> Table:
    """Read ``data`` by the file name's ``suffix`` (``.csv``, ``.xlsx``/``.xlsm``, ``.md``/``.markdown``).

    Raises :class:`Unreadable` (``format`` for any other suffix).
    """
    suffix = suffix.lower()
    if suffix == ".csv":
        return read_csv(data)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data)
    if suffix in (".md", ".markdown"):
        return read_markdown(data)
    raise Unreadable("format")
