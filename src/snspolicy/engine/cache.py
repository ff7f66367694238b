"""A content-keyed cache of what the per-document checks found, so that a second run over an
unchanged repo does not read every post's words again.

What is cached: for one document, the schema findings and the findings of every *per-document*
rule (:func:`per_document`): a built-in rule that reads its own document and at most the small
shared inputs (accounts, press releases, the roster, the settings). Rules that read other posts,
media files, the change under review or the whole repo, and every plugin rule, always run.

When an entry is used — never stale. The key of a run (:func:`run_key`) covers everything such a
rule may read besides its document: the snspolicy version and a digest of its own source files
(an edited checkout is a new key), the versions of the libraries that decide findings
(SudachiPy and its dictionary, phonenumbers …) and the analyzer forced by
``SNSPOLICY_TOKENIZER``, every file the policy was made of and the
resolved rule settings, ``snspolicy.yaml`` with its allow-lists (imported contact lists
included), the roster and registry files, every account, press release and incident file (text
and read errors), the language of the messages, the day of the run (rules about past events and
weekdays depend on it) and the rules selected. The key of a document adds its path and text. A
change to any of these is a miss. Entries with a fatal finding (a crash, a regex timeout) are
never stored, so a failure shows again on the next run.

Where: a folder per run key in ``.snspolicy_cache/`` at the repo root, entries spread over up to
256 JSON files by the first two hex digits of their key (:mod:`snspolicy.io.cachefile`: inside the
repo, never tracked by git, written atomically, the four newest run folders kept). JSON, not
pickle: reading a cache file can never run code. Delete the folder at any time; ``lint
--no-cache`` neither reads nor writes it.

Two more layers do not depend on the run (the policy, the day, the accounts), only on a text and
on snspolicy and its libraries (their folders are named after ``_sources()`` and the library
versions), so they survive a new day or an edited account:

* :class:`ParseCache` (``yaml-<key>/``): YAML parsed with the location of every node, by text —
  a second run, or a one-file run, reads JSON instead of composing YAML (policy files included);
* :class:`SchemaMemo` (``schema-<key>/``): "this text (or this front matter) passed its JSON
  Schema" — passes only, so a problem is checked and reported on every run; a post whose body was
  edited keeps its front matter's pass, and a run whose every text passed before never loads
  jsonschema at all. The policy's own checks are remembered by :func:`policy_key`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import json.scanner
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core.model import Finding, Fix, Severity, Span
from snspolicy.io.documents import Document
from snspolicy.io.repo import Repo
from snspolicy.io.schemacheck import plain_key
from snspolicy.io.yamlloc import Located, StoredLocated, span_rows
from snspolicy.policy.model import Policy
from snspolicy.rules.api import RuleImpl

__all__ = ["DocCache", "Entry", "ParseCache", "SchemaMemo", "mark_policy_checked", "per_document", "policy_checked",
           "policy_key", "run_key"]

FORMAT = 2
#: entries are spread over 16 ** SHARD_DIGITS files by the first hex digits of their key
SHARD_DIGITS = 2
#: what a per-document rule may read besides its own document (all covered by the run key)
SHARED_INPUTS = frozenset({"account", "press", "roster", "config"})
#: libraries whose version can change what a rule finds
LIBRARIES = ("sudachipy", "sudachidict_core", "phonenumbers", "regex", "jsonschema", "PyYAML", "exifread", "pillow",
             "zxcvbn", "fugashi", "unidic-lite")

_source_digest: str | None = None


def per_document(impl: RuleImpl) -> bool:
    """Is this a built-in rule whose findings depend only on its document and the shared inputs?"""
    return ("repo" not in impl.kinds and impl.depends_on <= SHARED_INPUTS
            and impl.module.startswith("snspolicy.rules."))


@dataclass(slots=True)
class Entry:
    """What the per-document checks found in one document (before waivers). A run keeps one per
    document to its end: most have nothing, so an entry's ``bad_values`` is the shared empty
    ``frozenset()`` once the document is checked (:meth:`settle`)."""

    findings: list[Finding] = field(default_factory=list)
    bad_values: set[tuple[int, int]] | frozenset[tuple[int, int]] = field(default_factory=set)  # (line, column) of values the schema rejected
    invalid: bool = False  # the schema rejected the document
    schema_pass: str | None = None  # the schema memo's key for a pass found in this run (not cached)

    @property
    def fatal(self) -> bool:
        return any(f.fatal for f in self.findings)

    def settle(self) -> Entry:
        """This entry, made small to be kept: no values rejected is the shared empty set."""
        if not self.bad_values:
            self.bad_values = frozenset()
        return self


def _sources() -> str:
    """A digest of snspolicy's own files (an edited checkout must not reuse old entries)."""
    global _source_digest
    if _source_digest is None:
        import os

        import snspolicy

        h = hashlib.sha256()
        base = os.path.dirname(os.path.realpath(snspolicy.__file__))
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            rel = os.path.relpath(dirpath, base).replace(os.sep, "/")
            for name in sorted(filenames):
                if name.endswith((".py", ".yaml", ".yml", ".json", ".csv", ".txt")):
                    with open(os.path.join(dirpath, name), "rb") as fh:
                        h.update(f"{rel}/{name}".encode("utf-8", "surrogatepass"))
                        h.update(hashlib.sha256(fh.read()).digest())
        _source_digest = h.hexdigest()
    return _source_digest


def _libraries() -> list[str]:
    from snspolicy.engine.libraries import versions

    return versions(LIBRARIES)


def _tokenizer() -> str:
    """The analyzer the user forced (``SNSPOLICY_TOKENIZER``): another one finds other words."""
    import os

    return os.environ.get("SNSPOLICY_TOKENIZER", "").strip().lower()


def _file(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def run_key(repo: Repo, policy: Policy, *, lang: str, today: dt.date, rule_ids: Iterable[str]) -> str:
    """The key of everything a cached entry depends on besides its document (module docstring)."""
    from snspolicy import __version__

    cfg = repo.config
    h = hashlib.sha256()

    def add(*parts: Any) -> None:
        for part in parts:
            h.update(repr(part).encode("utf-8", "surrogatepass"))
            h.update(b"\0")

    add(FORMAT, __version__, _sources(), _libraries(), lang, today.isoformat(), sorted(rule_ids), _tokenizer())
    add(policy.id, policy.version, [(str(p), _file(p)) for p in policy.files])
    add(sorted((rid, repr(spec)) for rid, spec in policy.rules.items()), repr(policy.params))
    add(_file(cfg.path), repr(cfg.allow), repr(cfg.rules), repr(cfg.paths), cfg.exclude)
    add(*(_file(repo.root / rel) if rel else "-" for rel in (cfg.roster, cfg.registry)))
    for doc in repo.loaded:
        if doc.kind != "post":
            add(doc.kind, doc.path, doc.text)
    add(sorted((fe.path, fe.error.code) for fe in repo.load_errors if not fe.path.endswith(".md")))
    return h.hexdigest()


def policy_key(policy: Policy, config_raw: Any) -> str | None:
    """The key under which "this policy, with these settings, passed ``policy validate``'s checks"
    is remembered: snspolicy's version and source digest, the library versions, the whole resolved
    policy and every file it was made of, and the settings. None when plugins are installed (their
    code is not part of the key, so the checks always run)."""
    from snspolicy import __version__
    from snspolicy.engine import plugins

    if plugins.discover():
        return None
    h = hashlib.sha256()
    for part in (FORMAT, __version__, _sources(), _libraries(), repr(policy), repr(config_raw),
                 [(str(p), _file(p)) for p in policy.files]):
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def policy_checked(root: Path, key: str) -> bool:
    from snspolicy.io.cachefile import read_cache

    return read_cache(root, f"policy-{key[:32]}.ok") == key.encode()


def mark_policy_checked(root: Path, key: str) -> None:
    from snspolicy.io.cachefile import prune, write_cache

    if write_cache(root, f"policy-{key[:32]}.ok", key.encode()):
        prune(root, "policy-")


class SchemaMemo:
    """The texts (policy files, ``snspolicy.yaml``, front matter) that passed their JSON Schema,
    remembered in a folder of the cache named after snspolicy's version, source digest and library
    versions (a new schema or validator is a new folder), spread over 256 files by key like
    :class:`DocCache` (a one-file run reads a few small files). Keys are digests of the schema and
    the text (:func:`snspolicy.io.schemacheck.remembering`); a damaged file is empty; only passes
    are kept, at most :data:`LIMIT` per file (the newest)."""

    LIMIT = 4096

    def __init__(self, root: Path) -> None:
        from snspolicy import __version__

        self.root = root
        self.key = hashlib.sha256(repr(("schema", FORMAT, __version__, _sources(), _libraries())).encode()).hexdigest()
        self.folder = f"schema-{self.key[:32]}"
        self.shards: dict[str, dict[str, None]] = {}  # insertion-ordered: oldest first
        self.dirty: set[str] = set()

    def _shard(self, name: str) -> dict[str, None]:
        shard = self.shards.get(name)
        if shard is None:
            from snspolicy.io.cachefile import read_cache

            raw = read_cache(self.root, f"{self.folder}/{name}.txt") or b""
            lines = raw.decode("ascii", "replace").split("\n")
            shard = dict.fromkeys(k for k in lines[1:] if len(k) == 64) if lines[0] == self.key else {}
            self.shards[name] = shard
        return shard

    def passed(self, key: str) -> bool:
        return key in self._shard(key[:SHARD_DIGITS])

    def add(self, key: str) -> None:
        shard = self._shard(key[:SHARD_DIGITS])
        if key not in shard:
            shard[key] = None
            self.dirty.add(key[:SHARD_DIGITS])

    def save(self) -> None:
        from snspolicy.io.cachefile import prune, write_cache

        for name in sorted(self.dirty):
            keys = list(self.shards[name])[-self.LIMIT:]
            write_cache(self.root, f"{self.folder}/{name}.txt", "\n".join([self.key, *keys]).encode("ascii"))
        if self.dirty:
            prune(self.root, "schema-", keep=2)
        self.dirty.clear()


#: the remembered value that holds the entries of the last whole-repo run (:meth:`DocCache.get_all`)
WHOLE = "documents|whole-repo"


def _shard_of(key: str) -> str:
    """The shard of a remembered value's key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:SHARD_DIGITS]


def doc_key(doc: Document) -> str:
    """The key of a document's entry: its kind, its path and its bytes' digest (the text is made
    from the bytes alone), or its text when it was not read from a file."""
    if doc.digest:
        return hashlib.sha256(f"{doc.kind}\0{doc.path}\0bytes\0{doc.digest}".encode("utf-8", "surrogatepass")).hexdigest()
    h = hashlib.sha256(f"{doc.kind}\0{doc.path}\0text\0".encode("utf-8", "surrogatepass"))
    h.update(doc.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- entries as JSON ---------------------------------------------------------------------------
def _span(s: Span | None) -> list[Any] | None:
    return None if s is None else [s.line, s.column, s.end_line, s.end_column]


def _finding_out(f: Finding) -> list[Any]:
    fix = None if f.fix is None else [f.fix.description, f.fix.replacement, _span(f.fix.span)]
    return [f.path, f.line, f.column, f.end_line, f.end_column, f.rule, f.clause, str(f.severity), f.message, f.title,
            fix, f.fingerprint, f.fatal]


def _finding_in(v: list[Any]) -> Finding:
    path, line, column, end_line, end_column, rule, clause, severity, message, title, fix, fingerprint, fatal = v
    fx = None
    if fix is not None:
        span = None if fix[2] is None else Span(*fix[2])
        fx = Fix(fix[0], fix[1], span)
    return Finding(path, line, column, end_line, end_column, rule, clause, Severity.parse(severity), message, title,
                   fx, fingerprint, bool(fatal))


def _entry_out(e: Entry) -> dict[str, Any]:
    return {"f": [_finding_out(f) for f in e.findings], "b": sorted(e.bad_values), "i": e.invalid}


def _entry_in(v: dict[str, Any]) -> Entry:
    if v["f"] == [] and v["b"] == [] and v["i"] is False:  # most documents: nothing found
        return Entry(bad_values=frozenset())
    return Entry([_finding_in(f) for f in v["f"]], {(int(a), int(b)) for a, b in v["b"]}, bool(v["i"])).settle()


class DocCache:
    """The entries of one run key, in the repo's cache folder: a folder per run key holding
    :data:`SHARDS` JSON files chosen by the first hex digits of each entry's key, so a one-file run
    reads and rewrites one small file and a whole-repo run only the files that changed."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = root
        self.key = key
        self.folder = f"v{FORMAT}-{key[:32]}"
        self.shards: dict[str, dict[str, Any]] = {}  # name -> {"entries": {...}, "memo": {...} or its JSON text}
        self.dirty: set[str] = set()
        #: (key, value) of every value computed by :meth:`remember` while ``recording`` (in a worker
        #: process, which sends them back with its results, :meth:`adopt`, so that they are saved)
        self.recording = False
        self.computed: list[tuple[str, Any]] = []

    @property
    def added(self) -> int:
        return len(self.dirty)

    def _shard(self, name: str) -> dict[str, Any]:
        shard = self.shards.get(name)
        if shard is None:
            from snspolicy.io.cachefile import read_cache

            shard = {"entries": {}, "memo": {}}
            raw = read_cache(self.root, f"{self.folder}/{name}.json")
            if raw:
                try:
                    data = json.loads(raw)
                    if isinstance(data, dict) and data.get("key") == self.key and \
                            isinstance(data.get("entries"), dict) and isinstance(data.get("memo"), (dict, str)):
                        shard = {"entries": data["entries"], "memo": data["memo"]}
                except ValueError:
                    pass
            self.shards[name] = shard
        return shard

    def _memo(self, name: str) -> dict[str, Any]:
        """The remembered values of shard ``name``. A shard file keeps them as one JSON text inside its
        JSON, decoded only when a value of that shard is asked for: a second run over an unchanged repo
        asks for a few (the secret scan's whole answer), not for the 10,000 values file by file."""
        shard = self._shard(name)
        memo = shard["memo"]
        if isinstance(memo, str):
            try:
                memo = json.loads(memo)
            except (ValueError, RecursionError):
                memo = None
            if not isinstance(memo, dict):
                memo = {}  # damaged: every value a miss
            shard["memo"] = memo
        return memo

    def get(self, doc: Document) -> Entry | None:
        return self._get(doc_key(doc))

    def _get(self, k: str) -> Entry | None:
        raw = self._shard(k[:SHARD_DIGITS])["entries"].get(k)
        if raw is None:
            return None
        try:
            return _entry_in(raw)
        except (TypeError, ValueError, KeyError, IndexError):
            return None  # a damaged entry is a miss

    def get_all(self, docs: list[Document]) -> tuple[list[Entry | None], str | None]:
        """The entries of a whole-repo run's ``docs`` (None: a miss), and the key of their list for
        :meth:`put_all` (None: they were all in the slot, nothing to keep).

        The entries of the last whole-repo run are also kept together, in one slot
        (:data:`WHOLE`) under the key of the list of all their documents' keys: a second run over an
        unchanged repo reads that slot, not the 256 files of entries one document at a time. The
        slot is replaced by each whole-repo run that checked anything again (it never grows), and
        read only when every document's key is the same, in the same order: the same entries as
        asking document by document, which is what is done otherwise."""
        keys = [doc_key(d) for d in docs]
        listed = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        slot = self._memo(_shard_of(WHOLE)).get(WHOLE)
        if isinstance(slot, dict) and slot.get("k") == listed and slot.get("n") == len(docs):
            try:
                out: list[Entry | None] = [None] * len(docs)
                for i, raw in slot["e"]:
                    out[i] = _entry_in(raw)
                return [e if e is not None else Entry(bad_values=frozenset()) for e in out], None
            except (TypeError, ValueError, KeyError, IndexError):
                pass  # a damaged slot: asked document by document
        return [self._get(k) for k in keys], listed

    def put_all(self, listed: str, entries: list[Entry]) -> None:
        """Keep ``entries`` (the documents' of :meth:`get_all`, same order) in the slot, unless one
        is fatal (a failure shows again on the next run)."""
        if any(e.fatal for e in entries):
            return
        self._memo(_shard_of(WHOLE))[WHOLE] = {
            "k": listed, "n": len(entries),
            "e": [[i, _entry_out(e)] for i, e in enumerate(entries) if e.findings or e.bad_values or e.invalid]}
        self.dirty.add(_shard_of(WHOLE))

    def put(self, doc: Document, entry: Entry) -> None:
        if entry.fatal:
            return
        k = doc_key(doc)
        self._shard(k[:SHARD_DIGITS])["entries"][k] = _entry_out(entry)
        self.dirty.add(k[:SHARD_DIGITS])

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``'s JSON value, kept under ``key`` (see :meth:`snspolicy.rules.api.Context.remember`)."""
        h = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        memo = self._memo(h[:SHARD_DIGITS])
        if key in memo:
            return memo[key]
        memo[key] = json.loads(json.dumps(compute()))  # what a later run will read back, exactly
        self.dirty.add(h[:SHARD_DIGITS])
        if self.recording:
            self.computed.append((key, memo[key]))
        return memo[key]

    def adopt(self, computed: Iterable[tuple[str, Any]]) -> None:
        """Keep values that a worker process computed with :meth:`remember` (already plain JSON)."""
        for key, value in computed:
            h = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
            memo = self._memo(h[:SHARD_DIGITS])
            if key not in memo:
                memo[key] = value
                self.dirty.add(h[:SHARD_DIGITS])

    def save(self) -> bool:
        """Write back the shards that changed (False: one could not be written)."""
        from snspolicy.io.cachefile import prune, write_cache

        ok = True
        for name in sorted(self.dirty):
            shard = self.shards[name]
            memo = shard["memo"]
            text = memo if isinstance(memo, str) else json.dumps(memo, ensure_ascii=False, separators=(",", ":"))
            data = {"format": FORMAT, "key": self.key, "entries": shard["entries"], "memo": text}
            ok = write_cache(self.root, f"{self.folder}/{name}.json",
                             json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()) and ok
        if self.dirty:
            prune(self.root, f"v{FORMAT}-")
        self.dirty.clear()
        return ok


# -- parsed YAML ---------------------------------------------------------------------------------
_DAMAGED = object()
_scan_json = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def decode_compact(text: str) -> Any:
    """``json.loads(text)`` of a text this module wrote (one value, no white space around it), or
    ``_DAMAGED`` when it is not exactly one JSON value: the decoder's own scanner, without the
    white-space searches and calls around it (10,000 front matters a run)."""
    try:
        value, end = _scan_json(text, 0)
    except (StopIteration, TypeError, ValueError, RecursionError):
        return _DAMAGED
    return value if end == len(text) else _DAMAGED
class ParseCache:
    """YAML documents (posts' front matter, accounts, press releases, incidents, policy files) as
    parsed with their locations, remembered by text so that a second run reads JSON instead of
    composing YAML (:class:`snspolicy.io.yamlloc.ParseMemo`).

    One folder per snspolicy version, source digest and library versions (``yaml-<key>/``): posts'
    front matter in 256 shard files chosen by the entry key like :class:`DocCache`, every other
    text in one file (:data:`SHARED`: what a one-file run needs besides its post). A shard is a
    header line and one line per entry, ``<key> <data JSON><TAB><span rows JSON>``, the data decoded
    only when that entry is asked for
    (each time afresh: no two documents share data, and what a run changes is never written back).
    Only documents made of plain JSON values are kept (a value written with a leading zero or a
    ``!!binary`` is parsed again every time); the spans are decoded when first looked up
    (:class:`~snspolicy.io.yamlloc.StoredLocated`); a damaged entry is a miss. ``whole``: a run over
    the whole repo drops, from the shards it writes, the entries of texts it no longer has."""

    keeps = True  # what is put is kept (snspolicy.io.yamlloc.ParseMemo)
    #: the shard of the texts every run reads (settings, accounts, press releases, incidents, policy
    #: files): one file, so that a one-file run does not open a shard per press release
    SHARED = "files"

    def __init__(self, root: Path, whole: bool = False) -> None:
        from snspolicy import __version__

        self.root = root
        self.whole = whole
        self.key = hashlib.sha256(repr(("yaml", FORMAT, __version__, _sources(), _libraries())).encode()).hexdigest()
        self.folder = f"yaml-{self.key[:32]}"
        self.shards: dict[str, dict[str, str]] = {}
        self.used: set[str] = set()
        self.dirty: set[str] = set()

    @staticmethod
    def entry_key(text: str, line_offset: int) -> str:
        """The key of the entry of ``text`` parsed from line ``line_offset`` + 1 on."""
        h = hashlib.sha256(f"{line_offset}\0".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _header(self) -> str:
        return json.dumps({"format": FORMAT, "key": self.key})

    def has_entries(self) -> bool:
        """Does the repo's cache hold parses of this snspolicy and its libraries (a shard file)?"""
        from snspolicy.io.cachefile import holds_files

        return holds_files(self.root, self.folder, ".txt")

    def _shard(self, name: str) -> dict[str, str]:
        shard = self.shards.get(name)
        if shard is None:
            from snspolicy.io.cachefile import read_cache

            shard = {}
            raw = read_cache(self.root, f"{self.folder}/{name}.txt")
            if raw:
                try:
                    lines = raw.decode("utf-8", "surrogatepass").split("\n")
                except UnicodeDecodeError:
                    lines = []
                if lines and lines[0] == self._header():
                    for line in lines[1:]:
                        k, _, value = line.partition(" ")
                        if len(k) == 64 and value:
                            shard[k] = value
            self.shards[name] = shard
        return shard

    def get(self, text: str, line_offset: int, spread: bool = False) -> Located | None:
        k = self.entry_key(text, line_offset)
        self.used.add(k)
        raw = self._shard(k[:SHARD_DIGITS] if spread else self.SHARED).get(k)
        if raw is None:
            return None
        return self.decode(raw, text, line_offset)

    @staticmethod
    def decode(raw: str, text: str, line_offset: int) -> Located | None:
        """The document an entry holds (None: damaged). An entry without span rows (:meth:`encode`
        with ``rows=False``) gives a document whose spans are made from its text when asked for."""
        head, tab, rows = raw.partition("\t")  # the data, then its span rows (decoded only when needed)
        data = decode_compact(head)
        if data is _DAMAGED:
            return None
        return StoredLocated(data, rows if tab else None, line_offset, text)

    @staticmethod
    def encode(located: Located, rows: bool = True) -> str | None:
        """The entry of a parsed document: its data as JSON and (``rows``) its span rows, or None
        when it cannot be kept (a value that is not plain JSON: a leading zero, ``!!binary`` …)."""
        if plain_key(located.data) is None:
            return None
        values, keys = (span_rows(located.values), span_rows(located.keys)) if rows else ([], [])
        if values is None or keys is None:
            return None
        try:
            head = json.dumps(located.data, ensure_ascii=False, separators=(",", ":"))  # holds no raw tab
            json.loads(head)  # what the next run will decode: a text too deep for it is not kept
        except (RecursionError, ValueError):
            return None
        return head + "\t" + json.dumps([values, keys], ensure_ascii=False, separators=(",", ":")) if rows else head

    def put(self, text: str, line_offset: int, located: Located, spread: bool = False) -> None:
        encoded = self.encode(located)
        if encoded is not None:
            self.put_entry(self.entry_key(text, line_offset), encoded, spread)

    def put_entry(self, key: str, encoded: str, spread: bool = False) -> None:
        """Keep an entry (:meth:`encode`, with its rows) under its key (:meth:`entry_key`)."""
        self.used.add(key)
        name = key[:SHARD_DIGITS] if spread else self.SHARED
        self._shard(name)[key] = encoded
        self.dirty.add(name)

    def save(self) -> bool:
        """Write back the shards that changed (False: one could not be written)."""
        from snspolicy.io.cachefile import prune, write_cache

        if self.whole:
            for name, shard in self.shards.items():
                gone = [k for k in shard if k not in self.used]
                for k in gone:
                    del shard[k]
                if gone:
                    self.dirty.add(name)
        ok = True
        for name in sorted(self.dirty):
            lines = [self._header(), *(f"{k} {v}" for k, v in self.shards[name].items())]
            ok = write_cache(self.root, f"{self.folder}/{name}.txt", "\n".join(lines).encode("utf-8", "surrogatepass")) and ok
        if self.dirty:
            prune(self.root, "yaml-", keep=2)
        self.dirty.clear()
        return ok
