"""Errors raised while reading input files; the engine turns them into fatal findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from snspolicy.core.errors import UserError
from snspolicy.core.messages import gate as _gate_messages
from snspolicy.core.model import Span

_gate_messages.register()  # the messages of the codes raised by io (see core/messages/gate.py)


@dataclass
class LoadError(UserError):
    """A file could not be read as the kind of document it should be.

    ``code`` selects a message in :mod:`snspolicy.messages`; ``params`` fill it in.
    ``rule`` is ``yaml-syntax`` (unparsable YAML, duplicate key …) or
    ``file-encoding`` (binary, not UTF-8, too large, symlink outside the repo).
    """

    code: str
    span: Span = field(default_factory=Span)
    params: dict[str, Any] = field(default_factory=dict)
    rule: str = "yaml-syntax"
    path: str | None = None  # set by whoever knows the file (the boundary prefixes it)

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.code} at {self.span.line}:{self.span.column} {self.params}"
