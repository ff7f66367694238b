"""Git for the pull-request workflow: what changed since a base ref, and the policy of that ref.

``snspolicy lint --base REF`` lints what a change touches, not the whole repo:

* every file added, modified or renamed between REF and the working tree (untracked files
  included, ignored files not), with every rule — except the text rules (``text-``, ``pii-``,
  ``accuracy-``, ``link-``, ``clarity-``) on a changed post, which keep only findings on the
  lines the change added or modified (unless the post's ``publish_at``, ``account`` or
  ``consultation`` changed, which changes what every line means);
* files the change affects through another file, with the rules that depend on it
  (see :data:`DEPENDENCIES`): an account edit re-checks its posts (except the text rules),
  a press-release edit re-checks ``post-embargo`` of the posts that link it or use its keywords …;
* a change of ``snspolicy.yaml`` or of a policy inside the repo re-checks everything;
* the change-based rules (``snspolicy.rules.workflow``) read the :class:`Changes` object
  put in ``ctx.shared["changes"]`` (removed posts, edits of published posts, holder changes …).

``--policy-from REF`` reads ``snspolicy.yaml`` (rule overrides, allow-lists, paths, exclude)
and a policy kept inside the repo from REF instead of the working tree, so that a pull request
cannot loosen the rules and add content that needs the looser rules in one go. A policy named
by id (``ube/2025-04-01``) is the package's bundled copy and cannot be changed by a pull request;
what the pull request can change is ``policy:`` itself, which is read from REF too.

All git calls go through :class:`Git`: ``git -C ROOT …`` without a shell, with a timeout, and
every failure becomes a :class:`GitError` (a ConfigError: exit status 2, with a message that
says what to do — e.g. how to fetch a base ref missing from a shallow CI clone).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import posixpath
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from snspolicy.io.config import CONFIG_NAME, ConfigError
from snspolicy.core.model import Finding, Span

__all__ = [
    "DEPENDENCIES",
    "TEXT_RULE_PREFIXES",
    "Changes",
    "FileChange",
    "Git",
    "GitError",
    "Scope",
    "affected_scopes",
    "changed_lines",
    "collect_changes",
    "filter_findings",
    "is_text_rule",
    "lint_changes",
    "materialize",
    "setup_from_ref",
]

GIT_TIMEOUT = 120  # seconds per git call
MAX_BLOB = 20 * 1024 * 1024  # a policy or posts-repo text file larger than this is not read
TEXT_RULE_PREFIXES = ("text-", "pii-", "accuracy-", "link-", "clarity-")
# front-matter keys whose change changes the meaning of every body line (text rules see the whole post)
POST_CONTEXT_KEYS = ("publish_at", "account", "consultation", "waivers")

# What re-checking an affected (unchanged) file means: the rules whose result depends on the
# changed file. ``None`` = every rule except the text rules.
DEPENDENCIES: dict[str, frozenset[str] | None] = {
    "account->post": None,                                           # approvers, platform, account exists
    "account->incident": frozenset({"incident-other-account", "incident-steps", "incident-order"}),
    "account->account": frozenset({"account-duplicate"}),             # same handle/URL in two files
    "account->registry": frozenset({"registry-stale"}),               # 4(5): the 一覧表 follows the accounts
    "post->account": frozenset({"account-approval"}),                 # approval before the first post
    "press->post": frozenset({"post-embargo"}),                      # linked, or by keyword: every post
    "media->post": frozenset({"post-media", "media-exif-location"}),
    "doc->account": frozenset({"account-operating-rules"}),
    "roster->account": frozenset({"account-roster", "account-manager", "account-review"}),
    "roster->post": frozenset({"post-author"}),
}


# ----------------------------------------------------------------------------- errors and text


_TEXT = {
    "no_git": {
        "ja": "git コマンドが見つかりません。git をインストールしてください（--base / --policy-from には git が必要です）。",
        "en": "The git command was not found. Install git (--base and --policy-from need it).",
    },
    "not_repo": {
        "ja": "{root} は git リポジトリではありません。--base / --policy-from は git で管理している投稿リポジトリで使ってください。",
        "en": "{root} is not a git repository. Use --base / --policy-from in a posts repo managed with git.",
    },
    "missing_ref": {
        "ja": "比較の基準「{ref}」が git にありません。CI の浅いクローン（shallow clone）では先に基準を取得してください: `{fetch}`（ブランチ名・タグ名の綴りも確認してください）",
        "en": "The base '{ref}' is not in git. In a shallow CI clone, fetch it first: `{fetch}` (also check the spelling of the branch or tag).",
    },
    "no_merge_base": {
        "ja": "「{ref}」と現在のコミットの共通の祖先が見つかりません（浅いクローンで履歴が足りません）。履歴を取得してください: `git fetch --deepen=100 origin`（または `git fetch --unshallow`。GitHub Actions では actions/checkout の fetch-depth: 0）",
        "en": "No common ancestor of '{ref}' and the current commit (the shallow clone lacks history). Fetch more history: `git fetch --deepen=100 origin` (or `git fetch --unshallow`; in GitHub Actions, actions/checkout with fetch-depth: 0).",
    },
    "timeout": {
        "ja": "git {command} が {seconds} 秒で終わりませんでした。",
        "en": "git {command} did not finish within {seconds} seconds.",
    },
    "failed": {
        "ja": "git {command} が失敗しました（終了コード {code}）: {detail}",
        "en": "git {command} failed (exit status {code}): {detail}",
    },
    "policy_not_at_ref": {
        "ja": "ポリシー「{policy}」が {ref} にありません（--policy-from {ref}）。ポリシーを追加・変更するプルリクエストと投稿のプルリクエストは分けてください。",
        "en": "Policy '{policy}' does not exist at {ref} (--policy-from {ref}). Put a new or changed policy in its own pull request, apart from posts.",
    },
}


def _t(key: str, lang: str, **kw: Any) -> str:
    m = _TEXT[key]
    return (m.get(lang) or m["ja"]).format(**kw)


class GitError(ConfigError):
    """A git problem: a fatal setup error (exit status 2) whose ``code`` is the finished message.

    It is a :class:`~snspolicy.config.ConfigError`, so the CLI reports it like a broken
    ``snspolicy.yaml``: one located finding in the requested output format, exit status 2.
    """

    def __init__(self, message: str) -> None:
        super().__init__(".", Span(), message.replace("{", "{{").replace("}", "}}"), {}, "git")
        self.text = message

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return self.text


def fetch_hint(ref: str) -> str:
    """The command that makes ``ref`` available in a shallow clone."""
    if ref.startswith("origin/") and len(ref) > 7:
        branch = ref[7:]
        return f"git fetch --depth=50 origin +refs/heads/{branch}:refs/remotes/origin/{branch}"
    if any(c in ref for c in "~^@{:"):  # HEAD~5, main^, @{upstream}: relative to history, not a branch
        return "git fetch --deepen=50 origin"
    if ref.startswith("refs/") or len(ref) >= 7 and all(c in "0123456789abcdef" for c in ref.lower()):
        return f"git fetch --depth=50 origin {ref}"
    return f"git fetch --depth=50 origin +refs/heads/{ref}:refs/heads/{ref}"


# ----------------------------------------------------------------------------- git


class Git:
    """``git -C root …`` without a shell; bytes in and out; every failure a :class:`GitError`."""

    def __init__(self, root: Path, lang: str = "ja", timeout: float = GIT_TIMEOUT) -> None:
        self.root = Path(root)
        self.lang = lang
        self.timeout = timeout

    def run(self, *args: str, input: bytes | None = None, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        cmd = ["git", "-C", str(self.root), "-c", "core.quotepath=off", *args]
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
        try:
            cp = subprocess.run(cmd, input=input, capture_output=True, timeout=self.timeout, env=env, check=False)
        except FileNotFoundError:
            raise GitError(_t("no_git", self.lang)) from None
        except subprocess.TimeoutExpired:
            raise GitError(_t("timeout", self.lang, command=args[0], seconds=int(self.timeout))) from None
        except OSError as exc:
            raise GitError(_t("failed", self.lang, command=args[0], code="-", detail=exc.strerror or str(exc))) from None
        if cp.returncode not in ok:
            detail = cp.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(_t("failed", self.lang, command=args[0], code=cp.returncode, detail=(detail[-1] if detail else "")[:300]))
        return cp

    # -- repository ---------------------------------------------------------
    def toplevel(self) -> Path:
        cp = self.run("rev-parse", "--show-toplevel", ok=(0, 128))
        if cp.returncode != 0:
            raise GitError(_t("not_repo", self.lang, root=self.root))
        return Path(cp.stdout.decode("utf-8", "surrogateescape").strip())

    def prefix(self) -> str:
        """The posts root inside the git work tree: ``""`` or ``"sub/dir/"``."""
        cp = self.run("rev-parse", "--show-prefix", ok=(0, 128))
        if cp.returncode != 0:
            raise GitError(_t("not_repo", self.lang, root=self.root))
        return cp.stdout.decode("utf-8", "surrogateescape").strip()

    def commit(self, ref: str) -> str | None:
        """The commit id ``ref`` names, or None when git does not have it."""
        if not ref or ref.startswith("-") or "\0" in ref:
            return None
        cp = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", ok=(0, 1, 128))
        out = cp.stdout.decode("ascii", "replace").strip()
        return out if cp.returncode == 0 and out else None

    def require_commit(self, ref: str) -> str:
        self.toplevel()
        sha = self.commit(ref)
        if sha is None:
            raise GitError(_t("missing_ref", self.lang, ref=ref, fetch=fetch_hint(ref)))
        return sha

    def is_shallow(self) -> bool:
        cp = self.run("rev-parse", "--is-shallow-repository", ok=(0, 128))
        return cp.stdout.strip() == b"true"

    def merge_base(self, a: str, b: str) -> str | None:
        cp = self.run("merge-base", a, b, ok=(0, 1, 128))
        out = cp.stdout.decode("ascii", "replace").strip()
        return out if cp.returncode == 0 and out else None

    def raw_parents(self, commit: str) -> list[str]:
        """Parent ids as written in the commit object (visible even beyond a shallow boundary)."""
        cp = self.run("cat-file", "commit", commit, ok=(0, 128))
        if cp.returncode != 0:
            return []
        parents = []
        for line in cp.stdout.split(b"\n"):
            if not line:
                break
            if line.startswith(b"parent "):
                parents.append(line[7:].decode("ascii", "replace").strip())
        return parents

    def comparison_commit(self, ref: str) -> str:
        """The commit to diff the working tree against: the merge base of REF and HEAD.

        Falls back to REF itself when HEAD is a merge commit on top of REF (GitHub's pull-request
        checkout in a shallow clone) or there is no HEAD yet; otherwise a shallow clone without
        enough history is an error rather than a diff full of false "removed" files.
        """
        base = self.require_commit(ref)
        head = self.commit("HEAD")
        if head is None or head == base:
            return base
        mb = self.merge_base(base, head)
        if mb:
            return mb
        if base in self.raw_parents(head):
            return base
        raise GitError(_t("no_merge_base", self.lang, ref=ref))

    # -- changes -------------------------------------------------------------
    def name_status(self, commit: str) -> list[FileChange]:
        """``git diff --name-status -z -M commit`` (working tree vs commit), paths relative to root."""
        cp = self.run("diff", "--name-status", "-z", "-M", "--relative", "--no-ext-diff", "--no-color", commit, "--")
        parts = cp.stdout.split(b"\0")
        out: list[FileChange] = []
        i = 0
        while i < len(parts):
            st = parts[i].decode("ascii", "replace").strip()
            if not st:
                i += 1
                continue
            code = st[0]
            if code in "RC":
                if i + 2 >= len(parts):
                    break
                old, new = _dec(parts[i + 1]), _dec(parts[i + 2])
                out.append(FileChange(code, new, old))
                i += 3
            else:
                if i + 1 >= len(parts):
                    break
                path = _dec(parts[i + 1])
                out.append(FileChange(code if code in "AMDT" else "M", path, None if code == "A" else path))
                i += 2
        return out

    def untracked(self) -> list[str]:
        cp = self.run("ls-files", "--others", "--exclude-standard", "-z")
        return [_dec(p) for p in cp.stdout.split(b"\0") if p]

    def show(self, commit: str, path: str) -> bytes | None:
        """Contents of ``path`` (relative to root) at ``commit``; None when it is not a file there."""
        spec = f"{commit}:./{path}" if not path.startswith("../") else f"{commit}:{path}"
        # ``git show REF:path`` without its porcelain: raw bytes, no textconv, and a folder is not a file
        cp = self.run("cat-file", "blob", spec, ok=(0, 128))
        return cp.stdout[: MAX_BLOB + 1] if cp.returncode == 0 else None

    def ls_tree(self, commit: str, path: str) -> list[tuple[str, str, str]]:
        """(mode, blob id, path relative to root) of every file under ``path`` at ``commit``."""
        cp = self.run("ls-tree", "-r", "-z", commit, "--", path or ".", ok=(0, 128))
        out = []
        for entry in cp.stdout.split(b"\0"):
            if not entry or b"\t" not in entry:
                continue
            meta, name = entry.split(b"\t", 1)
            bits = meta.decode("ascii", "replace").split()
            if len(bits) == 3 and bits[1] == "blob":
                out.append((bits[0], bits[2], _dec(name)))
        return out

    def blobs(self, ids: Iterable[str]) -> dict[str, bytes]:
        """Several blobs in one ``git cat-file --batch`` call."""
        ids = [i for i in dict.fromkeys(ids) if i]
        if not ids:
            return {}
        cp = self.run("cat-file", "--batch", input=("\n".join(ids) + "\n").encode("ascii"))
        data, pos, out = cp.stdout, 0, {}
        for want in ids:
            nl = data.find(b"\n", pos)
            if nl < 0:
                break
            header = data[pos:nl].decode("ascii", "replace").split()
            pos = nl + 1
            if len(header) < 3 or header[1] == "missing":
                continue
            size = int(header[2])
            out[want] = data[pos:pos + size]
            pos += size + 1
        return out


def _dec(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def materialize(git: Git, commit: str, path: str, dest: Path) -> list[Path]:
    """Write the files under ``path`` (relative to git's root folder) at ``commit`` below ``dest``.

    Only regular files are written (no symlinks, no submodules); a path that would leave ``dest``
    is skipped. Returns the files written.
    """
    written: list[Path] = []
    entries = [(m, sha, p) for m, sha, p in git.ls_tree(commit, path) if m in ("100644", "100755")]
    contents = git.blobs(sha for _, sha, _ in entries)
    dest = dest.resolve()
    for _, sha, rel in entries:
        data = contents.get(sha)
        if data is None or len(data) > MAX_BLOB:
            continue
        norm = posixpath.normpath(rel)
        if norm.startswith("../") or norm == ".." or posixpath.isabs(norm):
            norm = norm.lstrip("/")
            while norm.startswith("../"):
                norm = norm[3:]
            norm = "_up/" + norm
        target = (dest / norm).resolve()
        try:
            target.relative_to(dest)
        except ValueError:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


# ----------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class FileChange:
    """One changed file. ``status``: A added, M modified, D deleted, R renamed, C copied, T type change.

    ``path`` is the path now (for D the removed path), ``old_path`` the path at the base (None for A);
    both relative to the posts repo root, with forward slashes.
    """

    status: str
    path: str
    old_path: str | None

    @property
    def exists(self) -> bool:
        return self.status != "D"


@dataclass
class Changes:
    """What changed between the base and the working tree; read by the workflow rules."""

    base: str  # the ref as the user gave it
    commit: str  # the commit compared with (merge base of base and HEAD)
    files: list[FileChange]
    git: Git
    root: Path
    policy_from: str | None = None
    _old: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    _old_docs: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def paths(self) -> set[str]:
        out = set()
        for c in self.files:
            out.add(c.path)
            if c.old_path:
                out.add(c.old_path)
        return out

    def get(self, path: str) -> FileChange | None:
        for c in self.files:
            if c.path == path:
                return c
        return None

    def old_bytes(self, path: str) -> bytes | None:
        if path not in self._old:
            self._old[path] = self.git.show(self.commit, path)
        return self._old[path]

    def old_text(self, path: str) -> str | None:
        data = self.old_bytes(path)
        if data is None or len(data) > MAX_BLOB:
            return None
        from snspolicy.io.errors import LoadError
        from snspolicy.io.textfile import decode_text

        try:
            return decode_text(data)
        except LoadError:
            return None

    def old_document(self, kind: str, path: str):
        """The file as it was at the base, parsed like the loader does; None when absent/unreadable."""
        key = (kind, path)
        if key not in self._old_docs:
            self._old_docs[key] = _parse(kind, path, self.root / path, self.old_text(path))
        return self._old_docs[key]

    def changed_lines(self, path: str, new_text: str | None) -> set[int] | None:
        """Line numbers (1-based) of ``path`` now that the change added or modified; None = all."""
        c = self.get(path)
        if c is None:
            return set()
        if c.old_path is None or new_text is None:
            return None
        old = self.old_text(c.old_path)
        if old is None:
            return None
        return changed_lines(old, new_text)


def _parse(kind: str, rel: str, abs_path: Path, text: str | None):
    if text is None:
        return None
    from snspolicy.io.documents import Document, split_front_matter
    from snspolicy.io.errors import LoadError
    from snspolicy.io.yamlloc import load_yaml

    try:
        if kind == "post":
            parts = split_front_matter(text)
            if parts is None:
                return None
            front, line_offset, body, body_offset = parts
            located = load_yaml(front, line_offset=line_offset)
            if located.data is None:
                located.data = {}
            return Document(kind, rel, abs_path, text, located, body, body_offset)
        return Document(kind, rel, abs_path, text, load_yaml(text))
    except (LoadError, ValueError, RecursionError):
        return None


def changed_lines(old: str, new: str) -> set[int]:
    """Lines of ``new`` (1-based) inserted or replaced relative to ``old``; a pure deletion marks
    the line that now stands where the deleted lines were (joined sentences are re-checked)."""
    a, b = old.splitlines(), new.splitlines()
    out: set[int] = set()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "insert"):
            out.update(range(j1 + 1, j2 + 1))
        elif tag == "delete":
            for j in (j1, j1 + 1):
                if 1 <= j <= len(b):
                    out.add(j)
    return out


def collect_changes(git: Git, base: str, root: Path, *, policy_from: str | None = None,
                    exclude: Callable[[str], bool] | None = None) -> Changes:
    """The files changed between ``base`` (its merge base with HEAD) and the working tree."""
    commit = git.comparison_commit(base)
    files = git.name_status(commit)
    seen = {c.path for c in files}
    deleted = {c.path: i for i, c in enumerate(files) if c.status == "D"}
    for p in git.untracked():
        if p in deleted:  # removed from the index but still on disk: a modification
            files[deleted[p]] = FileChange("M", p, p)
        elif p not in seen:
            files.append(FileChange("A", p, None))
    files = [c for c in files if not (exclude and exclude(c.path) and (c.old_path is None or exclude(c.old_path)))]
    files.sort(key=lambda c: (c.path, c.status))
    return Changes(base, commit, files, git, root, policy_from)


# ----------------------------------------------------------------------------- what to re-check


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

    def keeps(self, f: Finding) -> bool:
        if is_text_rule(f.rule):
            if self.text == "lines":
                lo, hi = f.line, max(f.end_line or f.line, f.line)
                return any(n in (self.lines or ()) for n in range(lo, min(hi, lo + 200) + 1))
            return self.text == "all"
        return self.rules is None or f.rule in self.rules


def is_text_rule(rule_id: str) -> bool:
    return rule_id.startswith(TEXT_RULE_PREFIXES)


def _under(path: str, folder: str) -> bool:
    folder = folder.strip("/").replace("\\", "/")
    return bool(folder) and (path == folder or path.startswith(folder + "/"))


def _str_id(value: Any) -> str | None:
    return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else None


def affected_scopes(changes: Changes, repo, config, policy_root: Path | None = None) -> dict[str, Scope] | None:
    """Path → :class:`Scope` of every file to report on; None means the whole repo (a change of
    snspolicy.yaml or of the policy in use, when it is kept inside the repo)."""
    paths = config.paths
    local_policy = _local_policy_dirs(config, changes.root, policy_root)
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
        return Scope(DEPENDENCIES[name], "none")

    for c in changes.files:
        for p in filter(None, {c.path, c.old_path}):
            if _under(p, paths.get("accounts", "accounts")) and p.endswith((".yaml", ".yml")):
                ids = {PurePosixPath(p).stem}
                for d in (docs.get(p) if c.exists else None, changes.old_document("account", c.old_path) if c.old_path else None):
                    did = _str_id(d.get("id")) if d is not None else None
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
                for d in (docs.get(p) if c.exists and p == c.path else None,
                          changes.old_document("post", c.old_path) if c.old_path and p == c.old_path else None):
                    acc_id = _str_id(d.get("account")) if d is not None else None
                    acc = repo.accounts.get(acc_id) if acc_id else None
                    if acc is not None:
                        add(acc.path, dep("post->account"))
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


def _local_policy_dirs(config, root: Path, policy_root: Path | None = None) -> list[str]:
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


def filter_findings(findings: list[Finding], scopes: dict[str, Scope] | None) -> list[Finding]:
    """Keep the findings of :func:`affected_scopes`; engine-level findings with no file are kept."""
    if scopes is None:
        return findings
    out = []
    for f in findings:
        if f.path in (".", "") and f.fatal:
            out.append(f)
            continue
        scope = scopes.get(f.path)
        if scope is None:
            continue
        if scope.keeps(f) or (f.fatal and scope.rules is None):
            out.append(f)
    return out


# ----------------------------------------------------------------------------- policy from a ref


def setup_from_ref(root: Path, ref: str, policy_ref: str | None, git: Git, tmp: Path, lang: str = "ja"):
    """A runner Setup whose config (snspolicy.yaml) and repo-local policy come from ``ref``.

    The repo's files (accounts, posts, the roster …) are still those of the working tree. The
    base's snspolicy.yaml (none = the defaults) is written to a temp folder and the policy it
    names is resolved there: a path inside the repository is taken from ``ref`` too, a policy id
    is the package's bundled copy, a path outside the repository is used as it is. Then
    :func:`runner.prepare` does the rest (overrides, plugins) exactly as without ``--policy-from``.
    """
    from snspolicy.io import config as config_mod
    from snspolicy.app import setup as runner
    from snspolicy.core.resources import data_dir

    commit = git.require_commit(ref)
    top = git.toplevel().resolve()
    prefix = git.prefix()
    tree = tmp / "tree"
    base_root = tree / prefix if prefix else tree
    base_root.mkdir(parents=True, exist_ok=True)
    cfg_bytes = git.show(commit, CONFIG_NAME)
    (base_root / CONFIG_NAME).write_bytes(cfg_bytes if cfg_bytes is not None else b"{}\n")
    cfg = config_mod.load(base_root)
    pref = policy_ref or cfg.policy
    p = Path(pref)
    target = p if p.is_absolute() else (root / p)
    try:
        rel_top = Path(os.path.normpath(target.resolve())).relative_to(top).as_posix()
    except (ValueError, OSError):
        rel_top = None  # outside the repository: a pull request cannot change it
    if rel_top is None:
        resolved = str(target)
    else:
        files = materialize(Git(top, lang, git.timeout), commit, rel_top, tree)
        bundled = data_dir("policy") / pref
        if files:
            resolved = str(tree / rel_top)
        elif not p.is_absolute() and (bundled.is_file() or (bundled / "policy.yaml").is_file()):
            resolved = str(bundled)
        else:
            raise GitError(_t("policy_not_at_ref", lang, policy=pref, ref=ref))
    setup = runner.prepare([base_root], resolved)
    setup.root = root
    setup.only = None
    setup.config.path = root / CONFIG_NAME
    return setup


# ----------------------------------------------------------------------------- the lint entry point


def lint_changes(paths: list, *, base: str | None = None, policy_from: str | None = None, lang: str = "ja",
                 today: dt.date | None = None, select: Callable | None = None, policy_ref: str | None = None):
    """``snspolicy lint --base REF [--policy-from REF]``: returns ``(setup, repo, result)``.

    Raises ConfigError / PolicyError (GitError for git problems) like :func:`runner.prepare`.
    """
    from snspolicy.app import setup as runner
    from snspolicy.engine.core import Engine
    from snspolicy.io.repo import load_repo
    from snspolicy.engine.registry import load_builtin_rules

    try:  # the change-based rules live with git; make sure they are registered
        import importlib

        load_builtin_rules()
        importlib.import_module("snspolicy.rules.workflow")
    except ModuleNotFoundError:  # pragma: no cover
        pass

    given = [Path(p) for p in paths] or [Path.cwd()]
    root = runner.find_root(given[0])
    git = Git(root, lang)
    git.toplevel()
    with tempfile.TemporaryDirectory(prefix="snspolicy-ref-") as tmpname:
        if policy_from:
            setup = setup_from_ref(root, policy_from, policy_ref, git, Path(tmpname), lang)
        else:
            setup = runner.prepare([root], policy_ref)
        repo = load_repo(setup.root, setup.config)
        restrict = _restriction(given, root)
        changes = None
        scopes: dict[str, Scope] | None = None
        if base:
            changes = collect_changes(git, base, root, policy_from=policy_from, exclude=repo._excluded)
            scopes = affected_scopes(changes, repo, setup.config, setup.policy.root)
            if scopes is not None:
                repo.only = set(scopes) | {"."}  # "." keeps an internal error of a repo-wide rule
        if restrict is not None:
            keep = {d.path for d in repo.documents} | {e.path for e in repo.errors} | (set(scopes) if scopes else set())
            if changes is not None:
                keep |= changes.paths()
            selected = {p for p in keep if any(p == r or p.startswith(r.rstrip("/") + "/") for r in restrict)}
            repo.only = selected if repo.only is None else (repo.only & selected)
        engine = Engine(repo, setup.policy, lang=lang, today=today, select=select)
        if changes is not None:
            engine.ctx.shared["changes"] = changes
        result = engine.run()
        result.findings = filter_findings(result.findings, scopes)
        if repo.only is not None:
            result.findings = [f for f in result.findings if f.path in repo.only or (f.fatal and f.path in (".", ""))]
            result.files_checked = sum(1 for d in repo.documents if d.path in repo.only)
    return setup, repo, result


def _restriction(given: list[Path], root: Path) -> list[str] | None:
    """Paths the user named (files or folders below the root), relative to the root; None = all."""
    out = []
    for p in given:
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
        if rel in ("", "."):
            return None
        out.append(rel)
    return out or None
