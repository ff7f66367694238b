"""The ``snspolicy`` command line: the click group, the list of commands, the one error boundary.

Commands live one per module in :mod:`snspolicy.commands` and are imported only when they run
(or when ``--help`` lists them): ``import snspolicy.cli`` imports no command module, and
``snspolicy lint`` imports only what lint needs. Each command returns its exit status
(:data:`~snspolicy.core.errors.EXIT_OK`, ``EXIT_FINDINGS``, ``EXIT_USAGE``).

The boundary (:meth:`Main.invoke`) is the only place that turns an error into text and an exit
status:

- a :class:`~snspolicy.core.errors.UserError` (the user's input, configuration, policy or
  command line): its catalogue message, located ``path:line:column:`` when it has a place, exit 2;
- click's own usage errors: as click prints them, exit 2;
- ``OSError`` (a file that cannot be read or written): a short message naming the file, exit 2;
  a closed pipe (``snspolicy lint | head``) stays quiet;
- Ctrl-C: exit 130;
- anything else is a bug: a short message asking for a report, exit 2, never a traceback
  (``SNSPOLICY_DEBUG=1`` shows it).

Messages follow the command's ``--lang`` (else ``SNSPOLICY_LANG``, else Japanese).
"""

from __future__ import annotations

import errno
import importlib
import os
import re
import sys
from typing import Any, NoReturn

import click

from snspolicy import __version__
from snspolicy.commands._options import LANG_KEY, lang_default
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UserError

__all__ = ["COMMANDS", "Main", "error_text", "main"]

#: command name -> "module:attribute" of its click command (imported when it runs or help lists it)
COMMANDS: dict[str, str] = {
    "lint": "snspolicy.commands.lint:lint",
    "rules": "snspolicy.commands.rules:rules",
    "explain": "snspolicy.commands.explain:explain",
    "policy": "snspolicy.commands.policy:policy",            # policy validate, policy diff
    "registry": "snspolicy.commands.registry:registry",      # registry export / check (4(5))
    "password": "snspolicy.commands.password:password",      # password check (4(3))
    "report": "snspolicy.commands.report:report",            # posting mix (3(4))
    "init": "snspolicy.commands.init:init",                  # scaffold a posts repo
    "schema": "snspolicy.commands.schema:schema",            # the bundled JSON Schemas, for editors
    "docs": "snspolicy.commands.docs:docs",                  # the rule catalogue
    "codeowners": "snspolicy.commands.codeowners:codeowners",
    "fix": "snspolicy.commands.fix:fix",                     # apply safe fixes
    "account": "snspolicy.commands.fix:account",             # account reviewed (4(4))
    "lsp": "snspolicy.commands.lsp:lsp",                     # the language server for editors
    "server": "snspolicy.commands.server:server",            # the warm server (fast pre-commit runs)
}


def error_text(exc: UserError, lang: str) -> str:
    """A user error as one line of text: ``path:line:column: message`` (or ``path: message``)."""
    text = messages.message(exc.code, lang, **(exc.params or {}))
    path = getattr(exc, "path", None)
    if not path or path == ".":  # "." is no place (the git errors): the message says what is wrong
        return text
    span = getattr(exc, "span", None)
    if span is None:
        return f"{path}: {text}"
    return f"{path}:{span.line or 1}:{span.column or 1}: {text}"


def _safe_streams() -> None:
    """Printing Japanese must never crash: on a console that cannot show a character
    (a cp932 or latin-1 code page, a redirected Windows pipe) it is replaced, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if enc not in ("utf8", "utf8sig") and reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - a detached or closed stream
                pass


class Main(click.Group):
    """The ``snspolicy`` group: lazy commands and the error boundary (see the module docstring)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        if not isinstance(command, click.Command):  # pragma: no cover - a wrong entry in COMMANDS
            raise TypeError(f"{target} is not a click command")
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        no_such = getattr(click.exceptions, "NoSuchCommand", None)  # click >= 8.4
        if name and name not in COMMANDS and not name.startswith("-") and not ctx.resilient_parsing and no_such is not None:
            raise no_such(name, possibilities=list(COMMANDS), ctx=ctx)  # suggest from the lazy list
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> NoReturn:
        """Run the command and exit with the status it returns; every error ends here."""
        _safe_streams()
        try:
            rv = super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:  # a new line after the terminal's "^C", then a word, exit 130
            click.echo("\n" + messages.message("cli.interrupted", _lang(ctx)), err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except UserError as exc:
            click.echo(error_text(exc, _lang(ctx)), err=True)
            ctx.exit(EXIT_USAGE)
        except OSError as exc:
            if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
                raise  # click handles a closed pipe (`snspolicy lint | head`) quietly
            if os.environ.get("SNSPOLICY_DEBUG"):
                raise
            # a temporary file of an atomic write: name the file the user asked for
            where = re.sub(r"([\\/])\.([^\\/]+)\.[A-Za-z0-9_]{6,12}\.tmp$", r"\1\2", str(exc.filename or ""))
            click.echo(messages.message("cli.io_error", _lang(ctx), path=where, reason=exc.strerror or type(exc).__name__),
                       err=True)
            ctx.exit(EXIT_USAGE)
        except Exception as exc:  # noqa: BLE001 - the last line of defence, see the module docstring
            if os.environ.get("SNSPOLICY_DEBUG"):
                raise
            click.echo(messages.message("cli.internal_error", _lang(ctx), error=type(exc).__name__), err=True)
            ctx.exit(EXIT_USAGE)
        ctx.exit(EXIT_OK if rv is None else int(rv))


def _lang(ctx: click.Context) -> str:
    """The language of the command's ``--lang``, else ``SNSPOLICY_LANG``, else ja."""
    lang: Any = ctx.meta.get(LANG_KEY)
    return lang if lang in ("ja", "en") else lang_default()


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="snspolicy")
def main() -> None:
    """宇部市ソーシャルメディア利用ガイドラインのポリシーで投稿リポジトリを検査します。

    Lints a posts repository against Ube City's social-media guideline.
    """
