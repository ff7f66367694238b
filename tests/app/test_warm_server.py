"""The warm server (snspolicy server start/stop/status, snspolicy.app.warm, snspolicy.client):
a served `lint` gives exactly what a run of its own gives, a server that cannot serve is not used,
and a server that disappears during a run fails the run (exit 2), never passes it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import VIOLATIONS, WITHOUT_CACHE, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix" or not hasattr(socket, "send_fds"), reason="POSIX only")

NO_SERVER = {"SNSPOLICY_NO_SERVER": "1"}


def _status(repo: Path) -> dict | None:
    cp = run_cli("server", "status", str(repo), "--lang", "en", env=NO_SERVER)
    if cp.returncode != 0:
        return None
    from snspolicy.app.warm import request

    return request(repo, "status")


@pytest.fixture
def served(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(VIOLATIONS, repo, symlinks=True, ignore=WITHOUT_CACHE)
    cp = run_cli("server", "start", str(repo), env=NO_SERVER, timeout=120)
    assert cp.returncode == 0, cp.stdout + cp.stderr
    found = _status(repo)
    assert found is not None
    try:
        yield repo
    finally:
        run_cli("server", "stop", str(repo), env=NO_SERVER)
        try:
            os.kill(int(found["pid"]), 9)
        except (OSError, ValueError, KeyError):
            pass


def _same(repo: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """Run through the server and on its own: same status, output and messages."""
    via = run_cli(*args, cwd=repo, input=input)
    alone = run_cli(*args, cwd=repo, env=NO_SERVER, input=input)
    assert (via.returncode, via.stdout, via.stderr) == (alone.returncode, alone.stdout, alone.stderr), args
    return via


def test_a_served_lint_is_a_lint(served):
    before = _status(served)["served"]
    post = sorted((served / "posts").rglob("*.md"))[0].relative_to(served).as_posix()
    assert _same(served, "lint", post).returncode in (0, 1)
    assert _same(served, "lint", ".", "-f", "json", "--lang", "en").returncode == 1
    assert _same(served, "lint", "accounts", "--select", "account-2fa").returncode in (0, 1)
    assert _same(served, "lint", "no-such-file.md").returncode == 2
    draft = "---\nid: x\naccount: ube-city-x\nstatus: draft\n---\n本文です。090-1234-5678 まで\n"
    assert _same(served, "lint", "--stdin-filename", post, "-", input=draft).returncode == 1  # standard input too
    assert _status(served)["served"] == before + 5  # every run through the server was served by it
    out = served / "report.sarif"
    assert run_cli("lint", ".", "-f", "sarif", "-o", str(out), cwd=served).returncode == 1
    assert json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert _status(served)["served"] == before + 6


@pytest.mark.parametrize("mask, mode", [("077", 0o600), ("022", 0o644)])
def test_a_served_run_writes_with_the_clients_umask(served, mask, mode):
    before = _status(served)["served"]
    env = {**os.environ, "SNSPOLICY_TODAY": "2025-06-01"}
    env.pop("SNSPOLICY_NO_SERVER", None)
    cp = subprocess.run(["sh", "-c", f'umask {mask} && exec "{sys.executable}" -m snspolicy lint . -o out.txt'],
                        cwd=served, env=env, capture_output=True, text=True, timeout=120)
    assert cp.returncode == 1, cp.stderr
    assert (served / "out.txt").stat().st_mode & 0o777 == mode
    assert _status(served)["served"] == before + 1


def test_other_commands_and_other_settings_run_on_their_own(served):
    before = _status(served)["served"]
    assert run_cli("rules", cwd=served).returncode == 0
    # the server loaded Sudachi: a run asking for another analyzer is not one it can serve
    assert run_cli("lint", ".", cwd=served, env={"SNSPOLICY_TOKENIZER": "charclass"}).returncode in (0, 1)
    assert _status(served)["served"] == before  # refused: run by the client itself


def test_a_server_whose_socket_is_removed_stops(served):
    pid = int(_status(served)["pid"])
    os.unlink(served / ".snspolicy_cache" / "server.sock")
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the server did not stop")
    assert run_cli("lint", ".", cwd=served).returncode == 1  # and lint runs on its own


def test_a_second_start_says_one_is_running_and_stop_stops_it(served):
    cp = run_cli("server", "start", str(served), "--lang", "en", env=NO_SERVER)
    assert cp.returncode == 0 and "already running" in cp.stdout
    assert run_cli("server", "stop", str(served), env=NO_SERVER).returncode == 0
    assert _status(served) is None
    assert not (served / ".snspolicy_cache" / "server.sock").exists()
    cp = run_cli("server", "status", str(served), "--lang", "en", env=NO_SERVER)
    assert cp.returncode == 1 and "No warm server" in cp.stdout


def test_a_server_with_changed_code_refuses_and_stops(tmp_path):
    from snspolicy.app.warm import Server

    srv = Server(tmp_path, lambda argv, prog: 0, lambda: None)
    srv._baseline()
    good = {"op": "run", "v": 1, "argv": ["lint", "."], "cwd": str(tmp_path), "env": dict(os.environ),
            "exe": srv.exe, "pkg": srv.pkg, "streams": [["utf-8", "strict"]] * 3}
    assert srv._refusal(good, [0, 1, 2]) is None
    assert srv._refusal({**good, "argv": ["fix", "."]}, [0, 1, 2]) == "command"
    assert srv._refusal({**good, "exe": "/usr/bin/other-python"}, [0, 1, 2]) == "installation"
    assert srv._refusal({**good, "env": {**good["env"], "PYTHONPATH": "/elsewhere"}}, [0, 1, 2]) == "environment"
    assert srv._refusal({**good, "cwd": str(tmp_path / "gone")}, [0, 1, 2]) == "folder"
    srv.code = "fingerprint of older files"
    assert srv._refusal(good, [0, 1, 2]) == "stale"


def _fake_server(folder: Path, answers: list[bytes]) -> threading.Thread:
    """A server socket that takes one request and answers ``answers``, then hangs up."""
    folder.mkdir(parents=True, exist_ok=True)
    from snspolicy.core import warm

    listener = warm.bind(str(folder / "server.sock"))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            _req, fds = warm.recv_request(conn)
            for fd in fds:
                os.close(fd)
            for answer in answers:
                conn.sendall(answer)
        listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("answers, expected", [
    ([b"no stale\n"], None),              # refused: the client runs the command itself
    ([b"ok\n", b"exit 1\n"], 1),          # served: the worker's status
    ([b"ok\n"], 2),                       # the worker vanished: the run failed, never passed
    ([b"ok\n", b"exit 0"], 2),            # a status without its line end is no status
])
def test_the_client_trusts_only_a_finished_run(tmp_path, monkeypatch, capfd, answers, expected):
    from snspolicy import client

    thread = _fake_server(tmp_path / ".snspolicy_cache", answers)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNSPOLICY_NO_SERVER", raising=False)
    assert client._served(["lint", "."]) == expected
    thread.join(5)
    if expected == 2:
        assert "SNSPOLICY_NO_SERVER=1" in capfd.readouterr().err


def test_the_client_does_not_look_for_a_server_when_told_not_to_or_for_other_commands(tmp_path, monkeypatch):
    from snspolicy import client

    (tmp_path / ".snspolicy_cache").mkdir()
    (tmp_path / ".snspolicy_cache" / "server.sock").write_text("not a socket")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SNSPOLICY_NO_SERVER", "1")
    assert client._served(["lint", "."]) is None
    monkeypatch.delenv("SNSPOLICY_NO_SERVER")
    assert client._served(["rules"]) is None
    assert client._served(["lint", "."]) is None  # not a socket: nothing to connect to


def test_importing_the_entry_point_costs_nothing():
    code = ("import sys, snspolicy.client\n"
            "print([m for m in ('click', 'yaml', 'jsonschema', 'snspolicy.cli', 'json') if m in sys.modules])")
    cp = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert cp.stdout.strip() == "[]", cp.stdout + cp.stderr


def test_the_program_name_is_the_one_click_would_show():
    import click.utils

    from snspolicy import client

    assert client._program_name() == click.utils._detect_program_name()
