"""``snspolicy registry export|check`` (4(5)) through the real CLI."""

from __future__ import annotations

import re

import csv
import io
import json

import pytest
from conftest import run_cli, write

FORMATS = {"csv": "csv", "xlsx": "xlsx", "markdown": "md"}


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_csv_to_stdout_has_japanese_headers_and_every_account(clean_repo):
    r = run_cli("registry", "export", str(clean_repo))
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert rows[0][:3] == ["番号", "SNS名（プラットフォーム）", "アカウント名"]
    ids = {row[rows[0].index("アカウントID")] for row in rows[1:]}
    assert ids == {p.stem for p in (clean_repo / "accounts").glob("*.yaml")}
    header = rows[0]
    for col in ("URL", "利用目的", "所管課", "管理者（職・氏名）", "担当者1", "担当者2", "二重認証", "承認日"):
        assert col in header


def test_export_english_headers(clean_repo):
    r = run_cli("registry", "export", "--lang", "en", "-f", "markdown", str(clean_repo))
    assert r.returncode == 0
    assert "# Social media account holders registry" in r.stdout
    assert "| No. | Platform | Account name |" in r.stdout


def test_export_xlsx_opens_with_japanese_headers_and_widths(clean_repo, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "一覧表.xlsx"
    r = run_cli("registry", "export", "-o", str(out), "--as-of", "2025-06-01", str(clean_repo))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert ws["A1"].value == "ソーシャルメディア アカウント管理担当者一覧表"
    assert "2025-06-01" in ws["A2"].value
    headers = [c.value for c in ws[3]]
    assert headers[:2] == ["番号", "SNS名（プラットフォーム）"] and "担当者1" in headers
    assert ws[3][0].font.bold
    purpose_col = ws[3][headers.index("利用目的")].column_letter
    # widths are set for Japanese text (wider than Excel's default 8.43); long text wraps
    assert ws.column_dimensions[purpose_col].width > 10
    assert ws.cell(row=4, column=headers.index("利用目的") + 1).alignment.wrap_text
    assert all(ws.column_dimensions[c.column_letter].width for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.max_row == 3 + len(list((clean_repo / "accounts").glob("*.yaml")))


def test_xlsx_is_deterministic_for_the_same_date(clean_repo, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (a, b):
        assert run_cli("registry", "export", "-o", str(out), "--as-of", "2025-06-01", str(clean_repo)).returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_xlsx_to_a_pipe_is_allowed(clean_repo):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "snspolicy", "registry", "export", "-f", "xlsx", str(clean_repo)],
                       capture_output=True, check=False)
    assert r.returncode == 0 and r.stdout[:2] == b"PK"


@pytest.mark.parametrize("args", [
    ["-f", "xlsx", "-o", "x.csv"],
    ["-o", "x.txt"],
    ["-f", "pdf"],
    ["--as-of", "2025/06/01"],
])
def test_export_usage_errors(clean_repo, tmp_path, args):
    r = run_cli("registry", "export", *args, str(clean_repo), cwd=tmp_path)
    assert r.returncode == 2
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.txt").exists()


def test_export_refuses_when_an_account_file_is_unreadable(clean_repo):
    write(clean_repo, "accounts/broken.yaml", "id: broken\nid: twice\n")
    r = run_cli("registry", "export", str(clean_repo))
    assert r.returncode == 2 and "accounts/broken.yaml" in r.stderr and r.stdout == ""


def test_export_overwrites_atomically(clean_repo, tmp_path):
    out = tmp_path / "reg" / "ichiran.csv"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    assert run_cli("registry", "export", "-o", str(out), str(clean_repo)).returncode == 0
    assert out.read_bytes().startswith("\ufeff番号".encode("utf-8"))
    assert [p.name for p in out.parent.iterdir()] == ["ichiran.csv"]  # no temporary file left behind


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_round_trip_then_holder_change_makes_check_fail(clean_repo, tmp_path, fmt, lang):
    out = clean_repo / "registry" / f"ichiran.{FORMATS[fmt]}"
    assert run_cli("registry", "export", "-f", fmt, "--lang", lang, "-o", str(out), str(clean_repo)).returncode == 0
    ok = run_cli("registry", "check", str(out), str(clean_repo))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "一致しています" in ok.stdout
    acc = clean_repo / "accounts" / "ube-city-x.yaml"
    acc.write_text(acc.read_text(encoding="utf-8").replace("真締 由美", "寿 結衣"), encoding="utf-8")
    stale = run_cli("registry", "check", str(out), str(clean_repo))
    assert stale.returncode == 1
    lines = stale.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{out}:")
    assert "ube-city-x" in lines[0] and "担当者1" in lines[0] or "Holder 1" in lines[0]
    assert "寿 結衣" not in stale.stdout and "真締 由美" not in stale.stdout  # names are masked
    # the reported line is the account's row of the file
    row = int(lines[0].split(":")[1])
    if fmt != "xlsx":
        assert "ube-city-x" in out.read_bytes().decode("utf-8-sig").splitlines()[row - 1]


def test_cp932_csv_round_trip(clean_repo, tmp_path):
    out = tmp_path / "sjis.csv"
    assert run_cli("registry", "export", "--encoding", "cp932", "-o", str(out), str(clean_repo)).returncode == 0
    out.read_bytes().decode("cp932")  # really Shift_JIS
    assert run_cli("registry", "check", str(out), str(clean_repo)).returncode == 0


def test_check_accepts_a_copy_resaved_with_other_date_spelling(clean_repo, tmp_path):
    out = tmp_path / "r.csv"
    run_cli("registry", "export", "-o", str(out), str(clean_repo))
    text = out.read_bytes().decode("utf-8-sig").replace("2025-04-01", "2025/4/1")
    out.write_bytes(text.encode("utf-8-sig"))
    assert run_cli("registry", "check", str(out), str(clean_repo)).returncode == 0


def test_check_new_account_is_a_missing_row(clean_repo, tmp_path):
    out = tmp_path / "r.md"
    run_cli("registry", "export", "-o", str(out), str(clean_repo))
    src = (clean_repo / "accounts" / "ube-city-x.yaml").read_text(encoding="utf-8")
    write(clean_repo, "accounts/ube-new-x.yaml", src.replace("ube-city-x", "ube-new-x").replace("ube_city", "ube_new"))
    r = run_cli("registry", "check", "-f", "json", str(out), str(clean_repo))
    assert r.returncode == 1
    rows = json.loads(r.stdout)
    assert [(d["kind"], d["account"]) for d in rows] == [("missing-row", "ube-new-x")]


@pytest.mark.parametrize("name, content", [
    ("none.csv", None),
    ("garbage.csv", "これは表ではありません\n"),
    ("table.xlsx", "not a zip"),
    ("table.pdf", "%PDF-1.4"),
])
def test_check_unreadable_is_exit_2(clean_repo, tmp_path, name, content):
    p = tmp_path / name
    if content is not None:
        p.write_text(content, encoding="utf-8")
    r = run_cli("registry", "check", str(p), str(clean_repo))
    assert r.returncode == 2
    assert name in r.stderr and "Traceback" not in r.stderr


def test_lint_with_committed_registry(clean_repo):
    assert run_cli("registry", "export", "-o", str(clean_repo / "ichiran.csv"), str(clean_repo)).returncode == 0
    cfg = clean_repo / "snspolicy.yaml"
    cfg.write_text(re.sub(r"(?m)^registry:.*\n", "", cfg.read_text(encoding="utf-8")) + "registry: ichiran.csv\n", encoding="utf-8")
    assert run_cli("lint", str(clean_repo)).returncode == 0
    acc = clean_repo / "accounts" / "ube-city-x.yaml"
    acc.write_text(acc.read_text(encoding="utf-8").replace("method: totp", "method: security_key"), encoding="utf-8")
    r = run_cli("lint", "-f", "json", str(clean_repo))
    assert r.returncode == 1
    stale = [f for f in json.loads(r.stdout) if f["rule"] == "registry-stale"]
    assert len(stale) == 1 and stale[0]["path"] == "ichiran.csv" and stale[0]["clause"] == "4(5)"
    assert "セキュリティキー" in stale[0]["message"]  # the new value is shown (not a name)


def test_help_works():
    r = run_cli("registry", "--help")
    assert r.returncode == 0 and "export" in r.stdout and "check" in r.stdout
