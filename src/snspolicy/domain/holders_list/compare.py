"""Comparing a committed 一覧表 (clause 4(5)) with what the account files say now.

:func:`check` reads a committed copy (CSV, XLSX or Markdown, see :mod:`.read`),
builds the expected table from the account mappings (:mod:`.table`) and returns
the :class:`Difference` list; it never raises for a bad file.

Staff names are personal data, so values of the name columns in a
:class:`Difference` are masked unless the caller asks otherwise. 番号 is not
compared, cell values are compared after normalizing whitespace, date spelling
and the CSV formula quote, and a copy re-saved by Excel still matches.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snspolicy.domain.holders_list.read import HEADER_INDEX, Table, Unreadable, norm_header, read_table
from snspolicy.domain.holders_list.table import COLUMNS, FORMULA_START, Column, build_rows, clean, lang_code

__all__ = ["Difference", "check"]


@dataclass(frozen=True)
class Difference:
    """One way in which a committed registry differs from the account files.

    ``kind`` is one of: ``value`` (a cell differs), ``missing-row`` (an account
    is not in the committed file), ``extra-row`` (the file lists an account that
    has no account file), ``duplicate-row``, ``missing-column``, ``extra-column``,
    ``unreadable`` (the file cannot be read or has no recognizable table; then
    it is the only difference). ``key`` is the account id, or
    ``(platform, account name)`` when the file has no ID column; ``column`` is the
    header text in the requested language (``""`` when not about one column).
    ``committed``/``expected`` are cell texts; values of staff-name columns are
    masked unless ``check(..., reveal_names=True)``. ``line`` is the 1-based line
    (CSV/Markdown) or row (XLSX); ``cell`` is an A1 reference for XLSX;
    ``location`` is a human-readable form of these (``line 5`` or ``F3``).
    """

    kind: str
    key: str | tuple[str, str]
    column: str
    committed: str | None
    expected: str | None
    line: int
    location: str
    cell: str | None = None
    column_key: str = ""
    detail: str = ""  # for ``unreadable``: what is wrong (no file contents)


_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _norm_value(v: str) -> str:
    """Normalize a cell for comparison: whitespace, CSV formula quote, date spelling."""
    v = clean(v or "")
    if v.startswith("'") and v[1:].startswith(FORMULA_START):
        v = v[1:]
    m = _DATE_RE.match(v)
    if m:
        try:
            v = _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    return v


_TITLE_SUFFIXES = ("長", "主幹", "補佐", "官", "参事", "manager", "Manager", "head", "Head", "director", "Director")


def _mask_names(value: str | None) -> str | None:
    """Mask staff names, keeping departments in brackets and a leading job title.

    ``佐藤 花子（広報広聴課）、鈴木 一郎`` -> ``佐＊ ＊＊（広報広聴課）、鈴＊ ＊＊``;
    ``広報広聴課長 山田 太郎`` -> ``広報広聴課長 山＊ ＊＊``. Only the first character of a
    name is kept, so the value cannot be recovered from the output.
    """
    if not value:
        return value
    out: list[str] = []
    for item in re.split(r"(、|, )", value):
        if item in ("、", ", "):
            out.append(item)
            continue
        m = re.match(r"^(.*?)((?:[（(][^）)]*[）)])?)$", item)
        name, dept = (m[1], m[2]) if m else (item, "")
        words = name.split(" ")
        if len(words) > 1 and words[0].endswith(_TITLE_SUFFIXES):
            prefix, words = [words[0]], words[1:]
        else:
            prefix = []
        masked: list[str] = []
        first = True
        for w in words:
            if not w:
                continue
            masked.append((w[0] + "＊" * (len(w) - 1)) if first else "＊" * len(w))
            first = False
        out.append(" ".join(prefix + masked) + dept)
    return "".join(out)


def _unreadable(path: Path, detail: str) -> list[Difference]:
    return [Difference("unreadable", "", "", None, None, 1, "line 1", None, "", detail)]



def check(committed_path: Path, accounts: list[dict], lang: str = "ja", *, reveal_names: bool = False) -> list[Difference]:
    """Compare a committed registry (.csv/.xlsx/.md) with what ``accounts`` give now.

    Cell values are compared after normalizing whitespace, date spelling
    (``2025/4/1`` equals ``2025-04-01``) and the CSV formula quote; 番号 is not
    compared. A file written in the other language (headers and values) is
    compared in its own language; ``Difference.column`` is always in ``lang``.
    Never raises for a bad
    file: it returns one ``unreadable`` difference whose ``detail`` is one of
    ``not-found``, ``format``, ``encoding``, ``binary``, ``csv``, ``xlsx``,
    ``no-sheet``, ``no-header``, ``openpyxl-missing``.
    """
    lang = lang_code(lang)
    path = Path(committed_path)
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError:
        return _unreadable(path, "not-found")
    try:
        table = read_table(suffix, data)
    except Unreadable as exc:
        return _unreadable(path, str(exc))
    except Exception:  # noqa: BLE001 - never crash on a malformed file
        return _unreadable(path, "format")
    return _compare(table, accounts, lang, reveal_names)


def _loc(table: Table, line: int, col_index: int | None) -> tuple[str, str | None]:
    if table.fmt == "xlsx":
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter((col_index or 0) + 1)}{line}"
        return cell, cell
    return f"line {line}", None


def _file_lang(headers: Sequence[str], default: str) -> str:
    """The language a committed table was written in, judged by its headers."""
    norm = {norm_header(h) for h in headers}
    ja = sum(norm_header(c.ja) in norm for c in COLUMNS)
    en = sum(norm_header(c.en) in norm for c in COLUMNS)
    return default if ja == en else ("ja" if ja > en else "en")


def _compare(table: Table, accounts: list[dict], lang: str, reveal: bool) -> list[Difference]:
    diffs: list[Difference] = []
    # values are compared in the file's own language; differences are named in ``lang``
    _, exp_rows = build_rows(accounts, _file_lang(table.headers, lang))
    col_index: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        hkey = HEADER_INDEX.get(norm_header(h))
        if hkey is None:
            if h.strip():
                loc, cell = _loc(table, table.header_line, i)
                diffs.append(Difference("extra-column", "", h.strip(), h.strip(), None, table.header_line, loc, cell))
            continue
        col_index.setdefault(hkey, i)
    for c in COLUMNS:
        if c.key not in col_index and c.compared:
            loc, cell = _loc(table, table.header_line, None)
            diffs.append(Difference("missing-column", "", c.header(lang), None, c.header(lang), table.header_line, loc, cell, c.key))

    def exp_value(v: str) -> str:
        if table.lossy_encoding:
            v = v.encode(table.lossy_encoding, errors="replace").decode(table.lossy_encoding)
        return _norm_value(v)

    keys_by_id = "id" in col_index
    pos = {c.key: j for j, c in enumerate(COLUMNS)}

    def key_of(values: dict[str, str]) -> str | tuple[str, str]:
        if keys_by_id:
            return values.get("id", "")
        return (values.get("platform", ""), values.get("handle", ""))

    expected: dict[Any, dict[str, str]] = {}
    for row in exp_rows:
        vals = {c.key: exp_value(row[pos[c.key]]) for c in COLUMNS}
        expected.setdefault(key_of(vals), vals)

    def show(col: Column, v: str | None) -> str | None:
        return v if reveal or not col.personal else _mask_names(v)

    seen: dict[Any, int] = {}
    for line, cells in table.rows:
        vals = {k: _norm_value(cells[i]) if i < len(cells) else "" for k, i in col_index.items()}
        if not any(vals.values()):
            continue
        key = key_of(vals)
        if key in ("", ("", "")):
            if keys_by_id and (vals.get("platform") or vals.get("handle")):
                key = (vals.get("platform", ""), vals.get("handle", ""))
            else:
                continue  # a footnote or a note below the table
        first_idx = col_index.get("id", col_index.get("handle", 0))
        if key in seen:
            loc, cell = _loc(table, line, first_idx)
            diffs.append(Difference("duplicate-row", key, "", None, None, line, loc, cell))
            continue
        seen[key] = line
        exp = expected.get(key)
        if exp is None:
            loc, cell = _loc(table, line, first_idx)
            diffs.append(Difference("extra-row", key, "", None, None, line, loc, cell))
            continue
        for c in COLUMNS:
            if not c.compared or c.key not in col_index:
                continue
            got, want = vals[c.key], exp[c.key]
            if got != want:
                loc, cell = _loc(table, line, col_index[c.key])
                diffs.append(Difference("value", key, c.header(lang), show(c, got), show(c, want), line, loc, cell, c.key))
    last_line = table.rows[-1][0] if table.rows else table.header_line
    for key, exp in expected.items():
        if key not in seen:
            loc, cell = _loc(table, last_line, col_index.get("id", 0))
            diffs.append(Difference("missing-row", key, "", None, None, last_line, loc, cell))
    return diffs
