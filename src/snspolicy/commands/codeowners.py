"""``snspolicy codeowners``: a CODEOWNERS file from the account files and the staff roster.

Each account's post folder (``/posts/<account id>/``) is owned by the forge handles of the
account's manager and deputies, taken from the roster's ``github`` column
(:attr:`snspolicy.roster.StaffMember.forge`). With branch protection "require review from
code owners", the forge then refuses to merge a post that neither the manager nor a deputy
approved (guideline 5).

The generated lines live between two marker comments; everything else in the file (a
catch-all ``*`` owner, ``/accounts/``, ``/staff/`` …) is kept as written. A file without markers
gets the block appended at its end (CODEOWNERS: the last matching line wins, so the account
folders take precedence over broader hand-written lines), and hand-written lines for the same
folders are replaced by the generated ones.

Reported (stderr): a manager without a forge handle, not in the roster or no longer in post
(exit 1 — the forge cannot require the manager's approval), a deputy without one (warning),
a post outside its account's folder (warning: not covered). ``--check`` compares the file with
what would be generated, by meaning (owner sets per folder), and exits 1 when it is stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from snspolicy.commands._options import guard_output, lang_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_OK, UserError

if TYPE_CHECKING:
    from snspolicy.io.repo import Repo

__all__ = ["BEGIN", "END", "Entry", "Fatal", "Issue", "build", "check", "codeowners", "handle_of", "render"]

BEGIN = "# BEGIN snspolicy codeowners"
END = "# END snspolicy codeowners"
_USER = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_TEAM = re.compile(r"^@?[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

#: catalogue codes of this command: ``codeowners.<code>`` (:class:`Issue` and :func:`check` use the bare code)
PREFIX = "codeowners."


def _t(code: str, lang: str, **kw: Any) -> str:
    return messages.message(PREFIX + code, lang, **kw)


@dataclass
class Entry:
    pattern: str
    owners: list[str]
    account: str


@dataclass
class Issue:
    level: str  # error | warning
    code: str
    args: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return _t(self.code, lang, **self.args)


class Fatal(UserError):
    """A problem that stops the command before anything is written (exit status 2)."""

    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(PREFIX + code, args)


def handle_of(value: str) -> str | None:
    """``example-ube-tokiwa`` / ``@example-ube-tokiwa`` → ``@example-ube-tokiwa``; an e-mail stays as is."""
    v = (value or "").strip()
    if not v:
        return None
    if _EMAIL.match(v) and not v.startswith("@"):
        return v
    if _USER.match(v) or _TEAM.match(v):
        return "@" + v.lstrip("@")
    return None


def _norm(pattern: str) -> str:
    """Folder patterns compared as written by people: ``posts/x``, ``/posts/x/``, ``/posts/x/**`` alike."""
    p = pattern.strip()
    for suffix in ("/**", "/*"):
        if p.endswith(suffix) and p not in ("/*", "/**"):
            p = p[: -len(suffix)]
    p = p.rstrip("/")
    if p not in ("*", "**") and not p.startswith("/") and "/" in p:
        p = "/" + p
    return p


def build(repo: Repo) -> tuple[list[Entry], list[Issue]]:
    """The generated entries (sorted by account id) and the problems found on the way."""
    cfg = repo.config
    if not cfg.roster:
        raise Fatal("no_roster")
    roster = repo.roster
    if roster is None:
        raise Fatal("roster_unreadable", roster=cfg.roster)
    if not any(m.forge.strip() for m in roster.members.values()):
        raise Fatal("no_forge_column", roster=cfg.roster)
    posts_dir = str(cfg.paths.get("posts", "posts")).strip("/").replace("\\", "/")
    entries: list[Entry] = []
    issues: list[Issue] = []
    for err in repo.errors:
        if err.path.startswith(str(cfg.paths.get("accounts", "accounts")).strip("/") + "/"):
            issues.append(Issue("error", "account_unreadable", {"path": err.path}))
    accounts: dict[str, Any] = {}
    for doc in sorted(repo.by_kind("account"), key=lambda d: d.path):
        if not isinstance(doc.data, dict):
            issues.append(Issue("error", "account_unreadable", {"path": doc.path}))
            continue
        aid = doc.get("id")
        aid = str(aid).strip() if isinstance(aid, (str, int)) and str(aid).strip() else Path(doc.path).stem
        if not _ID.match(aid):
            issues.append(Issue("error", "bad_id", {"path": doc.path, "account": aid}))
            continue
        accounts.setdefault(aid, doc)
    for aid in sorted(accounts):
        doc = accounts[aid]
        pattern = f"/{posts_dir}/{aid}/"
        owners: list[str] = []
        base = {"account": aid, "roster": cfg.roster}
        mid = _eid(doc.get("manager"))
        member = roster.get(mid) if mid else None
        if mid is None:
            pass  # the schema reports a missing manager
        elif member is None:
            issues.append(Issue("error", "manager_not_in_roster", {**base, "employee_id": mid}))
        elif not member.active:
            issues.append(Issue("error", "manager_inactive", {**base, "employee_id": mid}))
        else:
            h = handle_of(member.forge)
            if h is None and member.forge.strip():
                issues.append(Issue("error", "bad_handle", {**base, "employee_id": mid, "handle": member.forge.strip()}))
            elif h is None:
                issues.append(Issue("error", "manager_no_handle", {**base, "employee_id": mid}))
            else:
                owners.append(h)
        deputies = doc.get("deputies")
        for d in deputies if isinstance(deputies, list) else []:
            did = _eid(d)
            if did is None or did == mid:
                continue
            m = roster.get(did)
            h = handle_of(m.forge) if m is not None and m.active else None
            if m is not None and m.active and h is None and m.forge.strip():
                issues.append(Issue("warning", "bad_handle", {**base, "employee_id": did, "handle": m.forge.strip()}))
            elif h is None:
                issues.append(Issue("warning", "deputy_no_handle", {**base, "employee_id": did}))
            elif h.lower() not in (o.lower() for o in owners):
                owners.append(h)
        if owners:
            entries.append(Entry(pattern, owners, aid))
        else:
            issues.append(Issue("error", "no_owner", {**base, "pattern": pattern}))
    for post in sorted(repo.by_kind("post"), key=lambda d: d.path):
        acc = post.get("account")
        acc = str(acc).strip() if isinstance(acc, (str, int)) else None
        if acc and acc in accounts and not post.path.startswith(f"{posts_dir}/{acc}/"):
            issues.append(Issue("warning", "stray_post", {"path": post.path, "account": acc, "folder": f"{posts_dir}/{acc}/"}))
    return entries, issues


def _eid(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("employee_id")
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    s = str(value).strip()
    return s or None


def _block(entries: list[Entry], note: str) -> list[str]:
    width = max((len(e.pattern) for e in entries), default=0) + 2
    width = max(width, 32)
    return [BEGIN + note] + [f"{e.pattern:<{width}}{' '.join(e.owners)}" for e in entries] + [END]


def render(existing: str | None, entries: list[Entry], *, lang: str = "ja", accounts: str = "accounts/*.yaml",
           roster: str = "staff/roster.csv") -> str:
    """The new file text: the generated block replacing the old one (or appended), the rest kept."""
    note = _t("begin_note", lang, accounts=accounts, roster=roster)
    block = _block(entries, note)
    if not existing or not existing.strip():
        return "\n".join([_t("header", lang), *block]) + "\n"
    lines = existing.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    begin = next((i for i, ln in enumerate(lines) if ln.startswith(BEGIN)), None)
    end = next((i for i, ln in enumerate(lines) if ln.startswith(END) and begin is not None and i > begin), None)
    if begin is not None and end is not None:
        out = lines[:begin] + block + lines[end + 1:]
    else:
        ours = {_norm(e.pattern) for e in entries}
        kept = [ln for ln in lines if (r := _rule(ln)) is None or _norm(r[0]) not in ours]
        while kept and not kept[-1].strip():
            kept.pop()
        out = kept + [""] + block
    return "\n".join(out) + "\n"


def _rule(line: str) -> tuple[str, list[str]] | None:
    """(pattern, owners) of a CODEOWNERS line, or None for a comment or blank line."""
    s = line.strip()
    if not s or s.startswith("#"):
        return None
    tokens = re.split(r"(?<!\\)\s+", s)
    owners = []
    for tok in tokens[1:]:
        if tok.startswith("#"):
            break
        owners.append(tok)
    return tokens[0], owners


def check(existing: str, entries: list[Entry], path: str = "CODEOWNERS") -> list[tuple[str, dict[str, Any]]]:
    """Differences (code, args) between the file and the generated entries, by meaning."""
    lines = existing.replace("\r\n", "\n").split("\n")
    rules = [(i + 1, r) for i, ln in enumerate(lines) if (r := _rule(ln)) is not None]
    begin = next((i for i, ln in enumerate(lines) if ln.startswith(BEGIN)), None)
    end = next((i for i, ln in enumerate(lines) if ln.startswith(END) and begin is not None and i > begin), None)
    out: list[tuple[str, dict[str, Any]]] = []
    for e in entries:
        want = _norm(e.pattern)
        hits = [(n, r) for n, r in rules if _norm(r[0]) == want]
        if not hits:
            out.append(("diff_missing", {"path": path, "pattern": e.pattern, "want": " ".join(e.owners)}))
            continue
        n, (pat, owners) = hits[-1]
        if {o.lower() for o in owners} != {o.lower() for o in e.owners}:
            out.append(("diff_owners", {"path": path, "line": n, "pattern": pat, "have": " ".join(owners) or "—",
                                        "want": " ".join(e.owners)}))
        for m, (other, _) in rules:
            if m > n and _shadows(_norm(other), want):
                out.append(("diff_shadowed", {"path": path, "line": m, "pattern": e.pattern, "other": other}))
                break
    if begin is not None and end is not None:
        ours = {_norm(e.pattern) for e in entries}
        for n, (pat, _) in rules:
            if begin < n - 1 < end and _norm(pat) not in ours:
                out.append(("diff_stale", {"path": path, "line": n, "pattern": pat}))
    return out


def _shadows(other: str, target: str) -> bool:
    """Does the (normalized) pattern ``other`` match the folder ``target`` as a whole?"""
    if other in ("*", "**", "/*", "/**"):
        return True
    return other.startswith("/") and target.startswith(other + "/")


@click.command("codeowners")
@click.argument("repo", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", default=".github/CODEOWNERS", show_default=True,
              help="書き出すファイル（REPO からの相対パス。- は標準出力）/ file to write (relative to REPO; - = stdout)")
@click.option("--check", "check_only", is_flag=True, help="書き出さず、最新かどうかだけ確認 / only check that the file is up to date")
@lang_option(help="言語 / language")
def codeowners(repo: Path, output: str, check_only: bool, lang: str) -> int:
    """アカウントファイルと職員名簿から CODEOWNERS を作ります / generate CODEOWNERS.

    各アカウントの投稿フォルダのレビュー担当を、管理者と代理承認者の GitHub アカウントにします。
    終了コード: 0、1 管理者の GitHub アカウントがない・--check で古い、2 設定・名簿の誤り。
    """
    from snspolicy.app.setup import find_root
    from snspolicy.io.config import load as load_config
    from snspolicy.io.fsutil import atomic_write_text, ensure_inside
    from snspolicy.io.repo import load_repo

    root = find_root(repo)
    cfg = load_config(root)
    entries, issues = build(load_repo(root, cfg))
    for issue in issues:
        click.echo(f"{_t('level.' + issue.level, lang)}: {issue.text(lang)}", err=True)
    failed = any(i.level == "error" for i in issues)
    accounts_glob = f"{str(cfg.paths.get('accounts', 'accounts')).strip('/')}/*.yaml"
    target = None if output == "-" else (Path(output) if Path(output).is_absolute() else root / output)
    shown = output if target is None else (target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target))
    if target is not None:  # inside the repo (a symlinked .github leading out too), never in place of an input
        ensure_inside(target, root)
        guard_output(target, root)
    existing = target.read_text(encoding="utf-8", errors="replace") if target is not None and target.is_file() else None
    if check_only:
        if existing is None:
            click.echo(_t("missing_file", lang, path=shown), err=True)
            return EXIT_FINDINGS
        diffs = check(existing, entries, shown)
        for code, args in diffs:
            click.echo(_t(code, lang, **args), err=True)
        if diffs:
            click.echo(_t("stale", lang), err=True)
            return EXIT_FINDINGS
        click.echo(_t("unchanged", lang, path=shown, n=len(entries)))
        return EXIT_FINDINGS if failed else EXIT_OK
    text = render(existing, entries, lang=lang, accounts=accounts_glob, roster=str(cfg.roster))
    if target is None:
        click.echo(text, nl=False)
    elif existing == text:
        click.echo(_t("unchanged", lang, path=shown, n=len(entries)))
    else:
        atomic_write_text(target, text, root=root)
        click.echo(_t("written", lang, path=shown, n=len(entries)))
    return EXIT_FINDINGS if failed else EXIT_OK
