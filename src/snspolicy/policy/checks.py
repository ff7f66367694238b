"""What must hold for a loaded policy beyond its schemas — every problem, located.

:func:`snspolicy.policy.model.load` refuses what it cannot build (a file that cannot be read, a
schema problem, a broken ``extends:`` chain). :func:`problems` then lists, each at the file and
line that wrote it, what the schemas cannot say:

* **parameters** — every value of ``params:`` (a rule's and the shared ones) has an entry in the
  ``param_schema:`` beside it (an unknown name is reported with the closest known one) and fits
  it (type, range, enum …); every entry of ``param_schema:`` has a value (defaults live only in
  the policy: a parameter meant to be "off" is written ``null`` and its schema allows ``null``);
* **placeholders** — the documentation (``what``, ``why``, ``fix``) and the messages name only
  parameters that exist (``{params.min_length}``), and the documentation has no other ``{…}``;
  the Japanese and English message of a variant use the same placeholders;
* **lexicon entries** name a clause the policy has;
* **the version** of an extending policy is higher than that of the policy it extends;
* **clauses** — a clause that is not checkable says why (``reason``); a checkable one has a rule
  (or sub-clauses with rules).

The application adds what needs the rest of the program (implementations, the text layer):
:func:`snspolicy.app.validate.policy_problems`. :func:`param_problems` is shared with the check
of the overrides in ``snspolicy.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from snspolicy.core.errors import UserError
from snspolicy.policy.params import bare_placeholders, placeholder_problems, suggestion, value_problems

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.policy.model import Policy, PolicyError

__all__ = ["ParamProblem", "param_problems", "problems"]

_MESSAGE_FIELD = re.compile(r"\{(\w+)")
_DOC_KEYS = ("what", "why", "fix")
_PLACEHOLDER_CODES = {"unknown": "policy_placeholder_unknown", "filter": "policy_placeholder_filter"}


@dataclass
class ParamProblem:
    """A problem of one parameter: its name, the path below it, whether the key is wrong (rather
    than the value), and the message code with its parameters."""

    name: str
    path: tuple[Any, ...]
    key: bool
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def param_problems(values: Mapping[str, Any], schemas: Mapping[str, Any], where: str, *,
                   need_values: bool = True) -> Iterator[ParamProblem]:
    """Problems of ``values`` (a ``params:`` mapping) against ``schemas`` (its ``param_schema:``).

    ``where`` names the mapping in messages (``rules.account-2fa.params``). With
    ``need_values`` (the policy, not an override), a schema without a value is a problem too."""
    for name, value in values.items():
        schema = schemas.get(name)
        if not isinstance(schema, Mapping):
            close = suggestion(name, schemas)
            yield ParamProblem(str(name), (), True, "policy_param_unknown_suggest" if close else "policy_param_unknown",
                               {"where": where, "param": name, "suggestion": close, "known": sorted(schemas) or ["-"]})
            continue
        for sp in value_problems(schema, value)[:1]:
            yield ParamProblem(str(name), tuple(sp.path), sp.key, "policy_param_invalid",
                               {"where": where, "param": ".".join([str(name), *map(str, sp.path)]),
                                "problem": UserError(sp.code, sp.params)})
    if need_values:
        for name in schemas:
            if name not in values:
                yield ParamProblem(str(name), (), True, "policy_param_no_value", {"where": where, "param": name})


def problems(pol: Policy) -> list[PolicyError]:
    """Every problem of ``pol`` that its schemas cannot find (see the module docstring), located."""
    from snspolicy.policy.model import PolicyError

    out: list[PolicyError] = []

    def add(path: tuple[Any, ...], code: str, params: dict[str, Any], key: bool = False) -> None:
        out.append(PolicyError(*pol.where(*path, key=key), code, params))

    def params_of(prefix: tuple[Any, ...], values: Mapping[str, Any], schemas: Mapping[str, Any], where: str) -> None:
        for p in param_problems(values, schemas, where):
            section = "param_schema" if p.code == "policy_param_no_value" else "params"
            add(prefix + (section, p.name) + p.path, p.code, p.params, key=p.key)

    params_of((), pol.params, pol.param_schema, "params")
    for rid, spec in pol.rules.items():
        if not spec.kind:  # a generic kind's parameters are the kind's (snspolicy.engine.registry.kind_problems)
            params_of(("rules", rid), spec.params, spec.param_schema, f"rules.{rid}.params")
        values = spec.param_values()
        for key in _DOC_KEYS:
            text = spec.doc.get(key)
            for lang, t in (text.items() if isinstance(text, dict) else []):
                for ph, what in placeholder_problems(str(t), values):
                    add(("rules", rid, "doc", key, lang), _PLACEHOLDER_CODES[what],
                        {"where": f"rules.{rid}.doc.{key}.{lang}", "placeholder": ph})
                for ph in bare_placeholders(str(t)):
                    add(("rules", rid, "doc", key, lang), "policy_placeholder_bare",
                        {"where": f"rules.{rid}.doc.{key}.{lang}", "placeholder": ph})
        for variant, m in spec.messages.items():
            for lang, t in m.items():
                for ph, what in placeholder_problems(str(t), values):
                    add(("rules", rid, "message", variant, lang), _PLACEHOLDER_CODES[what],
                        {"where": f"rules.{rid}.message.{variant}.{lang}", "placeholder": ph})
            ja, en = (set(_MESSAGE_FIELD.findall(str(m.get(lang) or ""))) for lang in ("ja", "en"))
            if m.get("en") and ja != en:
                add(("rules", rid, "message", variant), "policy_message_placeholders",
                    {"rule": rid, "variant": variant, "fields": sorted(ja ^ en)})
    for name, lex in pol.lexicons.items():
        for j, entry in enumerate(lex.get("entries") or [] if isinstance(lex, dict) else []):
            clause = entry.get("clause") if isinstance(entry, dict) else None
            if clause is not None and str(clause) not in pol.clauses:
                add(("lexicons", name, "entries", j, "clause"), "policy_lexicon_clause",
                    {"lexicon": name, "entry": entry.get("id", j), "clause": clause,
                     "suggestion": suggestion(str(clause), pol.clauses) or "-"})
    if pol.base_version is not None:
        from snspolicy.policy.diff import version_key

        if version_key(pol.version) <= version_key(pol.base_version):
            add(("version",), "policy_version_not_increasing",
                {"version": pol.version, "base": pol.base_id or pol.extends or "-", "base_version": pol.base_version})
    out += _clause_problems(pol)
    return out


def _clause_problems(pol: Policy) -> list[PolicyError]:
    from snspolicy.policy.model import PolicyError

    out: list[PolicyError] = []
    ruled = {spec.clause for spec in pol.rules.values()}
    for c, entry in pol.clauses.items():
        entry = entry if isinstance(entry, dict) else {}
        checkable = entry.get("checkable")
        if checkable is False and not entry.get("reason"):
            out.append(PolicyError(*pol.where("clauses", c, key=True), "policy_clause_no_reason", {"clause": c}))
        if checkable in (True, "partly") and c not in ruled and not any(r.startswith(c + "(") for r in ruled):
            out.append(PolicyError(*pol.where("clauses", c, key=True), "policy_clause_no_rule", {"clause": c}))
    return out
