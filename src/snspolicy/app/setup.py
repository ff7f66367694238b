"""Application layer: from a path on disk to a lint result (used by the CLI and tests).

:func:`prepare` refuses, with a located user error (exit status 2), what would otherwise make a
run check less than it says: a path that is neither a regular file nor a folder (``/dev/null``),
a ``snspolicy.yaml`` that is not a readable file, a policy reference leaving the repo, and a
policy that ``snspolicy policy validate`` rejects, whatever the reason (one check for both:
:func:`snspolicy.app.validate.policy_problems` — parameters against their schemas, overrides,
unsafe regular expressions, lexicon entries, rules nothing can run …).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from snspolicy.core.errors import UserError
from snspolicy.io import config as config_mod
from snspolicy.io import schemacheck
from snspolicy.io.yamlloc import ParseMemo
from snspolicy.policy import model as policy_mod
from snspolicy.io.config import CONFIG_NAME, Config, ConfigError, find_root  # find_root: re-exported
from snspolicy.engine.core import Result
from snspolicy.core.model import Finding, ReportContext, RuleInfo, Severity, Span
from snspolicy.policy.model import Policy, PolicyError


@dataclass
class Setup:
    root: Path
    config: Config
    policy: Policy
    only: set[str] | None = None
    parsed: ParseMemo | None = None  # YAML parsed by earlier runs, when the run uses the cache


def overrides_errors(cfg: Config, pol: Policy) -> None:
    """An override names a rule of the policy and may tighten it or disable it (with a reason),
    never silently loosen it; its parameters fit the rule's ``param_schema``. Raises the first
    problem (:func:`snspolicy.app.validate.override_problems`) as a ConfigError."""
    from snspolicy.app.validate import override_problems

    for problem in override_problems(cfg, pol):
        raise problem


def check_paths(paths: Iterable[Path]) -> None:
    """Each path to lint is a folder or a regular file (``/dev/null``, a FIFO: usage error, exit 2)."""
    from snspolicy.io.textfile import os_error

    for p in paths:
        try:
            mode = os.stat(p).st_mode
        except OSError as exc:
            err = os_error(exc, p)
            raise UserError(err.code, err.params, path=str(p)[:300]) from None
        except ValueError:  # NUL in the name
            raise UserError("lint.not_checkable", {"path": repr(str(p))[:300]}) from None
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            raise UserError("lint.not_checkable", {"path": str(p)[:300]}, path=str(p)[:300])


def load_policy(cfg: Config, root: Path, policy_ref: str | None, policy_base: Path | None = None,
                cache: bool = False, memo: ParseMemo | None = None) -> Policy:
    """The policy of a run, with plugins and overrides, refused (the first located problem) when
    ``policy validate`` would reject it (:func:`snspolicy.app.validate.check_policy`).

    ``cache``: skip the checks when this very policy with these settings passed them before
    (remembered in the repo's cache folder, :func:`snspolicy.engine.cache.policy_key`); ``memo``:
    policy files parsed by earlier runs.

    ``policy_ref`` (``--policy``) may be any path; the policy named in ``snspolicy.yaml`` must be a
    bundled id or a path inside the repo. Raises ConfigError/PolicyError.
    """
    from snspolicy.engine import plugins

    try:
        if policy_ref:
            pol = policy_mod.load(policy_ref, policy_base or root, memo=memo)
        else:
            pol = policy_mod.load(cfg.policy, policy_base or root, inside=root, memo=memo)
    except PolicyError as exc:
        if exc.code in ("policy_not_found", "policy_local_outside") and not policy_ref and cfg.located is not None \
                and exc.path == cfg.policy:  # the reference itself (resolve names it), not an extends: inside
            # point at the line of snspolicy.yaml that names it, not at a file that does not exist
            raise ConfigError(CONFIG_NAME, cfg.located.span(("policy",)), exc.code, exc.params) from None
        exc.path = _shown(exc.path, root)
        raise
    try:
        pol = plugins.merge_fragments(pol)
        overrides_errors(cfg, pol)
        pol = policy_mod.apply_overrides(pol, cfg.rules)
        _check_policy(pol, cfg, root, cache)
    except PolicyError as exc:
        exc.path = _shown(exc.path, root)
        raise
    return pol


def _check_policy(pol: Policy, cfg: Config, root: Path, cache: bool) -> None:
    from snspolicy.app.validate import check_policy

    if not cache:
        check_policy(pol, cfg)
        return
    from snspolicy.engine import cache as cache_mod

    key = cache_mod.policy_key(pol, cfg.raw)
    if key is not None and cache_mod.policy_checked(root, key):
        return
    check_policy(pol, cfg)
    if key is not None:
        cache_mod.mark_policy_checked(root, key)


def _shown(path: str, root: Path) -> str:
    """A policy file as messages show it: relative to the repo when inside it."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path


def prepare(paths: Iterable[Path], policy_ref: str | None = None, policy_base: Path | None = None,
            config: Config | None = None, cache: bool = False) -> Setup:
    """Resolve the repo root, config and policy for the given paths. Raises ConfigError/PolicyError,
    and UserError for a path that is not a folder or regular file.

    ``config``: use this configuration instead of reading the root's snspolicy.yaml (an editor's buffer)."""
    paths = [Path(p) for p in paths] or [Path.cwd()]
    check_paths(paths)
    root = find_root(paths[0])
    only: set[str] | None = None
    files = [p for p in paths if not p.is_dir()]
    if files:
        only = set()
        for p in files:
            try:
                only.add(p.resolve().relative_to(root).as_posix())
            except ValueError:
                only.add(os.path.normpath(str(p)))
    memo = parsed = None
    if cache:
        from snspolicy.engine.cache import ParseCache, SchemaMemo

        memo, parsed = SchemaMemo(root), ParseCache(root)
    with schemacheck.remembering(memo):
        cfg = config if config is not None else config_mod.load(root, memo=parsed)
        if only is not None and only & {CONFIG_NAME, cfg.roster, cfg.registry}:
            only = None  # the configuration, roster or registry changed: everything may be affected
        pol = load_policy(cfg, root, policy_ref, policy_base, cache=cache, memo=parsed)
    if memo is not None and parsed is not None:
        memo.save()
        parsed.whole = only is None  # a run over the whole repo forgets the texts it no longer has
    return Setup(root, cfg, pol, only, parsed)


def check_output(output: str | os.PathLike[str] | None, paths: Iterable[Path], setup: Setup | None = None) -> None:
    """Refuse (UserError ``output_is_input``, exit 2) a report file (``-o``) that is an input of the run.

    Call it before writing any report, a setup error's too: without ``setup`` (it failed) the
    repo found from ``paths`` and the default folders are used; with it, the configured folders,
    ``roster:``, ``registry:`` and the policy's files as well. A FIFO or device is always fine.
    """
    if not output:
        return
    from snspolicy.io.fsutil import check_output_path, input_patterns

    given = [Path(p) for p in paths] or [Path.cwd()]
    root = setup.root if setup is not None else find_root(given[0])
    inputs: list[Path] = [root / CONFIG_NAME]
    extra: list[str] = []
    folders = dict(config_mod.DEFAULT_PATHS)
    if setup is not None:
        folders = setup.config.paths
        for value in (setup.config.roster, setup.config.registry):
            if value:
                inputs.append(root / value)
                extra.append(str(value))
        inputs.extend(setup.policy.files)
    check_output_path(Path(output), root, inputs, input_patterns(folders, extra))


def rule_infos(pol: Policy, lang: str) -> dict[str, RuleInfo]:
    """Each rule's title, description and help in ``lang``, its documentation showing the current
    parameter values (:meth:`~snspolicy.policy.model.RuleSpec.doc_text`)."""
    out = {}
    for rid, spec in pol.rules.items():
        why = spec.doc_text("why", lang)
        what = spec.doc_text("what", lang)
        good = spec.doc_text("good", lang)
        bad = spec.doc_text("bad", lang)
        ex_bad = "悪い例" if lang == "ja" else "Bad"
        ex_good = "良い例" if lang == "ja" else "Good"
        help_text = f"{why}\n\n{ex_bad}:\n{bad}\n{ex_good}:\n{good}".strip()
        out[rid] = RuleInfo(rid, spec.clause, spec.severity, spec.title_in(lang), what or spec.title_in(lang), help_text)
    return out


def report_context(setup: Setup, result: Result, lang: str) -> ReportContext:
    from snspolicy import __version__
    from snspolicy.domain.vocabulary import clause_headings

    return ReportContext(
        tool_version=__version__, lang=lang, rules=rule_infos(setup.policy, lang), root=str(setup.root),
        fail_on=setup.config.fail_on, files_checked=result.files_checked, policy_id=setup.policy.id,
        clauses=clause_headings(setup.policy, lang),
    )


def error_finding(path: str, span: Span | None, message: str, rule: str = "schema") -> Finding:
    span = (span or Span()).normalized()
    f = Finding(path, span.line, span.column, span.end_line or span.line, span.end_column or span.column, rule, "-", Severity.ERROR, message,
                title=rule, fatal=True)
    f.fingerprint = f.compute_fingerprint(message)
    return f


__all__ = ["Setup", "prepare", "check_output", "check_paths", "load_policy", "find_root", "ConfigError", "PolicyError", "report_context",
           "error_finding"]
