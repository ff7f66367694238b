"""Item: the smaller holes. NUL in a UTF-8 post is reported as a NUL at its line and column (not
as UTF-16); ``employee_id: 0100101`` (read as octal by YAML) says "quote it" once, without a
cascade; ``publish_at`` in year 1 is an error, not "absent"; a 5,000-character path or a
300-deep value is a clear error, not "internal error"; ``lint /dev/null`` is a usage error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .helpers import MINIMAL_ACCOUNT, MINIMAL_POST, Box, cli, located, no_traceback, write

POST = "posts/test-x/test-post.md"


def _json(proc) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(proc.stdout)


def test_nul_in_utf8_post_is_located_not_utf16(box: Box) -> None:
    text = MINIMAL_POST + "お知らせです。\x00ここに NUL。\n"
    (box.repo / POST).write_bytes(text.encode("utf-8"))
    proc = cli("lint", str(box.repo))
    no_traceback(proc)
    assert proc.returncode == 2
    line_no = text.split("\x00")[0].count("\n") + 1
    out = located(proc.stdout, POST, line_no, len("お知らせです。") + 1)
    assert "NUL" in out and "UTF-16" not in out


def test_utf16_post_is_still_reported_as_utf16(box: Box) -> None:
    """Must not regress: a real UTF-16 file is named as such."""
    (box.repo / POST).write_bytes(MINIMAL_POST.encode("utf-16"))
    proc = cli("lint", str(box.repo))
    assert proc.returncode == 2 and "UTF-16" in located(proc.stdout, POST, 1, 1)


@pytest.mark.parametrize("where", ["account", "post"])
def test_leading_zero_employee_id_says_quote_it_once(box: Box, where: str) -> None:
    if where == "account":
        rel = "accounts/test-x.yaml"
        text = MINIMAL_ACCOUNT.replace('{name: 鈴木 一郎, employee_id: "200003"', "{name: 鈴木 一郎, employee_id: 0200003")
        line = text.split("\n").index(next(ln for ln in text.split("\n") if "0200003" in ln)) + 1
        col = text.split("\n")[line - 1].index("0200003") + 1
    else:
        rel = POST
        text = MINIMAL_POST.replace('author: {employee_id: "200002"}', "author: {employee_id: 0200002}")
        line = text.split("\n").index("author: {employee_id: 0200002}") + 1
        col = len("author: {employee_id: ") + 1
    write(box.repo, rel, text)
    proc = cli("lint", str(box.repo), "-f", "json", "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 1
    findings = [f for f in _json(proc) if f["path"] == rel]
    assert len(findings) == 1, findings  # no cascade (wrong key, roster, approver …)
    f = findings[0]
    assert (f["line"], f["column"]) == (line, col)
    assert "quote" in f["message"].lower() and "0200003" not in f["message"] and "0200002" not in f["message"]


def test_quoted_employee_id_is_fine(box: Box) -> None:
    """Must not fire."""
    write(box.repo, POST, MINIMAL_POST.replace('author: {employee_id: "200002"}', 'author: {employee_id: "0200002"}'))
    proc = cli("lint", str(box.repo), "-f", "json")
    assert not [f for f in _json(proc) if f["rule"] == "schema"], proc.stdout


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "0999-12-31T09:00:00+09:00"])
def test_publish_at_in_year_1_is_an_error_not_absent(box: Box, value: str) -> None:
    write(box.repo, POST, MINIMAL_POST.replace("2025-05-01T09:00:00+09:00", value))
    proc = cli("lint", str(box.repo), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 1, proc.stdout
    line = MINIMAL_POST.split("\n").index("publish_at: 2025-05-01T09:00:00+09:00") + 1
    out = located(proc.stdout, POST, line, len("publish_at: ") + 1)
    assert "year" in out


def test_long_path_argument_is_a_clear_usage_error(box: Box) -> None:
    proc = cli("lint", str(box.repo / "posts" / ("a" * 5000 + ".md")))
    no_traceback(proc)
    assert proc.returncode == 2
    assert "internal" not in (proc.stdout + proc.stderr).lower() and "内部エラー" not in proc.stdout + proc.stderr


def test_file_with_a_path_too_long_to_open_is_located_and_others_checked(box: Box) -> None:
    deep = box.repo / "posts" / "test-x"
    parts = []
    cwd = os.getcwd()
    os.chdir(deep)  # create below the limit relative to here; the full path exceeds PATH_MAX
    try:
        for i in range(22):
            name = chr(ord("a") + i) * 200
            os.mkdir(name)
            os.chdir(name)
            parts.append(name)
        with open("long.md", "w", encoding="utf-8") as fh:
            fh.write(MINIMAL_POST.replace("test-post", "long"))
    finally:
        os.chdir(cwd)
    write(box.repo, "posts/test-x/bad.md", MINIMAL_POST.replace("test-post", "bad").replace("category: tourism", "category: nope"))
    proc = cli("lint", str(box.repo))
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "内部エラー" not in proc.stdout + proc.stderr
    long_line = next(ln for ln in proc.stdout.splitlines() if "aaaa" in ln)
    assert long_line.startswith("posts/test-x/aaaa") and ":1:1:" in long_line and "長すぎ" in long_line
    located(proc.stdout, "posts/test-x/bad.md")  # the other files are still checked


@pytest.mark.parametrize(("depth", "kind"), [(300, "["), (300, "{"), (2000, "[")])
def test_deeply_nested_value_is_a_located_error(box: Box, depth: int, kind: str) -> None:
    close = "]" if kind == "[" else "}"
    value = (kind + ("" if kind == "[" else "a: ")) * depth + "x" + close * depth
    write(box.repo, "accounts/deep.yaml", f"id: {value}\n")
    proc = cli("lint", str(box.repo))
    no_traceback(proc)
    assert proc.returncode in (1, 2)
    assert "内部エラー" not in proc.stdout and "internal" not in proc.stdout
    out = located(proc.stdout, "accounts/deep.yaml", 1)
    assert "exceeded" not in out  # the parser's English text is not shown


@pytest.mark.parametrize("target", ["/dev/null", "fifo"])
def test_lint_of_a_non_file_is_a_usage_error(box: Box, target: str) -> None:
    if target == "fifo":
        os.mkfifo(box.repo / "pipe.md")
        target = str(box.repo / "pipe.md")
    proc = cli("lint", target, timeout=60)
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{target}:1:1:" in proc.stdout and "フォルダ" in proc.stdout
