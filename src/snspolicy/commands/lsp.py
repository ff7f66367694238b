"""``snspolicy lsp``: the language server for editors (diagnostics while typing, fixes, hover).

pygls is an optional dependency (``pip install 'snspolicy[lsp]'``) and is imported only
when this command runs, so no other command pays for it.
"""

from __future__ import annotations

import datetime as dt

import click

from snspolicy.commands._options import lang_option, today_option
from snspolicy.core.errors import EXIT_OK, UserError

__all__ = ["lsp"]


@click.command("lsp")
@click.option("--stdio", is_flag=True,
              help="標準入出力で通信（既定。エディタが付けるので受け付けるだけ）/ talk over stdin/stdout (the default)")
@lang_option()
@today_option(help="期限判定の基準日 YYYY-MM-DD（既定は毎回の今日）/ date used for expiries")
@click.option("--debounce-ms", type=click.IntRange(0, 10_000), default=300, show_default=True,
              help="入力が止まってから検査するまでの時間（ミリ秒）/ quiet time before a check, in ms")
@click.option("--docs-url", default=None,
              help="ルールの説明の URL（{rule} がルール ID に置き換わる）/ rule documentation URL template")
def lsp(stdio: bool, lang: str, today: dt.date | None, debounce_ms: int, docs_url: str | None) -> int:
    """エディタ用の Language Server（入力中に指摘を表示）/ language server for editors (LSP over stdio).

    VS Code・Neovim の設定は docs/editors.md を見てください。
    """
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UserError("lsp.missing") from None
    from snspolicy.lsp.server import Options, serve

    serve(Options(lang=lang, today=today, debounce_ms=debounce_ms, docs_url=docs_url))
    return EXIT_OK
