"""``snspolicy lint``: check the posts repo (or the named files, what changed since a git ref, or
the text on stdin as one file of the repo).

Every mode goes through the one pipeline, :func:`snspolicy.app.lint.run` (stdin: the editor
bridge, :func:`snspolicy.lsp.bridge.lint_text`, which uses the same pipeline); this module only
checks the options, renders the result with :mod:`snspolicy.reporters` and returns the exit
status: 0 nothing at or above ``fail_on``, 1 findings (or more warnings than ``--max-warnings``),
2 unreadable input or a setup error. A broken ``snspolicy.yaml`` or policy is reported as one
located finding *in every requested format* (so a SARIF upload or a JSON consumer still gets a
valid document), not as a message.

One run, several outputs: ``-f FORMAT`` or ``-f FORMAT:PATH``, repeatable (``-f github -f
sarif:results.sarif -f markdown:summary.md``). At most one format goes to stdout; ``-o PATH``
names the file of a single format. Every output path is checked before anything is written
(:func:`snspolicy.io.fsutil.check_output_path`: never an input file, by any name), and every
output is rendered from the same findings.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from snspolicy.commands._options import emit, lang_option, today_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_USAGE, UserError

if TYPE_CHECKING:
    import datetime as dt

    from snspolicy.app.setup import Setup
    from snspolicy.core.model import ReportContext
    from snspolicy.engine.core import Result
    from snspolicy.io.repo import Repo
    from snspolicy.policy.model import Policy, RuleSpec

#: the output formats (the same as :data:`snspolicy.reporters.FORMATS`; a test keeps them equal)
FORMATS = ["text", "json", "sarif", "github", "markdown", "junit", "gitlab", "html"]

__all__ = ["FORMATS", "Output", "check_selection", "lint", "plan_outputs", "selector"]

_FORMAT_HELP = ("出力形式。FORMAT:PATH でファイルへ。繰り返して 1 回の検査から複数の出力を作れます"
                "（標準出力へは 1 つまで）/ output format; FORMAT:PATH writes it to a file; repeat for several "
                "outputs of one run (at most one on stdout): " + ", ".join(FORMATS))


@dataclass(frozen=True)
class Output:
    """One rendering of the run: a format and where it goes (``None``: standard output)."""

    fmt: str
    path: str | None = None


def _parse_spec(spec: str, lang: str) -> Output:
    """``FORMAT`` or ``FORMAT:PATH`` (split at the first colon, so ``sarif:C:\\x.sarif`` works)."""
    fmt, sep, path = spec.partition(":")
    name = fmt.strip().lower()
    if name not in FORMATS:
        raise click.UsageError(messages.message("lint.bad_format", lang, spec=spec, fmt=fmt, formats=", ".join(FORMATS)))
    if sep and not path.strip():
        raise click.UsageError(messages.message("lint.empty_output_path", lang, spec=spec))
    return Output(name, path if sep else None)


def plan_outputs(specs: Iterable[str], output: str | None, lang: str = "ja") -> list[Output]:
    """The outputs of ``-f``/``-o`` (raises click.UsageError, exit status 2, for a conflict)."""
    outs = [_parse_spec(s, lang) for s in specs] or [Output("text")]
    if output:
        if len(outs) != 1 or outs[0].path is not None:
            raise click.UsageError(messages.message("lint.output_with_many", lang))
        outs = [Output(outs[0].fmt, output)]
    on_stdout = [o.fmt for o in outs if o.path is None]
    if len(on_stdout) > 1:
        raise click.UsageError(messages.message("lint.two_on_stdout", lang, formats=", ".join(on_stdout)))
    seen: set[str] = set()
    for o in outs:
        if o.path is None:
            continue
        key = os.path.normcase(os.path.realpath(o.path))
        if key in seen:
            raise click.UsageError(messages.message("lint.same_output", lang, path=o.path))
        seen.add(key)
    return outs


@dataclass
class _Done:
    """What a run gives the renderers, whatever the mode."""

    setup: Setup | None
    result: Result
    ctx: ReportContext
    paths: list[Path]  # what was linted (finds the repo when there is no setup)
    inputs: list[Path | str] = field(default_factory=list)  # files read besides the setup's own (documents, --config, stdin's file)
    documents: Callable[[], dict[str, dict[str, Any]]] | None = None  # the review page's documents, built on demand


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT[:PATH]", help=_FORMAT_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="出力先ファイル（形式が 1 つのとき。既定は標準出力）/ write the (single) report to a file")
@lang_option()
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None, help="失敗とする最低の重大度 / lowest severity that fails")
@click.option("--max-warnings", type=click.IntRange(min=0), default=None, metavar="N",
              help="警告が N 件を超えたら終了コード 1（fail_on が error でも）/ exit 1 when there are more than N warnings")
@click.option("--select", multiple=True, help="このルール（ID または条項 6(5) など）だけを実行 / only these rules or clauses")
@click.option("--ignore", multiple=True, help="このルールを実行しない / skip these rules or clauses")
@click.option("--policy", "policy_ref", default=None, help="ポリシーを指定（snspolicy.yaml より優先）/ policy id or path")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="リポジトリの snspolicy.yaml の代わりにこの設定ファイルを使う / use this file instead of the repo's "
                   "snspolicy.yaml")
@today_option()
@click.option("--show-waived", is_flag=True, help="waiver で許可済みの指摘も表示 / also show waived findings")
@click.option("--statistics", is_flag=True, help="ルールごとの件数の表を表示 / show a table of counts per rule")
@click.option("-q", "--quiet", is_flag=True, help="指摘だけを表示（件数の行・進み具合なし）/ print findings only, no summary or progress")
@click.option("--no-progress", is_flag=True, help="進み具合を表示しない / never show progress on stderr")
@click.option("--color/--no-color", default=None, help="色付き表示 / ANSI colours (default: when a terminal)")
@click.option("--base", default=None, help="この git ref からの変更だけを検査 / lint what changed since REF")
@click.option("--policy-from", "policy_from", default=None, help="ポリシーと設定をこの git ref から読む / read policy and config from REF")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="並行して検査するプロセス数（既定: CPU の数）/ worker processes (default: the CPUs)")
@click.option("--no-cache", is_flag=True, envvar="SNSPOLICY_NO_CACHE",
              help="キャッシュ（.snspolicy_cache/）を読み書きしない（環境変数 SNSPOLICY_NO_CACHE=1 でも）"
                   " / neither read nor write .snspolicy_cache/ (also SNSPOLICY_NO_CACHE=1)")
@click.option("--stdin-filename", default=None, metavar="PATH",
              help="標準入力（-）の文章を、このファイルとして検査 / lint the text on stdin (-) as this file of the repo")
def lint(paths: tuple[Path, ...], formats: tuple[str, ...], output: str | None, lang: str, fail_on: str | None,
         max_warnings: int | None, select: tuple[str, ...], ignore: tuple[str, ...], policy_ref: str | None,
         config_path: Path | None, today: dt.date | None, show_waived: bool, statistics: bool, quiet: bool,
         no_progress: bool, color: bool | None, base: str | None, policy_from: str | None,
         jobs: int | None, no_cache: bool, stdin_filename: str | None) -> int:
    """投稿リポジトリを検査します（既定は現在のフォルダ）。/ Lint the posts repo (default: cwd).

    \b
    例 / examples:
      snspolicy lint
      snspolicy lint -f github -f sarif:results.sarif -f markdown:summary.md
      snspolicy lint --stdin-filename posts/ube-city-x/2025/x.md - < draft.md

    終了コード / exit status: 0 問題なし, 1 fail_on 以上の指摘あり（または --max-warnings 超え）,
    2 入力・設定・ポリシーの誤り.
    """
    from snspolicy.core.model import Severity

    outs = plan_outputs(formats, output, lang)
    _check_combinations(paths, stdin_filename, base, policy_from, config_path, policy_ref, lang)
    stdout_text = any(o.fmt == "text" and o.path is None for o in outs)
    show_progress = (not quiet and not no_progress and sys.stderr.isatty() and outs == [Output("text")]
                     and not base and not policy_from and stdin_filename is None)
    rule_filter = selector(select, ignore)
    try:
        if stdin_filename is not None:
            done = _run_stdin(stdin_filename, lang, today, rule_filter, select, ignore)
        else:
            done = _run(paths, policy_ref, config_path, base, policy_from, lang, today, rule_filter,
                        _progress(lang) if show_progress else None, select, ignore, jobs=jobs, cache=not no_cache)
    except UserError as exc:  # snspolicy.yaml, the policy, git: a finding of every report, exit 2
        return report_setup_error(exc, outs, lang, paths=paths, config=config_path)
    fail = Severity.parse(fail_on) if fail_on else (done.setup.config.fail_on if done.setup else Severity.ERROR)
    done.ctx.fail_on = fail
    use_color = color if color is not None else (sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    _write(outs, done, color=bool(use_color) and stdout_text, show_waived=show_waived, quiet=quiet,
           statistics=statistics)
    code = int(done.result.exit_code(fail))
    if code == 0 and max_warnings is not None:
        warnings = sum(1 for f in done.result.visible() if f.severity == Severity.WARNING)
        if warnings > max_warnings:
            if not quiet:
                click.echo(messages.message("lint.too_many_warnings", lang, n=warnings, max=max_warnings), err=True)
            code = 1
    return code


def _check_combinations(paths: tuple[Path, ...], stdin_filename: str | None, base: str | None, policy_from: str | None,
                        config: Path | None, policy_ref: str | None, lang: str) -> None:
    dash = [p for p in paths if str(p) == "-"]
    if stdin_filename is None:
        if dash:
            raise click.UsageError(messages.message("lint.stdin_needs_filename", lang))
    else:
        if len(paths) != len(dash) or len(dash) > 1:
            raise click.UsageError(messages.message("lint.stdin_with_paths", lang))
        for option, value in (("--base", base), ("--policy-from", policy_from), ("--config", config),
                              ("--policy", policy_ref)):
            if value:
                raise click.UsageError(messages.message("lint.stdin_conflict", lang, option=option))
    if config is not None and (base or policy_from):
        raise click.UsageError(messages.message("lint.config_with_base", lang))


def _run(paths: tuple[Path, ...], policy_ref: str | None, config: Path | None, base: str | None,
         policy_from: str | None, lang: str, today: dt.date | None, rule_filter: Callable[[RuleSpec], bool] | None,
         progress: Callable[[int, int], None] | None, select: Iterable[str], ignore: Iterable[str], *,
         jobs: int | None = None, cache: bool = True) -> _Done:
    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.app.setup import report_context
    from snspolicy.engine.documents import default_jobs

    options = LintOptions(lang=lang, today=today, select=rule_filter, progress=progress,
                          jobs=jobs if jobs is not None else default_jobs(), cache=cache)
    done = run(LintRequest(list(paths), policy_ref, base, policy_from, options, config=config))
    check_selection(done.setup.policy, select, ignore, lang)
    repo = done.repo

    def documents() -> dict[str, dict[str, Any]]:
        from snspolicy.reporters.documents import review_documents

        return review_documents(repo.selected_documents(), repo.accounts)

    return _Done(done.setup, done.result, report_context(done.setup, done.result, lang), list(paths),
                 _inputs(repo, config), documents)


def _run_stdin(filename: str, lang: str, today: dt.date | None, rule_filter: Callable[[RuleSpec], bool] | None,
               select: Iterable[str], ignore: Iterable[str]) -> _Done:
    """``--stdin-filename F -``: the text on stdin linted as the file F of its posts repo."""
    from snspolicy import __version__
    from snspolicy.app.setup import error_finding, find_root, report_context
    from snspolicy.core.model import ReportContext
    from snspolicy.engine.core import Result
    from snspolicy.io.errors import LoadError
    from snspolicy.io.textfile import DEFAULT_MAX_BYTES, decode_text
    from snspolicy.lsp.bridge import lint_text, relpath

    path = Path(filename)
    absolute = path if path.is_absolute() else Path.cwd() / path
    root = find_root(absolute)
    rel = relpath(root, absolute) or filename
    data = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
    try:
        if len(data) > DEFAULT_MAX_BYTES:
            raise LoadError("too_large", params={"size": len(data), "limit": DEFAULT_MAX_BYTES}, rule="file-encoding")
        text = decode_text(data)
    except LoadError as exc:
        finding = error_finding(rel, exc.span, messages.message(exc.code, lang, **exc.params), exc.rule)
        result = Result([finding], files_checked=1)
        return _Done(None, result, ReportContext(tool_version=__version__, lang=lang, files_checked=1), [absolute.parent],
                     [absolute])
    ws, findings = lint_text(absolute, text, lang=lang, today=today, select=rule_filter)
    result = Result(list(findings), files_checked=1)
    setup = ws.setup if ws is not None else None
    if setup is None:  # no usable configuration: its error is the finding (exit status 2)
        ctx = ReportContext(tool_version=__version__, lang=lang, files_checked=1)
        return _Done(None, result, ctx, [root], [absolute])
    check_selection(setup.policy, select, ignore, lang)
    kind = ws.kind_of(rel) if ws is not None else None

    def documents() -> dict[str, dict[str, Any]]:
        from snspolicy.io.documents import parse_document
        from snspolicy.io.repo import load_repo
        from snspolicy.lsp.bridge import normalize_buffer
        from snspolicy.reporters.documents import review_documents

        if kind not in ("post", "account", "press", "incident"):
            return {}
        try:
            doc = parse_document(kind, setup.root / rel, rel, normalize_buffer(text))
        except LoadError:
            return {}
        return review_documents([doc], load_repo(setup.root, setup.config, only=set()).accounts)

    return _Done(setup, result, report_context(setup, result, lang), [setup.root], [absolute], documents)


def _inputs(repo: Repo, config: Path | None) -> list[Path | str]:
    """The files the run read besides the setup's own (an output must not replace one of them,
    by any name: a hard or symbolic link to a post is refused too)."""
    out: list[Path | str] = [Path(config)] if config is not None else []
    out.extend(d.abs_name for d in repo.loaded)
    out.extend(repo.root / e.path for e in repo.load_errors)
    out.extend(pending[1] for pending in repo.pending)
    return out


def _check_outputs(outs: list[Output], paths: list[Path], setup: Setup | None, inputs: list[Path | str]) -> None:
    """Refuse (exit status 2) an output that is, or would become, an input of the run."""
    from snspolicy.app.setup import check_output, find_root
    from snspolicy.io.fsutil import check_output_path

    for o in outs:
        if o.path is None:
            continue
        try:
            check_output(o.path, paths, setup)  # snspolicy.yaml, the folders, roster, registry, the policy's files
            if inputs:
                root = setup.root if setup is not None else find_root(paths[0] if paths else Path.cwd())
                check_output_path(o.path, root, inputs)
        except OSError as exc:  # e.g. a "folder" that is a file: nothing is written, the path is named
            raise UserError("cli.output_unwritable", {"path": o.path, "reason": exc.strerror or type(exc).__name__}) \
                from None


def x_limit(policy: Policy | None) -> int | None:
    """The X length limit of the policy (``clarity-length``'s ``limits.x``), for the review page's meter."""
    spec = policy.rules.get("clarity-length") if policy is not None else None
    limits = (spec.params or {}).get("limits") if spec is not None else None
    value = limits.get("x") if isinstance(limits, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _write(outs: list[Output], done: _Done, *, color: bool, show_waived: bool, quiet: bool, statistics: bool) -> None:
    """Check every output path, render every output from the same findings, then write them
    (the files first, stdout last); nothing is written when a path is refused."""
    from snspolicy import reporters

    _check_outputs(outs, done.paths, done.setup, done.inputs)
    if any(o.fmt == "html" for o in outs) and done.documents is not None:
        done.ctx.documents = done.documents()
    options: dict[str, Any] = {"show_waived": show_waived}
    limit = x_limit(done.setup.policy if done.setup else None)
    if limit is not None:
        options["x_limit"] = limit
    findings = done.result.findings
    table = ""
    if statistics:
        from snspolicy.reporters.statistics import render as statistics_table

        table = statistics_table(findings, done.ctx, show_waived=show_waived)
    rendered = []
    for o in outs:
        text = reporters.render(o.fmt, findings, done.ctx, color=color and o.path is None,
                                summary_line=not quiet, **options)
        if o.fmt == "text" and table:
            text = _with_table(text, table, summary=not quiet)
        rendered.append((o, text))
    for o, text in sorted(rendered, key=lambda r: r[0].path is None):
        if quiet and o.path is None and not text:
            continue  # --quiet and nothing found: print nothing at all (not even an empty line)
        emit(text, o.path, o.fmt)
    if table and not any(o.fmt == "text" for o in outs):
        click.echo(table, err=True, nl=False)


def _with_table(text: str, table: str, *, summary: bool) -> str:
    """The text report with the statistics table between the findings and the summary line."""
    lines = text.splitlines()
    tail = lines[-1:] if summary and lines else []
    body = lines[:-1] if summary and lines else lines
    parts = body + ([""] if body else []) + table.rstrip("\n").splitlines() + ([""] + tail if tail else [])
    return "\n".join(parts) + "\n"


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


def report_setup_error(exc: UserError, outs: list[Output] | str, lang: str, output: str | None = None, *,
                       paths: Iterable[Path] = (), config: Path | None = None) -> int:
    """A setup error as the one finding of every requested report (exit status 2).

    ``outs``: the planned outputs (or, as before, one format name written to ``output``)."""
    from snspolicy import __version__, reporters
    from snspolicy.app.setup import error_finding
    from snspolicy.core.model import ReportContext

    if isinstance(outs, str):
        outs = [Output(outs, output)]
    text = messages.message(exc.code, lang, **exc.params)
    finding = error_finding(exc.path or ".", exc.span, text, getattr(exc, "rule", "schema"))
    given = [Path(p) for p in paths if str(p) != "-"]
    _check_outputs(outs, given, None, [Path(config)] if config is not None else [])
    ctx = ReportContext(tool_version=__version__, lang=lang)
    for o in sorted(outs, key=lambda o: o.path is None):
        emit(reporters.render(o.fmt, [finding], ctx, summary_line=False), o.path, o.fmt)
    if all(o.path is not None for o in outs):  # every report went to a file: say it on the console too
        click.echo(reporters.render("text", [finding], ctx, summary_line=False), err=True, nl=False)
    return EXIT_USAGE
