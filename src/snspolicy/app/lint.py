"""THE lint pipeline: every way of linting (whole repo, named paths, ``--base``, ``--policy-from``,
the language server, ``policy diff --impact``) goes through :func:`run` → :func:`lint`.

    request ──► prepare (config, policy) ──► select (which files, which findings, the base tree)
            ──► lint (read, run the engine, keep the selected findings) ──► LintRun

A new lint option is a field of :class:`LintOptions`; it reaches every mode because there is
only one :func:`lint`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from snspolicy.app.request import LintOptions, LintRequest, LintRun, Selection
from snspolicy.app.setup import Setup, check_paths, find_root, prepare
from snspolicy.core.errors import UserError
from snspolicy.engine.core import Engine, Result
from snspolicy.io import config as config_mod
from snspolicy.io.config import CONFIG_NAME, ConfigError
from snspolicy.io.errors import LoadError
from snspolicy.io.repo import Repo, load_repo
from snspolicy.io.textfile import read_text
from snspolicy.io.yamlloc import ParseMemo

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.engine.cache import ParseCache
from snspolicy.policy.model import RuleSpec

__all__ = ["LintOptions", "LintRequest", "LintRun", "Selection", "lint", "lint_setup", "prepare_with_config", "run"]


def lint(setup: Setup, selection: Selection, options: LintOptions) -> LintRun:
    """Read the repo, run the engine, keep the selected findings. The only place that does.

    Python's cyclic garbage collector is paused meanwhile (:func:`_load_repo`: a run makes many
    long-lived objects and hardly any reference cycles; each automatic collection walked them
    again, ~6 % of a second run at 10,000 posts); the engine's worker processes collect as usual."""
    parsed = None
    with _collector_paused():
        if selection.repo is not None:
            repo = selection.repo
        else:
            if options.cache:
                from snspolicy.engine.cache import ParseCache

                parsed = setup.parsed if isinstance(setup.parsed, ParseCache) else ParseCache(setup.root)
                parsed.whole = selection.read is None  # a whole-repo run forgets the texts it no longer has
            repo = _load_repo(setup, selection, parsed, options.jobs)
        engine = Engine(repo, setup.policy, lang=options.lang, today=options.today, select=options.select,
                        progress=options.progress, changes=selection.changes, jobs=options.jobs, cache=options.cache)
        try:
            result = engine.run()
        finally:
            repo.close()
    if parsed is not None:
        parsed.save()
    if selection.keep is not None:
        result.findings = selection.keep(result.findings)
    return LintRun(setup, repo, result)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off meanwhile (on again after, if it was on)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_repo(setup: Setup, selection: Selection, parsed: ParseCache | None, jobs: int = 1) -> Repo:
    """:func:`load_repo` with Python's cyclic garbage collector paused. Loading makes hundreds of
    thousands of long-lived objects and no reference cycles, and every automatic collection would
    walk all of them again (a quarter of a cached run at 30,000 posts). Afterwards they are moved
    out of the collector's sight (:func:`gc.freeze`), so later collections, and the forked
    workers' memory, leave them alone; they are still freed as usual when no longer used.

    A whole-repo run that may use several CPUs and has nothing in the cache yet has part of the
    posts parsed by a helper process meanwhile (:mod:`snspolicy.engine.preparse`)."""
    import gc

    memo: ParseMemo | None = parsed
    prefill = None
    if selection.read is None and (parsed is None or not parsed.has_entries()):
        from snspolicy.engine import preparse

        if preparse.usable(jobs):
            memo = prefill = preparse.Prefill(parsed)
    try:
        with _collector_paused():
            repo = load_repo(setup.root, setup.config, only=selection.read, parse_memo=memo,
                             listing=selection.read is None,  # a whole-repo run lists every file (secret scan)
                             posts_found=(lambda posts: prefill.start(posts, setup.root)) if prefill else None)
    finally:
        if prefill is not None:
            prefill.close()
    if prefill is not None:
        repo.parse_memo = parsed  # documents read later (a rule asking for more) use the cache alone
    gc.freeze()
    return repo


def run(request: LintRequest) -> LintRun:
    """From what the user asked to a finished run (raises the setup's user errors)."""
    if request.config is not None and (request.base or request.policy_from):
        raise UserError("lint.config_with_base")  # the change workflow reads the repo's (or REF's) own
    if request.base or request.policy_from:
        from snspolicy.app import changes as changes_mod  # git, temporary trees: only for these runs

        return changes_mod.run(request, lint)
    with _collector_paused():  # the settings and the policy: long-lived objects too
        if request.config is not None:
            setup = prepare_with_config(request.paths, request.config, request.policy_ref)
        else:
            setup = prepare(request.paths, request.policy_ref, cache=request.options.cache)
        return lint(setup, Selection(read=setup.only), request.options)


def prepare_with_config(paths: list[Path], config: Path, policy_ref: str | None = None) -> Setup:
    """:func:`prepare` with ``config`` (``--config PATH``) instead of the repo's ``snspolicy.yaml``.

    The file is named explicitly, so it may lie outside the repo; everything it names (``paths:``,
    ``roster:``, ``registry:``, a local policy) is relative to the repo root and must stay inside
    it, exactly as for the repo's own file. It is read defensively (a regular UTF-8 file of
    reasonable size); its errors name the file as given."""
    paths = [Path(p) for p in paths] or [Path.cwd()]
    check_paths(paths)
    root = find_root(paths[0])
    shown = os.fspath(config)
    try:
        cfg = config_mod.parse(root, read_text(Path(config)))
        cfg.path = Path(config)
        return prepare(paths, policy_ref, config=cfg)
    except LoadError as exc:
        raise ConfigError(shown, exc.span, exc.code, exc.params, exc.rule) from None
    except UserError as exc:
        if exc.path == CONFIG_NAME:  # the file that was read is not the repo's snspolicy.yaml
            exc.path = shown
        raise


def lint_setup(setup: Setup, *, lang: str = "ja", today: dt.date | None = None,
               select: Callable[[RuleSpec], bool] | None = None,
               progress: Callable[[int, int], None] | None = None) -> tuple[Repo, Result]:
    """:func:`lint` of a prepared setup with its own selection (the paths it was prepared for)."""
    done = lint(setup, Selection(read=setup.only), LintOptions(lang, today, select, progress))
    return done.repo, done.result
