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
import os
import sys
from pathlib import Path
from typing import Any

import click

MAX_INPUT = 1024  # characters read from stdin; a password is never longer

PROBLEMS = {
    "too-short": {"ja": "短すぎます。{min_length} 文字以上にしてください。",
                  "en": "Too short. Use at least {min_length} characters."},
    "guessable": {"ja": "推測されやすいパスワードです（辞書の単語、よくある並び、簡単な置き換えなど）。パスワード管理ツールで無作為に生成してください。",
                  "en": "Easy to guess (dictionary words, common patterns, simple substitutions). Generate a random one with a password manager."},
    "contains-employee-id": {"ja": "職員番号が含まれています。", "en": "Contains an employee id."},
    "contains-birth-date": {"ja": "生年月日が含まれています。", "en": "Contains a birth date."},
    "contains-phone-number": {"ja": "電話番号が含まれています。", "en": "Contains a phone number."},
    "contains-handle": {"ja": "アカウント名（handle）が含まれています。", "en": "Contains the account's handle."},
    "contains-name": {"ja": "アカウント ID・プラットフォーム名・氏名など、推測しやすい語が含まれています。",
                      "en": "Contains an easily guessed word (account id, platform, a name …)."},
    "repeated-characters": {"ja": "同じ文字・数字の連続（aaa、111 など）が含まれています。",
                            "en": "Contains a run of the same character (aaa, 111 …)."},
    "sequence": {"ja": "連続した文字・数字（1234、abcd など）が含まれています。",
                 "en": "Contains a sequence (1234, abcd …)."},
}
_T = {
    "prompt": {"ja": "確認するパスワード（表示されません）", "en": "Password to check (not shown)"},
    "argv": {"ja": "パスワードをコマンドラインに書かないでください（履歴に残ります）。入力された値は確認も表示もしていません。そのパスワードは使わないでください。"
                   "パスワードは入力を求められたときに入力するか、標準入力から渡してください。",
             "en": "Never put a password on the command line (it stays in the shell history). The value was neither checked nor shown; do not use it. "
                   "Type it at the prompt or pipe it on standard input."},
    "empty": {"ja": "パスワードが入力されていません。", "en": "No password was entered."},
    "no_account": {"ja": "--account に指定したアカウントがありません。使えるアカウント: {ids}",
                   "en": "No such account for --account. Accounts: {ids}"},
    "ok": {"ja": "問題は見つかりませんでした。他のアカウントと同じパスワードでないことも確かめてください（4(3)）。",
           "en": "No problem found. Also make sure it is not used for any other account (4(3))."},
    "weak": {"ja": "このパスワードには {n} 件の問題があります（ガイドライン 4(3)）:", "en": "{n} problem(s) with this password (guideline 4(3)):"},
    "unchecked": {"ja": "注意: zxcvbn がインストールされていないため、推測されやすさは確認していません（pip install zxcvbn）。",
                  "en": "note: zxcvbn is not installed, so guessability was not checked (pip install zxcvbn)."},
    "internal": {"ja": "内部エラーのため確認できませんでした（入力された値は表示しません）。",
                 "en": "The check failed because of an internal error (the value is not shown)."},
}


def _t(key: str, lang: str, **kw: Any) -> str:
    return _T[key][lang].format(**kw)


def _lang_default() -> str:
    lang = os.environ.get("SNSPOLICY_LANG", "ja")
    return lang if lang in ("ja", "en") else "ja"


def read_candidate(lang: str) -> str:
    """The candidate: a hidden prompt on a terminal, else the first line of stdin (at most MAX_INPUT)."""
    stdin = sys.stdin
    if stdin is None:
        return ""
    if _isatty(stdin):
        return click.prompt(_t("prompt", lang), hide_input=True, default="", show_default=False, err=True)
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


def _account_context(acc: dict) -> dict[str, list[str]]:
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


def build_context(start: Path, account: str | None, birth_dates: list[dt.date], lang: str) -> dict[str, Any]:
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
    accounts: dict[str, dict] = {}
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
            click.echo(_t("no_account", lang, ids=", ".join(sorted(accounts)) or "-"), err=True)
            sys.exit(2)
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


def register(main: click.Group) -> None:
    @main.group("password")
    def password_group() -> None:
        """パスワードの確認（4(3)）/ password checks."""

    @password_group.command("check", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.option("--account", default=None, help="このアカウントの担当者の職員番号・アカウント名なども使って確認 / account id for context")
    @click.option("--birth-date", "birth_dates", multiple=True, help="使ってはいけない生年月日 YYYY-MM-DD（複数可）/ birth date to ban")
    @click.option("--repo", "repo", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="投稿リポジトリ（既定は現在のフォルダ）/ posts repo (default: cwd)")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=_lang_default, help="メッセージの言語 / message language")
    @click.pass_context
    def check_cmd(cctx: click.Context, account: str | None, birth_dates: tuple[str, ...], repo: Path | None, lang: str) -> None:
        """パスワードの候補を手元で確認します（入力は表示されません。引数では渡せません）。

        Test a candidate password locally: typed at a hidden prompt or piped on stdin,
        never given as an argument. 終了コード / exit: 0 問題なし, 1 弱い, 2 使い方の誤り.
        """
        if cctx.args:
            click.echo(_t("argv", lang), err=True)
            sys.exit(2)
        dates: list[dt.date] = []
        for b in birth_dates:
            try:
                dates.append(dt.date.fromisoformat(b))
            except ValueError:
                raise click.BadParameter("YYYY-MM-DD", param_hint="--birth-date") from None
        context = build_context(repo or Path.cwd(), account, dates, lang)
        try:
            candidate = read_candidate(lang)
        except (click.Abort, EOFError, KeyboardInterrupt):
            sys.exit(2)
        if not candidate:
            click.echo(_t("empty", lang), err=True)
            sys.exit(2)
        try:
            from snspolicy.domain import password

            codes = password.check_candidate(candidate, context)
        except Exception:  # noqa: BLE001 - never a traceback that could carry the value
            candidate = ""
            click.echo(_t("internal", lang), err=True)
            sys.exit(2)
        candidate = ""
        del candidate
        unchecked = "strength-unchecked" in codes
        problems = [c for c in codes if c in PROBLEMS]
        min_length = context.get("min_length") or 12
        if problems:
            click.echo(_t("weak", lang, n=len(problems)))
            for c in problems:
                click.echo("- " + PROBLEMS[c][lang].format(min_length=min_length))
        else:
            click.echo(_t("ok", lang))
        if unchecked:
            click.echo(_t("unchecked", lang), err=True)
        sys.exit(1 if problems else 0)
