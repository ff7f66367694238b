"""Run the rules of a policy over a loaded repo and turn problems into findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import messages, schemacheck
from .context import Context
from .loader.documents import Document
from .model import Finding, Problem, Severity, Span
from .policy import Policy, RuleSpec
from .repo import Repo
from .rules import ENGINE_RULES, load_builtin_rules

SCHEMA_KINDS = {"account": "account", "post": "post", "press": "press", "incident": "incident"}
# schema problems about a value that is there but malformed (not a missing or unknown field)
VALUE_CODES = {"schema_type", "schema_enum", "schema_format", "schema_pattern", "schema_minLength", "schema_maxLength",
               "schema_minimum", "schema_maximum", "schema_employee_id", "schema_number_not_string",
               "schema_bool_not_string", "schema_date", "schema_datetime", "schema_no_spaces", "schema_id_chars",
               "schema_url"}


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    @property
    def fatal(self) -> bool:
        return any(f.fatal for f in self.findings)

    def visible(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def exit_code(self, fail_on: Severity) -> int:
        if self.fatal:
            return 2
        return 1 if any(f.severity >= fail_on for f in self.visible()) else 0


class Engine:
    def __init__(
        self,
        repo: Repo,
        policy: Policy,
        *,
        lang: str = "ja",
        today: dt.date | None = None,
        select: Callable[[RuleSpec], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.repo = repo
        self.policy = policy
        self.lang = lang
        self.today = today or dt.date.today()
        self.select = select
        self.progress = progress
        self.ctx = Context(repo=repo, policy=policy, today=self.today, lang=lang)
        self._bad_values: set[tuple[str, int, int]] = set()  # (path, line, column) of values the schema rejected

    # -- building findings -------------------------------------------------
    def _spec(self, rule_id: str) -> RuleSpec | None:
        return self.policy.rules.get(rule_id)

    def finding(self, spec_id: str, path: str, span: Span, message: str, *, severity: Severity | None = None,
                clause: str | None = None, fatal: bool = False, extra: str = "", fix=None) -> Finding:
        spec = self._spec(spec_id)
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

    # -- phases -------------------------------------------------------------
    def load_errors(self) -> Iterable[Finding]:
        for fe in self.repo.selected_errors():
            e = fe.error
            yield self.finding(e.rule, fe.path, e.span, messages.message(e.code, self.lang, **e.params), fatal=True,
                               severity=Severity.ERROR, extra=e.code)

    def schema_findings(self, doc: Document) -> Iterable[Finding]:
        kind = SCHEMA_KINDS.get(doc.kind)
        if not kind:
            return
        for sp in schemacheck.check(kind, doc.data):
            msg = messages.message(sp.code, self.lang, **sp.params)
            where = ".".join(str(x) for x in sp.path)
            if where and not sp.code.startswith(("schema_unknown_key", "schema_key_spaces")):
                msg = f"{where}: {msg}"
            f = self.finding("schema", doc.path, doc.span(sp.path, key=sp.key), msg, clause=sp.clause or "-",
                             extra=f"{where}|{sp.code}")
            if sp.code in VALUE_CODES:
                self._bad_values.add((f.path, f.line, f.column))
            yield f

    def run(self) -> Result:
        registry = load_builtin_rules()
        from . import plugins

        plugins.load_plugins()
        selected = self.repo.selected_documents()
        result = Result(files_checked=len(selected) + len(self.repo.selected_errors()))
        findings = list(self.load_errors())
        invalid: set[str] = set()
        bad_values: set[tuple[str, int, int]] = set()
        if self._enabled("schema"):
            for doc in selected:
                fs = list(self.schema_findings(doc))
                if fs:
                    invalid.add(doc.path)
                findings.extend(fs)
            bad_values = self._bad_values
        broken = self._broken_ids()
        specs = [s for s in self.policy.rules.values() if self._enabled(s.id) and s.id not in ENGINE_RULES]
        total = len(specs)
        for n, spec in enumerate(specs, 1):
            impl = registry.get(spec.id)
            if impl is None:
                continue
            self.ctx.rule = spec
            if "repo" in impl.kinds:
                targets: list[Document | None] = [None]
            else:
                targets = [d for d in selected if d.kind in impl.kinds]
            for doc in targets:
                try:
                    for p in impl.func(doc, self.ctx) or ():
                        if self._caused_by_broken_file(p, broken):
                            continue
                        f = self.from_problem(spec, doc, p)
                        if (f.path, f.line, f.column) in bad_values:
                            continue  # judged a value the schema already rejected: one finding is enough
                        findings.append(f)
                except Exception as exc:  # a rule must never crash the run
                    if doc is not None and doc.path in invalid:
                        continue  # the schema finding already explains the bad input
                    findings.append(self.finding("internal-error", doc.path if doc else ".", Span(),
                                                 messages.message("internal_error", self.lang, rule=spec.id, error=type(exc).__name__),
                                                 severity=Severity.ERROR, fatal=True, extra=spec.id))
            if self.progress:
                self.progress(n, total)
        self.ctx.rule = None
        from . import waivers

        findings = waivers.apply(self, findings)
        if self.repo.only is not None:
            # a crash or unreadable input is never hidden by the file filter
            findings = [f for f in findings if f.path in self.repo.only or f.rule == "internal-error"]
        findings.sort(key=Finding.sort_key)
        result.findings = findings
        return result

    def _broken_ids(self) -> dict[str, dict[str, str]]:
        """Ids (file name stems) of account and press files that could not be read: kind -> id -> path."""
        dirs = {"account": self.repo.config.paths.get("accounts", "accounts"),
                "press": self.repo.config.paths.get("press", "press")}
        out: dict[str, dict[str, str]] = {"account": {}, "press": {}}
        for fe in self.repo.load_errors:  # accounts and press files are always read up front
            parent, _, name = fe.path.rpartition("/")
            for kind, folder in dirs.items():
                if parent == str(folder).strip("/") and name.endswith((".yaml", ".yml")):
                    out[kind][name.rsplit(".", 1)[0]] = fe.path
        return out

    @staticmethod
    def _caused_by_broken_file(p: Problem, broken: dict[str, dict[str, str]]) -> bool:
        """A finding that an account or press release "does not exist" when its file exists but
        could not be read repeats the load error in every post that names it: leave it out."""
        args = p.args or {}
        for kind, key in (("account", "account"), ("press", "press")):
            value = args.get(key)
            if isinstance(value, str) and value in broken[kind]:
                return True
        return False

    def _enabled(self, rule_id: str) -> bool:
        spec = self._spec(rule_id)
        if spec is None:
            return rule_id in ("yaml-syntax", "file-encoding", "schema")
        if not spec.enabled:
            return False
        return self.select(spec) if self.select else True
