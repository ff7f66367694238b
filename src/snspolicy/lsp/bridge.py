"""The one door between the language server (or ``lint --stdin-filename``) and the linter.

Everything the editor integration needs from snspolicy goes through this module, so that
it can move into the application layer as it is. The API:

* :func:`find_root` / :class:`Workspace` — one posts repo, kept in memory: its
  configuration, policy (with the tokenizer, loaded lazily by the text rules, and the
  compiled lexicons, all cached per process) and its documents as on disk.
* :meth:`Workspace.lint_buffer` ``(relpath, text) -> list[Finding]`` — lint the unsaved
  text of ONE file in the context of the repo on disk: same rule ids, clauses,
  severities and messages as ``snspolicy lint relpath`` would give if the file held
  ``text``. Waived findings are included (``Finding.waived``), as in ``lint``'s result.
* :meth:`Workspace.set_buffer` / :meth:`Workspace.drop_buffer` — an open editor buffer of a
  *context* file (snspolicy.yaml, accounts/, press/, incidents/) replaces the file on disk
  for every other file's check while it is open.
* :meth:`Workspace.file_changed` — a file changed on disk (saved, created, deleted).
  The configuration, roster, registry, policy files and the accounts/press/incidents
  folders are also checked for changes (a few ``stat`` calls) before every lint.
* :meth:`Workspace.explain`, :meth:`Workspace.rule_doc_uri`, :meth:`Workspace.fix_edit`,
  :meth:`Workspace.waiver_edit` — hover text, documentation link and the quick fixes.
* :func:`lint_text` — one-shot: the function behind ``snspolicy lint --stdin-filename F -``.

How a buffer is checked (see :meth:`Workspace.lint_buffer`): the repo is loaded once
(``repo.load_repo`` with every post deferred, as a one-file ``lint`` does); for each check
a light :class:`~snspolicy.repo.Repo` *view* is built that shares the loaded documents and
replaces the one being edited by a document parsed from the buffer
(``loader.documents.parse_document``), with ``only = {relpath}``; then
``runner.lint(setup, repo=view)`` runs the engine as ``lint`` does. When a rule asks for
every post, the shared repo reads them once and keeps them for later checks.

Positions in findings are snspolicy's (1-based lines, code-point columns, on the text with
line ends normalised to ``\\n``); converting them for LSP is the server's job
(:mod:`snspolicy.lsp.positions`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from snspolicy.io import config as config_mod
from snspolicy.core import messages
from snspolicy.app import setup as runner
from snspolicy.app.lint import LintOptions, Selection, lint
from snspolicy.engine.registry import ENGINE_RULES
from snspolicy.io.config import CONFIG_NAME, ConfigError
from snspolicy.io.documents import Document, parse_document, split_front_matter
from snspolicy.io.errors import LoadError
from snspolicy.io.git import Git, GitError
from snspolicy.io.textfile import DEFAULT_MAX_BYTES, decode_text
from snspolicy.io.yamlloc import load_yaml
from snspolicy.core.model import Finding, Span
from snspolicy.lsp.edits import Edit, waiver_edit
from snspolicy.policy.model import PolicyError, RuleSpec
from snspolicy.io.repo import KIND_GLOBS, FileError, Repo, git_files, load_repo

CONTEXT_KINDS = ("config", "account", "press", "incident")  # files other files are checked against
NOT_WAIVABLE = ENGINE_RULES  # the engine's own findings are fixed, not waived


def find_root(path: Path) -> Path | None:
    """The posts repo a file belongs to: the nearest folder with snspolicy.yaml, or None."""
    start = path if path.is_dir() else path.parent
    try:
        start = start.resolve()
    except (OSError, RuntimeError):
        return None
    for p in (start, *start.parents):
        if (p / CONFIG_NAME).is_file():
            return p
    return None


def relpath(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` with forward slashes, or None when it is outside the repo."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None


def normalize_buffer(text: str) -> str:
    """An editor's text as ``lint`` would read the file: checked like the bytes on disk (binary, size,
    not encodable as UTF-8 → :class:`LoadError`), BOM dropped, line ends → ``\\n``."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > DEFAULT_MAX_BYTES:
        raise LoadError("too_large", params={"size": len(data), "limit": DEFAULT_MAX_BYTES}, rule="file-encoding")
    return decode_text(data)


# ---------------------------------------------------------------- the per-check repo view


class _View(Repo):
    """The repo as on disk, with some documents replaced by buffers, reporting on one file."""

    def _attach(self, base: Repo, replaced: dict[str, Document | FileError], tracked: set[str] | None,
                ignored: Callable[[str], bool]) -> "_View":
        self._base = base
        self._replaced = replaced
        self._git = tracked
        self._ignored = ignored
        self._merge()
        return self

    def _merge(self) -> None:
        keep = self._replaced
        self.loaded = sorted([d for d in self._base.loaded if d.path not in keep]
                             + [d for d in keep.values() if isinstance(d, Document)], key=lambda d: d.path)
        self.load_errors = [e for e in self._base.load_errors if e.path not in keep] + \
            [e for e in keep.values() if isinstance(e, FileError)]
        self.pending = [p for p in self._base.pending if p[2] not in keep]
        self.deferred = self._base.deferred

    def _flush(self) -> None:
        if not self.pending and not self.deferred:
            return
        self._base._flush()  # read every post once, into the shared repo (kept for the next checks)
        self._merge()
        for name in [k for k in self.__dict__ if k.startswith("_idx_")]:
            self.__dict__.pop(name, None)

    def text_file_names(self, only: set[str] | None = None) -> Iterator[str]:
        """Only the files reported on (a one-file check), without asking git every time
        (:meth:`text_files` gives their paths)."""
        for rel in sorted((self.only if only is None else only) or ()):
            if self._excluded(rel):
                continue
            if self._git is not None and rel not in self._git and self._ignored(rel):
                continue  # git-ignored: not part of the repo (as in a full lint)
            yield rel


# ---------------------------------------------------------------- the workspace


class Workspace:
    """One posts repo kept in memory for repeated one-file checks."""

    def __init__(self, root: Path, *, lang: str = "ja", today: dt.date | None = None,
                 docs_url: str | None = None) -> None:
        self.root = Path(root).resolve()
        self.lang = lang if lang in ("ja", "en") else "ja"
        self.today = today  # None: the day of each check
        self.docs_url = docs_url  # e.g. "https://intranet/snspolicy/rules.html#rule-{rule}"
        self._buffers: dict[str, str] = {}  # open context files: rel -> normalised text
        self._setup: runner.Setup | None = None
        self._setup_error: Finding | None = None
        self._base: Repo | None = None
        self._stamp: tuple | None = None
        self._git: set[str] | None = None
        self._ignored_cache: dict[str, bool] = {}
        self._doc_file: Path | None = None
        self.loads = 0  # how many times the repo was (re)loaded — for tests and the benchmark

    # -- what a file is -------------------------------------------------------
    @property
    def setup(self) -> runner.Setup | None:
        """Configuration and policy in use (None when they are broken: see :meth:`lint_buffer`)."""
        self._ensure()
        return self._setup

    @property
    def config(self) -> config_mod.Config:
        self._ensure()
        return self._setup.config if self._setup else config_mod.Config()

    def kind_of(self, rel: str) -> str | None:
        """post / account / press / incident / config, or None for a file snspolicy does not check."""
        return self._kind(rel, self.config)

    @staticmethod
    def _kind(rel: str, cfg: config_mod.Config) -> str | None:
        if rel == CONFIG_NAME:
            return "config"
        if any(fnmatch.fnmatch(rel, pat) for pat in cfg.exclude):
            return None
        parent, _, name = rel.rpartition("/")
        for kind, key, patterns, recursive in KIND_GLOBS:
            base = str(cfg.paths.get(key, key)).replace("\\", "/").strip("/")
            inside = (parent == base or parent.startswith(base + "/")) if recursive else parent == base
            if inside and any(fnmatch.fnmatch(name, pat) for pat in patterns):
                return kind
        return None

    # -- keeping up with the editor and the disk --------------------------------
    def set_buffer(self, rel: str, text: str) -> bool:
        """An open buffer of a context file; other files are checked against it while it is open.
        True when this changed what other files are checked against."""
        if self.kind_of(rel) not in CONTEXT_KINDS or self._buffers.get(rel) == text:
            return False
        first = rel not in self._buffers
        self._buffers[rel] = text
        if rel == CONFIG_NAME:
            self._stamp = None
        return not first or self._disk_text(rel) != text

    def drop_buffer(self, rel: str) -> bool:
        """The buffer was closed: the file on disk counts again. True when that changes anything."""
        text = self._buffers.pop(rel, None)
        if text is None:
            return False
        if rel == CONFIG_NAME:
            self._stamp = None
        return self._disk_text(rel) != text

    def _disk_text(self, rel: str) -> str | None:
        try:
            return (self.root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def file_changed(self, rel: str) -> None:
        """``rel`` changed on disk: re-read that document (or everything, for the configuration)."""
        kind = self._kind(rel, self._setup.config) if self._setup else None  # (without reloading first)
        if self._base is None or kind in (None, "config"):
            self._stamp = None  # the configuration, roster, registry, policy … : reload all
            return
        self._forget(rel)
        path = self.root / rel
        if path.is_file() or path.is_symlink():
            if kind == "post" and self._base.deferred:
                pass  # the posts folder is listed when a rule first needs every post
            elif kind == "post" and self._base.pending:
                self._base.pending.append((kind, path, rel, False))
            else:
                self._base._load_one(kind, path, rel)
                self._base.loaded.sort(key=lambda d: d.path)
        new = self._disk_stamp()
        if self._stamp is not None and new[0] == self._stamp[0]:
            self._stamp = new  # that one file is up to date: no full reload for it (unless more changed)

    def _forget(self, rel: str) -> None:
        base = self._base
        assert base is not None
        base.loaded = [d for d in base.loaded if d.path != rel]
        base.load_errors = [e for e in base.load_errors if e.path != rel]
        base.pending = [p for p in base.pending if p[2] != rel]
        for name in [k for k in base.__dict__ if k.startswith("_idx_")]:
            base.__dict__.pop(name, None)

    def _disk_stamp(self) -> tuple[tuple, tuple]:
        """What, on disk, every check depends on: a change means a reload (a few stat calls)."""
        cfg = self._setup.config if self._setup else None
        names = [CONFIG_NAME]
        if cfg is not None:
            names += [n for n in (cfg.roster, cfg.registry) if isinstance(n, str)]
        out: list[Any] = [self._buffers.get(CONFIG_NAME)]
        for name in names:
            out.append((name, _stat(self.root / name)))
        if self._setup is not None:
            out += [(str(p), _stat(p)) for p in self._setup.policy.files]
        listings = []
        if cfg is not None:  # the context folders (a file added, changed or removed without the editor knowing)
            for key in ("accounts", "press", "incidents"):
                listings.append((key, _listing(self.root / str(cfg.paths.get(key, key)))))
        return tuple(out), tuple(listings)

    def _ensure(self) -> None:
        stamp = self._disk_stamp()
        if stamp == self._stamp and (self._setup is not None or self._setup_error is not None):
            return
        self._load()
        self._stamp = self._disk_stamp()

    def _load(self) -> None:
        self.loads += 1
        self._setup, self._setup_error, self._base, self._doc_file = None, None, None, None
        setup = None
        buffered = self._buffers.get(CONFIG_NAME)
        if buffered is not None:  # an open snspolicy.yaml, as long as it is valid
            try:
                setup = runner.prepare([self.root], config=config_mod.parse(self.root, normalize_buffer(buffered)))
            except (ConfigError, PolicyError, LoadError):
                setup = None  # half-typed: the others are checked against the one on disk
        if setup is None:
            try:
                setup = runner.prepare([self.root])
            except (ConfigError, PolicyError) as exc:
                self._setup_error = self._error_finding(exc)
                return
        setup.only = None
        self._setup = setup
        listed = git_files(self.root)
        self._git = set(listed) if listed is not None else None
        self._ignored_cache.clear()
        self._base = load_repo(self.root, setup.config, only=set())  # every post deferred

    def _error_finding(self, exc: ConfigError | PolicyError) -> Finding:
        msg = messages.message(exc.code, self.lang, **dict(exc.params or {}))
        return runner.error_finding(str(exc.path), exc.span, msg, getattr(exc, "rule", "schema"))

    def _is_ignored(self, rel: str) -> bool:
        if rel not in self._ignored_cache:
            try:
                self._ignored_cache[rel] = Git(self.root, timeout=10).is_ignored(rel)
            except GitError:
                self._ignored_cache[rel] = False
        return self._ignored_cache[rel]

    # -- checking -------------------------------------------------------------
    def lint_buffer(self, rel: str, text: str, *, select: Callable | None = None) -> list[Finding]:
        """Findings for ``rel`` if it held ``text`` (everything else as on disk / in open buffers).

        Never raises for bad input: unreadable text, a broken configuration or a crash become
        located findings (``fatal``), as ``lint`` reports them."""
        try:
            return self._lint(rel, text, select)
        except Exception as exc:  # noqa: BLE001 - a check must never take the editor down
            if os.environ.get("SNSPOLICY_DEBUG"):
                raise
            return [self._crash(rel, exc)]

    def _crash(self, rel: str, exc: BaseException) -> Finding:
        msg = messages.message("internal_error", self.lang, rule="-", error=type(exc).__name__)
        f = runner.error_finding(rel, Span(), msg, "internal-error")
        f.clause = "-"
        return f

    def _lint(self, rel: str, text: str, select: Callable | None) -> list[Finding]:
        kind = self.kind_of(rel)
        if kind == "config":
            return self._lint_config(text, select)
        if self._setup_error is not None or self._setup is None:
            return [self._setup_error] if self._setup_error else []
        return self._run(rel, kind, text, self._setup, select)

    def _lint_config(self, text: str, select: Callable | None) -> list[Finding]:
        try:
            cfg = config_mod.parse(self.root, normalize_buffer(text))
            setup = runner.prepare([self.root], config=cfg)
        except LoadError as exc:
            return [runner.error_finding(CONFIG_NAME, exc.span, messages.message(exc.code, self.lang, **exc.params),
                                         exc.rule)]
        except (ConfigError, PolicyError) as exc:
            return [self._error_finding(exc)]
        self._ensure()
        if self._base is None:
            return []
        setup.only = None
        return self._run(CONFIG_NAME, "config", text, setup, select)

    def _parse(self, rel: str, kind: str, text: str) -> tuple[Document | FileError, str | None]:
        path = self.root / rel
        try:
            norm = normalize_buffer(text)
            return parse_document(kind, path, rel, norm), norm
        except LoadError as exc:
            return FileError(rel, exc), None

    def _run(self, rel: str, kind: str | None, text: str, setup: runner.Setup, select: Callable | None) -> list[Finding]:
        base = self._base
        assert base is not None
        replaced: dict[str, Document | FileError] = {}
        for orel, otext in self._buffers.items():  # open context files as the editor shows them
            okind = self.kind_of(orel)
            if orel != rel and okind in CONTEXT_KINDS and okind != "config":
                replaced[orel] = self._parse(orel, okind, otext)[0]
        overlays: dict[str, str] = {}
        norm: str | None = None
        if kind in ("post", "account", "press", "incident"):
            replaced[rel], norm = self._parse(rel, kind, text)
        else:  # snspolicy.yaml or another file: only the repo-wide rules (the secret scan) can report on it
            try:
                norm = normalize_buffer(text)
            except LoadError:
                norm = None
        if norm is not None:
            overlays[rel] = norm
        view = _View(root=self.root, config=setup.config, roster=base.roster, only={rel}, overlays=overlays)
        view._attach(base, replaced, self._git, self._is_ignored)
        today = self.today or dt.date.today()
        done = lint(dataclasses.replace(setup, only={rel}), Selection(read={rel}, repo=view),
                    LintOptions(lang=self.lang, today=today, select=select))
        return done.result.findings

    # -- explaining and fixing ----------------------------------------------------
    def rule(self, rule_id: str) -> RuleSpec | None:
        """The policy's rule (a RuleSpec) or None."""
        self._ensure()
        return self._setup.policy.rules.get(rule_id) if self._setup else None

    def explain(self, rule_id: str) -> str | None:
        """``snspolicy explain RULE``'s text in the workspace's language (None for an unknown rule)."""
        spec = self.rule(rule_id)
        if spec is None or self._setup is None:
            return None
        from snspolicy.reporters.explain import explain_text

        return explain_text(self._setup.policy, spec, self.lang)

    def rule_doc_uri(self, rule_id: str) -> str | None:
        """Where a rule is documented: ``docs_url`` (with ``{rule}``) when given; else the repo's own
        catalogue ``docs/rules.md`` (written by ``snspolicy docs``); else a catalogue generated from the
        policy in use into the user's cache folder. A file URI with a ``#rule-ID`` anchor."""
        if self.rule(rule_id) is None or self._setup is None:
            return None
        from snspolicy.app.rule_docs import DEFAULT_OUTPUT, anchor, catalogue

        frag = anchor("rule", rule_id)
        if self.docs_url:
            return self.docs_url.replace("{rule}", rule_id).replace("{anchor}", frag)
        own = self.root / DEFAULT_OUTPUT
        if own.is_file():
            return own.as_uri() + "#" + frag
        if self._doc_file is None:
            text = catalogue(self._setup.policy, self.lang, overrides=dict(self._setup.config.rules or {}))
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
            folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "snspolicy"
            path = folder / f"rules-{digest}.md"
            try:
                if not path.is_file():
                    from snspolicy.io.fsutil import atomic_write_text

                    folder.mkdir(parents=True, exist_ok=True)
                    atomic_write_text(path, text)
            except OSError:
                return None
            self._doc_file = path
        return self._doc_file.as_uri() + "#" + frag

    def fix_edit(self, rel: str, text: str, finding: Finding) -> Edit | None:
        """The finding's suggested fix (``snspolicy fix``'s) as an edit of ``text``, if it is safe:
        the result must still parse (as ``fix`` checks before writing)."""
        fix = finding.fix
        if fix is None or fix.replacement is None or fix.span is None or finding.waived or finding.path != rel:
            return None
        edits = self.fix_all(rel, text, [finding])
        return edits[0] if edits else None

    def fix_all(self, rel: str, text: str, findings: list[Finding]) -> list[Edit]:
        """All safe fixes of ``findings`` together (empty when together they would break the file)."""
        from snspolicy.io.editing import EditError, replace_spans

        items = [Edit(f.fix.description, f.fix.span, f.fix.replacement) for f in findings
                 if f.fix is not None and f.fix.replacement is not None and f.fix.span is not None
                 and not f.waived and f.path == rel]
        if not items:
            return []
        try:
            norm = normalize_buffer(text)
            new = replace_spans(norm, [(e.span, e.replacement) for e in items])
            if rel.endswith(".md"):
                parts = split_front_matter(new)
                if parts is None:
                    return []
                load_yaml(parts[0])
            else:
                load_yaml(new)
        except (EditError, LoadError):
            return []
        return items

    def can_waive(self, rel: str, rule_id: str) -> bool:
        return self.kind_of(rel) == "post" and rule_id not in NOT_WAIVABLE and self.rule(rule_id) is not None

    def waiver_edit(self, rel: str, text: str, rule_id: str) -> Edit | None:
        """Add a waiver skeleton for ``rule_id`` to the post's front matter ``waivers:`` list."""
        if not self.can_waive(rel, rule_id):
            return None
        try:
            return waiver_edit(normalize_buffer(text), rule_id, self.lang)
        except LoadError:
            return None


def _listing(folder: Path) -> tuple:
    """(name, mtime, size) of the files directly in ``folder`` (the context kinds are not recursive)."""
    try:
        with os.scandir(folder) as it:
            return tuple(sorted((e.name, *(_stat(Path(e.path)) or (0, 0))) for e in it if not e.name.startswith(".")))
    except OSError:
        return ()


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


# ---------------------------------------------------------------- waiver skeleton

def lint_text(filename: str | Path, text: str, *, lang: str = "ja", today: dt.date | None = None,
              select: Callable | None = None, cwd: Path | None = None) -> tuple[Workspace | None, list[Finding]]:
    """``snspolicy lint --stdin-filename FILENAME -``: lint ``text`` as the file FILENAME (relative to
    ``cwd``) of the posts repo it is in, the rest of the repo as on disk.

    Returns the workspace (for ``runner.report_context``-like reporting: ``ws.setup``) and the findings;
    a file outside any posts repo (no snspolicy.yaml above it) gives ``(None, [])``, and a file the repo
    does not check (not a post, account, press release, incident or snspolicy.yaml) gives ``(ws, [])``."""
    path = Path(filename)
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    root = find_root(path)
    if root is None:
        root = runner.find_root(path)  # no snspolicy.yaml: the defaults, as `lint` uses them
    rel = relpath(root, path)
    if rel is None:
        return None, []
    ws = Workspace(root, lang=lang, today=today)
    return ws, ws.lint_buffer(rel, text, select=select)


__all__ = ["Workspace", "Edit", "find_root", "relpath", "normalize_buffer", "waiver_edit", "lint_text", "CONTEXT_KINDS"]
