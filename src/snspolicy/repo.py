"""A read-only view of the posts repo: every document, loaded once, indexed by id."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .config import CONFIG_NAME, Config
from .loader.documents import Document, load_document
from .loader.errors import LoadError
from . import roster as roster_mod

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
    root: Path
    config: Config
    documents: list[Document] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    roster: roster_mod.Roster | None = None
    only: set[str] | None = None  # when linting selected paths: report only on these

    def by_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]

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


def load_repo(root: Path, config: Config) -> Repo:
    repo = Repo(root=root, config=config)
    for kind, path in discover(root, config):
        rel = repo.rel(path)
        if repo._excluded(rel):
            continue
        try:
            repo.documents.append(load_document(kind, path, rel, root))
        except LoadError as exc:
            repo.errors.append(FileError(rel, exc))
    if config.roster:
        rpath = root / config.roster
        try:
            repo.roster = roster_mod.load(rpath, config.roster)
        except LoadError as exc:
            repo.errors.append(FileError(config.roster, exc))
    return repo
