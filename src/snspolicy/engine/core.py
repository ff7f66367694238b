"""Run the rules of a policy over a loaded repo and turn problems into findings.

Fail closed. Whatever a rule (built in or from a plugin) does, the run ends in a report:

* an exception in a rule, and also ``SystemExit`` (``sys.exit(0)`` would otherwise end the run
  green with no report) and any other ``BaseException``, becomes a fatal ``internal-error``
  finding (exit status 2). Only ``KeyboardInterrupt`` goes through (Ctrl-C: exit 130 at the
  command line);
* a policy regular expression that times out (:class:`~snspolicy.text.regexsafe.RegexTimeout`)
  is a fatal finding at the policy's line of the pattern, naming the file that could not be
  checked in full;
* a :class:`~snspolicy.core.errors.UserError` raised by a rule (an input too large to check)
  is a fatal finding with its own message and location;
* a library a selected rule needs that is not installed (:mod:`snspolicy.engine.libraries`)
  is a fatal finding naming what to install, and the rule is not run.

Each rule's time is bounded. The engine measures the time a rule takes over all its documents
and, when it exceeds :data:`DEFAULT_RULE_TIME_LIMIT` (``SNSPOLICY_RULE_TIME_LIMIT`` seconds,
or the ``rule_time_limit`` argument), adds a fatal ``internal-error`` finding after the rule
returns. Why measure rather than interrupt: interrupting needs ``SIGALRM`` (POSIX only, main
thread only, and it cannot stop C code such as a regular-expression match, which does not
return to the interpreter until it is done) or a thread that cannot be killed; an interrupted
rule may also leave shared caches half-written. The real hazard, a pattern that backtracks
forever inside C code, has a hard limit where it runs: every policy regular expression is
checked for catastrophic constructs when the policy is loaded (:mod:`snspolicy.app.setup`) and
runs on the ``regex`` module with a per-search timeout (:mod:`snspolicy.text.regexsafe`). The
measured limit then turns any remaining slowness into a failed run instead of a silent pass.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from snspolicy.core import messages
from snspolicy.core.errors import UserError
from snspolicy.io import schemacheck
from snspolicy.rules.api import Context
from snspolicy.io.documents import Document
from snspolicy.core.model import Finding, Fix, Problem, Severity, Span
from snspolicy.engine.findings import FindingFactory
from snspolicy.policy.model import Policy, RuleSpec
from snspolicy.io.changes import ChangeSet
from snspolicy.io.repo import Repo
from snspolicy.engine import documents
from snspolicy.engine.cache import SchemaMemo, per_document
from snspolicy.engine.registry import ENGINE_RULES, INPUT_RULES, implementation, load_builtin_rules
from snspolicy.rules.api import RuleImpl
from snspolicy.text.regexsafe import RegexTimeout

_PATTERN_IN_TEXT = re.compile(r"^regex (.+) took longer than")
_TIMEOUT_IN_TEXT = re.compile(r"took longer than ([0-9.]+)s")

SCHEMA_KINDS = {"account": "account", "post": "post", "press": "press", "incident": "incident"}
# schema problems about a value that is there but malformed (not a missing or unknown field)
VALUE_CODES = {"schema_type", "schema_enum", "schema_format", "schema_pattern", "schema_minLength", "schema_maxLength",
               "schema_minimum", "schema_maximum", "schema_employee_id", "schema_number_not_string",
               "schema_bool_not_string", "schema_date", "schema_datetime", "schema_no_spaces", "schema_id_chars",
               "schema_url", "yaml_leading_zero", "schema_date_range"}

#: seconds one rule may take over the whole run before the run fails (see the module docstring)
DEFAULT_RULE_TIME_LIMIT = 120.0


def rule_time_limit_from_env() -> float:
    """``SNSPOLICY_RULE_TIME_LIMIT`` (seconds, > 0), else :data:`DEFAULT_RULE_TIME_LIMIT`."""
    try:
        value = float(os.environ.get("SNSPOLICY_RULE_TIME_LIMIT", ""))
    except ValueError:
        return DEFAULT_RULE_TIME_LIMIT
    return value if value > 0 else DEFAULT_RULE_TIME_LIMIT


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
        changes: ChangeSet | None = None,
        rule_time_limit: float | None = None,
        jobs: int = 1,
        cache: bool = False,
    ) -> None:
        self.repo = repo
        self.rule_time_limit = rule_time_limit if rule_time_limit is not None else rule_time_limit_from_env()
        self.policy = policy
        self.lang = lang
        self.today = today or dt.date.today()
        self.select = select
        self.progress = progress
        self.factory = FindingFactory(policy, lang)
        self.ctx = Context(repo=repo, policy=policy, today=self.today, lang=lang, changes=changes)
        self.jobs = jobs
        self.cache = cache
        self._broken: dict[str, dict[str, str]] = {"account": {}, "press": {}}

    # -- building findings (see snspolicy.engine.findings) ----------------
    def finding(self, spec_id: str, path: str, span: Span, message: str, *, severity: Severity | None = None,
                clause: str | None = None, fatal: bool = False, extra: str = "", fix: Fix | None = None) -> Finding:
        return self.factory.finding(spec_id, path, span, message, severity=severity, clause=clause, fatal=fatal,
                                    extra=extra, fix=fix)

    def from_problem(self, spec: RuleSpec, doc: Document | None, p: Problem) -> Finding:
        return self.factory.from_problem(spec, doc, p)

    # -- phases -------------------------------------------------------------
    def load_errors(self) -> Iterable[Finding]:
        for fe in self.repo.selected_errors():
            e = fe.error
            yield self.finding(e.rule, fe.path, e.span, messages.message(e.code, self.lang, **e.params), fatal=True,
                               severity=Severity.ERROR, extra=e.code)

    def schema_pass_key(self, doc: Document) -> str | None:
        """The key that remembers that ``doc``'s data passed its schema (None: not rememberable)."""
        kind = SCHEMA_KINDS.get(doc.kind)
        source = schemacheck.plain_key(doc.data) if kind and self.cache else None
        return schemacheck.memo_key(kind, source) if kind and source is not None else None

    def schema_findings(self, doc: Document, bad_values: set[tuple[int, int]] | None = None) -> Iterable[Finding]:
        """The schema's findings in ``doc``; the (line, column) of every value it rejected as
        malformed is added to ``bad_values`` (a rule judging that value again is left out)."""
        kind = SCHEMA_KINDS.get(doc.kind)
        if not kind:
            return
        for sp in schemacheck.check(kind, doc.data, text=schemacheck.plain_key(doc.data) if self.cache else None):
            msg = messages.message(sp.code, self.lang, **sp.params)
            where = ".".join(str(x) for x in sp.path)
            if where and not sp.code.startswith(("schema_unknown_key", "schema_key_spaces")):
                msg = f"{where}: {msg}"
            f = self.finding("schema", doc.path, doc.span(sp.path, key=sp.key), msg, clause=sp.clause or "-",
                             extra=f"{where}|{sp.code}")
            if sp.code in VALUE_CODES and bad_values is not None:
                bad_values.add((f.line, f.column))
            yield f

    def run(self) -> Result:
        load_builtin_rules()
        from snspolicy.engine import plugins

        plugins.load_plugins()
        selected = self.repo.selected_documents()
        result = Result(files_checked=len(selected) + len(self.repo.selected_errors()))
        findings = list(self.load_errors())
        specs = [s for s in self.policy.rules.values() if self._enabled(s.id) and s.id not in ENGINE_RULES]
        unavailable, missing_finding = self._missing_libraries(specs)
        if missing_finding is not None:
            findings.append(missing_finding)
        runnable = [(s, impl) for s in specs if s.id not in unavailable and (impl := implementation(s)) is not None]
        per_doc = [(s, impl) for s, impl in runnable if per_document(impl)]
        others = [(s, impl) for s, impl in runnable if not per_document(impl)]
        self._broken = self._broken_ids()
        # 1. per document (schema and the rules that read one document): cached, in parallel;
        # 2. the rules that read more than their document, rule by rule: in this process, while the
        #    workers of 1. run (or after 1. when it runs here). What they find on a document is kept
        #    or dropped once 1. has told which documents and values the schema rejected.
        cache = documents.open_cache(self, per_doc)
        self.ctx.memo = cache.remember if cache is not None else None
        schema_memo = SchemaMemo(self.repo.root) if self.cache else None
        repo_rules = _RepoRules(self, others, selected)
        with schemacheck.remembering(schema_memo):
            entries, too_slow = documents.check_all(self, selected, per_doc, cache, meanwhile=repo_rules.run)
        if schema_memo is not None:
            schema_memo.save()
        findings.extend(too_slow)
        invalid = {d.path for d, e in zip(selected, entries) if e.invalid}
        bad_values = {(d.path, line, col) for d, e in zip(selected, entries) for line, col in e.bad_values}
        for e in entries:
            findings.extend(e.findings)
        findings.extend(repo_rules.kept(invalid, bad_values))
        self.ctx.rule = None
        if cache is not None:
            cache.save()
        from snspolicy.engine import waivers

        posts = [d for d in self.repo.selected_documents() if d.kind == "post" and self.repo.reportable(d.path)]
        findings = waivers.apply(findings, waivers.WaiverInputs(posts, self.repo.accounts, self.policy, self.today,
                                                                self._enabled, self.factory))
        if self.repo.only is not None:
            # a crash, a missing library or unreadable input is never hidden by the file filter
            findings = [f for f in findings if f.path in self.repo.only or f.rule == "internal-error" or f.fatal]
        findings.sort(key=Finding.sort_key)
        result.findings = findings
        return result

    def apply(self, spec: RuleSpec, impl: RuleImpl, doc: Document | None, sink: list[Finding],
              timed_out: set[tuple[str | None, str | None, str]], *, invalid: bool,
              drop: Callable[[Finding], bool], crashes: list[Finding] | None = None) -> None:
        """Run one rule on one document (or the repo), adding its findings to ``sink``. Whatever
        the rule does ends as findings (the module docstring); ``drop`` leaves out a finding on a
        value the schema already rejected (one finding is enough). A crash on an ``invalid``
        document is left out (the schema's finding explains the bad input); with ``crashes`` (the
        document's validity not known yet) it is added to ``sink`` and also listed there."""
        self.ctx.rule = spec
        try:
            for p in impl.func(doc, self.ctx) or ():  # type: ignore[arg-type]
                if self._caused_by_broken_file(p, self._broken):
                    continue
                f = self.from_problem(spec, doc, p)
                if not drop(f):
                    sink.append(f)
        except KeyboardInterrupt:
            raise
        except RegexTimeout as exc:
            key = (getattr(exc, "lexicon", None), getattr(exc, "entry", None), doc.path if doc else "")
            if key[0] is None or key not in timed_out:  # a lexicon's timeout once per post, whichever rule asked
                timed_out.add(key)
                sink.append(self._regex_timeout(spec, doc, exc))
        except UserError as exc:  # e.g. an input too large to check in full
            sink.append(self._user_error(exc))
        except Exception as exc:  # a rule must never crash the run
            if not invalid:  # else the schema finding already explains the bad input
                sink.append(crash := self._internal_error(spec, doc, exc))
                if crashes is not None:
                    crashes.append(crash)
        except BaseException as exc:  # noqa: BLE001 - SystemExit(0) in a plugin must not end the run green
            sink.append(self._internal_error(spec, doc, exc))

    def too_slow(self, spec: RuleSpec, elapsed: float) -> Finding | None:
        """A fatal finding when ``spec`` took longer than the limit over the whole run."""
        return self._too_slow(spec, elapsed) if elapsed > self.rule_time_limit else None

    # -- failures of the run itself (fatal: exit status 2) ------------------
    def _internal_error(self, spec: RuleSpec, doc: Document | None, exc: BaseException) -> Finding:
        from snspolicy.engine.plugins import describe_exception

        error = type(exc).__name__ if isinstance(exc, Exception) else describe_exception(exc)
        return self.finding("internal-error", doc.path if doc else ".", Span(),
                            messages.message("internal_error", self.lang, rule=spec.id, error=error),
                            severity=Severity.ERROR, fatal=True, extra=spec.id)

    def _user_error(self, exc: UserError) -> Finding:
        return self.finding("internal-error", exc.path or ".", exc.span or Span(),
                            messages.message(exc.code, self.lang, **exc.params), severity=Severity.ERROR, fatal=True,
                            extra=exc.code)

    def _too_slow(self, spec: RuleSpec, elapsed: float) -> Finding:
        path, span = self.policy.where("rules", spec.id)
        return self.finding("internal-error", self._shown(path), span,
                            messages.message("rule_too_slow", self.lang, rule=spec.id, seconds=f"{elapsed:.1f}",
                                             limit=f"{self.rule_time_limit:g}"),
                            severity=Severity.ERROR, fatal=True, extra=f"slow|{spec.id}")

    def _regex_timeout(self, spec: RuleSpec, doc: Document | None, exc: RegexTimeout) -> Finding:
        path, span = self._pattern_location(spec, exc)
        seconds = getattr(exc, "timeout", None) or _TIMEOUT_IN_TEXT.search(str(exc))
        seconds = seconds.group(1) if isinstance(seconds, re.Match) else seconds
        where = doc.path if doc else "."
        lexicon, entry = getattr(exc, "lexicon", None), getattr(exc, "entry", None)
        if lexicon and entry:  # a lexicon entry's regex: named, at the entry (reported once per post and entry)
            text = messages.message("lexicon_regex_timeout", self.lang, lexicon=lexicon, entry=entry, path=where,
                                    seconds=seconds or "-")
            return self.finding("internal-error", self._shown(path), span, text, severity=Severity.ERROR, fatal=True,
                                extra=f"regex|{lexicon}:{entry}|{doc.path if doc else ''}")
        return self.finding("internal-error", self._shown(path), span,
                            messages.message("policy_regex_timeout", self.lang, rule=spec.id,
                                             path=where, seconds=seconds or "-"),
                            severity=Severity.ERROR, fatal=True, extra=f"regex|{spec.id}|{doc.path if doc else ''}")

    def _pattern_location(self, spec: RuleSpec, exc: RegexTimeout) -> tuple[str, Span]:
        """The policy file and line of the pattern that timed out (the rule's, when not found)."""
        lexicon, entry = getattr(exc, "lexicon", None), getattr(exc, "entry", None)
        if lexicon and entry:
            data = self.policy.lexicons.get(lexicon)
            raw = data.get("entries") if isinstance(data, dict) else None
            for j, item in enumerate(raw if isinstance(raw, list) else []):
                if isinstance(item, dict) and item.get("id") == entry:
                    return self.policy.where("lexicons", lexicon, "entries", j, "pattern")
        pattern = getattr(exc, "pattern", None)
        if pattern is None:
            m = _PATTERN_IN_TEXT.search(str(exc))
            if m:
                import ast

                try:
                    pattern = ast.literal_eval(m.group(1))
                except (ValueError, SyntaxError):
                    pattern = None
        if isinstance(pattern, str):
            for name, value in spec.params.items():
                if value == pattern or (isinstance(value, list) and pattern in value):
                    return self.policy.where("rules", spec.id, "params", name)
            for lex, data in self.policy.lexicons.items():
                for j, entry in enumerate(data.get("entries") or []):
                    if isinstance(entry, dict) and entry.get("pattern") == pattern:
                        return self.policy.where("lexicons", lex, "entries", j, "pattern")
        return self.policy.where("rules", spec.id)

    def _missing_libraries(self, specs: list[RuleSpec]) -> tuple[set[str], Finding | None]:
        """The rules that cannot run for a missing library, and one finding naming every such library."""
        from snspolicy.engine import libraries

        gone = libraries.missing([s.id for s in specs], registry=self.repo.config.registry,
                                 kinds={s.id: s.kind for s in specs if s.kind})
        if not gone:
            return set(), None
        rules = sorted({rid for rids in gone.values() for rid in rids})
        modules = sorted(lib.module for lib in gone)
        packages = " ".join(sorted({lib.package for lib in gone}))
        text = messages.message("library_missing", self.lang, rules=rules, modules=modules, packages=packages)
        first = rules[0]
        path, span = self.policy.where("rules", first)
        f = self.finding("internal-error", self._shown(path), span, text, severity=Severity.ERROR, fatal=True,
                         extra="missing|" + ",".join(modules))
        return set(rules), f

    def _shown(self, path: str) -> str:
        """A policy file as reports show it: relative to the repo when it is inside."""
        try:
            from pathlib import Path

            return Path(path).resolve().relative_to(self.repo.root.resolve()).as_posix()
        except (ValueError, OSError):
            return path

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
        spec = self.policy.rules.get(rule_id)
        if spec is None:
            return rule_id in INPUT_RULES
        if not spec.enabled:
            return False
        return self.select(spec) if self.select else True


class _RepoRules:
    """The rules that read more than their document (phase 2 of :meth:`Engine.run`), run once by
    :meth:`run`, possibly before the per-document phase has told which documents and values the
    schema rejected: their findings are filtered afterwards by :meth:`kept`, exactly as
    :meth:`Engine.apply` would have filtered them knowing it."""

    def __init__(self, engine: Engine, rules: list[tuple[RuleSpec, RuleImpl]], selected: list[Document]) -> None:
        self.engine, self.rules, self.selected = engine, rules, selected
        self.findings: list[Finding] = []
        self.on_values: set[int] = set()  # ids of the findings a rejected value drops
        self.crashes: list[Finding] = []  # crashes on a document: dropped when it is invalid
        self.done = False
        self.failed: Exception | None = None

    def run(self, *, progress: bool = True) -> None:
        """Run the rules once (a failure of the engine itself is raised again by :meth:`kept`, in
        the run's own flow: the pool that called this must not take it for its own failure)."""
        if self.done:
            return
        self.done = True
        try:
            self._run(progress)
        except Exception as exc:  # noqa: BLE001 - raised again by kept()
            self.failed = exc

    def _run(self, progress: bool) -> None:
        engine = self.engine
        timed_out: set[tuple[str | None, str | None, str]] = set()
        on_values = self.on_values

        def note(f: Finding) -> bool:
            on_values.add(id(f))
            return False

        for n, (spec, impl) in enumerate(self.rules, 1):
            engine.ctx.rule = spec
            targets: list[Document | None] = (
                [None] if "repo" in impl.kinds else [d for d in self.selected if d.kind in impl.kinds])
            started = time.perf_counter()
            for doc in targets:
                engine.apply(spec, impl, doc, self.findings, timed_out, invalid=False, drop=note,
                             crashes=self.crashes)
            slow = engine.too_slow(spec, time.perf_counter() - started)
            if slow is not None:
                self.findings.append(slow)
            if progress and engine.progress:
                engine.progress(n, len(self.rules))
        engine.ctx.rule = None

    def kept(self, invalid: set[str], bad_values: set[tuple[str, int, int]]) -> list[Finding]:
        """The findings, less those on a value the schema rejected and the crashes on an invalid
        document (runs the rules first when :meth:`run` has not)."""
        self.run()
        if self.failed is not None:
            raise self.failed
        gone = {id(f) for f in self.crashes if f.path in invalid}
        gone.update(id(f) for f in self.findings
                    if id(f) in self.on_values and (f.path, f.line, f.column) in bad_values)
        return [f for f in self.findings if id(f) not in gone]
