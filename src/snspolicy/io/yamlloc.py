"""YAML → plain Python values plus the line/column of every key and value.

PyYAML composes the node graph (with the C implementation when it is
installed); we build the values ourselves so that we can

* report a duplicate key instead of silently keeping the last one,
* keep dates as the text the user wrote (JSON Schema checks their format and
  rules parse them), and
* stop alias bombs ("billion laughs") and recursive aliases,
* keep a plain number written with a leading zero (``employee_id: 0100101``, which YAML 1.1
  reads as the octal number 33345) as the text the user wrote, marked as
  :class:`LeadingZeroText`, so that the schema says "quote it" once and the rules see the
  intended value instead of a different number.

Error messages are built in linear time: one indentation error near the end of a 64,000-line
file is reported in well under a second (the lines are split once, not once per line looked at).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from snspolicy.core.model import Span
from snspolicy.io.errors import LoadError

if TYPE_CHECKING:
    import yaml
else:
    yaml = None  # PyYAML, imported by the first parse (:func:`loader`): a run that finds every text in the cache never needs it

_Loader: type | None = None

MAX_NODES = 200_000
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_STR = "tag:yaml.org,2002:str"
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")


class LeadingZeroText(str):
    """A plain scalar such as ``0100101`` that YAML 1.1 would read as an octal number.

    It is kept as the text the user wrote (what they meant, e.g. an employee number); the
    schema check reports it with ``yaml_leading_zero`` ("quote it")."""

    __slots__ = ()

Path_ = tuple  # a path of mapping keys (str) and sequence indexes (int)


class SpanTable(dict):  # type: ignore[type-arg]
    """path -> :class:`Span`, stored as plain tuples and made a Span when looked up (a document
    has a span per node, and most are never asked for)."""

    def __getitem__(self, path: Path_) -> Span:
        value = dict.__getitem__(self, path)
        return value if isinstance(value, Span) else Span(*value)

    def get(self, path: Path_, default: Any = None) -> Any:  # type: ignore[override]
        return self[path] if path in self else default

    def values(self) -> Any:  # type: ignore[override]
        return [self[k] for k in self]

    def items(self) -> Any:  # type: ignore[override]
        return [(k, self[k]) for k in self]


@dataclass
class Located:
    """A parsed YAML document with the source span of every node."""

    data: Any
    values: dict[Path_, Span] = field(default_factory=dict)
    keys: dict[Path_, Span] = field(default_factory=dict)
    line_offset: int = 0  # added to every line (front matter inside a .md file)

    def span(self, path: Path_ = (), key: bool = False) -> Span:
        """Span of the value (or key) at ``path``; the nearest existing parent otherwise."""
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                return table[path]
            if not path:
                return Span(1 + self.line_offset, 1)
            path = path[:-1]


def loader() -> type:
    """PyYAML's safe loader, with the C parser when PyYAML has it (several times faster; the marks
    are the same). Imports PyYAML on first use."""
    global yaml, _Loader
    if _Loader is None:
        import yaml as lib

        yaml = lib
        _Loader = _remembering(getattr(lib, "CSafeLoader", None) or lib.SafeLoader)
    return _Loader


#: the scalars whose tags are remembered: at most this many, of at most this many characters
_TAGS_LIMIT, _TAG_TEXT_MAX = 1 << 16, 64


def _remembering(base: type) -> type:
    """``base`` whose resolver remembers the tag of each short scalar. The safe loader's tag of a
    scalar depends only on its text and quoting (there are no path resolvers), and a repo's files
    repeat the same keys and values: the parser asks the resolver, in Python, for every scalar."""
    if getattr(base, "yaml_path_resolvers", None):
        return base
    tags: dict[tuple[str, tuple[bool, bool]], str] = {}
    resolve = base.resolve  # type: ignore[attr-defined]
    scalar = yaml.ScalarNode

    class Loader(base):  # type: ignore[valid-type, misc]
        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            if kind is not scalar or type(value) is not str or len(value) > _TAG_TEXT_MAX or type(implicit) is not tuple:
                return resolve(self, kind, value, implicit)  # type: ignore[no-any-return]
            key = (value, implicit)
            tag = tags.get(key)
            if tag is None:
                tag = resolve(self, kind, value, implicit)
                if len(tags) < _TAGS_LIMIT:
                    tags[key] = tag
            return tag

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None  # path resolvers only (there are none)

        def ascend_resolver(self) -> None:
            return None

    Loader.__name__ = Loader.__qualname__ = base.__name__
    return Loader


def _span(node: yaml.Node, line_offset: int) -> Span:
    return Span(*_raw_span(node, line_offset))


def _raw_span(node: yaml.Node, line_offset: int) -> tuple[int, int, int, int]:
    s, e = node.start_mark, node.end_mark
    return (s.line + 1 + line_offset, s.column + 1, e.line + 1 + line_offset, e.column + 1)


def _mark(line: int, column: int) -> yaml.Mark:
    """A mark at a 0-based line and column (no buffer: no snippet is shown)."""
    loader()
    return yaml.Mark("", 0, line, column, None, None)  # type: ignore[arg-type]  # PyYAML accepts no buffer


#: strings of a parse shared with every later parse: mapping keys, and values up to this length
#: (a repo's posts repeat the same keys, accounts, statuses, employee numbers and dates)
SHARE_MAX_LEN = 40
#: how many distinct strings are shared at most (a long-running process does not grow without end)
SHARE_LIMIT = 1 << 16
_shared: dict[str, str] = {}


def _share(value: str) -> str:
    found = _shared.get(value)
    if found is not None:
        return found
    if len(_shared) < SHARE_LIMIT:
        _shared[value] = value
    return value


def share_values(value: Any) -> Any:
    """``value`` (plain JSON data, e.g. decoded from a cache entry) with its keys and short strings
    replaced by the ones every parsed document shares (:func:`_share`), as parsing gives them."""
    kind = type(value)
    if kind is str:
        return _share(value) if len(value) <= SHARE_MAX_LEN else value
    if kind is dict:
        return {(_share(k) if type(k) is str and len(k) <= SHARE_MAX_LEN else k): share_values(v)
                for k, v in value.items()}
    if kind is list:
        return [share_values(v) for v in value]
    return value


class _Builder:
    def __init__(self, line_offset: int, spans: bool = True) -> None:
        self.line_offset = line_offset
        self.spans = spans  # False: only the root's span (the caller makes the tables again when asked)
        self.values: SpanTable = SpanTable()
        self.keys: SpanTable = SpanTable()
        self.count = 0
        self.active: set[int] = set()
        self.scalar = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadError("too_many_nodes", _span(node, self.line_offset), {"limit": MAX_NODES})
        if self.spans or not path:
            dict.__setitem__(self.values, path, _raw_span(node, self.line_offset))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:  # what the safe constructor makes of a string: its text, as it is
                value = node.value
                return _share(value) if len(value) <= SHARE_MAX_LEN else value
            if node.tag == _TIMESTAMP:
                return _share(node.value) if len(node.value) <= SHARE_MAX_LEN else node.value
            if node.tag == _INT and not node.style and _LEADING_ZERO.fullmatch(node.value):
                return LeadingZeroText(node.value)
            try:
                value = self.scalar.construct_object(node)
            except yaml.YAMLError:
                value = node.value
            return _share(value) if type(value) is str and len(value) <= SHARE_MAX_LEN else value
        if id(node) in self.active:
            raise LoadError("recursive_alias", _span(node, self.line_offset))
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            raise TypeError(f"unexpected YAML node {type(node).__name__}")  # the composer makes only these three
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged = self.build(value_node, path + ("<<",))
                for m in merged if isinstance(merged, list) else [merged]:
                    if isinstance(m, dict):
                        for k, v in m.items():
                            result.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise LoadError("complex_key", _span(key_node, self.line_offset))
            # keys are names: `on:` stays "on" (YAML 1.1 would make it the boolean true)
            key = _share(str(key_node.value)) if len(key_node.value) <= SHARE_MAX_LEN else str(key_node.value)
            if key in seen:
                first = _raw_span(seen[key], self.line_offset)
                raise LoadError("duplicate_key", _span(key_node, self.line_offset), {"key": key, "first_line": first[0]})
            seen[key] = key_node
            if self.spans:
                dict.__setitem__(self.keys, path + (key,), _raw_span(key_node, self.line_offset))
            result[key] = self.build(value_node, path + (key,))
        return result


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _unclosed_quote_line(lines: list[str], upto: int) -> tuple[int, int] | None:
    """(line, column), 0-based, of the first line up to ``upto`` with an odd number of ``"``
    (not counting ``\\"``): a double-quoted value opened there and never closed on its line."""
    for i, line in enumerate(lines[: upto + 1]):
        if '"' not in line:
            continue
        body = line.replace('\\"', "")
        if body.lstrip().startswith("#"):
            continue
        if body.count('"') % 2 == 1:
            return i, body.index('"') if body.count('"') == 1 else body.rindex('"')
    return None


def classify_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, Any, dict[str, Any]]:
    """PyYAML's English error → (message code, where to point, params) in the user's terms.

    The codes name the usual mistakes of people who do not write YAML every day:
    a tab, an unclosed quote, a full-width colon, a colon inside a value, uneven
    indentation, a value starting with ``@``. Anything else keeps PyYAML's text.
    """
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")  # once: every look-up below is by index (linear in all)
    here = _line(lines, mark.line) if mark else ""
    char = here[mark.column] if mark and 0 <= mark.column < len(here) else ""
    if "quoted scalar" in context and "end of stream" in problem:
        return "yaml_unclosed_quote", exc.context_mark or mark, {}
    if mark is not None and ("expected key" in problem or "block end" in problem or "expected ':'" in problem):
        # a quote left open runs on to the next quote: the parser notices lines later
        opened = _unclosed_quote_line(lines, mark.line)
        if opened is not None:
            return "yaml_unclosed_quote", _mark(opened[0], opened[1]), {}
    if "tab" in problem or char == "\t":
        return "yaml_tab", mark, {}
    if mark is not None and any(w in problem for w in ("mapping values", "expected ':'", "expected key", "block end")):
        first = exc.context_mark.line if exc.context_mark is not None else mark.line
        for i in range(max(0, min(first, mark.line - 1)), mark.line + 1):
            line = _line(lines, i)
            if "：" in line.split("#", 1)[0] and ":" not in line.split("：", 1)[0]:  # key：value, not a colon in a value
                return "yaml_fullwidth_colon", _mark(i, line.index("：")), {}
    if "cannot start any token" in problem and char:
        return "yaml_reserved_char", mark, {"char": char}
    if "mapping values are not allowed" in problem:
        return "yaml_colon_in_value", mark, {}
    if "could not find expected ':'" in problem:
        return "yaml_missing_colon", exc.context_mark or mark, {}
    if "flow mapping" in context or "flow sequence" in context:
        return "yaml_flow", mark, {"close": "}" if "mapping" in context else "]"}
    if "expected key" in problem or "block end" in problem or "'-' indicator" in problem:
        return "yaml_indent", mark, {}
    if "escape character" in problem:
        return "yaml_escape", mark, {}
    if "undefined alias" in problem:
        return "yaml_alias", mark, {}
    if "nesting depth" in problem:  # libyaml's limit on nested [ [ [ …
        return "too_deep", mark, {}
    return "yaml_error", mark, {"problem": problem or context}


def load_yaml(text: str, line_offset: int = 0, *, spans: bool = True) -> Located:
    """Parse one YAML document. Raises :class:`LoadError` with a location on any problem.

    ``spans=False``: the span tables hold only the root's span, for a caller that keeps the data and
    makes the tables again from the text when a location is asked for (:func:`compact`)."""
    load_with = loader()
    try:
        nodes = list(yaml.compose_all(text, Loader=load_with))
    except yaml.MarkedYAMLError as exc:
        code, mark, params = classify_error(exc, text)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(code, Span(line + line_offset, col), params) from None
    except yaml.YAMLError as exc:
        raise LoadError("yaml_error", Span(1 + line_offset, 1), {"problem": str(exc).splitlines()[0]}) from None
    except RecursionError:
        raise LoadError("too_deep", Span(1 + line_offset, 1)) from None
    if len(nodes) > 1:
        raise LoadError("multiple_documents", _span(nodes[1], line_offset))
    if not nodes:
        return Located(None, SpanTable({(): Span(1 + line_offset, 1)}), SpanTable(), line_offset)
    builder = _Builder(line_offset, spans)
    try:
        data = builder.build(nodes[0], ())
    except RecursionError:
        raise LoadError("too_deep", Span(1 + line_offset, 1)) from None
    return Located(data, builder.values, builder.keys, line_offset)


class StoredLocated(Located):
    """A :class:`Located` whose span tables are made only when first asked for: the data at once,
    the tables decoded from their stored rows (the JSON text ``[value rows, key rows]``, each row
    ``[*path, line, column, end_line, end_column]``) or, without rows, by parsing the text again.
    A run keeps every document and few of them ever report a location: as dicts of tuples the
    tables were half of a run's memory per post. Rows that cannot be decoded are replaced by
    parsing the text again, so a damaged cache entry costs time, never a wrong location.

    The text is ``text[start:end]`` (a post's front matter inside the post's text: no copy is kept)."""

    def __init__(self, data: Any, rows: str | None, line_offset: int, text: str, start: int = 0,
                 end: int | None = None) -> None:
        self.data = data
        self.line_offset = line_offset
        self._rows: str | None = rows  # JSON: [value rows, key rows], parsed when first needed
        self._text = text
        self._start, self._end = start, end
        self._values: dict[Path_, Span] | None = None
        self._keys: dict[Path_, Span] | None = None

    def source(self) -> str:
        """The text that was parsed."""
        return self._text if self._start == 0 and self._end is None else self._text[self._start:self._end]

    def use_source(self, text: str, start: int = 0, end: int | None = None) -> None:
        """Read the parsed text from ``text[start:end]`` (the same characters, kept elsewhere anyway)."""
        self._text, self._start, self._end = text, start, end

    def _decode(self) -> None:
        if self._values is not None and self._keys is not None:
            return
        rows, self._rows = self._rows, None
        tables: list[dict[Path_, Span]]
        try:
            if rows is None:
                raise ValueError("no span rows")
            import json

            decoded = json.loads(rows)
            if not (isinstance(decoded, list) and len(decoded) == 2):
                raise ValueError("damaged span rows")
            tables = [_rows_table(r) for r in decoded]
        except (TypeError, ValueError, RecursionError):
            try:
                again = load_yaml(self.source(), self.line_offset)
                tables = [again.values, again.keys]
            except LoadError:  # cannot happen for a text that was parsed before: the document's start
                tables = [SpanTable({(): Span(1 + self.line_offset, 1)}), SpanTable()]
        if self._values is None:
            self._values = tables[0]
        if self._keys is None:
            self._keys = tables[1]

    @property  # type: ignore[override]
    def values(self) -> dict[Path_, Span]:
        self._decode()
        assert self._values is not None
        return self._values

    @values.setter
    def values(self, table: dict[Path_, Span]) -> None:
        self._values = table

    @property  # type: ignore[override]
    def keys(self) -> dict[Path_, Span]:
        self._decode()
        assert self._keys is not None
        return self._keys

    @keys.setter
    def keys(self, table: dict[Path_, Span]) -> None:
        self._keys = table


def compact(located: Located, text: str, start: int = 0, end: int | None = None) -> Located:
    """``located`` as a :class:`StoredLocated` that keeps only its data and where its text is
    (``text[start:end]``, which must be what was parsed): its span tables are made again, by
    parsing that text, when a location is first asked for (few documents report one)."""
    if isinstance(located, StoredLocated):
        located.use_source(text, start, end)
        return located
    return StoredLocated(located.data, None, located.line_offset, text, start, end)


def _rows_table(rows: Any) -> SpanTable:
    table = SpanTable()
    for row in rows:
        if len(row) < 4 or not all(type(x) is int for x in row[-4:]):
            raise ValueError("damaged span row")
        dict.__setitem__(table, tuple(row[:-4]), tuple(row[-4:]))
    return table


def span_rows(table: dict[Path_, Any]) -> list[list[Any]] | None:
    """A span table as rows for :class:`StoredLocated` (None: it holds something else than spans)."""
    out = []
    for path, span in dict.items(table):
        if isinstance(span, Span):
            span = (span.line, span.column, span.end_line, span.end_column)
        if type(path) is not tuple or len(span) != 4:
            return None
        out.append([*path, *span])
    return out


class ParseMemo(Protocol):
    """Parsed documents remembered between runs, keyed by their text
    (:class:`snspolicy.engine.cache.ParseCache`); only successful parses are remembered.
    ``keeps``: whether :meth:`put` keeps what it is given (else a parse is made without its span
    tables, as without a memo)."""

    keeps: bool

    def get(self, text: str, line_offset: int, spread: bool = False) -> Located | None: ...

    def put(self, text: str, line_offset: int, located: Located, spread: bool = False) -> None: ...


def load_yaml_remembered(text: str, line_offset: int = 0, memo: ParseMemo | None = None,
                         spread: bool = False) -> Located:
    """:func:`load_yaml`, or what ``memo`` remembers of the same text (a fresh copy: the caller may
    change it). ``spread``: one of the many texts of a kind that a one-file run does not read
    (posts); the others (settings, accounts, press releases, policy files) are kept together."""
    if memo is None:
        return load_yaml(text, line_offset)
    found = memo.get(text, line_offset, spread)
    if found is not None:
        return found
    # a memo that keeps nothing takes the parse without its span tables, as without a memo
    located = load_yaml(text, line_offset, spans=memo.keeps)
    memo.put(text, line_offset, located, spread)
    return located
