"""Reading text files defensively: size limit, binary detection, encodings."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from snspolicy.core.model import Span
from snspolicy.io.errors import LoadError

DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # a post or account file is a few KB; 2 MB is surely wrong


def offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def _guess_legacy_encoding(data: bytes) -> str | None:
    for enc in ("cp932", "euc_jp"):
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    return None


def looks_utf16(data: bytes) -> bool:
    """UTF-16 text (Windows Notepad's "Unicode"): a BOM, or a NUL in every other byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    for zeros, other in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
            return True
    try:  # Japanese UTF-16 has few NULs: accept it when it decodes to text without controls
        text = head[: len(head) // 2 * 2].decode("utf-16-le" if head[1:2] == b"\0" else "utf-16-be")
    except UnicodeDecodeError:
        return False
    return bool(text) and all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _nul_problem(data: bytes) -> LoadError:
    """Why ``data`` (which holds a NUL byte) is not text: UTF-16, UTF-8 with a stray NUL, or binary.

    UTF-8 text holding a NUL (a paste from a PDF, a broken editor) decodes as UTF-8 and has few
    NULs: it is reported at the NUL's line and column, not as UTF-16 (ASCII read as UTF-16 gives
    printable CJK characters, so the UTF-16 guess must come after the UTF-8 test).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _alternating_nuls(data):
        return LoadError("not_utf8_utf16", rule="file-encoding")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        nuls = text.count("\0")
        rest = text.replace("\0", "")
        if nuls <= max(16, len(text) // 100) and all(ch.isprintable() or ch in "\r\n\t" for ch in rest[:65536]):
            first = text.index("\0")
            norm = text[:first].replace("\r\n", "\n").replace("\r", "\n")
            line, col = offset_to_line_col(norm, len(norm))
            return LoadError("text_nul", Span(line, col), rule="file-encoding")
        return LoadError("binary", rule="file-encoding")
    return LoadError("not_utf8_utf16" if looks_utf16(data) else "binary", rule="file-encoding")


def _alternating_nuls(data: bytes) -> bool:
    head = data[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return any(zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other)
               for zeros, other in ((odd, even), (even, odd)))


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (a BOM is accepted) or raise a located LoadError.

    Line ends (CRLF, CR) become LF; :mod:`snspolicy.io.editing` restores them when it writes.
    """
    if b"\0" in data:
        raise _nul_problem(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, col = offset_to_line_col(good, len(good))
        legacy = _guess_legacy_encoding(data)
        raise LoadError(
            "not_utf8_legacy" if legacy else "not_utf8",
            Span(line, col),
            {"encoding": {"cp932": "Shift_JIS", "euc_jp": "EUC-JP"}.get(legacy or "", "")},
            rule="file-encoding",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def inside(path: Path | str, root: Path | str) -> bool:
    """Does ``path``, with every symbolic link followed, stay inside ``root``?

    ``..`` and absolute paths are judged the same way (after resolving); a path that cannot be
    resolved (a loop) is not inside.
    """
    try:
        real = os.path.realpath(path)
        real_root = os.path.realpath(root)
    except (OSError, ValueError, RuntimeError):
        return False
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


class InsideCheck:
    """:func:`inside` for the many files of one run under one ``root``, resolving each folder once.

    A file that is not itself a symbolic link is inside exactly when its folder is; the folder's
    answer is kept for this object's life (one run: make a new one per run, never a global one,
    since a long-running editor server would otherwise keep an answer the disk no longer gives).
    Links, ``..`` and anything unusual take the full :func:`inside`."""

    def __init__(self, root: Path | str) -> None:
        self.root = root
        self.folders: dict[str, bool] = {}
        self.written: dict[str, bool] = {}  # the same answers by the folder as written in the path

    def __call__(self, path: Path | str) -> bool:
        text = os.fspath(path)
        try:
            st = os.lstat(text)
        except (OSError, ValueError):
            return inside(path, self.root)
        if stat.S_ISLNK(st.st_mode):
            return inside(path, self.root)
        return self.folder_inside(text)

    def folder_inside(self, text: str) -> bool:
        """Is the folder of ``text`` (a path that is not itself a link) inside the root? Paths
        with ``..`` take the full :func:`inside`. The answer is also kept under the folder as
        written (``text`` up to its last ``/``), so the many files of one folder cost a lookup."""
        cut = text.rfind("/") if os.altsep is None else -1
        if cut > 0:
            ok = self.written.get(text[:cut])
            if ok is not None and text[cut + 1:] not in ("", ".", ".."):
                return ok
        if ".." in text.replace("\\", "/").split("/"):
            return inside(text, self.root)
        folder = os.path.dirname(os.path.abspath(text))
        ok = self.folders.get(folder)
        if ok is None:
            ok = self.folders[folder] = inside(folder, self.root)
        if cut > 0 and text[cut + 1:] not in ("", ".", ".."):
            self.written[text[:cut]] = ok  # no "..": the folder written is the folder resolved
        return ok


#: how a file is opened for reading: never through a link at its end, never waiting on a pipe
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
    | getattr(os, "O_BINARY", 0)


def read_fd(fd: int, limit: int, size_hint: int) -> bytes:
    """Up to ``limit`` bytes of the open regular file ``fd``, to its end. ``size_hint`` (its size
    when it was looked at) sizes the first read: no buffer of ``limit`` bytes is made for a small
    file (Python's ``read(limit)`` allocates, maps and unmaps one, every time)."""
    chunks: list[bytes] = []
    got = 0
    want = max(min(limit, max(size_hint, 0) + 1), 1)
    while got < limit:
        part = os.read(fd, want)
        if not part:
            break
        chunks.append(part)
        got += len(part)
        if len(part) < want:  # a short read of a regular file: its end
            break
        want = min(limit - got, 1 << 20)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_regular(text: str, max_bytes: int) -> bytes | None:
    """The bytes of ``text``, a regular file as far as its caller knows (``lstat``, or the folder
    listing's file type), opened without following a link and looked at again once open (None: it
    is a link or no longer a regular file: take the careful way)."""
    try:
        fd = os.open(text, OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        if st.st_size > max_bytes:
            raise LoadError("too_large", params={"size": st.st_size, "limit": max_bytes}, rule="file-encoding")
        return read_fd(fd, max_bytes + 1, st.st_size)
    finally:
        os.close(fd)


def read_bytes(path: Path | str, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES, *,
               inside_check: InsideCheck | None = None, regular: bool = False) -> bytes:
    """The bytes of a file, refusing huge files, non-regular files and links leaving ``root``
    (:func:`read_text` decodes them).

    With ``root``, the file is read only when the real path (every link of every folder on the
    way followed) is inside ``root``: a symlinked ``posts/`` folder leading elsewhere is refused
    like a symlinked file.
    """
    if inside_check is not None and root is not None:  # the common case: a regular file in a checked folder
        try:
            text = os.fspath(path)
            if (regular or stat.S_ISREG(os.lstat(text).st_mode)) and inside_check.folder_inside(text):
                data = _read_regular(text, max_bytes)
                if data is not None:
                    return data
        except LoadError:
            raise
        except OSError as exc:
            raise os_error(exc, Path(path)) from None
        except ValueError:  # an embedded NUL in the name: said below
            pass
    path = Path(path)
    try:
        if root is not None and not (inside_check(path) if inside_check is not None else inside(path, root)):
            if os.path.lexists(path) and not os.path.exists(path):
                raise os_error(OSError(errno.ENOENT, "dangling"), path)
            raise LoadError("symlink_outside", rule="file-encoding")
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise LoadError("is_directory", rule="file-encoding")
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            raise LoadError("not_regular", rule="file-encoding")
        size = st.st_size
        if size > max_bytes:
            raise LoadError("too_large", params={"size": size, "limit": max_bytes}, rule="file-encoding")
        with path.open("rb", buffering=0) as fh:
            data = read_fd(fh.fileno(), max_bytes + 1, size)
    except LoadError:
        raise
    except OSError as exc:
        raise os_error(exc, path) from None
    except ValueError:  # an embedded NUL in the name
        raise LoadError("unreadable", params={"error": "invalid file name"}, rule="file-encoding") from None
    return data


def read_text(path: Path, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES, *,
              inside_check: InsideCheck | None = None) -> str:
    """Read a text file, refusing huge, binary, non-UTF-8 files and links leaving ``root``
    (see :func:`read_bytes`)."""
    return decode_text(read_bytes(path, root, max_bytes, inside_check=inside_check))


def os_error(exc: OSError, path: Path | None = None) -> LoadError:
    """A LoadError that says in the user's words why the file could not be read."""
    code = {
        errno.ELOOP: "symlink_loop",
        errno.EACCES: "permission_denied",
        errno.EPERM: "permission_denied",
        errno.EISDIR: "is_directory",
        errno.ENAMETOOLONG: "path_too_long",
    }.get(exc.errno or 0)
    if code is None and exc.errno == errno.ENOENT:
        try:
            dangling = path is not None and os.path.islink(path)
        except (OSError, ValueError):
            dangling = False
        code = "symlink_dangling" if dangling else "file_missing"
    if code:
        return LoadError(code, rule="file-encoding")
    return LoadError("unreadable", params={"error": exc.strerror or type(exc).__name__}, rule="file-encoding")


class LineIndex:
    """Line and column of many offsets into one text in O(log n) each (:func:`offset_to_line_col`
    counts from the start every time, which is quadratic over thousands of findings)."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (code points) of ``offset``, as :func:`offset_to_line_col`."""
        import bisect

        offset = max(0, min(offset, len(self.text)))
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1
