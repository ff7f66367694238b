"""One error type for everything the user did wrong, and the exit statuses of the command line.

A :class:`UserError` carries a message *code* of the catalogue (:mod:`snspolicy.core.messages`),
the *params* that fill the message in, and optionally where the problem is (``path`` and a
``span`` with line and column). It never carries a finished sentence: the language is chosen
where the error is shown. The command line's boundary (:mod:`snspolicy.cli`) is the one place
that turns it into text and exit status :data:`EXIT_USAGE`; ``lint`` alone renders a setup error
as a finding of its report, so that ``-f sarif`` and ``-f json`` stay machine-readable.

The errors of reading and loading are subclasses: :class:`snspolicy.io.errors.LoadError` (a
file that cannot be read as the document it should be), :class:`snspolicy.io.config.ConfigError`
(``snspolicy.yaml``), :class:`snspolicy.policy.model.PolicyError` (the policy) and the git
errors. They are dataclasses with the same attributes, so they set them without calling
:meth:`UserError.__init__`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from snspolicy.core.model import Span

__all__ = ["EXIT_FINDINGS", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "UserError"]

#: nothing at or above the fail-on severity was found
EXIT_OK = 0
#: findings at or above the fail-on severity (lint), a stale generated file (``--check``), a weak password
EXIT_FINDINGS = 1
#: the user's input, configuration, policy or command line is wrong; nothing was checked in full
EXIT_USAGE = 2
#: interrupted with Ctrl-C (128 + SIGINT, as shells report it)
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """Something the user can fix: a message code, its parameters and optionally a location.

    ``path`` is the file as the user knows it (repo-relative where there is a repo); ``span``
    its line and column (1-based). Neither is part of the message: the boundary prefixes
    ``path:line:column:`` the way compilers do, so that editors can jump to it.
    """

    # Annotations only, no class-level values: the dataclass subclasses declare these as fields,
    # and a value here would become their default.
    code: str
    params: dict[str, Any]
    path: str | None
    span: Span | None

    def __init__(self, code: str, params: Mapping[str, Any] | None = None, *,
                 path: str | os.PathLike[str] | None = None, span: Span | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})
        self.path = None if path is None else os.fspath(path)
        self.span = span

    def __str__(self) -> str:  # a debugging aid: users see the catalogue's text, never this
        where = f"{self.path}: " if getattr(self, "path", None) else ""
        return f"{where}{self.code} {getattr(self, 'params', {}) or ''}".rstrip()
