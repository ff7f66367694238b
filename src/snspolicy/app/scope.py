"""What a pull-request run (``lint --base REF``) reports: the files a change touches, and the files
it affects through another file, each with the rules that depend on the change.

* every file added, modified or renamed, with every rule — except the text rules (registered with
  ``text=True``) on a changed post, which keep only findings on the lines the change added or
  modified (unless the post's ``publish_at``, ``account``, ``consultation`` or ``waivers`` changed,
  which changes what every line means);
* files the change affects through another file, with the rules that declare that they read that
  kind of file (``@rule(…, depends_on=("account",))``): an account edit re-checks its posts with
  the post rules that read accounts, a press-release edit re-checks ``post-embargo`` …;
* a change of ``snspolicy.yaml`` or of a policy kept inside the repo re-checks everything.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from snspolicy.core.model import Finding
from snspolicy.engine.registry import load_builtin_rules
from snspolicy.io.changes import ChangeSet
from snspolicy.io.config import CONFIG_NAME, Config
from snspolicy.io.repo import Repo
from snspolicy.policy.model import Policy

__all__ = ["POST_CONTEXT_KEYS", "Scope", "affected_scopes", "filter_findings", "local_policy_dirs", "rules_depending_on"]

# front-matter keys whose change changes the meaning of every body line (text rules see the whole post)
POST_CONTEXT_KEYS = ("publish_at", "account", "consultation", "waivers")


def text_rule_ids(policy: Policy | None = None) -> frozenset[str]:
    """Rules registered with ``text=True``: findings about the words of a post; with ``policy``,
    its rules of a generic text kind too (``kind: lexicon``, ``kind: pattern``)."""
    ids = {rid for rid, impl in load_builtin_rules().items() if impl.text}
    if policy is not None:
        from snspolicy.engine.registry import implementation

        ids |= {rid for rid, spec in policy.rules.items() if spec.kind and (impl := implementation(spec)) and impl.text}
    return frozenset(ids)


def rules_depending_on(source: str, target: str) -> frozenset[str]:
    """Ids of the rules that check a ``target`` file ("post", "account", "incident", "registry")
    and declare that they read ``source`` files ("account", "post", "press", "media", "doc",
    "roster"). A rule of the whole repo (``kinds=("repo",)``) is counted for the 一覧表 (target
    "registry"), the one file that such a rule checks on behalf of others."""
    out = set()
    for rid, impl in load_builtin_rules().items():
        if source in impl.depends_on and (target in impl.kinds or ("repo" in impl.kinds and target == "registry")):
            out.add(rid)
    return frozenset(out)


@dataclass
class Scope:
    """Which findings of one file a change-based lint keeps.

    ``rules``: the non-text rules kept (None = all of them). ``text``: the text rules kept —
    ``all``, ``lines`` (only findings on ``lines``) or ``none``.
    """

    rules: frozenset[str] | None = None
    text: str = "all"
    lines: set[int] | None = None

    def merge(self, other: Scope) -> Scope:
        rules = None if self.rules is None or other.rules is None else self.rules | other.rules
        order = {"none": 0, "lines": 1, "all": 2}
        text = max(self.text, other.text, key=order.__getitem__)
        lines = set(self.lines or ()) | set(other.lines or ()) if text == "lines" else None
        return Scope(rules, text, lines)

    def keeps(self, f: Finding, text_rules: frozenset[str] | None = None) -> bool:
        if text_rules is None:
            text_rules = text_rule_ids()
        if f.rule in text_rules:
            if self.text == "lines":
                lo, hi = f.line, max(f.end_line or f.line, f.line)
                return any(n in (self.lines or ()) for n in range(lo, min(hi, lo + 200) + 1))
            return self.text == "all"
        return self.rules is None or f.rule in self.rules


def _under(path: str, folder: str) -> bool:
    folder = folder.strip("/").replace("\\", "/")
    return bool(folder) and (path == folder or path.startswith(folder + "/"))


def _str_id(value: Any) -> str | None:
    return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else None


def affected_scopes(changes: ChangeSet, repo: Repo, config: Config, policy_root: Path | None = None) -> dict[str, Scope] | None:
    """Path → :class:`Scope` of every file to report on; None means the whole repo (a change of
    snspolicy.yaml or of the policy in use, when it is kept inside the repo)."""
    paths = config.paths
    local_policy = local_policy_dirs(config, changes.root, policy_root)
    for c in changes.files:
        for p in filter(None, (c.path, c.old_path)):
            if p == CONFIG_NAME or any(_under(p, d) for d in local_policy):
                return None
    scopes: dict[str, Scope] = {}

    def add(path: str, scope: Scope) -> None:
        scopes[path] = scopes[path].merge(scope) if path in scopes else scope

    docs = {d.path: d for d in repo.documents}
    posts = repo.by_kind("post")
    accounts = repo.by_kind("account")
    incidents = repo.by_kind("incident")
    rules_docs: dict[str, list[str]] = {}
    for acc in accounts:
        ref = acc.get("operating_rules")
        if isinstance(ref, str):
            rules_docs.setdefault(_norm(ref), []).append(acc.path)
    for c in changes.files:
        if not c.exists:
            add(c.path, Scope())
            if c.old_path and c.old_path != c.path:
                add(c.old_path, Scope())
            continue
        doc = docs.get(c.path)
        scope = Scope()
        if doc is not None and doc.kind == "post" and c.old_path is not None:
            old = changes.old_document("post", c.old_path)
            if old is not None and all(old.get(k) == doc.get(k) for k in POST_CONTEXT_KEYS):
                lines = changes.changed_lines(c.path, doc.text)
                if lines is not None:
                    scope = Scope(None, "lines", lines)
        add(c.path, scope)
        if c.old_path and c.old_path != c.path:
            add(c.old_path, Scope())  # a rename: findings about the old path (e.g. post-removed)

    def dep(name: str) -> Scope:
        source, target = name.split("->")
        return Scope(rules_depending_on(source, target), "none")

    for c in changes.files:
        for p in filter(None, {c.path, c.old_path}):
            if _under(p, paths.get("accounts", "accounts")) and p.endswith((".yaml", ".yml")):
                ids = {PurePosixPath(p).stem}
                for prior in (docs.get(p) if c.exists else None,
                              changes.old_document("account", c.old_path) if c.old_path else None):
                    did = _str_id(prior.get("id")) if prior is not None else None
                    if did:
                        ids.add(did)
                for post in posts:
                    if _str_id(post.get("account")) in ids:
                        add(post.path, dep("account->post"))
                for inc in incidents:
                    if ids & _mentioned_accounts(inc.data):
                        add(inc.path, dep("account->incident"))
                for acc in accounts:
                    if acc.path != p:
                        add(acc.path, dep("account->account"))
                if config.registry:
                    add(str(config.registry).replace("\\", "/"), dep("account->registry"))
            elif _under(p, paths.get("posts", "posts")) and p.endswith(".md"):
                for maybe in (docs.get(p) if c.exists and p == c.path else None,
                              changes.old_document("post", c.old_path) if c.old_path and p == c.old_path else None):
                    acc_id = _str_id(maybe.get("account")) if maybe is not None else None
                    owner = repo.accounts.get(acc_id) if acc_id else None
                    if owner is not None:
                        add(owner.path, dep("post->account"))
            elif _under(p, paths.get("press", "press")) and p.endswith((".yaml", ".yml")):
                # post-embargo matches keywords after normalization: re-check every post's embargo
                for post in posts:
                    add(post.path, dep("press->post"))
            elif _under(p, paths.get("media", "media")):
                for post in posts:
                    media = post.get("media")
                    refs = {_norm(m.get("path")) for m in media if isinstance(m, dict)} if isinstance(media, list) else set()
                    if p in refs:
                        add(post.path, dep("media->post"))
            if config.roster and p == str(config.roster).replace("\\", "/"):
                for acc in accounts:
                    add(acc.path, dep("roster->account"))
                for post in posts:
                    add(post.path, dep("roster->post"))
            for acc_path in rules_docs.get(p, ()):
                add(acc_path, dep("doc->account"))
    return scopes


def _norm(value: Any) -> str:
    """A repo-relative path as written in a file (``./media/a.jpg``) → ``media/a.jpg``."""
    s = str(value or "").replace("\\", "/").strip()
    s = posixpath.normpath(s) if s else s
    while s.startswith("./"):
        s = s[2:]
    return s.lstrip("/")


def _mentioned_accounts(data: Any) -> set[str]:
    """Account ids named anywhere in an incident record (its account and announcement accounts)."""
    out: set[str] = set()
    stack = [data]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                if isinstance(k, str) and "account" in k and isinstance(v, (str, int)):
                    out.add(str(v).strip())
                else:
                    stack.append(v)
        elif isinstance(cur, list):
            stack.extend(cur)
    return out


def local_policy_dirs(config: Config, root: Path, policy_root: Path | None = None) -> list[str]:
    """Folders inside the posts repo holding the policy in use (``policy:`` or ``--policy`` a path)."""
    out = []
    candidates = [root / str(config.policy or "")]
    if policy_root is not None:
        candidates.append(Path(policy_root))
    for p in candidates:
        try:
            if p.is_file():
                p = p.parent
            if (p / "policy.yaml").is_file():
                rel = p.resolve().relative_to(root.resolve()).as_posix()
                if rel and rel != "." and rel not in out:
                    out.append(rel)
        except (OSError, ValueError):
            continue
    return out


def filter_findings(findings: list[Finding], scopes: dict[str, Scope] | None, policy: Policy | None = None) -> list[Finding]:
    """Keep the findings of :func:`affected_scopes`; engine-level findings with no file are kept."""
    if scopes is None:
        return findings
    text_rules = text_rule_ids(policy)
    out: list[Finding] = []
    for f in findings:
        if f.path in (".", "") and f.fatal:
            out.append(f)
            continue
        scope = scopes.get(f.path)
        if scope is None:
            continue
        if scope.keeps(f, text_rules) or (f.fatal and scope.rules is None):
            out.append(f)
    return out
