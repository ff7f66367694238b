"""Tests for snspolicy.reporters.posting_mix: the 3(4) posting mix as tables (text, Markdown, CSV)
and as an SVG chart."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from posting_mix_sample import mix_posts

from snspolicy.domain.posting_mix import mix
from snspolicy.reporters.posting_mix import render_svg_chart, render_table

SVG = "{http://www.w3.org/2000/svg}"


def test_text_table() -> None:
    out = render_table(mix(mix_posts()), "text")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["アカウント", "月", "健康"]
    row = next(ln for ln in lines if ln.startswith("ube-city-x") and "2025-04" in ln).split()
    # health childcare safety tourism event product civic other total share
    assert row[2:] == ["1", "0", "0", "2", "0", "0", "0", "0", "3", "100%"]
    total = next(ln for ln in lines if ln.startswith("合計")).split()
    assert total[1:] == ["1", "0", "1", "2", "1", "0", "1", "0", "6", "83%"]
    assert "削除済み 2 件" in out and "下書きなど 1 件" in out
    # columns line up even with double-width headers
    header, rule = lines[0], lines[1]
    assert len(rule) == sum(2 if ord(ch) > 0x2E80 else 1 for ch in header)


def test_markdown_table() -> None:
    out = render_table(mix(mix_posts()), "markdown", lang="en")
    assert out.startswith("| Account | Month | Health |")
    assert "| ube-city-ig | 2025-05 | 0 | 0 | 0 | 0 | 1 | 0 | 1 | 0 | 2 | 50% |" in out
    assert "Not counted:" in out and "publish\\_at" in out


def test_csv_table() -> None:
    rows = list(csv.reader(io.StringIO(render_table(mix(mix_posts()), "csv"))))
    assert rows[0][:3] == ["アカウント", "月", "健康"] and rows[0][-2:] == ["合計", "重点分野の割合"]
    assert rows[-1][0] == "合計" and rows[-1][-2:] == ["6", "83.3"]
    assert len(rows) == 1 + 3 + 1


def test_csv_defuses_formulas() -> None:
    m = mix([{"account": "=HYPERLINK(\"x\")", "status": "published", "publish_at": "2025-04-01", "category": "health"}])
    rows = list(csv.reader(io.StringIO(render_table(m, "csv"))))
    assert rows[1][0] == "'=HYPERLINK(\"x\")"


def test_unknown_table_format() -> None:
    with pytest.raises(ValueError, match="unknown table format"):
        render_table(mix([]), "xlsx")


def test_svg_parses_and_has_labels() -> None:
    svg = render_svg_chart(mix(mix_posts()), "ja")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "分野別の投稿数（月別）"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label in ("観光 ★", "健康 ★", "安全安心 ★", "イベント ★", "市政", "投稿数", "月", "2025-04", "2025-05"):
        assert label in texts, label
    # one bar segment per (month, category) with posts, each with a tooltip
    tips = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert sorted(tips) == sorted(["2025-04 健康: 1", "2025-04 観光: 2", "2025-05 安全安心: 1",
                                   "2025-05 イベント: 1", "2025-05 市政: 1"])
    assert "合計 6 件" in root.find(f"{SVG}desc").text


def test_svg_colors_are_distinct_and_legend_matches() -> None:
    root = ET.fromstring(render_svg_chart(mix(mix_posts())))
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None}
    assert len(fills) == 5  # five categories, five colours


def test_svg_english_account_and_escaping() -> None:
    posts = mix_posts() + [{"account": "ube-city-x", "status": "published", "publish_at": "2025-04-09",
                         "category": "<b>&\"x"}]
    svg = render_svg_chart(mix(posts), "en", account="ube-city-x")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Posts by category and month — ube-city-x"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Tourism ★" in texts and "<b>&\"x" in texts and "Posts" in texts
    assert "Events ★" not in texts  # only ube-city-ig posted events
    assert root.find(f"{SVG}defs/{SVG}pattern") is not None  # unknown category is hatched


def test_svg_empty() -> None:
    root = ET.fromstring(render_svg_chart(mix([])))
    assert "集計対象の投稿がありません" in [t.text for t in root.iter(f"{SVG}text")]


def test_deterministic() -> None:
    assert render_svg_chart(mix(mix_posts())) == render_svg_chart(mix(list(reversed(mix_posts()))))
    assert render_table(mix(mix_posts()), "csv") == render_table(mix(list(reversed(mix_posts()))), "csv")
