"""The ``snspolicy`` command line (click). Thin: parsing options, calling runner, printing."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from snspolicy import __version__
from snspolicy.core import messages
from snspolicy.core.model import Severity

LANGS = click.Choice(["ja", "en"])
FORMATS = ["text", "json", "sarif", "github", "markdown", "junit"]


def _lang_default() -> str:
    lang = os.environ.get("SNSPOLICY_LANG", "ja")
    return lang if lang in ("ja", "en") else "ja"


def _today(value: str | None) -> dt.date | None:
    value = value or os.environ.get("SNSPOLICY_TODAY")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"--today: {value!r} (YYYY-MM-DD)") from None


MACHINE_FORMATS = ("json", "sarif", "junit")


def _emit(text: str, output: str | None, fmt: str = "text") -> None:
    """Print or write a report. JSON, SARIF and JUnit are always UTF-8 (their consumers
    expect it), whatever the console's code page; text follows the console."""
    if output:
        from snspolicy.io.fsutil import atomic_write_text

        try:
            atomic_write_text(Path(output), text)
        except OSError as exc:
            raise OutputError(output, exc) from None
        return
    if not text.endswith("\n"):
        text += "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    enc = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if fmt in MACHINE_FORMATS and buffer is not None and enc not in ("utf8", "utf8sig"):
        sys.stdout.flush()
        buffer.write(text.encode("utf-8", "replace"))
        buffer.flush()
        return
    click.echo(text, nl=False)


class OutputError(click.ClickException):
    """The report (or any file a command writes) could not be written: exit status 2, no traceback."""

    exit_code = 2

    def __init__(self, path: str | os.PathLike, exc: OSError) -> None:
        lang = _lang_default()
        reason = exc.strerror or type(exc).__name__
        text = (f"{path} に書き込めません（{reason}）。フォルダが存在し、書き込みできるか確認してください。" if lang == "ja"
                else f"Cannot write {path} ({reason}). Check that the folder exists and is writable.")
        super().__init__(text)

    def show(self, file=None) -> None:  # no "Error:" prefix in English only
        click.echo(self.format_message(), err=True)


def setup_error_text(exc, lang: str) -> str:
    """A config or policy error as one located line: ``path:line:col: message``."""
    msg = messages.message(exc.code, lang, **dict(exc.params or {}))
    span = exc.span
    return f"{exc.path}:{getattr(span, 'line', 1) or 1}:{getattr(span, 'column', 1) or 1}: {msg}"


def _safe_streams() -> None:
    """Printing Japanese must never crash: on a console that cannot show a character
    (a cp932 or latin-1 code page, a redirected Windows pipe) it is replaced, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "")
        if enc not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - a detached or closed stream
                pass


class _Main(click.Group):
    """The command group, with a last line of defence: an unexpected error in any
    command becomes a short message and exit status 2, never a Python traceback
    (set SNSPOLICY_DEBUG=1 to see the traceback)."""

    def invoke(self, ctx: click.Context):
        _safe_streams()
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit,
                KeyboardInterrupt):
            raise
        except OSError as exc:
            import errno

            if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
                raise  # click handles a closed pipe (`snspolicy lint | head`) quietly
            if os.environ.get("SNSPOLICY_DEBUG"):
                raise
            import re

            # a temporary file of an atomic write: name the file the user asked for
            where = re.sub(r"([\\/])\.([^\\/]+)\.[A-Za-z0-9_]{6,12}\.tmp$", r"\1\2", str(exc.filename or ""))
            reason = exc.strerror or type(exc).__name__
            ja = _lang_default() == "ja"
            click.echo((f"ファイルを読み書きできません: {where}（{reason}）" if ja else f"Cannot read or write {where} ({reason})"),
                       err=True)
            sys.exit(2)
        except Exception as exc:  # noqa: BLE001 - see the docstring
            if os.environ.get("SNSPOLICY_DEBUG"):
                raise
            ja = _lang_default() == "ja"
            click.echo((f"内部エラーが起きました（{type(exc).__name__}）。snspolicy の不具合です。SNSPOLICY_DEBUG=1 を付けて"
                        "実行した結果を添えて報告してください。" if ja else
                        f"Internal error ({type(exc).__name__}). This is a bug in snspolicy; please report it with the "
                        "output of the same command run with SNSPOLICY_DEBUG=1."), err=True)
            sys.exit(2)


def _fatal_setup(exc, fmt: str, lang: str, output: str | None) -> None:
    """Config or policy errors: a located finding in the requested format, exit 2."""
    from snspolicy import reporters
    from snspolicy.core.model import ReportContext
    from snspolicy.app.setup import error_finding

    msg = messages.message(exc.code, lang, **(exc.params or {}))
    finding = error_finding(str(exc.path), exc.span, msg, getattr(exc, "rule", "schema"))
    _emit(reporters.render(fmt, [finding], ReportContext(tool_version=__version__, lang=lang), summary_line=False), output, fmt)
    sys.exit(2)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="snspolicy")
def main() -> None:
    """宇部市ソーシャルメディア利用ガイドラインのポリシーで投稿リポジトリを検査します。

    Lints a posts repository against Ube City's social-media guideline.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="出力形式 / output format")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="出力先ファイル（既定は標準出力）/ write the report to a file")
@click.option("--lang", type=LANGS, default=_lang_default, show_default="ja", help="メッセージの言語 / message language")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None, help="失敗とする最低の重大度 / lowest severity that fails")
@click.option("--select", multiple=True, help="このルール（ID または条項 6(5) など）だけを実行 / only these rules or clauses")
@click.option("--ignore", multiple=True, help="このルールを実行しない / skip these rules or clauses")
@click.option("--policy", "policy_ref", default=None, help="ポリシーを指定（snspolicy.yaml より優先）/ policy id or path")
@click.option("--today", default=None, help="期限判定の基準日 YYYY-MM-DD（既定は今日）/ date used for expiries")
@click.option("--show-waived", is_flag=True, help="waiver で許可済みの指摘も表示 / also show waived findings")
@click.option("--color/--no-color", default=None, help="色付き表示 / ANSI colours (default: when a terminal)")
@click.option("--base", default=None, help="この git ref からの変更だけを検査 / lint what changed since REF")
@click.option("--policy-from", "policy_from", default=None, help="ポリシーと設定をこの git ref から読む / read policy and config from REF")
def lint(paths, fmt, output, lang, fail_on, select, ignore, policy_ref, today, show_waived, color, base, policy_from):
    """投稿リポジトリを検査します（既定は現在のフォルダ）。/ Lint the posts repo (default: cwd).

    終了コード / exit status: 0 問題なし, 1 fail_on 以上の指摘あり, 2 入力・設定・ポリシーの誤り.
    """
    from snspolicy import reporters
    from snspolicy.app import setup as runner
    from snspolicy.io.config import ConfigError
    from snspolicy.policy.model import PolicyError

    today_d = _today(today)
    selector = _selector(select, ignore)
    try:
        if base or policy_from:
            from snspolicy.app import changes as gitops

            setup, repo, result = gitops.lint_changes(list(paths), base=base, policy_from=policy_from, lang=lang, today=today_d,
                                                      select=selector, policy_ref=policy_ref)
        else:
            setup = runner.prepare(paths, policy_ref)
            _check_selection(setup.policy, select, ignore, lang)
            progress = _progress(lang) if sys.stderr.isatty() and fmt == "text" and not output else None
            repo, result = runner.lint(setup, lang=lang, today=today_d, select=selector, progress=progress)
    except (ConfigError, PolicyError) as exc:
        _fatal_setup(exc, fmt, lang, output)
        return
    if base or policy_from:
        _check_selection(setup.policy, select, ignore, lang)
    ctx = runner.report_context(setup, result, lang)
    fail = Severity.parse(fail_on) if fail_on else setup.config.fail_on
    ctx.fail_on = fail
    use_color = color if color is not None else (sys.stdout.isatty() and not output and not os.environ.get("NO_COLOR"))
    opts = {"color": bool(use_color), "show_waived": show_waived}
    _emit(reporters.render(fmt, result.findings, ctx, **opts), output, fmt)
    sys.exit(result.exit_code(fail))


def _selector(select, ignore):
    sel = {s.strip() for item in select for s in item.split(",") if s.strip()}
    ign = {s.strip() for item in ignore for s in item.split(",") if s.strip()}
    if not sel and not ign:
        return None

    def pick(spec) -> bool:
        def hit(names):
            return spec.id in names or spec.clause in names or spec.clause.split("(")[0] in names

        if sel and not hit(sel) and spec.id not in ("yaml-syntax", "file-encoding"):
            return False
        return not hit(ign)

    return pick


def _check_selection(pol, select, ignore, lang: str) -> None:
    """A misspelt --select would run nothing and report success: refuse names that match no rule."""
    known = set(pol.rules) | _ENGINE
    for spec in pol.rules.values():
        known |= {spec.clause, spec.clause.split("(")[0]}
    for option, values in (("--select", select), ("--ignore", ignore)):
        names = [v.strip() for item in values for v in item.split(",") if v.strip()]
        unknown = [n for n in names if n not in known]
        if unknown:
            import difflib

            hint = difflib.get_close_matches(unknown[0], sorted(known), n=1)
            text = (f"{option}: ルールまたは条項「{unknown[0]}」はありません。" + (f"「{hint[0]}」ですか？" if hint else "")
                    + "snspolicy rules で一覧を確認してください。") if lang == "ja" else \
                (f"{option}: no rule or clause '{unknown[0]}'." + (f" Did you mean '{hint[0]}'?" if hint else "")
                 + " See `snspolicy rules`.")
            raise click.UsageError(text)


def _progress(lang: str):
    def show(n: int, total: int) -> None:
        label = "検査中" if lang == "ja" else "checking"
        sys.stderr.write(f"\r{label} {n}/{total}")
        if n == total:
            sys.stderr.write("\r" + " " * 30 + "\r")
        sys.stderr.flush()

    return show


def _load_policy(policy_ref: str | None, lang: str):
    from snspolicy.app import setup as runner
    from snspolicy.io.config import ConfigError
    from snspolicy.policy.model import PolicyError

    try:
        setup = runner.prepare([Path.cwd()], policy_ref)
    except (ConfigError, PolicyError) as exc:
        _fatal_setup(exc, "text", lang, None)
        raise  # unreachable
    return setup.policy


@main.command("rules")
@click.option("--lang", type=LANGS, default=_lang_default)
@click.option("--policy", "policy_ref", default=None)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(lang, policy_ref, fmt):
    """ルールの一覧（ID・条項・重大度・名称）/ list the rules with their clause."""
    from snspolicy.engine.registry import load_builtin_rules

    pol = _load_policy(policy_ref, lang)
    impl = load_builtin_rules()
    rows = []
    for rid, spec in sorted(pol.rules.items(), key=lambda kv: (_clause_key(kv[1].clause), kv[0])):
        rows.append({"id": rid, "clause": spec.clause, "severity": str(spec.severity), "title": spec.title_in(lang),
                     "enabled": spec.enabled, "implemented": rid in impl or rid in _ENGINE})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(r["id"]) for r in rows) if rows else 10
    for r in rows:
        flag = "" if r["enabled"] else (" (無効)" if lang == "ja" else " (disabled)")
        click.echo(f"{r['id']:<{width}}  {r['clause']:<6}  {r['severity']:<7}  {r['title']}{flag}")


_ENGINE = {"yaml-syntax", "file-encoding", "schema", "internal-error", "waiver-invalid", "waiver-expired", "waiver-unused"}


def _clause_key(clause: str) -> tuple:
    import re

    nums = [int(n) for n in re.findall(r"\d+", clause)]
    return (0 if nums else 1, nums)


@main.command()
@click.argument("rule_id")
@click.option("--lang", type=LANGS, default=_lang_default)
@click.option("--policy", "policy_ref", default=None)
def explain(rule_id, lang, policy_ref):
    """ルールの説明（条項の本文、理由、悪い例・良い例）/ explain a rule."""
    pol = _load_policy(policy_ref, lang)
    spec = pol.rules.get(rule_id)
    if spec is None:
        click.echo(("ルール「%s」はありません。snspolicy rules で一覧を確認してください。" if lang == "ja" else "No rule '%s'. See `snspolicy rules`.") % rule_id, err=True)
        sys.exit(2)
    click.echo(explain_text(pol, spec, lang))


def explain_text(pol, spec, lang: str) -> str:
    doc = spec.doc or {}
    L = {"ja": ("条項", "重大度", "ガイドライン", "何を確認するか", "なぜ", "悪い例", "良い例", "パラメータ"),
         "en": ("Clause", "Severity", "Guideline", "What it checks", "Why", "Bad", "Good", "Parameters")}[lang]
    clause = pol.clauses.get(spec.clause, {})
    out = [f"{spec.id}: {spec.title_in(lang)}", f"{L[0]}: {spec.clause} {pol.clause_title(spec.clause, lang)}", f"{L[1]}: {spec.severity}"]
    if clause.get("text"):
        out.append(f"{L[2]}: {clause['text']}")
    for label, key in ((L[3], "what"), (L[4], "why")):
        v = (doc.get(key) or {})
        if v:
            out += ["", f"{label}:", "  " + (v.get(lang) or v.get("ja", ""))]
    for label, key in ((L[5], "bad"), (L[6], "good")):
        if doc.get(key):
            out += ["", f"{label}:"] + ["  " + line for line in str(doc[key]).rstrip().splitlines()]
    if spec.params:
        out += ["", f"{L[7]}:"] + [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in spec.params.items()]
    return "\n".join(out)


@main.group()
def policy():
    """ポリシーの検証・比較 / validate and compare policies."""


@policy.command("validate")
@click.argument("ref", required=False)
@click.option("--lang", type=LANGS, default=_lang_default)
def policy_validate(ref, lang):
    """ポリシーを検証します（スキーマ、条項、語彙の用例、正規表現の安全性）。/ validate a policy."""
    from snspolicy.app import validate as policycheck

    problems = policycheck.validate(ref, Path.cwd(), lang)
    for p in problems:
        click.echo(p)
    if problems:
        click.echo(("ポリシーに %d 件の問題があります。" if lang == "ja" else "%d problem(s) in the policy.") % len(problems), err=True)
        sys.exit(2)
    click.echo("ポリシーは有効です。" if lang == "ja" else "The policy is valid.")


def _register_optional() -> None:
    """Subcommands living in their own modules (kept out of the one-file start-up path)."""
    from snspolicy import cli_extra

    cli_extra.register(main)


_register_optional()
