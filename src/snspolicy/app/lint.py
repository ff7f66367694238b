"""THE lint pipeline: every way of linting (whole repo, named paths, ``--base``, ``--policy-from``,
the language server, ``policy diff --impact``) goes through :func:`run` → :func:`lint`.

    request ──► prepare (config, policy) ──► select (which files, which findings, the base tree)
            ──► lint (read, run the engine, keep the selected findings) ──► LintRun

A new lint option is a field of :class:`LintOptions`; it reaches every mode because there is
only one :func:`lint`.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from snspolicy.app import changes as changes_mod
from snspolicy.app.request import LintOptions, LintRequest, LintRun, Selection
from snspolicy.app.setup import Setup, prepare
from snspolicy.engine.core import Engine, Result
from snspolicy.io.repo import Repo, load_repo
from snspolicy.policy.model import RuleSpec

__all__ = ["LintOptions", "LintRequest", "LintRun", "Selection", "lint", "lint_setup", "run"]


def lint(setup: Setup, selection: Selection, options: LintOptions) -> LintRun:
    """Read the repo, run the engine, keep the selected findings. The only place that does."""
    repo = selection.repo if selection.repo is not None else load_repo(setup.root, setup.config, only=selection.read)
    engine = Engine(repo, setup.policy, lang=options.lang, today=options.today, select=options.select,
                    progress=options.progress, changes=selection.changes)
    result = engine.run()
    if selection.keep is not None:
        result.findings = selection.keep(result.findings)
    return LintRun(setup, repo, result)


def run(request: LintRequest) -> LintRun:
    """From what the user asked to a finished run (raises the setup's user errors)."""
    if request.base or request.policy_from:
        return changes_mod.run(request, lint)
    setup = prepare(request.paths, request.policy_ref)
    return lint(setup, Selection(read=setup.only), request.options)


def lint_setup(setup: Setup, *, lang: str = "ja", today: dt.date | None = None,
               select: Callable[[RuleSpec], bool] | None = None,
               progress: Callable[[int, int], None] | None = None) -> tuple[Repo, Result]:
    """:func:`lint` of a prepared setup with its own selection (the paths it was prepared for)."""
    done = lint(setup, Selection(read=setup.only), LintOptions(lang, today, select, progress))
    return done.repo, done.result
