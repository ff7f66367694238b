"""A policy as one resolved document: its files read, ``include:`` and ``extends:`` applied.

A policy folder's ``policy.yaml`` either is a whole policy (metadata, clauses, rules included
from ``rules/*.yaml`` or written inline under ``rules:``, lexicons from ``lexicons/*.yaml`` or
inline under ``lexicons:``), or **extends** another policy and says only what changes::

    extends: ube/2025-04-01        # a bundled policy's id, or a path relative to this file's folder
    id: ube/2026-04-01-draft
    version: "2026-04-01"
    changelog: [...]               # entries put in front of the base's (newest first)
    remove: {rules: [...], clauses: [...], lexicons: [...], lexicon_entries: {name: [ids]},
             categories: [...], params: [...]}
    rules: {account-2fa: {params: {weak_severity: error}}}   # by id: the keys that change, or a new rule
    lexicons: {defamation: {entries: [{id: kisama, ...}]}}   # by name; entries by id

The merge is the same everywhere (docs/policy-format.md): the base, minus what ``remove:``
names, plus the extending file's sections merged **by key** — a mapping merges key by key at
every depth (``rules`` by rule id, ``params`` and ``param_schema`` by name, ``clauses`` by id,
``lexicons`` by name, ``messages`` by variant and language), a lexicon's ``entries`` merge by
entry ``id`` (a new id is appended), ``changelog`` entries go in front of the base's (newest
first), and any other value
(a string, a number, a list, ``null``) replaces the base's. Removal is explicit (``remove:``),
never a ``null`` value: ``null`` is a legitimate parameter value ("no limit"). Chains work
(A extends B extends C); a cycle is an error at the ``extends:`` line that closes it.

Every part of the resolved document remembers the file and the place it was written
(:class:`Sources`), so that a problem found in the merged result (a schema error in a rule
patched by an extending policy, an unknown parameter) is reported at the line that wrote it.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core.errors import UserError
from snspolicy.core.model import Span
from snspolicy.core.resources import data_dir
from snspolicy.io import schemacheck
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import inside as _inside, read_text
from snspolicy.io.yamlloc import Located, ParseMemo, load_yaml_remembered
from snspolicy.policy.errors import PolicyError

__all__ = ["MAX_DEPTH", "REMOVABLE", "Origin", "Resolved", "Sources", "bundled_ids", "resolve_file", "to_yaml"]

#: how many policies a chain of ``extends:`` may hold (a longer chain is refused)
MAX_DEPTH = 16
#: what ``remove:`` may name, and where each lives in the resolved document
REMOVABLE = {"rules": ("rules",), "clauses": ("clauses",), "lexicons": ("lexicons",), "categories": ("categories",),
             "params": ("params",)}
#: sections of an extending file that are not merged by key
_SPECIAL = ("extends", "remove", "include", "changelog", "rules", "lexicons")


@dataclass(frozen=True)
class Origin:
    """Where a part of the resolved document was written: a file (as messages show it), its
    parsed YAML and the path of the part inside that file."""

    file: str
    located: Located
    path: tuple[Any, ...] = ()


@dataclass
class Sources:
    """The origin of every part of a resolved document, by its path in the document.

    Only the points where the source changes are recorded (the root of a file, a rule of an
    included file, each key an extending policy sets); a deeper part takes the origin of its
    nearest recorded parent, its remaining path read inside that origin's file."""

    at: dict[tuple[Any, ...], Origin] = field(default_factory=dict)

    def put(self, path: tuple[Any, ...], origin: Origin) -> None:
        self.purge(path)
        self.at[path] = origin

    def purge(self, path: tuple[Any, ...]) -> None:
        """Forget ``path`` and everything under it (a part removed or replaced)."""
        n = len(path)
        for key in [k for k in self.at if k[:n] == path]:
            del self.at[key]

    def reindex(self, prefix: tuple[Any, ...], moves: dict[int, int], count: int) -> None:
        """The ``count`` items of the list at ``prefix`` moved (``old index -> new index``; a
        missing index is gone). Each item first gets an origin of its own, so that one inherited
        from the list's parent does not go on pointing at the old index."""
        for i in range(count):
            if prefix + (i,) not in self.at:
                hit = self.origin(prefix + (i,))
                if hit is not None:
                    self.at[prefix + (i,)] = Origin(hit[0].file, hit[0].located, hit[0].path + hit[1])
        n = len(prefix)
        moved: dict[tuple[Any, ...], Origin] = {}
        for key in [k for k in self.at if k[:n] == prefix and len(k) > n]:
            origin = self.at.pop(key)
            new = moves.get(key[n]) if isinstance(key[n], int) else None
            if new is not None:
                moved[prefix + (new,) + key[n + 1:]] = origin
        self.at.update(moved)

    def origin(self, path: Iterable[Any]) -> tuple[Origin, tuple[Any, ...]] | None:
        """The nearest recorded origin of ``path`` and the rest of the path below it."""
        p = tuple(path)
        for i in range(len(p), -1, -1):
            found = self.at.get(p[:i])
            if found is not None:
                return found, p[i:]
        return None

    def where(self, path: Iterable[Any], key: bool = False) -> tuple[str, Span]:
        """File and span of the part at ``path`` (of its key with ``key=True``)."""
        hit = self.origin(path)
        if hit is None:
            return "", Span()
        origin, rest = hit
        return origin.file, origin.located.span(origin.path + rest, key=key)

    def file_of(self, path: Iterable[Any]) -> str:
        """The file that wrote the part at ``path`` ("" when unknown): :meth:`where` without the
        span (a file read back from the cache decodes its spans only when one is asked for)."""
        hit = self.origin(path)
        return hit[0].file if hit is not None else ""

    def files(self, prefix: tuple[Any, ...] = ()) -> set[str]:
        """The files that wrote any part at or under ``prefix``."""
        n = len(prefix)
        out = {o.file for k, o in self.at.items() if k[:n] == prefix}
        hit = self.origin(prefix)
        if hit is not None:
            out.add(hit[0].file)
        return out


@dataclass
class Resolved:
    """A resolved policy document: ``data`` has the metadata sections of ``policy.yaml`` plus
    ``rules`` (id -> rule) and ``lexicons`` (name -> lexicon), with no ``extends``, ``remove``
    or ``include`` left. ``chain`` lists the main files, this policy's first."""

    data: dict[str, Any]
    sources: Sources
    chain: list[Path]
    files: list[Path]
    base: Resolved | None = None  # the policy this one extends
    extends: str | None = None  # the ``extends:`` reference as written
    #: the rules and lexicons (``("rules", id)``, ``("lexicons", name)``) this file wrote or changed
    #: without their own schema check: written inline, or merged into the base's
    touched: set[tuple[str, str]] = field(default_factory=set)


def _error(path: str, span: Span, code: str, params: dict[str, Any]) -> UserError:
    return PolicyError(path, span, code, params)


def bundled_ids() -> list[str]:
    """The policies shipped with snspolicy, e.g. ``ube/2025-04-01``."""
    base = data_dir("policy")
    try:
        return sorted(p.parent.relative_to(base).as_posix() for p in base.glob("*/*/policy.yaml"))
    except OSError:
        return []


def _patch_schema() -> dict[str, Any]:
    """The policy schema for a file that ``extends:`` another: the same keys, types and values,
    without the nested ``required`` lists (a clause may change only its ``text``). What the merge
    produces is checked against the whole schema afterwards."""
    global _PATCH
    if _PATCH is None:
        import copy

        def relax(node: Any, top: bool) -> Any:
            if isinstance(node, dict):
                return {k: relax(v, False) for k, v in node.items()
                        if not (k == "required" and not top) and not (top and k in ("if", "then", "else"))}
            if isinstance(node, list):
                return [relax(v, False) for v in node]
            return node

        schema = copy.deepcopy(schemacheck.load_schema("policy"))
        _PATCH = relax(schema, True)
        _PATCH["required"] = ["schema_version", "extends", "id", "version"]
    return _PATCH


_PATCH: dict[str, Any] | None = None


def _read(path: Path, kind: str, shown: str, memo: ParseMemo | None = None) -> Located:
    """A policy file parsed and checked against the schema of ``kind`` (first problem raised); a
    ``policy.yaml`` that extends another against :func:`_patch_schema`."""
    try:
        text = read_text(path)
        located = load_yaml_remembered(text, 0, memo)
    except LoadError as exc:
        raise _error(shown, exc.span, exc.code, exc.params) from None
    if kind == "policy" and isinstance(located.data, dict) and "extends" in located.data:
        problems = schemacheck.check_value(_patch_schema(), located.data, text=text)
    else:
        problems = schemacheck.check(kind, located.data, text=text)
    if problems:
        p = problems[0]
        raise _error(shown, located.span(p.path, p.key), p.code, p.params | {"where": ".".join(map(str, p.path))})
    return located


def _included(root: Path, main: str, located: Located, kind: str, index: int, name: Any) -> Path:
    """The file an ``include:`` entry names, refused when it leaves the policy's folder."""
    rel = str(name)
    fpath = root / rel
    if Path(rel).is_absolute() or "\0" in rel or not _inside(fpath, root):
        raise _error(main, located.span(("include", kind, index)), "policy_include_outside", {"include": rel})
    return fpath


def _message_form(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule with ``message: {ja, en}`` written as ``message: {default: {ja, en}}`` (so that an
    extending policy can change one language of one variant)."""
    message = rule.get("message")
    if isinstance(message, dict) and message and "default" not in message and set(message) <= {"ja", "en"}:
        return {**rule, "message": {"default": message}}
    return rule


def _merge(base: Any, patch: Any, path: tuple[Any, ...], origin: Origin, sources: Sources) -> Any:
    """``patch`` merged into ``base`` (a new object; ``base`` is never changed): mappings key by
    key, anything else replaced. Records the origin of every key ``patch`` sets."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            sub = Origin(origin.file, origin.located, origin.path + (key,))
            if key in base:
                out[key] = _merge(base[key], value, path + (key,), sub, sources)
            else:
                out[key] = value
                sources.put(path + (key,), sub)
        return out
    sources.put(path, origin)
    return patch


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    return close[0] if close else ""


class _Loader:
    """Reads one chain of policies (see the module docstring)."""

    def __init__(self, shown: Callable[[Path], str], inside: Path | None, memo: ParseMemo | None = None) -> None:
        self.shown = shown
        self.inside = inside
        self.memo = memo

    # -- one file -----------------------------------------------------------
    def load(self, main: Path, chain: list[Path]) -> Resolved:
        shown = self.shown(main)
        located = _read(main, "policy", shown, self.memo)
        data = located.data
        files = [main]
        base: Resolved | None = None
        if "extends" in data:
            base = self._base(main, located, chain)
            doc, sources = dict(base.data), Sources(dict(base.sources.at))
            self._remove(doc, sources, data.get("remove") or {}, located, shown)
            for key, value in data.items():
                if key in _SPECIAL:
                    continue
                sub = Origin(shown, located, (key,))
                if key in doc:
                    doc[key] = _merge(doc[key], value, (key,), sub, sources)
                else:
                    doc[key] = value
                    sources.put((key,), sub)
            self._changelog(doc, sources, data, located, shown)
            files += base.files
        else:
            if "remove" in data:
                raise _error(shown, located.span(("remove",), key=True), "policy_remove_without_extends", {})
            doc = {k: v for k, v in data.items() if k not in ("include", "rules", "lexicons")}
            doc["rules"], doc["lexicons"] = {}, {}
            sources = Sources()
            sources.put((), Origin(shown, located, ()))
        rules: list[tuple[str, Any, Origin]] = [(rid, r, Origin(shown, located, ("rules", rid)))
                                                for rid, r in (data.get("rules") or {}).items()]
        lexicons: list[tuple[str, Any, Origin]] = [(name, lex, Origin(shown, located, ("lexicons", name)))
                                                   for name, lex in (data.get("lexicons") or {}).items()]
        root = main.parent
        include = data.get("include") or {}
        for i, frag in enumerate(include.get("rules") or []):
            fpath = _included(root, shown, located, "rules", i, frag)
            fshown = self.shown(fpath)
            flocated = _read(fpath, "rules", fshown, self.memo)
            files.append(fpath)
            rules += [(rid, r, Origin(fshown, flocated, ("rules", rid))) for rid, r in (flocated.data.get("rules") or {}).items()]
        for i, lex in enumerate(include.get("lexicons") or []):
            lpath = _included(root, shown, located, "lexicons", i, lex)
            lshown = self.shown(lpath)
            llocated = _read(lpath, "lexicon", lshown, self.memo)
            files.append(lpath)
            lexicons.append((str(llocated.data["lexicon"]), llocated.data, Origin(lshown, llocated, ())))
        self._rules(doc, sources, rules)
        self._lexicons(doc, sources, lexicons)
        extends = str(data["extends"]).strip() if base is not None else None
        touched = {("rules", str(rid)) for rid, _r, o in rules if base is not None or o.file == shown}
        touched |= {("lexicons", str(name)) for name, _x, o in lexicons if base is not None or o.file == shown}
        touched |= base.touched if base is not None else set()  # a link of the chain further down patched them
        return Resolved(doc, sources, [main] + (base.chain if base else []), files, base, extends, touched)

    def _base(self, main: Path, located: Located, chain: list[Path]) -> Resolved:
        shown = self.shown(main)
        ref = str(located.data["extends"]).strip()
        span = located.span(("extends",))
        here = [*chain, main]
        if len(here) > MAX_DEPTH:
            raise _error(shown, span, "policy_extends_too_deep", {"limit": MAX_DEPTH})
        key = ref.strip("/")
        if key in bundled_ids():
            target = data_dir("policy") / key / "policy.yaml"
            inside: Path | None = None  # a bundled policy's own references stay in the bundle
        else:
            rel = Path(ref)
            if rel.is_absolute() or "\0" in ref or (self.inside is not None and not _inside(main.parent / rel, self.inside)):
                raise _error(shown, span, "policy_local_outside", {"ref": ref})
            target = Path(os.path.normpath(main.parent / rel))
            try:
                if target.is_dir() or not target.suffix:
                    target = target / "policy.yaml"
                found = target.is_file()
            except (OSError, ValueError):
                found = False
            if not found:
                raise _error(shown, span, "policy_extends_not_found", {"ref": ref, "available": bundled_ids() or ["-"]})
            inside = self.inside
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError):
            resolved = target
        seen = [self._real(p) for p in here]
        if resolved in seen:
            cycle = [self.shown(p) for p in here[seen.index(resolved):]] + [self.shown(target)]
            raise _error(shown, span, "policy_extends_cycle", {"chain": " → ".join(cycle)})
        return _Loader(self.shown, inside, self.memo).load(target, here)

    @staticmethod
    def _real(p: Path) -> Path:
        try:
            return p.resolve()
        except (OSError, RuntimeError):
            return p

    # -- sections -----------------------------------------------------------
    def _remove(self, doc: dict[str, Any], sources: Sources, remove: dict[str, Any], located: Located, shown: str) -> None:
        for what, names in remove.items():
            if what == "lexicon_entries":
                for lex, ids in (names or {}).items():
                    self._remove_entries(doc, sources, str(lex), [str(i) for i in ids or []], located, shown)
                continue
            section = REMOVABLE[what][0]
            present = doc.get(section) or {}
            for i, name in enumerate(names or []):
                if name not in present:
                    raise _error(shown, located.span(("remove", what, i)), "policy_remove_unknown",
                                 {"what": what, "name": name, "suggestion": _suggest(str(name), present) or "-"})
                present = {k: v for k, v in present.items() if k != name}
                sources.purge((section, name))
                if section == "params":
                    schema = doc.get("param_schema") or {}
                    doc["param_schema"] = {k: v for k, v in schema.items() if k != name}
                    sources.purge(("param_schema", name))
            doc[section] = present

    def _remove_entries(self, doc: dict[str, Any], sources: Sources, lex: str, ids: list[str], located: Located,
                        shown: str) -> None:
        lexicons = doc.get("lexicons") or {}
        if lex not in lexicons:
            raise _error(shown, located.span(("remove", "lexicon_entries", lex), key=True), "policy_remove_unknown",
                         {"what": "lexicons", "name": lex, "suggestion": _suggest(lex, lexicons) or "-"})
        entries = list(lexicons[lex].get("entries") or [])
        known = [str(e.get("id")) for e in entries if isinstance(e, dict)]
        for i, eid in enumerate(ids):
            if eid not in known:
                raise _error(shown, located.span(("remove", "lexicon_entries", lex, i)), "policy_remove_unknown",
                             {"what": f"lexicon_entries.{lex}", "name": eid, "suggestion": _suggest(eid, known) or "-"})
        kept = [j for j, e in enumerate(entries) if not (isinstance(e, dict) and str(e.get("id")) in ids)]
        sources.reindex(("lexicons", lex, "entries"), {old: new for new, old in enumerate(kept)}, len(entries))
        doc["lexicons"] = {**lexicons, lex: {**lexicons[lex], "entries": [entries[j] for j in kept]}}

    def _changelog(self, doc: dict[str, Any], sources: Sources, data: dict[str, Any], located: Located, shown: str) -> None:
        """The extending file's changelog entries go in front of the base's (newest first)."""
        added = list(data.get("changelog") or [])
        if not added:
            return
        before = list(doc.get("changelog") or [])
        sources.reindex(("changelog",), {i: i + len(added) for i in range(len(before))}, len(before))
        for i, _entry in enumerate(added):
            sources.put(("changelog", i), Origin(shown, located, ("changelog", i)))
        doc["changelog"] = added + before

    def _rules(self, doc: dict[str, Any], sources: Sources, items: list[tuple[str, Any, Origin]]) -> None:
        """This file's rules (inline and included) merged into the base's by id."""
        rules = dict(doc.get("rules") or {})
        mine: set[str] = set()
        for rid, rule, origin in items:
            if rid in mine:
                raise _error(origin.file, origin.located.span(origin.path, key=True), "policy_duplicate_rule", {"rule": rid})
            mine.add(rid)
            rule = _message_form(rule) if isinstance(rule, dict) else rule
            if rid in rules and isinstance(rules[rid], dict) and isinstance(rule, dict):
                rules[rid] = _merge(rules[rid], rule, ("rules", rid), origin, sources)
            else:
                rules[rid] = rule
                sources.put(("rules", rid), origin)
        doc["rules"] = rules

    def _lexicons(self, doc: dict[str, Any], sources: Sources, items: list[tuple[str, Any, Origin]]) -> None:
        """This file's lexicons (inline and included) merged into the base's by name, entries by id."""
        lexicons = dict(doc.get("lexicons") or {})
        mine: set[str] = set()
        for name, lex, origin in items:
            path = ("lexicons", name)
            if name in mine:
                where = origin.path + ("lexicon",) if origin.path == () else origin.path
                raise _error(origin.file, origin.located.span(where, key=origin.path != ()), "policy_duplicate_lexicon",
                             {"lexicon": name})
            mine.add(name)
            if name not in lexicons or not isinstance(lex, dict) or not isinstance(lexicons[name], dict):
                lexicons[name] = {"lexicon": name, **lex} if isinstance(lex, dict) and "lexicon" not in lex else lex
                sources.put(path, origin)
                continue
            base = lexicons[name]
            merged = _merge({k: v for k, v in base.items() if k != "entries"},
                            {k: v for k, v in lex.items() if k not in ("entries", "lexicon")}, path, origin, sources)
            entries = list(base.get("entries") or [])
            index = {str(e.get("id")): j for j, e in enumerate(entries) if isinstance(e, dict)}
            for i, entry in enumerate(lex.get("entries") or []):
                sub = Origin(origin.file, origin.located, origin.path + ("entries", i))
                eid = str(entry.get("id")) if isinstance(entry, dict) and entry.get("id") is not None else None
                if eid is not None and eid in index:
                    j = index[eid]
                    entries[j] = _merge(entries[j], entry, path + ("entries", j), sub, sources)
                    continue
                if eid is not None:
                    index[eid] = len(entries)
                sources.put(path + ("entries", len(entries)), sub)
                entries.append(entry)
            merged["entries"] = entries
            lexicons[name] = merged
        doc["lexicons"] = lexicons


def resolve_file(main: Path, shown: Callable[[Path], str] = str, inside: Path | None = None,
                 memo: ParseMemo | None = None) -> Resolved:
    """The resolved document of the policy whose ``policy.yaml`` is ``main`` (raises PolicyError).

    ``shown`` turns a file into the name messages use; ``inside`` (the repo, for a policy named
    in ``snspolicy.yaml``) is the folder every ``extends:`` path must stay in; ``memo``: files
    parsed by earlier runs (the repo's cache)."""
    return _Loader(shown, inside, memo).load(main, [])


#: the order of the sections when a resolved policy is written out
_ORDER = ("schema_version", "id", "version", "status", "name", "guideline", "changelog", "categories", "params",
          "param_schema", "vocabularies", "clauses", "rules", "lexicons")


def _plain(value: Any) -> Any:
    """Plain YAML values (``str`` subclasses such as LeadingZeroText become ``str``)."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, str) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def to_yaml(document: dict[str, Any], header: str = "") -> str:
    """A resolved policy document as one self-contained ``policy.yaml`` (rules and lexicons
    inline, no ``extends:``): ``snspolicy policy show --resolved`` prints it, and it loads as
    the same policy."""
    import yaml

    ordered = {k: document[k] for k in _ORDER if k in document}
    ordered.update({k: v for k, v in document.items() if k not in ordered})
    text = yaml.safe_dump(_plain(ordered), allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join(lines + [text]) if lines else text
