"""Whether a policy can be used — the ONE check that ``lint`` and ``policy validate`` share.

:func:`policy_problems` lists every reason a loaded policy (with the overrides of a
``snspolicy.yaml``) cannot be used, each a located user error (exit status 2):

1. the policy's own data (:func:`snspolicy.policy.checks.problems`): parameters against their
   ``param_schema`` (unknown names with a did-you-mean, wrong types, schemas without a value),
   placeholders in docs and messages, lexicon entries naming an unknown clause, the version of
   an extending policy, clauses without a reason or without a rule;
2. the overrides of ``snspolicy.yaml`` (:func:`override_problems`): an unknown rule, a lowered
   severity, an unknown or mistyped parameter — at the line of ``snspolicy.yaml``;
3. unsafe regular expressions and invalid lexicon entries
   (:func:`snspolicy.app.policy_checks.policy_problems`);
4. the implementations: a rule nothing can run (:func:`is_runnable`), a parameter a rule reads
   that the policy does not define (:func:`snspolicy.app.rule_params.params_read`);
5. each lexicon entry's own examples (``examples: {match, no_match}``) — skipped for a lexicon
   that comes unchanged from a bundled policy (the test suite checks those).

``lint`` (:func:`snspolicy.app.setup.load_policy`) raises the first problem; :func:`validate`
(``snspolicy policy validate``) lists them all as ``file:line:col: message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from snspolicy.core import messages
from snspolicy.core.errors import UserError
from snspolicy.core.model import Severity, Span
from snspolicy.policy import model as policy_mod

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.io.config import Config
    from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["check_policy", "is_runnable", "load_for_show", "override_problems", "policy_problems", "validate"]

#: lexicon examples already checked in this process (content key -> problems), for the language server
_EXAMPLES_DONE: dict[str, list[tuple[int, str, str, bool]]] = {}


def is_runnable(spec: RuleSpec) -> bool:
    """Can anything run this rule? A rule the engine implements itself (yaml-syntax, schema,
    waivers …) or one with a registered implementation (built in, or from a plugin).

    This is the one place that decides; a rule of a generic kind (``kind:`` in the policy, run by
    the engine without Python of its own) is accepted too (:func:`snspolicy.engine.registry.is_runnable`)."""
    from snspolicy.engine.registry import is_runnable as runnable

    return runnable(spec.id, spec)


def override_problems(cfg: Config, pol: Policy) -> list[UserError]:
    """Problems of ``snspolicy.yaml``'s ``rules:`` overrides, located in it: an unknown rule (with
    the closest rule id), a lowered severity, an unknown or mistyped parameter."""
    from snspolicy.io.config import CONFIG_NAME, ConfigError
    from snspolicy.policy.checks import param_problems
    from snspolicy.policy.params import suggestion

    out: list[UserError] = []

    def span(path: tuple[Any, ...], key: bool = False) -> Span:
        return cfg.located.span(path, key=key) if cfg.located else Span()

    for rid, o in cfg.rules.items():
        spec = pol.rules.get(rid)
        if spec is None:
            close = suggestion(rid, pol.rules)
            out.append(ConfigError(CONFIG_NAME, span(("rules", rid), True), "override_unknown_suggest" if close else "override_unknown",
                                   {"rule": rid, "suggestion": close}))
            continue
        if "severity" in o and Severity.parse(o["severity"]) < spec.severity:
            out.append(ConfigError(CONFIG_NAME, span(("rules", rid), True), "override_loosen", {"rule": rid}))
        params = o.get("params") if isinstance(o, dict) else None
        if spec.kind:  # a generic kind's parameters are the kind's: their names here, their values with the policy's
            from snspolicy.engine.registry import kind_param_names

            known = kind_param_names(spec.kind)
            for name in params or {}:
                if name not in known:
                    close = suggestion(str(name), known)
                    out.append(ConfigError(CONFIG_NAME, span(("rules", rid, "params", name), True),
                                           "policy_param_unknown_suggest" if close else "policy_param_unknown",
                                           {"where": f"rules.{rid}.params", "param": name, "suggestion": close,
                                            "known": sorted(known) or ["-"]}))
            continue
        for p in param_problems(params or {}, spec.param_schema, f"rules.{rid}.params", need_values=False):
            out.append(ConfigError(CONFIG_NAME, span(("rules", rid, "params", p.name) + p.path, p.key), p.code, p.params))
    return out


def _implementation_problems(pol: Policy) -> list[UserError]:
    from snspolicy.app.rule_params import params_read
    from snspolicy.engine.registry import load_builtin_rules
    from snspolicy.policy.model import PolicyError

    from snspolicy.core.errors import UserError as Problem
    from snspolicy.engine.registry import kind_problems

    registry = load_builtin_rules()
    out: list[UserError] = []
    for rid, where, code, params in kind_problems(pol):  # rules of a generic kind: their parameters
        out.append(PolicyError(*pol.where("rules", rid, *where), "policy_generic_invalid",
                               {"rule": rid, "where": ".".join(map(str, where)), "problem": Problem(code, params)}))
    for rid, spec in pol.rules.items():
        if not is_runnable(spec):
            out.append(PolicyError(*pol.where("rules", rid), "policy_rule_not_runnable", {"rule": rid}))
            continue
        impl = registry.get(rid)
        if impl is None:
            continue
        for name in sorted(params_read(impl)):
            if name not in spec.params and name not in pol.params:
                out.append(PolicyError(*pol.where("rules", rid), "policy_param_undefined", {"rule": rid, "param": name}))
    return out


def _bundled(pol: Policy, name: str) -> bool:
    """Does lexicon ``name`` come, unchanged, from the bundled policies?"""
    from snspolicy.core.resources import data_dir

    if pol.sources is None:
        return False
    try:
        bundle = data_dir("policy").resolve()
        files = pol.sources.files(("lexicons", name))
        return bool(files) and all(Path(f).resolve().is_relative_to(bundle) for f in files)
    except (OSError, RuntimeError, ValueError):
        return False


def _example_problems(pol: Policy) -> list[UserError]:
    """Each lexicon entry's own examples: a ``match`` example must give a finding of its entry,
    a ``no_match`` example must not."""
    import json

    from snspolicy.policy.model import PolicyError
    from snspolicy.text import lexicon as lexmod
    from snspolicy.text.normalize import normalize

    out: list[UserError] = []
    for name, data in pol.lexicons.items():
        if _bundled(pol, name):
            continue
        key = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        found = _EXAMPLES_DONE.get(key)
        if found is None:
            try:
                lex = lexmod.Lexicon.from_dict(data)
            except Exception:  # noqa: BLE001 - an invalid lexicon is reported by policy_checks
                continue
            index = {str(e.get("id")): j for j, e in enumerate(data.get("entries") or []) if isinstance(e, dict)}
            found = []
            for e in lex.entries:
                for expected, examples in ((True, e.examples_match), (False, e.examples_no_match)):
                    for ex in examples:
                        hits = [m for m in lex.find(normalize(ex).text) if m.entry_id == e.id and m.severity]
                        if bool(hits) != expected:
                            found.append((index.get(e.id, 0), e.id, ex, expected))
            _EXAMPLES_DONE[key] = found
        for j, eid, ex, expected in found:
            out.append(PolicyError(*pol.where("lexicons", name, "entries", j), "lexicon_example_match" if expected
                                   else "lexicon_example_no_match", {"lexicon": name, "entry": eid, "example": ex[:80]}))
    return out


def policy_problems(pol: Policy, cfg: Config | None = None) -> list[UserError]:
    """Every reason ``pol`` (with ``cfg``'s overrides, already applied) cannot be used, located
    (see the module docstring). Empty: ``lint`` may run it."""
    from snspolicy.app.policy_checks import policy_problems as text_problems
    from snspolicy.domain.vocabulary import vocabulary_problems
    from snspolicy.policy.checks import problems

    out: list[UserError] = list(problems(pol))
    if cfg is not None:
        out += override_problems(cfg, pol)
    out += text_problems(pol, cfg)
    out += vocabulary_problems(pol)  # the words the rules read (approvers, statuses, section heads, incident steps)
    out += _implementation_problems(pol)
    out += _example_problems(pol)
    return out


def check_policy(pol: Policy, cfg: Config | None = None) -> None:
    """Raise the first of :func:`policy_problems` (``lint``: exit status 2 before anything runs)."""
    for problem in policy_problems(pol, cfg):
        raise problem


def _located(exc: UserError, lang: str, base: Path | None = None) -> str:
    span = exc.span or Span()
    path = exc.path or "."
    if base is not None:
        try:
            path = Path(path).resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            pass
    return f"{path}:{span.line}:{span.column}: {messages.message(exc.code, lang, **exc.params)}"


def validate(ref: str | None, cwd: Path, lang: str = "ja") -> list[str]:
    """Human-readable problems (``file:line:col: message``); empty when the policy is valid.

    Without ``ref``, the policy named by the ``snspolicy.yaml`` of ``cwd``'s repo, with its
    overrides (a broken ``snspolicy.yaml`` is a problem, never "validate the default policy").
    The checks are :func:`policy_problems`, the same as ``lint``'s: a policy this accepts is one
    lint accepts, and one it rejects, lint refuses."""
    from snspolicy.io.config import find_root
    from snspolicy.io import config as config_mod

    cfg = None
    try:
        if ref is None:
            root = find_root(cwd)
            cfg = config_mod.load(root)
            pol = policy_mod.load(cfg.policy, root, inside=root)
        else:
            pol = policy_mod.load(ref, cwd)
        from snspolicy.engine import plugins

        pol = plugins.merge_fragments(pol)
    except UserError as exc:
        if cfg is not None and cfg.located is not None and exc.code in ("policy_not_found", "policy_local_outside") \
                and exc.path == cfg.policy:  # the reference itself (resolve names it), not an extends: inside
            exc = UserError(exc.code, exc.params, path="snspolicy.yaml", span=cfg.located.span(("policy",)))
        return [_located(exc, lang, cwd)]
    checked = policy_mod.apply_overrides(pol, cfg.rules) if cfg is not None else pol
    return [_located(exc, lang, cwd) for exc in policy_problems(checked, cfg)]


def load_for_show(ref: str | None, cwd: Path) -> tuple[Policy, str]:
    """The policy ``policy show`` prints (``ref``, else the one ``cwd``'s ``snspolicy.yaml`` names)
    and the text of its ``policy.yaml``. Raises the user errors of loading it."""
    from snspolicy.io.config import find_root
    from snspolicy.io import config as config_mod
    from snspolicy.io.textfile import read_text

    if ref is None:
        root = find_root(cwd)
        cfg = config_mod.load(root)
        main = policy_mod.resolve(cfg.policy, root, inside=root)
        pol = policy_mod.load(cfg.policy, root, inside=root)
    else:
        main = policy_mod.resolve(ref, cwd)
        pol = policy_mod.load(ref, cwd)
    return pol, read_text(main)
