"""Tests for snspolicy.domain.holders_list.export (clause 4(5) 一覧表): the CSV, Markdown and XLSX exporters."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from holders_list_samples import AS_OF, account, accounts

from snspolicy.domain.holders_list import compare, export, table


def test_csv_has_bom_crlf_and_formula_guard() -> None:
    data = export.export_csv(accounts())
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][2] == "'@ube_city"  # Excel would read @... as a formula


def test_cp932_export_is_shift_jis() -> None:
    data = export.export_csv(accounts(), encoding="cp932")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "ソーシャル".encode("cp932") in data or "番号".encode("cp932") in data
    data.decode("cp932")


def test_xlsx_layout(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = export.export_xlsx(accounts(), as_of=AS_OF)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws["A1"].value == "ソーシャルメディア アカウント管理担当者一覧表"
    assert ws["A1"].font.bold
    assert ws["A2"].value == "作成日：2025-04-03"
    headers = [c.value for c in ws[3]]
    assert headers == [c.ja for c in table.COLUMNS]
    assert all(c.font.bold for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws["F4"].alignment.wrap_text
    default = 8.43
    for letter in ("B", "F", "J", "M"):
        assert ws.column_dimensions[letter].width > default
    # widths count wide characters as 2: 「X（旧Twitter）」 is 14 half-width cells, plus padding
    assert ws.column_dimensions["B"].width >= table.display_width("X（旧Twitter）") + 2 == 16
    assert all(ws.column_dimensions[c].width <= 22 for c in "ABCDEFGHIJKLMNOPQR")
    # a row whose text wraps is taller than one line
    assert ws.row_dimensions[3].height >= 30  # 「SNS名（プラットフォーム）」 wraps in the header
    assert ws["C4"].value == "@ube_city" and ws["C4"].data_type == "s"


def test_xlsx_is_deterministic() -> None:
    a = export.export_xlsx(accounts(), as_of=AS_OF)
    b = export.export_xlsx(accounts(), as_of=AS_OF)
    assert a == b
    assert export.export_xlsx(accounts(), as_of=dt.date(2025, 5, 1)) != a


def test_formula_like_values_stay_text(tmp_path: Path) -> None:
    acc = account(purpose='=HYPERLINK("http://evil")')
    path = tmp_path / "r.xlsx"
    path.write_bytes(export.export_xlsx([acc]))
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws["F4"].data_type == "s"
    assert compare.check(path, [acc]) == []
    csv_path = tmp_path / "r.csv"
    csv_path.write_bytes(export.export_csv([acc]))
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert rows[1][5].startswith("'=HYPERLINK")
    assert compare.check(csv_path, [acc]) == []


def test_markdown_escapes_pipes() -> None:
    md = export.export_markdown(accounts(), as_of=AS_OF)
    assert md.startswith("# ソーシャルメディア アカウント管理担当者一覧表\n")
    assert "作成日：2025-04-03" in md
    assert "観光 \\| イベント情報 の発信" in md
    table_lines = [l for l in md.splitlines() if l.startswith("|")]
    assert len(table_lines) == 2 + 3
    assert all(l.count("|") - l.count("\\|") == len(table.COLUMNS) + 1 for l in table_lines)


def test_render_rejects_unknown_extension() -> None:
    with pytest.raises(ValueError):
        export.render("r.pdf", accounts())
