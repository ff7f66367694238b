"""Tests for snspolicy.domain.holders_list.read (clause 4(5) 一覧表): the CSV, Markdown and XLSX readers."""

from __future__ import annotations

import csv
import io

import pytest
from holders_list_samples import AS_OF, accounts

from snspolicy.domain.holders_list import export, read, table


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def test_csv_header_found_below_a_title_and_lines_counted() -> None:
    headers, rows = table.build_rows(accounts())
    rows[0][5] = "二行の\n利用目的"  # a quoted cell spanning two lines
    text = "一覧表,,\r\n作成日：2025-04-03\r\n" + _csv_text([headers, *rows])
    t = read.read_csv(text.encode("utf-8"))
    assert (t.fmt, t.header_line, t.headers, t.lossy_encoding) == ("csv", 3, headers, None)
    # a row is numbered by the line it starts on; the two-line cell pushes the next row down
    assert [line for line, _ in t.rows] == [4, 6, 7]
    assert t.rows[0][1][5] == "二行の\n利用目的"


def test_csv_encodings() -> None:
    data = export.export_csv(accounts(), encoding="cp932")
    assert read.read_csv(data).lossy_encoding == "cp932"
    bom = export.export_csv(accounts())
    assert bom.startswith(b"\xef\xbb\xbf") and read.read_csv(bom).lossy_encoding is None
    assert read.read_csv(bom).headers[0] == "番号"  # the BOM is not part of the first header


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"\x85\x40\x81 ", "encoding"),  # neither UTF-8 nor cp932
        (b"a,b\x00c\n", "binary"),
        (b"a,b,c\n1,2,3\n", "no-header"),
        (b"", "no-header"),
    ],
)
def test_csv_unreadable(data: bytes, reason: str) -> None:
    with pytest.raises(read.Unreadable) as exc:
        read.read_csv(data)
    assert str(exc.value) == reason


def test_markdown_reads_one_table_and_unescapes() -> None:
    md = export.export_markdown(accounts(), as_of=AS_OF)
    md += "\n| 番号 | アカウントID |\n|---|---|\n| 9 | not-a-row |\n"  # a second table below: not read
    t = read.read_markdown(md.encode("utf-8"))
    lines = md.splitlines()
    assert t.fmt == "md" and lines[t.header_line - 1].startswith("| 番号 |")
    assert len(t.rows) == 3 and all(lines[n - 1].startswith("| ") for n, _ in t.rows)
    purposes = [cells[5] for _, cells in t.rows]
    assert "観光 | イベント情報 の発信" in purposes  # "\|" read back as "|"
    assert not any("not-a-row" in c for _, cells in t.rows for c in cells)


def test_markdown_without_a_table() -> None:
    with pytest.raises(read.Unreadable, match="no-header"):
        read.read_markdown("# 一覧表\n\n| a | b |\n|---|---|\n".encode())


def test_xlsx_header_on_row_three() -> None:
    t = read.read_xlsx(export.export_xlsx(accounts(), as_of=AS_OF))
    assert (t.fmt, t.header_line) == ("xlsx", 3)
    assert t.headers == [c.ja for c in table.COLUMNS]  # trailing empty header cells dropped
    assert [n for n, _ in t.rows] == [4, 5, 6]
    assert t.rows[0][1][0] == "1"  # 番号 is stored as a number and read back as "1", not "1.0"


@pytest.mark.parametrize("data", [b"not a zip", b"PK\x03\x04broken"])
def test_xlsx_unreadable(data: bytes) -> None:
    with pytest.raises(read.Unreadable, match="xlsx"):
        read.read_xlsx(data)


@pytest.mark.parametrize("suffix,fmt", [(".csv", "csv"), (".CSV", "csv"), (".md", "md"), (".markdown", "md")])
def test_read_table_by_suffix(suffix: str, fmt: str) -> None:
    data = export.export_csv(accounts()) if fmt == "csv" else export.export_markdown(accounts()).encode()
    assert read.read_table(suffix, data).fmt == fmt


@pytest.mark.parametrize("suffix", [".pdf", ".txt", ""])
def test_read_table_rejects_other_formats(suffix: str) -> None:
    with pytest.raises(read.Unreadable, match="format"):
        read.read_table(suffix, export.export_csv(accounts()))


def test_looks_like_header() -> None:
    assert read.looks_like_header([c.ja for c in table.COLUMNS])
    assert read.looks_like_header([c.en.upper() for c in table.COLUMNS])  # case and width do not matter
    assert read.looks_like_header(["番号", "SNS名（プラットフォーム）", "アカウント名", "URL", "利用目的",
                                   "所管課", "管理者（職・氏名）", "代理承認者", "担当者1"])
    assert not read.looks_like_header(["番号", "アカウントID", "URL"])  # too few columns
    # enough columns, but neither the ID nor the account name: not the 一覧表's header
    assert not read.looks_like_header([c.ja for c in table.COLUMNS if c.key not in ("id", "handle")])
