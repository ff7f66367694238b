"""Bad input through the real CLI: never a traceback or a hang, always a located message
in the user's language, exit status 2 for unreadable input, nothing the user wrote changed,
and every other file still linted in the same run.

Each test builds a private copy of the clean example repo (``clean_repo``), breaks one
thing the way a member of staff would, and runs ``python -m snspolicy``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TODAY, run_cli, write

ACCOUNT = "accounts/ube-city-x.yaml"
POST = "posts/ube-city-x/2026/2026-12-15-hatachi.md"
PRESS = "press/2025-10-08-ube-matsuri.yaml"
FORMATS = ["text", "json", "sarif", "github", "markdown", "junit"]


def _no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-2000:]


def _lint_json(repo: Path, *args: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, list[dict]]:
    proc = run_cli("lint", "-f", "json", *args, cwd=repo, env=env)
    _no_traceback(proc)
    return proc, json.loads(proc.stdout)


def _edit(repo: Path, rel: str, old: str, new: str) -> None:
    p = repo / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {rel}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _digest(repo: Path) -> dict[str, str]:
    out = {}
    for p in sorted(repo.rglob("*")):
        if ".git" in p.parts or p.is_symlink() or not p.is_file():
            continue
        out[p.relative_to(repo).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


# --------------------------------------------------------------------------- unreadable YAML


def test_broken_account_is_one_finding_not_one_per_post(clean_repo):
    """A tab in an account file used to add "account does not exist" to every post, the
    incident and the registry (11 errors for one typo)."""
    _edit(clean_repo, ACCOUNT, "platform: x", "platform:\tx\n\tfoo: 1")
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2
    assert [(f["path"], f["rule"]) for f in fs] == [(ACCOUNT, "yaml-syntax")]
    assert fs[0]["line"] == 4 and "タブ" in fs[0]["message"] and "半角スペース" in fs[0]["message"]


def test_broken_press_release_does_not_make_linked_posts_fail(clean_repo):
    write(clean_repo, PRESS, "id: 2025-10-08-ube-matsuri\ntitle: \"宇部まつり\nembargo_until: 2025-10-08T14:00:00+09:00\n")
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2
    assert {f["path"] for f in fs} == {PRESS}, fs


def test_other_files_are_still_linted_when_one_is_unreadable(clean_repo):
    write(clean_repo, POST, (clean_repo / POST).read_text(encoding="utf-8").encode("cp932"))
    other = "posts/ube-city-x/2026/2026-10-05-pubcomment.md"
    _edit(clean_repo, other, "category: ", "category: sports\nx_category: ")
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2
    by_path = {f["path"]: f for f in fs}
    assert by_path[POST]["rule"] == "file-encoding" and "Shift_JIS" in by_path[POST]["message"]
    assert other in by_path  # the readable post is still checked in the same run


@pytest.mark.parametrize("bad, code_words, line", [
    ('handle: "@ube_city\n', ("引用符", "閉じられていません"), 4),          # unclosed quote: point at where it opens
    ("handle: @ube_city\n", ("「@」", "引用符"), 4),                          # @ cannot start a plain value
    ("handle：\"@ube_city\"\n", ("全角のコロン",), 4),
    ('purpose: 受付時間: 9時から\n', ("コロン", "引用符"), 6),
    ("departments: [広報広聴課, 防災危機管理課\n", ("閉じかっこ",), None),
])
def test_yaml_mistakes_are_explained_in_japanese(clean_repo, bad, code_words, line):
    text = (clean_repo / ACCOUNT).read_text(encoding="utf-8").split("\n")
    key = bad.split(":")[0].split("：")[0]
    idx = next(i for i, t in enumerate(text) if t.startswith(key + ":"))
    text[idx] = bad.rstrip("\n")
    (clean_repo / ACCOUNT).write_text("\n".join(text), encoding="utf-8")
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2
    (f,) = [f for f in fs if f["path"] == ACCOUNT]
    assert f["rule"] == "yaml-syntax"
    assert all(w in f["message"] for w in code_words), f["message"]
    assert "found" not in f["message"] and "expected" not in f["message"]  # no PyYAML English in Japanese
    if line is not None:
        assert f["line"] == line


def test_yaml_messages_in_english(clean_repo):
    _edit(clean_repo, ACCOUNT, 'handle: "@ube_city"', 'handle: "@ube_city')
    proc, fs = _lint_json(clean_repo, "--lang", "en")
    assert fs[0]["line"] == 4 and "quote" in fs[0]["message"] and not any("\u3040" <= c <= "\u30ff" for c in fs[0]["message"])


@pytest.mark.parametrize("content, word", [("", "空"), ("# 作成中\n", "空"), ("- id: x\n- id: y\n", "キー: 値"),
                                           ("ube-city-x\n", "キー: 値")])
def test_empty_or_non_mapping_account_is_unreadable_without_cascade(clean_repo, content, word):
    write(clean_repo, ACCOUNT, content)
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2
    assert [(f["path"], f["rule"]) for f in fs] == [(ACCOUNT, "yaml-syntax")], fs  # no "承認できるのは  です" in posts
    assert word in fs[0]["message"]


@pytest.mark.parametrize("level", ["top", "nested", "list item", "front matter"])
def test_duplicate_keys_at_every_level(clean_repo, level):
    if level == "top":
        _edit(clean_repo, ACCOUNT, "status: active", "status: active\nstatus: closed")
        rel, key = ACCOUNT, "status"
    elif level == "nested":
        _edit(clean_repo, ACCOUNT, "    unique: true", "    unique: true\n    unique: false")
        rel, key = ACCOUNT, "unique"
    elif level == "list item":
        _edit(clean_repo, ACCOUNT, 'department: 広報広聴課, assigned_on: 2025-04-01}',
              'department: 広報広聴課, department: 市民課, assigned_on: 2025-04-01}')
        rel, key = ACCOUNT, "department"
    else:
        _edit(clean_repo, POST, "category: event", "category: event\ncategory: civic")
        rel, key = POST, "category"
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2
    f = next(f for f in fs if f["path"] == rel)
    assert f["rule"] == "yaml-syntax" and f"「{key}」が重複" in f["message"]


def test_alias_bomb_and_deep_nesting_do_not_hang(clean_repo):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdef", "bcdefg"))
    write(clean_repo, "accounts/bomb.yaml", bomb)
    write(clean_repo, "accounts/deep.yaml", "x: " + "[" * 3000 + "]" * 3000 + "\n")
    start = time.monotonic()
    proc, fs = _lint_json(clean_repo)
    assert time.monotonic() - start < 60
    assert {f["path"] for f in fs if f["rule"] == "yaml-syntax"} == {"accounts/bomb.yaml", "accounts/deep.yaml"}


# --------------------------------------------------------------------------- posts' front matter


def test_front_matter_without_closing_line(clean_repo):
    text = (clean_repo / POST).read_text(encoding="utf-8")
    head, _, body = text[4:].partition("\n---\n")
    write(clean_repo, POST, "---\n" + head + "\n" + body)
    proc, fs = _lint_json(clean_repo)
    (f,) = fs
    assert proc.returncode == 2 and f["rule"] == "yaml-syntax" and "終わり" in f["message"] and "'---'" in f["message"]


def test_blank_line_before_front_matter_is_named(clean_repo):
    write(clean_repo, POST, "\n" + (clean_repo / POST).read_text(encoding="utf-8"))
    proc, fs = _lint_json(clean_repo)
    (f,) = fs
    assert f["line"] == 2 and "1 行目" in f["message"]


def test_front_matter_as_a_list(clean_repo):
    write(clean_repo, POST, "---\n- id: x\n---\n本文\n")
    proc, fs = _lint_json(clean_repo)
    (f,) = fs
    assert proc.returncode == 2 and f["rule"] == "yaml-syntax" and "キー: 値" in f["message"]


def test_crlf_and_bom_posts_are_clean(clean_repo):
    text = (clean_repo / POST).read_text(encoding="utf-8")
    write(clean_repo, POST, ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 0 and fs == []


def test_empty_front_matter_lists_every_missing_field_with_its_clause(clean_repo):
    write(clean_repo, POST, "---\n---\n本文です。\n")
    proc, fs = _lint_json(clean_repo)
    missing = {f["message"].split("「")[1].split("」")[0]: f["clause"] for f in fs if f["rule"] == "schema"}
    assert {"id", "account", "status", "category", "author"} <= set(missing), fs
    assert missing["author"] == "6(9)" and missing["category"] == "3(4)" and missing["id"] != "-"


# --------------------------------------------------------------------------- encodings and odd files


def test_utf16_is_named_not_called_binary(clean_repo):
    write(clean_repo, POST, (clean_repo / POST).read_text(encoding="utf-8").encode("utf-16"))
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2 and "UTF-16" in fs[0]["message"] and "バイナリ" not in fs[0]["message"]
    proc, fs = _lint_json(clean_repo, "--lang", "en")
    assert "UTF-16" in fs[0]["message"]


def test_real_binary_still_called_binary(clean_repo):
    write(clean_repo, "accounts/photo.yaml", (clean_repo / "media/2025/genki-brand.png").read_bytes())
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2 and "バイナリ" in fs[0]["message"]


def test_symlink_loop_dangling_and_fifo(clean_repo):
    os.symlink("b.yaml", clean_repo / "accounts/a.yaml")
    os.symlink("a.yaml", clean_repo / "accounts/b.yaml")
    os.symlink("nowhere.yaml", clean_repo / "accounts/gone.yaml")
    os.mkfifo(clean_repo / "fifo")
    os.symlink("../fifo", clean_repo / "accounts/pipe.yaml")  # opening a FIFO would block for ever
    proc = run_cli("lint", "-f", "json", cwd=clean_repo, timeout=60)
    _no_traceback(proc)
    fs = {f["path"]: f["message"] for f in json.loads(proc.stdout)}
    assert proc.returncode == 2
    assert "循環" in fs["accounts/a.yaml"] and "循環" in fs["accounts/b.yaml"]
    assert "リンク先のファイルがない" in fs["accounts/gone.yaml"]
    assert "通常のファイルではありません" in fs["accounts/pipe.yaml"]
    assert not any("Too many levels" in m or "No such file" in m for m in fs.values())


def test_non_ascii_and_spaces_in_file_names(clean_repo):
    text = (clean_repo / POST).read_text(encoding="utf-8").replace("【二十歳", "【はたち")
    write(clean_repo, "posts/ube-city-x/2026/二十歳 を祝う会.md", text.replace("http", "http", 1))
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 0, fs


# --------------------------------------------------------------------------- wrong types, told how to write them


def test_unquoted_employee_id_says_how_to_write_it(clean_repo):
    _edit(clean_repo, ACCOUNT, 'approved_by: "100101"', "approved_by: 100101")
    proc, fs = _lint_json(clean_repo)
    (f,) = fs
    assert f["rule"] == "schema" and f["clause"] == "3(1)" and f["line"] == 15
    assert 'approved_by: "012345"' in f["message"] and "先頭の 0" in f["message"]
    proc, fs = _lint_json(clean_repo, "--lang", "en")
    assert "Quote employee numbers" in fs[0]["message"]


def test_octal_employee_id_is_one_finding_at_the_value(clean_repo):
    """012345 is YAML 1.1 octal (5349): the schema says so; the roster rule does not add
    a second finding about "employee 5***" at the same value."""
    _edit(clean_repo, ACCOUNT, '  employee_id: "100101"', "  employee_id: 012345")
    proc, fs = _lint_json(clean_repo)
    at_value = [f for f in fs if f["path"] == ACCOUNT and f["line"] == 10]
    assert [f["rule"] for f in at_value] == ["schema"], at_value
    assert "引用符" in at_value[0]["message"]


@pytest.mark.parametrize("written", ["2025/04/01", "令和7年4月1日", "2025-4-1"])
def test_dates_in_other_forms_say_the_form_to_use(clean_repo, written):
    _edit(clean_repo, ACCOUNT, "approved_on: 2025-04-01", f"approved_on: {written}")
    proc, fs = _lint_json(clean_repo)
    f = next(f for f in fs if f["rule"] == "schema")
    assert f["clause"] == "3(1)" and f["line"] == 16
    assert "2025-04-01" in f["message"] and "年-月-日" in f["message"] and "date の形式" not in f["message"]


def test_datetime_without_zone_is_japan_time(clean_repo):
    _edit(clean_repo, POST, "publish_at: 2026-12-15T09:00:00+09:00", "publish_at: 2026-12-15 09:00")
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 0 and fs == []


def test_datetime_with_slashes_is_not_told_to_be_null(clean_repo):
    _edit(clean_repo, POST, "publish_at: 2026-12-15T09:00:00+09:00", "publish_at: 2026/12/15 9:00")
    proc, fs = _lint_json(clean_repo)
    (f,) = fs
    assert f["clause"] == "5" and "2025-04-01T09:00:00+09:00" in f["message"] and "null" not in f["message"]


def test_boolean_written_in_japanese_is_one_finding(clean_repo):
    _edit(clean_repo, ACCOUNT, "enabled: true", "enabled: はい")
    proc, fs = _lint_json(clean_repo)
    at_value = [f for f in fs if f["path"] == ACCOUNT]
    assert [f["rule"] for f in at_value] == ["schema"]  # not also "二重認証が無効です"
    assert "true か false" in at_value[0]["message"] and at_value[0]["clause"] == "4(2)"


def test_list_where_fields_are_expected_names_both(clean_repo):
    _edit(clean_repo, POST, 'approval: {approved_by: "100101", approved_on: 2026-11-20}',
          'approval: ["100101", 2026-11-20]')
    proc, fs = _lint_json(clean_repo)
    f = next(f for f in fs if f["rule"] == "schema")
    assert "キー: 値" in f["message"] and "今はリスト" in f["message"]


def test_misspelt_field_suggests_the_right_one(clean_repo):
    _edit(clean_repo, ACCOUNT, "platform: x", "platfrom: x")
    proc, fs = _lint_json(clean_repo)
    unknown = next(f for f in fs if "platfrom" in f["message"])
    assert "「platform」の書き間違い" in unknown["message"] and unknown["line"] == 3
    assert any("「platform」がありません" in f["message"] for f in fs)


def test_full_width_space_before_a_key_is_named(clean_repo):
    _edit(clean_repo, ACCOUNT, "purpose:", "\u3000purpose:")
    proc, fs = _lint_json(clean_repo)
    assert any("全角スペース" in f["message"] for f in fs), fs


# --------------------------------------------------------------------------- roster (HR CSV)


def _roster(repo: Path) -> str:
    return (repo / "staff/roster.csv").read_bytes().decode("cp932")


def test_roster_with_an_unclosed_quote_is_located_not_a_flood(clean_repo):
    lines = _roster(clean_repo).split("\n")
    lines[2] = '"' + lines[2]
    write(clean_repo, "staff/roster.csv", "\n".join(lines).encode("cp932"))
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2
    assert [(f["path"], f["line"]) for f in fs] == [("staff/roster.csv", 3)], fs  # not 20 "not in the roster"
    assert "引用符" in fs[0]["message"]


def test_roster_tab_separated_and_utf16(clean_repo):
    text = _roster(clean_repo)
    write(clean_repo, "staff/roster.csv", text.replace(",", "\t").encode("cp932"))
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 0, fs
    write(clean_repo, "staff/roster.csv", text.encode("utf-16"))
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2 and "UTF-16" in fs[0]["message"]


def test_roster_header_problems_never_echo_a_person(clean_repo):
    rows = _roster(clean_repo).split("\n")
    write(clean_repo, "staff/roster.csv", "\n".join(rows[1:]).encode("cp932"))  # the header row was dropped
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2 and "見出し" in fs[0]["message"]
    first = rows[1].split(",")
    assert first[0] not in proc.stdout and first[1] not in proc.stdout  # employee id and name of line 1
    write(clean_repo, "staff/roster.csv", "番号,名前\n100101,常盤　正和\n")
    proc, fs = _lint_json(clean_repo)
    assert "「番号, 名前」" in fs[0]["message"] and "職員番号" in fs[0]["message"]
    write(clean_repo, "staff/roster.csv", b"")
    proc, fs = _lint_json(clean_repo)
    assert proc.returncode == 2 and "空" in fs[0]["message"]


# --------------------------------------------------------------------------- configuration


def test_paths_outside_the_repo_are_refused(clean_repo):
    _edit(clean_repo, "snspolicy.yaml", "policy: ube/2025-04-01", "policy: ube/2025-04-01\npaths: {posts: ../..}")
    proc, fs = _lint_json(clean_repo)
    (f,) = fs
    assert proc.returncode == 2 and f["path"] == "snspolicy.yaml" and "リポジトリの外" in f["message"]


def test_unknown_policy_points_at_the_config_line_and_lists_policies(clean_repo):
    _edit(clean_repo, "snspolicy.yaml", "policy: ube/2025-04-01", "policy: ube/2025-4-1")
    proc, fs = _lint_json(clean_repo)
    (f,) = fs
    assert proc.returncode == 2 and f["path"] == "snspolicy.yaml" and f["line"] == 3
    assert "ube/2025-04-01" in f["message"]


def test_misspelt_config_key(clean_repo):
    _edit(clean_repo, "snspolicy.yaml", "fail_on: error", "fail_om: error")
    proc = run_cli("lint", cwd=clean_repo)
    _no_traceback(proc)
    assert proc.returncode == 2 and "snspolicy.yaml:4:1:" in proc.stdout and "「fail_on」の書き間違い" in proc.stdout


def test_shift_jis_config_is_a_message_not_a_code(clean_repo):
    write(clean_repo, "snspolicy.yaml", (clean_repo / "snspolicy.yaml").read_text(encoding="utf-8").encode("cp932"))
    proc = run_cli("lint", cwd=clean_repo)
    assert proc.returncode == 2 and "Shift_JIS" in proc.stdout and "not_utf8" not in proc.stdout


# --------------------------------------------------------------------------- CLI options and output


def test_misspelt_select_is_a_usage_error_not_a_green_run(clean_repo):
    proc = run_cli("lint", "--select", "pii-phon", cwd=clean_repo)
    _no_traceback(proc)
    assert proc.returncode == 2 and "pii-phone" in proc.stderr
    proc = run_cli("lint", "--ignore", "6(99)", cwd=clean_repo)
    assert proc.returncode == 2
    assert run_cli("lint", "--select", "6(5),3", cwd=clean_repo).returncode == 0


def test_unwritable_output_is_a_message(clean_repo, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = str(blocker / "report.json")  # its "folder" is a file: cannot be created even as root
    for args in (["lint", "-o", target], ["lint", "-f", "sarif", "-o", target], ["docs", "-o", target],
                 ["report", "--chart", target], ["report", "-o", target], ["codeowners", "-o", target]):
        proc = run_cli(*args, cwd=clean_repo)
        _no_traceback(proc)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "a-file" in proc.stderr and ".tmp" not in proc.stderr, proc.stderr


def test_every_format_on_broken_input(clean_repo):
    _edit(clean_repo, ACCOUNT, "platform: x", "platform: x\n\tfoo: 1")
    write(clean_repo, POST, (clean_repo / POST).read_text(encoding="utf-8").encode("euc_jp"))
    before = _digest(clean_repo)
    for fmt in FORMATS:
        proc = run_cli("lint", "-f", fmt, cwd=clean_repo)
        _no_traceback(proc)
        assert proc.returncode == 2, fmt
        assert ACCOUNT in proc.stdout and POST in proc.stdout, fmt
        if fmt in ("json", "sarif"):
            json.loads(proc.stdout)
    assert _digest(clean_repo) == before  # nothing the user wrote was changed


def test_non_utf8_console_never_crashes_and_json_stays_utf8(clean_repo):
    _edit(clean_repo, POST, "category: event", "category: sports")
    for enc in ("latin-1", "cp932", "ascii"):
        for args in (["lint"], ["docs"], ["explain", "pii-phone"], ["rules"], ["report"]):
            proc = subprocess.run([sys.executable, "-m", "snspolicy", *args], cwd=clean_repo, capture_output=True,
                                  env={**os.environ, "PYTHONIOENCODING": enc, "SNSPOLICY_TODAY": TODAY})
            assert b"Traceback" not in proc.stderr, (enc, args, proc.stderr[-800:])
            assert proc.returncode in (0, 1), (enc, args)
        proc = subprocess.run([sys.executable, "-m", "snspolicy", "lint", "-f", "json"], cwd=clean_repo,
                              capture_output=True, env={**os.environ, "PYTHONIOENCODING": enc, "SNSPOLICY_TODAY": TODAY})
        findings = json.loads(proc.stdout.decode("utf-8"))
        assert "区分" in findings[0]["message"], enc


def test_c_locale_prints_japanese(clean_repo):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(LC_ALL="C", LANG="C", SNSPOLICY_TODAY=TODAY)
    proc = subprocess.run([sys.executable, "-m", "snspolicy", "lint"], cwd=clean_repo, capture_output=True, env=env)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    assert "問題は見つかりませんでした" in proc.stdout.decode("utf-8")


def test_closed_pipe_is_quiet(violations_repo):
    """`snspolicy lint | head -1`: the reader goes away; no BrokenPipeError traceback."""
    env = {**os.environ, "SNSPOLICY_TODAY": TODAY}
    p = subprocess.Popen([sys.executable, "-m", "snspolicy", "lint"], cwd=violations_repo, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.read(20)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=60) in (0, 1, 2, 120, -13, 141)
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_no_color_on_a_terminal(clean_repo):
    pty = pytest.importorskip("pty")
    _edit(clean_repo, POST, "category: event", "category: sports")
    out = {}
    for name, extra in (("color", {}), ("no_color", {"NO_COLOR": "1"})):
        env = {**os.environ, "SNSPOLICY_TODAY": TODAY, **extra}
        env.pop("NO_COLOR", None) if not extra else None
        master, slave = pty.openpty()
        p = subprocess.Popen([sys.executable, "-m", "snspolicy", "lint"], cwd=clean_repo, stdout=slave, stderr=slave, env=env)
        p.wait(timeout=60)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        out[name] = b"".join(chunks)
    assert b"\x1b[" in out["color"] and b"\x1b[" not in out["no_color"]
    assert "区分".encode() in out["no_color"]


def test_summary_says_unreadable_files_were_not_checked(clean_repo):
    _edit(clean_repo, ACCOUNT, "platform: x", "platform: x\n\tfoo: 1")
    proc = run_cli("lint", cwd=clean_repo)
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("1 件の違反（") and "読み込めないファイルが 1 件" in last and "検査していません" in last
    proc = run_cli("lint", "--lang", "en", cwd=clean_repo)
    assert "could not be read" in proc.stdout.strip().splitlines()[-1]


def test_hostile_policy_regex_does_not_hang_lint(clean_repo, tmp_path):
    import shutil

    from tests.conftest import ROOT

    pol = tmp_path / "policy"
    shutil.copytree(ROOT / "policy/ube/2025-04-01", pol)
    lex = pol / "lexicons/incitement.yaml"
    lex.write_text(lex.read_text(encoding="utf-8").rstrip("\n") + "\n  - id: hostile-pattern\n    match: regex\n"
                   "    pattern: '(a+)+$'\n    category: test\n    clause: \"6(4)\"\n    severity: error\n"
                   "    examples: {match: [aaa], no_match: [bbb]}\n", encoding="utf-8")
    text = (clean_repo / POST).read_text(encoding="utf-8")
    write(clean_repo, POST, text + "a" * 30000 + "!\n")
    start = time.monotonic()
    proc = run_cli("lint", "--policy", str(pol), POST, cwd=clean_repo, timeout=120)
    _no_traceback(proc)
    assert time.monotonic() - start < 30 and proc.returncode in (0, 1, 2)


# --------------------------------------------------------------------------- other commands


def test_account_reviewed_refuses_broken_files_and_leaves_them_unchanged(clean_repo):
    for content in ("", "- a\n", "security: [1, 2]\n", "id: x\n\tplatform: x\n"):
        write(clean_repo, ACCOUNT, content)
        proc = run_cli("account", "reviewed", "ube-city-x", "--repo", str(clean_repo), cwd=clean_repo)
        _no_traceback(proc)
        assert proc.returncode == 2, (content, proc.stderr)
        assert "変更していません" in proc.stderr
        assert (clean_repo / ACCOUNT).read_text(encoding="utf-8") == content


def test_account_reviewed_rejects_paths_and_reports_config_errors(clean_repo):
    outside = clean_repo.parent / "outside.yaml"
    outside.write_text("security: {reviewed_on: 2020-01-01}\n", encoding="utf-8")
    proc = run_cli("account", "reviewed", "../../outside", cwd=clean_repo)
    _no_traceback(proc)
    assert proc.returncode == 2 and outside.read_text(encoding="utf-8") == "security: {reviewed_on: 2020-01-01}\n"
    _edit(clean_repo, "snspolicy.yaml", "fail_on: error", "fail_om: error")
    proc = run_cli("account", "reviewed", "ube-city-x", cwd=clean_repo)
    _no_traceback(proc)
    assert proc.returncode == 2 and "snspolicy.yaml:4:1:" in proc.stderr and "fail_on" in proc.stderr


def test_fix_with_bad_arguments(clean_repo):
    proc = run_cli("fix", "no/such/post.md", cwd=clean_repo)
    _no_traceback(proc)
    assert proc.returncode == 2
    proc = run_cli("fix", "--today", "2025/06/01", cwd=clean_repo)
    _no_traceback(proc)
    assert proc.returncode == 2
    _edit(clean_repo, "snspolicy.yaml", "fail_on: error", "fail_on: high")
    proc = run_cli("fix", "--dry-run", cwd=clean_repo)
    assert proc.returncode == 2 and "snspolicy.yaml:4:10:" in proc.stderr and "schema_enum" not in proc.stderr


def test_registry_check_on_a_folder(clean_repo):
    proc = run_cli("registry", "check", str(clean_repo / "accounts"), cwd=clean_repo)
    _no_traceback(proc)
    assert proc.returncode == 2 and "ファイルではありません" in proc.stderr + proc.stdout


@pytest.mark.parametrize("args", [
    ["rules"], ["explain", "account-2fa"], ["policy", "validate"], ["docs"], ["report"], ["report", "-f", "csv"],
    ["registry", "export"], ["registry", "check", "registry/account-registry.csv"], ["codeowners", "-o", "-"],
    ["fix", "--dry-run"], ["schema", ACCOUNT], ["password", "check", "--account", "ube-city-x"],
])
def test_commands_on_a_repo_full_of_broken_files(clean_repo, args):
    _edit(clean_repo, ACCOUNT, "platform: x", "platform: x\n\tfoo: 1")
    write(clean_repo, "accounts/empty.yaml", "")
    write(clean_repo, "accounts/utf16.yaml", "id: utf16\n".encode("utf-16"))
    write(clean_repo, POST, "---\n- a\n---\n")
    write(clean_repo, "staff/roster.csv", '職員番号,氏名\n"100101,x\n'.encode("cp932"))
    before = _digest(clean_repo)
    proc = run_cli(*args, cwd=clean_repo, input="Xk29#mq!Lp7zWq\n")
    _no_traceback(proc)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert _digest(clean_repo) == before
