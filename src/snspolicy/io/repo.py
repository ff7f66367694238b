"""A read-only view of the posts repo: every document, loaded once, indexed by id."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from snspolicy.io.config import CONFIG_NAME, Config
from snspolicy.io.documents import Document, load_document
from snspolicy.io.errors import LoadError
from snspolicy.io import roster as roster_mod

_KIND_GLOBS = (
    ("account", "accounts", ("*.yaml", "*.yml"), False),
    ("post", "posts", ("*.md",), True),
    ("press", "press", ("*.yaml", "*.yml"), False),
    ("incident", "incidents", ("*.yaml", "*.yml"), False),
)

MAX_FILES = 50_000


@dataclass
class FileError:
    path: str
    error: LoadError


@dataclass
class Repo:
    """The loaded repo. In a run on selected files (pre-commit), posts other than the
    selected ones are read only when a rule asks for all posts (``documents``,
    ``by_kind("post")``), so a one-file run in a large repo does not parse every post."""

    root: Path
    config: Config
    loaded: list[Document] = field(default_factory=list)
    load_errors: list[FileError] = field(default_factory=list)
    roster: roster_mod.Roster | None = None
    only: set[str] | None = None  # when linting selected paths: report only on these
    pending: list[tuple[str, Path, str]] = field(default_factory=list)  # (kind, path, rel) not read yet

    def _flush(self) -> None:
        pending, self.pending = self.pending, []
        for kind, path, rel in pending:
            self._load_one(kind, path, rel)
        if pending:
            self.loaded.sort(key=lambda d: d.path)
            self.__dict__.pop("_idx_post", None)

    def _load_one(self, kind: str, path: Path, rel: str) -> None:
        try:
            self.loaded.append(load_document(kind, path, rel, self.root))
        except LoadError as exc:
            self.load_errors.append(FileError(rel, exc))

    @property
    def documents(self) -> list[Document]:
        """Every document of the repo (reads any post not read yet)."""
        self._flush()
        return self.loaded

    @property
    def errors(self) -> list[FileError]:
        self._flush()
        return self.load_errors

    def selected_documents(self) -> list[Document]:
        """The documents reported on: all of them, or the selected files."""
        if self.only is None:
            return self.documents
        return [d for d in self.loaded if d.path in self.only]

    def selected_errors(self) -> list[FileError]:
        if self.only is None:
            return self.errors
        return [e for e in self.load_errors if e.path in self.only]

    def by_kind(self, kind: str) -> list[Document]:
        source = self.documents if kind == "post" else self.loaded  # only posts are ever deferred
        return [d for d in source if d.kind == kind]

    @property
    def accounts(self) -> dict[str, Document]:
        return self._index("account")

    @property
    def press(self) -> dict[str, Document]:
        return self._index("press")

    def _index(self, kind: str) -> dict[str, Document]:
        cache_name = f"_idx_{kind}"
        idx = self.__dict__.get(cache_name)
        if idx is None:
            idx = {}
            for d in self.by_kind(kind):
                key = d.get("id")
                key = str(key) if key is not None else Path(d.path).stem
                idx.setdefault(key, d)
            self.__dict__[cache_name] = idx
        return idx

    def exists(self, rel: str) -> bool:
        """Does ``rel`` name a regular file inside the repo (no escaping through .. or links)?"""
        try:
            p = (self.root / rel).resolve()
            p.relative_to(self.root.resolve())
        except (ValueError, OSError, RuntimeError):
            return False
        return p.is_file()

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def reportable(self, rel: str) -> bool:
        return self.only is None or rel in self.only

    def text_files(self) -> Iterator[Path]:
        """Every file in the repo except .git (used by the secret scan).

        Inside a git work tree, the files git tracks plus untracked ones it does not
        ignore (a local, git-ignored ``.env`` is not part of the repo); elsewhere a walk.
        """
        listed = _git_files(self.root)
        if listed is not None:
            for rel in listed[:MAX_FILES]:
                p = self.root / rel
                if not self._excluded(rel) and (p.is_file() or p.is_symlink()):
                    yield p
            return
        count = 0
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in (".git", "node_modules", ".venv"))
            for name in sorted(filenames):
                count += 1
                if count > MAX_FILES:
                    return
                p = Path(dirpath) / name
                if self._excluded(self.rel(p)):
                    continue
                yield p

    def _excluded(self, rel: str) -> bool:
        return any(fnmatch.fnmatch(rel, pat) for pat in self.config.exclude)


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, or None when this is not a git work tree."""
    if not (root / ".git").exists():
        return None
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({name.decode("utf-8", "surrogateescape") for name in out.split(b"\0") if name})


def discover(root: Path, config: Config) -> list[tuple[str, Path]]:
    """(kind, path) for every document of the repo, in a stable order."""
    found: list[tuple[str, Path]] = []
    cfg = root / CONFIG_NAME
    for kind, key, patterns, recursive in _KIND_GLOBS:
        base = root / config.paths.get(key, key)
        if not base.is_dir():
            continue
        paths: set[Path] = set()
        for pat in patterns:
            paths.update(base.rglob(pat) if recursive else base.glob(pat))
        for p in sorted(paths):
            if p.is_file() or p.is_symlink():
                found.append((kind, p))
    del cfg
    return found


def load_repo(root: Path, config: Config, only: set[str] | None = None) -> Repo:
    """Read the repo. With ``only`` (selected files), posts not selected are read on demand."""
    repo = Repo(root=root, config=config, only=only)
    for kind, path in discover(root, config):
        rel = repo.rel(path)
        if repo._excluded(rel):
            continue
        if only is not None and kind == "post" and rel not in only:
            repo.pending.append((kind, path, rel))
            continue
        repo._load_one(kind, path, rel)
    if config.roster:
        rpath = root / config.roster
        try:
            repo.roster = roster_mod.load(rpath, config.roster)
        except LoadError as exc:
            repo.load_errors.append(FileError(config.roster, exc))
    return repo
