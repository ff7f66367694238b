"""Checks a policy must pass before anything is linted with it: the ones that need the text layer.

:func:`snspolicy.policy.model.load` checks the policy's structure (schemas, includes, clauses);
it cannot use :mod:`snspolicy.text` (the policy layer sits below it). These checks run in
:func:`snspolicy.app.setup.prepare` (every ``lint``) and in ``policy validate``, so both refuse
the same policies:

* every **regular-expression parameter** of a rule or of the policy (a parameter whose name ends
  in ``_pattern``, ``_patterns``, ``_regex`` or ``_regexes``, e.g. ``account-manager``'s
  ``head_title_pattern``), from the policy or from an override in ``snspolicy.yaml``, passes
  :func:`snspolicy.text.regexsafe.check_pattern` (compiles, is not too long, has no
  catastrophic backtracking such as ``^(a+)+$``);
* every **lexicon entry** passes :func:`snspolicy.text.lexicon.validate_lexicon_dict` (the text
  rules would otherwise leave an invalid entry out and report nothing for it).

A failure raises :class:`~snspolicy.policy.model.PolicyError` at the policy file and line, or
:class:`~snspolicy.io.config.ConfigError` at the line of ``snspolicy.yaml`` that set the value:
exit status 2, never a silent pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from snspolicy.core.model import Span
from snspolicy.io.config import CONFIG_NAME, Config, ConfigError
from snspolicy.policy.model import Policy, PolicyError

__all__ = ["REGEX_PARAM", "check_policy", "lexicon_problems", "policy_problems", "regex_params"]

#: names of parameters that hold regular expressions
REGEX_PARAM = re.compile(r"(?:^|_)(?:pattern|patterns|regex|regexes)$")
_ENTRY_INDEX = re.compile(r"entries\[(\d+)\]")


def regex_params(params: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(name, pattern) of every regular expression in ``params`` (a list parameter gives each item)."""
    for name, value in (params or {}).items():
        if not isinstance(name, str) or not REGEX_PARAM.search(name):
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is None or item == "":  # an empty pattern switches the test off
                continue
            yield name, item


def check_policy(pol: Policy, cfg: Config | None = None) -> None:
    """Raise PolicyError/ConfigError for the first unsafe regex parameter or invalid lexicon entry."""
    for problem in policy_problems(pol, cfg):
        raise problem


def policy_problems(pol: Policy, cfg: Config | None = None) -> list[PolicyError | ConfigError]:
    """Every unsafe regex parameter and invalid lexicon entry, located (``policy validate`` lists them all)."""
    from snspolicy.text.regexsafe import check_pattern

    out: list[PolicyError | ConfigError] = []
    overrides = cfg.rules if cfg is not None else {}
    for name, pattern in regex_params(pol.params):
        problems = check_pattern(pattern)
        if problems:
            out.append(PolicyError(*pol.where("params", name), "policy_regex_unsafe",
                                   {"param": f"params.{name}", "problem": problems[0]}))
    for rid, spec in pol.rules.items():
        override = overrides.get(rid)
        overridden = (override.get("params") or {}) if isinstance(override, dict) else {}
        for name, pattern in regex_params(spec.params):
            problems = check_pattern(pattern)
            if not problems:
                continue
            params = {"param": f"rules.{rid}.params.{name}", "problem": problems[0]}
            if name in overridden and cfg is not None:
                span = cfg.located.span(("rules", rid, "params", name)) if cfg.located else Span()
                out.append(ConfigError(CONFIG_NAME, span, "policy_regex_unsafe", params))
            else:
                out.append(PolicyError(*pol.where("rules", rid, "params", name), "policy_regex_unsafe", params))
    out.extend(lexicon_problems(pol))
    out.extend(text_param_problems(pol))
    return out


def text_param_problems(pol: Policy) -> list[PolicyError | ConfigError]:
    """The context model of the wording rules (``params.text_contexts``, docs/text-context.md) and
    the city's own contacts (``params.city_contacts``)."""
    from snspolicy.text.context import topic_problems

    out: list[PolicyError | ConfigError] = []
    params = pol.params or {}
    for problem in topic_problems(params.get("text_contexts")):
        out.append(PolicyError(*pol.where("params", "text_contexts"), "policy_param_invalid",
                               {"param": "params.text_contexts", "problem": problem}))
    contacts = params.get("city_contacts")
    if contacts is not None and (not isinstance(contacts, dict) or any(
            k not in ("phone_numbers", "addresses", "email_domains") or not isinstance(v, list) for k, v in contacts.items())):
        out.append(PolicyError(*pol.where("params", "city_contacts"), "policy_param_invalid",
                               {"param": "params.city_contacts", "problem": "phone_numbers / addresses / email_domains: [...]"}))
    return out


def lexicon_problems(pol: Policy) -> list[PolicyError | ConfigError]:
    """Every invalid entry of every lexicon, located at the entry (whole-list problems such as a
    duplicate id at the later entry)."""
    if not pol.lexicons:
        return []
    from snspolicy.text.lexicon import validate_lexicon_dict

    out: list[PolicyError | ConfigError] = []
    for name, data in pol.lexicons.items():
        if not validate_lexicon_dict(data):
            continue  # a valid lexicon: each of its entries alone is valid too (one pass, not two)
        entries = data.get("entries") if isinstance(data, dict) else None
        bad_entry = False
        for j, entry in enumerate(entries if isinstance(entries, list) else []):
            for problem in validate_lexicon_dict({"lexicon": name, "entries": [entry]}):
                bad_entry = True
                out.append(PolicyError(*pol.where("lexicons", name, "entries", j), "lexicon_invalid",
                                       {"lexicon": name, "problem": _short(problem, name)}))
        if bad_entry:
            continue  # the whole-list check would repeat them
        for problem in validate_lexicon_dict(data):  # what only the whole list shows: duplicate ids and terms
            found = _ENTRY_INDEX.findall(problem)
            where = pol.where("lexicons", name, "entries", int(found[-1])) if found else pol.where("lexicons", name)
            out.append(PolicyError(*where, "lexicon_invalid", {"lexicon": name, "problem": _short(problem, name)}))
    return out


def _short(problem: str, name: str) -> str:
    """A problem without the lexicon's name in front (the message names it)."""
    return problem[len(name) + 2:] if problem.startswith(name + ": ") else problem
