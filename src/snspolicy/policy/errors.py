"""The error of a broken policy (exit status 2), shared by the policy layer's modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from snspolicy.core.errors import UserError
from snspolicy.core.model import Span

__all__ = ["PolicyError"]


@dataclass
class PolicyError(UserError):
    """The policy itself is broken: exit status 2."""

    path: str
    span: Span
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    rule: str = "schema"  # the rule id of the finding that reports it (plugins: internal-error)
