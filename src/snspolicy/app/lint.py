"""THE lint pipeline: every way of linting (whole repo, named paths, ``--base``, ``--policy-from``,
the language server, ``policy diff --impact``) goes through :func:`run` → :func:`lint`.

    request ──► prepare (config, policy) ──► select (which files, which findings, the base tree)
            ──► lint (read, run the engine, keep the selected findings) ──► LintRun

A new lint option is a field of :class:`LintOptions`; it reaches every mode because there is
only one :func:`lint`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from snspolicy.app.setup import Setup, prepare
from snspolicy.core.model import Finding
from snspolicy.engine.core import Engine, Result
from snspolicy.io.changes import ChangeSet
from snspolicy.io.repo import Repo, load_repo
from snspolicy.policy.model import RuleSpec


@dataclass
class LintOptions:
    """How to lint (not what): the same in every mode."""

    lang: str = "ja"
    today: dt.date | None = None
    select: Callable[[RuleSpec], bool] | None = None
    progress: Callable[[int, int], None] | None = None


@dataclass
class LintRequest:
    """What the user asked for on the command line (or an editor, or a test)."""

    paths: list[Path] = field(default_factory=list)
    policy_ref: str | None = None  # --policy
    base: str | None = None  # --base REF: lint what changed since REF
    policy_from: str | None = None  # --policy-from REF: config and repo-local policy from REF
    options: LintOptions = field(default_factory=LintOptions)


@dataclass
class LintRun:
    setup: Setup
    repo: Repo
    result: Result


@dataclass
class Selection:
    """Which files to read and report on, which of their findings to keep, and the change.

    ``read``: repo-relative paths whose findings are reported (None = the whole repo); other
    posts are read only when a rule asks for all posts. ``keep``: a last filter over findings
    (change-based runs keep, for an affected file, only the rules that depend on the change).
    ``changes``: the base tree as data for the change rules (None without ``--base``).
    """

    read: set[str] | None = None
    keep: Callable[[list[Finding]], list[Finding]] | None = None
    changes: ChangeSet | None = None


def lint(setup: Setup, selection: Selection, options: LintOptions) -> LintRun:
    """Read the repo, run the engine, keep the selected findings. The only place that does."""
    repo = load_repo(setup.root, setup.config, only=selection.read)
    engine = Engine(repo, setup.policy, lang=options.lang, today=options.today, select=options.select,
                    progress=options.progress, changes=selection.changes)
    result = engine.run()
    if selection.keep is not None:
        result.findings = selection.keep(result.findings)
    return LintRun(setup, repo, result)


def run(request: LintRequest) -> LintRun:
    """From what the user asked to a finished run (raises the setup's user errors)."""
    if request.base or request.policy_from:
        from snspolicy.app import changes as changes_mod

        return changes_mod.run(request, lint)
    setup = prepare(request.paths, request.policy_ref)
    return lint(setup, Selection(read=setup.only), request.options)


def lint_setup(setup: Setup, *, lang: str = "ja", today: dt.date | None = None,
               select: Callable[[RuleSpec], bool] | None = None,
               progress: Callable[[int, int], None] | None = None) -> tuple[Repo, Result]:
    """:func:`lint` of a prepared setup with its own selection (the paths it was prepared for)."""
    done = lint(setup, Selection(read=setup.only), LintOptions(lang, today, select, progress))
    return done.repo, done.result
