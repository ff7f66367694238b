"""Tests for snspolicy.domain.holders_list.compare (clause 4(5) 一覧表): comparing a committed copy
with the account files, through the three readers."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from holders_list_samples import AS_OF, account, accounts

from snspolicy.domain.holders_list import compare, export, table


@pytest.mark.parametrize("suffix,kwargs", [(".csv", {}), (".csv", {"encoding": "cp932"}), (".xlsx", {}), (".md", {})])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_round_trip(tmp_path: Path, suffix: str, kwargs: dict, lang: str) -> None:
    path = tmp_path / f"registry{suffix}"
    path.write_bytes(export.render(path, accounts(), lang, as_of=AS_OF, **kwargs))
    assert compare.check(path, accounts(), lang) == []


def test_cp932_round_trip_with_unencodable_character(tmp_path: Path) -> None:
    accs = accounts()
    accs[0]["holders"][0]["name"] = "𠮷田 花子"  # not in cp932: exported as '?'
    path = tmp_path / "r.csv"
    path.write_bytes(export.export_csv(accs, encoding="cp932"))
    assert compare.check(path, accs) == []
    other = copy.deepcopy(accs)
    other[0]["holders"][0]["name"] = "吉田 花子"
    assert [d.column for d in compare.check(path, other)] == ["担当者1"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md"])
def test_changed_holder_is_reported(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"registry{suffix}"
    path.write_bytes(export.render(path, accounts(), as_of=AS_OF))
    changed = accounts()
    changed[0]["holders"][1] = {
        "name": "伊藤 四郎",
        "employee_id": "200009",
        "department": "広報広聴課",
        "assigned_on": dt.date(2025, 6, 1),
    }
    diffs = compare.check(path, changed)
    assert len(diffs) == 1
    d = diffs[0]
    assert (d.kind, d.key, d.column, d.column_key) == ("value", "ube-city-x", "担当者2", "holder2")
    # names are masked in the result, not shown in full
    assert "鈴木 一郎" not in repr(d) and "伊藤 四郎" not in repr(d)
    assert d.committed == "鈴＊ ＊＊（広報広聴課）" and d.expected == "伊＊ ＊＊（広報広聴課）"
    if suffix == ".xlsx":
        assert d.cell == "K4" and d.location == "K4" and d.line == 4
    elif suffix == ".csv":
        assert d.location == "line 2" and d.line == 2
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert "ube-city-x" in lines[d.line - 1]
    revealed = compare.check(path, changed, reveal_names=True)[0]
    assert revealed.expected == "伊藤 四郎（広報広聴課）"


def test_missing_and_extra_accounts(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(export.export_csv(accounts()))
    now = accounts()[:2] + [account(id="ube-city-youtube", platform="youtube", handle="宇部市公式")]
    diffs = compare.check(path, now)
    kinds = sorted((d.kind, d.key) for d in diffs)
    assert kinds == [("extra-row", "ube-kanko-instagram"), ("missing-row", "ube-city-youtube")]


def test_number_column_not_compared_and_dates_normalized(tmp_path: Path) -> None:
    headers, rows = table.build_rows(accounts())
    rows = [list(r) for r in reversed(rows)]  # renumbered order, and Excel-style dates
    for r in rows:
        r[headers.index("承認日")] = r[headers.index("承認日")].replace("-0", "/").replace("-", "/")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    path = tmp_path / "r.csv"
    path.write_bytes(buf.getvalue().encode("cp932"))
    assert rows[0][headers.index("承認日")] == "2025/4/1"
    assert compare.check(path, accounts()) == []


def test_edited_xlsx_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    path.write_bytes(export.export_xlsx(accounts(), as_of=AS_OF))
    wb = load_workbook(path)
    ws = wb.active
    ws["Q4"] = "休止中"
    wb.save(path)
    (d,) = compare.check(path, accounts())
    assert (d.column, d.committed, d.expected, d.cell) == ("状態", "休止中", "運用中", "Q4")


def test_headers_in_other_language_accepted(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text(export.export_markdown(accounts(), "en"), encoding="utf-8")
    assert compare.check(path, accounts(), "ja") == []
    changed = accounts()
    changed[0]["status"] = "suspended"
    (d,) = compare.check(path, changed, "ja")
    assert (d.column, d.committed, d.expected) == ("状態", "active", "suspended")


def test_missing_column_reported(tmp_path: Path) -> None:
    headers, rows = table.build_rows(accounts())
    drop = headers.index("二重認証")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([h for i, h in enumerate(headers) if i != drop])
    w.writerows([[c for i, c in enumerate(r) if i != drop] for r in rows])
    path = tmp_path / "r.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    diffs = compare.check(path, accounts())
    assert [(d.kind, d.column) for d in diffs] == [("missing-column", "二重認証")]


@pytest.mark.parametrize(
    "name,content",
    [
        ("r.csv", b""),
        ("r.csv", b"\x00\x01\x02binary"),
        ("r.csv", b"a,b,c\n1,2,3\n"),
        ("r.csv", '番号,アカウントID,URL\n"unterminated'.encode()),  # too few registry columns
        ("r.xlsx", b"not a zip"),
        ("r.xlsx", b"PK\x03\x04broken"),
        ("r.md", b"# title\n\nno table here\n"),
        ("r.md", b"\xff\xfe\x00broken"),
        ("r.txt", b"whatever"),
    ],
)
def test_malformed_files_give_one_difference(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    diffs = compare.check(path, accounts())
    assert len(diffs) == 1 and diffs[0].kind == "unreadable"
    assert diffs[0].detail


def test_broken_csv_row_is_a_content_difference(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    good = export.export_csv(accounts()).decode("utf-8-sig")
    path.write_text(good.replace("3,LINE,", '3,LINE,"'), encoding="utf-8")  # quote never closed
    diffs = compare.check(path, accounts())
    assert sorted(d.kind for d in diffs) == ["extra-row", "missing-row"]
    assert [d.key for d in diffs if d.kind == "missing-row"] == ["ube-city-line"]


def test_missing_file(tmp_path: Path) -> None:
    (d,) = compare.check(tmp_path / "none.csv", accounts())
    assert (d.kind, d.detail) == ("unreadable", "not-found")


def test_footnotes_below_table_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    text = export.export_csv(accounts()).decode("utf-8-sig") + "\r\n※担当者の変更時は再提出すること\r\n"
    path.write_text(text, encoding="utf-8-sig")
    assert compare.check(path, accounts()) == []
