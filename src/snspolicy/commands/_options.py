"""What the commands share: the ``--lang`` and date options with their environment defaults,
writing a report to stdout or a file, and the policy of the current folder.

``--lang`` defaults to ``SNSPOLICY_LANG`` (``ja`` or ``en``; anything else is ``ja``) and
remembers the choice for the boundary in :mod:`snspolicy.cli`, which shows errors in the same
language. ``--today`` (and the other date options) read ``YYYY-MM-DD`` and default to
``SNSPOLICY_TODAY``, so that tests and CI runs are reproducible.

Kept light: importing it must not import the application (``snspolicy --help`` imports it).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from snspolicy.core.errors import UserError

if TYPE_CHECKING:
    from snspolicy.policy.model import Policy

__all__ = ["LANGS", "LANG_KEY", "MACHINE_FORMATS", "date_option", "emit", "guard_output", "lang_default", "lang_option",
           "policy_here", "today_option"]

F = TypeVar("F", bound=Callable[..., Any])

LANGS = click.Choice(["ja", "en"])
#: where ``--lang`` leaves the chosen language for the error boundary (``ctx.meta`` is shared by nested contexts)
LANG_KEY = "snspolicy.lang"
#: formats that are always written as UTF-8 (their consumers expect it), whatever the console's code page
MACHINE_FORMATS = ("json", "sarif", "junit", "gitlab", "html")


def lang_default() -> str:
    """``SNSPOLICY_LANG`` when it is ``ja`` or ``en``, else ``ja``."""
    lang = os.environ.get("SNSPOLICY_LANG", "ja")
    return lang if lang in ("ja", "en") else "ja"


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta[LANG_KEY] = value
    return value


def lang_option(help: str = "メッセージの言語 / message language") -> Callable[[F], F]:  # noqa: A002 - click's name
    """``--lang ja|en``, default ``SNSPOLICY_LANG`` or ja."""
    return click.option("--lang", type=LANGS, default=lang_default, show_default="ja", callback=_remember_lang, help=help)


class DateParam(click.ParamType):
    """A calendar date written ``YYYY-MM-DD``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} (YYYY-MM-DD)", param, ctx)


def _env_today() -> str | None:
    return os.environ.get("SNSPOLICY_TODAY") or None


def _or_today(_ctx: click.Context, _param: click.Parameter, value: dt.date | None) -> dt.date:
    return value or dt.date.today()


def date_option(*names: str, help: str, now_by_default: bool = False) -> Callable[[F], F]:  # noqa: A002
    """A date option defaulting to ``SNSPOLICY_TODAY``; without it, None (or today when
    ``now_by_default``)."""
    return click.option(*names, type=DateParam(), default=_env_today, show_default=False, help=help,
                        callback=_or_today if now_by_default else None)


def today_option(help: str = "期限判定の基準日 YYYY-MM-DD（既定は今日）/ date used for expiries",  # noqa: A002
                 now_by_default: bool = False) -> Callable[[F], F]:
    """``--today YYYY-MM-DD`` (default ``SNSPOLICY_TODAY``)."""
    return date_option("--today", help=help, now_by_default=now_by_default)


def guard_output(output: str | os.PathLike[str] | None, repo: Path | None = None, *, product: str | None = None) -> None:
    """Refuse (UserError ``output_is_input``, exit status 2) an output file (``-o``, ``--chart``)
    that is an input of the posts repo found from ``repo`` (default: the current folder):
    ``snspolicy.yaml``, a post, an account, the roster, the registry … by any name, or that would
    become one (``-o posts/x.md``), as for ``lint -o``. A FIFO or ``/dev/stdout`` is written
    through. ``product``: the configured file (``registry``) this command exists to write.
    """
    if output is None or os.fspath(output) in ("", "-"):
        return
    from snspolicy.io import config as config_mod
    from snspolicy.io.fsutil import check_output_path, input_patterns

    root = config_mod.find_root(repo if repo is not None else Path.cwd())
    inputs: list[Path] = [root / config_mod.CONFIG_NAME]
    extra: list[str] = []
    folders = dict(config_mod.DEFAULT_PATHS)
    try:
        cfg = config_mod.load(root)
    except Exception:  # noqa: BLE001 - no or a broken snspolicy.yaml: the default folders are the inputs
        cfg = None
    if cfg is not None:
        folders = cfg.paths
        for name, value in (("roster", cfg.roster), ("registry", cfg.registry)):
            if value and name != product:
                inputs.append(root / value)
                extra.append(str(value))
    try:
        check_output_path(Path(output), root, inputs, input_patterns(folders, extra))
    except OSError as exc:  # e.g. a "folder" that is a file: nothing is written, the path is named
        raise UserError("cli.output_unwritable", {"path": os.fspath(output), "reason": exc.strerror or type(exc).__name__}) \
            from None


def emit(text: str, output: str | os.PathLike[str] | None, fmt: str = "text") -> None:
    """Print a report, or write it atomically to ``output``.

    JSON, SARIF, JUnit, GitLab and HTML on stdout are always UTF-8, whatever the console's code page;
    text follows the console. A file that cannot be written is a user error (exit 2).
    """
    if output:
        from snspolicy.io.fsutil import atomic_write_text

        try:
            atomic_write_text(Path(output), text)
        except OSError as exc:
            raise UserError("cli.output_unwritable", {"path": os.fspath(output), "reason": exc.strerror or type(exc).__name__}) \
                from None
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


def policy_here(policy_ref: str | None) -> Policy:
    """The policy ``lint`` would use in the current folder (``--policy`` first); raises the setup's user errors."""
    from snspolicy.app.setup import prepare

    return prepare([Path.cwd()], policy_ref).policy
