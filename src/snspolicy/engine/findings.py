"""The findings factory: a rule's :class:`Problem` (or the engine's own observation) becomes a
:class:`Finding` with the clause, severity, title and message the policy gives its rule."""

from __future__ import annotations

from snspolicy.core import messages
from snspolicy.core.model import Finding, Fix, Problem, Severity, Span
from snspolicy.io.documents import Document
from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["FindingFactory"]


class FindingFactory:
    def __init__(self, policy: Policy, lang: str) -> None:
        self.policy = policy
        self.lang = lang

    def finding(self, spec_id: str, path: str, span: Span, message: str, *, severity: Severity | None = None,
                clause: str | None = None, fatal: bool = False, extra: str = "", fix: Fix | None = None) -> Finding:
        spec = self.policy.rules.get(spec_id)
        span = span.normalized()
        f = Finding(
            path=path,
            line=span.line,
            column=span.column,
            end_line=span.end_line or span.line,
            end_column=span.end_column or span.column,
            rule=spec_id,
            clause=clause or (spec.clause if spec else "-"),
            severity=severity or (spec.severity if spec else Severity.ERROR),
            message=message,
            title=spec.title_in(self.lang) if spec else spec_id,
            fatal=fatal,
            fix=fix,
        )
        f.fingerprint = f.compute_fingerprint(extra)
        return f

    def from_problem(self, spec: RuleSpec, doc: Document | None, p: Problem) -> Finding:
        path = p.path or (doc.path if doc else ".")
        if isinstance(p.at, Span):
            span = p.at
        elif doc is not None and p.path in (None, doc.path):
            span = doc.span(tuple(p.at), key=p.key)
        else:
            span = Span()
        text = messages.format_template(spec.message(p.variant, self.lang), p.args, self.lang)
        extra = p.fingerprint_extra or (".".join(map(str, p.at)) if isinstance(p.at, tuple) else "") + "|" + (p.variant or "")
        return self.finding(spec.id, path, span, text, severity=p.severity, clause=p.clause, extra=extra, fix=p.fix)

    def from_template(self, rule_id: str, path: str, span: Span, variant: str | None, args: dict[str, object], *,
                      clause: str | None = None, severity: Severity | None = None, extra: str = "") -> Finding:
        """A finding of a rule the engine implements itself, worded by the policy's template."""
        spec = self.policy.rules[rule_id]
        text = messages.format_template(spec.message(variant, self.lang), args, self.lang)
        return self.finding(rule_id, path, span, text, clause=clause or spec.clause, severity=severity, extra=extra)
