"""A change as data: which files changed between a base commit and the working tree, and what
they were at the base. Built by the application (:mod:`snspolicy.app.changes`, which runs git);
read by the change rules (``post-removed``, ``account-change-review`` …) and by the scoping of a
pull-request run. Nothing here runs git: the base contents are fetched up front."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.io.documents import Document, split_front_matter
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import decode_text
from snspolicy.io.yamlloc import load_yaml

__all__ = ["MAX_BLOB", "ChangeSet", "FileChange", "changed_lines"]

MAX_BLOB = 20 * 1024 * 1024  # a policy or posts-repo text file larger than this is not read


@dataclass(frozen=True)
class FileChange:
    """One changed file. ``status``: A added, M modified, D deleted, R renamed, C copied, T type change.

    ``path`` is the path now (for D the removed path), ``old_path`` the path at the base (None for A);
    both relative to the posts repo root, with forward slashes.
    """

    status: str
    path: str
    old_path: str | None

    @property
    def exists(self) -> bool:
        return self.status != "D"


@dataclass
class ChangeSet:
    """What changed between the base and the working tree.

    ``old``: the base contents of every path the change touches (and of the policy files the
    application looked up), None where the path was not a file at the base. ``policy_folders``:
    folders of policies kept inside the posts repo that the change touches; ``base_policies``: each
    such folder's policy as it was at the base (None when it did not exist or could not be read).
    """

    base: str  # the ref as the user gave it
    commit: str  # the commit compared with (merge base of base and HEAD)
    files: list[FileChange]
    root: Path
    policy_from: str | None = None
    old: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    policy_folders: list[str] = field(default_factory=list)
    # folder -> snspolicy.policy.model.Policy at the base, or None (typed loosely: io sits below policy)
    base_policies: dict[str, Any] = field(default_factory=dict, repr=False)
    _old_docs: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def paths(self) -> set[str]:
        out = set()
        for c in self.files:
            out.add(c.path)
            if c.old_path:
                out.add(c.old_path)
        return out

    def get(self, path: str) -> FileChange | None:
        for c in self.files:
            if c.path == path:
                return c
        return None

    def old_bytes(self, path: str) -> bytes | None:
        return self.old.get(path)

    def old_text(self, path: str) -> str | None:
        data = self.old_bytes(path)
        if data is None or len(data) > MAX_BLOB:
            return None
        try:
            return decode_text(data)
        except LoadError:
            return None

    def old_document(self, kind: str, path: str) -> Document | None:
        """The file as it was at the base, parsed like the loader does; None when absent/unreadable."""
        key = (kind, path)
        if key not in self._old_docs:
            self._old_docs[key] = _parse(kind, path, self.root / path, self.old_text(path))
        return self._old_docs[key]  # type: ignore[no-any-return]

    def changed_lines(self, path: str, new_text: str | None) -> set[int] | None:
        """Line numbers (1-based) of ``path`` now that the change added or modified; None = all."""
        c = self.get(path)
        if c is None:
            return set()
        if c.old_path is None or new_text is None:
            return None
        old = self.old_text(c.old_path)
        if old is None:
            return None
        return changed_lines(old, new_text)


def _parse(kind: str, rel: str, abs_path: Path, text: str | None) -> Document | None:
    if text is None:
        return None
    try:
        if kind == "post":
            parts = split_front_matter(text)
            if parts is None:
                return None
            front, line_offset, body, body_offset = parts
            located = load_yaml(front, line_offset=line_offset)
            if located.data is None:
                located.data = {}
            return Document(kind, rel, abs_path, text, located, body, body_offset)
        return Document(kind, rel, abs_path, text, load_yaml(text))
    except (LoadError, ValueError, RecursionError):
        return None


def changed_lines(old: str, new: str) -> set[int]:
    """Lines of ``new`` (1-based) inserted or replaced relative to ``old``; a pure deletion marks
    the line that now stands where the deleted lines were (joined sentences are re-checked)."""
    a, b = old.splitlines(), new.splitlines()
    out: set[int] = set()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "insert"):
            out.update(range(j1 + 1, j2 + 1))
        elif tag == "delete":
            for j in (j1, j1 + 1):
                if 1 <= j <= len(b):
                    out.add(j)
    return out
