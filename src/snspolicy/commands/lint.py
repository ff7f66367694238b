"""``snspolicy lint``: check the posts repo (or the named files, or what changed since a git ref).

Every mode goes through the one pipeline, :func:`snspolicy.app.lint.run`; this module only
checks the options, renders the result with :mod:`snspolicy.reporters` and returns the exit
status: 0 nothing at or above ``fail_on``, 1 findings, 2 unreadable input or a setup error.
A broken ``snspolicy.yaml`` or policy is reported as one located finding *in the requested
format* (so a SARIF upload or a JSON consumer still gets a valid document), not as a message.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from snspolicy.commands._options import emit, lang_option, today_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_USAGE, UserError

if TYPE_CHECKING:
    import datetime as dt

    from snspolicy.policy.model import Policy, RuleSpec

FORMATS = ["text", "json", "sarif", "github", "markdown", "junit"]

__all__ = ["FORMATS", "check_selection", "lint", "selector"]


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="出力形式 / output format")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="出力先ファイル（既定は標準出力）/ write the report to a file")
@lang_option()
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None, help="失敗とする最低の重大度 / lowest severity that fails")
@click.option("--select", multiple=True, help="このルール（ID または条項 6(5) など）だけを実行 / only these rules or clauses")
@click.option("--ignore", multiple=True, help="このルールを実行しない / skip these rules or clauses")
@click.option("--policy", "policy_ref", default=None, help="ポリシーを指定（snspolicy.yaml より優先）/ policy id or path")
@today_option()
@click.option("--show-waived", is_flag=True, help="waiver で許可済みの指摘も表示 / also show waived findings")
@click.option("--color/--no-color", default=None, help="色付き表示 / ANSI colours (default: when a terminal)")
@click.option("--base", default=None, help="この git ref からの変更だけを検査 / lint what changed since REF")
@click.option("--policy-from", "policy_from", default=None, help="ポリシーと設定をこの git ref から読む / read policy and config from REF")
def lint(paths: tuple[Path, ...], fmt: str, output: str | None, lang: str, fail_on: str | None, select: tuple[str, ...],
         ignore: tuple[str, ...], policy_ref: str | None, today: dt.date | None, show_waived: bool, color: bool | None,
         base: str | None, policy_from: str | None) -> int:
    """投稿リポジトリを検査します（既定は現在のフォルダ）。/ Lint the posts repo (default: cwd).

    終了コード / exit status: 0 問題なし, 1 fail_on 以上の指摘あり, 2 入力・設定・ポリシーの誤り.
    """
    from snspolicy import reporters
    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.app.setup import report_context
    from snspolicy.core.model import Severity

    show_progress = sys.stderr.isatty() and fmt == "text" and not output and not base and not policy_from
    options = LintOptions(lang=lang, today=today, select=selector(select, ignore),
                          progress=_progress(lang) if show_progress else None)
    try:
        done = run(LintRequest(list(paths), policy_ref, base, policy_from, options))
    except UserError as exc:  # snspolicy.yaml, the policy, git: a finding of the report, exit 2
        return report_setup_error(exc, fmt, lang, output)
    check_selection(done.setup.policy, select, ignore, lang)
    ctx = report_context(done.setup, done.result, lang)
    fail = Severity.parse(fail_on) if fail_on else done.setup.config.fail_on
    ctx.fail_on = fail
    use_color = color if color is not None else (sys.stdout.isatty() and not output and not os.environ.get("NO_COLOR"))
    emit(reporters.render(fmt, done.result.findings, ctx, color=bool(use_color), show_waived=show_waived), output, fmt)
    return int(done.result.exit_code(fail))


def _names(values: Iterable[str]) -> list[str]:
    """``--select a,b --select c`` → ``[a, b, c]``."""
    return [s.strip() for item in values for s in item.split(",") if s.strip()]


def selector(select: Iterable[str], ignore: Iterable[str]) -> Callable[[RuleSpec], bool] | None:
    """The rule filter of ``--select``/``--ignore`` (rule ids, clauses such as ``6(5)``, or a whole item ``6``).

    Unreadable files are always reported (``yaml-syntax``, ``file-encoding``), whatever is selected.
    """
    sel = set(_names(select))
    ign = set(_names(ignore))
    if not sel and not ign:
        return None

    def pick(spec: RuleSpec) -> bool:
        def hit(names: set[str]) -> bool:
            return spec.id in names or spec.clause in names or spec.clause.split("(")[0] in names

        if sel and not hit(sel) and spec.id not in ("yaml-syntax", "file-encoding"):
            return False
        return not hit(ign)

    return pick


def check_selection(pol: Policy, select: Iterable[str], ignore: Iterable[str], lang: str) -> None:
    """A misspelt --select would run nothing and report success: refuse names that match no rule."""
    from snspolicy.engine.registry import ENGINE_RULES

    known = set(pol.rules) | set(ENGINE_RULES)
    for spec in pol.rules.values():
        known |= {spec.clause, spec.clause.split("(")[0]}
    for option, values in (("--select", select), ("--ignore", ignore)):
        unknown = [n for n in _names(values) if n not in known]
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(known), n=1)
            hint = messages.message("lint.did_you_mean", lang, name=close[0]) if close else ""
            raise click.UsageError(messages.message("lint.unknown_selection", lang, option=option, name=unknown[0], hint=hint))


def _progress(lang: str) -> Callable[[int, int], None]:
    label = messages.message("lint.progress", lang)

    def show(n: int, total: int) -> None:
        sys.stderr.write(f"\r{label} {n}/{total}")
        if n == total:
            sys.stderr.write("\r" + " " * 30 + "\r")
        sys.stderr.flush()

    return show


def report_setup_error(exc: UserError, fmt: str, lang: str, output: str | None) -> int:
    """A setup error as the one finding of a report in ``fmt`` (exit status 2)."""
    from snspolicy import __version__, reporters
    from snspolicy.app.setup import error_finding
    from snspolicy.core.model import ReportContext

    text = messages.message(exc.code, lang, **exc.params)
    finding = error_finding(exc.path or ".", exc.span, text, getattr(exc, "rule", "schema"))
    emit(reporters.render(fmt, [finding], ReportContext(tool_version=__version__, lang=lang), summary_line=False), output, fmt)
    return EXIT_USAGE
