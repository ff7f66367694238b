"""Tests for snspolicy.domain.holders_list.table (clause 4(5) 一覧表): the table model: columns, cell texts, row order."""

from __future__ import annotations

from holders_list_samples import account, accounts

from snspolicy.domain.holders_list import export, table


def test_build_rows_headers_sorting_and_values() -> None:
    headers, rows = table.build_rows(accounts())
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
    acc = account()
    acc["security"]["password"] = "Tr0ub4dor&3"  # even if someone wrote one
    _, rows = table.build_rows([acc])
    assert all("Tr0ub4dor" not in cell for cell in rows[0])
    assert b"Tr0ub4dor" not in export.export_csv([acc])


def test_english_headers_and_platform_names() -> None:
    headers, rows = table.build_rows(accounts(), lang="en")
    assert headers[:3] == ["No.", "Platform", "Account name"]
    assert rows[0][1] == "X (formerly Twitter)"
    assert rows[0][headers.index("Status")] == "active"


def test_bad_input_does_not_crash() -> None:
    headers, rows = table.build_rows([None, "x", {"id": 3, "holders": "nobody", "security": [], "manager": "山田"}])  # type: ignore[list-item]
    assert len(rows) == 1 and rows[0][headers.index("アカウントID")] == "3"
    assert table.build_rows([]) == (headers, [])


def test_display_width() -> None:
    assert table.display_width("abc") == 3
    assert table.display_width("宇部市") == 6
    assert table.display_width("ｱｲｳ") == 3  # half-width katakana
