"""The staff roster (職員名簿) as exported by HR: CSV, UTF-8 or Shift_JIS."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from snspolicy.io.errors import LoadError
from snspolicy.core.model import Span

# header aliases (Japanese HR exports differ between systems)
_ALIASES = {
    "employee_id": ("職員番号", "職員コード", "社員番号", "employee_id", "id"),
    "name": ("氏名", "名前", "name"),
    "department": ("所属", "所属課", "課名", "department"),
    "title": ("職名", "役職", "title"),
    "status": ("在職区分", "在職状況", "状態", "status"),
    "forge": ("github", "GitHub", "フォージハンドル", "forge", "forge_handle", "gitlab"),
}
ACTIVE = {"在職", "在籍", "現職", "active", "", "休職"}


@dataclass(frozen=True)
class StaffMember:
    employee_id: str
    name: str
    department: str
    title: str
    status: str
    forge: str
    line: int

    @property
    def active(self) -> bool:
        return self.status.strip().lower() in ACTIVE


@dataclass
class Roster:
    path: str
    members: dict[str, StaffMember]

    def get(self, employee_id: object) -> StaffMember | None:
        return self.members.get(str(employee_id).strip()) if employee_id is not None else None


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in ("utf-8", "cp932"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise LoadError("not_utf8", Span(), rule="file-encoding")


def _delimiter(first_line: str) -> str:
    """HR systems export CSV; some write tab-separated text with a .csv name."""
    return "\t" if "\t" in first_line and "," not in first_line else ","


def load(path: Path, rel: str) -> Roster:
    """Parse the roster; raises LoadError (file-encoding / yaml-syntax style) when unusable."""
    from snspolicy.io.textfile import looks_utf16, os_error

    try:
        if not path.is_file() and path.exists():
            raise IsADirectoryError(21, "Is a directory") if path.is_dir() else OSError(0, "not a regular file")
        with path.open("rb") as fh:
            data = fh.read(20 * 1024 * 1024)
    except OSError as exc:
        raise os_error(exc, path) from None
    if b"\0" in data:
        if looks_utf16(data):
            raise LoadError("not_utf8_utf16", rule="file-encoding")
        raise LoadError("binary", rule="file-encoding")
    text = _decode(data)
    if not text.strip():
        raise LoadError("roster_empty", Span(1, 1), rule="file-encoding")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise LoadError("roster_header", Span(1, 1), {"columns": "職員番号, 氏名", "found": "-"}, rule="file-encoding") from None
    index: dict[str, int] = {}
    for field_, names in _ALIASES.items():
        for i, h in enumerate(header):
            if h.strip() in names:
                index[field_] = i
                break
    if "employee_id" not in index:
        if any(re.search(r"\d{3}", h) for h in header):  # no header: line 1 is a person, never echo it
            raise LoadError("roster_no_header", Span(1, 1), rule="file-encoding")
        # echo the header only when it looks like column names (never a line of some other file)
        cells = [h.strip() for h in header[:12]]
        if all(len(c) <= 20 and not re.search(r"[\d:/@=\\]", c) for c in cells):
            found = ", ".join(cells) or "-"
        else:
            found = "…"
        raise LoadError("roster_header", Span(1, 1), {"columns": " / ".join(_ALIASES["employee_id"][:3]), "found": found},
                        rule="file-encoding")
    members: dict[str, StaffMember] = {}
    rows = iter(reader)
    lineno = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error:
            # an unclosed quote swallows every later line: say where it starts, do not guess
            raise LoadError("roster_quote", Span(lineno + 1, 1), rule="file-encoding") from None
        lineno = reader.line_num
        if not any(c.strip() for c in row):
            continue

        def col(name: str) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        used = [row[i] for i in index.values() if i < len(row)]
        if any("\n" in c for c in used):
            start = lineno - max(c.count("\n") for c in used)
            raise LoadError("roster_quote", Span(max(start, 2), 1), rule="file-encoding")
        m = StaffMember(col("employee_id"), col("name"), col("department"), col("title"), col("status"), col("forge"), lineno)
        if m.employee_id:
            members[m.employee_id] = m
    return Roster(rel, members)
