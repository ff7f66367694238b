"""`snspolicy report`: the 3(4) posting mix through the command line."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from snspolicy.cli import main
from tests.conftest import WITHOUT_CACHE

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ube-city-posts"
SVG = "{http://www.w3.org/2000/svg}"


def post(pid: str, account: str, status: str, publish_at: str, category: str) -> str:
    return (f"---\nid: {pid}\naccount: {account}\nstatus: {status}\npublish_at: {publish_at}\ncategory: {category}\n"
            f"author: {{employee_id: \"200201\"}}\n---\n本文\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Five posts on two accounts; one draft and one deleted (not counted)."""
    root = tmp_path / "repo"
    (root / "posts").mkdir(parents=True)
    (root / "snspolicy.yaml").write_text("policy: ube/2025-04-01\n", encoding="utf-8")
    posts = {
        "a.md": post("a", "ube-city-x", "published", "2025-04-01T09:00:00+09:00", "tourism"),
        "b.md": post("b", "ube-city-x", "published", "2025-04-20T09:00:00+09:00", "tourism"),
        "c.md": post("c", "ube-city-x", "scheduled", "2025-04-30T15:30:00Z", "health"),   # 1 May in Japan
        "d.md": post("d", "ube-city-ig", "approved", "2025-06-02", "event"),
        "e.md": post("e", "ube-city-ig", "published", "2025-03-10T09:00:00+09:00", "civic"),
        "f.md": post("f", "ube-city-x", "draft", "2025-04-05T09:00:00+09:00", "tourism"),
        "g.md": post("g", "ube-city-x", "deleted", "2025-04-06T09:00:00+09:00", "tourism"),
    }
    for name, text in posts.items():
        (root / "posts" / name).write_text(text, encoding="utf-8")
    return root


def invoke(*args: str):
    return CliRunner().invoke(main, ["report", *args], catch_exceptions=False)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_counts_per_account_month_and_category(repo: Path) -> None:
    r = invoke(str(repo), "--format", "csv", "--lang", "en")
    assert r.exit_code == 0, r.output
    rows = csv_rows(r.stdout)
    header = rows[0]
    assert header[:2] == ["Account", "Month"] and "Tourism" in header
    body = {(row[0], row[1]): row for row in rows[1:-1]}
    assert set(body) == {("ube-city-ig", "2025-03"), ("ube-city-ig", "2025-06"), ("ube-city-x", "2025-04"), ("ube-city-x", "2025-05")}
    tourism = header.index("Tourism")
    health = header.index("Health")
    total = header.index("Total")
    assert body[("ube-city-x", "2025-04")][tourism] == "2"      # draft and deleted not counted
    assert body[("ube-city-x", "2025-05")][health] == "1"       # 15:30 UTC on 30 April is May in Japan
    assert rows[-1][0] == "Total" and rows[-1][total] == "5"


def test_text_table_in_japanese_by_default(repo: Path) -> None:
    r = invoke(str(repo))
    assert r.exit_code == 0
    assert "アカウント" in r.stdout and "観光" in r.stdout and "ube-city-x" in r.stdout
    assert "削除済み 1 件" in r.stdout and "下書きなど 1 件" in r.stdout


def test_markdown_table(repo: Path) -> None:
    r = invoke(str(repo), "-f", "markdown", "--lang", "en")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("| Account | Month |") and lines[1].startswith("|---|---|")


def test_since_keeps_months_from_then_on(repo: Path) -> None:
    r = invoke(str(repo), "--since", "2025-05", "-f", "csv", "--lang", "en")
    assert r.exit_code == 0
    months = {row[1] for row in csv_rows(r.stdout)[1:-1]}
    assert months == {"2025-05", "2025-06"}


@pytest.mark.parametrize("bad", ["2025-13", "2025-1", "25-04", "2025/04", "april"])
def test_bad_since_is_a_usage_error(repo: Path, bad: str) -> None:
    r = invoke(str(repo), "--since", bad)
    assert r.exit_code == 2 and "--since" in r.output


def test_account_filter(repo: Path) -> None:
    r = invoke(str(repo), "--account", "ube-city-ig", "-f", "csv")
    assert {row[0] for row in csv_rows(r.stdout)[1:-1]} == {"ube-city-ig"}
    r = invoke(str(repo), "--account", "nope")
    assert r.exit_code == 0 and "nope" in r.stderr


def test_chart_is_a_valid_svg_with_title(repo: Path, tmp_path: Path) -> None:
    chart = tmp_path / "out" / "mix.svg"
    r = invoke(str(repo), "--chart", str(chart), "--lang", "en")
    assert r.exit_code == 0 and chart.is_file() and str(chart) in r.stderr
    tree = ET.parse(chart)
    svg = tree.getroot()
    assert svg.tag == f"{SVG}svg" and svg.find(f"{SVG}title") is not None
    assert len([t for t in svg.iter(f"{SVG}rect") if t.find(f"{SVG}title") is not None]) == 4  # one segment per (month, category): 03 civic, 04 tourism, 05 health, 06 event
    assert "ube-city-x" in r.stdout  # the table is still printed


def test_output_file_csv_has_bom_for_excel(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "mix.csv"
    r = invoke(str(repo), "-f", "csv", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "アカウント".encode() in data


def test_unreadable_post_is_mentioned(repo: Path) -> None:
    (repo / "posts" / "broken.md").write_text("no front matter\n", encoding="utf-8")
    r = invoke(str(repo))
    assert r.exit_code == 0 and "1 件" in r.stderr


def test_empty_repo(tmp_path: Path) -> None:
    (tmp_path / "snspolicy.yaml").write_text("policy: ube/2025-04-01\n", encoding="utf-8")
    r = invoke(str(tmp_path), "--lang", "en")
    assert r.exit_code == 0 and "Total" in r.stdout


def test_bad_policy_exits_2(repo: Path) -> None:
    (repo / "snspolicy.yaml").write_text("policy: nowhere/0000\n", encoding="utf-8")
    r = invoke(str(repo))
    assert r.exit_code == 2


def test_missing_repo_exits_2(tmp_path: Path) -> None:
    r = invoke(str(tmp_path / "nothing"))
    assert r.exit_code == 2


def test_example_repo_through_python_m(tmp_path: Path) -> None:
    if not EXAMPLE.is_dir():
        pytest.skip("example repo missing")
    copy = tmp_path / "ex"
    shutil.copytree(EXAMPLE, copy, ignore=WITHOUT_CACHE)
    proc = subprocess.run([sys.executable, "-m", "snspolicy", "report", str(copy), "-f", "csv", "--lang", "en"],
                          check=False, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = csv_rows(proc.stdout)
    assert rows[0][0] == "Account" and rows[-1][0] == "Total"
    accounts = {row[0] for row in rows[1:-1]}
    assert {"ube-city-x", "ube-city-instagram"} <= accounts
