"""Documents of the posts repo: YAML files and Markdown posts with front matter."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from snspolicy.core.model import Span
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import InsideCheck, LineIndex, decode_text, read_bytes
from snspolicy.io.yamlloc import Located, ParseMemo, compact, load_yaml, load_yaml_remembered

KINDS = ("config", "account", "post", "press", "incident")


class Document:
    """One file of the posts repo.

    ``data`` is the parsed YAML (the front matter for a post); ``body`` is the
    text after the front matter, and ``body_offset`` the character offset at
    which it starts in ``text``, so that a character position inside the body
    maps back to a line and column of the file.

    A run keeps every document to its end, so a document keeps little besides its text: the body is
    read from ``text`` when asked for (not a second copy), the path on disk is kept as a string,
    and ``cache`` (what rules work out about the document during the run) is made when first used.
    """

    __slots__ = ("_abs_path", "_body", "_cache", "body_offset", "digest", "kind", "located", "path", "text")

    def __init__(self, kind: str, path: str, abs_path: Path | str, text: str, located: Located, body: str = "",
                 body_offset: int = 0, cache: dict[str, Any] | None = None, digest: str = "") -> None:
        self.kind = kind
        self.path = path  # relative to the repo root, with forward slashes
        self._abs_path = os.fspath(abs_path)
        self.text = text
        self.located = located
        self.body_offset = body_offset
        # the body is ``text[body_offset:]``; kept apart only when a caller gave another one
        self._body: str | None = None if body == text[body_offset:] else body
        self._cache = cache
        self.digest = digest  # sha256 of the file's bytes as read (empty for an editor's buffer)

    def __repr__(self) -> str:
        return f"Document(kind={self.kind!r}, path={self.path!r})"

    @property
    def abs_path(self) -> Path:
        return Path(self._abs_path)

    @property
    def abs_name(self) -> str:
        """:attr:`abs_path` as a string (no Path object made)."""
        return self._abs_path

    @property
    def body(self) -> str:
        return self.text[self.body_offset:] if self._body is None else self._body

    @property
    def cache(self) -> dict[str, Any]:
        if self._cache is None:
            self._cache = {}
        return self._cache

    @property
    def data(self) -> Any:
        return self.located.data

    def get(self, *path: Any, default: Any = None) -> Any:
        """Value at a path of keys/indexes, or ``default`` when any step is missing."""
        cur = self.data
        for step in path:
            if isinstance(cur, dict) and isinstance(step, str) and step in cur:
                cur = cur[step]
            elif isinstance(cur, list) and isinstance(step, int) and -len(cur) <= step < len(cur):
                cur = cur[step]
            else:
                return default
        return cur

    def span(self, path: tuple = (), key: bool = False) -> Span:
        return self.located.span(path, key)

    def body_span(self, start: int, end: int) -> Span:
        """Span of body characters ``[start, end)`` (O(log n): a post with thousands of findings
        stays linear)."""
        index = self.cache.get("_line_index")
        if not isinstance(index, LineIndex) or index.text is not self.text:
            index = self.cache["_line_index"] = LineIndex(self.text)
        line, col = index.line_col(self.body_offset + start)
        end_line, end_col = index.line_col(self.body_offset + max(start, end))
        return Span(line, col, end_line, end_col)


#: a line that closes the front matter: ``---`` or ``...``, then only white space (what
#: ``str.rstrip()`` takes away: ``\s`` is the same set of characters), lines cut at ``\n`` alone
_CLOSING = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """Return (front matter, its first line index, body, body offset) or None.

    The front matter is between a first line ``---`` and the next line ``---`` or ``...`` (trailing
    white space allowed on both); the body starts after that line. Only the front matter's lines
    are looked at (the body is not split into lines)."""
    nl = text.find("\n")
    if nl < 0 or text[:nl].rstrip() != "---":
        return None
    start = nl + 1  # of the front matter
    found = _CLOSING.search(text, start)
    if found is None:
        return None
    pos, end = found.span()
    body_offset = min(end + 1, len(text))
    return text[start:pos - 1] if pos > start else "", 1, text[body_offset:], body_offset


def _front_matter_error(text: str) -> LoadError:
    """Why a post has no usable front matter: never opened, or opened and not closed."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        return LoadError("front_matter_unclosed", Span(1, 1))
    for i, line in enumerate(lines[:20]):
        if line.strip():
            if line.strip() == "---" and i > 0:  # blank lines or spaces before the opening ---
                return LoadError("front_matter_not_first", Span(i + 1, 1))
            break
    return LoadError("no_front_matter", Span(1, 1))


def _require_mapping(located: Located, kind: str, empty_ok: bool) -> None:
    """The top level of an account/press/incident file (or a post's front matter) is ``key: value``."""
    if located.data is None:
        if empty_ok:
            located.data = {}
            return
        raise LoadError("empty_document", located.span(()), {"kind": kind})
    if not isinstance(located.data, dict):
        raise LoadError("not_mapping", located.span(()), {"kind": kind})


def load_document(kind: str, path: Path | str, rel: str, root: Path | None = None, *,
                  inside_check: InsideCheck | None = None, memo: ParseMemo | None = None,
                  regular: bool = False) -> Document:
    """Read and parse one file. Raises :class:`LoadError` for unreadable input.

    A file that is empty, only comments, or whose top level is not ``key: value``
    (a list, a bare word) cannot be checked at all and is a LoadError too; an
    empty front matter (``---`` / ``---``) is an empty mapping that the schema reports on.
    """
    data = read_bytes(path, root, inside_check=inside_check, regular=regular)
    doc = parse_document(kind, path, rel, decode_text(data), memo=memo)
    doc.digest = hashlib.sha256(data).hexdigest()
    return doc


def _parse(text: str, line_offset: int, memo: ParseMemo | None, spread: bool = False) -> Located:
    """The parsed YAML of a document; without a memo (no cache) without its span tables, which the
    document makes again from its text when a location is asked for (:func:`compact`): few are."""
    if memo is None:
        return load_yaml(text, line_offset, spans=False)
    return load_yaml_remembered(text, line_offset, memo, spread)


def parse_document(kind: str, path: Path | str, rel: str, text: str, memo: ParseMemo | None = None) -> Document:
    """Parse the already decoded ``text`` of ``rel`` (e.g. an editor's unsaved buffer) as :func:`load_document` would.

    ``memo``: parsed YAML remembered from earlier runs (:func:`~snspolicy.io.yamlloc.load_yaml_remembered`)."""
    if kind == "post":
        parts = split_front_matter(text)
        if parts is None:
            raise _front_matter_error(text)
        front, line_offset, body, body_offset = parts
        located = _parse(front, line_offset, memo, spread=True)
        _require_mapping(located, kind, empty_ok=True)
        start = text.index("\n") + 1  # the front matter is the text between the two --- lines
        return Document(kind, rel, path, text, compact(located, text, start, start + len(front)), body, body_offset)
    located = _parse(text, 0, memo)
    _require_mapping(located, kind, empty_ok=False)
    return Document(kind, rel, path, text, compact(located, text))
