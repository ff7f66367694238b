"""``policy diff --impact REPO``: lint a posts repo under the old and the new policy (through the
one pipeline, :func:`snspolicy.app.lint.lint`) and list the files that newly fail or newly pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from snspolicy.app.lint import LintOptions, Selection, lint
from snspolicy.app.setup import Setup
from snspolicy.core.model import Severity
from snspolicy.engine.core import Result
from snspolicy.io.config import Config
from snspolicy.policy.diff import FileImpact, Impact
from snspolicy.policy.model import Policy

__all__ = ["impact"]


def _run(repo_root: Path, pol: Policy, cfg: Config, today: dt.date, lang: str, notes: list[str]) -> Result:
    from snspolicy.policy import model as policy_mod

    overrides = {k: v for k, v in (cfg.rules or {}).items() if k in pol.rules}
    for k in sorted(set(cfg.rules or {}) - set(overrides)):
        notes.append(f"{pol.id}: override {k}")
    pol = policy_mod.apply_overrides(pol, overrides)
    return lint(Setup(repo_root, cfg, pol), Selection(), LintOptions(lang=lang, today=today)).result


def _per_file(result: Result, fail_on: Severity) -> dict[str, tuple[bool, dict[str, Severity]]]:
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
