"""Safe file writing: every file snspolicy writes is written atomically, inside the repo, and
never in place of an input.

* :func:`atomic_write_bytes` writes a temporary file in the same folder, fsyncs it (not the cache's
  files, which may be lost) and renames it over the target, keeping the target's permission bits. A target that is not a regular file
  (a named pipe, ``/dev/stdout``, a device, or a symbolic link to one) is written *through*
  instead, since replacing it would turn it into a regular file; a symbolic link to a regular
  file is kept and its target rewritten. With ``root``, a target whose real path (links
  followed) leaves ``root`` is refused (``write_outside``). Temporary files left behind by a
  killed run (``.NAME.*.tmp`` older than :data:`STALE_TEMP_SECONDS`) are removed on the next
  write to the same name (in the cache's folders, on the first write of a run to the folder).
* :func:`check_output_path` refuses an output (``lint -o``) that is one of the inputs
  (``snspolicy.yaml``, a post, an account, the roster …) or would become one.
* :func:`file_lock` serialises edits of one file between processes (an ``fcntl`` lock on a lock
  file beside it), used by :func:`snspolicy.io.editing.edit_file`.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from snspolicy.core.errors import UserError
from snspolicy.io.textfile import inside

__all__ = ["STALE_TEMP_SECONDS", "atomic_write_bytes", "atomic_write_text", "check_output_path", "clean_stale_temps",
           "ensure_inside", "file_lock", "input_patterns", "is_regular_target"]

#: a temporary file of ours older than this is left over from a killed run
STALE_TEMP_SECONDS = 3600.0
#: how long an edit waits for another process editing the same file
LOCK_TIMEOUT = 10.0


def display_path(path: Path, root: Path | None) -> str:
    """``path`` as the user should see it: relative to ``root`` when inside it, else as given."""
    if root is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
    return os.fspath(path)


def is_regular_target(path: Path) -> bool:
    """True when ``path`` is absent or (after following links) a regular file: one we may replace."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True


def clean_stale_temps(path: Path, *, older_than: float = STALE_TEMP_SECONDS, every: bool = False) -> int:
    """Remove our leftover temporary files for ``path`` (``.NAME.*.tmp``), or with ``every`` those of
    every file of its folder (``.*.*.tmp``: a folder only we write in, the cache's); returns how many."""
    removed = 0
    prefix = "." if every else f".{path.name}."
    shortest = len(prefix) + len(".tmp") + (2 if every else 0)  # (the name's * may be empty)
    now = time.time()
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp") and len(name) >= shortest):
            continue
        if every and "." not in name[1:-len(".tmp")]:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime >= older_than:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def ensure_inside(path: Path, root: Path) -> None:
    """Raise UserError ``write_outside`` unless ``path`` (links of every folder on the way
    followed, even of folders that do not exist yet) stays inside ``root``. Writers that create
    several files check every target first, then write; nothing (not even a folder) is created
    outside."""
    if not inside(path, root):
        shown = display_path(path, root)
        raise UserError("write_outside", {"path": shown}, path=shown)


def atomic_write_bytes(path: Path, data: bytes, *, root: Path | None = None, durable: bool = True,
                       clean: bool = True) -> None:
    """Write ``data`` to ``path`` (see the module docstring), creating its folder when missing.
    Raises OSError, or UserError ``write_outside`` when ``root`` is given and the target leaves it
    (checked before any folder is created). ``durable=False``: not flushed to the disk before the
    rename (a file that may be lost or cut by a power failure: the cache's, which reads a damaged
    file as a miss); ``clean=False``: the caller removes leftover temporary files itself."""
    path = Path(path)
    if root is not None:
        ensure_inside(path, root)
    if not is_regular_target(path):  # a FIFO, a device, /dev/stdout: write through, never replace
        with open(path, "wb") as fh:
            fh.write(data)
        return
    if path.is_symlink():  # keep the link: rewrite what it points to
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if clean:
        clean_stale_temps(path)
    fd, tmp = _new_temp(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:  # mkstemp makes 0600; a new file gets the usual mode for the user's umask
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


#: how a temporary file is created: new (never an existing file or a link), readable by its owner alone
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


def _new_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` (``.NAME.<random>.tmp``, mode 0600), open: what
    ``tempfile.mkstemp`` makes, without importing ``tempfile`` (and ``shutil``, ``random``)."""
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", os.fspath(path.parent))


def atomic_write_text(path: Path, text: str, *, root: Path | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), root=root)


def check_output_path(path: Path | str, repo_root: Path | None, inputs: Iterable[Path | str] = (),
                      patterns: Iterable[str] = ()) -> None:
    """Refuse (UserError ``output_is_input``, exit status 2) an output file that is an input.

    ``inputs``: the files the run read (the same file by any name, hard or symbolic link, is
    refused). ``patterns``: repo-relative glob patterns of files that *are* inputs whenever they
    exist (``snspolicy.yaml``, ``posts/**/*.md`` …; see :func:`input_patterns`), so that ``-o
    posts/report.md`` cannot create a post either. A FIFO or device (``/dev/stdout``) is always
    fine: it is written through.
    """
    path = Path(path)
    if not is_regular_target(path):
        return
    shown = os.fspath(path)
    for item in inputs:
        try:
            if os.path.exists(path) and os.path.samefile(path, item):
                raise UserError("output_is_input", {"path": shown}, path=shown)
        except OSError:
            continue
    if repo_root is None:
        return
    try:
        rel = Path(os.path.realpath(path)).relative_to(os.path.realpath(repo_root)).as_posix()
    except ValueError:
        return  # outside the repo: not an input
    for pat in patterns:
        if fnmatch.fnmatchcase(rel, pat) or ("/**/" in pat and fnmatch.fnmatchcase(rel, pat.replace("/**/", "/"))):
            raise UserError("output_is_input", {"path": shown}, path=shown)


def input_patterns(paths: dict[str, str], extra: Iterable[str] = ()) -> list[str]:
    """The repo-relative patterns of input files for a config's ``paths`` (see :func:`check_output_path`)."""
    out = ["snspolicy.yaml"]
    for key, globs in (("accounts", ("*.yaml", "*.yml")), ("posts", ("**/*.md",)), ("press", ("*.yaml", "*.yml")),
                       ("incidents", ("*.yaml", "*.yml"))):
        folder = str(paths.get(key, key)).strip("/")
        out.extend(f"{folder}/{g}" for g in globs)
    out.extend(str(e) for e in extra if e)
    return out


@contextlib.contextmanager
def file_lock(path: Path, *, timeout: float = LOCK_TIMEOUT, root: Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock for editing ``path`` (``.NAME.lock`` beside it, removed afterwards).

    Waits up to ``timeout`` seconds for another process, then raises UserError ``write_locked``.
    The lock file is unlinked while the lock is held; a waiter that then gets the lock on the
    unlinked file notices (the name points to another inode or none) and tries again, so two
    processes never both believe they hold it. Without ``fcntl`` (Windows) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    lock_path = path.parent / f".{path.name}.lock"
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise
                    if time.monotonic() >= deadline:
                        shown = display_path(path, root)
                        raise UserError("write_locked", {"path": shown}, path=shown) from None
                    time.sleep(0.05)
            try:
                same = os.fstat(fd).st_ino == os.stat(lock_path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the holder removed it as we waited: lock the new one
                os.close(fd)
                fd = -1
                continue
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(lock_path)
            return
        finally:
            if fd >= 0:
                os.close(fd)
