"""The cache folder of the posts repo: ``.snspolicy_cache/`` at its root (what is stored there and
when it is valid: :mod:`snspolicy.engine.cache`).

The folder is ours and safe to delete. It is inside the repo and never leaves it:

* it must be a real folder of the repo (not a symbolic link, not a file), else the run stops with
  ``cache_not_folder`` (exit status 2): a cache read from, or written to, another place would break
  the rule that nothing outside the repo is read or written unless named;
* it must not be tracked by git: a cache committed in a pull request could otherwise claim that
  a post was already checked. A tracked file under it stops the run with ``cache_tracked``;
* a new folder gets a ``.gitignore`` holding ``*`` (git then ignores the folder and everything in
  it, so it is never committed by accident nor read by the secret scan) and a ``CACHEDIR.TAG``
  (backup tools skip it);
* files are written atomically (:func:`snspolicy.io.fsutil.atomic_write_bytes`); a cache file that
  cannot be read or parsed is a miss, and a failed write leaves the run's result unchanged;
  a folder inside it that is not a real folder is neither read nor written through.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from snspolicy.core.errors import UserError
from snspolicy.io.fsutil import atomic_write_bytes, clean_stale_temps
from snspolicy.io.textfile import OPEN_FLAGS, read_fd

__all__ = ["CACHE_DIR", "KEEP_FILES", "MAX_CACHE_BYTES", "cache_folder", "ensure_folder", "holds_files", "is_cache_folder",
           "prune", "read_cache", "write_cache"]

CACHE_DIR = ".snspolicy_cache"
#: a cache file larger than this is not read (a miss), never a reason to read without limit
MAX_CACHE_BYTES = 512 * 1024 * 1024
#: runs' entries kept (one folder per combination of policy, settings, day and tool version), newest first
KEEP_FILES = 4
_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# snspolicy cache: safe to delete\n"


def cache_folder(root: Path) -> Path:
    """The repo's cache folder, checked (see the module docstring); it may not exist yet."""
    folder = root / CACHE_DIR
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return folder
    except OSError:
        raise UserError("cache_not_folder", {"path": CACHE_DIR}, path=CACHE_DIR) from None
    if not stat.S_ISDIR(st.st_mode):  # not a link (lstat), so it is the repo's own folder, inside it
        raise UserError("cache_not_folder", {"path": CACHE_DIR}, path=CACHE_DIR)
    return folder


def is_cache_folder(root: Path) -> bool:
    """Is ``root/.snspolicy_cache`` a real folder made by snspolicy (it holds our ``CACHEDIR.TAG``)?
    Listings of the repo's files outside git leave it out (inside git its ``.gitignore`` does)."""
    folder = root / CACHE_DIR
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        with open(folder / "CACHEDIR.TAG", "rb") as fh:
            return fh.read(len(_TAG)) == _TAG
    except (OSError, ValueError):
        return False


def _check_untracked(root: Path) -> None:
    from snspolicy.io.git import Git, GitError

    if not (root / ".git").exists():
        return
    try:
        tracked = Git(root).run("ls-files", "-z", "--", CACHE_DIR).stdout
    except GitError:
        return  # no git: nothing can be tracked
    if tracked.strip(b"\0"):
        raise UserError("cache_tracked", {"path": CACHE_DIR}, path=CACHE_DIR)


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?")
_untracked_checked: set[str] = set()


def _target(root: Path, name: str) -> Path | None:
    """The path of cache file ``name`` (``FILE`` or ``DIR/FILE``), None when a folder on the way
    is not a real folder (a link planted inside the cache is not followed)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"bad cache file name {name!r}")
    folder = cache_folder(root)
    path = folder / name
    if "/" in name:
        try:
            if not stat.S_ISDIR(os.lstat(path.parent).st_mode):
                return None
        except FileNotFoundError:
            return path
        except OSError:
            return None
    return path


def read_cache(root: Path, name: str) -> bytes | None:
    """The bytes of cache file ``name`` (``FILE`` or ``DIR/FILE``), or None (no such file,
    unreadable, too large, reached through a link)."""
    path = _target(root, name)
    if path is None:
        return None
    try:
        fd = os.open(path, OPEN_FLAGS)  # never through a link, never waiting on a pipe
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_BYTES:
            return None
        if str(root) not in _untracked_checked:  # once per run (git is asked once)
            _check_untracked(root)
            _untracked_checked.add(str(root))
        return read_fd(fd, MAX_CACHE_BYTES + 1, st.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)


def holds_files(root: Path, folder: str, suffix: str) -> bool:
    """Does folder ``folder`` of the cache (a real folder, not a link) hold a file named ``*suffix``?"""
    try:
        path = cache_folder(root) / folder
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return False
        with os.scandir(path) as entries:
            return any(e.name.endswith(suffix) for e in entries)
    except (OSError, UserError):
        return False


def ensure_folder(root: Path) -> Path:
    """The repo's cache folder, made (with its ``.gitignore`` and ``CACHEDIR.TAG``) when missing.
    Raises UserError (``cache_not_folder``) or OSError."""
    folder = cache_folder(root)
    if not folder.exists():
        folder.mkdir()
        atomic_write_bytes(folder / ".gitignore", b"# snspolicy cache: safe to delete\n*\n", root=root)
        atomic_write_bytes(folder / "CACHEDIR.TAG", _TAG, root=root)
    return folder


_cleaned: set[str] = set()  # cache folders whose leftover temporary files this process removed


def write_cache(root: Path, name: str, data: bytes) -> bool:
    """Write cache file ``name`` atomically; False when it could not be written (the run's
    result does not depend on it). Not flushed to the disk first (a file cut by a power failure is
    read as a miss, like any damaged one: a first run writes ~800 files, which took 0.2 s more);
    leftover temporary files of a killed run are removed once per folder and process."""
    try:
        ensure_folder(root)
        path = _target(root, name)
        if path is None:
            return False
        if not path.parent.exists():
            path.parent.mkdir()
        folder = os.fspath(path.parent)
        if folder not in _cleaned:
            clean_stale_temps(path, every=True)
            _cleaned.add(folder)
        atomic_write_bytes(path, data, root=root, durable=False, clean=False)
    except (OSError, UserError):
        return False
    return True


def prune(root: Path, prefix: str, keep: int = KEEP_FILES) -> None:
    """Keep the ``keep`` newest entries (files or folders) of the cache folder whose names start
    with ``prefix``; remove the others (never following a link)."""
    import shutil

    try:
        folder = cache_folder(root)
        entries = [(e.stat(follow_symlinks=False).st_mtime, e) for e in os.scandir(folder) if e.name.startswith(prefix)]
    except (OSError, UserError):
        return
    for _, entry in sorted(entries, key=lambda t: t[0], reverse=True)[keep:]:
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            pass
