"""Edits the language server offers (code actions): an :class:`Edit` of the buffer, and the waiver
skeleton added to a post's front matter. Pure text in, edit out: nothing here touches the disk."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from snspolicy.core.model import Span
from snspolicy.io.documents import split_front_matter
from snspolicy.io.errors import LoadError
from snspolicy.io.yamlloc import load_yaml


@dataclass(frozen=True)
class Edit:
    """Replace ``span`` (1-based, code points, end exclusive, on the ``\\n``-normalised text) by ``replacement``."""

    title: str
    span: Span
    replacement: str


# ---------------------------------------------------------------- locating files


_WAIVER_COMMENTS = {
    "ja": ("例外とする理由", "承認したアカウント管理者・代理者の職員番号", "期限 YYYY-MM-DD"),
    "en": ("why this is accepted", "employee id of the account's manager or deputy who approved it", "expiry YYYY-MM-DD"),
}


def waiver_edit(text: str, rule_id: str, lang: str = "ja") -> Edit | None:
    """An edit of a post's ``\\n``-normalised ``text`` that appends a waiver for ``rule_id`` to
    the front matter's ``waivers:`` list (creating the list when there is none), with empty
    ``reason``, ``approved_by`` and ``until`` for a person to fill in (until then the waiver is
    reported as invalid and hides nothing). Everything else in the text stays as it is. None when
    the front matter cannot be edited safely (not closed, invalid YAML, ``waivers`` not a list),
    and the edited front matter is parsed again to be sure only that one item was added."""
    lines = text.split("\n")
    original = split_front_matter(text)
    if original is None:
        return None
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    front = "\n".join(lines[1:close])
    try:
        located = load_yaml(front, line_offset=1)
    except LoadError:
        return None
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        return None
    notes = _WAIVER_COMMENTS.get(lang, _WAIVER_COMMENTS["ja"])
    item = {"rule": rule_id, "reason": "", "approved_by": "", "until": ""}

    def block(indent: str) -> str:
        return (f"{indent}- rule: {rule_id}\n{indent}  reason: \"\"  # {notes[0]}\n"
                f"{indent}  approved_by: \"\"  # {notes[1]}\n{indent}  until: \"\"  # {notes[2]}\n")

    flow = f'{{rule: {rule_id}, reason: "", approved_by: "", until: ""}}'
    existing = data.get("waivers", None)
    if "waivers" not in data:
        edit = Edit("", Span(close + 1, 1, close + 1, 1), "waivers:\n" + block("  "))
    elif existing is None:
        key = located.span(("waivers",), key=True)
        value = located.span(("waivers",))
        line_text = lines[key.line - 1]
        if value.line != key.line or line_text[value.column - 1:].split("#")[0].strip() not in ("", "~", "null", "Null", "NULL"):
            return None
        indent = " " * (key.column - 1 + 2)
        start, end = value.column, len(line_text.split("#")[0].rstrip()) + 1
        start = min(start, end)
        edit = Edit("", Span(key.line, start, key.line, end), "\n" + block(indent).rstrip("\n"))
    elif isinstance(existing, list):
        value = located.span(("waivers",))
        head = lines[value.line - 1][value.column - 1:]
        if head.startswith("["):  # flow list: add before its closing bracket
            end_line = lines[(value.end_line or value.line) - 1]
            close_col = end_line.rfind("]", 0, (value.end_column or 1) - 1 + 1)
            if close_col < 0:
                return None
            sep = ", " if existing else ""
            at = Span(value.end_line or value.line, close_col + 1, value.end_line or value.line, close_col + 1)
            edit = Edit("", at, sep + flow)
        else:  # block list: a new item after the last one, indented like the first
            first = located.span(("waivers", 0))
            last = located.span(("waivers", len(existing) - 1))
            first_line = lines[first.line - 1]
            dash = first_line.rfind("-", 0, first.column - 1)
            if dash < 0 or first_line[:dash].strip():
                return None
            indent = first_line[:dash]
            last_line = last.end_line or last.line
            if (last.end_column or 1) == 1 and last_line > last.line:
                last_line -= 1  # the node ended at the start of the next line
            last_line = min(last_line, close)  # never past the closing ---
            new = f"{indent}- {flow}\n" if first_line[first.column - 1:].startswith("{") else block(indent)
            edit = Edit("", Span(last_line + 1, 1, last_line + 1, 1), new)
    else:
        return None
    title = f"waivers に {rule_id} の例外を追加" if lang == "ja" else f"Add a waiver for {rule_id} to waivers"
    edit = dataclasses.replace(edit, title=title)
    # the safety net: exactly one item was added and nothing else changed
    from snspolicy.io.editing import EditError, replace_spans

    try:
        new_text = replace_spans(text, [(edit.span, edit.replacement)])
        parts = split_front_matter(new_text)
        if parts is None:
            return None
        after = load_yaml(parts[0], line_offset=1).data
    except (EditError, LoadError):
        return None
    before_list = list(existing) if isinstance(existing, list) else []
    expected = {**data, "waivers": before_list + [item]}
    if after != expected or parts[2] != original[2]:  # the body is untouched too
        return None
    return edit
