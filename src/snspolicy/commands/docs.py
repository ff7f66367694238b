"""``snspolicy docs``: the rule catalogue (Markdown) generated from the policy.

The catalogue lists every clause of the guideline in order — its text, whether
and how it is machine-checked (or why not) — and under it every rule: severity,
what it checks, why, how to fix, a bad and a good example, parameters and the
messages staff will see. Everything comes from the policy files, so the
document and the checks cannot drift; ``--check`` exits 1 when a committed
catalogue differs from what the policy gives now (a test runs it).

The output is deterministic (no dates, no tool version) so that the same
policy always gives the same bytes.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

DEFAULT_OUTPUT = "docs/rules.md"

_L: dict[str, dict[str, Any]] = {
    "ja": {
        "title": "ルール一覧", "generated": "このファイルは `snspolicy docs` がポリシーから生成しています。直接編集せず、"
        "ポリシー（rules/*.yaml など）を直してから `snspolicy docs -o {out}` で作り直してください。",
        "intro": "ポリシー `{id}`（版 {version}）の各条項をどう確認するかと、すべてのルールの一覧です。"
        "指摘の説明は `snspolicy explain <ルールID>` でも表示できます。",
        "n_rules": "ルール数", "n_disabled": "うち無効", "n_clauses": "条項", "yes": "機械で確認", "partly": "一部を機械で確認",
        "no": "機械では確認できない", "index": "一覧", "clause": "条項", "rule": "ルール", "severity": "重大度", "name": "名称",
        "by_clause": "条項ごとの説明", "check_yes": "機械で確認します。", "check_partly": "一部を機械で確認します。",
        "check_no": "機械では確認できません。", "no_rules": "この条項を直接確認するルールはありません。",
        "other": "条項に属さないルール（読み込み・書式・例外）",
        "other_intro": "ファイルを読めない、書式が違う、例外（waiver）の書き方が違うなど、"
        "ガイドラインの条項より前の問題を報告するルールです。",
        "target": "対象", "what": "何を確認するか", "why": "なぜ", "fix": "直し方", "bad": "悪い例", "good": "良い例",
        "params": "パラメータ", "param": "名前", "value": "値", "messages": "メッセージ", "disabled": "無効",
        "override": "このリポジトリの snspolicy.yaml で変更: {what}（理由: {reason}）",
        "not_impl": "（このバージョンには処理がありません）",
        "engine": "snspolicy 本体（読み込み・スキーマ・例外の処理）", "lexicons": "語彙（レキシコン）",
        "lexicons_intro": "禁止表現などの語彙はポリシーの lexicons/ にあります。語そのものはここには載せません。",
        "entries": "項目数", "plugin": "プラグイン",
        "kinds": {"account": "アカウント（accounts/*.yaml）", "post": "投稿（posts/**/*.md）", "press": "報道発表（press/*.yaml）",
                  "incident": "不正アクセス対応記録（incidents/*.yaml）", "config": "設定（snspolicy.yaml）", "repo": "リポジトリ全体"},
    },
    "en": {
        "title": "Rule catalogue", "generated": "Generated from the policy by `snspolicy docs`. Do not edit: change the policy "
        "(rules/*.yaml …) and run `snspolicy docs -o {out}`.",
        "intro": "How each clause of policy `{id}` (version {version}) is checked, and every rule. "
        "`snspolicy explain <rule id>` shows the same for one rule.",
        "n_rules": "Rules", "n_disabled": "disabled", "n_clauses": "Clauses", "yes": "machine-checked", "partly": "partly checked",
        "no": "not machine-checkable", "index": "Index", "clause": "Clause", "rule": "Rule", "severity": "Severity", "name": "Name",
        "by_clause": "Clause by clause", "check_yes": "Machine-checked.", "check_partly": "Partly machine-checked.",
        "check_no": "Not machine-checkable.", "no_rules": "No rule checks this clause directly.",
        "other": "Rules outside the clauses (reading, format, waivers)",
        "other_intro": "Problems found before any clause applies: unreadable files, schema violations, malformed waivers.",
        "target": "Checks", "what": "What it checks", "why": "Why", "fix": "How to fix", "bad": "Bad", "good": "Good",
        "params": "Parameters", "param": "Name", "value": "Value", "messages": "Messages", "disabled": "disabled",
        "override": "Changed by this repo's snspolicy.yaml: {what} (reason: {reason})",
        "not_impl": "(no implementation in this version)",
        "engine": "snspolicy itself (loading, schemas, waivers)", "lexicons": "Lexicons",
        "lexicons_intro": "Word lists live in the policy's lexicons/. The words themselves are not listed here.",
        "entries": "Entries", "plugin": "plugin",
        "kinds": {"account": "accounts (accounts/*.yaml)", "post": "posts (posts/**/*.md)", "press": "press releases (press/*.yaml)",
                  "incident": "incident records (incidents/*.yaml)", "config": "config (snspolicy.yaml)", "repo": "the whole repo"},
    },
}
_KIND_ORDER = ("account", "post", "press", "incident", "config", "repo")


def _t(d: Any, lang: str) -> str:
    """A ``{ja, en}`` text in ``lang`` (falling back to Japanese); plain strings pass through."""
    if isinstance(d, dict):
        return str(d.get(lang) or d.get("ja") or d.get("en") or "")
    return "" if d is None else str(d)


def clause_key(clause: str) -> tuple:
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


def _kinds(rid: str, lang: str) -> str:
    from snspolicy.engine.registry import ENGINE_RULES
    from snspolicy.rules.api import REGISTRY

    if rid in ENGINE_RULES:
        return _L[lang]["engine"]
    impl = REGISTRY.get(rid)
    if impl is None:
        return _L[lang]["not_impl"]
    names = _L[lang]["kinds"]
    sep = "、" if lang == "ja" else ", "
    return sep.join(names.get(k, k) for k in sorted(impl.kinds, key=lambda k: (_KIND_ORDER + (k,)).index(k)))


def _rule_section(pol, spec, lang: str, overrides: dict[str, dict], plugin_sources: dict[str, str]) -> list[str]:
    L = _L[lang]
    doc = spec.doc or {}
    title = _html(spec.title_in(lang))
    out = [f'<a id="{anchor("rule", spec.id)}"></a>', "", f"#### `{spec.id}` {title}", ""]
    sev = f"**{spec.severity}**" + ("" if spec.enabled else f"（{L['disabled']}）" if lang == "ja" else f" ({L['disabled']})")
    out.append(f"- {L['severity']}: {sev}")
    out.append(f"- {L['target']}: {_kinds(spec.id, lang)}")
    if spec.source in plugin_sources:
        out.append(f"- {L['plugin']}: `{plugin_sources[spec.source]}`")
    o = overrides.get(spec.id)
    if o:
        what = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in o.items() if k != "reason")
        out.append("- " + _html(L["override"].format(what=what, reason=o.get("reason", ""))))
    out.append("")
    for label, key in ((L["what"], "what"), (L["why"], "why"), (L["fix"], "fix")):
        text = _t(doc.get(key), lang)
        if text:
            out += [f"**{label}**: {_html(text.strip())}", ""]
    for label, key in ((L["bad"], "bad"), (L["good"], "good")):
        if doc.get(key) not in (None, ""):
            out += [f"**{label}**:", ""] + _fence(doc[key]) + [""]
    if spec.params:
        out += [f"**{L['params']}**:", "", f"| {L['param']} | {L['value']} |", "|---|---|"]
        for name in sorted(spec.params):
            out.append(f"| `{name}` | {_code(json.dumps(spec.params[name], ensure_ascii=False))} |")
        out.append("")
    msgs = [(v, _t(m, lang)) for v, m in sorted(spec.messages.items(), key=lambda kv: (kv[0] != "default", kv[0]))]
    msgs = [(v, m) for v, m in msgs if m and m != "{detail}"]
    if msgs:
        out += [f"**{L['messages']}**:", ""]
        out += [f"- `{v}`: {_html(m)}" for v, m in msgs]
        out.append("")
    return out


def catalogue(pol, lang: str = "ja", *, overrides: dict[str, dict] | None = None,
              plugin_sources: dict[str, str] | None = None) -> str:
    """The catalogue of ``pol`` (a loaded :class:`~snspolicy.policy.Policy`) as Markdown.

    ``overrides`` are the ``rules:`` of snspolicy.yaml (shown with their reason);
    ``plugin_sources`` maps a plugin's fragment path to the plugin's name.
    """
    from snspolicy.engine.registry import load_builtin_rules

    load_builtin_rules()
    lang = lang if lang in _L else "ja"
    L = _L[lang]
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


def load_policy(policy_ref: str | None, *, plugins: bool = True, cwd: Path | None = None):
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


def _lang() -> str:
    lang = os.environ.get("SNSPOLICY_LANG", "ja")
    return lang if lang in ("ja", "en") else "ja"


def register(main: click.Group) -> None:
    @main.command("docs")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help=f"書き出すファイル（既定は標準出力。--check では {DEFAULT_OUTPUT}）/ file to write")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=_lang, show_default="ja")
    @click.option("--check", is_flag=True, help="ファイルが最新か確認（違えば終了コード 1）/ exit 1 when the file is stale")
    @click.option("--policy", "policy_ref", default=None, help="ポリシーを指定 / policy id or path")
    @click.option("--plugins/--no-plugins", default=True, show_default=True,
                  help="プラグインのルールも載せる / include rules added by plugins")
    def docs_cmd(output, lang, check, policy_ref, plugins):
        """ルール一覧（Markdown）をポリシーから作ります。/ Generate the rule catalogue from the policy."""
        from snspolicy.core import messages
        from snspolicy.io.config import ConfigError
        from snspolicy.policy.model import PolicyError

        try:
            pol, overrides, sources = load_policy(policy_ref, plugins=plugins)
        except (ConfigError, PolicyError) as exc:
            span = exc.span
            where = f"{exc.path}:{span.line}:{span.column}" if span else str(exc.path)
            click.echo(f"{where}: {messages.message(exc.code, lang, **(exc.params or {}))}", err=True)
            sys.exit(2)
        if check and output is None:
            output = Path(DEFAULT_OUTPUT)
        name = output.as_posix() if output else DEFAULT_OUTPUT
        text = catalogue(pol, lang, overrides=overrides, plugin_sources=sources)
        if check:
            try:
                current = output.read_text(encoding="utf-8").replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError):
                current = None
            if current == text:
                click.echo(f"{name}: " + ("最新です。" if lang == "ja" else "up to date."))
                return
            diff = list(difflib.unified_diff((current or "").splitlines(), text.splitlines(), name, "snspolicy docs", lineterm="", n=1))
            for line in diff[:40]:
                click.echo(line, err=True)
            click.echo((f"{name} がポリシーと合っていません。snspolicy docs -o {name} で作り直してください。" if lang == "ja"
                        else f"{name} is stale. Regenerate it: snspolicy docs -o {name}"), err=True)
            sys.exit(1)
        if output:
            from snspolicy.io.fsutil import atomic_write_text

            output.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(output, text)
            click.echo(str(output))
        else:
            click.echo(text, nl=False)


__all__ = ["catalogue", "load_policy", "clause_key", "anchor", "register", "DEFAULT_OUTPUT"]
