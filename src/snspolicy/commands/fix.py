"""`snspolicy fix` (apply safe suggested fixes) and `snspolicy account reviewed` (record a 4(4) review)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click


def register(main: click.Group) -> None:
    main.add_command(fix)
    main.add_command(account)


def _lang_default() -> str:
    from snspolicy.cli import _lang_default as default

    return default()


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="変更内容を表示するだけで書き込まない / show, do not write")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=_lang_default)
@click.option("--today", default=None, help="期限判定の基準日 YYYY-MM-DD / date used for expiries")
def fix(paths, dry_run, lang, today):
    """指摘のうち安全に直せるもの（区分の綴り、http→https など）を直します。/ apply safe fixes.

    値の文字だけを置き換えるので、コメントや書式はそのまま残ります。書き込みは一時ファイル経由（原子的）です。
    """
    from snspolicy.app import setup as runner
    from snspolicy.io.config import ConfigError
    from snspolicy.io.editing import EditError, replace_spans
    from snspolicy.io.fsutil import atomic_write_text
    from snspolicy.io.documents import split_front_matter
    from snspolicy.io.yamlloc import load_yaml
    from snspolicy.core.model import Span
    from snspolicy.policy.model import PolicyError

    from snspolicy.cli import _today, setup_error_text

    day = _today(today)
    try:
        setup = runner.prepare(paths)
    except (ConfigError, PolicyError) as exc:
        click.echo(setup_error_text(exc, lang), err=True)
        sys.exit(2)
    _repo, result = runner.lint(setup, lang=lang, today=day)
    by_file: dict[str, list] = {}
    for f in result.findings:
        if f.fix is not None and f.fix.replacement is not None and f.fix.span is not None and not f.waived:
            by_file.setdefault(f.path, []).append(f)
    changed = 0
    for rel, findings in sorted(by_file.items()):
        path = setup.root / rel
        try:
            text = path.read_text(encoding="utf-8")
            new = replace_spans(text, [(f.fix.span, f.fix.replacement) for f in findings])
            parts = split_front_matter(new) if rel.endswith(".md") else None
            load_yaml(parts[0] if parts else new)
        except (EditError, Exception) as exc:  # never write a file we could break
            click.echo(f"{rel}: " + ("修正できませんでした" if lang == "ja" else "not fixed") + f" ({type(exc).__name__})", err=True)
            continue
        for f in findings:
            click.echo(f"{rel}:{f.line}:{f.column}: [{f.rule}] {f.fix.description}")
        if not dry_run:
            atomic_write_text(path, new)
        changed += len(findings)
    del Span
    msg = ("{n} 件を修正しました。" if lang == "ja" else "{n} fix(es) applied.") if not dry_run else ("{n} 件を修正できます（--dry-run）。" if lang == "ja" else "{n} fix(es) available (--dry-run).")
    click.echo(msg.format(n=changed))


@click.group()
def account():
    """アカウントファイルの更新 / update account files."""


@account.command("reviewed")
@click.argument("account_id")
@click.option("--on", "on", default=None, help="見直した日 YYYY-MM-DD（既定は今日）")
@click.option("--password-changed", is_flag=True, help="パスワードも変更した（security.password.last_changed_on も更新）")
@click.option("--repo", "repo", type=click.Path(path_type=Path), default=Path("."))
@click.option("--lang", type=click.Choice(["ja", "en"]), default=_lang_default)
def reviewed(account_id, on, password_changed, repo, lang):
    """人事異動・担当者変更の見直し（4(4)）を記録します: security.reviewed_on を更新。

    コメントや書式はそのまま残し、原子的に書き込みます。
    """
    import re

    from snspolicy.io import config as config_mod
    from snspolicy.core import messages
    from snspolicy.cli import setup_error_text
    from snspolicy.io.editing import set_value
    from snspolicy.io.fsutil import atomic_write_text
    from snspolicy.io.documents import load_document
    from snspolicy.io.errors import LoadError
    from snspolicy.app.setup import find_root

    ja = lang == "ja"
    root = find_root(repo)
    try:
        cfg = config_mod.load(root)
    except config_mod.ConfigError as exc:
        click.echo(setup_error_text(exc, lang), err=True)
        sys.exit(2)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", account_id) or ".." in account_id:
        click.echo((f"アカウント ID「{account_id[:60]}」は使えません（accounts/ のファイル名から .yaml を除いたもの）。" if ja
                    else f"'{account_id[:60]}' is not an account id (the file name in accounts/ without .yaml)."), err=True)
        sys.exit(2)
    path = root / cfg.paths["accounts"] / f"{account_id}.yaml"
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        click.echo(f"{rel}: アカウントファイルがありません / no such account file", err=True)
        sys.exit(2)
    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        click.echo(f"--on {on}: YYYY-MM-DD", err=True)
        sys.exit(2)
    try:
        load_document("account", path, rel, root)  # refuse what lint could not read (encoding, YAML, not key: value)
    except LoadError as exc:
        click.echo(f"{rel}:{exc.span.line}:{exc.span.column}: {messages.message(exc.code, lang, **exc.params)} "
                   + ("ファイルは変更していません。" if ja else "The file was not changed."), err=True)
        sys.exit(2)
    try:
        text = path.read_text(encoding="utf-8")
        text = set_value(text, ("security", "reviewed_on"), day)
        if password_changed:
            text = set_value(text, ("security", "password", "last_changed_on"), day)
    except Exception as exc:  # noqa: BLE001 - whatever the editor cannot do, the file stays as it was
        click.echo(f"{rel}: " + ("security.reviewed_on を書き込めませんでした（security が「キー: 値」の形になっているか確認してください）。"
                                 "ファイルは変更していません。" if ja else
                                 "could not write security.reviewed_on (check that security is 'key: value' fields). "
                                 "The file was not changed.") + f" [{type(exc).__name__}]", err=True)
        sys.exit(2)
    atomic_write_text(path, text)
    click.echo(f"{rel}: security.reviewed_on = {day.isoformat()}")
