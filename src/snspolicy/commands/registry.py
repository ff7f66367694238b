"""``snspolicy registry export|check``: the 「ソーシャルメディア アカウント管理担当者一覧表」 (4(5)).

``export`` builds the table from ``accounts/*.yaml`` (CSV, XLSX or Markdown) and
writes it atomically (or to stdout). ``check`` compares a committed copy with the
account files, like a stale lock file: exit 0 when it matches, 1 with
``FILE:line: message`` lines when it does not, 2 when it (or an account file)
cannot be read.

Secrets never reach the 一覧表: the password block is dropped before building,
and any string that :mod:`snspolicy.secrets` recognizes as a token is replaced by
its masked form (the lint's ``secret-in-repo`` reports it).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

FORMATS = {"csv": ".csv", "xlsx": ".xlsx", "markdown": ".md"}
_SUFFIX_FORMAT = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".md": "markdown", ".markdown": "markdown"}

_T = {
    "bad_format": {"ja": "出力先 {path} の拡張子が形式 {fmt} と合いません（.csv / .xlsx / .md）。",
                   "en": "The output {path} does not match the format {fmt} (.csv / .xlsx / .md)."},
    "bad_suffix": {"ja": "出力先 {path} の形式が分かりません。拡張子を .csv・.xlsx・.md にするか --format を指定してください。",
                   "en": "Cannot tell the format of {path}. Use .csv, .xlsx or .md, or give --format."},
    "xlsx_tty": {"ja": "XLSX は端末に表示できません。-o ファイル名.xlsx を指定してください。",
                 "en": "XLSX cannot be shown on a terminal. Give -o FILE.xlsx."},
    "account_unreadable": {"ja": "アカウントファイル {path} を読めないため、一覧表を作れません（snspolicy lint で確認してください）。",
                           "en": "Account file {path} cannot be read, so the registry cannot be built (see snspolicy lint)."},
    "no_accounts": {"ja": "アカウントファイル（accounts/*.yaml）がありません: {root}",
                    "en": "No account files (accounts/*.yaml) in {root}."},
    "config": {"ja": "設定ファイル snspolicy.yaml を読めません（{detail}）。",
               "en": "Cannot read snspolicy.yaml ({detail})."},
    "masked": {"ja": "警告: {account} の {field} に秘密情報らしき値があるため、一覧表では伏せ字にしました。値を削除し、再発行してください（snspolicy lint の secret-in-repo）。",
               "en": "warning: {account} {field} holds what looks like a secret; it is masked in the registry. Remove and reissue it (secret-in-repo in snspolicy lint)."},
    "written": {"ja": "一覧表を書き出しました: {path}（{n} アカウント）", "en": "Registry written: {path} ({n} accounts)"},
    "not_a_file": {"ja": "{path} は一覧表のファイルではありません（フォルダなど）。CSV・XLSX・Markdown のファイルを指定してください。",
                   "en": "{path} is not a registry file (a folder or device). Give a CSV, XLSX or Markdown file."},
    "not_found": {"ja": "一覧表 {path} がありません。snspolicy registry export -o {path} で作成してください。",
                  "en": "Registry {path} not found. Create it with snspolicy registry export -o {path}."},
    "unreadable": {"ja": "一覧表 {path} を読めません（{detail}）。", "en": "Cannot read the registry {path} ({detail})."},
    "ok": {"ja": "一覧表 {path} はアカウントファイルと一致しています（{n} アカウント）。",
           "en": "Registry {path} matches the account files ({n} accounts)."},
    "stale": {"ja": "一覧表 {path} はアカウントファイルと {n} か所違います。snspolicy registry export -o {path} で作り直し、広報広聴課へ提出してください。",
              "en": "Registry {path} differs from the account files in {n} place(s). Regenerate it with snspolicy registry export -o {path} and submit it."},
    "write_failed": {"ja": "{path} に書き込めません（{detail}）。", "en": "Cannot write {path} ({detail})."},
}


def _t(key: str, lang: str, **kw: Any) -> str:
    return _T[key][lang].format(**kw)


def _lang_default() -> str:
    lang = os.environ.get("SNSPOLICY_LANG", "ja")
    return lang if lang in ("ja", "en") else "ja"


def _date(value: str | None, name: str) -> dt.date:
    value = value or os.environ.get("SNSPOLICY_TODAY")
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} (YYYY-MM-DD)", param_hint=name) from None


def _fail(message: str, code: int = 2) -> None:
    click.echo(message, err=True)
    sys.exit(code)


# ----------------------------------------------------------------------------- loading


def load_accounts(start: Path, lang: str) -> tuple[Path, Any, list[dict]]:
    """(root, repo, account mappings) for the repo at or above ``start``; exits 2 when unusable."""
    from snspolicy.app.setup import find_root
    from snspolicy.domain.holders_list.stale import registry_accounts
    from snspolicy.io import config as config_mod
    from snspolicy.io.repo import load_repo

    root = find_root(start)
    try:
        cfg = config_mod.load(root)
    except config_mod.ConfigError as exc:
        _fail(_t("config", lang, detail=exc.code))
    repo = load_repo(root, cfg)
    accounts_dir = cfg.paths.get("accounts", "accounts")
    for fe in repo.errors:
        if fe.path.startswith(accounts_dir.rstrip("/") + "/"):
            _fail(_t("account_unreadable", lang, path=fe.path))
    return root, repo, registry_accounts(repo)


def redact(accounts: list[dict]) -> tuple[list[dict], list[tuple[str, str]]]:
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

    out: list[dict] = []
    for acc in accounts:
        acc = copy.deepcopy(acc)
        sec = acc.get("security")
        if isinstance(sec, dict):
            sec.pop("password", None)
        acc_id = mask_secrets(str(acc.get("id", "?")))
        out.append(clean(acc, "", acc_id))
    return out, found


# ----------------------------------------------------------------------------- commands


def register(main: click.Group) -> None:
    @main.group("registry")
    def registry_group() -> None:
        """アカウント管理担当者一覧表（4(5)）の作成・照合 / build and check the account registry."""

    @registry_group.command("export")
    @click.argument("repo", required=False, type=click.Path(path_type=Path))
    @click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
                  help="形式（既定は -o の拡張子、なければ csv）/ format (default: from -o, else csv)")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="出力先ファイル（既定は標準出力）/ output file (default: stdout)")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=_lang_default, help="見出しの言語 / header language")
    @click.option("--as-of", "as_of", default=None, help="作成日 YYYY-MM-DD（既定は今日）/ date printed on the table")
    @click.option("--encoding", type=click.Choice(["utf-8-sig", "utf-8", "cp932"]), default="utf-8-sig", show_default=True,
                  help="CSV の文字コード（cp932 = Shift_JIS）/ CSV encoding")
    def export_cmd(repo: Path | None, fmt: str | None, output: Path | None, lang: str, as_of: str | None,
                   encoding: str) -> None:
        """一覧表を書き出します（CSV・XLSX・Markdown）。/ Write the registry from accounts/*.yaml."""
        from snspolicy.domain.holders_list import export as registry
        from snspolicy.io.fsutil import atomic_write_bytes

        day = _date(as_of, "--as-of")
        if output is not None:
            by_suffix = _SUFFIX_FORMAT.get(output.suffix.lower())
            if fmt is None:
                if by_suffix is None:
                    _fail(_t("bad_suffix", lang, path=output))
                fmt = by_suffix
            elif by_suffix != fmt:
                _fail(_t("bad_format", lang, path=output, fmt=fmt))
        fmt = fmt or "csv"
        if fmt == "xlsx" and output is None and sys.stdout.isatty():
            _fail(_t("xlsx_tty", lang))
        root, _repo, accounts = load_accounts(repo or Path.cwd(), lang)
        if not accounts:
            _fail(_t("no_accounts", lang, root=root))
        safe, found = redact(accounts)
        for acc_id, field in found:
            click.echo(_t("masked", lang, account=acc_id, field=field), err=True)
        if fmt == "csv":
            data = registry.export_csv(safe, lang, encoding)
        elif fmt == "xlsx":
            data = registry.export_xlsx(safe, lang, day)
        else:
            data = registry.export_markdown(safe, lang, day).encode("utf-8")
        if output is None:
            stream = getattr(sys.stdout, "buffer", None)
            if stream is None:  # a text-only stdout (tests, some IDEs)
                sys.stdout.write(data.decode("utf-8", errors="replace") if fmt != "xlsx" else "")
                return
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
            return
        try:
            atomic_write_bytes(output, data)
        except OSError as exc:
            _fail(_t("write_failed", lang, path=output, detail=exc.strerror or type(exc).__name__))
        click.echo(_t("written", lang, path=output, n=len(accounts)), err=True)

    @registry_group.command("check")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.argument("repo", required=False, type=click.Path(path_type=Path))
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=_lang_default, help="メッセージの言語 / message language")
    @click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def check_cmd(file: Path, repo: Path | None, lang: str, fmt: str) -> None:
        """コミットした一覧表がアカウントファイルと一致するか確認します。/ Check a committed registry.

        終了コード / exit: 0 一致, 1 違いあり（古い）, 2 読めない。
        """
        from snspolicy.domain.holders_list.stale import UNREADABLE_DETAIL, compare_registry, difference_args

        start = repo if repo is not None else (file.parent if file.parent.is_dir() else Path.cwd())
        _root, _repo, accounts = load_accounts(start, lang)
        if file.is_dir():
            _fail(_t("not_a_file", lang, path=file))
        if not file.is_file():
            _fail(_t("not_found" if not file.exists() else "not_a_file", lang, path=file))
        diffs = compare_registry(file, accounts, lang)
        unreadable = [d for d in diffs if d.kind == "unreadable"]
        if unreadable:
            detail = UNREADABLE_DETAIL.get(unreadable[0].detail, {}).get(lang, unreadable[0].detail)
            _fail(_t("unreadable", lang, path=file, detail=detail))
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
            key = "stale" if rows else "ok"
            click.echo(_t(key, lang, path=file, n=len(rows) if rows else len(accounts)), err=bool(rows))
        sys.exit(1 if rows else 0)


def _templates(start: Path, lang: str):
    """Message formatter using the policy's registry-stale templates (a built-in fallback)."""
    from snspolicy.core import messages

    spec = None
    try:
        from snspolicy.app.setup import prepare

        spec = prepare([start]).policy.rules.get("registry-stale")
    except Exception:  # noqa: BLE001 - a broken policy must not stop the check
        spec = None

    def fmt(variant: str, args: dict) -> str:
        if spec is not None:
            return messages.format_template(spec.message(variant, lang), args, lang)
        return messages.format_template(
            "{location}: {account} {column}: {committed} -> {expected}" if variant == "value"
            else "{location}: {account} {column} ({detail})", args, lang)

    return fmt
