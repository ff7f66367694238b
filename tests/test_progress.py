"""Progress on stderr: shown on a terminal, never when stderr is a pipe or a file.

The tty case runs the real CLI with stderr attached to a pseudo-terminal
(:func:`os.openpty`), stdout still a pipe, so the report itself stays clean.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from conftest import TODAY, run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

LABELS = ("検査中", "checking")


def _run_with_tty_stderr(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    """Run ``python -m snspolicy ARGS`` with stderr on a pty; returns (exit code, stdout, what the tty got)."""
    master, slave = os.openpty()
    full_env = {**os.environ, "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("SNSPOLICY_LANG", None)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO once the child closed the slave side
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "snspolicy", *args], stdout=subprocess.PIPE, stderr=slave,
                              stdin=subprocess.DEVNULL, env=full_env, timeout=120)
    finally:
        os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, proc.stdout.decode("utf-8"), b"".join(chunks).decode("utf-8", errors="replace")


def test_progress_is_shown_on_a_terminal(clean_repo):
    code, out, tty = _run_with_tty_stderr("lint", str(clean_repo))
    assert code == 0, tty
    assert "検査中" in tty and "\r" in tty
    assert "/" in tty  # n/total
    assert not any(label in out for label in LABELS) and "\r" not in out  # the report is untouched
    # the line is cleared at the end, so the shell prompt does not land after "検査中 12/12"
    assert tty.rstrip("\r\n").endswith("\r") or tty.rsplit("\r", 1)[-1].strip() == ""


def test_progress_follows_the_language(clean_repo):
    code, _, tty = _run_with_tty_stderr("lint", str(clean_repo), "--lang", "en")
    assert code == 0
    assert "checking" in tty and "検査中" not in tty


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_output_on_stdout_stays_parseable_on_a_terminal(clean_repo, fmt):
    """Whatever goes to the terminal on stderr, stdout is the report alone."""
    import json

    code, out, _ = _run_with_tty_stderr("lint", str(clean_repo), "-f", fmt)
    assert code == 0
    json.loads(out)


def test_report_written_to_a_file_is_clean(clean_repo, tmp_path):
    target = tmp_path / "report.txt"
    code, out, _ = _run_with_tty_stderr("lint", str(clean_repo), "-o", str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert "\r" not in text and not any(label in text for label in LABELS)


def test_quiet_when_stderr_is_not_a_terminal(clean_repo):
    r = run_cli("lint", str(clean_repo))
    assert r.returncode == 0
    assert r.stderr == ""
    assert "\r" not in r.stdout and not any(label in r.stdout for label in LABELS)


def test_quiet_when_stderr_goes_to_a_file(clean_repo, tmp_path):
    log = tmp_path / "stderr.log"
    env = {**os.environ, "SNSPOLICY_TODAY": TODAY}
    with log.open("wb") as fh:
        proc = subprocess.run([sys.executable, "-m", "snspolicy", "lint", str(clean_repo)], stdout=subprocess.PIPE,
                              stderr=fh, env=env, timeout=120)
    assert proc.returncode == 0
    assert log.read_bytes() == b""
