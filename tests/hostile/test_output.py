"""Item: ``-o`` never destroys an input and never replaces a FIFO, device or link.

:func:`snspolicy.io.fsutil.check_output_path` refuses an output that is one of the inputs (by any
name: hard or symbolic link) or would become one (a new ``posts/x.md``); the CLI must call it
(see the report). :func:`~snspolicy.io.fsutil.atomic_write_bytes`, which ``lint -o`` uses, writes
through a FIFO or device and keeps a symbolic link.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from snspolicy.core.errors import UserError
from snspolicy.io.config import DEFAULT_PATHS
from snspolicy.io.fsutil import atomic_write_bytes, check_output_path, input_patterns

from .helpers import Box, cli, no_traceback


def _inputs(box: Box) -> list[Path]:
    return [box.repo / "snspolicy.yaml", box.repo / "accounts/test-x.yaml", box.repo / "posts/test-x/test-post.md"]


@pytest.mark.parametrize("target", ["snspolicy.yaml", "accounts/test-x.yaml", "posts/test-x/test-post.md",
                                    "posts/test-x/new-report.md", "accounts/report.yaml", "press/x.yml"])
def test_output_that_is_or_would_be_an_input_is_refused(box: Box, target: str) -> None:
    before = {p: p.read_bytes() for p in _inputs(box)}
    with pytest.raises(UserError) as err:
        check_output_path(box.repo / target, box.repo, _inputs(box), input_patterns(DEFAULT_PATHS))
    assert err.value.code == "output_is_input" and err.value.path.endswith(target)
    assert {p: p.read_bytes() for p in _inputs(box)} == before


def test_input_under_another_name_is_refused(box: Box) -> None:
    (box.repo / "alias.yaml").symlink_to(box.repo / "snspolicy.yaml")
    os.link(box.repo / "accounts/test-x.yaml", box.repo / "hard.txt")
    for name in ("alias.yaml", "hard.txt"):
        with pytest.raises(UserError):
            check_output_path(box.repo / name, box.repo, _inputs(box))
    with pytest.raises(UserError):  # a relative path from another folder
        check_output_path(Path(os.path.relpath(box.repo / "snspolicy.yaml")), box.repo, _inputs(box))


@pytest.mark.parametrize("target", ["report.sarif", "reports/lint.json", "README.md"])
def test_ordinary_outputs_are_accepted(box: Box, target: str) -> None:
    """Must not fire."""
    check_output_path(box.repo / target, box.repo, _inputs(box), input_patterns(DEFAULT_PATHS))
    check_output_path(box.root.parent / "elsewhere.json", box.repo, _inputs(box), input_patterns(DEFAULT_PATHS))


def _reader(path: Path, sink: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as fh:
            sink.append(fh.read())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    return t


def test_write_goes_through_a_fifo(box: Box) -> None:
    fifo = box.repo / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    t = _reader(fifo, got)
    atomic_write_bytes(fifo, b"report\n")
    t.join(10)
    assert got == [b"report\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    check_output_path(fifo, box.repo, _inputs(box), input_patterns(DEFAULT_PATHS))  # never refused


def test_lint_o_writes_through_a_fifo_and_keeps_it(box: Box) -> None:
    fifo = box.repo / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    t = _reader(fifo, got)
    proc = cli("lint", str(box.repo / "posts"), "-f", "json", "-o", str(fifo), timeout=60)
    t.join(30)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert got and got[0].startswith(b"[")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_lint_o_through_a_link_to_a_device_keeps_the_link(box: Box) -> None:
    link = box.repo / "null-report"
    link.symlink_to("/dev/null")
    proc = cli("lint", str(box.repo / "posts"), "-o", str(link))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/null"


def test_write_through_a_link_to_a_regular_file_keeps_the_link(box: Box) -> None:
    (box.repo / "reports").mkdir()
    real = box.repo / "reports" / "latest.json"
    real.write_text("old", encoding="utf-8")
    link = box.repo / "latest.json"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new", root=box.repo)
    assert link.is_symlink() and real.read_bytes() == b"new"


@pytest.mark.parametrize("target", ["snspolicy.yaml", "posts/test-x/test-post.md", "roster.csv", "policy/local/policy.yaml"])
def test_check_output_for_lint_refuses_every_input(box: Box, target: str) -> None:
    """The function the CLI calls before writing ``-o``: with the prepared setup (roster, policy
    files) and without it (a setup error is about to be written)."""
    import shutil

    from snspolicy.app.setup import check_output, prepare

    from .helpers import ROOT, write

    shutil.copytree(ROOT / "policy" / "ube" / "2025-04-01", box.repo / "policy" / "local")
    write(box.repo, "roster.csv", "職員番号,氏名\n100001,山田 太郎\n")
    write(box.repo, "snspolicy.yaml", "policy: ./policy/local\nroster: roster.csv\n")
    setup = prepare([box.repo])
    with pytest.raises(UserError):
        check_output(box.repo / target, [box.repo], setup)
    if target in ("snspolicy.yaml", "posts/test-x/test-post.md"):
        with pytest.raises(UserError):
            check_output(box.repo / target, [box.repo])
    check_output(box.repo / "report.json", [box.repo], setup)  # must not fire
    check_output(None, [box.repo], setup)


@pytest.mark.parametrize("target", ["snspolicy.yaml", "posts/test-x/test-post.md", "accounts/test-x.yaml", "posts/test-x/report.md"])
def test_lint_o_refuses_an_input_through_the_cli(box: Box, target: str) -> None:
    before = {p: p.read_bytes() for p in _inputs(box)}
    proc = cli("lint", str(box.repo), "-f", "json", "-o", str(box.repo / target))
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert target in proc.stderr and "入力ファイル" in proc.stderr
    assert {p: p.read_bytes() for p in _inputs(box)} == before
    assert not (box.repo / "posts/test-x/report.md").exists()
