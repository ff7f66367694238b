"""Item: ``fix`` and ``account reviewed`` edits keep CRLF/CR line ends, a BOM and the file mode,
refuse read-only files, cannot lose one of two concurrent edits, and clean up temporary files
left by a killed run. All through :func:`snspolicy.io.editing.edit_file` (the commands must call
it: see the report)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from snspolicy.core.errors import UserError
from snspolicy.io.editing import edit_file, replace_spans, set_value
from snspolicy.io.fsutil import file_lock
from snspolicy.io.textfile import read_text

from .helpers import MINIMAL_ACCOUNT, ROOT, Box

ACCOUNT = "accounts/test-x.yaml"


def _with_ends(text: str, end: str, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", end).encode("utf-8")


def _review(day: str):  # type: ignore[no-untyped-def]
    return lambda text: set_value(text, ("security", "reviewed_on"), dt.date.fromisoformat(day))


@pytest.mark.parametrize(("end", "bom"), [("\r\n", False), ("\r", False), ("\r\n", True), ("\n", True), ("\n", False)])
def test_review_keeps_line_ends_bom_and_mode(box: Box, end: str, bom: bool) -> None:
    path = box.repo / ACCOUNT
    path.write_bytes(_with_ends(MINIMAL_ACCOUNT, end, bom))
    os.chmod(path, 0o640)
    assert edit_file(path, _review("2025-05-01"), root=box.repo)
    want = _with_ends(MINIMAL_ACCOUNT.replace("reviewed_on: 2025-04-01", "reviewed_on: 2025-05-01"), end, bom)
    assert path.read_bytes() == want
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_inserted_key_keeps_every_other_line_byte_for_byte(box: Box) -> None:
    """Mixed line ends: lines the edit did not touch keep their own ends exactly."""
    lines = ["# アカウント", "id: test-x", "security:", "  two_factor:", "    enabled: true", "status: active", "notes: |",
             "  一行目", "  二行目"]
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines)).encode("utf-8")
    path = box.repo / "accounts" / "mixed.yaml"
    path.write_bytes(mixed)
    edit_file(path, _review("2025-05-01"), root=box.repo)
    new = path.read_bytes()
    for i, line in enumerate(lines):
        assert (line + ("\r\n" if i % 2 else "\n")).encode("utf-8") in new, line
    assert "reviewed_on: 2025-05-01" in read_text(path)
    assert len(new) > len(mixed)


def test_fix_spans_apply_to_a_crlf_file(box: Box) -> None:
    """Spans of findings (computed on the text as lint reads it, LF) fix the right characters."""
    from snspolicy.core.model import Span

    path = box.repo / ACCOUNT
    path.write_bytes(_with_ends(MINIMAL_ACCOUNT, "\r\n"))
    line = MINIMAL_ACCOUNT.split("\n").index("status: active") + 1
    edit_file(path, lambda t: replace_spans(t, [(Span(line, 9, line, 15), "closed")]), root=box.repo)
    assert path.read_bytes() == _with_ends(MINIMAL_ACCOUNT.replace("status: active", "status: closed"), "\r\n")


def test_read_only_file_is_refused(box: Box) -> None:
    path = box.repo / ACCOUNT
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        with pytest.raises(UserError) as err:
            edit_file(path, _review("2025-05-01"), root=box.repo)
        assert err.value.code == "write_read_only" and err.value.path == ACCOUNT
        assert path.read_bytes() == before
    finally:
        os.chmod(path, 0o644)


def test_non_regular_file_is_refused(box: Box) -> None:
    fifo = box.repo / "accounts" / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UserError) as err:
        edit_file(fifo, _review("2025-05-01"), root=box.repo)
    assert err.value.code == "write_not_regular"


def test_edit_waits_for_the_lock_and_gives_up_with_a_message(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    from snspolicy.io import fsutil

    monkeypatch.setattr(fsutil, "LOCK_TIMEOUT", 0.3)
    path = box.repo / ACCOUNT
    before = path.read_bytes()
    with file_lock(path):
        errors: list[BaseException] = []

        def other() -> None:
            try:
                with file_lock(path, timeout=0.3, root=box.repo):
                    pass
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        t = threading.Thread(target=other)
        t.start()
        t.join(10)
    assert errors and isinstance(errors[0], UserError) and errors[0].code == "write_locked"
    assert path.read_bytes() == before
    assert not (box.repo / "accounts" / ".test-x.yaml.lock").exists()  # no lock file left behind


COUNTER = """
import sys
from pathlib import Path
sys.path.insert(0, {src!r})
from snspolicy.io.editing import edit_file
path, root = Path(sys.argv[1]), Path(sys.argv[2])
for _ in range(int(sys.argv[3])):
    def bump(text):
        head, _, n = text.rpartition("count: ")
        return head + "count: " + str(int(n.strip()) + 1) + "\\n"
    edit_file(path, bump, root=root)
"""


def test_two_concurrent_editors_lose_nothing(box: Box) -> None:
    path = box.repo / "counter.yaml"
    path.write_bytes(b"# a counter\r\ncount: 0\r\n")
    code = COUNTER.format(src=str(ROOT / "src"))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), str(box.repo), "25"]) for _ in range(2)]
    for p in procs:
        assert p.wait(timeout=300) == 0
    assert path.read_bytes() == b"# a counter\r\ncount: 50\r\n"
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".counter.yaml.")]


def test_stale_temp_files_are_cleaned_on_the_next_edit(box: Box) -> None:
    path = box.repo / ACCOUNT
    stale = path.parent / ".test-x.yaml.abc123.tmp"
    stale.write_text("half-written", encoding="utf-8")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    unrelated = path.parent / ".other.yaml.abc.tmp"
    unrelated.write_text("not ours to judge", encoding="utf-8")
    edit_file(path, _review("2025-05-01"), root=box.repo)
    assert not stale.exists()
    assert unrelated.exists()  # must not fire: another file's temp is left alone


def test_a_name_with_pattern_characters_cleans_only_its_own_temp_files(tmp_path: Path) -> None:
    """``[`` in a file's name is a character, not a pattern: ``.a[1].md.*.tmp`` is that file's alone."""
    from snspolicy.io.fsutil import atomic_write_bytes

    target = tmp_path / "a[1].md"
    mine = tmp_path / ".a[1].md.x1.tmp"
    other = tmp_path / ".a1.md.x2.tmp"  # what the pattern [1] would have matched
    old = time.time() - 7200
    for f in (mine, other):
        f.write_text("left over", encoding="utf-8")
        os.utime(f, (old, old))
    atomic_write_bytes(target, b"new", root=tmp_path)
    assert target.read_bytes() == b"new" and not mine.exists() and other.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p != other]


def test_the_cache_cleans_a_killed_runs_temp_files_once_per_folder_and_writes_without_fsync(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from snspolicy.io import cachefile

    monkeypatch.setattr(cachefile, "_cleaned", set())
    folder = cachefile.ensure_folder(tmp_path) / "v2-abc"
    folder.mkdir()
    stale = folder / ".0a.json.k3j4.tmp"
    fresh = folder / ".0b.json.k3j5.tmp"  # another run's, still writing: left alone
    keep = folder / "notes.tmp"  # not one of ours
    for f in (stale, fresh, keep):
        f.write_text("x", encoding="utf-8")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    os.utime(keep, (old, old))
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    assert cachefile.write_cache(tmp_path, "v2-abc/00.json", b"{}")
    assert not stale.exists() and fresh.exists() and keep.exists() and synced == []
    stale.write_text("x", encoding="utf-8")
    os.utime(stale, (old, old))
    assert cachefile.write_cache(tmp_path, "v2-abc/01.json", b"{}")
    assert stale.exists()  # once per folder and process
    assert cachefile.read_cache(tmp_path, "v2-abc/01.json") == b"{}"
