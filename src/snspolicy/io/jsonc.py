"""Adding settings to a user's JSON-with-comments file (VS Code's ``settings.json``,
``extensions.json``) without losing anything already in it.

VS Code reads these files as JSONC: ``//`` and ``/* */`` comments and trailing commas are
allowed. :func:`merge` edits the *text*: it inserts the top-level keys that are missing and
appends missing items to top-level arrays (``recommendations``), leaving every byte of the
existing content — comments, order, formatting, values the user chose — where it was. A key the
file already has keeps its value (the user's choice wins), even when it differs.

A file that is not a JSONC object raises :class:`JsoncError` with a line and column: the caller
refuses to touch it (fail closed) instead of overwriting it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from snspolicy.core.model import Span
from snspolicy.io.textfile import offset_to_line_col

__all__ = ["JsoncError", "Merged", "loads", "merge"]


class JsoncError(ValueError):
    """The text is not a JSON-with-comments object; ``span`` says where."""

    def __init__(self, reason: str, span: Span) -> None:
        super().__init__(reason)
        self.reason = reason
        self.span = span


_WS = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


@dataclass
class _Node:
    """A value in the text: where it starts and ends; for a container, its members."""

    start: int
    end: int
    kind: str  # "object", "array" or "scalar"
    close: int = -1  # offset of the closing bracket
    members: list[tuple[str, _Node]] = field(default_factory=list)  # object: (key, value)
    key_starts: list[int] = field(default_factory=list)  # object: where each member's key starts
    items: list[_Node] = field(default_factory=list)  # array
    trailing_comma: bool = False


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, reason: str, pos: int | None = None) -> JsoncError:
        where = self.pos if pos is None else pos
        line, col = offset_to_line_col(self.text, min(where, len(self.text)))
        return JsoncError(reason, Span(line, col))

    def skip(self) -> None:
        m = _WS.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos
        if self.text.startswith("/*", self.pos):
            raise self.fail("unterminated comment")

    def value(self) -> _Node:
        self.skip()
        start = self.pos
        ch = self.text[start:start + 1]
        if ch == "{":
            return self.container(start, "}", "object")
        if ch == "[":
            return self.container(start, "]", "array")
        m = _STRING.match(self.text, start) or _SCALAR.match(self.text, start)
        if not m:
            raise self.fail("unexpected character" if ch else "unexpected end")
        self.pos = m.end()
        return _Node(start, m.end(), "scalar")

    def container(self, start: int, closer: str, kind: str) -> _Node:
        node = _Node(start, start, kind)
        self.pos += 1
        while True:
            self.skip()
            if self.text.startswith(closer, self.pos):
                node.close = self.pos
                node.end = self.pos + 1
                self.pos += 1
                return node
            if (node.members or node.items) and not node.trailing_comma:
                raise self.fail(f"expected ',' or '{closer}'")
            node.trailing_comma = False
            if kind == "object":
                m = _STRING.match(self.text, self.pos)
                if not m:
                    raise self.fail("expected a key in double quotes")
                node.key_starts.append(self.pos)
                key = json.loads(m.group(0))
                self.pos = m.end()
                self.skip()
                if not self.text.startswith(":", self.pos):
                    raise self.fail("expected ':'")
                self.pos += 1
                node.members.append((key, self.value()))
            else:
                node.items.append(self.value())
            self.skip()
            if self.text.startswith(",", self.pos):
                node.trailing_comma = True
                self.pos += 1


def _parse(text: str) -> _Node:
    p = _Parser(text)
    root = p.value()
    p.skip()
    if p.pos != len(text):
        raise p.fail("unexpected text after the end")
    if root.kind != "object":
        raise p.fail("not a JSON object", root.start)
    return root


def _plain(text: str, node: _Node) -> Any:
    if node.kind == "scalar":
        return json.loads(text[node.start:node.end])
    if node.kind == "array":
        return [_plain(text, i) for i in node.items]
    return {k: _plain(text, v) for k, v in node.members}


def loads(text: str) -> dict[str, Any]:
    """The object in a JSONC ``text`` as plain data (raises JsoncError)."""
    out = _plain(text, _parse(text))
    assert isinstance(out, dict)
    return out


def _indent(text: str, node: _Node, default: str) -> str:
    children = node.key_starts or [i.start for i in node.items]
    for start in children:
        line_start = text.rfind("\n", 0, start) + 1
        lead = text[line_start:start]
        if lead.strip() == "" and lead:
            return lead
    return default


def _insert(text: str, node: _Node, entries: list[str], outer: str) -> str:
    """``text`` with ``entries`` (already rendered) added at the end of container ``node``."""
    children = [v for _, v in node.members] or node.items
    inline = "\n" not in text[node.start:node.end]
    if inline and node.kind == "array":
        if not children:
            return text[:node.close] + ", ".join(entries) + text[node.close:]
        last = children[-1].end
        if node.trailing_comma:  # after the comma (past any comment before it)
            gap = _WS.match(text, last)
            after = (gap.end() if gap else last) + 1
            return text[:after] + " " + ", ".join(entries) + "," + text[after:]
        return text[:last] + ", " + ", ".join(entries) + text[last:]
    indent = _indent(text, node, outer + "  ")
    body = (",\n").join(indent + e for e in entries)
    if not children:
        head = text[:node.close].rstrip()
        return head + "\n" + body + "\n" + outer + text[node.close:]
    last = children[-1].end
    between = text[last:node.close]
    comma = "" if node.trailing_comma else ","
    kept = between.rstrip()
    return text[:last] + comma + kept + "\n" + body + "\n" + outer + text[node.close:]


@dataclass
class Merged:
    """The merged text, what was added, and the keys whose existing value was kept as it was."""

    text: str
    added: list[str]
    kept: list[str]


def merge(text: str, wanted: dict[str, Any], *, union: tuple[str, ...] = ()) -> Merged:
    """Add to the JSONC object in ``text`` every key of ``wanted`` it lacks; for the keys in
    ``union`` whose value is an array in both, append the missing items. Nothing else changes.
    An empty (or blank) text is treated as ``{}``. Raises JsoncError for a text that is not an
    object."""
    if not text.strip():
        text = "{}\n"
    root = _parse(text)
    have = {k: v for k, v in root.members}
    data = {k: _plain(text, v) for k, v in root.members}
    added: list[str] = []
    # arrays first, from the end of the text backwards, so earlier offsets stay valid
    edits: list[tuple[_Node, list[str]]] = []
    for key in union:
        if key in have and key in wanted and have[key].kind == "array" and isinstance(wanted[key], list):
            missing = [item for item in wanted[key] if item not in data[key]]
            if missing:
                edits.append((have[key], [json.dumps(i, ensure_ascii=False) for i in missing]))
                added.extend(f"{key}[{json.dumps(i, ensure_ascii=False)}]" for i in missing)
    new_keys = [k for k in wanted if k not in have]
    extended = {id(node) for node, _ in edits}
    kept = [k for k in wanted if k in have and data[k] != wanted[k] and id(have[k]) not in extended]
    if new_keys:
        rendered = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(wanted[k], ensure_ascii=False)}" for k in new_keys]
        edits.append((root, rendered))
        added.extend(new_keys)
    for node, entries in sorted(edits, key=lambda e: e[0].close, reverse=True):
        outer = _indent(text, root, "  ") if node is not root else ""
        text = _insert(text, node, entries, outer if node is not root else "")
    loads(text)  # the result must still be a valid JSONC object
    return Merged(text if text.endswith("\n") else text + "\n", added, kept)
