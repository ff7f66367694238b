"""What a lint run is asked and what it gives back: the data types of the one pipeline
(:mod:`snspolicy.app.lint`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from snspolicy.app.setup import Setup
from snspolicy.core.model import Finding
from snspolicy.engine.core import Result
from snspolicy.io.changes import ChangeSet
from snspolicy.io.repo import Repo
from snspolicy.policy.model import RuleSpec

__all__ = ["LintOptions", "LintRequest", "LintRun", "Selection"]


@dataclass
class LintOptions:
    """How to lint (not what): the same in every mode."""

    lang: str = "ja"
    today: dt.date | None = None
    select: Callable[[RuleSpec], bool] | None = None
    progress: Callable[[int, int], None] | None = None
    jobs: int = 1  # worker processes for the per-document checks (snspolicy.engine.documents)
    cache: bool = False  # use the repo's .snspolicy_cache (snspolicy.engine.cache)


@dataclass
class LintRequest:
    """What the user asked for on the command line (or an editor, or a test)."""

    paths: list[Path] = field(default_factory=list)
    policy_ref: str | None = None  # --policy
    base: str | None = None  # --base REF: lint what changed since REF
    policy_from: str | None = None  # --policy-from REF: config and repo-local policy from REF
    options: LintOptions = field(default_factory=LintOptions)
    config: Path | None = None  # --config PATH: this file instead of the repo's snspolicy.yaml


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
    ``repo``: a repo view to lint instead of reading the disk (the language server's buffers).
    """

    read: set[str] | None = None
    keep: Callable[[list[Finding]], list[Finding]] | None = None
    changes: ChangeSet | None = None
    repo: Repo | None = None  # a prepared view of the repo (an editor's unsaved buffers); else read from disk
