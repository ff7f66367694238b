"""Rendering a policy diff (``snspolicy policy diff``): text, Markdown for a pull request, JSON.

A parameter is named by its ``param_schema`` description and shown before and after with its unit
(``パスワードの最低文字数（min_length）を引き上げ: 12 文字 → 14 文字``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from snspolicy.policy.diff import CHANGED, LOOSER, TIGHTER, WORDING, Change, Impact, PolicyDiff, sev_rank, text_diff
from snspolicy.policy.model import Policy
from snspolicy.policy.params import unit_label

# ----------------------------------------------------------------------------- rendering

_L = {
    "ja": {
        "title": "ポリシーの差分", "before": "変更前", "after": "変更後", "policy": "ポリシー", "version": "版", "status": "状態",
        "tighter": "厳しくなった変更", "looser": "緩くなった変更", "changed": "その他の変更", "wording": "文言のみの変更",
        "rule": "ルール", "clause": "条項", "what": "変更内容", "none": "変更はありません。",
        "summary": "厳しくなった変更 {tighter} 件、緩くなった変更 {looser} 件、その他 {changed} 件、文言のみ {wording} 件",
        "versioncheck": "版と変更履歴",
        "ok_version": "版が {old} から {new} に変わり、変更履歴に記載があります。",
        "ok_nochange": "ルールの変更はないため、版を上げる必要はありません。",
        "version_backwards": "版（version）が {old} から {new} に下がっています。新しいポリシーの版は前の版より大きくしてください。",
        "same_version": "ルールが変わっていますが、版（version）が {old} のままです。policy.yaml の version を上げ、changelog に新しい版の項目を追加してください。",
        "no_changelog": "版は {new} になりましたが、changelog に {new} の項目がありません。何を変えたかを changelog に書いてください。",
        "changelog": "変更履歴", "impact": "投稿リポジトリへの影響", "newly_fail": "新たに不合格になるファイル",
        "newly_pass": "新たに合格になるファイル", "changed_files": "合否は同じで指摘が変わるファイル", "file": "ファイル",
        "new_rules": "新しく出る・重くなる指摘", "gone_rules": "出なくなる・軽くなる指摘",
        "impact_head": "{repo}（基準日 {today}、不合格とする重大度 {fail_on}）: 不合格のファイル {old} → {new}",
        "no_files": "（なし）", "status_active": "施行中", "status_draft": "案", "status_retired": "廃止",
        "notes": "注意: 変更後のポリシーにないルールへの上書き（snspolicy.yaml の rules）は無視しました: {items}",
        "yes": "はい", "no": "いいえ",
    },
    "en": {
        "title": "Policy diff", "before": "before", "after": "after", "policy": "Policy", "version": "Version", "status": "Status",
        "tighter": "Tightened", "looser": "Loosened", "changed": "Other changes", "wording": "Wording only",
        "rule": "Rule", "clause": "Clause", "what": "Change", "none": "No changes.",
        "summary": "{tighter} tightened, {looser} loosened, {changed} other, {wording} wording only",
        "versioncheck": "Version and changelog",
        "ok_version": "The version changed from {old} to {new} and the changelog has an entry for it.",
        "ok_nochange": "No rule changed; no new version is needed.",
        "version_backwards": "The version goes down from {old} to {new}. A new policy needs a higher version than the one it replaces.",
        "same_version": "Rules changed but the version is still {old}. Raise `version` in policy.yaml and add a changelog entry for it.",
        "no_changelog": "The version is now {new} but the changelog has no entry for {new}. Describe the change in the changelog.",
        "changelog": "Changelog", "impact": "Impact on the posts repo", "newly_fail": "Files that newly fail",
        "newly_pass": "Files that newly pass", "changed_files": "Files with other findings (same pass/fail)", "file": "File",
        "new_rules": "new or more severe findings", "gone_rules": "findings gone or less severe",
        "impact_head": "{repo} (as of {today}, failing at {fail_on}): failing files {old} -> {new}",
        "no_files": "(none)", "status_active": "active", "status_draft": "draft", "status_retired": "retired",
        "notes": "Note: overrides in snspolicy.yaml of rules the new policy lacks were ignored: {items}",
        "yes": "yes", "no": "no",
    },
}

def _lang(lang: str) -> str:
    return "en" if str(lang).startswith("en") else "ja"


def _v(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _L[lang]["yes"] if value else _L[lang]["no"]
    if isinstance(value, (list, tuple)):
        return ", ".join(_v(x, lang) for x in value) or "[]"
    if isinstance(value, dict):
        s = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        s = str(value)
    return s if len(s) <= 80 else s[:77] + "…"


def _pname(name: str, lang: str, label: dict[str, str] | None = None) -> str:
    """``パスワードの最低文字数（min_length）``: the parameter's description in its ``param_schema``
    (the policy's words, not a table in Python) and its name; ``パラメータ name`` without one."""
    text = (label or {}).get(lang) or (label or {}).get("ja") if label else None
    if lang == "ja":
        return f"{text}（{name}）" if text else f"パラメータ {name} "
    return f"{text} ({name})" if text else f"parameter {name}"


def _went_up(c: Change) -> bool | None:
    """Did the value rise (a number, or a severity)? None when it cannot be told."""
    o: float | None
    n: float | None
    if c.subject.endswith("_severity") or c.subject == "severity":
        o, n = sev_rank(c.old), sev_rank(c.new)
    elif isinstance(c.old, (int, float)) and isinstance(c.new, (int, float)) and not isinstance(c.old, bool):
        o, n = float(c.old), float(c.new)
    else:
        return None
    return None if o is None or n is None or o == n else n > o


def describe(c: Change, lang: str = "ja") -> str:
    """One line saying what changed, in ``lang``."""
    lang = _lang(lang)
    ja = lang == "ja"
    items = ", ".join(c.items[:12]) + (" …" if len(c.items) > 12 else "")
    k = c.kind
    if k == "rule-added":
        return f"ルールを追加（重大度 {c.new}）" if ja else f"rule added (severity {c.new})"
    if k == "rule-removed":
        return f"ルールを削除（重大度 {c.old} だった）" if ja else f"rule removed (was {c.old})"
    if k == "rule-enabled":
        return ("ルールを有効にした" if c.new else "ルールを無効にした") if ja else ("rule enabled" if c.new else "rule disabled")
    if k == "severity":
        up = c.direction == TIGHTER
        return (f"重大度を{'引き上げ' if up else '引き下げ'}" if ja else f"severity {'raised' if up else 'lowered'}")
    if k == "clause":
        return f"条項を変更（{c.old} → {c.new}）" if ja else f"clause changed ({c.old} -> {c.new})"
    if k in ("param", "policy-param"):
        where = "" if k == "param" else ("共通の" if ja else "shared ")
        name = _pname(c.subject, lang, c.label)
        if c.items:
            if c.old == "+":
                return f"{where}{name}に追加: {items}" if ja else f"{where}{name}: added {items}"
            return f"{where}{name}から削除: {items}" if ja else f"{where}{name}: removed {items}"
        if isinstance(c.old, bool) and isinstance(c.new, bool):
            return (f"{where}{name}を{'有効' if c.new else '無効'}に" if ja
                    else f"{where}{name} {'enabled' if c.new else 'disabled'}")
        if c.old is None or c.new is None:
            return (f"{where}{name}を{'設定' if c.old is None else 'なしに'}" if ja
                    else f"{where}{name} {'set' if c.old is None else 'removed'}")
        rose = _went_up(c)
        if rose is not None:
            return (f"{where}{name}を{'引き上げ' if rose else '引き下げ'}" if ja
                    else f"{where}{name} {'raised' if rose else 'lowered'}")
        return f"{where}{name}を変更" if ja else f"{where}{name} changed"
    lex, _, entry = c.subject.partition("/")
    if k == "lexicon-added":
        return f"語彙 {lex} を追加（{len(c.items)} 項目）" if ja else f"lexicon {lex} added ({len(c.items)} entries)"
    if k == "lexicon-removed":
        return f"語彙 {lex} を削除（{len(c.items)} 項目）" if ja else f"lexicon {lex} removed ({len(c.items)} entries)"
    if k == "lexicon-entry-added":
        return f"語彙 {lex} に項目 {entry} を追加: {items}" if ja else f"lexicon {lex}: entry {entry} added: {items}"
    if k == "lexicon-entry-removed":
        return f"語彙 {lex} から項目 {entry} を削除: {items}" if ja else f"lexicon {lex}: entry {entry} removed: {items}"
    if k == "lexicon-terms-added":
        return f"語彙 {lex} の {entry} に表記を追加: {items}" if ja else f"lexicon {lex}/{entry}: spellings added: {items}"
    if k == "lexicon-terms-removed":
        return f"語彙 {lex} の {entry} から表記を削除: {items}" if ja else f"lexicon {lex}/{entry}: spellings removed: {items}"
    if k == "lexicon-severity":
        return f"語彙 {lex} の {entry} の重大度を変更" if ja else f"lexicon {lex}/{entry}: severity changed"
    if k == "lexicon-allow-added":
        return f"語彙 {lex} の {entry} で許容する文脈を追加: {items}" if ja else f"lexicon {lex}/{entry}: allowed contexts added: {items}"
    if k == "lexicon-allow-removed":
        return f"語彙 {lex} の {entry} で許容する文脈を削除: {items}" if ja else f"lexicon {lex}/{entry}: allowed contexts removed: {items}"
    if k == "lexicon-context-severity":
        return f"語彙 {lex} の {entry} の許容文脈での重大度を変更" if ja else f"lexicon {lex}/{entry}: severity in allowed contexts changed"
    if k == "lexicon-entry":
        return f"語彙の項目 {c.subject} を変更" if ja else f"lexicon entry {c.subject} changed"
    if k == "lexicon-wording":
        return f"語彙 {lex} の {entry} の言い換え案・用例を変更" if ja else f"lexicon {lex}/{entry}: suggestion or examples changed"
    if k == "category-added":
        return f"投稿の区分 {c.subject}（{c.new}）を追加" if ja else f"post category {c.subject} added"
    if k == "category-removed":
        return f"投稿の区分 {c.subject}（{c.old}）を削除" if ja else f"post category {c.subject} removed"
    if k == "category":
        return f"投稿の区分 {c.subject} の名称を変更" if ja else f"post category {c.subject} renamed"
    if k == "guideline-clause-added":
        return f"ガイドラインの条項 {c.clause} を追加" if ja else f"guideline clause {c.clause} added"
    if k == "guideline-clause-removed":
        return f"ガイドラインの条項 {c.clause} を削除" if ja else f"guideline clause {c.clause} removed"
    if k == "guideline-clause-text":
        return (f"ガイドラインの条項 {c.clause} の本文を変更: {clause_text_diff(c, 'text', lang)}" if ja
                else f"guideline clause {c.clause}: text changed: {clause_text_diff(c, 'text', lang)}")
    if k == "guideline-clause":
        return (f"ガイドラインの条項 {c.clause} を機械で確認できるか（checkable）を変更" if ja
                else f"guideline clause {c.clause}: checkability changed")
    if k == "guideline-clause-wording":
        return f"ガイドラインの条項 {c.clause} の見出し・説明を変更" if ja else f"guideline clause {c.clause}: title or explanation changed"
    if k == "wording":
        return f"文言を変更（{c.subject}）" if ja else f"wording changed ({c.subject})"
    if k == "vocabulary-added":
        return f"市ごとの定め vocabularies.{c.subject} に追加: {items}" if ja else f"vocabularies.{c.subject}: added {items}"
    if k == "vocabulary-removed":
        return f"市ごとの定め vocabularies.{c.subject} から削除: {items}" if ja else f"vocabularies.{c.subject}: removed {items}"
    if k == "vocabulary":
        return f"市ごとの定め vocabularies.{c.subject} を変更" if ja else f"vocabularies.{c.subject} changed"
    return f"{k} {c.subject}"


def clause_text_diff(c: Change, style: str, lang: str) -> str:
    """The change of a clause's text as a character-run diff: 〔削除：…〕〔追加：…〕 in plain text,
    ~~deleted~~ and **added** with the same labels in Markdown (readable without colour)."""
    dele, add = ("削除", "追加") if lang == "ja" else ("deleted", "added")
    sep = "：" if lang == "ja" else ": "
    parts = []
    for op, text in text_diff(str(c.old or ""), str(c.new or "")):
        if op == "=":
            parts.append(_md(text) if style == "markdown" else text)
        elif style == "markdown":
            mark = "~~" if op == "-" else "**"
            parts.append(f"〔{dele if op == '-' else add}{sep}{mark}{_md(text)}{mark}〕")
        else:
            parts.append(f"〔{dele if op == '-' else add}{sep}{text}〕")
    return "".join(parts)


def _old_new(c: Change, lang: str) -> tuple[str, str]:
    if c.kind == "guideline-clause-text":
        return "", ""
    if c.items or c.kind in ("rule-added", "rule-removed", "wording", "lexicon-wording", "guideline-clause-added",
                             "guideline-clause-removed", "guideline-clause-wording", "category-added", "category-removed"):
        return "", ""
    return _with_unit(c.old, c, lang), _with_unit(c.new, c, lang)


def _with_unit(value: Any, c: Change, lang: str) -> str:
    """A value as text, with its parameter's unit when it is a number (``14 文字``, ``90 days``)."""
    text = _v(value, lang)
    if c.unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{text} {unit_label(c.unit, lang)}"
    return text


def _version_lines(d: PolicyDiff, lang: str) -> list[tuple[bool, str]]:
    L = _L[lang]
    if d.problems:
        return [(False, L[p].format(old=d.old["version"], new=d.new["version"])) for p in d.problems]
    if not d.rule_changes():
        return [(True, L["ok_nochange"])]
    return [(True, L["ok_version"].format(old=d.old["version"], new=d.new["version"]))]


def _status(s: str, lang: str) -> str:
    return _L[lang].get(f"status_{s}", s) + ("" if lang == "en" else f"（{s}）")


def _rule_title(d_rules: dict[str, str], rid: str | None) -> str:
    return d_rules.get(rid or "", "")


def render_text(d: PolicyDiff, lang: str = "ja", titles: dict[str, str] | None = None, imp: Impact | None = None) -> str:
    lang = _lang(lang)
    L = _L[lang]
    titles = titles or {}
    out = [f"{L['title']}: {d.old['id']} ({d.old['version']}) → {d.new['id']} ({d.new['version']})",
           L["summary"].format(**d.summary())]
    if not d.changes:
        out.append(L["none"])
    for direction in (TIGHTER, LOOSER, CHANGED, WORDING):
        items = d.by_direction(direction)
        if not items:
            continue
        out += ["", f"{L[direction]} ({len(items)}):"]
        for c in items:
            where = " ".join(x for x in (c.rule or "", f"[{c.clause}]" if c.clause else "") if x)
            on = _old_new(c, lang)
            tail = f": {on[0]} → {on[1]}" if any(on) else ""
            out.append(f"  {'+' if direction == TIGHTER else '-' if direction == LOOSER else '~'} {where}{' ' if where else ''}{describe(c, lang)}{tail}")
    out += ["", f"{L['versioncheck']}:"]
    out += [f"  {'OK' if ok else 'NG'} {text}" for ok, text in _version_lines(d, lang)]
    for e in d.changelog:
        s = (e.get("summary") or {})
        out.append(f"  {L['changelog']} {e.get('version')} ({e.get('date')}): {s.get(lang) or s.get('ja', '')}")
    if imp is not None:
        out += ["", f"{L['impact']}: " + L["impact_head"].format(repo=imp.repo, today=imp.today, fail_on=imp.fail_on,
                                                                    old=imp.old_failing, new=imp.new_failing)]
        for key, rows in (("newly_fail", imp.newly_fail), ("newly_pass", imp.newly_pass), ("changed_files", imp.changed)):
            out.append(f"  {L[key]} ({len(rows)}):")
            for r in rows:
                extra = []
                if r.added:
                    extra.append("+" + ",".join(r.added))
                if r.removed:
                    extra.append("-" + ",".join(r.removed))
                out.append(f"    {r.path}  {' '.join(extra)}".rstrip())
        if imp.notes:
            out.append("  " + L["notes"].format(items=", ".join(imp.notes)))
    return "\n".join(out) + "\n"


def _md(text: Any) -> str:
    s = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return s.replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(d: PolicyDiff, lang: str = "ja", titles: dict[str, str] | None = None, imp: Impact | None = None) -> str:
    """A pull-request comment: header table, one table per direction, version check, impact."""
    lang = _lang(lang)
    L = _L[lang]
    titles = titles or {}
    s = d.summary()
    out = [f"## {L['title']}: `{d.old['id']}` → `{d.new['id']}`", "",
           f"| | {L['before']} | {L['after']} |", "|---|---|---|",
           f"| {L['policy']} | `{_md(d.old['id'])}` | `{_md(d.new['id'])}` |",
           f"| {L['version']} | {_md(d.old['version'])} | {_md(d.new['version'])} |",
           f"| {L['status']} | {_md(_status(d.old['status'], lang))} | {_md(_status(d.new['status'], lang))} |", "",
           f"**{L['summary'].format(**s)}**", ""]
    if not d.changes:
        out += [L["none"], ""]
    icons = {TIGHTER: "🔺", LOOSER: "🔻", CHANGED: "🔁"}
    for direction in (TIGHTER, LOOSER, CHANGED):
        items = d.by_direction(direction)
        if not items:
            continue
        out += [f"### {icons[direction]} {L[direction]}（{len(items)}）" if lang == "ja" else f"### {icons[direction]} {L[direction]} ({len(items)})", "",
                f"| {L['rule']} | {L['clause']} | {L['what']} | {L['before']} | {L['after']} |", "|---|---|---|---|---|"]
        for c in items:
            rule = f"`{c.rule}`" if c.rule else "—"
            title = titles.get(c.rule or "")
            if title:
                rule += f" {_md(title)}"
            o, n = _old_new(c, lang)
            what = _md(describe(c, lang))
            if c.kind == "guideline-clause-text":  # the diff itself, with its Markdown marks kept
                head = "本文を変更" if lang == "ja" else "text changed"
                what = f"{head}: {clause_text_diff(c, 'markdown', lang)}"
            out.append(f"| {rule} | {_md(c.clause or '—')} | {what} | {_md(o)} | {_md(n)} |")
        out.append("")
    wording = d.by_direction(WORDING)
    if wording:
        label = f"{L['wording']}（{len(wording)}）" if lang == "ja" else f"{L['wording']} ({len(wording)})"
        out += [f"<details><summary>{label}</summary>", ""]
        for c in wording:
            out.append(f"- {('`' + c.rule + '` ') if c.rule else ''}{_md(describe(c, lang))}")
        out += ["", "</details>", ""]
    out += [f"### {L['versioncheck']}", ""]
    out += [f"{'✅' if ok else '❌'} {_md(text)}" for ok, text in _version_lines(d, lang)]
    for e in d.changelog:
        summ = (e.get("summary") or {})
        out.append(f"> **{L['changelog']} {_md(e.get('version'))}**（{_md(e.get('date'))}）: {_md(summ.get(lang) or summ.get('ja', ''))}"
                   if lang == "ja" else f"> **{L['changelog']} {_md(e.get('version'))}** ({_md(e.get('date'))}): {_md(summ.get(lang) or summ.get('ja', ''))}")
    out.append("")
    if imp is not None:
        out += [f"### {L['impact']}", "", _md(L["impact_head"].format(repo=imp.repo, today=imp.today, fail_on=imp.fail_on,
                                                                     old=imp.old_failing, new=imp.new_failing)), ""]
        for key, rows in (("newly_fail", imp.newly_fail), ("newly_pass", imp.newly_pass), ("changed_files", imp.changed)):
            out += [f"#### {L[key]}（{len(rows)}）" if lang == "ja" else f"#### {L[key]} ({len(rows)})", ""]
            if not rows:
                out += [L["no_files"], ""]
                continue
            out += [f"| {L['file']} | {L['new_rules']} | {L['gone_rules']} |", "|---|---|---|"]
            for r in rows:
                out.append(f"| `{_md(r.path)}` | {', '.join('`' + x + '`' for x in r.added) or '—'} | "
                           f"{', '.join('`' + x + '`' for x in r.removed) or '—'} |")
            out.append("")
        if imp.notes:
            out += [_md(L["notes"].format(items=", ".join(imp.notes))), ""]
    return "\n".join(out).rstrip() + "\n"


def to_json(d: PolicyDiff, imp: Impact | None = None, lang: str = "ja") -> str:
    lang = _lang(lang)
    data: dict[str, Any] = {
        "old": d.old, "new": d.new, "summary": d.summary(),
        "changes": [{**c.to_dict(), "description": describe(c, lang)} for c in d.changes],
        "version_check": {"ok": not d.problems, "problems": d.problems},
        "changelog": d.changelog,
    }
    if imp is not None:
        data["impact"] = asdict(imp)
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def rule_titles(policies: Iterable[Policy], lang: str = "ja") -> dict[str, str]:
    out: dict[str, str] = {}
    for p in policies:
        for rid, spec in p.rules.items():
            out.setdefault(rid, spec.title_in(_lang(lang)))
    return out
