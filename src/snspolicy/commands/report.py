"""``snspolicy report``: the posting mix of guideline 3(4) — posts per account, month and category.

A table (text, Markdown or CSV) on standard output or in a file, and optionally a
stacked bar chart as an SVG image. Counting rules are those of :mod:`snspolicy.domain.posting_mix`
(published, scheduled and approved posts; months in Japan time). Exit status 0 on
success, 2 on a usage, configuration or policy error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from snspolicy.commands._options import lang_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_OK, UserError

__all__ = ["parse_month", "report", "select_posts"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None) -> str | None:
    """``YYYY-MM`` (month 01–12) or None; raises click.BadParameter otherwise."""
    if value is None:
        return None
    m = _MONTH.match(value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise click.BadParameter(f"{value!r}: YYYY-MM（例: 2025-04）で指定してください / use YYYY-MM, e.g. 2025-04",
                                 param_hint="--since")
    return value.strip()


def select_posts(posts: list[Any], since: str | None, accounts: tuple[str, ...]) -> list[Any]:
    """Posts (front matter) from ``since`` (YYYY-MM, inclusive) on and of the given accounts.

    A post whose month cannot be read is kept, so that the report counts it as not counted.
    """
    from snspolicy.domain.posting_mix import month_of

    out = []
    for p in posts:
        if isinstance(p, dict):
            if accounts and str(p.get("account")) not in accounts:
                continue
            month = month_of(p.get("publish_at"))
            if since and month is not None and month < since:
                continue
        out.append(p)
    return out


@click.command("report")
@click.argument("repo", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "markdown", "csv"]), default="text", show_default=True,
              help="表の形式 / table format")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="積み上げ棒グラフを SVG で書き出す / write a stacked bar chart (SVG) to this file")
@lang_option(help="言語 / language (default: SNSPOLICY_LANG or ja)")
@click.option("--since", default=None, help="この月（YYYY-MM）以降だけ / only from this month on")
@click.option("--account", "accounts", multiple=True, help="このアカウントだけ（複数可）/ only this account (repeatable)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="表をファイルに書き出す（CSV は Excel 用に BOM 付き UTF-8）/ write the table to a file")
def report(repo: Path, fmt: str, chart: Path | None, lang: str, since: str | None, accounts: tuple[str, ...],
           output: Path | None) -> int:
    """3(4) 分野別の投稿数（アカウント・月ごと）/ posting mix per account, month and category.

    公開済み・予約済み・承認済みの投稿を数えます（月は日本時間）。
    Counts published, scheduled and approved posts (months in Japan time).
    """
    from snspolicy.app.setup import check_output, prepare
    from snspolicy.domain import posting_mix as rep
    from snspolicy.reporters.posting_mix import render_svg_chart, render_table
    from snspolicy.io.fsutil import atomic_write_bytes
    from snspolicy.io.repo import load_repo

    since = parse_month(since)
    if not repo.is_dir():
        raise click.BadParameter(f"{repo}: フォルダがありません / not a folder", param_hint="REPO")
    setup = prepare([repo])
    for target in (output, chart):  # never in place of an input of the repo (as lint -o), checked before writing
        try:
            check_output(target, [repo], setup)
        except OSError as exc:
            raise UserError("cli.output_unwritable", {"path": target, "reason": exc.strerror or type(exc).__name__}) \
                from None
    loaded = load_repo(setup.root, setup.config)
    posts = select_posts([d.data for d in loaded.by_kind("post")], since, accounts)
    categories = [str(c) for c in (setup.policy.categories or {})] or list(rep.DEFAULT_CATEGORIES)
    result = rep.mix(posts, categories)
    table = render_table(result, fmt, lang)
    if output is not None:
        data = table.encode("utf-8-sig" if fmt == "csv" else "utf-8")
        atomic_write_bytes(output, data)
        click.echo(messages.message("report.written", lang, path=output), err=True)
    else:
        click.echo(table, nl=not table.endswith("\n"))
    if chart is not None:
        one = accounts[0] if len(accounts) == 1 else None
        atomic_write_bytes(chart, render_svg_chart(result, lang, account=one).encode("utf-8"))
        click.echo(messages.message("report.chart", lang, path=chart), err=True)
    unreadable = sum(1 for fe in loaded.errors if fe.path.endswith(".md"))
    if unreadable:
        click.echo(messages.message("report.unreadable", lang, n=unreadable), err=True)
    if accounts and not result.total_posts and not result.skipped:
        click.echo(messages.message("report.no_account", lang, accounts=", ".join(accounts)), err=True)
    return EXIT_OK
