"""``snspolicy server start | stop | status``: the repo's warm server (:mod:`snspolicy.app.warm`),
which makes ``snspolicy lint`` (the pre-commit hook) answer in a fraction of the time it takes to
start: docs/performance.md, "Warm server".
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from snspolicy.commands._options import lang_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError

__all__ = ["server"]

_path = click.argument("path", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))


def _root(path: Path) -> Path:
    from snspolicy.app.setup import find_root

    if not path.is_dir():
        raise UserError("server.not_folder", {"path": str(path)[:300]})
    return find_root(path).resolve()


def _supported() -> None:
    import socket

    if os.name != "posix" or not hasattr(socket, "send_fds") or not hasattr(os, "fork"):
        raise UserError("server.unsupported")


@click.group("server")
def server() -> None:
    """検査を速くする常駐プロセス（pre-commit 用）/ a warm process that makes `lint` fast (for pre-commit).

    起動中は、そのリポジトリでの snspolicy lint が常駐プロセスで実行されます（結果は同じ）。
    """


@server.command("start")
@_path
@click.option("--idle-minutes", type=click.IntRange(1, 7 * 24 * 60), default=120, show_default=True,
              help="この時間使われなければ終了（分）/ stop after this many minutes without a request")
@click.option("--foreground", is_flag=True, help="端末に残って動く（終了は Ctrl-C）/ stay in the foreground")
@lang_option()
def start(path: Path, idle_minutes: int, foreground: bool, lang: str) -> int:
    """常駐プロセスを起動 / start the repo's warm server."""
    _supported()
    root = _root(path)
    from snspolicy.app.warm import Server, request

    running = request(root, "status")
    if running is not None:
        click.echo(messages.message("server.already", lang, pid=running.get("pid"), root=root))
        return EXIT_OK
    command = click.get_current_context().find_root().command

    def run(argv: list[str], prog: str) -> int | None:
        return command.main(args=argv, prog_name=prog, standalone_mode=True)  # type: ignore[no-any-return]

    srv = Server(root, run, _warm_up, idle=idle_minutes * 60.0)
    if foreground:
        click.echo(messages.message("server.foreground", lang, root=root), err=True)
        try:
            srv.serve()
        except KeyboardInterrupt:
            pass
        return EXIT_OK
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the daemon (checked through its socket by the tests)
        _daemon(srv)
    os.waitpid(pid, 0)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = request(root, "status")
        if found is not None:
            click.echo(messages.message("server.started", lang, pid=found.get("pid"), root=root))
            return EXIT_OK
        time.sleep(0.05)
    click.echo(messages.message("server.failed", lang, root=root), err=True)
    return EXIT_USAGE


def _daemon(srv: object) -> None:  # pragma: no cover - runs detached
    """Detach (a new session, no terminal, standard streams on /dev/null) and serve."""
    code = 0
    try:
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        srv.serve()  # type: ignore[attr-defined]
    except BaseException:  # noqa: BLE001 - nobody to tell: `start` reports that no server answered
        code = 1
    os._exit(code)


@server.command("stop")
@_path
@lang_option()
def stop(path: Path, lang: str) -> int:
    """常駐プロセスを終了 / stop the repo's warm server."""
    root = _root(path)
    from snspolicy.app.warm import request

    if request(root, "stop") is None:
        click.echo(messages.message("server.not_running", lang, root=root))
        return EXIT_OK
    click.echo(messages.message("server.stopped", lang, root=root))
    return EXIT_OK


@server.command("status")
@_path
@lang_option()
def status(path: Path, lang: str) -> int:
    """常駐プロセスの状態（動いていなければ終了コード 1）/ is the warm server running (exit 1: no)."""
    root = _root(path)
    from snspolicy.app.warm import request

    found = request(root, "status")
    if found is None:
        click.echo(messages.message("server.not_running", lang, root=root))
        return EXIT_FINDINGS
    click.echo(messages.message("server.status", lang, pid=found.get("pid"), root=root, served=found.get("served"),
                                minutes=int(float(found.get("idle") or 0) // 60)))
    return EXIT_OK


def _warm_up() -> None:
    """Import what ``lint`` uses and load the analyzer's dictionary, once, in the server. A
    library that is missing is left to the runs (they report it: exit 2)."""
    import importlib

    for name in ("snspolicy.commands.lint", "snspolicy.app.lint", "snspolicy.engine.cache", "snspolicy.engine.documents",
                 "snspolicy.reporters.text", "snspolicy.reporters.json", "snspolicy.text.pii", "snspolicy.text.contacts",
                 "snspolicy.text.dates", "snspolicy.text.lexicon", "snspolicy.text.links", "snspolicy.text.clarity",
                 "snspolicy.domain.secretscan", "yaml", "jsonschema", "phonenumbers", "regex"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    from snspolicy.engine.registry import load_builtin_rules

    load_builtin_rules()
    try:
        from snspolicy.text.tokens import tokenize

        tokenize("宇部市からのお知らせです。")
    except Exception:  # noqa: BLE001 - the runs report an analyzer that cannot load
        pass
