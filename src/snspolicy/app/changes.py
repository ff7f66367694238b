"""The pull-request workflow: ``snspolicy lint --base REF [--policy-from REF]``.

This module turns the request into what the one pipeline (:func:`snspolicy.app.lint.lint`) needs:

* a :class:`~snspolicy.app.setup.Setup` whose config (and a policy kept inside the repo) come from
  ``--policy-from REF`` when given, so that a pull request cannot loosen the rules and add content
  that needs the looser rules in one go (a policy named by id is the package's bundled copy);
* a :class:`~snspolicy.app.lint.Selection`: which files to report on (the change and what it
  affects, see :mod:`snspolicy.app.scope`), which of their findings to keep, and the change itself
  as data (:class:`~snspolicy.io.changes.ChangeSet`: base contents fetched up front, policies of the
  base loaded) for the change rules in :mod:`snspolicy.rules.workflow`.

Git runs only through :class:`snspolicy.io.git.Git`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from snspolicy.app import setup as runner
from snspolicy.app.scope import Scope, affected_scopes, filter_findings
from snspolicy.core.model import Finding
from snspolicy.io.changes import ChangeSet, FileChange
from snspolicy.io.config import CONFIG_NAME
from snspolicy.io.git import Git, GitError, materialize
from snspolicy.io.repo import load_repo
from snspolicy.policy.model import PolicyError
from snspolicy.policy.model import load as policy_load

from snspolicy.app.request import LintOptions, LintRequest, LintRun, Selection
from snspolicy.app.setup import Setup

__all__ = ["collect_changes", "run", "setup_from_ref"]


def collect_changes(git: Git, base: str, root: Path, *, policy_from: str | None = None,
                    exclude: Callable[[str], bool] | None = None) -> ChangeSet:
    """The files changed between ``base`` (its merge base with HEAD) and the working tree."""
    commit = git.comparison_commit(base)
    files = git.name_status(commit)
    seen = {c.path for c in files}
    deleted = {c.path: i for i, c in enumerate(files) if c.status == "D"}
    for p in git.untracked():
        if p in deleted:  # removed from the index but still on disk: a modification
            files[deleted[p]] = FileChange("M", p, p)
        elif p not in seen:
            files.append(FileChange("A", p, None))
    files = [c for c in files if not (exclude and exclude(c.path) and (c.old_path is None or exclude(c.old_path)))]
    files.sort(key=lambda c: (c.path, c.status))
    changeset = ChangeSet(base, commit, files, root, policy_from)
    changeset.old = git.show_many(commit, [c.old_path for c in files if c.old_path])
    _policies_at_base(git, changeset)
    return changeset


def _policies_at_base(git: Git, changes: ChangeSet) -> None:
    """Folders of policies kept in the posts repo that the change touches, and each one's policy
    as it was at the base (for ``policy-version-bump``)."""
    root = Path(changes.root)
    candidates: dict[str, list[str]] = {}
    for p in sorted(changes.paths()):
        parts = PurePosixPath(p).parts
        candidates[p] = ["/".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
    mains = {f + "/policy.yaml" for folders in candidates.values() for f in folders} | {"policy.yaml"}
    changes.old.update({k: v for k, v in git.show_many(changes.commit, sorted(mains - set(changes.old))).items()})
    out: list[str] = []
    for p, folders in candidates.items():
        for folder in folders:
            if folder in out:
                break
            main = folder + "/policy.yaml"
            if (root / main).is_file() or changes.old_bytes(main) is not None:
                out.append(folder)
                break
        if p == "policy.yaml" and "" not in out:
            out.append("")
    changes.policy_folders = out
    for folder in out:
        main = f"{folder}/policy.yaml" if folder else "policy.yaml"
        if changes.old_bytes(main) is None:
            changes.base_policies[folder] = None
            continue
        with tempfile.TemporaryDirectory(prefix="snspolicy-base-") as tmp:
            materialize(git, changes.commit, folder or ".", Path(tmp))
            try:
                changes.base_policies[folder] = policy_load(str(Path(tmp) / main), None)
            except PolicyError:
                changes.base_policies[folder] = None


def setup_from_ref(root: Path, ref: str, policy_ref: str | None, git: Git, tmp: Path, lang: str = "ja") -> Setup:
    """A runner Setup whose config (snspolicy.yaml) and repo-local policy come from ``ref``.

    The repo's files (accounts, posts, the roster …) are still those of the working tree. The
    base's snspolicy.yaml (none = the defaults) is written to a temp folder and the policy it
    names is resolved there: a path inside the repository is taken from ``ref`` too, a policy id
    is the package's bundled copy, a path outside the repository is used as it is. Then
    :func:`runner.prepare` does the rest (overrides, plugins) exactly as without ``--policy-from``.
    """
    from snspolicy.core.resources import data_dir
    from snspolicy.io import config as config_mod

    commit = git.require_commit(ref)
    top = git.toplevel().resolve()
    prefix = git.prefix()
    tree = tmp / "tree"
    base_root = tree / prefix if prefix else tree
    base_root.mkdir(parents=True, exist_ok=True)
    cfg_bytes = git.show(commit, CONFIG_NAME)
    (base_root / CONFIG_NAME).write_bytes(cfg_bytes if cfg_bytes is not None else b"{}\n")
    cfg = config_mod.load(base_root)
    pref = policy_ref or cfg.policy
    p = Path(pref)
    target = p if p.is_absolute() else (root / p)
    try:
        rel_top = Path(os.path.normpath(target.resolve())).relative_to(top).as_posix()
    except (ValueError, OSError):
        rel_top = None  # outside the repository: a pull request cannot change it
    if rel_top is None:
        resolved = str(target)
    else:
        files = materialize(Git(top, lang, git.timeout), commit, rel_top, tree)
        bundled = data_dir("policy") / pref
        if files:
            resolved = str(tree / rel_top)
        elif not p.is_absolute() and (bundled.is_file() or (bundled / "policy.yaml").is_file()):
            resolved = str(bundled)
        else:
            raise GitError("git.policy_not_at_ref", {"policy": pref, "ref": ref})
    setup = runner.prepare([base_root], resolved)
    setup.root = root
    setup.only = None
    setup.config.path = root / CONFIG_NAME
    return setup


def run(request: LintRequest, lint: Callable[[Setup, Selection, LintOptions], LintRun]) -> LintRun:
    """``lint --base REF`` and/or ``--policy-from REF``: the setup and the selection, then the one
    pipeline ``lint`` (passed in by :func:`snspolicy.app.lint.run`, which owns it)."""
    lang = request.options.lang
    given = [Path(p) for p in request.paths] or [Path.cwd()]
    root = runner.find_root(given[0])
    git = Git(root, lang)
    git.toplevel()
    with tempfile.TemporaryDirectory(prefix="snspolicy-ref-") as tmpname:
        if request.policy_from:
            setup = setup_from_ref(root, request.policy_from, request.policy_ref, git, Path(tmpname), lang)
        else:
            setup = runner.prepare([root], request.policy_ref)
        changes: ChangeSet | None = None
        scopes: dict[str, Scope] | None = None
        read: set[str] | None = None
        restrict = _restriction(given, root)
        probe = load_repo(setup.root, setup.config) if request.base or restrict is not None else None
        if request.base and probe is not None:
            changes = collect_changes(git, request.base, root, policy_from=request.policy_from, exclude=probe._excluded)
            scopes = affected_scopes(changes, probe, setup.config, setup.policy.root)
            if scopes is not None:
                read = set(scopes) | {"."}  # "." keeps an internal error of a repo-wide rule
        if restrict is not None and probe is not None:
            keep = {d.path for d in probe.documents} | {e.path for e in probe.errors} | (set(scopes) if scopes else set())
            if changes is not None:
                keep |= changes.paths()
            selected = {p for p in keep if any(p == r or p.startswith(r.rstrip("/") + "/") for r in restrict)}
            read = selected if read is None else (read & selected)

        def keep_findings(findings: list[Finding]) -> list[Finding]:
            out = filter_findings(findings, scopes, setup.policy)
            if read is not None:
                out = [f for f in out if f.path in read or (f.fatal and f.path in (".", ""))]
            return out

        return lint(setup, Selection(read=read, keep=keep_findings, changes=changes), request.options)


def _restriction(given: list[Path], root: Path) -> list[str] | None:
    """Paths the user named (files or folders below the root), relative to the root; None = all."""
    out = []
    for p in given:
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
        if rel in ("", "."):
            return None
        out.append(rel)
    return out or None
