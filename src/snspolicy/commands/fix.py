"""``snspolicy fix`` (apply safe suggested fixes) and ``snspolicy account reviewed`` (record a 4(4) review).

Both edit files in place through :func:`snspolicy.io.editing.edit_file`, replacing only the
characters of a value so that comments and layout stay as written: the file keeps its line ends
(CRLF, CR), its byte-order mark and its permission bits, is locked against a concurrent edit and
written atomically; a read-only file, one that is not a regular file and one outside the repo
(a symbolic link out of it) are refused (exit status 2). A file that would not read back as valid
YAML after the edit is left untouched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from snspolicy.commands._options import lang_option, today_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_OK, EXIT_USAGE, UserError

if TYPE_CHECKING:
    from snspolicy.core.model import Finding, Span

__all__ = ["account", "fix", "reviewed"]

_ACCOUNT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@click.command("fix")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="変更内容を表示するだけで書き込まない / show, do not write")
@lang_option()
@today_option(help="期限判定の基準日 YYYY-MM-DD / date used for expiries")
def fix(paths: tuple[Path, ...], dry_run: bool, lang: str, today: dt.date | None) -> int:
    """指摘のうち安全に直せるもの（区分の綴り、http→https など）を直します。/ apply safe fixes.

    値の文字だけを置き換えるので、コメントや書式（改行コード・BOM・権限）はそのまま残ります。書き込みは一時ファイル経由（原子的）です。
    """
    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.io.editing import EditError, edit_file, split_format
    from snspolicy.io.fsutil import ensure_inside

    done = run(LintRequest(list(paths), options=LintOptions(lang=lang, today=today)))
    root = done.setup.root
    by_file: dict[str, list[Finding]] = {}
    for f in done.result.findings:
        if f.fix is not None and f.fix.replacement is not None and f.fix.span is not None and not f.waived:
            by_file.setdefault(f.path, []).append(f)
    changed = 0
    refused = False
    for rel, findings in sorted(by_file.items()):
        path = root / rel
        edits = [(f.fix.span, f.fix.replacement) for f in findings if f.fix and f.fix.span and f.fix.replacement is not None]
        try:
            if dry_run:
                ensure_inside(path, root)  # as edit_file: never read a file outside the repo
                with open(path, "rb") as fh:
                    _fixed(rel, edits)(split_format(fh.read())[0])
            else:
                edit_file(path, _fixed(rel, edits), root=root)
        except UserError as exc:  # read-only, not a regular file, outside the repo, locked: refused, exit 2
            click.echo(f"{exc.path or rel}: " + messages.message(exc.code, lang, **exc.params), err=True)
            refused = True
            continue
        except (EditError, OSError) as exc:  # never write a file we could break
            reason = str(exc) if isinstance(exc, EditError) else (exc.strerror or type(exc).__name__)
            click.echo(f"{rel}: " + messages.message("fix.not_fixed", lang, error=reason), err=True)
            continue
        for f in findings:
            click.echo(f"{rel}:{f.line}:{f.column}: [{f.rule}] {f.fix.description if f.fix else ''}")
        changed += len(findings)
    click.echo(messages.message("fix.available" if dry_run else "fix.applied", lang, n=changed))
    return EXIT_USAGE if refused else EXIT_OK


def _fixed(rel: str, edits: list[tuple[Span, str]]) -> Callable[[str], str]:
    """The edit of one file: the fixes applied to its (LF) text, refused (EditError) when the
    result would not read back as YAML (the front matter, for a post)."""

    def apply(text: str) -> str:
        from snspolicy.io.documents import split_front_matter
        from snspolicy.io.editing import EditError, replace_spans
        from snspolicy.io.yamlloc import load_yaml

        try:
            new = replace_spans(text, edits)
            parts = split_front_matter(new) if rel.endswith(".md") else None
            load_yaml(parts[0] if parts else new)
        except EditError:
            raise
        except Exception as exc:  # noqa: BLE001 - never write a file we could break
            raise EditError(type(exc).__name__) from None
        return new

    return apply


@click.group("account")
def account() -> None:
    """アカウントファイルの更新 / update account files."""


@account.command("reviewed")
@click.argument("account_id")
@click.option("--on", "on", default=None, help="見直した日 YYYY-MM-DD（既定は今日。SNSPOLICY_TODAY は使わない）")
@click.option("--password-changed", is_flag=True, help="パスワードも変更した（security.password.last_changed_on も更新）")
@click.option("--repo", "repo", type=click.Path(path_type=Path), default=Path("."))
@lang_option()
def reviewed(account_id: str, on: str | None, password_changed: bool, repo: Path, lang: str) -> int:
    """人事異動・担当者変更の見直し（4(4)）を記録します: security.reviewed_on を更新。

    コメントや書式はそのまま残し、原子的に書き込みます。
    """
    from snspolicy.app.setup import find_root
    from snspolicy.io import config as config_mod
    from snspolicy.io.documents import load_document
    from snspolicy.io.editing import EditError, edit_file, set_value
    from snspolicy.io.errors import LoadError

    root = find_root(repo)
    cfg = config_mod.load(root)
    if not _ACCOUNT_ID.fullmatch(account_id) or ".." in account_id:
        raise UserError("account.bad_id", {"account": account_id[:60]})
    path = root / cfg.paths["accounts"] / f"{account_id}.yaml"
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        raise UserError("account.no_file", path=rel)
    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        raise UserError("account.bad_date", {"value": on}) from None
    try:
        load_document("account", path, rel, root)  # refuse what lint could not read (encoding, YAML, not key: value)
    except LoadError as exc:
        raise UserError("account.unreadable", {"reason": exc}, path=rel, span=exc.span) from None

    def review(text: str) -> str:
        try:
            text = set_value(text, ("security", "reviewed_on"), day)
            if password_changed:
                text = set_value(text, ("security", "password", "last_changed_on"), day)
        except EditError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the editor cannot do, the file stays as it was
            raise EditError(type(exc).__name__) from None
        return text

    try:  # line ends, BOM and mode kept; locked; read-only, non-regular and outside-the-repo files refused (exit 2)
        edit_file(path, review, root=root)
    except EditError as exc:
        raise UserError("account.edit_failed", {"error": str(exc) or type(exc).__name__}, path=rel) from None
    click.echo(f"{rel}: security.reviewed_on = {day.isoformat()}")
    return EXIT_OK
