"""The warm server's wire format, shared by the client (:mod:`snspolicy.client`, which must stay
cheap to import) and the server (:mod:`snspolicy.app.warm`). Standard library only.

A posts repo's server listens on ``.snspolicy_cache/server.sock`` (inside the repo, in the
folder that is never committed). One connection is one request:

* the client sends a 4-byte big-endian length and a JSON object, with its standard input, output
  and error passed along as file descriptors (``SCM_RIGHTS``) for a ``run``;
* the server answers lines: ``ok`` (a worker process took the run over: the client now only
  waits), ``no <reason>`` (refused before anything was written: the client runs the command
  itself), then ``exit <status>``. A connection closed without ``exit`` is a failed run.

Requests: ``{"op": "run", "argv": [...], "cwd": ..., "env": {...}, "exe": ..., "pkg": ...,
"streams": [...]}``, ``{"op": "status"}`` (one JSON line back), ``{"op": "stop"}``.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
from collections.abc import Callable
from typing import Any

__all__ = ["PROTOCOL", "SOCKET_NAME", "SAME_ENV", "bind", "code_fingerprint", "connect", "find_socket", "libraries_fingerprint", "read_line",
           "recv_request", "send_request", "socket_path"]

PROTOCOL = 1
CACHE_DIR = ".snspolicy_cache"  # :data:`snspolicy.io.cachefile.CACHE_DIR` (io is not imported here)
SOCKET_NAME = "server.sock"
#: environment variables that decide what a warm process already imported or chose: a run with
#: other values is not served (the client runs it itself)
SAME_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONNOUSERSITE", "PYTHONUSERBASE", "PYTHONPLATLIBDIR",
            "PYTHONUTF8", "LC_ALL", "LC_CTYPE", "LANG", "SNSPOLICY_TOKENIZER", "VIRTUAL_ENV")
MAX_REQUEST = 1 << 20
_MAX_UP = 64  # folders walked up from the working folder to find a server


def socket_path(root: str) -> str:
    return os.path.join(root, CACHE_DIR, SOCKET_NAME)


def find_socket(start: str) -> str | None:
    """The server socket of the repo holding ``start`` (walking up), or None."""
    here = os.path.abspath(start)
    for _ in range(_MAX_UP):
        candidate = socket_path(here)
        if os.path.exists(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    return None


def _address(path: str) -> tuple[str, int | None]:
    """An address ``connect``/``bind`` accept for ``path`` (AF_UNIX paths are short: a long one is
    reached through its folder's descriptor on Linux), and the descriptor to close afterwards."""
    if len(os.fsencode(path)) < 100 or not os.path.isdir("/proc/self/fd"):
        return path, None
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    return f"/proc/self/fd/{fd}/{os.path.basename(path)}", fd


def _unix_socket(path: str, use: Callable[[socket.socket, str], None]) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    address, fd = _address(path)
    try:
        use(sock, address)
    except BaseException:
        sock.close()
        raise
    finally:
        if fd is not None:
            os.close(fd)
    return sock


def connect(path: str, timeout: float) -> socket.socket:
    def go(sock: socket.socket, address: str) -> None:
        sock.settimeout(timeout)
        sock.connect(address)

    return _unix_socket(path, go)


def bind(path: str) -> socket.socket:
    return _unix_socket(path, lambda sock, address: sock.bind(address))


def send_request(sock: socket.socket, request: dict[str, Any], fds: list[int] | None = None) -> None:
    body = json.dumps(request, ensure_ascii=False).encode("utf-8", "surrogateescape")
    data = struct.pack(">I", len(body)) + body
    if fds:
        sent = socket.send_fds(sock, [data], fds)
        data = data[sent:]
    if data:
        sock.sendall(data)


def recv_request(sock: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The request and the descriptors sent with it (ValueError: not a request)."""
    data, fds, _flags, _addr = socket.recv_fds(sock, 65536, 3)
    try:
        if len(data) < 4:
            data += _recv_exactly(sock, 4 - len(data))
        (size,) = struct.unpack(">I", data[:4])
        if size > MAX_REQUEST:
            raise ValueError("request too large")
        body = data[4:]
        if len(body) < size:
            body += _recv_exactly(sock, size - len(body))
        request = json.loads(body[:size].decode("utf-8", "surrogateescape"))
        if not isinstance(request, dict):
            raise ValueError("not a request")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return request, list(fds)


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    out = b""
    while len(out) < n:
        part = sock.recv(n - len(out))
        if not part:
            raise ValueError("connection closed")
        out += part
    return out


def read_line(sock: socket.socket, limit: int = 65536) -> str | None:
    """One ``\\n``-terminated line from ``sock`` (None: closed before a whole line)."""
    out = b""
    while not out.endswith(b"\n"):
        part = sock.recv(1)
        if not part or len(out) > limit:
            return None
        out += part
    return out[:-1].decode("utf-8", "replace")


def code_fingerprint(package_dir: str) -> str:
    """Name, size and modification time of every file of the installed package: a warm process
    whose code changed on disk since it started must not serve (it would run the old code)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(package_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".yaml", ".yml", ".json", ".csv", ".txt")):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                h.update(f"{os.path.relpath(dirpath, package_dir)}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode(
                    "utf-8", "surrogateescape"))
    return h.hexdigest()


def libraries_fingerprint(paths: list[str]) -> str:
    """The installed distributions (``*.dist-info``/``*.egg-info`` names, with their versions) on
    ``paths``: a library upgraded since a warm process started makes it stop serving."""
    h = hashlib.sha256()
    for entry in paths:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        h.update(f"{entry}\0{chr(1).join(names)}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()
