"""Reading text files defensively: size limit, binary detection, encodings."""

from __future__ import annotations

import os
from pathlib import Path

from ..model import Span
from .errors import LoadError

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


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (a BOM is accepted) or raise a located LoadError."""
    if b"\0" in data[:8192] or (b"\0" in data):
        raise LoadError("binary", rule="file-encoding")
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
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError("too_large", params={"size": size, "limit": max_bytes}, rule="file-encoding")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except LoadError:
        raise
    except OSError as exc:
        raise LoadError("unreadable", params={"error": exc.strerror or str(exc)}, rule="file-encoding") from None
    return decode_text(data)
