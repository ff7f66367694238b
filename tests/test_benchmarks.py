"""benchmarks/run.py and its repo generator: realistic, deterministic, clean but for the planted violations."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))
pytest.importorskip("sudachipy")  # the floor tokenizes with SudachiPy, as snspolicy does

import floor
import repogen
import run

_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日（([月火水木金土日])）")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, repogen.Manifest]:
    root = tmp_path_factory.mktemp("bench") / "repo"
    return root, repogen.build_repo(root, 400, seed=7)


def test_repo_layout(repo: tuple[Path, repogen.Manifest]) -> None:
    root, m = repo
    assert (root / "snspolicy.yaml").is_file() and (root / "staff" / "roster.csv").is_file()
    assert len(list((root / "accounts").glob("*.yaml"))) >= 4
    assert len(list((root / "posts").rglob("*.md"))) == 400 == len(m.posts)
    assert len(list((root / "press").glob("*.yaml"))) >= len(m.press) > 0
    assert len({p.account for p in m.posts}) >= 4
    roster = (root / "staff" / "roster.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        roster.decode("utf-8")  # Shift_JIS, as the HR system writes it
    for post in m.posts[:50]:
        text = (root / post.rel).read_text(encoding="utf-8")
        front, body = floor.split(text)
        data = yaml.safe_load(front)
        assert data["id"] == Path(post.rel).stem and data["account"] == post.account
        assert body.rstrip("\n") == post.body


def test_bodies_are_realistic(repo: tuple[Path, repogen.Manifest]) -> None:
    _, m = repo
    lengths = [len(p.body) for p in m.posts]
    assert 190 <= statistics.median(lengths) <= 250
    assert sum("https://" in p.body for p in m.posts) > len(m.posts) / 2
    assert sum("#" in p.body for p in m.posts) > len(m.posts) / 2
    assert sum("0836-31-1111" in p.body or "@city.ube" in p.body for p in m.posts) > len(m.posts) / 3
    assert sum(bool(_DATE.search(p.body)) for p in m.posts) > len(m.posts) * 0.9
    assert len({p.body for p in m.posts}) == len(m.posts)  # no two posts alike
    for p in m.posts:
        if p.account.endswith("-x"):
            assert repogen.x_weight(p.body) <= 280, p.rel


def test_weekdays_are_right_unless_planted(repo: tuple[Path, repogen.Manifest]) -> None:
    _, m = repo
    wrong = set()
    for p in m.posts:
        for mo, d, wd in _DATE.findall(p.body):
            year = p.publish.year + (1 if int(mo) < p.publish.month else 0)
            if repogen.WEEKDAYS[dt.date(year, int(mo), int(d)).weekday()] != wd:
                wrong.add(p.rel)
    assert wrong == {p.rel for p in m.posts if p.violation == "weekday"}


def test_deterministic(tmp_path: Path) -> None:
    a = repogen.build_repo(tmp_path / "a", 30, seed=3)
    b = repogen.build_repo(tmp_path / "b", 30, seed=3)
    c = repogen.build_repo(tmp_path / "c", 30, seed=4)
    assert [p.body for p in a.posts] == [p.body for p in b.posts] != [p.body for p in c.posts]


def _lint(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    env.pop("SNSPOLICY_LANG", None)
    return subprocess.run([sys.executable, "-m", "snspolicy", "lint", *args, "--today", repogen.TODAY], cwd=root,
                          env=env, capture_output=True, text=True, check=False)


def test_findings_are_the_planted_violations(repo: tuple[Path, repogen.Manifest]) -> None:
    root, m = repo
    assert sum(m.expected().values()) >= 8  # some violations are planted …
    proc = _lint(root, ".", "-f", "json")
    assert proc.returncode == 1, proc.stderr
    found = Counter(f["rule"] for f in json.loads(proc.stdout))
    assert found == m.expected()  # … and nothing else is found


def test_floor_reads_every_post(repo: tuple[Path, repogen.Manifest]) -> None:
    root, m = repo
    res = floor.main(root)
    assert res["files"] == 400 and res["body_chars"] >= sum(len(p.body) for p in m.posts)
    assert res["morphemes"] > 400 * 50
    assert floor.split("no front matter") == ("", "no front matter")
    assert floor.split("---\na: 1\n---\nbody\n") == ("a: 1", "body\n")


def test_sizes_option() -> None:
    assert run.parse_sizes("500,2_000, 10000") == (500, 2000, 10000)
    for bad in ("", "0", "a,b", "-5"):
        with pytest.raises(Exception, match="--sizes"):
            run.parse_sizes(bad)


def test_run_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(run, "OUT", tmp_path / "out")
    monkeypatch.setattr(run, "DOC", tmp_path / "performance.md")
    (tmp_path / "performance.md").write_text("# Performance\n\nintro\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    assert run.main(["--sizes", "40", "--repeats", "1", "--one-runs", "1", "--no-textlint", "--write-docs"]) == 0
    out = capsys.readouterr().out
    assert "| 40 |" in out and "textlint skipped (--no-textlint)" in out
    data = json.loads((tmp_path / "out" / "latest.json").read_text(encoding="utf-8"))
    (r,) = data["results"]
    assert r["posts"] == 40 and r["floor"]["files"] == 40
    assert r["snspolicy"]["findings_match_planted"] is True
    assert r["snspolicy"]["seconds"] > 0 and r["floor"]["seconds"] > 0 and r["ratio"] > 0
    assert r["one_file"]["status"] in (0, 1) and r["one_file"]["path"].startswith("posts/")
    # --jobs 1 and the second run from the cache print exactly what the cold run printed
    assert r["serial"]["same_output"] is True and r["warm"]["same_output"] is True
    assert "textlint" not in r
    doc = (tmp_path / "performance.md").read_text(encoding="utf-8")
    assert doc.startswith("# Performance\n\nintro\n") and run.SECTION_START in doc and "| 40 |" in doc
    # a second run replaces the section instead of adding another
    assert run.main(["--sizes", "40", "--repeats", "1", "--one-runs", "1", "--no-textlint", "--write-docs"]) == 0
    assert (tmp_path / "performance.md").read_text(encoding="utf-8").count(run.SECTION_START) == 1


def test_textlint_required_but_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run.shutil, "which", lambda name: None)
    assert run.textlint_ready("auto") == (False, "skipped: Node.js/npm not installed")
    assert run.main(["--sizes", "1", "--textlint"]) == 2
