"""The 一覧表 (clause 4(5)) written out: CSV, Markdown and XLSX exporters.

Every exporter builds the table with :func:`.table.build_rows` and returns the
file's bytes (Markdown: text); :func:`render` picks the format from a file name.

* CSV cells that Excel would read as a formula (leading ``= + - @``, e.g. the
  handle ``@ube_city``) get a leading ``'`` (OWASP "CSV injection" advice); the
  comparison in :mod:`.compare` ignores that quote.
* XLSX output needs ``openpyxl``, imported only when an XLSX file is written. It
  is byte-for-byte deterministic for the same input and ``as_of`` (fixed document
  timestamps and ZIP entry times); the comparison reads cell values anyway, so a
  copy re-saved by Excel still matches.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import zipfile
from pathlib import Path
from typing import Any

from snspolicy.domain.holders_list.table import (
    AS_OF_LABEL,
    COLUMNS,
    FORMULA_START,
    TITLE,
    build_rows,
    cell_text,
    display_width,
    lang_code,
)

__all__ = ["export_csv", "export_markdown", "export_xlsx", "render"]


def _csv_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def export_csv(accounts: list[dict], lang: str = "ja", encoding: str = "utf-8-sig") -> bytes:
    """The 一覧表 as CSV bytes (CRLF line ends, header row then one row per account).

    ``encoding`` is ``utf-8-sig`` (UTF-8 with BOM, so that Excel shows Japanese
    correctly) or ``cp932`` (Shift_JIS as saved by Japanese Excel); characters
    that cp932 cannot encode become ``?`` (:func:`.compare.check` knows this).
    """
    enc = _csv_encoding(encoding)
    headers, rows = build_rows(accounts, lang)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue().encode(enc, errors="replace")


def _csv_encoding(encoding: str | None) -> str:
    e = (encoding or "utf-8-sig").lower().replace("_", "-")
    if e in ("cp932", "shift-jis", "shift_jis", "sjis", "ms932", "windows-31j"):
        return "cp932"
    if e in ("utf-8", "utf8"):
        return "utf-8"
    return "utf-8-sig"


def _md_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def export_markdown(accounts: list[dict], lang: str = "ja", as_of: _dt.date | None = None) -> str:
    """The 一覧表 as a Markdown document: a title, an optional as-of line, one table."""
    lang = lang_code(lang)
    headers, rows = build_rows(accounts, lang)
    lines = [f"# {TITLE[lang]}", ""]
    if as_of is not None:
        sep = "：" if lang == "ja" else ": "
        lines += [f"{AS_OF_LABEL[lang]}{sep}{cell_text(as_of)}", ""]
    lines.append("| " + " | ".join(_md_escape(h) for h in headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        lines.append("| " + " | ".join(_md_escape(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


_XLSX_FIXED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
_XLSX_HEADER_ROW = 3
_LINE_HEIGHT = 15  # points per wrapped line (11 pt text)
_MIN_COL_WIDTH = 6


def export_xlsx(accounts: list[dict], lang: str = "ja", as_of: _dt.date | None = None) -> bytes:
    """The 一覧表 as an Excel workbook (requires ``openpyxl``).

    Row 1: title; row 2: 作成日 (``as_of``, blank when None); row 3: bold header
    (frozen, repeated on every printed page); data from row 4. Column widths fit
    Japanese text, cells wrap, page setup is A4 landscape fitted to one page wide.
    The same input and ``as_of`` give the same bytes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    lang = lang_code(lang)
    headers, rows = build_rows(accounts, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "一覧表" if lang == "ja" else "Registry"

    ws.cell(row=1, column=1, value=TITLE[lang]).font = Font(bold=True, size=14)
    if as_of is not None:
        sep = "：" if lang == "ja" else ": "
        ws.cell(row=2, column=1, value=f"{AS_OF_LABEL[lang]}{sep}{cell_text(as_of)}")

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row=_XLSX_HEADER_ROW, column=j, value=h)
        c.data_type = "s"
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.border = border
        c.fill = header_fill
    for i, row in enumerate(rows, start=_XLSX_HEADER_ROW + 1):
        for j, v in enumerate(row, start=1):
            if j == 1 and v.isdigit():
                c = ws.cell(row=i, column=j, value=int(v))
            else:
                c = ws.cell(row=i, column=j, value=v)
                c.data_type = "s"  # never a formula, even for "=..." or "@..."
            c.alignment = wrap
            c.border = border

    widths: list[int] = []
    for j, (col, h) in enumerate(zip(COLUMNS, headers), start=1):
        # fit the longest cell (wide characters count 2) up to the column's cap;
        # longer texts and headers wrap
        longest = max([display_width(r[j - 1]) for r in rows] + [min(display_width(h), 8)])
        width = min(max(longest + 2, _MIN_COL_WIDTH), col.max_width)
        widths.append(width)
        ws.column_dimensions[get_column_letter(j)].width = width
    # openpyxl cannot auto-fit row heights: estimate the wrapped line count
    for i, row in enumerate([headers] + rows, start=_XLSX_HEADER_ROW):
        lines = max(-(-display_width(v) // max(w - 2, 1)) for v, w in zip(row, widths)) if row else 1
        ws.row_dimensions[i].height = _LINE_HEIGHT * max(lines, 1)

    ws.freeze_panes = ws.cell(row=_XLSX_HEADER_ROW + 1, column=1).coordinate
    ws.print_title_rows = f"{_XLSX_HEADER_ROW}:{_XLSX_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "&P / &N"
    if rows:
        ws.auto_filter.ref = f"A{_XLSX_HEADER_ROW}:{get_column_letter(len(headers))}{_XLSX_HEADER_ROW + len(rows)}"

    wb.properties.creator = "snspolicy"
    wb.properties.title = TITLE[lang]
    stamp = (
        _dt.datetime.combine(as_of, _dt.time()) if isinstance(as_of, _dt.date) and not isinstance(as_of, _dt.datetime) else _XLSX_FIXED_TIME
    )
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return _deterministic_zip(_save_workbook(wb))


def _save_workbook(wb: Any) -> bytes:
    """Save without openpyxl's ``save_workbook`` (which stamps ``modified`` with now)."""
    buf = io.BytesIO()
    try:
        from openpyxl.writer.excel import ExcelWriter

        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()
    except ImportError:  # pragma: no cover - openpyxl internals moved
        buf = io.BytesIO()
        wb.save(buf)
    return buf.getvalue()


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed entry timestamps so identical content gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def render(path: str | Path, accounts: list[dict], lang: str = "ja", as_of: _dt.date | None = None, encoding: str | None = None) -> bytes:
    """Export in the format given by ``path``'s extension (.csv, .xlsx, .md/.markdown).

    Raises ``ValueError`` for any other extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return export_csv(accounts, lang, encoding or "utf-8-sig")
    if suffix in (".xlsx", ".xlsm"):
        return export_xlsx(accounts, lang, as_of)
    if suffix in (".md", ".markdown"):
        return export_markdown(accounts, lang, as_of).encode("utf-8")
    raise ValueError(f"unsupported registry format: {suffix or '(none)'} (use .csv, .xlsx or .md)")
