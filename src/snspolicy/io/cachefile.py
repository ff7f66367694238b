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
  cannot be read or parsed is a miss, and a failed write leaves the run's result unchanged.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from snspolicy.core.errors import UserError
from snspolicy.io.fsutil import atomic_write_bytes
from snspolicy.io.textfile import inside

__all__ = ["CACHE_DIR", "KEEP_FILES", "MAX_CACHE_BYTES", "cache_folder", "read_cache", "write_cache"]

CACHE_DIR = ".snspolicy_cache"
#: a cache file larger than this is not read (a miss), never a reason to read without limit
MAX_CACHE_BYTES = 512 * 1024 * 1024
#: cache files kept (one per combination of policy, settings, day and tool version), newest first
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
    if not stat.S_ISDIR(st.st_mode) or not inside(folder, root):
        raise UserError("cache_not_folder", {"path": CACHE_DIR}, path=CACHE_DIR)
    return folder


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


def read_cache(root: Path, name: str) -> bytes | None:
    """The bytes of cache file ``name``, or None (no such file, unreadable, too large)."""
    folder = cache_folder(root)
    path = folder / name
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_BYTES:
        return None
    _check_untracked(root)
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None


def write_cache(root: Path, name: str, data: bytes) -> bool:
    """Write cache file ``name`` atomically, keep the :data:`KEEP_FILES` newest; False when it
    could not be written (the run's result does not depend on it)."""
    folder = cache_folder(root)
    try:
        if not folder.exists():
            folder.mkdir()
            atomic_write_bytes(folder / ".gitignore", b"# snspolicy cache: safe to delete\n*\n", root=root)
            atomic_write_bytes(folder / "CACHEDIR.TAG", _TAG, root=root)
        atomic_write_bytes(folder / name, data, root=root)
        _prune(folder)
    except (OSError, UserError):
        return False
    return True


def _prune(folder: Path) -> None:
    files = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False):
            files.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    for _, path in sorted(files, reverse=True)[KEEP_FILES:]:
        try:
            os.unlink(path)
        except OSError:
            pass
