"""Core data types shared by loaders, rules, the engine and reporters.

Reporters only ever see :class:`Finding` objects; rules only ever yield
:class:`Problem` objects. The engine turns one into the other (it looks up the
clause, severity and message template in the policy).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        return cls[str(value).upper()]

    def __str__(self) -> str:  # "error" | "warning" | "info"
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based line/column range in a file. Columns count Unicode code points."""

    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def normalized(self) -> "Span":
        end_line = self.end_line if self.end_line is not None else self.line
        end_column = self.end_column if self.end_column is not None else self.column
        if (end_line, end_column) < (self.line, self.column):
            end_line, end_column = self.line, self.column
        return Span(self.line, self.column, end_line, end_column)


@dataclass(frozen=True)
class Fix:
    """A suggested edit: replace the text of ``span`` in ``path`` by ``replacement``."""

    description: str
    replacement: str | None = None
    span: Span | None = None


@dataclass
class Problem:
    """What a rule yields. The engine fills in clause, severity and the message text.

    ``at`` is either a :class:`Span` or a YAML path (tuple of keys/indexes) inside
    the document, which the engine resolves to a span. ``args`` are substituted
    into the policy's message template; ``variant`` picks one of several message
    templates of the rule (``default`` when None). ``secret`` values in ``args``
    must already be masked by the rule (see :mod:`snspolicy.mask`).
    """

    at: Span | tuple = ()
    args: dict[str, Any] = field(default_factory=dict)
    variant: str | None = None
    severity: Severity | None = None  # a rule may lower/raise its own severity (e.g. allowed context)
    clause: str | None = None  # a rule may name another clause than its own (e.g. a lexicon entry's clause)
    path: str | None = None  # another file than the document being checked
    fix: Fix | None = None
    key: bool = False  # point at the key of ``at`` rather than its value
    fingerprint_extra: str = ""  # stable text identifying the problem (masked!)


@dataclass
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    clause: str
    severity: Severity
    message: str
    title: str = ""
    fix: Fix | None = None
    fingerprint: str = ""
    fatal: bool = False  # input could not be read (exit status 2)
    waived: bool = False
    waiver_reason: str | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)

    def compute_fingerprint(self, extra: str = "") -> str:
        """A fingerprint that survives moving the finding to another line."""
        h = hashlib.sha256()
        for part in (self.path, self.rule, self.clause, extra or self.message):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "clause": self.clause,
            "severity": str(self.severity),
            "message": self.message,
            "title": self.title,
            "fingerprint": self.fingerprint,
        }
        if self.fix is not None:
            d["fix"] = {"description": self.fix.description}
            if self.fix.replacement is not None:
                d["fix"]["replacement"] = self.fix.replacement
        if self.fatal:
            d["fatal"] = True
        return d


@dataclass(frozen=True)
class RuleInfo:
    """Rule metadata as reporters see it (taken from the policy, never from rule code)."""

    id: str
    clause: str
    severity: Severity
    title: str  # in the output language
    description: str = ""  # what is checked and why
    help: str = ""  # what to do; may include a bad and a good example
    help_uri: str | None = None


@dataclass
class ReportContext:
    """Everything a reporter may know besides the findings."""

    tool_name: str = "snspolicy"
    tool_version: str = "0"
    lang: str = "ja"
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    root: str = "."  # repository root the paths are relative to
    fail_on: Severity = Severity.ERROR
    files_checked: int = 0
    policy_id: str = ""
    #: clause id -> its short heading in ``lang`` (the policy's ``clauses.<id>.heading``, else its
    #: title): reports group findings under these; empty: reports show clause numbers only
    clauses: dict[str, str] = field(default_factory=dict)
    #: optional, rule-agnostic view of the checked documents for reporters that show them
    #: (the HTML review page): repo-relative path -> {"kind", "meta", "body", "body_line", …};
    #: see :func:`snspolicy.reporters.documents.review_documents`. Empty: reporters list findings only.
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
