"""The rule catalogue (Markdown) generated from the policy: ``snspolicy docs`` writes it, the
language server links a rule to it.

The catalogue lists every clause of the guideline in order — its text, whether and how it is
machine-checked (or why not) — and under it every rule: severity, what it checks, why, how to fix,
a bad and a good example, parameters and the messages staff will see. Everything comes from the
policy files, so the document and the checks cannot drift. The output is deterministic (no dates,
no tool version) so that the same policy always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from snspolicy.core import messages
from snspolicy.policy.params import render, unit_label

if TYPE_CHECKING:
    from snspolicy.policy.model import Policy, RuleSpec

__all__ = ["DEFAULT_OUTPUT", "anchor", "catalogue", "clause_key", "load_policy"]

DEFAULT_OUTPUT = "docs/rules.md"

#: labels the catalogue shares with ``explain`` (``label.*``); the others are ``docs.*``
_SHARED_LABELS = frozenset({"clause", "severity", "what", "why", "bad", "good", "params"})


class _Labels:
    """``L["title"]``: the catalogue's ``docs.title`` (or ``label.clause`` …) in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return messages.message(("label." if key in _SHARED_LABELS else "docs.") + key, self.lang)


_KIND_ORDER = ("account", "post", "press", "incident", "config", "repo")


def _t(d: Any, lang: str) -> str:
    """A ``{ja, en}`` text in ``lang`` (falling back to Japanese); plain strings pass through."""
    if isinstance(d, dict):
        return str(d.get(lang) or d.get("ja") or d.get("en") or "")
    return "" if d is None else str(d)


def clause_key(clause: str) -> tuple[int, list[int], str]:
    """Guideline order: 3(1) < 3(2) < 3(10) < 4 < … ; "-" and other non-numbers last."""
    nums = [int(n) for n in re.findall(r"\d+", clause)]
    return (0, nums, clause) if nums else (1, [], clause)


def anchor(prefix: str, name: str) -> str:
    return prefix + "-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x")


def _html(text: str) -> str:
    """Escape HTML outside `code spans` (text keeps its Markdown, cannot inject tags)."""
    parts = str(text).split("`")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if len(parts) % 2 == 0:  # an unpaired backtick: escape it too
        return "`".join(parts[:-1]) + "\\`" + parts[-1]
    return "`".join(parts)


def _cell(text: str) -> str:
    return _html(re.sub(r"\s*\n\s*", " ", str(text))).replace("|", "\\|").strip() or " "


def _code(text: str) -> str:
    s = re.sub(r"\s*\n\s*", " ", str(text)).replace("|", "\\|")
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", s)), default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{ticks}{pad}{s}{pad}{ticks}"


def _fence(text: str) -> list[str]:
    body = str(text).rstrip("\n")
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", body)), default=0) + 1)
    lang = "yaml" if _looks_like_yaml(body) else "text"
    return [f"{ticks}{lang}", body, ticks]


def _looks_like_yaml(text: str) -> bool:
    try:
        import yaml

        data = yaml.safe_load(text)
    except Exception:
        return False
    return isinstance(data, (dict, list))


def _kinds(spec: RuleSpec, lang: str) -> str:
    from snspolicy.engine.registry import ENGINE_RULES, implementation

    if spec.id in ENGINE_RULES:
        return _Labels(lang)["engine"]
    impl = implementation(spec)
    if impl is None:
        return _Labels(lang)["not_impl"]
    kinds = impl.kinds
    if spec.kind == "fields" and isinstance(spec.params.get("document"), str):
        kinds = frozenset({spec.params["document"]})  # a fields rule checks one kind of document

    def name(kind: str) -> str:
        code = "docs.kind." + kind
        return messages.message(code, lang) if code in messages.CATALOGUE else kind

    sep = "、" if lang == "ja" else ", "
    return sep.join(name(k) for k in sorted(kinds, key=lambda k: (_KIND_ORDER + (k,)).index(k)))


def _rule_section(pol: Policy, spec: RuleSpec, lang: str, overrides: dict[str, dict[str, Any]],
                  plugin_sources: dict[str, str]) -> list[str]:
    L = _Labels(lang)
    doc = spec.doc or {}
    title = _html(spec.title_in(lang))
    out = [f'<a id="{anchor("rule", spec.id)}"></a>', "", f"#### `{spec.id}` {title}", ""]
    sev = f"**{spec.severity}**" + ("" if spec.enabled else f"（{L['disabled']}）" if lang == "ja" else f" ({L['disabled']})")
    out.append(f"- {L['severity']}: {sev}")
    out.append(f"- {L['target']}: {_kinds(spec, lang)}")
    if spec.source in plugin_sources:
        out.append(f"- {L['plugin']}: `{plugin_sources[spec.source]}`")
    o = overrides.get(spec.id)
    if o:
        what = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in o.items() if k != "reason")
        out.append("- " + _html(L["override"].format(what=what, reason=o.get("reason", ""))))
    out.append("")
    for label, key in ((L["what"], "what"), (L["why"], "why"), (L["fix"], "fix")):
        text = spec.doc_text(key, lang)  # the parameters' current values in place of {params.NAME}
        if text:
            out += [f"**{label}**: {_html(text.strip())}", ""]
    for label, key in ((L["bad"], "bad"), (L["good"], "good")):
        if doc.get(key) not in (None, ""):
            out += [f"**{label}**:", ""] + _fence(doc[key]) + [""]
    if spec.params:
        out += [f"**{L['params']}**:", "", f"| {L['param']} | {L['value']} | {L['unit']} | {L['description']} |", "|---|---|---|---|"]
        for name in sorted(spec.params):
            schema = spec.param_schema.get(name) or {}
            out.append(f"| `{name}` | {_code(json.dumps(spec.params[name], ensure_ascii=False))} | "
                       f"{_cell(unit_label(schema.get('unit'), lang))} | {_cell(_t(schema.get('description'), lang))} |")
        out.append("")
    values = spec.param_values()
    msgs = [(v, render(_t(m, lang), values, lang)) for v, m in sorted(spec.messages.items(), key=lambda kv: (kv[0] != "default", kv[0]))]
    msgs = [(v, m) for v, m in msgs if m and m != "{detail}"]
    if msgs:
        out += [f"**{L['messages']}**:", ""]
        out += [f"- `{v}`: {_html(m)}" for v, m in msgs]
        out.append("")
    return out


def catalogue(pol: Policy, lang: str = "ja", *, overrides: dict[str, dict[str, Any]] | None = None,
              plugin_sources: dict[str, str] | None = None) -> str:
    """The catalogue of ``pol`` (a loaded :class:`~snspolicy.policy.Policy`) as Markdown.

    ``overrides`` are the ``rules:`` of snspolicy.yaml (shown with their reason);
    ``plugin_sources`` maps a plugin's fragment path to the plugin's name.
    """
    from snspolicy.engine.registry import load_builtin_rules

    load_builtin_rules()
    lang = lang if lang in ("ja", "en") else "ja"
    L = _Labels(lang)
    overrides = overrides or {}
    plugin_sources = plugin_sources or {}
    rules = sorted(pol.rules.values(), key=lambda s: (clause_key(s.clause), s.id))
    clauses = sorted(pol.clauses, key=clause_key)
    name = _t(pol.meta.get("name"), lang) or pol.id
    out = [f"# {L['title']} — {_html(name)}", "", f"<!-- {L['generated'].format(out=DEFAULT_OUTPUT)} -->", "",
           _html(L["intro"].format(id=pol.id, version=pol.version)), ""]
    checkable = [str(pol.clauses[c].get("checkable")) for c in clauses]
    disabled = sum(1 for s in rules if not s.enabled)
    sep = "、" if lang == "ja" else ", "
    out += [
        f"- {L['n_rules']}: {len(rules)}" + (f"（{L['n_disabled']} {disabled}）" if disabled and lang == "ja"
                                             else f" ({disabled} {L['n_disabled']})" if disabled else ""),
        f"- {L['n_clauses']}: {len(clauses)}（" if lang == "ja" else f"- {L['n_clauses']}: {len(clauses)} (",
    ]
    out[-1] += sep.join([f"{L['yes']} {checkable.count('True')}", f"{L['partly']} {checkable.count('partly')}",
                         f"{L['no']} {checkable.count('False')}"]) + ("）" if lang == "ja" else ")")
    out.append("")

    # index
    out += [f"## {L['index']}", "", f"| {L['clause']} | {L['rule']} | {L['severity']} | {L['name']} |", "|---|---|---|---|"]
    for s in rules:
        c = s.clause if s.clause in pol.clauses else "-"
        clink = f"[{c}](#{anchor('clause', c)})" if c != "-" else "-"
        flag = "" if s.enabled else f"（{L['disabled']}）" if lang == "ja" else f" ({L['disabled']})"
        out.append(f"| {clink} | [`{s.id}`](#{anchor('rule', s.id)}) | {s.severity}{flag} | {_cell(s.title_in(lang))} |")
    out.append("")

    # clause by clause
    out += [f"## {L['by_clause']}", ""]
    for c in clauses:
        entry = pol.clauses[c] or {}
        out += [f'<a id="{anchor("clause", c)}"></a>', "", f"### {c} {_html(_t(entry.get('title'), lang))}", ""]
        if entry.get("text"):
            out += ["> " + _html(str(entry["text"]).strip()).replace("\n", "\n> "), ""]
        status = {"True": L["check_yes"], "partly": L["check_partly"], "False": L["check_no"]}.get(str(entry.get("checkable")), "")
        reason = _t(entry.get("reason"), lang).strip()
        line = " ".join(x for x in (status and f"**{status}**", _html(reason)) if x)
        if line:
            out += [line, ""]
        mine = [s for s in rules if s.clause == c]
        if not mine and entry.get("checkable") in (True, "partly"):
            out += [L["no_rules"], ""]
        for s in mine:
            out += _rule_section(pol, s, lang, overrides, plugin_sources)

    other = [s for s in rules if s.clause not in pol.clauses]
    if other:
        out += [f"## {L['other']}", "", L["other_intro"], ""]
        for s in other:
            out += _rule_section(pol, s, lang, overrides, plugin_sources)

    if pol.lexicons:
        out += [f"## {L['lexicons']}", "", L["lexicons_intro"], "", f"| lexicon | {L['name']} | {L['entries']} |", "|---|---|---:|"]
        for lname in sorted(pol.lexicons):
            data = pol.lexicons[lname] or {}
            entries = data["entries"] if isinstance(data.get("entries"), list) else []
            out.append(f"| `{lname}` | {_cell(_t(data.get('title'), lang))} | {len(entries)} |")
        out.append("")
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
    return text


def load_policy(policy_ref: str | None, *, plugins: bool = True,
                cwd: Path | None = None) -> tuple[Policy, dict[str, dict[str, Any]], dict[str, str]]:
    """(policy, overrides of snspolicy.yaml, {plugin fragment path: distribution}) as ``lint`` would use them."""
    from snspolicy.io import config as config_mod
    from snspolicy.policy import model as policy_mod
    from snspolicy.app.setup import find_root, overrides_errors

    root = find_root(cwd or Path.cwd())
    cfg = config_mod.load(root)
    pol = policy_mod.load(policy_ref or cfg.policy, root)
    sources: dict[str, str] = {}
    if plugins:
        from snspolicy.engine.plugins import discover, merge_fragments

        pol = merge_fragments(pol)
        sources = {str(p.fragment): p.distribution or p.name for p in discover() if p.fragment is not None}
    overrides_errors(cfg, pol)
    pol = policy_mod.apply_overrides(pol, cfg.rules)
    return pol, dict(cfg.rules or {}), sources
