"""Posts' front matter parsed by a helper process while this process reads the others.

A whole-repo run reads and parses every post before the rules' worker processes start (they share
what was read): the other CPUs wait meanwhile. When the run may use several CPUs (``--jobs``) and
nothing of the repo is in the cache yet (``--no-cache``, a first run, a fresh clone in CI), a
helper process (forked, Linux) parses the front matter of the last :data:`SHARE` of the posts
while this process parses the first ones. Each parse is handed back as the repo's cache keeps it
(:meth:`snspolicy.engine.cache.ParseCache.encode`: the data as JSON, with its span rows when the
cache keeps them), keyed by the exact text of the front matter.

Never a different result: this process still reads every file itself (the same checks: links,
size, encoding), and takes the helper's parse only for a front matter of exactly the text the
helper parsed; a file changed in between has another text and is parsed here. What the helper
could not parse (a YAML error, a value that is not plain JSON) is parsed here, and reported from
here. A helper that fails, dies or takes more than :data:`WAIT_SECONDS` hands back less or
nothing: the rest is parsed here. The helper writes nothing and is always reaped (:meth:`close`).
"""

from __future__ import annotations

import os
import select
import sys
from pathlib import Path

from snspolicy.engine.cache import ParseCache
from snspolicy.io.yamlloc import Located, share_values

__all__ = ["MIN_POSTS", "SHARE", "Prefill", "usable"]

#: posts below which a helper costs more than it saves
MIN_POSTS = 1000
#: the share of the posts the helper parses (the end of the list): it parses and encodes a post
#: in ~1.2 times what this process takes to read and parse one, and this process then takes
#: the helper's posts at a quarter of the cost (reading, decoding the entry)
SHARE = 0.45
#: seconds this process waits for the helper's answer at most (then parses the rest itself)
WAIT_SECONDS = 60.0


def usable(jobs: int) -> bool:
    """May a helper process be used (several CPUs asked for, processes forked as the workers are)?"""
    return jobs > 1 and sys.platform.startswith("linux") and hasattr(os, "fork") and hasattr(select, "poll")


class Prefill:
    """A :class:`~snspolicy.io.yamlloc.ParseMemo` over ``base`` (the repo's cache, or None without
    one) that also holds what the helper parsed (see the module docstring)."""

    def __init__(self, base: ParseCache | None) -> None:
        self.base = base
        #: whether parses are kept (a cache): else a document is parsed here without span tables,
        #: as without a memo, and the helper sends the data alone
        self.keeps = base is not None
        self.pid: int | None = None
        self.fd: int | None = None
        self.entries: dict[str, str] | None = None
        self.wait_after = 0  # posts asked for before the helper's answer is awaited
        self.asked = 0

    # -- the helper ---------------------------------------------------------------------------
    def start(self, posts: list[tuple[str, bool]], root: Path) -> None:
        """Fork the helper for the last :data:`SHARE` of ``posts`` (their paths, and whether the
        folder listing said each is a regular file), in the order this process reads them."""
        if len(posts) < MIN_POSTS or self.pid is not None:
            return
        tail = posts[len(posts) - int(len(posts) * SHARE):]
        self.wait_after = len(posts) - len(tail)
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return
        if pid == 0:  # the helper: parse, write the entries, end (no cleanup of the parent's)
            code = 0
            try:
                os.close(read_fd)
                _helper(tail, root, self.keeps, write_fd)
            except BaseException:  # noqa: BLE001 - the parent parses what it did not get
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self.fd = pid, read_fd

    def _collect(self) -> None:
        """Read the helper's answer (waiting for it at most :data:`WAIT_SECONDS`) and reap it."""
        entries: dict[str, str] = {}
        chunks: list[bytes] = []
        fd = self.fd
        try:
            poll = select.poll()  # (not select(): no limit on the descriptor's number)
            if fd is not None:
                poll.register(fd, select.POLLIN)
            while fd is not None:
                if not poll.poll(WAIT_SECONDS * 1000):
                    chunks = []  # too slow: take nothing (a half-written line is not an entry either)
                    break
                part = os.read(fd, 1 << 20)
                if not part:
                    break
                chunks.append(part)
        except (OSError, ValueError):
            chunks = []
        self.close()
        try:
            text = b"".join(chunks).decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            text = ""
        lines = text.split("\n")
        if lines[-1] == f"end {len(lines) - 1}":  # the whole answer, not the start of one
            for line in lines[:-1]:
                key, _, raw = line.partition(" ")
                if len(key) == 64 and raw:
                    entries[key] = raw
        self.entries = entries

    def close(self) -> None:
        """End the helper if it still runs, and reap it (always called: see the app's load)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            import signal

            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
                if pid == 0:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None

    # -- the memo -----------------------------------------------------------------------------
    def get(self, text: str, line_offset: int, spread: bool = False) -> Located | None:
        if self.base is not None:
            found = self.base.get(text, line_offset, spread)
            if found is not None:
                return found
        if not spread or (self.entries is None and self.pid is None):
            return None
        if self.entries is None:
            self.asked += 1
            if self.asked <= self.wait_after:
                return None  # one of the posts this process parses itself
            self._collect()
        assert self.entries is not None
        key = ParseCache.entry_key(text, line_offset)
        raw = self.entries.pop(key, None)
        if raw is None:
            return None
        located = ParseCache.decode(raw, text, line_offset)
        if located is None:
            return None
        located.data = share_values(located.data)  # the strings shared by all documents, as parsed here
        if self.base is not None:
            self.base.put_entry(key, raw, spread)  # kept for the next run, as if parsed here
        return located

    def put(self, text: str, line_offset: int, located: Located, spread: bool = False) -> None:
        if self.base is not None:
            self.base.put(text, line_offset, located, spread)


def _helper(posts: list[tuple[str, bool]], root: Path, rows: bool, fd: int) -> None:
    """In the helper: read and parse each post as :func:`~snspolicy.io.documents.load_document`
    does, and write one line per parse that can be kept, ``<key> <entry>``, then ``end <count>``."""
    import signal

    from snspolicy.io.documents import split_front_matter
    from snspolicy.io.textfile import InsideCheck, decode_text, read_bytes
    from snspolicy.io.yamlloc import load_yaml

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    check = InsideCheck(root)
    lines: list[str] = []
    for path, regular in posts:
        try:
            text = decode_text(read_bytes(path, root, inside_check=check, regular=regular))
            parts = split_front_matter(text)
            if parts is None:
                continue
            front, line_offset = parts[0], parts[1]
            raw = ParseCache.encode(load_yaml(front, line_offset, spans=rows), rows=rows)
        except Exception:  # noqa: BLE001, S112 - parsed (and reported) by the parent
            continue
        if raw is not None and "\n" not in raw:
            lines.append(f"{ParseCache.entry_key(front, line_offset)} {raw}")
    lines.append(f"end {len(lines)}")  # the parent takes the answer only when it is whole
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)
