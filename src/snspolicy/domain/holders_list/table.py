"""The 一覧表's table model (clause 4(5)): its columns, the words in its cells, one row per account.

The 「ソーシャルメディア アカウント管理担当者一覧表」 is *generated* from the account
files (``accounts/*.yaml``, already parsed into dicts). This module turns account
mappings into header texts and rows of single-line cell strings; the formats live
in :mod:`.export`, the readers of a committed copy in :mod:`.read`, the comparison
in :mod:`.compare`.

Only non-secret data is ever put into the table: the ``security.password`` block
is never read.

* Rows are sorted by platform (in the SPEC's order) then account id; 番号 is the
  1-based position after sorting and is *not* compared (adding an account would
  otherwise shift every number after it).
* Cell values are single-line: newlines and runs of whitespace collapse to one
  space, so CSV/Markdown lines map one-to-one to rows.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AS_OF_LABEL",
    "COLUMNS",
    "FORMULA_START",
    "PLATFORM_NAMES",
    "STATUS_NAMES",
    "TITLE",
    "TWO_FACTOR_METHODS",
    "Column",
    "build_rows",
    "cell_text",
    "clean",
    "display_width",
    "lang_code",
]

TITLE = {
    "ja": "ソーシャルメディア アカウント管理担当者一覧表",
    "en": "Social media account holders registry",
}
AS_OF_LABEL = {"ja": "作成日", "en": "As of"}


@dataclass(frozen=True)
class Column:
    """One column of the 一覧表: stable key, headers, and whether it holds staff names."""

    key: str
    ja: str
    en: str
    personal: bool = False
    compared: bool = True  # 番号 is positional and not compared by check()
    max_width: int = 20  # XLSX column width cap (half-width cells); longer text wraps

    def header(self, lang: str) -> str:
        """The header text in ``lang`` (``en`` or ``ja``)."""
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

#: a cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV injection");
#: the CSV export quotes it with a leading ``'``, the comparison ignores that quote
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ----------------------------------------------------------------------------- helpers


def lang_code(lang: str | None) -> str:
    """``en`` for any English language tag, ``ja`` otherwise."""
    return "en" if str(lang or "").lower().startswith("en") else "ja"


def clean(text: str) -> str:
    """Collapse newlines, tabs and runs of whitespace into one space; strip."""
    return re.sub(r"\s+", " ", text).strip()


def cell_text(value: Any, lang: str = "ja") -> str:
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
        return _WORDS[lang]["list_sep"].join(t for t in (cell_text(v, lang) for v in value) if t)
    if isinstance(value, dict):
        return _WORDS[lang]["list_sep"].join(t for t in (cell_text(v, lang) for v in value.values()) if t)
    return clean(str(value))


def _get(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _person(p: Any, lang: str, *, with_department: bool) -> str:
    """``佐藤 花子（広報広聴課）`` from a holder/deputy mapping (or a bare string)."""
    if isinstance(p, dict):
        name = cell_text(p.get("name"), lang) or cell_text(p.get("employee_id"), lang)
        dept = cell_text(p.get("department"), lang) if with_department else ""
        if name and dept:
            return f"{name}（{dept}）" if lang == "ja" else f"{name} ({dept})"
        return name
    return cell_text(p, lang)


def _manager(m: Any, lang: str) -> str:
    if isinstance(m, dict):
        title = cell_text(m.get("title"), lang)
        name = cell_text(m.get("name"), lang) or cell_text(m.get("employee_id"), lang)
        return " ".join(t for t in (title, name) if t)
    return cell_text(m, lang)


def _two_factor(tf: Any, lang: str) -> str:
    w = _WORDS[lang]
    if not isinstance(tf, dict) or tf.get("enabled") is None:
        return w["unset"]
    if tf.get("enabled") is not True:
        return w["off"]
    method = tf.get("method")
    if method is None or method == "":
        return w["on"]
    name = TWO_FACTOR_METHODS.get(str(method), {}).get(lang, cell_text(method, lang))
    return f"{w['on']}（{name}）" if lang == "ja" else f"{w['on']} ({name})"


def _remarks(acc: dict, lang: str) -> str:
    parts: list[str] = []
    exc = acc.get("holders_exception")
    if isinstance(exc, dict):
        w = _WORDS[lang]
        reason = cell_text(exc.get("reason"), lang)
        until = cell_text(exc.get("until"), lang)
        text = w["exception"]
        if reason:
            text += f"：{reason}" if lang == "ja" else f": {reason}"
        if until:
            text += f"（{until}{w['until']}）" if lang == "ja" else f" ({w['until']}{until})"
        parts.append(text)
    note = acc.get("registry_note")  # optional free text for this column
    if note not in (None, ""):
        parts.append(cell_text(note, lang))
    return " / ".join(parts)


def _platform_sort_key(code: str) -> tuple[int, str]:
    try:
        return (PLATFORM_ORDER.index(code), "")
    except ValueError:
        return (len(PLATFORM_ORDER), code)


def _row_values(acc: dict, lang: str) -> dict[str, str]:
    platform = cell_text(acc.get("platform"), lang)
    raw_holders = acc.get("holders")
    holders: list = raw_holders if isinstance(raw_holders, list) else []
    holder_texts = [_person(h, lang, with_department=True) for h in holders]
    holder_texts = [h for h in holder_texts if h]
    raw_deputies = acc.get("deputies")
    deputies: list = raw_deputies if isinstance(raw_deputies, list) else []
    sep = _WORDS[lang]["list_sep"]
    status = cell_text(acc.get("status"), lang)
    return {
        "platform": PLATFORM_NAMES.get(platform.lower(), {}).get(lang, platform),
        "handle": cell_text(acc.get("handle"), lang),
        "id": cell_text(acc.get("id"), lang),
        "url": cell_text(acc.get("url"), lang),
        "purpose": cell_text(acc.get("purpose"), lang),
        "departments": cell_text(acc.get("departments"), lang),
        "manager": _manager(acc.get("manager"), lang),
        "deputies": sep.join(t for t in (_person(d, lang, with_department=True) for d in deputies) if t),
        "holder1": holder_texts[0] if len(holder_texts) > 0 else "",
        "holder2": holder_texts[1] if len(holder_texts) > 1 else "",
        "holders_other": sep.join(holder_texts[2:]),
        "two_factor": _two_factor(_get(acc, "security", "two_factor"), lang),
        "approved_on": cell_text(_get(acc, "approval", "approved_on"), lang),
        "reviewed_on": cell_text(_get(acc, "security", "reviewed_on"), lang),
        "submitted_on": cell_text(acc.get("registry_submitted_on"), lang),
        "status": STATUS_NAMES.get(status, {}).get(lang, status),
        "remarks": _remarks(acc, lang),
    }


def _sorted_accounts(accounts: Iterable[Any]) -> list[dict]:
    accs = [a for a in (accounts or []) if isinstance(a, dict)]
    return sorted(
        accs,
        key=lambda a: (_platform_sort_key(cell_text(a.get("platform")).lower()), cell_text(a.get("id"))),
    )


# ----------------------------------------------------------------------------- building


def build_rows(accounts: list[dict], lang: str = "ja") -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the 一覧表, one row per account dict.

    Non-dict entries are skipped. Rows are sorted stably by platform (SPEC order,
    unknown platforms last) then by account id. All cells are strings.
    """
    lang = lang_code(lang)
    headers = [c.header(lang) for c in COLUMNS]
    rows: list[list[str]] = []
    for n, acc in enumerate(_sorted_accounts(accounts), start=1):
        values = _row_values(acc, lang)
        values["no"] = str(n)
        rows.append([values[c.key] for c in COLUMNS])
    return headers, rows


def display_width(text: str) -> int:
    """Width of ``text`` in half-width cells: East Asian Wide/Fullwidth/Ambiguous count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1 for ch in text)
