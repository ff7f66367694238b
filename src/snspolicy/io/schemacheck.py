"""JSON Schema validation (Draft 2020-12) with findings at the offending line and column.

Schemas carry an ``x-clause`` keyword on properties: a schema finding takes the
clause of the nearest property that has one, so a missing ``approval`` of an
account is reported under 3(1) and a media item without ``rights`` under 6(6).
Messages never quote the offending value (it may be a secret or personal data).

Two checks go beyond the schema: a number written with a leading zero (kept as its text by
:mod:`snspolicy.io.yamlloc`, see :class:`~snspolicy.io.yamlloc.LeadingZeroText`) is reported as
``yaml_leading_zero`` ("quote it"), and a date or date-time whose year is outside
:data:`YEARS` (``0001-01-01``, which cannot even be converted between time zones) is
``schema_date_range`` rather than silently treated as absent by the rules.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Protocol

from snspolicy.core.resources import schema_path


@dataclass
class SchemaProblem:
    path: tuple  # where in the document
    key: bool  # point at the key rather than the value
    code: str  # message code in snspolicy.messages (schema_*)
    params: dict[str, Any]
    clause: str | None


@lru_cache(maxsize=None)
def load_schema(kind: str) -> dict:
    with schema_path(kind).open(encoding="utf-8") as fh:
        return json.load(fh)


#: plausible years of a date in the posts repo (a year-1 date cannot be compared in every zone)
YEARS = range(1900, 3000)

_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?$")


def _datetime_ok(value: Any) -> bool:
    """RFC 3339 date-time, or the same without a zone (read as Japan time by the rules)."""
    import datetime as dt

    if not isinstance(value, str):
        return True
    s = value.strip()
    if not _LOCAL_DATETIME.match(s):
        return False
    try:
        d = dt.datetime.fromisoformat(s.replace("z", "Z").replace("Z", "+00:00").replace("t", "T"))
    except ValueError:
        return False
    return d.year in YEARS


def _year_of(value: Any) -> int | None:
    """The year of a date or date-time string (None when it has none)."""
    m = re.match(r"^\s*(\d{4})-\d{2}-\d{2}", value) if isinstance(value, str) else None
    return int(m.group(1)) if m else None


def _date_ok(value: Any) -> bool:
    """A calendar date ``YYYY-MM-DD`` with a plausible year."""
    import datetime as dt

    if not isinstance(value, str):
        return True
    try:
        d = dt.date.fromisoformat(value.strip())
    except ValueError:
        return False
    return len(value.strip()) == 10 and d.year in YEARS


@lru_cache(maxsize=None)
def validator(kind: str) -> Any:
    import jsonschema

    schema = load_schema(kind)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    checker = copy.deepcopy(cls.FORMAT_CHECKER)
    checker.checkers["date-time"] = (_datetime_ok, (ValueError, TypeError))
    checker.checkers["date"] = (_date_ok, (ValueError, TypeError))
    return cls(schema, format_checker=checker)


def _clause_for(schema: dict, schema_path_: list, extra_prop: str | None) -> str | None:
    """The ``x-clause`` of the deepest schema object on the path (or of the missing property)."""
    clause = schema.get("x-clause")
    node: Any = schema
    for step in schema_path_:
        if isinstance(node, (dict, list)):
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict):
                if "$ref" in node and isinstance(node["$ref"], str) and node["$ref"].startswith("#/"):
                    target: Any = schema
                    for part in node["$ref"][2:].split("/"):
                        target = target.get(part, {}) if isinstance(target, dict) else {}
                    if isinstance(target, dict) and target.get("x-clause"):
                        clause = target["x-clause"]
                if node.get("x-clause"):
                    clause = node["x-clause"]
    if extra_prop and isinstance(node, dict):
        props = node.get("properties", {}) if node.get("type") == "object" or "properties" in node else {}
        sub = props.get(extra_prop)
        if isinstance(sub, dict) and sub.get("x-clause"):
            clause = sub["x-clause"]
    return clause


_ID_FIELDS = {"employee_id", "approved_by", "permitted_by", "author"}
_PATTERN_CODES = {r"^\S+$": "schema_no_spaces", r"^[a-z0-9][a-z0-9_-]*$": "schema_id_chars", r"^https?://": "schema_url"}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "other"


def _field(error: Any) -> str:
    path = [p for p in error.absolute_path if isinstance(p, str)]
    return path[-1] if path else ""


def _is_employee_id(error: Any) -> bool:
    desc = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    return _field(error) in _ID_FIELDS or (isinstance(desc, str) and desc.startswith("職員番号"))


def _describe(error: Any) -> tuple[str, dict[str, Any], tuple[Any, ...], bool, str | None]:
    """Message code, params, extra path, point-at-key, missing-property name.

    The commonest mistakes get their own code, with how to write the value:
    an unquoted employee number (read as a number, leading zeros lost), a date
    written 2025/04/01 or in the Japanese era, yes/no read as true/false.
    """
    v = error.validator
    if v == "required":
        missing = [p for p in error.validator_value if isinstance(error.instance, dict) and p not in error.instance]
        name = missing[0] if missing else "?"
        return "schema_required", {"field": name}, (), False, name
    if v == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        name = extra[0] if extra else "?"
        stripped = name.replace("\u3000", " ").strip()
        if stripped != name and stripped in allowed:
            return "schema_key_spaces", {"field": stripped}, (name,), True, None
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if close:
            return "schema_unknown_key_suggest", {"field": name, "suggestion": close[0]}, (name,), True, None
        return "schema_unknown_key", {"field": name, "allowed": allowed}, (name,), True, None
    if v == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        actual = _type_name(error.instance)
        if "string" in expected and actual in ("integer", "number"):
            if _is_employee_id(error):
                return "schema_employee_id", {"field": _field(error)}, (), False, None
            return "schema_number_not_string", {}, (), False, None
        if "string" in expected and actual == "boolean":
            return "schema_bool_not_string", {}, (), False, None
        return "schema_type", {"expected": expected, "actual": actual}, (), False, None
    if v == "enum":
        return "schema_enum", {"allowed": error.validator_value}, (), False, None
    if v == "const":
        return "schema_enum", {"allowed": [error.validator_value]}, (), False, None
    if v == "format":
        fmt = error.validator_value
        year = _year_of(error.instance) if fmt in ("date", "date-time") else None
        if year is not None and year not in YEARS:
            return "schema_date_range", {"year": year}, (), False, None
        if fmt == "date":
            return "schema_date", {}, (), False, None
        if fmt == "date-time":
            return "schema_datetime", {}, (), False, None
        return "schema_format", {"format": fmt}, (), False, None
    if v == "pattern":
        code = _PATTERN_CODES.get(error.validator_value)
        if code:
            return code, {}, (), False, None
        return "schema_pattern", {"pattern": error.validator_value}, (), False, None
    if v in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "minProperties"):
        return "schema_" + v, {"limit": error.validator_value}, (), False, None
    return "schema_other", {"validator": v}, (), False, None


def _leaves(error: Any) -> Iterator[Any]:
    """For oneOf/anyOf errors, the most specific sub-error explains more."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        import jsonschema

        branches: dict = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else 0, []).append(sub)
        fitting = [errs for errs in branches.values()
                   if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if len(fitting) == 1:  # the instance has the right type for one branch: explain that one
            for sub in fitting[0]:
                yield from _leaves(sub)
            return
        if fitting:
            formats = {e.validator_value for errs in fitting for e in errs if e.validator == "format"}
            if formats and formats <= {"date", "date-time"} and all(
                    e.validator == "format" for errs in fitting for e in errs):
                # a date-or-datetime field: explain the date-time form, which also says a date is fine
                yield next(e for errs in fitting for e in errs if e.validator_value == "date-time") \
                    if "date-time" in formats else fitting[0][0]
                return
            candidates = [e for errs in fitting for e in errs]  # never explain a branch of the wrong type
        else:
            root_types = [e for e in error.context if e.validator == "type" and not e.relative_path]
            if root_types:  # no branch has the right type: name every type that would do
                expected: list = []
                for e in root_types:
                    for t in (e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]):
                        if t not in expected:
                            expected.append(t)
                expected.sort(key=lambda t: t == "null")  # "or empty" last
                yield _with(root_types[0], validator_value=expected)
                return
            candidates = list(error.context)
        best = jsonschema.exceptions.best_match(candidates)
        if best is not None:
            yield from _leaves(best)
            return
    yield error


def _split(error: Any) -> list[Any]:
    """One error per missing or unknown field, so that each gets its own message and clause."""
    inst = error.instance
    if error.validator == "required" and isinstance(inst, dict):
        names = [n for n in error.validator_value if n not in inst]
        if len(names) > 1:
            return [_with(error, validator_value=[n]) for n in names]
    if error.validator == "additionalProperties" and isinstance(inst, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed]
        if len(extra) > 1:
            return [_with(error, instance={k: inst[k]}) for k in extra]
    return [error]


def _with(error: Any, **changes: Any) -> Any:
    import copy as _copy

    clone = _copy.copy(error)
    for name, value in changes.items():
        setattr(clone, name, value)
    return clone


def _clause_at(schema: dict, path: tuple) -> str | None:
    """The ``x-clause`` of the deepest schema object describing the value at ``path``
    (through ``$ref``, ``properties``, ``items`` and the branches of ``oneOf``/``anyOf``)."""

    def deref(node: Any) -> Any:
        for _ in range(20):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#/")):
                return node
            target: Any = schema
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
        return node

    def step_into(node: Any, step: Any) -> Any:
        node = deref(node)
        if not isinstance(node, dict):
            return None
        if isinstance(step, str) and isinstance(node.get("properties"), dict) and step in node["properties"]:
            return node["properties"][step]
        if isinstance(step, int) and isinstance(node.get("items"), dict):
            return node["items"]
        for key in ("oneOf", "anyOf", "allOf"):
            for branch in node.get(key) or []:
                found = step_into(branch, step)
                if found is not None:
                    return found
        return None

    clause = schema.get("x-clause")
    node: Any = schema
    for step in path:
        node = step_into(node, step)
        if node is None:
            break
        for n in (node, deref(node)):
            if isinstance(n, dict) and n.get("x-clause"):
                clause = n["x-clause"]
    return clause


def _leading_zero_paths(data: Any, limit: int = 1000) -> list[tuple]:
    """Paths of the values written as a number with a leading zero (iterative: no recursion limit)."""
    from snspolicy.io.yamlloc import LeadingZeroText

    found: list[tuple] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack and len(found) < limit:
        path, value = stack.pop()
        if isinstance(value, LeadingZeroText):
            found.append(path)
        elif isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
    return found


class PassMemo(Protocol):
    """Where "this text passed this schema" is remembered between runs (the repo's cache,
    :class:`snspolicy.engine.cache.SchemaMemo`). Only passes are remembered: a text with a problem
    is checked, and its problem reported, on every run."""

    def passed(self, key: str) -> bool: ...

    def add(self, key: str) -> None: ...


_MEMO: ContextVar[PassMemo | None] = ContextVar("snspolicy_schema_memo", default=None)


@contextmanager
def remembering(memo: PassMemo | None) -> Iterator[None]:
    """Within the block, :func:`check` and :func:`check_value` called with the ``text`` the data
    was parsed from skip a text that passed the same schema before, and remember new passes."""
    token = _MEMO.set(memo)
    try:
        yield
    finally:
        _MEMO.reset(token)


def memo_key(label: str, text: str) -> str:
    """The key under which "``text`` passed the schema ``label``" is remembered."""
    h = hashlib.sha256(label.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def note_pass(key: str) -> None:
    """Remember a pass found elsewhere (a worker process's :func:`memo_key`) in the active memo."""
    memo = _MEMO.get()
    if memo is not None:
        memo.add(key)


def _remembered(label: str, text: str | None, run: Any) -> list[SchemaProblem]:
    memo = _MEMO.get() if text is not None else None
    if memo is None or text is None:
        return run()  # type: ignore[no-any-return]
    key = memo_key(label, text)
    if memo.passed(key):
        return []
    problems: list[SchemaProblem] = run()
    if not problems:
        memo.add(key)
    return problems


def _plain(data: Any) -> bool:
    """Is ``data`` made only of values JSON keeps as they are (str, int, float, bool, None, lists,
    mappings with text keys)? Not, e.g., a value written with a leading zero (text that the schema
    check treats differently) or a date object."""
    stack = [data]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is str or t is int or t is float or t is bool or v is None:
            continue
        if t is list:
            stack.extend(v)
        elif t is dict:
            if any(type(k) is not str for k in v):
                return False
            stack.extend(v.values())
        else:
            return False
    return True


def plain_key(data: Any) -> str | None:
    """A string that determines ``data`` exactly when it is :func:`_plain`; None otherwise."""
    if not _plain(data):
        return None
    try:
        return "json:" + json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (RecursionError, ValueError):  # nested deeper than the encoder goes: not remembered
        return None


def check(kind: str, data: Any, *, text: str | None = None) -> list[SchemaProblem]:
    """Validate ``data`` against the schema of ``kind``; one problem per error (per missing/unknown field).

    ``text``: a string that determines ``data`` exactly — the text it was parsed from
    (:func:`snspolicy.io.yamlloc.load_yaml` is a function of the text alone) or :func:`plain_key` —
    so that a pass can be remembered (:func:`remembering`)."""
    return _remembered(kind, text, lambda: [] if passes_by_property(kind, data) else
                       _check(load_schema(kind), validator(kind), data))


#: top-level keywords of a schema whose objects can be checked one property at a time
_SPLITTABLE = frozenset({"$schema", "$id", "$comment", "title", "description", "examples", "type", "properties",
                         "additionalProperties", "required"})
#: (kind, property, value as JSON) -> the value passed its property's schema (this process)
_property_passes: dict[tuple[str, str, str], bool] = {}
_PROPERTY_PASSES_MAX = 1 << 16


@lru_cache(maxsize=None)
def _property_validators(kind: str) -> tuple[dict[str, Any], frozenset[str]] | None:
    """A check per property of ``kind``'s schema, and its required properties, when the schema
    is only ``type: object``, ``properties``, ``required`` and ``additionalProperties: false`` (and
    annotations) with no reference: then an object passes exactly when it has every required
    property, no other than those listed, and each value passes its property's schema. None otherwise.

    A property's check is a predicate (:func:`snspolicy.io.schemafast.predicate`) when its schema
    is plain enough, else a jsonschema validator (``is_valid``; its results are remembered)."""
    schema = load_schema(kind)
    if not isinstance(schema, dict) or any(k not in _SPLITTABLE and not k.startswith("x-") for k in schema):
        return None
    props, required = schema.get("properties"), schema.get("required", [])
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False \
            or not isinstance(props, dict) or not isinstance(required, list) or not set(required) <= set(props):
        return None
    if "$ref" in json.dumps(schema) or "$dynamicRef" in json.dumps(schema):
        return None
    from snspolicy.io.schemafast import predicate

    whole = validator(kind)
    return {k: predicate(sub, whole.format_checker) or whole.evolve(schema=sub)
            for k, sub in props.items()}, frozenset(required)


def passes_by_property(kind: str, data: Any) -> bool:
    """True when ``data`` certainly passes ``kind``'s schema, found property by property and
    remembered by value (a repo's posts repeat their accounts, statuses, authors and approvers):
    most documents pass, and checking each whole document costs most of the schema check. False
    means "not shown here": the whole document is checked as usual, with its problems."""
    split = _property_validators(kind)
    if split is None or type(data) is not dict:
        return False
    validators, required = split
    if not required <= data.keys() or not data.keys() <= validators.keys():
        return False
    for name, value in data.items():
        check = validators[name]
        if not hasattr(check, "is_valid"):  # a predicate (schemafast): cheaper than remembering
            if not (_plain(value) and check(value)):
                return False
            continue
        key = plain_key(value)  # exact JSON types only (a leading-zero number is checked whole)
        if key is None:
            return False
        memo_key_ = (kind, name, key)
        ok = _property_passes.get(memo_key_)
        if ok is None:
            ok = bool(check.is_valid(value))
            if len(_property_passes) < _PROPERTY_PASSES_MAX:
                _property_passes[memo_key_] = ok
        if not ok:
            return False
    return True


@lru_cache(maxsize=512)
def _fragment_validator(text: str) -> Any:
    import jsonschema

    schema = json.loads(text)
    cls = jsonschema.Draft202012Validator
    checker = copy.deepcopy(cls.FORMAT_CHECKER)
    checker.checkers["date-time"] = (_datetime_ok, (ValueError, TypeError))
    checker.checkers["date"] = (_date_ok, (ValueError, TypeError))
    return cls(schema, format_checker=checker)


def check_value(schema: dict, data: Any, *, text: str | None = None) -> list[SchemaProblem]:
    """Validate ``data`` against a schema given as data (e.g. a policy's ``param_schema`` entry),
    with the same problems and messages as :func:`check` (``text``: as there)."""
    dumped = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    return _remembered(dumped, text, lambda: _check(schema, _fragment_validator(dumped), data))


def _check(schema: dict, checker: Any, data: Any) -> list[SchemaProblem]:
    problems: list[SchemaProblem] = []
    seen: set[tuple] = set()
    zeros = set(_leading_zero_paths(data))
    for top in checker.iter_errors(data):
        for error in (e for leaf in _leaves(top) for e in _split(leaf)):
            code, params, extra, key, missing = _describe(error)
            path = tuple(error.absolute_path) + extra
            spath = list(error.absolute_schema_path)
            if missing is not None and spath and spath[-1] == "required":
                spath = spath[:-1]  # look up the missing property beside "required"
            clause = _clause_for(schema, spath, missing)
            if missing is None and path:
                # the property's own clause wins over its parent's
                clause = _clause_for(schema, spath, None) or clause
            if path in zeros and not key:  # 0100 read as text where a number belongs: say "quote it" once
                code, params = "yaml_leading_zero", {}
            sig = (path, code, missing)
            if sig in seen:
                continue
            seen.add(sig)
            problems.append(SchemaProblem(path, key, code, params, clause))
    for path in sorted(zeros - {p.path for p in problems if p.code == "yaml_leading_zero"}, key=str):
        problems.append(SchemaProblem(path, False, "yaml_leading_zero", {}, _clause_at(schema, path)))
    problems.sort(key=lambda p: [str(x) for x in p.path])
    return problems
