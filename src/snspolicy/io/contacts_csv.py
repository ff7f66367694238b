"""A list of public contacts (a city's open-data CSV of facilities and sections) for the
``allow.contacts`` setting of ``snspolicy.yaml``: read, never interpreted (6(5) classification is in
:mod:`snspolicy.text.contacts`)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

__all__ = ["ContactsFileError", "load_contacts_csv"]


class ContactsFileError(ValueError):
    """A contacts CSV cannot be used; ``code`` and ``params`` name the problem for messages."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_COLUMNS = {
    "phone_numbers": re.compile(r"電話|tel|phone|fax|ファクス|ファックス", re.IGNORECASE),
    "addresses": re.compile(r"住所|所在地|address", re.IGNORECASE),
    "email_domains": re.compile(r"メール|mail", re.IGNORECASE),
}
_NOT_VALUE_COLUMN = re.compile(r"コード|code|緯度|経度|latitude|longitude|番号_?内線|備考|方書|url|ホームページ", re.IGNORECASE)


def load_contacts_csv(path: Path) -> dict[str, list[str]]:
    """The public contacts of a CSV file: ``{"phone_numbers": [...], "addresses": [...], "email_domains": [...]}``.

    The first row names the columns; a column whose name mentions 電話/TEL/FAX/phone is read as phone
    numbers, 住所/所在地/address as addresses, メール/mail as e-mail addresses (whole addresses: only that
    address is allowed, not its domain). Other columns (名称, codes, coordinates, URLs) are ignored.
    UTF-8 (with or without BOM) and Shift_JIS (cp932, as many open-data files are) are read.
    Raises :class:`ContactsFileError` when the file cannot be read or has no such column.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContactsFileError("config_contacts_unreadable", path=str(path), error=type(exc).__name__) from None
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ContactsFileError("config_contacts_unreadable", path=str(path), error="encoding")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ContactsFileError("config_contacts_unreadable", path=str(path), error=str(exc)) from None
    if not rows:
        raise ContactsFileError("config_contacts_columns", path=str(path))
    header = [unicodedata.normalize("NFKC", h).strip() for h in rows[0]]
    columns: dict[int, str] = {}
    for i, h in enumerate(header):
        if _NOT_VALUE_COLUMN.search(h):
            continue
        for kind, pat in _COLUMNS.items():
            if pat.search(h):
                columns[i] = kind
                break
    if not columns:
        raise ContactsFileError("config_contacts_columns", path=str(path))
    out: dict[str, list[str]] = {"phone_numbers": [], "addresses": [], "email_domains": []}
    for row in rows[1:]:
        for i, kind in columns.items():
            value = unicodedata.normalize("NFKC", row[i]).strip() if i < len(row) else ""
            if not value:
                continue
            if kind == "email_domains" and "@" not in value:
                continue
            out[kind].append(value)
    return out
