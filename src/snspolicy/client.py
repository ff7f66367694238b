"""The ``snspolicy`` command's entry point: ``snspolicy lint`` is handed to the repo's warm server
when one runs (``snspolicy server start``), everything else runs here as always (:mod:`snspolicy.cli`).

A warm server keeps Python, the rules, the policy's regular expressions and the Japanese
analyzer's dictionary loaded, and runs each ``lint`` in a fresh copy of itself (a fork) with this
process's arguments, working folder, environment, standard input, output and error: the output and
the exit status are those of a run here (docs/performance.md, "Warm server"). This module imports
only the standard library, so that a served run does not pay for the imports it avoids.

The server is not used (the command runs here, nothing lost) when ``SNSPOLICY_NO_SERVER`` is set,
outside POSIX, when no server socket is found from the working folder upwards, or when the server
refuses: another Python or snspolicy installation, other import-related environment variables,
code changed on disk since it started. A server that dies during a run it took over makes the
run fail (exit 2), never pass.
"""

from __future__ import annotations

import os
import sys

__all__ = ["main"]

EXIT_USAGE = 2  # snspolicy.core.errors.EXIT_USAGE
EXIT_INTERRUPTED = 130


def main() -> None:
    if sys.argv[1:2] == ["lint"]:
        import gc

        gc.disable()  # a lint process ends with its run, which makes few reference cycles (snspolicy.app.lint)
    code = _served(sys.argv[1:])
    if code is not None:
        raise SystemExit(code)  # the served run's status, as the boundary in snspolicy.cli would end it
    from snspolicy.cli import main as cli_main

    cli_main()


def _served(argv: list[str]) -> int | None:
    """The exit status of ``argv`` run by a warm server, or None: run it here."""
    if not argv or argv[0] != "lint" or os.environ.get("SNSPOLICY_NO_SERVER", "") not in ("", "0"):
        return None
    if os.name != "posix":
        return None
    try:
        import socket

        from snspolicy.core import warm

        if not hasattr(socket, "send_fds"):
            return None
        path = warm.find_socket(os.getcwd())
        if path is None:
            return None
        for fd in (0, 1, 2):
            os.fstat(fd)  # a closed standard stream cannot be passed on
        sock = warm.connect(path, timeout=2.0)
    except (OSError, ValueError, ImportError):
        return None
    try:
        streams = [[getattr(s, "encoding", None), getattr(s, "errors", None)] for s in (sys.stdin, sys.stdout, sys.stderr)]
        import snspolicy

        request = {"op": "run", "v": warm.PROTOCOL, "argv": argv, "prog": _program_name(), "cwd": os.getcwd(),
                   "env": dict(os.environ),
                   "exe": os.path.realpath(sys.executable),
                   "pkg": os.path.realpath(os.path.dirname(snspolicy.__file__)), "streams": streams,
                   "umask": _umask()}
        warm.send_request(sock, request, [0, 1, 2])
        answer = warm.read_line(sock)
    except (OSError, ValueError):
        sock.close()
        return None
    if answer != "ok":
        sock.close()
        return None  # refused before anything was written: run it here
    sock.settimeout(None)  # the run may take long
    try:
        line = warm.read_line(sock)
    except KeyboardInterrupt:  # closing the connection ends the worker
        sock.close()
        return EXIT_INTERRUPTED
    except OSError:
        line = None
    sock.close()
    if line is not None and line.startswith("exit "):
        try:
            return int(line[5:])
        except ValueError:
            pass
    sys.stderr.write("snspolicy: サーバーでの検査が途中で終わりました。もう一度実行するか、SNSPOLICY_NO_SERVER=1 を付けて"
                     "実行してください。/ the warm server stopped during the run; run it again, or with "
                     "SNSPOLICY_NO_SERVER=1.\n")
    return EXIT_USAGE


def _program_name() -> str:
    """The name click shows in usage lines for this process (``snspolicy`` or ``python -m
    snspolicy``), found as click finds it, without importing click."""
    main_module = sys.modules.get("__main__")
    path = sys.argv[0] if sys.argv and sys.argv[0] else ""
    package = getattr(main_module, "__package__", None)
    if not package:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask
