"""Git, the only place that runs it: ``git -C ROOT …`` without a shell, with a timeout; every
failure becomes a :class:`GitError` (a user error: exit status 2, with a message that says what to
do — e.g. how to fetch a base ref missing from a shallow CI clone)."""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from snspolicy.core.model import Span
from snspolicy.io.changes import MAX_BLOB, FileChange
from snspolicy.io.config import ConfigError

__all__ = ["GIT_TIMEOUT", "Git", "GitError", "fetch_hint", "materialize"]

GIT_TIMEOUT = 120  # seconds per git call

class GitError(ConfigError):
    """A git problem: a setup error (exit status 2) with a ``git.*`` message code of the catalogue.

    It is a :class:`~snspolicy.io.config.ConfigError`, so ``lint`` reports it like a broken
    ``snspolicy.yaml``: one finding in the requested output format, exit status 2.
    """

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(".", Span(), code, dict(params or {}), "git")

def fetch_hint(ref: str) -> str:
    """The command that makes ``ref`` available in a shallow clone."""
    if ref.startswith("origin/") and len(ref) > 7:
        branch = ref[7:]
        return f"git fetch --depth=50 origin +refs/heads/{branch}:refs/remotes/origin/{branch}"
    if any(c in ref for c in "~^@{:"):  # HEAD~5, main^, @{upstream}: relative to history, not a branch
        return "git fetch --deepen=50 origin"
    if ref.startswith("refs/") or len(ref) >= 7 and all(c in "0123456789abcdef" for c in ref.lower()):
        return f"git fetch --depth=50 origin {ref}"
    return f"git fetch --depth=50 origin +refs/heads/{ref}:refs/heads/{ref}"


class Git:
    """``git -C root …`` without a shell; bytes in and out; every failure a :class:`GitError`."""

    def __init__(self, root: Path, lang: str = "ja", timeout: float = GIT_TIMEOUT) -> None:
        self.root = Path(root)
        self.lang = lang
        self.timeout = timeout

    def run(self, *args: str, input: bytes | None = None, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        cmd = ["git", "-C", str(self.root), "-c", "core.quotepath=off", *args]
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
        try:
            cp = subprocess.run(cmd, input=input, capture_output=True, timeout=self.timeout, env=env, check=False)
        except FileNotFoundError:
            raise GitError("git.no_git") from None
        except subprocess.TimeoutExpired:
            raise GitError("git.timeout", {"command": args[0], "seconds": int(self.timeout)}) from None
        except OSError as exc:
            raise GitError("git.failed", {"command": args[0], "code": "-", "detail": exc.strerror or str(exc)}) from None
        if cp.returncode not in ok:
            detail = cp.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError("git.failed", {"command": args[0], "code": cp.returncode, "detail": (detail[-1] if detail else "")[:300]})
        return cp

    # -- repository ---------------------------------------------------------
    def is_ignored(self, rel: str) -> bool:
        """Whether git ignores ``rel`` (a path under root); outside a work tree nothing is ignored."""
        return self.run("check-ignore", "-q", "--", rel, ok=(0, 1, 128)).returncode == 0

    def toplevel(self) -> Path:
        cp = self.run("rev-parse", "--show-toplevel", ok=(0, 128))
        if cp.returncode != 0:
            raise GitError("git.not_repo", {"root": self.root})
        return Path(cp.stdout.decode("utf-8", "surrogateescape").strip())

    def prefix(self) -> str:
        """The posts root inside the git work tree: ``""`` or ``"sub/dir/"``."""
        cp = self.run("rev-parse", "--show-prefix", ok=(0, 128))
        if cp.returncode != 0:
            raise GitError("git.not_repo", {"root": self.root})
        return cp.stdout.decode("utf-8", "surrogateescape").strip()

    def commit(self, ref: str) -> str | None:
        """The commit id ``ref`` names, or None when git does not have it."""
        if not ref or ref.startswith("-") or "\0" in ref:
            return None
        cp = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", ok=(0, 1, 128))
        out = cp.stdout.decode("ascii", "replace").strip()
        return out if cp.returncode == 0 and out else None

    def require_commit(self, ref: str) -> str:
        self.toplevel()
        sha = self.commit(ref)
        if sha is None:
            raise GitError("git.missing_ref", {"ref": ref, "fetch": fetch_hint(ref)})
        return sha

    def is_shallow(self) -> bool:
        cp = self.run("rev-parse", "--is-shallow-repository", ok=(0, 128))
        return cp.stdout.strip() == b"true"

    def merge_base(self, a: str, b: str) -> str | None:
        cp = self.run("merge-base", a, b, ok=(0, 1, 128))
        out = cp.stdout.decode("ascii", "replace").strip()
        return out if cp.returncode == 0 and out else None

    def raw_parents(self, commit: str) -> list[str]:
        """Parent ids as written in the commit object (visible even beyond a shallow boundary)."""
        cp = self.run("cat-file", "commit", commit, ok=(0, 128))
        if cp.returncode != 0:
            return []
        parents = []
        for line in cp.stdout.split(b"\n"):
            if not line:
                break
            if line.startswith(b"parent "):
                parents.append(line[7:].decode("ascii", "replace").strip())
        return parents

    def comparison_commit(self, ref: str) -> str:
        """The commit to diff the working tree against: the merge base of REF and HEAD.

        Falls back to REF itself when HEAD is a merge commit on top of REF (GitHub's pull-request
        checkout in a shallow clone) or there is no HEAD yet; otherwise a shallow clone without
        enough history is an error rather than a diff full of false "removed" files.
        """
        base = self.require_commit(ref)
        head = self.commit("HEAD")
        if head is None or head == base:
            return base
        mb = self.merge_base(base, head)
        if mb:
            return mb
        if base in self.raw_parents(head):
            return base
        raise GitError("git.no_merge_base", {"ref": ref})

    # -- changes -------------------------------------------------------------
    def name_status(self, commit: str) -> list[FileChange]:
        """``git diff --name-status -z -M commit`` (working tree vs commit), paths relative to root."""
        cp = self.run("diff", "--name-status", "-z", "-M", "--relative", "--no-ext-diff", "--no-color", commit, "--")
        parts = cp.stdout.split(b"\0")
        out: list[FileChange] = []
        i = 0
        while i < len(parts):
            st = parts[i].decode("ascii", "replace").strip()
            if not st:
                i += 1
                continue
            code = st[0]
            if code in "RC":
                if i + 2 >= len(parts):
                    break
                old, new = _dec(parts[i + 1]), _dec(parts[i + 2])
                out.append(FileChange(code, new, old))
                i += 3
            else:
                if i + 1 >= len(parts):
                    break
                path = _dec(parts[i + 1])
                out.append(FileChange(code if code in "AMDT" else "M", path, None if code == "A" else path))
                i += 2
        return out

    def untracked(self) -> list[str]:
        cp = self.run("ls-files", "--others", "--exclude-standard", "-z")
        return [_dec(p) for p in cp.stdout.split(b"\0") if p]

    def show(self, commit: str, path: str) -> bytes | None:
        """Contents of ``path`` (relative to root) at ``commit``; None when it is not a file there."""
        spec = f"{commit}:./{path}" if not path.startswith("../") else f"{commit}:{path}"
        # ``git show REF:path`` without its porcelain: raw bytes, no textconv, and a folder is not a file
        cp = self.run("cat-file", "blob", spec, ok=(0, 128))
        return cp.stdout[: MAX_BLOB + 1] if cp.returncode == 0 else None

    def ls_tree(self, commit: str, path: str) -> list[tuple[str, str, str]]:
        """(mode, blob id, path relative to root) of every file under ``path`` at ``commit``."""
        cp = self.run("ls-tree", "-r", "-z", commit, "--", path or ".", ok=(0, 128))
        out = []
        for entry in cp.stdout.split(b"\0"):
            if not entry or b"\t" not in entry:
                continue
            meta, name = entry.split(b"\t", 1)
            bits = meta.decode("ascii", "replace").split()
            if len(bits) == 3 and bits[1] == "blob":
                out.append((bits[0], bits[2], _dec(name)))
        return out

    def blobs(self, ids: Iterable[str]) -> dict[str, bytes]:
        """Several blobs in one ``git cat-file --batch`` call."""
        ids = [i for i in dict.fromkeys(ids) if i]
        if not ids:
            return {}
        cp = self.run("cat-file", "--batch", input=("\n".join(ids) + "\n").encode("ascii"))
        data, pos, out = cp.stdout, 0, {}
        for want in ids:
            nl = data.find(b"\n", pos)
            if nl < 0:
                break
            header = data[pos:nl].decode("ascii", "replace").split()
            pos = nl + 1
            if len(header) < 3 or header[1] == "missing":
                continue
            size = int(header[2])
            out[want] = data[pos:pos + size]
            pos += size + 1
        return out

    def show_many(self, commit: str, paths: Iterable[str]) -> dict[str, bytes | None]:
        """Contents of several files at ``commit`` in one ``git cat-file --batch`` call (None: not a
        file there, or larger than the limit)."""
        want = [p for p in dict.fromkeys(paths) if p and "\n" not in p]
        if not want:
            return {}
        names = [f"{commit}:./{p}" if not p.startswith("../") else f"{commit}:{p}" for p in want]
        cp = self.run("cat-file", "--batch", input=("\n".join(names) + "\n").encode("utf-8", "surrogateescape"))
        data, pos = cp.stdout, 0
        out: dict[str, bytes | None] = {}
        for path in want:
            nl = data.find(b"\n", pos)
            if nl < 0:
                break
            header = data[pos:nl].decode("utf-8", "replace").split()
            pos = nl + 1
            if len(header) < 3 or header[-1] == "missing" or header[-2] == "missing":
                out[path] = None
                continue
            size = int(header[2])
            body = data[pos:pos + size]
            pos += size + 1
            out[path] = body if header[1] == "blob" and size <= MAX_BLOB else None
        return out


def _dec(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def materialize(git: Git, commit: str, path: str, dest: Path) -> list[Path]:
    """Write the files under ``path`` (relative to git's root folder) at ``commit`` below ``dest``.

    Only regular files are written (no symlinks, no submodules); a path that would leave ``dest``
    is skipped. Returns the files written.
    """
    written: list[Path] = []
    entries = [(m, sha, p) for m, sha, p in git.ls_tree(commit, path) if m in ("100644", "100755")]
    contents = git.blobs(sha for _, sha, _ in entries)
    dest = dest.resolve()
    for _, sha, rel in entries:
        data = contents.get(sha)
        if data is None or len(data) > MAX_BLOB:
            continue
        norm = posixpath.normpath(rel)
        if norm.startswith("../") or norm == ".." or posixpath.isabs(norm):
            norm = norm.lstrip("/")
            while norm.startswith("../"):
                norm = norm[3:]
            norm = "_up/" + norm
        target = (dest / norm).resolve()
        try:
            target.relative_to(dest)
        except ValueError:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written
