"""Editing the user's files without losing anything they wrote.

:func:`edit_file` is the one way ``fix`` and ``account reviewed`` change a file: it locks the
file against a concurrent edit (:func:`snspolicy.io.fsutil.file_lock`), refuses a read-only
file, a file that is not a regular file and one outside the repo, hands the edit the text with
LF line ends (as the linter read it, so that spans of findings apply), and writes the result
back atomically with the file's own line ends (CRLF, CR, LF, even mixed: every line keeps its
own), its byte-order mark and its permission bits.

The edits themselves, both refusing to write when the result would not parse:

* :func:`replace_spans` changes only the characters of the given spans (a
  value's text), so every comment, quote and blank line stays as it was;
* :func:`set_value` replaces an existing scalar the same way, and inserts a
  missing key with ruamel.yaml's round-trip mode (which keeps comments), then
  checks with a line diff that nothing but the new key changed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from snspolicy.core.errors import UserError
from snspolicy.io.errors import LoadError
from snspolicy.io.yamlloc import load_yaml
from snspolicy.core.model import Span


class EditError(Exception):
    """The edit could not be made safely; nothing was written."""


_LINE_END = re.compile(r"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class TextFormat:
    """How a file wrote its text: byte-order mark and the end of each line (``\\n``, ``\\r\\n``, ``\\r``)."""

    bom: bool
    ends: tuple[str, ...]  # one per line break, in order

    @property
    def newline(self) -> str:
        """The commonest line end (``\\n`` for a file without any)."""
        if not self.ends:
            return "\n"
        return max(("\n", "\r\n", "\r"), key=self.ends.count)


def split_format(data: bytes) -> tuple[str, TextFormat]:
    """Decode ``data`` (UTF-8, optional BOM) into LF text plus its :class:`TextFormat`."""
    bom = data.startswith(_BOM)
    try:
        raw = data[len(_BOM):].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditError("not UTF-8") from None
    ends = tuple(_LINE_END.findall(raw))
    return _LINE_END.sub("\n", raw), TextFormat(bom, ends)


def join_format(text: str, fmt: TextFormat, original: str | None = None) -> bytes:
    """LF ``text`` back to bytes in ``fmt``: unchanged lines keep their own line end, new lines get
    the file's commonest one. ``original`` is the LF text ``fmt`` was read with."""
    lines = text.split("\n")
    breaks = len(lines) - 1
    ends: list[str]
    if original is None or not fmt.ends:
        ends = [fmt.newline] * breaks
    else:
        old = original.split("\n")
        if len(old) == len(lines):  # edits inside lines (fix): line i keeps line i's end
            ends = list(fmt.ends[:breaks]) + [fmt.newline] * (breaks - len(fmt.ends))
        else:  # lines inserted or removed: match the unchanged lines
            ends = [fmt.newline] * breaks
            matcher = difflib.SequenceMatcher(None, old, lines, autojunk=False)
            for tag, i1, _i2, j1, j2 in matcher.get_opcodes():
                if tag == "equal":
                    for k in range(j2 - j1):
                        if j1 + k < breaks and i1 + k < len(fmt.ends):
                            ends[j1 + k] = fmt.ends[i1 + k]
    out = "".join(line + end for line, end in zip(lines, ends)) + lines[-1]
    return (_BOM if fmt.bom else b"") + out.encode("utf-8")


def edit_file(path: Path, edit: Callable[[str], str], *, root: Path | None = None) -> bool:
    """Apply ``edit`` (LF text in, LF text out) to ``path`` safely; True when the file changed.

    Raises :class:`~snspolicy.core.errors.UserError` (``write_outside``, ``write_not_regular``,
    ``write_read_only``, ``write_locked``) or :class:`EditError` (the edit failed; nothing written).
    """
    from snspolicy.io.fsutil import atomic_write_bytes, clean_stale_temps, display_path, file_lock
    from snspolicy.io.textfile import inside

    path = Path(path)
    shown = display_path(path, root)
    if root is not None and not inside(path, root):
        raise UserError("write_outside", {"path": shown}, path=shown)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise EditError(exc.strerror or type(exc).__name__) from None
    if not stat.S_ISREG(st.st_mode):
        raise UserError("write_not_regular", {"path": shown}, path=shown)
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise UserError("write_read_only", {"path": shown}, path=shown)
    real = Path(os.path.realpath(path))  # a symbolic link inside the repo: edit (and lock) its target
    with file_lock(real, root=root):
        clean_stale_temps(real, older_than=0)  # we hold the lock: any temp file of ours is a leftover
        with open(real, "rb") as fh:
            data = fh.read()
        text, fmt = split_format(data)
        new = edit(text)
        if new == text:
            return False
        atomic_write_bytes(real, join_format(new, fmt, text))
    return True


def _offset(text: str, line: int, column: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return min(pos + column - 1, len(text))


def replace_spans(text: str, edits: Iterable[tuple[Span, str]]) -> str:
    """Replace each span's text; overlapping edits are refused."""
    items = sorted(((_offset(text, s.line, s.column), _offset(text, s.end_line or s.line, s.end_column or s.column), r)
                    for s, r in edits), reverse=True)
    last_start = len(text) + 1
    for start, end, replacement in items:
        if end > last_start:
            raise EditError("overlapping edits")
        text = text[:start] + replacement + text[end:]
        last_start = start
    return text


def yaml_scalar(value: Any) -> str:
    """A YAML plain or quoted scalar for a simple value."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    s = str(value)
    import json

    needs_quotes = not s or s != s.strip() or any(c in s for c in ":#{}[],&*!|>'\"%@`") or s.lower() in ("null", "true", "false", "yes", "no", "on", "off", "~")
    try:
        float(s)
        needs_quotes = True
    except ValueError:
        pass
    return json.dumps(s, ensure_ascii=False) if needs_quotes else s


def set_value(text: str, path: tuple, value: Any) -> str:
    """Return ``text`` with the YAML value at ``path`` set to ``value``."""
    try:
        located = load_yaml(text)
    except LoadError as exc:
        raise EditError(f"unparsable ({exc.code})") from None
    if path in located.values and not isinstance(_get(located.data, path), (dict, list)):
        new = replace_spans(text, [(located.values[path], yaml_scalar(value))])
    else:
        new = _insert_with_ruamel(text, path, value)
    try:
        check = load_yaml(new).data
    except LoadError as exc:
        raise EditError(f"edit would break the file ({exc.code})") from None
    if str(_get(check, path)) != str(value):
        raise EditError("edit did not take effect")
    return new


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        if isinstance(data, dict) and step in data:
            data = data[step]
        else:
            return None
    return data


def _insert_with_ruamel(text: str, path: tuple, value: Any) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    node = data
    for step in path[:-1]:
        if step not in node:
            node[step] = {}
        node = node[step]
    node[path[-1]] = value
    out = io.StringIO()
    yaml.dump(data, out)
    new = out.getvalue()
    # the only lines allowed to differ are added ones: otherwise the round trip reformatted something
    for line in difflib.ndiff(text.splitlines(), new.splitlines()):
        if line.startswith("- "):
            raise EditError("the edit would reformat other lines; edit the file by hand")
    return new
