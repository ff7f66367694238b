"""Editing the user's files without losing anything they wrote.

Two ways, both ending in an atomic write (:mod:`snspolicy.fsutil`) and both
refusing to write when the result would not parse:

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
from typing import Any, Iterable

from snspolicy.io.errors import LoadError
from snspolicy.io.yamlloc import load_yaml
from snspolicy.core.model import Span


class EditError(Exception):
    """The edit could not be made safely; nothing was written."""


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
