"""The staff roster (職員名簿) as exported by HR: CSV, UTF-8 or Shift_JIS."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .loader.errors import LoadError
from .model import Span

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


def load(path: Path, rel: str) -> Roster:
    """Parse the roster; raises LoadError (file-encoding / yaml-syntax style) when unusable."""
    try:
        data = path.read_bytes()[: 20 * 1024 * 1024]
    except OSError as exc:
        raise LoadError("unreadable", params={"error": exc.strerror or str(exc)}, rule="file-encoding") from None
    if b"\0" in data:
        raise LoadError("binary", rule="file-encoding")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise LoadError("roster_header", Span(1, 1), {"columns": "職員番号, 氏名"}, rule="file-encoding") from None
    index: dict[str, int] = {}
    for field_, names in _ALIASES.items():
        for i, h in enumerate(header):
            if h.strip() in names:
                index[field_] = i
                break
    if "employee_id" not in index:
        raise LoadError("roster_header", Span(1, 1), {"columns": "職員番号"}, rule="file-encoding")
    members: dict[str, StaffMember] = {}
    for lineno, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue

        def col(name: str) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        m = StaffMember(col("employee_id"), col("name"), col("department"), col("title"), col("status"), col("forge"), lineno)
        if m.employee_id:
            members[m.employee_id] = m
    return Roster(rel, members)
