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


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (a BOM is accepted) or raise a located LoadError."""
    if b"\0" in data:
        raise LoadError("not_utf8_utf16" if looks_utf16(data) else "binary", rule="file-encoding")
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


def read_text(path: Path, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a text file, refusing huge, binary, non-UTF-8 files and links leaving ``root``."""
    try:
        if path.is_symlink() and root is not None:
            target = Path(os.path.realpath(path))
            try:
                target.relative_to(os.path.realpath(root))
            except ValueError:
                raise LoadError("symlink_outside", rule="file-encoding") from None
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise LoadError("is_directory", rule="file-encoding")
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            raise LoadError("not_regular", rule="file-encoding")
        size = st.st_size
        if size > max_bytes:
            raise LoadError("too_large", params={"size": size, "limit": max_bytes}, rule="file-encoding")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except LoadError:
        raise
    except OSError as exc:
        raise os_error(exc, path) from None
    return decode_text(data)


def os_error(exc: OSError, path: Path | None = None) -> LoadError:
    """A LoadError that says in the user's words why the file could not be read."""
    code = {
        errno.ELOOP: "symlink_loop",
        errno.EACCES: "permission_denied",
        errno.EPERM: "permission_denied",
        errno.EISDIR: "is_directory",
    }.get(exc.errno or 0)
    if code is None and exc.errno == errno.ENOENT:
        code = "symlink_dangling" if path is not None and os.path.islink(path) else "file_missing"
    if code:
        return LoadError(code, rule="file-encoding")
    return LoadError("unreadable", params={"error": exc.strerror or type(exc).__name__}, rule="file-encoding")
