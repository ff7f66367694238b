"""``snspolicy password check``: test a candidate password locally (4(3)).

The candidate is read from a hidden prompt (a terminal) or from the first line
of standard input (a pipe) — never from the command line, where it would stay
in the shell history and the process list. Anything given as an argument is
refused without being echoed. The output lists only the problems found; the
password is never printed, logged, written or put into an exception message.

Exit status: 0 no problem, 1 the candidate is weak, 2 usage (nothing entered,
an argument given, an unknown account).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from snspolicy.commands._options import lang_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError

__all__ = ["MAX_INPUT", "build_context", "check", "password", "read_candidate"]

MAX_INPUT = 1024  # characters read from stdin; a password is never longer

#: catalogue codes of the problems :func:`snspolicy.domain.password.check_candidate` reports
PROBLEM_PREFIX = "password.problem."


def read_candidate(lang: str) -> str:
    """The candidate: a hidden prompt on a terminal, else the first line of stdin (at most MAX_INPUT)."""
    stdin = sys.stdin
    if stdin is None:
        return ""
    if _isatty(stdin):
        return click.prompt(messages.message("password.prompt", lang), hide_input=True, default="", show_default=False, err=True)
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        text = buffer.readline(MAX_INPUT * 4).decode("utf-8", errors="replace")
    else:
        text = stdin.readline(MAX_INPUT * 4)
    return text.rstrip("\r\n")[:MAX_INPUT]


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _account_context(acc: dict[str, Any]) -> dict[str, list[str]]:
    ids: list[str] = []
    words: list[str] = []
    handles: list[str] = []
    for key in ("manager",):
        m = acc.get(key)
        if isinstance(m, dict) and m.get("employee_id") is not None:
            ids.append(str(m["employee_id"]))
    for key in ("holders", "deputies"):
        for p in acc.get(key) or []:
            if isinstance(p, dict) and p.get("employee_id") is not None:
                ids.append(str(p["employee_id"]))
    handle = acc.get("handle")
    if isinstance(handle, str):
        handles.append(handle)
    for key in ("id", "platform"):
        if isinstance(acc.get(key), str):
            words.append(acc[key])
    url = acc.get("url")
    if isinstance(url, str):
        seen = {h.strip().lstrip("@").lower() for h in handles}
        words.extend(part for part in url.split("/")[3:] if len(part) >= 4 and part.lstrip("@").lower() not in seen)
    return {"employee_ids": ids, "handles": handles, "words": words}


def build_context(start: Path, account: str | None, birth_dates: list[dt.date]) -> dict[str, Any]:
    """Context for :func:`snspolicy.password.check_candidate` from the posts repo (if any)."""
    from snspolicy.io import config as config_mod
    from snspolicy.io.repo import load_repo
    from snspolicy.app.setup import find_root

    ctx: dict[str, Any] = {"employee_ids": [], "handles": [], "words": [], "phone_numbers": [],
                           "birth_dates": list(birth_dates)}
    root = find_root(start)
    try:
        cfg = config_mod.load(root)
    except config_mod.ConfigError:
        cfg = None
    accounts: dict[str, dict[str, Any]] = {}
    declared_min: int | None = None
    if cfg is not None:
        ctx["phone_numbers"] = cfg.allowed("phone_numbers")
        repo = load_repo(root, cfg)
        for doc in repo.by_kind("account"):
            if isinstance(doc.data, dict):
                accounts[str(doc.data.get("id") or Path(doc.path).stem)] = doc.data
        params = _policy_params(root)
        for k in ("min_length", "min_score", "max_repeat", "max_sequence"):
            if params.get(k) is not None:
                ctx[k] = params[k]
    if account is not None:
        if account not in accounts:
            raise UserError("password.no_account", {"ids": ", ".join(sorted(accounts)) or "-"})
        chosen = [accounts[account]]
        pw = (accounts[account].get("security") or {}).get("password")
        if isinstance(pw, dict) and isinstance(pw.get("min_length"), int) and not isinstance(pw.get("min_length"), bool):
            declared_min = pw["min_length"]
    else:
        chosen = list(accounts.values())
    for acc in chosen:
        for k, v in _account_context(acc).items():
            ctx[k].extend(v)
    if declared_min is not None:
        ctx["min_length"] = max(int(ctx.get("min_length") or 0), declared_min)
    return ctx


def _policy_params(root: Path) -> dict[str, Any]:
    try:
        from snspolicy.app.setup import prepare

        spec = prepare([root]).policy.rules.get("account-password-policy")
        return dict(spec.params) if spec is not None else {}
    except Exception:  # noqa: BLE001 - without a policy the library defaults apply
        return {}


@click.group("password")
def password() -> None:
    """パスワードの確認（4(3)）/ password checks."""


@password.command("check", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--account", default=None, help="このアカウントの担当者の職員番号・アカウント名なども使って確認 / account id for context")
@click.option("--birth-date", "birth_dates", multiple=True, help="使ってはいけない生年月日 YYYY-MM-DD（複数可）/ birth date to ban")
@click.option("--repo", "repo", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="投稿リポジトリ（既定は現在のフォルダ）/ posts repo (default: cwd)")
@lang_option()
@click.pass_context
def check(cctx: click.Context, account: str | None, birth_dates: tuple[str, ...], repo: Path | None, lang: str) -> int:
    """パスワードの候補を手元で確認します（入力は表示されません。引数では渡せません）。

    Test a candidate password locally: typed at a hidden prompt or piped on stdin,
    never given as an argument. 終了コード / exit: 0 問題なし, 1 弱い, 2 使い方の誤り.
    """
    if cctx.args:
        raise UserError("password.argv")  # the arguments are neither checked nor shown
    dates: list[dt.date] = []
    for b in birth_dates:
        try:
            dates.append(dt.date.fromisoformat(b))
        except ValueError:
            raise click.BadParameter("YYYY-MM-DD", param_hint="--birth-date") from None
    context = build_context(repo or Path.cwd(), account, dates)
    try:
        candidate = read_candidate(lang)
    except (click.Abort, EOFError, KeyboardInterrupt):
        return EXIT_USAGE
    if not candidate:
        raise UserError("password.empty")
    try:
        from snspolicy.domain import password as checker

        codes = checker.check_candidate(candidate, context)
    except Exception:  # noqa: BLE001 - never a traceback that could carry the value
        candidate = ""
        raise UserError("password.internal") from None
    candidate = ""
    del candidate
    unchecked = "strength-unchecked" in codes
    problems = [c for c in codes if PROBLEM_PREFIX + c in messages.CATALOGUE]
    min_length = context.get("min_length") or 12
    if problems:
        click.echo(messages.message("password.weak", lang, n=len(problems)))
        for c in problems:
            click.echo("- " + messages.message(PROBLEM_PREFIX + c, lang, min_length=min_length))
    else:
        click.echo(messages.message("password.ok", lang))
    if unchecked:
        click.echo(messages.message("password.unchecked", lang), err=True)
    return EXIT_FINDINGS if problems else EXIT_OK
