"""What the ``registry-stale`` rule and ``snspolicy registry`` share (clause 4(5)).

The account mappings the 一覧表 is built from (:func:`registry_accounts`), the
comparison in the committed file's own language (:func:`compare_registry`), and
the message variant and arguments for one :class:`.compare.Difference`
(:func:`difference_args`, :data:`UNREADABLE_DETAIL`), with every secret in a cell
masked (:func:`mask_secrets`).

This module is imported by the rule module at start-up, so it imports the
comparison and the secret scanner only when they are called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from snspolicy.domain.holders_list.compare import Difference
    from snspolicy.io.repo import Repo

__all__ = ["UNREADABLE_DETAIL", "compare_registry", "difference_args", "mask_secrets", "registry_accounts"]


def registry_accounts(repo: Repo) -> list[dict]:
    """The parsed account files (mappings only), as the 一覧表 is built from them."""
    return [d.data for d in sorted(repo.by_kind("account"), key=lambda d: d.path) if isinstance(d.data, dict)]


def compare_registry(path: Path, accounts: list[dict], lang: str) -> list[Difference]:
    """:func:`.compare.check` in the language of the committed file's headers.

    The committed copy may have been exported with ``--lang en`` while the lint
    runs in Japanese (or the reverse); its cell texts (``有効（認証アプリ）`` vs
    ``on (authenticator app)``) only match the same language, so both are tried
    and the one with fewer differences wins (ties: ``lang``).
    """
    from snspolicy.domain.holders_list.compare import check

    first = check(path, accounts, lang)
    if any(d.kind == "unreadable" for d in first) or not first:
        return first
    other = check(path, accounts, "en" if lang == "ja" else "ja")
    return other if len(other) < len(first) else first


#: ``Difference.detail`` of an unreadable file -> what to tell the user (ja/en)
UNREADABLE_DETAIL = {
    "not-found": {"ja": "ファイルがない", "en": "no such file"},
    "format": {"ja": "CSV・XLSX・Markdown ではない", "en": "not CSV, XLSX or Markdown"},
    "encoding": {"ja": "文字コードが UTF-8・Shift_JIS ではない", "en": "not UTF-8 or Shift_JIS"},
    "binary": {"ja": "バイナリ", "en": "binary"},
    "csv": {"ja": "CSV の形式の誤り", "en": "malformed CSV"},
    "xlsx": {"ja": "XLSX として開けない", "en": "not a readable XLSX workbook"},
    "no-sheet": {"ja": "シートがない", "en": "no worksheet"},
    "no-header": {"ja": "見出し行が見つからない", "en": "no header row found"},
    "openpyxl-missing": {"ja": "openpyxl がインストールされていない", "en": "openpyxl is not installed"},
}


def mask_secrets(text: Any) -> str:
    """``text`` with every secret :mod:`snspolicy.domain.secretscan` recognizes replaced by its masked form.

    Cells of a committed 一覧表 are user-edited text: a token pasted into one must not be
    echoed by a registry-stale message.
    """
    from snspolicy.domain import secretscan

    if text is None:
        return ""
    value = str(text)
    matches = secretscan.scan_text(value) if len(value) >= 8 else []
    if not matches:
        return value
    lines = value.split("\n")
    for m in sorted(matches, key=lambda m: (m.line, m.column), reverse=True):
        line = lines[m.line - 1]
        lines[m.line - 1] = line[: m.column - 1] + m.masked + line[m.end_column - 1:]
    return "\n".join(lines)


def difference_args(d: Difference, lang: str = "ja") -> tuple[str, dict[str, str]]:
    """(message variant, args) for one :class:`.compare.Difference`; names are masked by ``check``.

    When the masked texts of both sides are equal (a changed name: ``真＊ ＊＊``), the
    ``value_hidden`` variant says that the cell differs without showing either value.
    """
    key = d.key if isinstance(d.key, str) else " / ".join(str(k) for k in d.key)
    if d.cell:
        location = d.cell
    else:
        location = f"{d.line} 行目" if lang == "ja" else f"line {d.line}"
    args = {"location": location, "account": mask_secrets(key) or "-", "column": mask_secrets(d.column) or "-",
            "committed": mask_secrets(d.committed), "expected": mask_secrets(d.expected),
            "detail": UNREADABLE_DETAIL.get(d.detail or "", {}).get(lang, d.detail or "")}
    variant = {"value": "value", "missing-row": "missing_row", "extra-row": "extra_row",
               "duplicate-row": "duplicate_row", "missing-column": "missing_column",
               "extra-column": "extra_column", "unreadable": "unreadable"}.get(d.kind, "value")
    if d.kind == "unreadable" and d.detail == "not-found":
        variant = "missing"
    if d.kind == "value" and args["committed"] == args["expected"]:
        variant = "value_hidden"
    return variant, args
