"""``snspolicy schema KIND``: the JSON Schemas shipped with the package, for editors.

Editors with the YAML language server (VS Code's YAML extension, Neovim, …)
validate a file as staff type when its first line names a schema::

    # yaml-language-server: $schema=../.snspolicy/schemas/account.schema.json

The path is relative to the file being edited. ``snspolicy init`` copies the
schemas into ``.snspolicy/schemas/`` of the posts repo (works offline and in
every editor, and is versioned with the repo); ``snspolicy schema --copy-to``
refreshes that copy after an upgrade, and ``--check`` tells when it is stale.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import click

from snspolicy.commands._options import lang_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_OK, UserError

#: schema kinds, in the order they are listed
KINDS: tuple[str, ...] = ("account", "post", "press", "incident", "config", "policy", "rules", "lexicon")

#: where ``snspolicy init`` puts the copies, relative to the posts repo root
SCHEMA_DIR = ".snspolicy/schemas"

_ALIASES = {
    "accounts": "account", "posts": "post", "incidents": "incident", "snspolicy.yaml": "config",
    "snspolicy": "config", "rule": "rules", "lexicons": "lexicon", "policy.yaml": "policy",
}
# where a file of each kind usually lives (for --modeline KIND without a path)
_TYPICAL = {"account": "accounts/x.yaml", "post": "posts/account/2025/x.md", "press": "press/x.yaml",
            "incident": "incidents/x.yaml", "config": "snspolicy.yaml"}
# top folder of a posts-repo path -> kind (folders named in snspolicy.yaml `paths` are not known here)
_FOLDERS = {"accounts": "account", "posts": "post", "press": "press", "incidents": "incident", "lexicons": "lexicon", "rules": "rules"}


def schema_file(kind: str) -> Path:
    """The bundled schema file of ``kind`` (one of :data:`KINDS`)."""
    from snspolicy.core.resources import schema_path

    return schema_path(kind)


def kind_of(name: str) -> str | None:
    """``account`` / ``accounts`` / ``accounts/ube-city-x.yaml`` / ``snspolicy.yaml`` → the schema kind, else None."""
    raw = str(name).strip().replace("\\", "/")
    if not raw:
        return None
    low = raw.lower()
    if low in KINDS:
        return low
    if low in _ALIASES:
        return _ALIASES[low]
    parts = [p for p in PurePosixPath(low).parts if p not in (".", "/")]
    if not parts:
        return None
    if parts[-1] == "snspolicy.yaml":
        return "config"
    if parts[-1] in ("policy.yaml", "policy.yml"):
        return "policy"
    # the nearest folder that names a kind (posts/ube-city-x/2025/a.md → post; policy/…/rules/x.yaml → rules)
    for folder in reversed(parts[:-1]):
        if folder in _FOLDERS:
            return _FOLDERS[folder]
    return None


def modeline(kind: str, file_rel: str, schema_dir: str = SCHEMA_DIR) -> str:
    """The ``# yaml-language-server: $schema=…`` line for a file at ``file_rel`` (relative to the repo root)."""
    depth = len(PurePosixPath(file_rel.replace("\\", "/")).parts) - 1
    rel = "/".join([".."] * depth + [schema_dir.strip("/"), f"{kind}.schema.json"])
    return f"# yaml-language-server: $schema={rel}"


def copy_schemas(dest: Path, kinds: tuple[str, ...] = KINDS) -> list[Path]:
    """Write the bundled schemas of ``kinds`` into ``dest`` (created); returns the files written."""
    from snspolicy.io.fsutil import atomic_write_text

    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in kinds:
        target = dest / f"{kind}.schema.json"
        atomic_write_text(target, schema_file(kind).read_text(encoding="utf-8"))
        out.append(target)
    return out


def stale_schemas(dest: Path, kinds: tuple[str, ...] = KINDS) -> list[Path]:
    """Copies in ``dest`` that are missing or differ from the bundled schemas."""
    stale = []
    for kind in kinds:
        target = dest / f"{kind}.schema.json"
        try:
            same = target.read_text(encoding="utf-8") == schema_file(kind).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            stale.append(target)
    return stale


def _kind(name: str) -> str:
    """The schema kind of ``name`` (see :func:`kind_of`); a user error when there is none."""
    k = kind_of(name)
    if k is None:
        raise UserError("schema.unknown", {"name": name, "kinds": ", ".join(KINDS)})
    return k


@click.command("schema")
@click.argument("kind", required=False, metavar="KIND|PATH")
@click.option("--path", "show_path", is_flag=True, help="スキーマの内容ではなくファイルのパスを表示 / print the schema file's path")
@click.option("--modeline", "show_modeline", is_flag=True,
              help="このファイルの先頭に書く yaml-language-server の行を表示 / print the editor line for the file PATH")
@click.option("--copy-to", "copy_to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"スキーマをこのフォルダへコピー（KIND を省くと全部）/ copy schemas into DIR (e.g. {SCHEMA_DIR})")
@click.option("--check", is_flag=True,
              help="--copy-to のコピーが最新か確認（古ければ終了コード 1）/ exit 1 when the copies are stale")
@lang_option()
def schema(kind: str | None, show_path: bool, show_modeline: bool, copy_to: Path | None, check: bool, lang: str) -> int:
    """JSON Schema を表示します（エディタでの入力チェック用）。/ Print a bundled JSON Schema.

    KIND: account, post, press, incident, config, policy, rules, lexicon
    またはファイルのパス（accounts/ube-city-x.yaml → account）。
    """
    if check and copy_to is None:
        copy_to = Path(SCHEMA_DIR)
    if copy_to is not None:
        kinds = (_kind(kind),) if kind else KINDS
        if check:
            stale = stale_schemas(copy_to, kinds)
            for p in stale:
                click.echo(str(p))
            if stale:
                click.echo(messages.message("schema.stale", lang, folder=copy_to), err=True)
                return EXIT_FINDINGS
            click.echo(messages.message("schema.up_to_date", lang))
            return EXIT_OK
        for p in copy_schemas(copy_to, kinds):
            click.echo(str(p))
        return EXIT_OK
    if not kind:
        for k in KINDS:
            click.echo(f"{k:<9} {schema_file(k)}")
        return EXIT_OK
    k = _kind(kind)
    if show_modeline:
        click.echo(modeline(k, kind if ("/" in kind or "." in kind) else _TYPICAL.get(k, "x.yaml")))
        return EXIT_OK
    path = schema_file(k)
    if show_path:
        click.echo(str(path))
        return EXIT_OK
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, ValueError) as exc:  # a broken installation, not the user's fault
        raise UserError("schema.broken", {"error": type(exc).__name__}, path=path) from None
    click.echo(text, nl=not text.endswith("\n"))
    return EXIT_OK


__all__ = ["KINDS", "SCHEMA_DIR", "schema_file", "kind_of", "modeline", "copy_schemas", "stale_schemas", "schema"]
