"""Clause 4(5): the 「ソーシャルメディア アカウント管理担当者一覧表」 (account registry).

The registry is *generated* from the account files (``accounts/*.yaml``, already
parsed into dicts); a copy committed to the posts repo (CSV, XLSX or Markdown)
must match what the account files say now. This module builds the table,
exports it in the three formats and compares a committed copy with the
expected one.

Only non-secret data is ever put into the registry: the ``security.password``
block is never read. Staff names are personal data, so :class:`Difference`
values of the name columns are masked unless the caller asks otherwise.

Design notes (see docs/dependencies-clause4.md):

* Rows are sorted by platform (in the SPEC's order) then account id; 番号 is the
  1-based position after sorting and is *not* compared by :func:`check`
  (adding an account would otherwise shift every number after it).
* Cell values are single-line: newlines and runs of whitespace collapse to one
  space, so CSV/Markdown lines map one-to-one to rows.
* CSV cells that Excel would read as a formula (leading ``= + - @``, e.g. the
  handle ``@ube_city``) get a leading ``'`` (OWASP "CSV injection" advice);
  :func:`check` ignores that quote.
* XLSX output is byte-for-byte deterministic for the same input and ``as_of``
  (fixed document timestamps and ZIP entry times), but :func:`check` compares
  cell values anyway so that a copy re-saved by Excel still matches.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "COLUMNS",
    "PLATFORM_NAMES",
    "TITLE",
    "Column",
    "Difference",
    "build_rows",
    "check",
    "display_width",
    "export_csv",
    "export_markdown",
    "export_xlsx",
    "render",
]

TITLE = {
    "ja": "ソーシャルメディア アカウント管理担当者一覧表",
    "en": "Social media account holders registry",
}
AS_OF_LABEL = {"ja": "作成日", "en": "As of"}


@dataclass(frozen=True)
class Column:
    """One column of the registry: stable key, headers, and whether it holds staff names."""

    key: str
    ja: str
    en: str
    personal: bool = False
    compared: bool = True  # 番号 is positional and not compared by check()
    max_width: int = 20  # XLSX column width cap (half-width cells); longer text wraps

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


COLUMNS: tuple[Column, ...] = (
    Column("no", "番号", "No.", compared=False, max_width=6),
    Column("platform", "SNS名（プラットフォーム）", "Platform", max_width=16),
    Column("handle", "アカウント名", "Account name", max_width=16),
    Column("id", "アカウントID", "Account ID", max_width=18),
    Column("url", "URL", "URL", max_width=22),
    Column("purpose", "利用目的", "Purpose", max_width=18),
    Column("departments", "所管課", "Departments", max_width=14),
    Column("manager", "管理者（職・氏名）", "Manager (title, name)", personal=True, max_width=16),
    Column("deputies", "代理承認者", "Deputies", personal=True, max_width=14),
    Column("holder1", "担当者1", "Holder 1", personal=True, max_width=14),
    Column("holder2", "担当者2", "Holder 2", personal=True, max_width=14),
    Column("holders_other", "その他担当者", "Other holders", personal=True, max_width=14),
    Column("two_factor", "二重認証", "Two-factor authentication", max_width=12),
    Column("approved_on", "承認日", "Approved on", max_width=12),
    Column("reviewed_on", "担当者見直し日", "Holders reviewed on", max_width=12),
    Column("submitted_on", "一覧表提出日", "Registry submitted on", max_width=12),
    Column("status", "状態", "Status", max_width=10),
    Column("remarks", "備考", "Remarks", max_width=22),
)
_COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

PLATFORM_ORDER = ("x", "instagram", "facebook", "line", "youtube", "tiktok", "threads", "other")
PLATFORM_NAMES: dict[str, dict[str, str]] = {
    "x": {"ja": "X（旧Twitter）", "en": "X (formerly Twitter)"},
    "instagram": {"ja": "Instagram", "en": "Instagram"},
    "facebook": {"ja": "Facebook", "en": "Facebook"},
    "line": {"ja": "LINE", "en": "LINE"},
    "youtube": {"ja": "YouTube", "en": "YouTube"},
    "tiktok": {"ja": "TikTok", "en": "TikTok"},
    "threads": {"ja": "Threads", "en": "Threads"},
    "other": {"ja": "その他", "en": "Other"},
}
TWO_FACTOR_METHODS: dict[str, dict[str, str]] = {
    "totp": {"ja": "認証アプリ", "en": "authenticator app"},
    "security_key": {"ja": "セキュリティキー", "en": "security key"},
    "app": {"ja": "アプリ承認", "en": "app prompt"},
    "sms": {"ja": "SMS", "en": "SMS"},
    "email": {"ja": "メール", "en": "e-mail"},
}
STATUS_NAMES: dict[str, dict[str, str]] = {
    "active": {"ja": "運用中", "en": "active"},
    "suspended": {"ja": "休止中", "en": "suspended"},
    "closed": {"ja": "廃止", "en": "closed"},
}
_WORDS = {
    "ja": {"on": "有効", "off": "無効", "unset": "未設定", "list_sep": "、", "exception": "担当者数の例外", "until": "まで"},
    "en": {"on": "on", "off": "off", "unset": "not set", "list_sep": ", ", "exception": "holder-count exception", "until": "until "},
}


# ----------------------------------------------------------------------------- helpers


def _lang(lang: str | None) -> str:
    return "en" if str(lang or "").lower().startswith("en") else "ja"


def _clean(text: str) -> str:
    """Collapse newlines, tabs and runs of whitespace into one space; strip."""
    return re.sub(r"\s+", " ", text).strip()


def _text(value: Any, lang: str = "ja") -> str:
    """Format any YAML value as a single-line cell text (dates as ISO 8601)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _WORDS[lang]["on"] if value else _WORDS[lang]["off"]
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return _WORDS[lang]["list_sep"].join(t for t in (_text(v, lang) for v in value) if t)
    if isinstance(value, dict):
        return _WORDS[lang]["list_sep"].join(t for t in (_text(v, lang) for v in value.values()) if t)
    return _clean(str(value))


def _get(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _person(p: Any, lang: str, *, with_department: bool) -> str:
    """``佐藤 花子（広報広聴課）`` from a holder/deputy mapping (or a bare string)."""
    if isinstance(p, dict):
        name = _text(p.get("name"), lang) or _text(p.get("employee_id"), lang)
        dept = _text(p.get("department"), lang) if with_department else ""
        if name and dept:
            return f"{name}（{dept}）" if lang == "ja" else f"{name} ({dept})"
        return name
    return _text(p, lang)


def _manager(m: Any, lang: str) -> str:
    if isinstance(m, dict):
        title = _text(m.get("title"), lang)
        name = _text(m.get("name"), lang) or _text(m.get("employee_id"), lang)
        return " ".join(t for t in (title, name) if t)
    return _text(m, lang)


def _two_factor(tf: Any, lang: str) -> str:
    w = _WORDS[lang]
    if not isinstance(tf, dict) or tf.get("enabled") is None:
        return w["unset"]
    if tf.get("enabled") is not True:
        return w["off"]
    method = tf.get("method")
    if method is None or method == "":
        return w["on"]
    name = TWO_FACTOR_METHODS.get(str(method), {}).get(lang, _text(method, lang))
    return f"{w['on']}（{name}）" if lang == "ja" else f"{w['on']} ({name})"


def _remarks(acc: dict, lang: str) -> str:
    parts: list[str] = []
    exc = acc.get("holders_exception")
    if isinstance(exc, dict):
        w = _WORDS[lang]
        reason = _text(exc.get("reason"), lang)
        until = _text(exc.get("until"), lang)
        text = w["exception"]
        if reason:
            text += f"：{reason}" if lang == "ja" else f": {reason}"
        if until:
            text += f"（{until}{w['until']}）" if lang == "ja" else f" ({w['until']}{until})"
        parts.append(text)
    note = acc.get("registry_note")  # optional free text for this column
    if note not in (None, ""):
        parts.append(_text(note, lang))
    return " / ".join(parts)


def _platform_sort_key(code: str) -> tuple[int, str]:
    try:
        return (PLATFORM_ORDER.index(code), "")
    except ValueError:
        return (len(PLATFORM_ORDER), code)


def _row_values(acc: dict, lang: str) -> dict[str, str]:
    platform = _text(acc.get("platform"), lang)
    raw_holders = acc.get("holders")
    holders: list = raw_holders if isinstance(raw_holders, list) else []
    holder_texts = [_person(h, lang, with_department=True) for h in holders]
    holder_texts = [h for h in holder_texts if h]
    raw_deputies = acc.get("deputies")
    deputies: list = raw_deputies if isinstance(raw_deputies, list) else []
    sep = _WORDS[lang]["list_sep"]
    status = _text(acc.get("status"), lang)
    return {
        "platform": PLATFORM_NAMES.get(platform.lower(), {}).get(lang, platform),
        "handle": _text(acc.get("handle"), lang),
        "id": _text(acc.get("id"), lang),
        "url": _text(acc.get("url"), lang),
        "purpose": _text(acc.get("purpose"), lang),
        "departments": _text(acc.get("departments"), lang),
        "manager": _manager(acc.get("manager"), lang),
        "deputies": sep.join(t for t in (_person(d, lang, with_department=True) for d in deputies) if t),
        "holder1": holder_texts[0] if len(holder_texts) > 0 else "",
        "holder2": holder_texts[1] if len(holder_texts) > 1 else "",
        "holders_other": sep.join(holder_texts[2:]),
        "two_factor": _two_factor(_get(acc, "security", "two_factor"), lang),
        "approved_on": _text(_get(acc, "approval", "approved_on"), lang),
        "reviewed_on": _text(_get(acc, "security", "reviewed_on"), lang),
        "submitted_on": _text(acc.get("registry_submitted_on"), lang),
        "status": STATUS_NAMES.get(status, {}).get(lang, status),
        "remarks": _remarks(acc, lang),
    }


def _sorted_accounts(accounts: Iterable[Any]) -> list[dict]:
    accs = [a for a in (accounts or []) if isinstance(a, dict)]
    return sorted(
        accs,
        key=lambda a: (_platform_sort_key(_text(a.get("platform")).lower()), _text(a.get("id"))),
    )


# ----------------------------------------------------------------------------- building


def build_rows(accounts: list[dict], lang: str = "ja") -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the registry, one row per account dict.

    Non-dict entries are skipped. Rows are sorted stably by platform (SPEC order,
    unknown platforms last) then by account id. All cells are strings.
    """
    lang = _lang(lang)
    headers = [c.header(lang) for c in COLUMNS]
    rows: list[list[str]] = []
    for n, acc in enumerate(_sorted_accounts(accounts), start=1):
        values = _row_values(acc, lang)
        values["no"] = str(n)
        rows.append([values[c.key] for c in COLUMNS])
    return headers, rows


# ----------------------------------------------------------------------------- exporting

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_csv(accounts: list[dict], lang: str = "ja", encoding: str = "utf-8-sig") -> bytes:
    """The registry as CSV bytes (CRLF line ends, header row then one row per account).

    ``encoding`` is ``utf-8-sig`` (UTF-8 with BOM, so that Excel shows Japanese
    correctly) or ``cp932`` (Shift_JIS as saved by Japanese Excel); characters
    that cp932 cannot encode become ``?`` (``check`` knows this).
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
    """The registry as a Markdown document: a title, an optional as-of line, one table."""
    lang = _lang(lang)
    headers, rows = build_rows(accounts, lang)
    lines = [f"# {TITLE[lang]}", ""]
    if as_of is not None:
        sep = "：" if lang == "ja" else ": "
        lines += [f"{AS_OF_LABEL[lang]}{sep}{_text(as_of)}", ""]
    lines.append("| " + " | ".join(_md_escape(h) for h in headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        lines.append("| " + " | ".join(_md_escape(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def display_width(text: str) -> int:
    """Width of ``text`` in half-width cells: East Asian Wide/Fullwidth/Ambiguous count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1 for ch in text)


_XLSX_FIXED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
_XLSX_HEADER_ROW = 3
_LINE_HEIGHT = 15  # points per wrapped line (11 pt text)
_MIN_COL_WIDTH = 6


def export_xlsx(accounts: list[dict], lang: str = "ja", as_of: _dt.date | None = None) -> bytes:
    """The registry as an Excel workbook (requires ``openpyxl``).

    Row 1: title; row 2: 作成日 (``as_of``, blank when None); row 3: bold header
    (frozen, repeated on every printed page); data from row 4. Column widths fit
    Japanese text, cells wrap, page setup is A4 landscape fitted to one page wide.
    The same input and ``as_of`` give the same bytes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    lang = _lang(lang)
    headers, rows = build_rows(accounts, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "一覧表" if lang == "ja" else "Registry"

    ws.cell(row=1, column=1, value=TITLE[lang]).font = Font(bold=True, size=14)
    if as_of is not None:
        sep = "：" if lang == "ja" else ": "
        ws.cell(row=2, column=1, value=f"{AS_OF_LABEL[lang]}{sep}{_text(as_of)}")

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


# ----------------------------------------------------------------------------- checking


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


@dataclass
class _Table:
    headers: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]  # (line or row number, cells)
    fmt: str  # csv | xlsx | md
    lossy_encoding: str | None = None  # "cp932" when expected values must be round-tripped


class _Unreadable(Exception):
    pass


def _norm_header(h: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", h or "")).lower()


_HEADER_INDEX: dict[str, str] = {}
for _c in COLUMNS:
    _HEADER_INDEX[_norm_header(_c.ja)] = _c.key
    _HEADER_INDEX[_norm_header(_c.en)] = _c.key


def _looks_like_header(cells: Sequence[str]) -> bool:
    """A row naming at least half of the registry's columns, including ID or account name."""
    keys = {_HEADER_INDEX.get(_norm_header(c)) for c in cells} - {None}
    return len(keys) >= max(3, len(COLUMNS) // 2) and ("id" in keys or "handle" in keys)


def _cell_str(v: Any) -> str:
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


def _read_csv(data: bytes) -> _Table:
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
                raise _Unreadable("encoding") from None
    if "\0" in text:
        raise _Unreadable("binary")
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
                if _looks_like_header(cells):
                    header, header_line = cells, line
                continue
            rows.append((line, cells))
    except csv.Error:
        raise _Unreadable("csv") from None
    if header is None:
        raise _Unreadable("no-header")
    return _Table(header, header_line, rows, "csv", lossy)


def _split_md_row(line: str) -> list[str]:
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


def _read_markdown(data: bytes) -> _Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("encoding") from None
    lines = text.splitlines()
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if header is None:
            if stripped.startswith("|"):
                cells = _split_md_row(stripped)
                if _looks_like_header(cells):
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
        raise _Unreadable("no-header")
    return _Table(header, header_line, rows, "md")


def _read_xlsx(data: bytes) -> _Table:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover
        raise _Unreadable("openpyxl-missing") from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any broken workbook is "unreadable"
        raise _Unreadable("xlsx") from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise _Unreadable("no-sheet")
        header: list[str] | None = None
        header_line = 0
        rows: list[tuple[int, list[str]]] = []
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_str(v) for v in values]
            if header is None:
                if _looks_like_header(cells):
                    header, header_line = cells, r
                elif r > 50:
                    break
                continue
            rows.append((r, cells))
    except _Unreadable:
        raise
    except Exception:  # noqa: BLE001
        raise _Unreadable("xlsx") from None
    finally:
        with contextlib.suppress(Exception):
            wb.close()
    if header is None:
        raise _Unreadable("no-header")
    while header and header[-1] == "":
        header.pop()
    return _Table(header, header_line, rows, "xlsx")


_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _norm_value(v: str) -> str:
    """Normalize a cell for comparison: whitespace, CSV formula quote, date spelling."""
    v = _clean(v or "")
    if v.startswith("'") and v[1:].startswith(_FORMULA_START):
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
    lang = _lang(lang)
    path = Path(committed_path)
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError:
        return _unreadable(path, "not-found")
    try:
        if suffix == ".csv":
            table = _read_csv(data)
        elif suffix in (".xlsx", ".xlsm"):
            table = _read_xlsx(data)
        elif suffix in (".md", ".markdown"):
            table = _read_markdown(data)
        else:
            return _unreadable(path, "format")
    except _Unreadable as exc:
        return _unreadable(path, str(exc))
    except Exception:  # noqa: BLE001 - never crash on a malformed file
        return _unreadable(path, "format")
    return _compare(table, accounts, lang, reveal_names)


def _loc(table: _Table, line: int, col_index: int | None) -> tuple[str, str | None]:
    if table.fmt == "xlsx":
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter((col_index or 0) + 1)}{line}"
        return cell, cell
    return f"line {line}", None


def _file_lang(headers: Sequence[str], default: str) -> str:
    """The language a committed table was written in, judged by its headers."""
    norm = {_norm_header(h) for h in headers}
    ja = sum(_norm_header(c.ja) in norm for c in COLUMNS)
    en = sum(_norm_header(c.en) in norm for c in COLUMNS)
    return default if ja == en else ("ja" if ja > en else "en")


def _compare(table: _Table, accounts: list[dict], lang: str, reveal: bool) -> list[Difference]:
    diffs: list[Difference] = []
    # values are compared in the file's own language; differences are named in ``lang``
    _, exp_rows = build_rows(accounts, _file_lang(table.headers, lang))
    col_index: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        hkey = _HEADER_INDEX.get(_norm_header(h))
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
