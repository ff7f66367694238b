"""``snspolicy lint`` options of issue 13, through the real CLI: several outputs from one run
(``-f FORMAT:PATH``), ``--quiet``, ``--statistics``, ``--max-warnings``, ``--config``,
``--no-progress`` and ``--stdin-filename F -``.

Every option has a case that must act and a case that must not; the output paths go through
the same refusal as ``-o`` (never an input file, nothing written when one output is refused).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import click
import pytest
from conftest import CLEAN, TODAY, VIOLATIONS, WITHOUT_CACHE, run_cli

from snspolicy import reporters
from snspolicy.commands.lint import FORMATS, Output, plan_outputs


@pytest.fixture(scope="module")
def violations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("opts") / "violations"
    shutil.copytree(VIOLATIONS, root, symlinks=True, ignore=WITHOUT_CACHE)
    return root


def _json(proc: subprocess.CompletedProcess) -> list[dict]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


def _keys(findings: list[dict]) -> Counter:
    return Counter((f["path"], f["line"], f["column"], f["rule"]) for f in findings)


# ----------------------------------------------------------------------------- planning the outputs


def test_the_formats_are_the_reporters():
    assert tuple(FORMATS) == reporters.FORMATS


def test_format_and_path_are_split_at_the_first_colon():
    outs = plan_outputs(["github", "sarif:results.sarif", "MARKDOWN:out/summary.md", "json:C:\\ci\\r.json"], None)
    assert outs == [Output("github"), Output("sarif", "results.sarif"), Output("markdown", "out/summary.md"),
                    Output("json", "C:\\ci\\r.json")]
    assert plan_outputs([], None) == [Output("text")]
    assert plan_outputs([], "report.txt") == [Output("text", "report.txt")]
    assert plan_outputs(["json"], "r.json") == [Output("json", "r.json")]  # -o stays for one format


@pytest.mark.parametrize("specs,output", [
    (["json", "github"], None),                      # two on stdout
    (["nope"], None),                                # unknown format
    (["sarif:"], None),                              # no path
    (["json", "sarif:x.sarif"], "y.json"),           # -o with several outputs
    (["sarif:x.sarif"], "y.sarif"),                  # -o and a path
    (["sarif:a/x.sarif", "json:a/../a/x.sarif"], None),  # the same file twice
])
def test_conflicting_outputs_are_usage_errors(specs, output):
    with pytest.raises(click.UsageError):
        plan_outputs(specs, output, "en")


def test_help_shows_format_path_and_every_new_option():
    r = run_cli("lint", "--help")
    assert r.returncode == 0
    assert "FORMAT:PATH" in r.stdout
    for option in ("--quiet", "--statistics", "--max-warnings", "--config", "--no-progress", "--stdin-filename"):
        text = r.stdout.split("Options:", 1)[1].split(option, 1)[1].split("\n  -", 1)[0]  # up to the next option
        assert re.search(r"[ぁ-んァ-ン一-龥]", text) and re.search(r"[a-z]{4} [a-z]{2,}", text), option  # ja / en
    for fmt in FORMATS:
        assert fmt in r.stdout


# ----------------------------------------------------------------------------- several outputs


def test_one_run_writes_every_output(violations: Path, tmp_path: Path):
    out = tmp_path / "out"
    r = run_cli("lint", str(violations), "-f", "github", "-f", f"sarif:{out / 'r.sarif'}", "-f", f"markdown:{out / 's.md'}",
                "-f", f"json:{out / 'f.json'}", "-f", f"gitlab:{out / 'gl.json'}", "-f", f"html:{out / 'review.html'}",
                "-f", f"junit:{out / 'j.xml'}", "-f", f"text:{out / 't.txt'}")
    assert r.returncode == 1, r.stderr
    assert r.stdout.startswith("::")  # the one format without a path went to stdout
    for name in ("r.sarif", "s.md", "f.json", "gl.json", "review.html", "j.xml", "t.txt"):
        assert (out / name).stat().st_size > 0, name
    # each file is what a run of that format alone prints
    for fmt, name in (("sarif", "r.sarif"), ("markdown", "s.md"), ("json", "f.json"), ("gitlab", "gl.json"),
                      ("junit", "j.xml"), ("text", "t.txt")):
        alone = run_cli("lint", str(violations), "-f", fmt, "--no-color")
        assert (out / name).read_text(encoding="utf-8") == alone.stdout, fmt


def test_an_output_that_is_an_input_is_refused_and_nothing_is_written(violations: Path, tmp_path: Path):
    before = (violations / "snspolicy.yaml").read_bytes()
    other = tmp_path / "report.json"
    r = run_cli("lint", str(violations), "-f", f"json:{other}", "-f", f"sarif:{violations / 'snspolicy.yaml'}")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "snspolicy.yaml" in r.stderr
    assert (violations / "snspolicy.yaml").read_bytes() == before
    assert not other.exists()  # all or nothing
    r = run_cli("lint", str(violations), "-f", f"markdown:{violations / 'posts' / 'summary.md'}")
    assert r.returncode == 2 and not (violations / "posts" / "summary.md").exists()  # would become a post


def test_outputs_outside_the_repo_and_beside_it_are_fine(violations: Path, tmp_path: Path):
    """Must not fire: an ordinary report file, inside the repo or not."""
    inside = violations / "reports" / "lint.sarif"
    r = run_cli("lint", str(violations), "-f", f"sarif:{inside}", "-f", f"json:{tmp_path / 'x.json'}")
    assert r.returncode == 1, r.stderr
    assert inside.is_file() and (tmp_path / "x.json").is_file()
    shutil.rmtree(violations / "reports")


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes")
def test_an_output_can_be_a_fifo(violations: Path, tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    r = run_cli("lint", str(violations), "-f", "text", "-f", f"json:{fifo}")
    t.join(30)
    assert r.returncode == 1, r.stderr
    assert got and json.loads(got[0].decode("utf-8"))


def test_a_setup_error_is_a_finding_in_every_output(tmp_path: Path):
    repo = tmp_path / "broken"
    shutil.copytree(CLEAN, repo, symlinks=True, ignore=WITHOUT_CACHE)
    (repo / "snspolicy.yaml").write_text("policy: no/such-policy\n", encoding="utf-8")
    r = run_cli("lint", str(repo), "-f", "json", "-f", f"sarif:{tmp_path / 'r.sarif'}", "-f", f"gitlab:{tmp_path / 'g.json'}")
    assert r.returncode == 2
    assert [f["path"] for f in _json(r)] == ["snspolicy.yaml"]
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 1
    assert len(json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))) == 1


def test_the_review_page_gets_the_documents_and_the_policys_x_limit(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(CLEAN, repo, symlinks=True, ignore=WITHOUT_CACHE)
    page = tmp_path / "review.html"
    r = run_cli("lint", str(repo), "-f", f"html:{page}")
    assert r.returncode == 0, r.stderr
    html = page.read_text(encoding="utf-8")
    post = next(p for p in sorted((repo / "posts").rglob("*.md")))
    body = post.read_text(encoding="utf-8").split("---", 2)[2].strip().splitlines()
    first = next(line for line in body if len(line) > 8 and "<" not in line and "&" not in line)
    assert first[:8] in html  # the posts are on the page, not just the findings
    assert re.search(r"/ 280 ", html)
    # a policy that counts X posts to 140 gives a page that says so
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    (tmp_path / "x140.yaml").write_text(
        cfg + "\nrules:\n  clarity-length:\n    reason: 試行\n    params:\n      limits: {x: 140, threads: 500, line: 500,"
              " instagram: 2200, facebook: 63206, youtube: 5000, tiktok: 4000}\n", encoding="utf-8")
    r = run_cli("lint", str(repo), "--config", str(tmp_path / "x140.yaml"), "-f", f"html:{page}")
    assert r.returncode in (0, 1), r.stderr
    html = page.read_text(encoding="utf-8")
    assert re.search(r"/ 140 ", html) and not re.search(r"/ 280 ", html)


# ----------------------------------------------------------------------------- --quiet, --statistics


def test_quiet_prints_findings_only(violations: Path, clean_repo: Path):
    loud = run_cli("lint", str(violations))
    quiet = run_cli("lint", str(violations), "--quiet")
    assert quiet.returncode == loud.returncode == 1
    assert quiet.stdout.splitlines() == loud.stdout.splitlines()[:-1]  # the same lines without the summary
    assert "件の違反" in loud.stdout.splitlines()[-1] and "件の違反" not in quiet.stdout
    clean = run_cli("lint", str(clean_repo), "-q")
    assert clean.returncode == 0 and clean.stdout == "" and clean.stderr == ""
    assert run_cli("lint", str(clean_repo)).stdout.strip()  # must not fire without -q


def test_statistics_counts_each_rule(violations: Path):
    findings = _json(run_cli("lint", str(violations), "-f", "json"))
    want = Counter(f["rule"] for f in findings)
    r = run_cli("lint", str(violations), "--statistics")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.split()[:2] == ["件数", "ルール"])
    rows = {}
    for ln in lines[head + 1:]:
        parts = ln.split()
        if len(parts) >= 2 and parts[0].isdigit() and parts[1] != "合計":
            rows[parts[1]] = int(parts[0])
        if len(parts) >= 2 and parts[1] == "合計":
            assert int(parts[0]) == sum(want.values())
            break
    assert rows == dict(want)
    assert counts_sorted(list(rows.values()))
    assert "件の違反" in lines[-1]  # the summary line stays last
    assert all(ln.split(":", 1)[0] in {f["path"] for f in findings} for ln in lines[:head - 1])  # findings first
    plain = run_cli("lint", str(violations))
    assert "合計" not in plain.stdout  # must not fire without the option


def counts_sorted(values: list[int]) -> bool:
    return values == sorted(values, reverse=True)


def test_statistics_with_a_machine_format_goes_to_stderr(violations: Path):
    r = run_cli("lint", str(violations), "-f", "json", "--statistics", "--lang", "en")
    assert r.returncode == 1
    assert json.loads(r.stdout)  # stdout stays valid JSON
    assert re.search(r"^Count\s+Rule\s+Severity\s+Clause\s+Title$", r.stderr, re.MULTILINE)
    assert re.search(r"^\s*\d+\s+total$", r.stderr, re.MULTILINE)


# ----------------------------------------------------------------------------- --max-warnings


def test_max_warnings(violations: Path):
    base = ["lint", str(violations), "--select", "link-shortener", "-f", "json"]
    findings = _json(run_cli(*base))
    n = len(findings)
    assert n >= 1 and {f["severity"] for f in findings} == {"warning"}
    assert run_cli(*base).returncode == 0  # warnings do not fail at fail_on: error …
    over = run_cli(*base, "--max-warnings", str(n - 1))
    assert over.returncode == 1  # … unless there are more than --max-warnings
    assert f"警告が {n} 件" in over.stderr and "--max-warnings" in over.stderr
    assert run_cli(*base, "--max-warnings", str(n)).returncode == 0  # exactly N is fine
    assert run_cli(*base, "--max-warnings", "-1").returncode == 2  # a usage error


def test_max_warnings_ignores_waived_warnings(tmp_path: Path):
    """A warning covered by a valid waiver is not counted (the run reports it only with --show-waived)."""
    repo = tmp_path / "waived"
    shutil.copytree(VIOLATIONS, repo, symlinks=True, ignore=WITHOUT_CACHE)
    post = repo / "posts/ube-city-x/2026/2026-08-10-qr-tanshuku.md"
    text = post.read_text(encoding="utf-8")
    assert "{rule: link-shortener, approved_by:" in text
    post.write_text(text.replace("{rule: link-shortener, approved_by:", "{rule: link-shortener, reason: QR コードと同じ URL, approved_by:"),
                    encoding="utf-8")
    base = ["lint", str(repo), "--select", "link-shortener", "-f", "json"]
    every = _json(run_cli(*base, "--show-waived"))
    waived = [f for f in every if f.get("waived")]
    active = [f for f in every if not f.get("waived")]
    assert waived and active and {f["severity"] for f in every} == {"warning"}
    assert run_cli(*base, "--max-warnings", str(len(active))).returncode == 0  # the waived one is not counted
    assert run_cli(*base, "--max-warnings", str(len(active) - 1)).returncode == 1


# ----------------------------------------------------------------------------- --config


def test_config_file_replaces_the_repos(violations: Path, tmp_path: Path):
    findings = _json(run_cli("lint", str(violations), "-f", "json"))
    assert any(f["rule"] == "pii-name" for f in findings)
    alt = tmp_path / "ci" / "strict.yaml"
    alt.parent.mkdir()
    alt.write_text((violations / "snspolicy.yaml").read_text(encoding="utf-8") +
                   "\nrules:\n  pii-name: {enabled: false, reason: 別の仕組みで確認する}\n", encoding="utf-8")
    if "rules:" in (violations / "snspolicy.yaml").read_text(encoding="utf-8"):
        pytest.skip("the example already has a rules: section")
    got = _json(run_cli("lint", str(violations), "-f", "json", "--config", str(alt)))
    assert not any(f["rule"] == "pii-name" for f in got)
    assert _keys(got) == _keys([f for f in findings if f["rule"] != "pii-name"])


def test_broken_config_file_is_located_at_the_file_given(violations: Path, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("fail_on: error\npolicy: no/such-policy\n", encoding="utf-8")
    r = run_cli("lint", str(violations), "--config", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stdout.startswith(f"{bad}:2:")
    quiet_console = run_cli("lint", str(violations), "--config", str(bad), "-f", f"json:{tmp_path / 'r.json'}")
    assert quiet_console.returncode == 2 and quiet_console.stderr.startswith(f"{bad}:2:")  # not only in the file
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))[0]["path"] == str(bad)
    missing = run_cli("lint", str(violations), "--config", str(tmp_path / "none.yaml"), "-f", "json")
    assert missing.returncode == 2 and _json(missing)[0]["path"].endswith("none.yaml")


def test_config_file_cannot_reach_outside_the_repo(violations: Path, tmp_path: Path):
    """Named explicitly, the file may lie anywhere; what it names stays inside the repo."""
    alt = tmp_path / "roster.yaml"
    alt.write_text("roster: ../../../../etc/passwd\n", encoding="utf-8")
    r = run_cli("lint", str(violations), "--config", str(alt), "-f", "json")
    assert r.returncode == 2
    assert "passwd" not in r.stdout.replace("../../../../etc/passwd", "") and "root:" not in r.stdout


def test_config_with_base_is_a_usage_error(violations: Path, tmp_path: Path):
    (tmp_path / "c.yaml").write_text("fail_on: error\n", encoding="utf-8")
    r = run_cli("lint", str(violations), "--config", str(tmp_path / "c.yaml"), "--base", "main")
    assert r.returncode == 2 and "--config" in r.stderr


# ----------------------------------------------------------------------------- --no-progress


def _tty_stderr(*args: str) -> tuple[int, str]:
    master, slave = os.openpty()
    env = {**os.environ, "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8"}
    env.pop("SNSPOLICY_LANG", None)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    t = threading.Thread(target=drain, daemon=True)
    t.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "snspolicy", *args], stdout=subprocess.PIPE, stderr=slave,
                              stdin=subprocess.DEVNULL, env=env, timeout=120)
    finally:
        os.close(slave)
    t.join(timeout=10)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("flag", ["--no-progress", "--quiet"])
def test_no_progress_on_a_terminal(clean_repo: Path, flag: str):
    code, tty = _tty_stderr("lint", str(clean_repo))
    assert code == 0 and "検査中" in tty  # shown by default on a terminal
    code, tty = _tty_stderr("lint", str(clean_repo), flag)
    assert code == 0 and "検査中" not in tty and "\r" not in tty


# ----------------------------------------------------------------------------- --stdin-filename


def test_stdin_is_linted_as_the_named_file(violations: Path):
    everything = _json(run_cli("lint", str(violations), "-f", "json"))
    post = Counter(f["path"] for f in everything if f["path"].startswith("posts/")).most_common(1)[0][0]
    on_disk = _json(run_cli("lint", post, "-f", "json", cwd=violations))
    text = (violations / post).read_text(encoding="utf-8")
    from_stdin = _json(run_cli("lint", "--stdin-filename", post, "-", "-f", "json", cwd=violations, input=text))
    assert on_disk and _keys(from_stdin) == _keys(on_disk)
    assert {f["path"] for f in from_stdin} == {post}


def test_stdin_text_not_the_file_is_checked(clean_repo: Path):
    post = next(p for p in sorted((clean_repo / "posts").rglob("*.md")))
    rel = post.relative_to(clean_repo).as_posix()
    text = post.read_text(encoding="utf-8")
    assert run_cli("lint", "--stdin-filename", rel, "-", cwd=clean_repo, input=text).returncode == 0
    r = run_cli("lint", "--stdin-filename", rel, "-", "-f", "json", cwd=clean_repo,
                input=text + "\n連絡先は 090-1234-5678 まで。\n")
    assert r.returncode == 1, r.stderr
    assert any(f["rule"] == "pii-phone" and f["path"] == rel for f in _json(r))
    assert post.read_text(encoding="utf-8") == text  # the file on disk is untouched
    # an absolute file name, from another folder
    r = run_cli("lint", "--stdin-filename", str(post), "-", cwd=clean_repo.parent, input=text)
    assert r.returncode == 0, r.stdout + r.stderr


def test_stdin_with_a_broken_config_is_a_fatal_finding(clean_repo: Path):
    (clean_repo / "snspolicy.yaml").write_text("policy: [\n", encoding="utf-8")
    post = next(p for p in sorted((clean_repo / "posts").rglob("*.md")))
    r = run_cli("lint", "--stdin-filename", post.relative_to(clean_repo).as_posix(), "-", "-f", "json",
                cwd=clean_repo, input=post.read_text(encoding="utf-8"))
    assert r.returncode == 2
    assert _json(r)[0]["path"] == "snspolicy.yaml"


def test_stdin_that_is_not_utf8_is_a_located_finding(clean_repo: Path):
    env = {**os.environ, "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "snspolicy", "lint", "--stdin-filename", "posts/x/2025/a.md", "-",
                           "-f", "json"], input="---\nid: あ\n---\n".encode("cp932"), capture_output=True, cwd=clean_repo,
                          env=env, timeout=120)
    assert proc.returncode == 2
    (finding,) = json.loads(proc.stdout.decode("utf-8"))
    assert finding["rule"] == "file-encoding" and finding["path"] == "posts/x/2025/a.md"


@pytest.mark.parametrize("args", [["-"], ["--stdin-filename", "posts/a.md", "-", "posts"],
                                  ["--stdin-filename", "posts/a.md", "-", "--base", "main"],
                                  ["--stdin-filename", "posts/a.md", "-", "--policy", "ube/2025-04-01"]])
def test_stdin_misuse_is_a_usage_error(clean_repo: Path, args: list[str]):
    r = run_cli("lint", *args, cwd=clean_repo, input="x")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "stdin" in r.stderr or "標準入力" in r.stderr


def test_stdin_writes_outputs_like_a_run(clean_repo: Path, tmp_path: Path):
    post = next(p for p in sorted((clean_repo / "posts").rglob("*.md")))
    rel = post.relative_to(clean_repo).as_posix()
    text = post.read_text(encoding="utf-8") + "\n連絡先は 090-1234-5678 まで。\n"
    r = run_cli("lint", "--stdin-filename", rel, "-", "-f", "github", "-f", f"html:{tmp_path / 'p.html'}",
                cwd=clean_repo, input=text)
    assert r.returncode == 1 and r.stdout.startswith("::error file=" + rel)
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "090-****-5678" in page or "***-****-****" in page or "pii-phone" in page
    # the output must not replace the file the text stands for
    r = run_cli("lint", "--stdin-filename", rel, "-", "-f", f"json:{post}", cwd=clean_repo, input=text)
    assert r.returncode == 2 and post.read_text(encoding="utf-8") != text
