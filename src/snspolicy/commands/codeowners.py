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
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

BEGIN = "# BEGIN snspolicy codeowners"
END = "# END snspolicy codeowners"
_USER = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_TEAM = re.compile(r"^@?[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

_TEXT: dict[str, dict[str, str]] = {
    "no_roster": {
        "ja": "CODEOWNERS を作るには職員名簿が必要です。snspolicy.yaml に roster: staff/roster.csv のように書き、名簿に github 列（GitHub のアカウント名）を入れてください。",
        "en": "CODEOWNERS needs the staff roster: set roster: (e.g. staff/roster.csv) in snspolicy.yaml, with a github column (forge handles).",
    },
    "roster_unreadable": {"ja": "職員名簿 {roster} を読めません。`snspolicy lint` で確認してください。",
                          "en": "The staff roster {roster} cannot be read; see `snspolicy lint`."},
    "no_forge_column": {
        "ja": "職員名簿 {roster} に github 列（GitHub のアカウント名）がないか、すべて空です。列を加えてください。",
        "en": "The staff roster {roster} has no github column (forge handles), or it is empty everywhere.",
    },
    "manager_no_handle": {
        "ja": "{account}: 管理者（職員番号 {employee_id}）の GitHub アカウントが職員名簿 {roster} の github 列にありません。このままではフォージが管理者の承認を求められません。",
        "en": "{account}: the manager (employee {employee_id}) has no forge handle in the github column of {roster}; the forge cannot require the manager's approval.",
    },
    "manager_not_in_roster": {
        "ja": "{account}: 管理者（職員番号 {employee_id}）が職員名簿 {roster} にいません。",
        "en": "{account}: the manager (employee {employee_id}) is not in the staff roster {roster}.",
    },
    "manager_inactive": {
        "ja": "{account}: 管理者（職員番号 {employee_id}）は職員名簿 {roster} で在職していません。管理者を替えてください（4(4)）。",
        "en": "{account}: the manager (employee {employee_id}) is not in post according to {roster}. Appoint a new manager (4(4)).",
    },
    "deputy_no_handle": {
        "ja": "{account}: 代理承認者（職員番号 {employee_id}）の GitHub アカウントが職員名簿にないか、在職していません。この人はレビュー担当になりません。",
        "en": "{account}: the deputy (employee {employee_id}) has no forge handle in the roster or is not in post; they are not made a code owner.",
    },
    "bad_handle": {
        "ja": "{account}: 職員番号 {employee_id} の GitHub アカウント「{handle}」はアカウント名として使えない形です。名簿を直してください。",
        "en": "{account}: the forge handle '{handle}' of employee {employee_id} is not a valid handle. Correct the roster.",
    },
    "no_owner": {
        "ja": "{account}: レビュー担当にできる人がいないため、{pattern} の行を書きませんでした。",
        "en": "{account}: nobody can be made code owner, so no line was written for {pattern}.",
    },
    "bad_id": {
        "ja": "{path}: アカウント ID「{account}」はフォルダ名として使えない文字を含むため、CODEOWNERS に書けません。",
        "en": "{path}: account id '{account}' contains characters that cannot name a folder in CODEOWNERS.",
    },
    "account_unreadable": {"ja": "{path}: アカウントファイルを読めないため飛ばしました（snspolicy lint で確認してください）。",
                           "en": "{path}: the account file cannot be read and was skipped (see snspolicy lint)."},
    "stray_post": {
        "ja": "{path}: アカウント {account} の投稿が {folder} の外にあります。CODEOWNERS では管理者の承認が求められません。{folder} に移してください。",
        "en": "{path}: a post of account {account} is outside {folder}, so CODEOWNERS does not require its manager's approval. Move it into {folder}.",
    },
    "written": {"ja": "CODEOWNERS を書き出しました: {path}（{n} アカウント）", "en": "Wrote {path} ({n} accounts)"},
    "unchanged": {"ja": "CODEOWNERS は最新です: {path}（{n} アカウント）", "en": "{path} is up to date ({n} accounts)"},
    "missing_file": {"ja": "{path} がありません。`snspolicy codeowners` で作成してください。",
                     "en": "{path} does not exist. Create it with `snspolicy codeowners`."},
    "diff_missing": {"ja": "{path}: {pattern} の行がありません（あるべきレビュー担当: {want}）。",
                     "en": "{path}: no line for {pattern} (expected owners: {want})."},
    "diff_owners": {"ja": "{path}:{line}: {pattern} のレビュー担当が違います。ファイルは {have}、アカウントファイルと名簿では {want} です。",
                    "en": "{path}:{line}: owners of {pattern} differ: the file has {have}, the account files and roster give {want}."},
    "diff_shadowed": {"ja": "{path}:{line}: 後の行 {other} が {pattern} を上書きしています（CODEOWNERS は最後に一致した行が有効）。",
                      "en": "{path}:{line}: the later line {other} overrides {pattern} (the last matching line wins)."},
    "diff_stale": {"ja": "{path}:{line}: 生成した区画の {pattern} はどのアカウントにも当たりません。",
                   "en": "{path}:{line}: {pattern} in the generated block matches no account."},
    "stale": {"ja": "CODEOWNERS が古くなっています。`snspolicy codeowners` で作り直してください。",
              "en": "CODEOWNERS is out of date. Regenerate it with `snspolicy codeowners`."},
    "header": {"ja": "# 投稿のレビュー担当（各アカウントの管理者・代理承認者）。",
               "en": "# Reviewers of posts (each account's manager and deputies)."},
    "begin_note": {"ja": "（snspolicy codeowners が {accounts} と {roster} から生成。この区画は手で編集しないでください）",
                   "en": " (generated by snspolicy codeowners from {accounts} and {roster}; do not edit this block by hand)"},
}


def _t(key: str, lang: str, **kw: Any) -> str:
    return _TEXT[key]["en" if lang == "en" else "ja"].format(**kw)


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


class Fatal(Exception):
    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


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


def build(repo) -> tuple[list[Entry], list[Issue]]:
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


def register(main: click.Group) -> None:
    @main.command("codeowners")
    @click.argument("repo", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
    @click.option("-o", "--output", default=".github/CODEOWNERS", show_default=True,
                  help="書き出すファイル（REPO からの相対パス。- は標準出力）/ file to write (relative to REPO; - = stdout)")
    @click.option("--check", "check_only", is_flag=True, help="書き出さず、最新かどうかだけ確認 / only check that the file is up to date")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="言語 / language")
    def codeowners(repo, output, check_only, lang):
        """アカウントファイルと職員名簿から CODEOWNERS を作ります / generate CODEOWNERS.

        各アカウントの投稿フォルダのレビュー担当を、管理者と代理承認者の GitHub アカウントにします。
        終了コード: 0、1 管理者の GitHub アカウントがない・--check で古い、2 設定・名簿の誤り。
        """
        from snspolicy.cli import _lang_default
        from snspolicy.io.config import ConfigError
        from snspolicy.io.config import load as load_config
        from snspolicy.io.fsutil import atomic_write_text
        from snspolicy.io.repo import load_repo
        from snspolicy.app.setup import find_root

        lang = lang or _lang_default()
        root = find_root(repo)
        try:
            cfg = load_config(root)
        except ConfigError as exc:
            from snspolicy.core import messages

            click.echo(f"{exc.path}:{exc.span.line}:{exc.span.column}: {messages.message(exc.code, lang, **(exc.params or {}))}", err=True)
            sys.exit(2)
        loaded = load_repo(root, cfg)
        try:
            entries, issues = build(loaded)
        except Fatal as exc:
            click.echo(_t(exc.code, lang, **exc.args_), err=True)
            sys.exit(2)
        for issue in issues:
            label = {"error": "エラー" if lang == "ja" else "error", "warning": "警告" if lang == "ja" else "warning"}[issue.level]
            click.echo(f"{label}: {issue.text(lang)}", err=True)
        failed = any(i.level == "error" for i in issues)
        accounts_glob = f"{str(cfg.paths.get('accounts', 'accounts')).strip('/')}/*.yaml"
        target = None if output == "-" else (Path(output) if Path(output).is_absolute() else root / output)
        shown = output if target is None else (target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target))
        existing = target.read_text(encoding="utf-8", errors="replace") if target is not None and target.is_file() else None
        if check_only:
            if existing is None:
                click.echo(_t("missing_file", lang, path=shown), err=True)
                sys.exit(1)
            diffs = check(existing, entries, shown)
            for code, args in diffs:
                click.echo(_t(code, lang, **args), err=True)
            if diffs:
                click.echo(_t("stale", lang), err=True)
                sys.exit(1)
            click.echo(_t("unchanged", lang, path=shown, n=len(entries)))
            sys.exit(1 if failed else 0)
        text = render(existing, entries, lang=lang, accounts=accounts_glob, roster=str(cfg.roster))
        if target is None:
            click.echo(text, nl=False)
        elif existing == text:
            click.echo(_t("unchanged", lang, path=shown, n=len(entries)))
        else:
            atomic_write_text(target, text)
            click.echo(_t("written", lang, path=shown, n=len(entries)))
        sys.exit(1 if failed else 0)
