"""``snspolicy codeowners``: CODEOWNERS from the account files and the roster's github column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CLEAN, WITHOUT_CACHE, run_cli, write

from snspolicy.commands import codeowners as co

EXPECTED = {
    "/posts/ube-bousai-x/": ["@example-ube-misaki", "@example-ube-tokonami"],
    "/posts/ube-city-instagram/": ["@example-ube-kusae", "@example-ube-tokiwa", "@example-ube-fujiyama"],
    "/posts/ube-city-x/": ["@example-ube-tokiwa", "@example-ube-kusunoki"],
    "/posts/ube-kosodate-line/": ["@example-ube-koto"],
}
ROSTER_HEAD = "職員番号,氏名,所属,職名,在職区分,github\n"


def _lines(text: str) -> dict[str, list[str]]:
    out = {}
    for line in text.splitlines():
        r = co._rule(line)
        if r:
            out[r[0]] = r[1]
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(CLEAN, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


def test_hand_written_example_matches_generated(repo):
    r = run_cli("codeowners", str(repo), "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "最新" in r.stdout


def test_generate_keeps_hand_written_lines_and_is_idempotent(repo):
    before = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    r = run_cli("codeowners", str(repo))
    assert r.returncode == 0, r.stderr
    text = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    got = _lines(text)
    for pattern, owners in EXPECTED.items():
        assert got[pattern] == owners
    for kept in ("*", "/accounts/", "/staff/", "/incidents/", "/press/"):
        assert got[kept] == _lines(before)[kept]
    assert text.count(co.BEGIN) == 1 and text.count(co.END) == 1
    # the generated block comes last: it wins over the broader hand-written lines
    assert text.rstrip().endswith(co.END)
    assert run_cli("codeowners", str(repo)).returncode == 0
    assert (repo / ".github/CODEOWNERS").read_text(encoding="utf-8") == text
    assert run_cli("codeowners", str(repo), "--check").returncode == 0


def test_new_file_and_stdout(repo):
    (repo / ".github/CODEOWNERS").unlink()
    r = run_cli("codeowners", str(repo), "--check")
    assert r.returncode == 1 and "ありません" in r.stderr
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 0
    assert _lines(r.stdout) == EXPECTED
    assert not (repo / ".github/CODEOWNERS").exists()
    r = run_cli("codeowners", str(repo), "-o", "CODEOWNERS", "--lang", "en")
    assert r.returncode == 0 and "Wrote CODEOWNERS" in r.stdout
    assert _lines((repo / "CODEOWNERS").read_text(encoding="utf-8")) == EXPECTED


def test_check_reports_changed_owners(repo):
    acc = repo / "accounts/ube-city-x.yaml"
    acc.write_text(acc.read_text(encoding="utf-8").replace(
        "deputies:\n  - {name: 楠 和也, employee_id: \"100111\", title: 広報広聴課長補佐}", "deputies: []"), encoding="utf-8")
    r = run_cli("codeowners", str(repo), "--check")
    assert r.returncode == 1
    assert "/posts/ube-city-x/" in r.stderr and "@example-ube-kusunoki" in r.stderr
    assert "snspolicy codeowners" in r.stderr
    assert run_cli("codeowners", str(repo)).returncode == 0
    assert _lines((repo / ".github/CODEOWNERS").read_text(encoding="utf-8"))["/posts/ube-city-x/"] == ["@example-ube-tokiwa"]


def test_check_reports_a_later_catch_all_line(repo):
    run_cli("codeowners", str(repo))
    with (repo / ".github/CODEOWNERS").open("a", encoding="utf-8") as fh:
        fh.write("*  @someone-else\n")
    r = run_cli("codeowners", str(repo), "--check")
    assert r.returncode == 1 and "上書き" in r.stderr


def _roster(repo: Path, rows: str) -> None:
    write(repo, "staff/roster.csv", ROSTER_HEAD + rows)


ROWS = ("100101,常盤　正和,広報広聴課,課長,在職,example-ube-tokiwa\n"
        "100111,楠　和也,広報広聴課,課長補佐,在職,example-ube-kusunoki\n"
        "100102,草江　美佐子,観光振興課,課長,在職,example-ube-kusae\n"
        "100105,藤山　陽子,文化振興課,課長,在職,example-ube-fujiyama\n"
        "100103,厚東　誠,こども家庭課,課長,在職,example-ube-koto\n"
        "100104,岬　浩二,防災危機管理課,課長,在職,example-ube-misaki\n"
        "100112,床波　直樹,防災危機管理課,課長補佐,在職,example-ube-tokonami\n")


def test_manager_without_handle_is_reported_and_fails(repo):
    _roster(repo, ROWS.replace("100103,厚東　誠,こども家庭課,課長,在職,example-ube-koto", "100103,厚東　誠,こども家庭課,課長,在職,"))
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 1
    assert "ube-kosodate-line" in r.stderr and "100103" in r.stderr and "GitHub" in r.stderr
    assert "厚東" not in r.stderr  # no names in messages
    assert "/posts/ube-kosodate-line/" not in _lines(r.stdout)
    assert _lines(r.stdout)["/posts/ube-city-x/"] == EXPECTED["/posts/ube-city-x/"]


def test_manager_who_left_and_deputy_without_handle(repo):
    _roster(repo, ROWS.replace("100104,岬　浩二,防災危機管理課,課長,在職", "100104,岬　浩二,防災危機管理課,課長,退職")
            .replace("100111,楠　和也,広報広聴課,課長補佐,在職,example-ube-kusunoki", "100111,楠　和也,広報広聴課,課長補佐,在職,"))
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 1
    assert "在職していません" in r.stderr
    got = _lines(r.stdout)
    assert got["/posts/ube-bousai-x/"] == ["@example-ube-tokonami"]  # the deputy still reviews
    assert got["/posts/ube-city-x/"] == ["@example-ube-tokiwa"]
    assert "警告" in r.stderr and "100111" in r.stderr


def test_deputy_without_handle_alone_is_only_a_warning(repo):
    _roster(repo, ROWS.replace("example-ube-kusunoki", ""))
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 0, r.stderr
    assert "警告" in r.stderr


def test_invalid_handle_is_reported(repo):
    _roster(repo, ROWS.replace("example-ube-koto", "not a handle!"))
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 1 and "not a handle!" in r.stderr


def test_no_roster_or_no_github_column_is_fatal(repo):
    cfg = repo / "snspolicy.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("roster: staff/roster.csv", ""), encoding="utf-8")
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 2 and "roster" in r.stderr and "Traceback" not in r.stderr


def test_roster_without_forge_column_is_fatal(repo):
    write(repo, "staff/roster.csv", "職員番号,氏名,所属,職名,在職区分\n100101,常盤　正和,広報広聴課,課長,在職\n")
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 2 and "github" in r.stderr


def test_post_outside_its_account_folder_is_a_warning(repo):
    src = repo / "posts/ube-city-x/2025/2025-04-07-gan-kenshin.md"
    dest = repo / "posts/misc/2025-04-07-gan-kenshin.md"
    dest.parent.mkdir(parents=True)
    shutil.move(src, dest)
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 0
    assert "posts/misc/2025-04-07-gan-kenshin.md" in r.stderr and "posts/ube-city-x/" in r.stderr


def test_unreadable_account_is_reported(repo):
    write(repo, "accounts/broken.yaml", "id: [unclosed\n")
    r = run_cli("codeowners", str(repo), "-o", "-")
    assert r.returncode == 1 and "accounts/broken.yaml" in r.stderr and "Traceback" not in r.stderr


# ----------------------------------------------------------------------------- units


def test_handles():
    assert co.handle_of("example-ube-tokiwa") == "@example-ube-tokiwa"
    assert co.handle_of("@example-ube-tokiwa") == "@example-ube-tokiwa"
    assert co.handle_of("ube-city/sns-managers") == "@ube-city/sns-managers"
    assert co.handle_of("kouhou@city.ube.yamaguchi.jp") == "kouhou@city.ube.yamaguchi.jp"
    for bad in ("", "  ", "-leading", "double--dash", "has space", "a" * 40):
        assert co.handle_of(bad) is None, bad


def test_render_replaces_block_in_place_and_check_semantics():
    entries = [co.Entry("/posts/a/", ["@x"], "a")]
    first = co.render("* @root\n", entries)
    assert first.startswith("* @root\n") and co.BEGIN in first
    with_after = first + "/docs/ @docs\n"
    entries2 = [co.Entry("/posts/a/", ["@y"], "a"), co.Entry("/posts/b/", ["@z"], "b")]
    second = co.render(with_after, entries2)
    assert second.endswith("/docs/ @docs\n")  # lines after the block stay after it
    assert _lines(second)["/posts/a/"] == ["@y"] and _lines(second)["/posts/b/"] == ["@z"]
    assert co.check(second, entries2) == []
    assert [c for c, _ in co.check(second, entries2[:1])] == ["diff_stale"]  # /posts/b/ no longer generated
    assert [c for c, _ in co.check(second, entries)] == ["diff_owners", "diff_stale"]
    # written by hand without markers, other spelling of the same folder, owners in another order
    hand = "posts/a  @Y\n/posts/b/** @z # comment\n"
    assert co.check(hand, entries2) == []
    assert [c for c, _ in co.check("/posts/a/ @y\n", entries2)] == ["diff_missing"]


def test_render_without_markers_replaces_hand_lines_for_generated_folders():
    hand = "# header\n*  @root\n/posts/a/  @old\n/press/  @press\n"
    out = co.render(hand, [co.Entry("/posts/a/", ["@new"], "a")])
    assert "@old" not in out and "@press" in out and out.startswith("# header\n")
    assert _lines(out)["/posts/a/"] == ["@new"]
