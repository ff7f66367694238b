"""Shared helpers of the hostile-input suite (issue 12).

Every test works in a *box*: ``tmp/box/repo`` is the posts repo under attack and
``tmp/box/outside`` holds files a hostile input points at (an HR export, a "secret", a folder
to be written into). :meth:`Box.snapshot` records everything in the box except the repo (type,
mode, size, content hash, link target); each test asserts the snapshot is unchanged after the
run, i.e. that nothing outside the repo was read into the output, created, changed or deleted.

:func:`lint` runs the real CLI (``python -m snspolicy``) in a subprocess; :func:`located` finds
the report line of a ``path:line:col`` location.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import MINIMAL_ACCOUNT, MINIMAL_POST, ROOT, TODAY, write

__all__ = ["Box", "MINIMAL_ACCOUNT", "MINIMAL_POST", "ROOT", "SECRET_HEADER", "cli", "located", "make_box", "no_traceback", "write"]

SECRET_HEADER = "SECRET-HEADER-職員番号,給与,口座"


@dataclass
class Box:
    root: Path  # tmp/box
    repo: Path  # tmp/box/repo
    outside: Path  # tmp/box/outside

    def snapshot(self) -> dict[str, tuple]:
        """Everything in the box but the repo: path -> (type, mode, size, sha256 or link target)."""
        out: dict[str, tuple] = {}
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            here = Path(dirpath)
            if here == self.repo or self.repo in here.parents:
                dirnames[:] = []
                continue
            dirnames[:] = [d for d in dirnames if (here / d) != self.repo]
            for name in dirnames + filenames:
                p = here / name
                st = os.lstat(p)
                rel = p.relative_to(self.root).as_posix()
                if stat.S_ISLNK(st.st_mode):
                    out[rel] = ("link", os.readlink(p))
                elif stat.S_ISREG(st.st_mode):
                    out[rel] = ("file", stat.S_IMODE(st.st_mode), st.st_size, hashlib.sha256(p.read_bytes()).hexdigest())
                elif stat.S_ISDIR(st.st_mode):
                    out[rel] = ("dir", stat.S_IMODE(st.st_mode))
                else:
                    out[rel] = ("other", stat.S_IFMT(st.st_mode))
        return out


def make_box(tmp_path: Path) -> Box:
    """A box with a valid mini posts repo and an outside folder holding tempting files."""
    root = tmp_path / "box"
    repo = root / "repo"
    outside = root / "outside"
    write(repo, "snspolicy.yaml", "policy: ube/2025-04-01\nfail_on: error\n")
    write(repo, "accounts/test-x.yaml", MINIMAL_ACCOUNT)
    write(repo, "posts/test-x/test-post.md", MINIMAL_POST)
    write(outside, "hr.csv", SECRET_HEADER + "\n100001,999999,1234567\n")
    write(outside, "accounts/evil.yaml", MINIMAL_ACCOUNT.replace("id: test-x", "id: evil"))
    write(outside, "posts/evil.md", MINIMAL_POST.replace("test-post", "evil"))
    write(outside, "policy/policy.yaml", "not: a policy\n")
    return Box(root, repo, outside)


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 180,
        pre: str = "") -> subprocess.CompletedProcess:
    """Run ``python -m snspolicy ARGS`` (with ``pre``: Python code run first in the same process,
    e.g. a ``sys.meta_path`` blocker)."""
    full_env = {**os.environ, "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("SNSPOLICY_LANG", None)
    src = str(ROOT / "src")
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (src, full_env.get("PYTHONPATH", "")) if p)
    if pre:
        code = pre + "\nimport runpy, sys\nsys.argv = ['snspolicy', *sys.argv[1:]]\nrunpy.run_module('snspolicy', run_name='__main__')\n"
        argv = [sys.executable, "-c", code, *args]
    else:
        argv = [sys.executable, "-m", "snspolicy", *args]
    return subprocess.run(argv, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)


def located(output: str, path: str, line: int | None = None, col: int | None = None) -> str:
    """The first output line starting with ``path:line:col:`` (any line/col when None); fails if none."""
    pat = re.escape(path) + ":" + (str(line) if line is not None else r"\d+") + ":" + (str(col) if col is not None else r"\d+") + ":"
    for ln in output.splitlines():
        if re.match(pat, ln):
            return ln
    raise AssertionError(f"no line at {path}:{line}:{col} in:\n{output}")


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
