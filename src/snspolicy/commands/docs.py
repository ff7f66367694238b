"""``snspolicy docs``: the rule catalogue (Markdown) generated from the policy
(:mod:`snspolicy.app.rule_docs`); ``--check`` exits 1 when a committed catalogue differs from
what the policy gives now (a test runs it on ``docs/rules.md``).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from snspolicy.app.rule_docs import DEFAULT_OUTPUT
from snspolicy.commands._options import guard_output, lang_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_OK

__all__ = ["docs"]


@click.command("docs")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=f"書き出すファイル（既定は標準出力。--check では {DEFAULT_OUTPUT}）/ file to write")
@lang_option()
@click.option("--check", is_flag=True, help="ファイルが最新か確認（違えば終了コード 1）/ exit 1 when the file is stale")
@click.option("--policy", "policy_ref", default=None, help="ポリシーを指定 / policy id or path")
@click.option("--plugins/--no-plugins", default=True, show_default=True,
              help="プラグインのルールも載せる / include rules added by plugins")
def docs(output: Path | None, lang: str, check: bool, policy_ref: str | None, plugins: bool) -> int:
    """ルール一覧（Markdown）をポリシーから作ります。/ Generate the rule catalogue from the policy."""
    from snspolicy.app.rule_docs import catalogue, load_policy

    pol, overrides, sources = load_policy(policy_ref, plugins=plugins)
    if check and output is None:
        output = Path(DEFAULT_OUTPUT)
    name = output.as_posix() if output else DEFAULT_OUTPUT
    text = catalogue(pol, lang, overrides=overrides, plugin_sources=sources)
    if check:
        current: str | None
        try:
            current = output.read_text(encoding="utf-8").replace("\r\n", "\n") if output else None
        except (OSError, UnicodeDecodeError):
            current = None
        if current == text:
            click.echo(f"{name}: " + messages.message("docs.up_to_date", lang))
            return EXIT_OK
        diff = list(difflib.unified_diff((current or "").splitlines(), text.splitlines(), name, "snspolicy docs", lineterm="", n=1))
        for line in diff[:40]:
            click.echo(line, err=True)
        click.echo(messages.message("docs.stale", lang, name=name), err=True)
        return EXIT_FINDINGS
    if output:
        from snspolicy.io.fsutil import atomic_write_text

        guard_output(output)  # never in place of an input of the posts repo here (as lint -o)
        output.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(output, text)
        click.echo(str(output))
    else:
        click.echo(text, nl=False)
    return EXIT_OK
