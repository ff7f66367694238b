"""``snspolicy registry export|check``: the 「ソーシャルメディア アカウント管理担当者一覧表」 (4(5)).

``export`` builds the table from ``accounts/*.yaml`` (CSV, XLSX or Markdown) and
writes it atomically (or to stdout). ``check`` compares a committed copy with the
account files, like a stale lock file: exit 0 when it matches, 1 with
``FILE:line: message`` lines when it does not, 2 when it (or an account file)
cannot be read.

Secrets never reach the 一覧表: the password block is dropped before building,
and any string that :mod:`snspolicy.domain.secretscan` recognizes as a token is replaced by
its masked form (the lint's ``secret-in-repo`` reports it).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from snspolicy.commands._options import date_option, guard_output, lang_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_OK, UserError

__all__ = ["FORMATS", "check", "export", "load_accounts", "redact", "registry"]

FORMATS = {"csv": ".csv", "xlsx": ".xlsx", "markdown": ".md"}
_SUFFIX_FORMAT = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".md": "markdown", ".markdown": "markdown"}


# ----------------------------------------------------------------------------- loading


def load_accounts(start: Path) -> tuple[Path, Any, list[dict[str, Any]]]:
    """(root, repo, account mappings) for the repo at or above ``start``; a user error when unusable."""
    from snspolicy.app.setup import find_root
    from snspolicy.domain.holders_list.stale import registry_accounts
    from snspolicy.io import config as config_mod
    from snspolicy.io.repo import load_repo

    root = find_root(start)
    cfg = config_mod.load(root)
    repo = load_repo(root, cfg)
    accounts_dir = cfg.paths.get("accounts", "accounts")
    for fe in repo.errors:
        if fe.path.startswith(accounts_dir.rstrip("/") + "/"):
            raise UserError("registry.account_unreadable", {"path": fe.path})
    return root, repo, registry_accounts(repo)


def redact(accounts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Copies of ``accounts`` without ``security.password`` and with every recognized
    secret inside a string replaced by its masked form; plus (account id, field) of each."""
    from snspolicy.domain.holders_list.stale import mask_secrets

    found: list[tuple[str, str]] = []

    def clean(value: Any, where: str, acc_id: str) -> Any:
        if isinstance(value, dict):
            return {k: clean(v, f"{where}.{k}" if where else str(k), acc_id) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v, f"{where}[{i}]", acc_id) for i, v in enumerate(value)]
        if not isinstance(value, str):
            return value
        masked = mask_secrets(value)
        if masked != value:
            found.append((acc_id, where))
        return masked

    out: list[dict[str, Any]] = []
    for acc in accounts:
        acc = copy.deepcopy(acc)
        sec = acc.get("security")
        if isinstance(sec, dict):
            sec.pop("password", None)
        acc_id = mask_secrets(str(acc.get("id", "?")))
        out.append(clean(acc, "", acc_id))
    return out, found


# ----------------------------------------------------------------------------- commands


@click.group("registry")
def registry() -> None:
    """アカウント管理担当者一覧表（4(5)）の作成・照合 / build and check the account registry."""


@registry.command("export")
@click.argument("repo", required=False, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="形式（既定は -o の拡張子、なければ csv）/ format (default: from -o, else csv)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="出力先ファイル（既定は標準出力）/ output file (default: stdout)")
@lang_option(help="見出しの言語 / header language")
@date_option("--as-of", "as_of", help="作成日 YYYY-MM-DD（既定は今日）/ date printed on the table", now_by_default=True)
@click.option("--encoding", type=click.Choice(["utf-8-sig", "utf-8", "cp932"]), default="utf-8-sig", show_default=True,
              help="CSV の文字コード（cp932 = Shift_JIS）/ CSV encoding")
def export(repo: Path | None, fmt: str | None, output: Path | None, lang: str, as_of: dt.date, encoding: str) -> int:
    """一覧表を書き出します（CSV・XLSX・Markdown）。/ Write the registry from accounts/*.yaml."""
    from snspolicy.domain.holders_list import export as table
    from snspolicy.io.fsutil import atomic_write_bytes

    if output is not None:
        by_suffix = _SUFFIX_FORMAT.get(output.suffix.lower())
        if fmt is None:
            if by_suffix is None:
                raise UserError("registry.bad_suffix", {"path": output})
            fmt = by_suffix
        elif by_suffix != fmt:
            raise UserError("registry.bad_format", {"path": output, "fmt": fmt})
    fmt = fmt or "csv"
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise UserError("registry.xlsx_tty")
    root, _repo, accounts = load_accounts(repo or Path.cwd())
    guard_output(output, root, product="registry")  # never in place of an input (the configured registry may be rewritten)
    if not accounts:
        raise UserError("registry.no_accounts", {"root": root})
    safe, found = redact(accounts)
    for acc_id, field in found:
        click.echo(messages.message("registry.masked", lang, account=acc_id, field=field), err=True)
    if fmt == "csv":
        data = table.export_csv(safe, lang, encoding)
    elif fmt == "xlsx":
        data = table.export_xlsx(safe, lang, as_of)
    else:
        data = table.export_markdown(safe, lang, as_of).encode("utf-8")
    if output is None:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stdout (tests, some IDEs)
            sys.stdout.write(data.decode("utf-8", errors="replace") if fmt != "xlsx" else "")
            return EXIT_OK
        sys.stdout.flush()
        stream.write(data)
        stream.flush()
        return EXIT_OK
    try:
        atomic_write_bytes(output, data)
    except OSError as exc:
        raise UserError("registry.write_failed", {"path": output, "detail": exc.strerror or type(exc).__name__}) from None
    click.echo(messages.message("registry.written", lang, path=output, n=len(accounts)), err=True)
    return EXIT_OK


@registry.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("repo", required=False, type=click.Path(path_type=Path))
@lang_option()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(file: Path, repo: Path | None, lang: str, fmt: str) -> int:
    """コミットした一覧表がアカウントファイルと一致するか確認します。/ Check a committed registry.

    終了コード / exit: 0 一致, 1 違いあり（古い）, 2 読めない。
    """
    from snspolicy.domain.holders_list.stale import UNREADABLE_DETAIL, compare_registry, difference_args

    start = repo if repo is not None else (file.parent if file.parent.is_dir() else Path.cwd())
    _root, _repo, accounts = load_accounts(start)
    if file.is_dir():
        raise UserError("registry.not_a_file", {"path": file})
    if not file.is_file():
        raise UserError("registry.not_found" if not file.exists() else "registry.not_a_file", {"path": file})
    diffs = compare_registry(file, accounts, lang)
    unreadable = [d for d in diffs if d.kind == "unreadable"]
    if unreadable:
        detail = UNREADABLE_DETAIL.get(unreadable[0].detail, {}).get(lang, unreadable[0].detail)
        raise UserError("registry.unreadable", {"path": file, "detail": detail})
    template = _templates(start, lang)
    rows = []
    for d in diffs:
        variant, args = difference_args(d, lang)
        args["registry"] = str(file)
        rows.append({"path": str(file), "line": d.line, "cell": d.cell, "kind": d.kind,
                     "account": args["account"], "column": d.column,
                     "message": template(variant, args)})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            click.echo(f"{r['path']}:{r['line']}: {r['message']}")
        if rows:
            click.echo(messages.message("registry.stale", lang, path=file, n=len(rows)), err=True)
        else:
            click.echo(messages.message("registry.ok", lang, path=file, n=len(accounts)))
    return EXIT_FINDINGS if rows else EXIT_OK


def _templates(start: Path, lang: str) -> Callable[[str, dict[str, Any]], str]:
    """Message formatter using the policy's registry-stale templates (a built-in fallback)."""
    spec = None
    try:
        from snspolicy.app.setup import prepare

        spec = prepare([start]).policy.rules.get("registry-stale")
    except Exception:  # noqa: BLE001 - a broken policy must not stop the check
        spec = None

    def fmt(variant: str, args: dict[str, Any]) -> str:
        if spec is not None:
            return messages.format_template(spec.message(variant, lang), args, lang)
        return messages.format_template(
            "{location}: {account} {column}: {committed} -> {expected}" if variant == "value"
            else "{location}: {account} {column} ({detail})", args, lang)

    return fmt
