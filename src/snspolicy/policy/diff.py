"""Semantic diff of two policies: which rules were added or removed, tightened or loosened.

``diff(old, new)`` compares two loaded :class:`~snspolicy.policy.Policy` objects and returns a
:class:`PolicyDiff` of :class:`Change` items, each with a *direction*:

* ``tighter`` — more content is reported (a rule added or enabled, a severity raised, a lexicon
  entry or term added, a minimum raised, an allow-list shortened …);
* ``looser`` — less is reported (the opposite);
* ``changed`` — a change whose direction cannot be told (a pattern, a clause, the guideline text);
* ``wording`` — titles, messages and documentation only.

The direction of a parameter comes from :data:`PARAM_DIRECTIONS` and the naming conventions
in :func:`param_changes` (``min_*`` up = tighter, ``max_*`` up = looser, ``*_severity`` by
severity, lists named ``allow…``/``skip…`` added = looser …); anything else is ``changed``.

``version_problems`` says whether a policy whose rules changed has a new ``version`` and a
changelog entry for it. ``impact`` lints a posts repo under both policies and lists the files
that newly fail or newly pass. ``render_text`` / ``render_markdown`` / ``to_json`` format it all,
in Japanese (default) or English.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core.model import Severity
from snspolicy.policy.model import Policy, RuleSpec

__all__ = [
    "PARAM_DIRECTIONS",
    "Change",
    "Impact",
    "PolicyDiff",
    "diff",
    "impact",
    "param_changes",
    "render_markdown",
    "render_text",
    "to_json",
    "version_problems",
]

TIGHTER, LOOSER, CHANGED, WORDING = "tighter", "looser", "changed", "wording"

# name -> "up" (a higher number / True / an added list item is tighter) or "down" (looser)
PARAM_DIRECTIONS: dict[str, str] = {
    # numbers
    "min_length": "up", "min_score": "up", "min_holders": "up", "retention_days": "up", "max_file_bytes": "up",
    "min_keyword_length": "down", "entropy_min_length": "down", "entropy_threshold": "down",
    "entropy_threshold_long": "down", "entropy_long_length": "down", "min_value_length": "down",
    "max_future_days": "down", "max_age_days": "down", "max_repeat": "down", "max_sequence": "down",
    # booleans
    "require_unique": "up", "require_submission": "up", "password_after_change": "up",
    # lists: an added item is tighter ("up") or looser ("down")
    "weak_methods": "up", "statuses": "up", "need_publish_at": "up", "report_to": "up", "lexicons": "up",
    "shorteners": "up", "blocked_hosts": "up", "not_head_prefixes": "up",
    "strong_methods": "down", "allowed_managers": "down", "allowed_hosts": "down", "placeholders": "down",
    "skip_extensions": "down", "skip_statuses": "down", "head_title_suffixes": "down",
    # text rules
    "max_days_before": "up",       # accuracy-past-event: older dates are history, not stale events
    "max_bytes": "up",             # media-exif-location: larger files are still read
    "limits": "down", "max": "down", "max_chars": "down",   # clarity: per-platform and sentence limits
    "birth_words": "down", "not_names": "down",               # words that make a match acceptable
    "rights_required": "up",       # post-media: fields required per rights source
}
_LOOSER_LIST_WORDS = ("allow", "skip", "ignore", "exempt", "except", "placeholder", "safe")
_SEVERITY_RANK = {None: 0, "none": 0, "info": 1, "warning": 2, "error": 3}


@dataclass
class Change:
    """One semantic change. ``kind`` says what changed (see the module docstring of the renderers)."""

    kind: str
    direction: str
    rule: str | None = None
    clause: str | None = None
    subject: str = ""
    old: Any = None
    new: Any = None
    items: list[str] = field(default_factory=list)  # list items / lexicon terms added or removed

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", [])}


@dataclass
class PolicyDiff:
    old: dict[str, Any]
    new: dict[str, Any]
    changes: list[Change]
    changelog: list[dict[str, Any]]  # entries of the new changelog that the old one lacks
    problems: list[str] = field(default_factory=list)  # version_problems()

    def by_direction(self, direction: str) -> list[Change]:
        """The changes of one direction in guideline order (clause, then rule id)."""
        items = [c for c in self.changes if c.direction == direction]
        return sorted(items, key=lambda c: (_clause_key(c.clause or "-"), c.rule or "", c.subject))

    def rule_changes(self) -> list[Change]:
        """Changes that need a new version (everything but wording)."""
        return [c for c in self.changes if c.direction != WORDING]

    def summary(self) -> dict[str, int]:
        return {d: len(self.by_direction(d)) for d in (TIGHTER, LOOSER, CHANGED, WORDING)}


# ----------------------------------------------------------------------------- comparing


def _info(p: Policy) -> dict[str, Any]:
    return {"id": p.id, "version": p.version, "status": str(p.meta.get("status", "active")),
            "name": (p.meta.get("name") or {}), "source": str(p.root)}


def _sev_rank(value: Any) -> int | None:
    if isinstance(value, Severity):
        return int(value)
    key = None if value is None else str(value).lower()
    return _SEVERITY_RANK.get(key)


def _direction_of_name(name: str) -> str | None:
    """The direction of a parameter (``limits.x`` takes that of ``limits``)."""
    if name in PARAM_DIRECTIONS:
        return PARAM_DIRECTIONS[name]
    if "." in name:
        return _direction_of_name(name.split(".", 1)[0])
    if name.startswith(("min_", "require")):
        return "up"
    if name.startswith("max_"):
        return "down"
    return None


def _num(value: Any, name: str, direction: str | None) -> float | None:
    """A comparable number. None means "no limit": +inf where a higher value is looser (``max_…``),
    -inf where a higher value is tighter (``min_…``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if value is None and direction == "down":
        return float("inf")
    if value is None and direction == "up":
        return float("-inf")
    return None


def _items(value: Any) -> list[str]:
    return [json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (dict, list)) else str(v) for v in value]


def param_changes(name: str, old: Any, new: Any, *, rule: str | None = None, clause: str | None = None,
                  kind: str = "param") -> list[Change]:
    """Changes of one parameter (none when equal). A list that both gains and loses items gives two."""
    if old == new:
        return []

    def mk(direction: str, old_v: Any = old, new_v: Any = new, items: list[str] | None = None) -> Change:
        return Change(kind, direction, rule, clause, name, old_v, new_v, list(items or []))

    if name.endswith("_severity") or name == "severity":
        o, n = _sev_rank(old), _sev_rank(new)
        if o is not None and n is not None and o != n:
            return [mk(TIGHTER if n > o else LOOSER)]
        return [mk(CHANGED)]
    if isinstance(old, dict) and isinstance(new, dict):  # per key, each with the parameter's direction
        out: list[Change] = []
        for key in sorted(set(old) | set(new), key=str):
            out += param_changes(f"{name}.{key}", old.get(key), new.get(key), rule=rule, clause=clause, kind=kind)
        return out
    way = _direction_of_name(name)
    if isinstance(old, list) and isinstance(new, list):
        o_items, n_items = _items(old), _items(new)
        added = [x for x in n_items if x not in o_items]
        removed = [x for x in o_items if x not in n_items]
        if way is None and any(w in name for w in _LOOSER_LIST_WORDS):
            way = "down"
        out = []
        if not added and not removed:  # reordered
            return [mk(WORDING)]
        for items, is_add in ((added, True), (removed, False)):
            if not items:
                continue
            if way is None:
                d = CHANGED
            else:
                d = TIGHTER if (is_add == (way == "up")) else LOOSER
            out.append(mk(d, "+" if is_add else "-", None, items))
        return out
    if isinstance(old, bool) and isinstance(new, bool) and way is not None:
        return [mk(TIGHTER if (new == (way == "up")) else LOOSER)]
    fo, fn = _num(old, name, way), _num(new, name, way)
    if way is not None and fo is not None and fn is not None and fo != fn:
        return [mk(TIGHTER if ((fn > fo) == (way == "up")) else LOOSER)]
    return [mk(CHANGED)]


def _lexicon_users(p: Policy) -> dict[str, str]:
    out: dict[str, str] = {}
    for rid, spec in p.rules.items():
        lex = spec.params.get("lexicons")
        for name in lex if isinstance(lex, list) else ([lex] if isinstance(lex, str) else []):
            out.setdefault(str(name), rid)
    return out


def _terms(entry: dict) -> list[str]:
    t = entry.get("terms")
    out = [str(x) for x in t] if isinstance(t, list) else []
    if entry.get("pattern"):
        out.append(f"/{entry['pattern']}/")
    return out


def _allow(entry: dict) -> list[str]:
    ctx = entry.get("context")
    a = ctx.get("allow") if isinstance(ctx, dict) else None
    return [str(x) for x in a] if isinstance(a, list) else []


def _lexicon_changes(old: Policy, new: Policy) -> list[Change]:
    out: list[Change] = []
    users = {**_lexicon_users(old), **_lexicon_users(new)}
    for name in sorted(set(old.lexicons) | set(new.lexicons)):
        rule = users.get(name)
        spec = (new.rules.get(rule) or old.rules.get(rule)) if rule else None
        clause = spec.clause if spec is not None else None
        lo, ln = old.lexicons.get(name), new.lexicons.get(name)
        if lo is None or ln is None:
            present: dict[str, Any] = ln or lo or {}
            entries = present.get("entries") or []
            out.append(Change("lexicon-added" if lo is None else "lexicon-removed", TIGHTER if lo is None else LOOSER,
                              rule, clause, name, items=[str(e.get("id")) for e in entries if isinstance(e, dict)]))
            continue
        eo = {str(e.get("id")): e for e in lo.get("entries") or [] if isinstance(e, dict)}
        en = {str(e.get("id")): e for e in ln.get("entries") or [] if isinstance(e, dict)}
        for eid in sorted(set(eo) | set(en)):
            subject = f"{name}/{eid}"
            if eid not in eo:
                b = en[eid]
                out.append(Change("lexicon-entry-added", TIGHTER, rule, str(b.get("clause") or clause or "") or None, subject,
                                  items=_terms(b), new=b.get("severity")))
                continue
            if eid not in en:
                a = eo[eid]
                out.append(Change("lexicon-entry-removed", LOOSER, rule, str(a.get("clause") or clause or "") or None, subject,
                                  items=_terms(a), old=a.get("severity")))
                continue
            a, b = eo[eid], en[eid]
            eclause = str(b.get("clause") or clause or "") or None
            ta, tb = _terms(a), _terms(b)
            if [t for t in tb if t not in ta]:
                out.append(Change("lexicon-terms-added", TIGHTER, rule, eclause, subject, items=[t for t in tb if t not in ta]))
            if [t for t in ta if t not in tb]:
                out.append(Change("lexicon-terms-removed", LOOSER, rule, eclause, subject, items=[t for t in ta if t not in tb]))
            for c in param_changes("severity", a.get("severity"), b.get("severity"), rule=rule, clause=eclause,
                                   kind="lexicon-severity"):
                c.subject = subject
                out.append(c)
            aa, ab = _allow(a), _allow(b)
            if [t for t in ab if t not in aa]:
                out.append(Change("lexicon-allow-added", LOOSER, rule, eclause, subject, items=[t for t in ab if t not in aa]))
            if [t for t in aa if t not in ab]:
                out.append(Change("lexicon-allow-removed", TIGHTER, rule, eclause, subject, items=[t for t in aa if t not in ab]))
            ca: dict[str, Any] = a["context"] if isinstance(a.get("context"), dict) else {}
            cb: dict[str, Any] = b["context"] if isinstance(b.get("context"), dict) else {}
            if ca.get("severity") != cb.get("severity") and (ca or cb):
                o, n = _sev_rank(ca.get("severity")), _sev_rank(cb.get("severity"))
                d = CHANGED if o is None or n is None or o == n else TIGHTER if n > o else LOOSER
                out.append(Change("lexicon-context-severity", d, rule, eclause, subject, ca.get("severity"), cb.get("severity")))
            for key in ("match", "scope"):
                va = a.get(key) if key == "match" else ca.get(key)
                vb = b.get(key) if key == "match" else cb.get(key)
                if va != vb:
                    out.append(Change("lexicon-entry", CHANGED, rule, eclause, f"{subject}.{key}", va, vb))
            if a.get("clause") != b.get("clause"):
                out.append(Change("lexicon-entry", CHANGED, rule, eclause, f"{subject}.clause", a.get("clause"), b.get("clause")))
            if a.get("suggestion") != b.get("suggestion") or a.get("examples") != b.get("examples"):
                out.append(Change("lexicon-wording", WORDING, rule, eclause, subject))
    return out


def _rule_changes(rid: str, a: RuleSpec | None, b: RuleSpec | None) -> list[Change]:
    if a is None and b is not None:
        return [Change("rule-added", TIGHTER if b.enabled else WORDING, rid, b.clause, new=str(b.severity))]
    if b is None and a is not None:
        return [Change("rule-removed", LOOSER if a.enabled else WORDING, rid, a.clause, old=str(a.severity))]
    assert a is not None and b is not None
    out: list[Change] = []
    if a.enabled != b.enabled:
        out.append(Change("rule-enabled", TIGHTER if b.enabled else LOOSER, rid, b.clause, old=a.enabled, new=b.enabled))
    if a.severity != b.severity:
        out.append(Change("severity", TIGHTER if b.severity > a.severity else LOOSER, rid, b.clause,
                          old=str(a.severity), new=str(b.severity)))
    if a.clause != b.clause:
        out.append(Change("clause", CHANGED, rid, b.clause, old=a.clause, new=b.clause))
    for name in sorted(set(a.params) | set(b.params)):
        out += param_changes(name, a.params.get(name), b.params.get(name), rule=rid, clause=b.clause)
    wording = [k for k, x, y in (("title", a.title, b.title), ("message", a.messages, b.messages), ("doc", a.doc, b.doc)) if x != y]
    if wording:
        out.append(Change("wording", WORDING, rid, b.clause, ", ".join(wording)))
    return out


def diff(old: Policy, new: Policy) -> PolicyDiff:
    """Every semantic difference between two policies, in a stable order."""
    changes: list[Change] = []
    for rid in sorted(set(old.rules) | set(new.rules)):
        changes += _rule_changes(rid, old.rules.get(rid), new.rules.get(rid))
    changes += _lexicon_changes(old, new)
    for cid in sorted(set(old.categories) | set(new.categories)):
        a, b = old.categories.get(cid), new.categories.get(cid)
        if a is None:
            changes.append(Change("category-added", LOOSER, "post-category", "3(4)", cid, new=(b or {}).get("ja")))
        elif b is None:
            changes.append(Change("category-removed", TIGHTER, "post-category", "3(4)", cid, old=a.get("ja")))
        elif a != b:
            changes.append(Change("category", WORDING, "post-category", "3(4)", cid, a.get("ja"), b.get("ja")))
    for name in sorted(set(old.params) | set(new.params)):
        changes += param_changes(name, old.params.get(name), new.params.get(name), kind="policy-param")
    for cid in sorted(set(old.clauses) | set(new.clauses), key=_clause_key):
        a, b = old.clauses.get(cid), new.clauses.get(cid)
        if a is None or b is None:
            changes.append(Change("guideline-clause-added" if a is None else "guideline-clause-removed", CHANGED, clause=cid))
        elif a.get("text") != b.get("text") or a.get("checkable") != b.get("checkable"):
            changes.append(Change("guideline-clause", CHANGED, clause=cid, old=a.get("checkable"), new=b.get("checkable")))
        elif a != b:
            changes.append(Change("guideline-clause-wording", WORDING, clause=cid))
    old_versions = {str(e.get("version")) for e in old.meta.get("changelog") or [] if isinstance(e, dict)}
    new_log = [e for e in new.meta.get("changelog") or [] if isinstance(e, dict) and str(e.get("version")) not in old_versions]
    d = PolicyDiff(_info(old), _info(new), changes, new_log)
    d.problems = version_problems(old, new, d)
    return d


def version_problems(old: Policy, new: Policy, d: PolicyDiff | None = None) -> list[str]:
    """``same_version`` or ``no_changelog`` when the rules changed without a new version; else []."""
    d = d if d is not None else diff(old, new)
    if not d.rule_changes():
        return []
    if str(new.version) == str(old.version):
        return ["same_version"]
    entries = [e for e in new.meta.get("changelog") or [] if isinstance(e, dict)]
    if not any(str(e.get("version")) == str(new.version) for e in entries):
        return ["no_changelog"]
    old_versions = {str(e.get("version")) for e in old.meta.get("changelog") or [] if isinstance(e, dict)}
    if str(new.version) in old_versions:
        return ["same_version"]
    return []


def _clause_key(c: str) -> tuple:
    import re

    return tuple(int(n) for n in re.findall(r"\d+", c)) or (999,)


# ----------------------------------------------------------------------------- impact on a posts repo


@dataclass
class FileImpact:
    path: str
    added: list[str]  # rules reported under NEW but not OLD, or more severely: "rule" / "rule (warning→error)"
    removed: list[str]  # rules reported under OLD but not NEW, or less severely


@dataclass
class Impact:
    repo: str
    today: str
    fail_on: str
    old_failing: int
    new_failing: int
    newly_fail: list[FileImpact]
    newly_pass: list[FileImpact]
    changed: list[FileImpact]  # findings differ, pass/fail the same
    notes: list[str] = field(default_factory=list)


def _run(repo_root: Path, pol: Policy, cfg, today: dt.date, lang: str, notes: list[str]):
    from snspolicy.policy import model as policy_mod
    from snspolicy.engine.core import Engine
    from snspolicy.io.repo import load_repo

    overrides = {k: v for k, v in (cfg.rules or {}).items() if k in pol.rules}
    for k in sorted(set(cfg.rules or {}) - set(overrides)):
        notes.append(f"{pol.id}: override {k}")
    pol = policy_mod.apply_overrides(pol, overrides)
    repo = load_repo(repo_root, cfg)
    return Engine(repo, pol, lang=lang, today=today).run()


def _per_file(result, fail_on: Severity) -> dict[str, tuple[bool, dict[str, Severity]]]:
    """path -> (fails?, rule id -> the highest severity it is reported with)."""
    out: dict[str, tuple[bool, dict[str, Severity]]] = {}
    for f in result.visible():
        failed, rules = out.get(f.path, (False, {}))
        rules[f.rule] = max(rules.get(f.rule, f.severity), f.severity)
        out[f.path] = (failed or f.fatal or f.severity >= fail_on, rules)
    return out


def _rule_delta(old: dict[str, Severity], new: dict[str, Severity]) -> tuple[list[str], list[str]]:
    """Rules reported anew (or more severely) and rules gone (or less severe): ``rule`` or ``rule (a→b)``."""
    added, removed = [], []
    for rid in sorted(set(old) | set(new)):
        a, b = old.get(rid), new.get(rid)
        if a is None and b is not None:
            added.append(rid)
        elif b is None and a is not None:
            removed.append(rid)
        elif a is not None and b is not None and a != b:
            (added if b > a else removed).append(f"{rid} ({a}→{b})")
    return added, removed


def impact(repo_root: Path, old: Policy, new: Policy, *, today: dt.date | None = None, lang: str = "ja") -> Impact:
    """Lint ``repo_root`` under both policies (with the repo's snspolicy.yaml) and compare per file."""
    from snspolicy.io import config as config_mod

    today = today or dt.date.today()
    cfg = config_mod.load(repo_root)
    notes: list[str] = []
    ro = _per_file(_run(repo_root, old, cfg, today, lang, notes), cfg.fail_on)
    rn = _per_file(_run(repo_root, new, cfg, today, lang, notes), cfg.fail_on)
    newly_fail, newly_pass, changed = [], [], []
    for path in sorted(set(ro) | set(rn)):
        fo, so = ro.get(path, (False, {}))
        fn, sn = rn.get(path, (False, {}))
        added, removed = _rule_delta(so, sn)
        item = FileImpact(path, added, removed)
        if fn and not fo:
            newly_fail.append(item)
        elif fo and not fn:
            newly_pass.append(item)
        elif item.added or item.removed:
            changed.append(item)
    return Impact(str(repo_root), today.isoformat(), str(cfg.fail_on), sum(1 for v in ro.values() if v[0]),
                  sum(1 for v in rn.values() if v[0]), newly_fail, newly_pass, changed, notes)


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

_PARAM_LABELS = {
    "ja": {"min_length": "最小の長さ", "weak_severity": "弱い方式の重大度", "weak_methods": "弱い認証方式", "strong_methods": "強い認証方式",
           "max_length": "最大の文字数", "max_hashtags": "ハッシュタグの上限", "max_chars": "1 文の文字数の上限",
           "limits": "文字数の上限", "max": "ハッシュタグの上限", "max_days_before": "過去の日付として扱わない日数",
           "shorteners": "短縮 URL のサービス", "statuses": "対象とする状態", "rights_required": "権利の記録に必要な項目",
           "retention_days": "保存期間（日）", "allowed_hosts": "許可するホスト", "required": "必要な人数", "min_holders": "最少の人数",
           "max_future_days": "先の日付として認める日数", "min_score": "強度の最低点", "max_age_days": "パスワードの有効日数",
           "lexicons": "語彙", "report_to": "報告先", "host_severity": "ホスト違いの重大度", "password_severity": "パスワード未変更の重大度"},
    "en": {},
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


def _pname(name: str, lang: str) -> str:
    """``最小の長さ（min_length）`` in Japanese when the parameter has a label, else the name."""
    label = _PARAM_LABELS.get(lang, {}).get(name)
    if lang == "ja":
        return f"{label}（{name}）" if label else f"パラメータ {name} "
    return f"parameter {name}"


def _went_up(c: Change) -> bool | None:
    """Did the value rise (a number, or a severity)? None when it cannot be told."""
    o: float | None
    n: float | None
    if c.subject.endswith("_severity") or c.subject == "severity":
        o, n = _sev_rank(c.old), _sev_rank(c.new)
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
        name = _pname(c.subject, lang)
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
    if k == "guideline-clause":
        return f"ガイドラインの条項 {c.clause} の本文または確認の可否を変更" if ja else f"guideline clause {c.clause}: text or checkability changed"
    if k == "guideline-clause-wording":
        return f"ガイドラインの条項 {c.clause} の見出し・説明を変更" if ja else f"guideline clause {c.clause}: title or explanation changed"
    if k == "wording":
        return f"文言を変更（{c.subject}）" if ja else f"wording changed ({c.subject})"
    return f"{k} {c.subject}"


def _old_new(c: Change, lang: str) -> tuple[str, str]:
    if c.items or c.kind in ("rule-added", "rule-removed", "wording", "lexicon-wording", "guideline-clause-added",
                             "guideline-clause-removed", "guideline-clause-wording", "category-added", "category-removed"):
        return "", ""
    return _v(c.old, lang), _v(c.new, lang)


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
            out.append(f"| {rule} | {_md(c.clause or '—')} | {_md(describe(c, lang))} | {_md(o)} | {_md(n)} |")
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
