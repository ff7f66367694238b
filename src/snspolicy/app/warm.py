"""The warm server (``snspolicy server start``): a process that has imported snspolicy, its rules
and libraries and loaded the Japanese analyzer's dictionary, and runs each ``snspolicy lint`` a
client hands it (:mod:`snspolicy.client`) in a fork of itself, so that a pre-commit hook does not
pay for starting Python and loading all of that for every commit.

What a served run is, and why it equals a run of its own:

* every run is a fresh fork of the warmed-up process, which never lints itself: no state of one
  run (caches, registries, the garbage collector) reaches another;
* the fork takes the client's arguments, working folder, environment (and time zone), umask,
  standard input, output and error (passed as file descriptors), so messages, colours,
  ``--output`` files and the exit status are the client's own;
* a run is refused (the client then runs the command itself) unless it comes from the same user
  (``SO_PEERCRED``), the same Python and snspolicy installation, with the same import-related
  environment variables (:data:`snspolicy.core.warm.SAME_ENV`); when snspolicy's files or the
  installed libraries changed on disk since the server started, it refuses and stops;
* the socket lives in the repo's cache folder (never committed, readable by its owner only); the
  server stops after ``idle`` seconds without a request, when its socket is removed or replaced
  (``rm -rf .snspolicy_cache``), on ``snspolicy server stop``, or on SIGTERM.
"""

from __future__ import annotations

import gc
import io
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core import warm

__all__ = ["Server", "request"]


def request(root: Path, op: str, timeout: float = 2.0) -> dict[str, Any] | None:
    """Ask the server of ``root`` for ``status`` or to ``stop`` (None: no server answers)."""
    path = warm.socket_path(str(root))
    if not os.path.exists(path):
        return None
    try:
        sock = warm.connect(path, timeout)
    except OSError:
        return None
    try:
        warm.send_request(sock, {"op": op, "v": warm.PROTOCOL})
        line = warm.read_line(sock)
    except (OSError, ValueError):
        return None
    finally:
        sock.close()
    if line is None:
        return None
    if op == "status":
        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None
    return {"answer": line}


@dataclass
class Server:
    root: Path
    run: Callable[[list[str], str], int | None]  # runs a command line (and program name) in the forked worker
    warm_up: Callable[[], None]
    idle: float = 7200.0
    served: int = 0
    started: float = field(default_factory=time.time)

    def serve(self) -> None:
        """Bind, warm up, answer requests until told to stop. Raises OSError/UserError when the
        socket cannot be made (another server is running: ``FileExistsError``)."""
        from snspolicy.io.cachefile import ensure_folder

        ensure_folder(self.root)
        path = warm.socket_path(str(self.root))
        listener = self._bind(path)
        try:
            ident = os.stat(path)
            self.warm_up()
            gc.collect()
            gc.freeze()  # the forked workers leave the warm objects' memory pages alone
            self._baseline()
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the system
            signal.signal(signal.SIGTERM, _terminate)
            listener.listen(16)
            listener.settimeout(1.0)
            last = time.monotonic()
            while True:
                try:
                    conn, _ = listener.accept()
                except socket.timeout:
                    if time.monotonic() - last > self.idle or not self._still_ours(path, ident):
                        return
                    continue
                last = time.monotonic()
                with conn:
                    if self._handle(conn, listener) == "stop":
                        return
        except _Terminated:
            return
        finally:
            listener.close()
            if self._still_ours(path, locals().get("ident")):
                try:
                    os.unlink(path)
                except OSError:
                    pass

    # -- setup ---------------------------------------------------------------------------------
    @staticmethod
    def _bind(path: str) -> socket.socket:
        if os.path.lexists(path):
            if request(Path(path).parent.parent, "status") is not None:
                raise FileExistsError(path)
            os.unlink(path)  # left by a server that did not stop cleanly
        old = os.umask(0o177)
        try:
            return warm.bind(path)
        finally:
            os.umask(old)

    def _baseline(self) -> None:
        import snspolicy

        self.exe = os.path.realpath(sys.executable)
        self.pkg = os.path.realpath(os.path.dirname(snspolicy.__file__))
        self.env = {k: os.environ.get(k) for k in warm.SAME_ENV}
        self.code = warm.code_fingerprint(self.pkg)
        self.libs = warm.libraries_fingerprint(list(sys.path))

    @staticmethod
    def _still_ours(path: str, ident: os.stat_result | None) -> bool:
        if ident is None:
            return False
        try:
            st = os.lstat(path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == (ident.st_dev, ident.st_ino)

    # -- one request ---------------------------------------------------------------------------
    def _handle(self, conn: socket.socket, listener: socket.socket) -> str | None:
        conn.settimeout(5.0)
        try:
            req, fds = warm.recv_request(conn)
        except (OSError, ValueError):
            return None
        try:
            if not self._same_user(conn):
                conn.sendall(b"no user\n")
                return None
            op = req.get("op")
            if op == "status":
                conn.sendall(json.dumps({"pid": os.getpid(), "root": str(self.root), "served": self.served,
                                         "started": self.started, "idle": self.idle}).encode() + b"\n")
                return None
            if op == "stop":
                conn.sendall(b"ok\n")
                return "stop"
            refusal = self._refusal(req, fds)
            if refusal is not None:
                conn.sendall(f"no {refusal}\n".encode())
                return "stop" if refusal == "stale" else None
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker (its exit status is checked by the tests)
                self._worker(conn, listener, req, fds)
            self.served += 1
            return None
        except OSError:
            return None
        finally:
            for fd in fds:
                os.close(fd)

    @staticmethod
    def _same_user(conn: socket.socket) -> bool:
        option = getattr(socket, "SO_PEERCRED", None)
        if option is None:
            return True  # the socket is readable and writable by its owner only
        creds = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
        return uid == os.getuid()

    def _refusal(self, req: dict[str, Any], fds: list[int]) -> str | None:
        argv, env, streams = req.get("argv"), req.get("env"), req.get("streams")
        if req.get("op") != "run" or req.get("v") != warm.PROTOCOL:
            return "protocol"
        if not (isinstance(argv, list) and argv and argv[0] == "lint" and all(isinstance(a, str) for a in argv)):
            return "command"
        if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
            return "environment"
        if not (isinstance(streams, list) and len(streams) == 3 and len(fds) == 3):
            return "streams"
        if not (isinstance(req.get("cwd"), str) and os.path.isdir(req["cwd"])):
            return "folder"
        if req.get("exe") != self.exe or req.get("pkg") != self.pkg:
            return "installation"
        if any(env.get(k) != v for k, v in self.env.items()):
            return "environment"
        if warm.code_fingerprint(self.pkg) != self.code or warm.libraries_fingerprint(list(sys.path)) != self.libs:
            return "stale"
        return None

    def _worker(self, conn: socket.socket, listener: socket.socket, req: dict[str, Any], fds: list[int]) -> None:
        """The forked run: becomes the client's process in all but name, runs, reports, exits."""
        code = 2
        try:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # git and worker processes are waited for
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            os.chdir(req["cwd"])
            umask = req.get("umask")
            if isinstance(umask, int) and 0 <= umask <= 0o777:
                os.umask(umask)  # files the run writes (reports, cache) get the client's permissions
            os.environ.clear()
            os.environ.update(req["env"])
            time.tzset()
            _streams(req["streams"])
            sys.argv = ["snspolicy", *req["argv"]]
            conn.settimeout(None)
            conn.sendall(b"ok\n")
            threading.Thread(target=_end_with_client, args=(conn,), daemon=True).start()
            try:
                prog = req.get("prog")
                result = self.run(list(req["argv"]), prog if isinstance(prog, str) and prog else "snspolicy")
                code = 0 if result is None else int(result)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException:  # noqa: BLE001 - whatever happens, the client gets a status
            code = 2
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except BaseException:  # noqa: BLE001
                    pass
            try:
                conn.sendall(f"exit {code}\n".encode())
            except BaseException:  # noqa: BLE001
                pass
            os._exit(code)


class _Terminated(Exception):
    """SIGTERM: the server stops as on ``snspolicy server stop``."""


def _terminate(*_: object) -> None:
    raise _Terminated


def _end_with_client(conn: socket.socket) -> None:
    """A worker whose client went away (Ctrl-C, a killed hook) stops too."""
    try:
        conn.recv(1)
    except OSError:
        pass
    os._exit(130)


def _streams(spec: list[Any]) -> None:
    """Standard streams over descriptors 0-2 with the client's encodings and error handlers."""
    made = []
    for fd, (mode, item) in enumerate(zip(("r", "w", "w"), spec)):
        encoding, errors = (item + [None, None])[:2] if isinstance(item, list) else (None, None)
        raw = io.FileIO(fd, mode, closefd=False)
        buffered: Any = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        made.append(io.TextIOWrapper(buffered, encoding=encoding if isinstance(encoding, str) else "utf-8",
                                     errors=errors if isinstance(errors, str) else "strict",
                                     line_buffering=mode == "w" and os.isatty(fd)))
    sys.stdin, sys.stdout, sys.stderr = made
