"""Item: every command that writes stays inside the repo, keeps what the user wrote and never
replaces an input. ``fix`` and ``account reviewed`` edit through
:func:`snspolicy.io.editing.edit_file` (line ends, BOM and mode kept; read-only refused); ``init``
checks every target before creating anything; ``report``, ``registry export``, ``policy show``,
``policy diff`` and ``docs`` refuse an output that is an input of the repo; ``codeowners`` stays
inside the repo."""

from __future__ import annotations

import os
import stat

import pytest

from .helpers import MINIMAL_POST, Box, cli, no_traceback, write

POST = "posts/test-x/test-post.md"
ACCOUNT = "accounts/test-x.yaml"


def _misspelled_post(box: Box, end: str = "\n", bom: bool = False) -> bytes:
    text = MINIMAL_POST.replace("category: tourism", "category: tourisn").replace("\n", end)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    (box.repo / POST).write_bytes(data)
    return data


# --------------------------------------------------------------------------- fix
@pytest.mark.parametrize(("end", "bom"), [("\r\n", False), ("\r\n", True), ("\r", False), ("\n", True)])
def test_fix_keeps_line_ends_bom_and_mode(box: Box, end: str, bom: bool) -> None:
    before = _misspelled_post(box, end, bom)
    os.chmod(box.repo / POST, 0o640)
    proc = cli("fix", str(box.repo), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "post-category" in proc.stdout
    after = (box.repo / POST).read_bytes()
    assert after == before.replace(b"category: tourisn", b"category: tourism"), after[:200]
    assert stat.S_IMODE(os.stat(box.repo / POST).st_mode) == 0o640


def test_fix_dry_run_writes_nothing(box: Box) -> None:
    before = _misspelled_post(box, "\r\n")
    proc = cli("fix", str(box.repo), "--dry-run", "--lang", "en")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "post-category" in proc.stdout and "1 fix(es) available" in proc.stdout
    assert (box.repo / POST).read_bytes() == before


def test_fix_refuses_a_read_only_file(box: Box) -> None:
    before = _misspelled_post(box)
    os.chmod(box.repo / POST, 0o444)
    try:
        proc = cli("fix", str(box.repo), "--lang", "en")
        no_traceback(proc)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.startswith(POST + ":") and "read-only" in proc.stderr.lower(), proc.stderr
        assert (box.repo / POST).read_bytes() == before
    finally:
        os.chmod(box.repo / POST, 0o644)


def test_account_reviewed_keeps_crlf_bom_and_mode(box: Box) -> None:
    path = box.repo / ACCOUNT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o600)
    proc = cli("account", "reviewed", "test-x", "--on", "2025-05-01", "--repo", str(box.repo))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"reviewed_on: 2025-05-01\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_account_reviewed_refuses_a_read_only_file(box: Box) -> None:
    path = box.repo / ACCOUNT
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        proc = cli("account", "reviewed", "test-x", "--on", "2025-05-01", "--repo", str(box.repo), "--lang", "en")
        no_traceback(proc)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert ACCOUNT in proc.stdout + proc.stderr
        assert path.read_bytes() == before
    finally:
        os.chmod(path, 0o644)


# --------------------------------------------------------------------------- init
@pytest.mark.parametrize("link", [".github", ".vscode", ".snspolicy"])
def test_init_creates_nothing_when_a_folder_leads_outside(box: Box, link: str) -> None:
    """A symlinked folder leading out of the new repo is refused before anything (not even a
    folder outside, nor any file inside) is created."""
    target = box.repo / "new"
    target.mkdir()
    os.symlink(box.outside / "accounts", target / link)
    proc = cli("init", str(target), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert link in proc.stdout + proc.stderr
    assert sorted(p.name for p in target.iterdir()) == [link]  # nothing written
    assert sorted(p.name for p in (box.outside / "accounts").iterdir()) == ["evil.yaml"]


# --------------------------------------------------------------------------- -o / --chart: never an input
def _with_roster(box: Box) -> None:
    write(box.repo, "staff/roster.csv", "職員番号,氏名,所属,職名,在職区分,github\n"
                                        "100001,山田 太郎,広報広聴課,広報広聴課長,在職,example-yamada\n")
    write(box.repo, "snspolicy.yaml", "policy: ube/2025-04-01\nfail_on: error\nroster: staff/roster.csv\n")


def _unchanged(box: Box) -> dict[str, bytes]:
    return {p.relative_to(box.repo).as_posix(): p.read_bytes() for p in box.repo.rglob("*") if p.is_file()}


@pytest.mark.parametrize("args", [
    ("report", ".", "-o", "snspolicy.yaml"),
    ("report", ".", "--chart", "accounts/test-x.yaml"),
    ("report", ".", "-o", "posts/test-x/new.md"),
    ("report", ".", "-o", "link.txt"),
    ("registry", "export", ".", "-o", "posts/test-x/new.md"),
    ("registry", "export", ".", "-o", "link.csv"),
    ("policy", "show", "-o", "snspolicy.yaml"),
    ("policy", "diff", "ube/2025-04-01", "ube/2025-04-01", "-o", POST),
    ("docs", "-o", ACCOUNT),
    ("codeowners", ".", "-o", "snspolicy.yaml"),
    ("codeowners", ".", "-o", "accounts/new.yaml"),
    ("codeowners", ".", "-o", "staff/roster.csv"),
])
def test_output_never_replaces_an_input(box: Box, args: tuple[str, ...]) -> None:
    _with_roster(box)
    os.symlink("accounts/test-x.yaml", box.repo / "link.txt")
    os.symlink("posts/test-x/test-post.md", box.repo / "link.csv")
    before = _unchanged(box)
    proc = cli(*args, cwd=box.repo)
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "入力ファイル" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert _unchanged(box) == before
    assert os.readlink(box.repo / "link.txt") == "accounts/test-x.yaml"


def test_report_to_a_fifo_is_written_through(box: Box) -> None:
    proc = cli("report", ".", "-o", "/dev/stdout", cwd=box.repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.path.exists("/dev/stdout")


@pytest.mark.parametrize("how", ["symlinked-folder", "absolute"])
def test_codeowners_stays_inside_the_repo(box: Box, how: str) -> None:
    _with_roster(box)
    if how == "symlinked-folder":
        os.symlink(box.outside / "accounts", box.repo / ".github")
        args: tuple[str, ...] = ("codeowners", ".")
    else:
        args = ("codeowners", ".", "-o", str(box.outside / "CODEOWNERS"))
    for extra in ((), ("--check",)):
        proc = cli(*args, *extra, "--lang", "en", cwd=box.repo)
        no_traceback(proc)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "outside" in (proc.stdout + proc.stderr).lower()
