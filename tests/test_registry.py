"""Tests for snspolicy.registry (clause 4(5): 一覧表)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from snspolicy.domain import registry as reg

AS_OF = dt.date(2025, 4, 3)


def _account(**over) -> dict:
    acc = {
        "id": "ube-city-x",
        "platform": "x",
        "handle": "@ube_city",
        "url": "https://x.com/ube_city",
        "purpose": "市政情報の発信",
        "departments": ["広報広聴課"],
        "manager": {"name": "山田 太郎", "employee_id": "100001", "title": "広報広聴課長"},
        "deputies": [],
        "approval": {"approved_by": "100001", "approved_on": dt.date(2025, 4, 1)},
        "holders": [
            {"name": "佐藤 花子", "employee_id": "200002", "department": "広報広聴課", "assigned_on": dt.date(2025, 4, 1)},
            {"name": "鈴木 一郎", "employee_id": "200003", "department": "広報広聴課", "assigned_on": "2025-04-01"},
        ],
        "holders_exception": None,
        "security": {
            "two_factor": {"enabled": True, "method": "totp"},
            "password": {"min_length": 14, "managed_by": "password-manager", "unique": True, "last_changed_on": dt.date(2025, 4, 1)},
            "reviewed_on": dt.date(2025, 4, 1),
        },
        "registry_submitted_on": dt.date(2025, 4, 2),
        "status": "active",
    }
    acc.update(over)
    return acc


def _accounts() -> list[dict]:
    return [
        _account(),
        _account(
            id="ube-city-line",
            platform="line",
            handle="宇部市",
            url="https://line.me/R/ti/p/@ubecity",
            departments=["広報広聴課", "観光政策課"],
            deputies=[{"name": "高橋 次郎", "employee_id": "100009"}],
        ),
        _account(
            id="ube-kanko-instagram",
            platform="instagram",
            handle="@ube_kanko",
            purpose="観光 | イベント情報\nの発信",
            holders=_account()["holders"] + [{"name": "田中 三郎", "department": "観光政策課"}],
            holders_exception={"reason": "繁忙期のため", "approved_by": "100001", "until": dt.date(2025, 9, 30)},
            security={"two_factor": {"enabled": False}},
        ),
    ]


def test_build_rows_headers_sorting_and_values() -> None:
    headers, rows = reg.build_rows(_accounts())
    assert headers[:3] == ["番号", "SNS名（プラットフォーム）", "アカウント名"]
    for h in (
        "URL",
        "利用目的",
        "所管課",
        "管理者（職・氏名）",
        "担当者1",
        "担当者2",
        "その他担当者",
        "二重認証",
        "承認日",
        "担当者見直し日",
        "状態",
        "備考",
    ):
        assert h in headers
    col = {h: i for i, h in enumerate(headers)}
    assert [r[col["アカウントID"]] for r in rows] == ["ube-city-x", "ube-kanko-instagram", "ube-city-line"]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    x, ig, line = rows
    assert x[col["SNS名（プラットフォーム）"]] == "X（旧Twitter）"
    assert line[col["SNS名（プラットフォーム）"]] == "LINE"
    assert x[col["管理者（職・氏名）"]] == "広報広聴課長 山田 太郎"
    assert x[col["担当者1"]] == "佐藤 花子（広報広聴課）"
    assert x[col["担当者見直し日"]] == "2025-04-01"
    assert x[col["二重認証"]] == "有効（認証アプリ）"
    assert x[col["状態"]] == "運用中"
    assert ig[col["その他担当者"]] == "田中 三郎（観光政策課）"
    assert ig[col["二重認証"]] == "無効"
    assert ig[col["利用目的"]] == "観光 | イベント情報 の発信"  # single line
    assert "繁忙期のため" in ig[col["備考"]] and "2025-09-30" in ig[col["備考"]]
    assert line[col["所管課"]] == "広報広聴課、観光政策課"
    assert line[col["代理承認者"]] == "高橋 次郎"


def test_no_password_data_in_registry() -> None:
    acc = _account()
    acc["security"]["password"] = "Tr0ub4dor&3"  # even if someone wrote one
    _, rows = reg.build_rows([acc])
    assert all("Tr0ub4dor" not in cell for cell in rows[0])
    assert b"Tr0ub4dor" not in reg.export_csv([acc])


def test_english_headers_and_platform_names() -> None:
    headers, rows = reg.build_rows(_accounts(), lang="en")
    assert headers[:3] == ["No.", "Platform", "Account name"]
    assert rows[0][1] == "X (formerly Twitter)"
    assert rows[0][headers.index("Status")] == "active"


def test_bad_input_does_not_crash() -> None:
    headers, rows = reg.build_rows([None, "x", {"id": 3, "holders": "nobody", "security": [], "manager": "山田"}])  # type: ignore[list-item]
    assert len(rows) == 1 and rows[0][headers.index("アカウントID")] == "3"
    assert reg.build_rows([]) == (headers, [])


def test_csv_has_bom_crlf_and_formula_guard() -> None:
    data = reg.export_csv(_accounts())
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][2] == "'@ube_city"  # Excel would read @... as a formula


def test_cp932_export_is_shift_jis() -> None:
    data = reg.export_csv(_accounts(), encoding="cp932")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "ソーシャル".encode("cp932") in data or "番号".encode("cp932") in data
    data.decode("cp932")


@pytest.mark.parametrize("suffix,kwargs", [(".csv", {}), (".csv", {"encoding": "cp932"}), (".xlsx", {}), (".md", {})])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_round_trip(tmp_path: Path, suffix: str, kwargs: dict, lang: str) -> None:
    path = tmp_path / f"registry{suffix}"
    path.write_bytes(reg.render(path, _accounts(), lang, as_of=AS_OF, **kwargs))
    assert reg.check(path, _accounts(), lang) == []


def test_cp932_round_trip_with_unencodable_character(tmp_path: Path) -> None:
    accs = _accounts()
    accs[0]["holders"][0]["name"] = "𠮷田 花子"  # not in cp932: exported as '?'
    path = tmp_path / "r.csv"
    path.write_bytes(reg.export_csv(accs, encoding="cp932"))
    assert reg.check(path, accs) == []
    other = copy.deepcopy(accs)
    other[0]["holders"][0]["name"] = "吉田 花子"
    assert [d.column for d in reg.check(path, other)] == ["担当者1"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md"])
def test_changed_holder_is_reported(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"registry{suffix}"
    path.write_bytes(reg.render(path, _accounts(), as_of=AS_OF))
    changed = _accounts()
    changed[0]["holders"][1] = {
        "name": "伊藤 四郎",
        "employee_id": "200009",
        "department": "広報広聴課",
        "assigned_on": dt.date(2025, 6, 1),
    }
    diffs = reg.check(path, changed)
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
    revealed = reg.check(path, changed, reveal_names=True)[0]
    assert revealed.expected == "伊藤 四郎（広報広聴課）"


def test_missing_and_extra_accounts(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(reg.export_csv(_accounts()))
    now = _accounts()[:2] + [_account(id="ube-city-youtube", platform="youtube", handle="宇部市公式")]
    diffs = reg.check(path, now)
    kinds = sorted((d.kind, d.key) for d in diffs)
    assert kinds == [("extra-row", "ube-kanko-instagram"), ("missing-row", "ube-city-youtube")]


def test_number_column_not_compared_and_dates_normalized(tmp_path: Path) -> None:
    headers, rows = reg.build_rows(_accounts())
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
    assert reg.check(path, _accounts()) == []


def test_edited_xlsx_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    path.write_bytes(reg.export_xlsx(_accounts(), as_of=AS_OF))
    wb = load_workbook(path)
    ws = wb.active
    ws["Q4"] = "休止中"
    wb.save(path)
    (d,) = reg.check(path, _accounts())
    assert (d.column, d.committed, d.expected, d.cell) == ("状態", "休止中", "運用中", "Q4")


def test_xlsx_layout(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = reg.export_xlsx(_accounts(), as_of=AS_OF)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws["A1"].value == "ソーシャルメディア アカウント管理担当者一覧表"
    assert ws["A1"].font.bold
    assert ws["A2"].value == "作成日：2025-04-03"
    headers = [c.value for c in ws[3]]
    assert headers == [c.ja for c in reg.COLUMNS]
    assert all(c.font.bold for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws["F4"].alignment.wrap_text
    default = 8.43
    for letter in ("B", "F", "J", "M"):
        assert ws.column_dimensions[letter].width > default
    # widths count wide characters as 2: 「X（旧Twitter）」 is 14 half-width cells, plus padding
    assert ws.column_dimensions["B"].width >= reg.display_width("X（旧Twitter）") + 2 == 16
    assert all(ws.column_dimensions[c].width <= 22 for c in "ABCDEFGHIJKLMNOPQR")
    # a row whose text wraps is taller than one line
    assert ws.row_dimensions[3].height >= 30  # 「SNS名（プラットフォーム）」 wraps in the header
    assert ws["C4"].value == "@ube_city" and ws["C4"].data_type == "s"


def test_xlsx_is_deterministic() -> None:
    a = reg.export_xlsx(_accounts(), as_of=AS_OF)
    b = reg.export_xlsx(_accounts(), as_of=AS_OF)
    assert a == b
    assert reg.export_xlsx(_accounts(), as_of=dt.date(2025, 5, 1)) != a


def test_formula_like_values_stay_text(tmp_path: Path) -> None:
    acc = _account(purpose='=HYPERLINK("http://evil")')
    path = tmp_path / "r.xlsx"
    path.write_bytes(reg.export_xlsx([acc]))
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws["F4"].data_type == "s"
    assert reg.check(path, [acc]) == []
    csv_path = tmp_path / "r.csv"
    csv_path.write_bytes(reg.export_csv([acc]))
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert rows[1][5].startswith("'=HYPERLINK")
    assert reg.check(csv_path, [acc]) == []


def test_markdown_escapes_pipes() -> None:
    md = reg.export_markdown(_accounts(), as_of=AS_OF)
    assert md.startswith("# ソーシャルメディア アカウント管理担当者一覧表\n")
    assert "作成日：2025-04-03" in md
    assert "観光 \\| イベント情報 の発信" in md
    table_lines = [l for l in md.splitlines() if l.startswith("|")]
    assert len(table_lines) == 2 + 3
    assert all(l.count("|") - l.count("\\|") == len(reg.COLUMNS) + 1 for l in table_lines)


def test_headers_in_other_language_accepted(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text(reg.export_markdown(_accounts(), "en"), encoding="utf-8")
    assert reg.check(path, _accounts(), "ja") == []
    changed = _accounts()
    changed[0]["status"] = "suspended"
    (d,) = reg.check(path, changed, "ja")
    assert (d.column, d.committed, d.expected) == ("状態", "active", "suspended")


def test_missing_column_reported(tmp_path: Path) -> None:
    headers, rows = reg.build_rows(_accounts())
    drop = headers.index("二重認証")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([h for i, h in enumerate(headers) if i != drop])
    w.writerows([[c for i, c in enumerate(r) if i != drop] for r in rows])
    path = tmp_path / "r.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    diffs = reg.check(path, _accounts())
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
    diffs = reg.check(path, _accounts())
    assert len(diffs) == 1 and diffs[0].kind == "unreadable"
    assert diffs[0].detail


def test_broken_csv_row_is_a_content_difference(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    good = reg.export_csv(_accounts()).decode("utf-8-sig")
    path.write_text(good.replace("3,LINE,", '3,LINE,"'), encoding="utf-8")  # quote never closed
    diffs = reg.check(path, _accounts())
    assert sorted(d.kind for d in diffs) == ["extra-row", "missing-row"]
    assert [d.key for d in diffs if d.kind == "missing-row"] == ["ube-city-line"]


def test_missing_file(tmp_path: Path) -> None:
    (d,) = reg.check(tmp_path / "none.csv", _accounts())
    assert (d.kind, d.detail) == ("unreadable", "not-found")


def test_footnotes_below_table_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    text = reg.export_csv(_accounts()).decode("utf-8-sig") + "\r\n※担当者の変更時は再提出すること\r\n"
    path.write_text(text, encoding="utf-8-sig")
    assert reg.check(path, _accounts()) == []


def test_render_rejects_unknown_extension() -> None:
    with pytest.raises(ValueError):
        reg.render("r.pdf", _accounts())


def test_display_width() -> None:
    assert reg.display_width("abc") == 3
    assert reg.display_width("宇部市") == 6
    assert reg.display_width("ｱｲｳ") == 3  # half-width katakana
