"""A read-only view of the posts repo: every document, loaded once, indexed by id.

Discovery never leaves the repo and never skips silently: a folder that is a symbolic link
leading outside, a path too long to open, a named pipe called ``x.md`` each become a
:class:`FileError` (exit status 2, located at the file), and more files than :data:`MAX_FILES`
stop the run with ``input_too_many_files`` instead of checking only the first ones.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from snspolicy.core.errors import UserError
from snspolicy.core.model import Span
from snspolicy.io import roster as roster_mod
from snspolicy.io.cachefile import CACHE_DIR, is_cache_folder
from snspolicy.io.config import Config
from snspolicy.io.documents import Document, load_document
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import InsideCheck, inside, os_error
from snspolicy.io.yamlloc import ParseMemo

KIND_GLOBS = (
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
    pending: list[tuple[str, Path | str, str, bool]] = field(default_factory=list)  # (kind, path, rel, regular) not read yet
    overlays: dict[str, str] = field(default_factory=dict)  # rel -> unsaved editor text that replaces the file on disk
    deferred: bool = False  # the posts folder has not been listed yet (a run on selected files)
    parse_memo: ParseMemo | None = None  # YAML parsed by earlier runs (the repo's cache), or None
    listing: GitListing | None = None  # the file listing git is making meanwhile (:meth:`text_file_names`)

    def __post_init__(self) -> None:
        self.inside_check = InsideCheck(self.root)  # this view's files, each folder resolved once

    def close(self) -> None:
        """End what was started for this run and not used (git's listing of the files)."""
        listing, self.listing = self.listing, None
        if listing is not None:
            listing.cancel()

    def overlay(self, rel: str) -> str | None:
        """The unsaved text of ``rel`` when it is checked from an editor's buffer (else None: read the disk)."""
        return self.overlays.get(rel)

    def _flush(self) -> None:
        if self.deferred:  # list the posts folder now: every post not read yet is pending
            self.deferred = False
            have = {d.path for d in self.loaded} | {e.path for e in self.load_errors}
            plain: set[str] = set()
            for kind, path in discover(self.root, self.config, self.load_errors, kinds=("post",), regular=plain):
                rel = self.rel(path)
                if rel not in have and not self._excluded(rel):
                    self.pending.append((kind, path, rel, path in plain))
        pending, self.pending = self.pending, []
        for kind, where, rel, regular in pending:
            self._load_one(kind, where, rel, regular)
        if pending:
            self.loaded.sort(key=lambda d: d.path)
            self.__dict__.pop("_idx_post", None)

    def _load_one(self, kind: str, path: Path | str, rel: str, regular: bool = False) -> None:
        """Read ``rel``; ``regular``: the folder listing said it is a regular file (no ``lstat``)."""
        try:
            self.loaded.append(load_document(kind, path, rel, self.root, inside_check=self.inside_check,
                                             memo=self.parse_memo, regular=regular))
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

    def rel(self, path: Path | str) -> str:
        text, prefix = os.fspath(path), os.fspath(self.root).rstrip(os.sep) + os.sep
        if text.startswith(prefix) and os.sep + ".." + os.sep not in text:  # the common case, without pathlib
            return text[len(prefix):].replace(os.sep, "/")
        path = Path(path)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def digest(self, rel: str) -> str | None:
        """The sha256 of the bytes of document ``rel`` as it was read in this run (None: not read)."""
        d = self.read_in_run(rel)
        return d.digest or None if d is not None else None

    def read_in_run(self, rel: str) -> Document | None:
        """Document ``rel`` as it was read from disk in this run (None: not read, or not from disk)."""
        for d in self._by_path().get(rel, ()):
            return d
        return None

    def _by_path(self) -> dict[str, list[Document]]:
        idx = self.__dict__.get("_paths")
        if idx is None or self.__dict__.get("_paths_n") != (id(self.loaded), len(self.loaded)):
            idx = {}
            for d in self.loaded:
                idx.setdefault(d.path, []).append(d)
            self.__dict__["_paths"], self.__dict__["_paths_n"] = idx, (id(self.loaded), len(self.loaded))
        return idx

    def reportable(self, rel: str) -> bool:
        return self.only is None or rel in self.only

    def text_files(self, only: set[str] | None = None) -> Iterator[Path]:
        """Every file in the repo except .git (used by the secret scan); with ``only``, just
        those of the full listing that are named there (asked of git for those paths alone).

        Inside a git work tree, the files git tracks plus untracked ones it does not
        ignore (a local, git-ignored ``.env`` is not part of the repo); elsewhere a walk.
        More than :data:`MAX_FILES` files (counted after ``exclude:``) raise a
        :class:`~snspolicy.core.errors.UserError` before any is yielded: a scan that
        silently stopped half-way would pass what it never read.
        """
        root = self.root
        for rel in self.text_file_names(only):
            yield root / rel

    def text_file_names(self, only: set[str] | None = None) -> Iterator[str]:
        """:meth:`text_files` as repo-relative names (``a/b.md``; the path is ``root / name``),
        without making a Path for each file."""
        if only is not None:
            named = self._named_files(only)
            if named is not None:
                yield from (self.rel(p) for p in named)
                return
            yield from (rel for rel in self.text_file_names() if rel in only)
            return
        listing, self.listing = self.listing, None
        listed = listing.result() if listing is not None else git_files(self.root)
        files: list[str] = []
        if listed is not None:
            read = self._by_path()  # read as documents in this run: files there, no need to ask again
            for rel in listed:
                if self._excluded(rel):
                    continue
                if rel in read or (self.root / rel).is_file() or (self.root / rel).is_symlink():
                    files.append(rel)
                    if len(files) > MAX_FILES:
                        break
        else:
            ours = CACHE_DIR if is_cache_folder(self.root) else None  # our cache: not the repo's files
            for dirpath, dirnames, filenames in os.walk(self.root):
                dirnames[:] = sorted(d for d in dirnames if d not in (".git", "node_modules", ".venv")
                                     and not (d == ours and dirpath == str(self.root)))
                for name in sorted(filenames):
                    rel = self.rel(Path(dirpath) / name)
                    if not self._excluded(rel):
                        files.append(rel)
                if len(files) > MAX_FILES:
                    break
        if len(files) > MAX_FILES:
            raise UserError("input_too_many_files", {"folder": ".", "limit": MAX_FILES}, path=".", span=Span())
        yield from files

    def _named_files(self, only: set[str]) -> list[Path] | None:
        """The files of ``only`` that the full listing would hold, in its order (None: list all)."""
        names = sorted(r for r in only if r and not r.startswith("/") and ".." not in r.split("/"))
        if (self.root / ".git").exists():
            listed = git_files(self.root, names) if names else []
            if listed is None:
                return None  # e.g. a path beyond a symbolic link: let the full listing decide
            return [self.root / r for r in listed
                    if r in only and not self._excluded(r) and ((self.root / r).is_file() or (self.root / r).is_symlink())]
        found: list[tuple[tuple[tuple[int, str], ...], Path]] = []
        for rel in names:
            parts = rel.split("/")
            if any(d in (".git", "node_modules", ".venv") for d in parts[:-1]) or self._excluded(rel):
                continue
            if len(parts) > 1 and parts[0] == CACHE_DIR and is_cache_folder(self.root):
                continue
            p = self.root / rel
            parents = [self.root.joinpath(*parts[:i]) for i in range(1, len(parts))]
            if any(q.is_symlink() or not q.is_dir() for q in parents):
                continue  # os.walk does not enter a linked folder
            if not os.path.lexists(p) or (p.is_dir() and not p.is_symlink()) or (p.is_symlink() and p.is_dir()):
                continue
            found.append((tuple((1, d) for d in parts[:-1]) + ((0, parts[-1]),), p))
        return [p for _, p in sorted(found)]

    def _excluded(self, rel: str) -> bool:
        return any(fnmatch.fnmatch(rel, pat) for pat in self.config.exclude)


def _ls_files(root: Path, paths: list[str] | None) -> list[str]:
    return ["git", "-C", str(root), "--literal-pathspecs", "ls-files", "-z", "--cached", "--others",
            "--exclude-standard", *(["--", *paths] if paths is not None else [])]


def _names(out: bytes) -> list[str]:
    """git's NUL-separated names, once each, sorted (decoded in one piece: a NUL is one byte that
    no UTF-8 sequence contains, so this is each name decoded alone; kept in git's nearly sorted
    order until sorted, which is then quick)."""
    names = dict.fromkeys(out.decode("utf-8", "surrogateescape").split("\0"))
    names.pop("", None)
    return sorted(names)


def git_files(root: Path, paths: list[str] | None = None) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files (of ``paths`` alone when given, as literal
    paths), or None when this is not a git work tree or git fails."""
    if not (root / ".git").exists():
        return None
    import subprocess

    try:
        out = subprocess.run(_ls_files(root, paths), capture_output=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return _names(out)


class GitListing:
    """:func:`git_files` of the whole repo, asked of git when the repo starts being read and
    collected when first needed (the secret scan, at the end of a run): git lists the files on
    another CPU meanwhile. The same command and the same answer as :func:`git_files` (None: not
    a git work tree, or git failed)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc: Any = None
        if not (root / ".git").exists():
            return
        import subprocess

        try:
            self.proc = subprocess.Popen(_ls_files(root, None), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except (OSError, ValueError, subprocess.SubprocessError):
            self.proc = None
            return
        try:  # room for the whole listing of a big repo, so that git does not wait for this process
            import fcntl

            if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux
                fcntl.fcntl(self.proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
        except (ImportError, OSError, ValueError):
            pass

    def result(self) -> list[str] | None:
        if self.proc is None:
            return None if not (self.root / ".git").exists() else git_files(self.root)
        import subprocess

        proc, self.proc = self.proc, None
        try:
            out, _ = proc.communicate(timeout=60)
        except (OSError, subprocess.SubprocessError):
            proc.kill()
            proc.communicate()
            return None
        return _names(out) if proc.returncode == 0 else None

    def cancel(self) -> None:
        """Not needed after all: end git and collect it (no process is left behind)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.kill()
            proc.communicate()


def _walk(base: Path, root: Path, recursive: bool,
          errors: list[FileError]) -> Iterator[tuple[Path, list[str], set[str]]]:
    """(folder, file names, the names the listing itself says are regular files) under ``base``;
    symbolic links to folders are followed only when they stay inside ``root`` (once each: no
    loops); the others are FileErrors."""
    seen: set[str] = set()
    stack = [base]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            errors.append(FileError(_rel(root, folder), os_error(exc, folder)))
            continue
        names: list[str] = []
        regular: set[str] = set()
        subdirs: list[Path] = []
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False):  # the listing's file type: no system call
                    names.append(entry.name)
                    regular.add(entry.name)
                    continue
                is_dir = entry.is_dir()  # follows a link
                is_link = entry.is_symlink()
            except OSError as exc:
                path = Path(entry.path)
                errors.append(FileError(_rel(root, path), os_error(exc, path)))
                continue
            if is_dir:
                path = Path(entry.path)
                if not recursive:
                    continue
                if is_link and not inside(path, root):
                    errors.append(FileError(_rel(root, path), LoadError("symlink_outside", rule="file-encoding")))
                    continue
                subdirs.append(path)
            else:
                names.append(entry.name)
        yield folder, names, regular
        stack.extend(reversed(subdirs))


_NOT_POSTS = tuple(kind for kind, *_ in KIND_GLOBS if kind != "post")


def _named_post(root: Path, rel: str, folder: str) -> bool:
    """Would listing the posts folder find ``rel`` (a ``*.md`` name below it, not a folder)?"""
    parts = rel.split("/")
    if not rel.startswith(folder + "/") or ".." in parts or "" in parts:
        return False
    if not fnmatch.fnmatchcase(parts[-1], "*.md"):
        return False
    path = root / rel
    return os.path.lexists(path) and not path.is_dir()


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(root: Path, config: Config, errors: list[FileError] | None = None,
             kinds: Iterable[str] | None = None, *, regular: set[str] | None = None) -> list[tuple[str, str]]:
    """(kind, path) for every document of the repo, in a stable order (a folder's files, then its
    folders', as :class:`~pathlib.Path` orders them); paths as text (``root / folder / name``).

    What cannot be walked (a folder leading outside the repo, a path too long to open) is added
    to ``errors``; files of the right name that are not regular files (a named pipe ``x.md``, a
    dangling link) are listed, so that reading them reports the problem. ``regular`` receives the
    paths (as text) that the folder listing says are regular files, not links: reading them needs
    no ``lstat`` first (:func:`~snspolicy.io.textfile.read_bytes`).
    """
    errors = errors if errors is not None else []
    found: list[tuple[str, str]] = []
    wanted = set(kinds) if kinds is not None else None
    for kind, key, patterns, recursive in KIND_GLOBS:
        if wanted is not None and kind not in wanted:
            continue
        folder = config.paths.get(key, key)
        base = root / folder
        if not os.path.lexists(base):
            continue
        if not inside(base, root):
            errors.append(FileError(str(folder), LoadError("symlink_outside", rule="file-encoding")))
            continue
        if not base.is_dir():
            continue
        paths: list[str] = []
        wanted_name = _names_matching(patterns)
        for dirpath, names, plain in _walk(base, root, recursive, errors):
            matched = [n for n in names if wanted_name(n)]
            prefix = os.path.join(dirpath, "")  # the text of dirpath / name, without a Path per file
            paths.extend(prefix + n for n in matched)
            if regular is not None:
                regular.update(prefix + n for n in matched if n in plain)
            if len(found) + len(paths) > MAX_FILES:
                errors.append(FileError(str(folder), LoadError("input_too_many_files", Span(),
                                                               {"folder": f"{folder}/", "limit": MAX_FILES},
                                                               rule="file-encoding")))
                return found
        found.extend((kind, p) for p in sorted(paths, key=_path_order))
    return found


@functools.lru_cache(maxsize=16)
def _names_matching(patterns: tuple[str, ...]) -> Callable[[str], Any]:
    """``any(fnmatch.fnmatchcase(name, p) for p in patterns)`` as one compiled pattern (the same
    translation fnmatchcase makes of each), asked once per file of the repo."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns)).match


def _path_order(path: str) -> Any:
    """The order of :class:`~pathlib.Path` objects (by component; ``a/x`` before ``a-b/x``)."""
    return path.split("/") if os.sep == "/" and os.altsep is None else Path(path)


def load_repo(root: Path, config: Config, only: set[str] | None = None, parse_memo: ParseMemo | None = None,
              listing: bool = False, posts_found: Callable[[list[tuple[str, bool]]], None] | None = None) -> Repo:
    """Read the repo. With ``only`` (selected files), the posts folder is not even listed until a
    rule asks for all posts: the named posts are read directly (so a one-file run does work in
    proportion to what it names, whatever the size of the repo).

    ``parse_memo``: YAML parsed by earlier runs, reused for the same text (the repo's cache).
    ``listing``: ask git for the list of all files now (:class:`GitListing`), for a run that
    scans them all. ``posts_found``: told the posts about to be read (their paths in the order they
    are read, and whether the folder listing said each is a regular file), before any is read."""
    repo = Repo(root=root, config=config, only=only, parse_memo=parse_memo)
    if listing and only is None:
        repo.listing = GitListing(root)
    plain: set[str] = set()
    found = discover(root, config, repo.load_errors, kinds=None if only is None else _NOT_POSTS, regular=plain)
    if posts_found is not None:
        posts_found([(path, path in plain) for kind, path in found if kind == "post"])
    for kind, path in found:
        rel = repo.rel(path)
        if not repo._excluded(rel):
            repo._load_one(kind, path, rel, path in plain)
    if only is not None:
        folder = str(config.paths.get("posts", "posts")).strip("/")
        for rel in sorted(only):
            if _named_post(root, rel, folder) and not repo._excluded(rel):
                repo._load_one("post", root / rel, rel)
        repo.deferred = True
    if config.roster:
        rpath = root / config.roster
        try:
            repo.roster = roster_mod.load(rpath, config.roster)
        except LoadError as exc:
            repo.load_errors.append(FileError(config.roster, exc))
    return repo
