"""``snspolicy init [DIR]``: scaffold a posts repo that passes its own lint right away.

Writes ``snspolicy.yaml``, the folders, one example account (with its operating
rules) and one example post (a draft), the editor schemas under
``.snspolicy/schemas/`` (every YAML file's first line points at them), a
``.pre-commit-config.yaml``, a GitHub Actions workflow (lint on pull requests
against the base ref, annotations, job summary, SARIF upload) and a GitLab CI
job (JUnit report). Templates are package data in ``snspolicy/templates/init``;
placeholders are ``@@NAME@@`` (GitHub's own ``${{ }}`` syntax stays untouched).

Existing files are never overwritten unless ``--force`` is given: init lists
them and exits with status 2 without writing anything.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import click

from snspolicy.commands.schema import KINDS, SCHEMA_DIR, copy_schemas, modeline

DEFAULT_ACCOUNT = "sample-x"
DEFAULT_POLICY = "ube/2025-04-01"
_PLACEHOLDER = re.compile(r"@@[A-Z_]+@@")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Planned:
    """One file init will write: where (relative to DIR) and its text."""

    rel: str
    text: str


def template(name: str) -> str:
    """The text of ``snspolicy/templates/init/<name>``."""
    return resources.files("snspolicy.templates").joinpath("init", name).read_text(encoding="utf-8")


def render(text: str, values: dict[str, str]) -> str:
    """Replace ``@@KEY@@`` markers; raises ValueError when a marker is left (a template bug)."""
    out = _PLACEHOLDER.sub(lambda m: values.get(m.group(0)[2:-2], m.group(0)), text)
    left = _PLACEHOLDER.findall(out)
    if left:
        raise ValueError(f"unfilled template placeholders: {sorted(set(left))}")
    return out


def pip_spec(version: str, hook_repo: str | None, hook_rev: str | None) -> str:
    """What CI and the local pre-commit hook install: the released package, or the git repo at a rev."""
    if hook_repo:
        return f"snspolicy[all] @ git+{hook_repo}@{hook_rev or 'v' + version}"
    return f"snspolicy[all]=={version}"


def plan(*, today: dt.date, account: str = DEFAULT_ACCOUNT, policy: str = DEFAULT_POLICY, ci: str = "all",
         hook_repo: str | None = None, hook_rev: str | None = None, version: str | None = None) -> list[Planned]:
    """Every file of the new posts repo (nothing is written)."""
    from snspolicy import __version__

    version = version or __version__
    publish = today + dt.timedelta(days=7)
    post_id = f"{publish.isoformat()}-oshirase"
    post_rel = f"posts/{account}/{publish.year}/{post_id}.md"
    account_rel = f"accounts/{account}.yaml"
    rules_rel = f"docs/operating-rules/{account}.md"
    values = {
        "VERSION": version, "TODAY": today.isoformat(), "ACCOUNT": account, "POLICY": policy,
        "POST_ID": post_id, "POST_PATH": post_rel, "PUBLISH_AT": f"{publish.isoformat()}T09:00:00+09:00",
        "OPERATING_RULES": rules_rel, "PIP_SPEC": pip_spec(version, hook_repo, hook_rev),
        "HOOK_REPO": hook_repo or "", "HOOK_REV": hook_rev or f"v{version}",
    }

    def item(rel: str, name: str, kind: str | None = None) -> Planned:
        vals = dict(values, MODELINE=modeline(kind, rel) if kind else "")
        return Planned(rel, render(template(name), vals))

    files = [
        item("snspolicy.yaml", "snspolicy.yaml.tmpl", "config"),
        item(account_rel, "account.yaml.tmpl", "account"),
        item(rules_rel, "operating-rules.md.tmpl"),
        item(post_rel, "post.md.tmpl", "post"),
        Planned("press/.gitkeep", ""),
        Planned("incidents/.gitkeep", ""),
        Planned("media/.gitkeep", ""),
        item("README.md", "README.md.tmpl"),
        item(".gitignore", "gitignore.tmpl"),
        item(".pre-commit-config.yaml",
             "pre-commit-config.remote.yaml.tmpl" if hook_repo else "pre-commit-config.local.yaml.tmpl"),
        item(".vscode/settings.json", "vscode-settings.json.tmpl"),
        item(".vscode/extensions.json", "vscode-extensions.json.tmpl"),
    ]
    if ci in ("all", "github"):
        files.append(item(".github/workflows/snspolicy.yml", "github-workflow.yml.tmpl"))
    if ci in ("all", "gitlab"):
        files.append(item(".gitlab-ci.yml", "gitlab-ci.yml.tmpl"))
    return files


def scaffold(root: Path, files: list[Planned], *, force: bool = False) -> list[Path]:
    """Write ``files`` and the schema copies under ``root``. Raises FileExistsError listing conflicts."""
    from snspolicy.io.fsutil import atomic_write_text

    schema_targets = [f"{SCHEMA_DIR}/{k}.schema.json" for k in KINDS]
    conflicts = [rel for rel in [f.rel for f in files] + schema_targets if (root / rel).exists()]
    if conflicts and not force:
        raise FileExistsError(conflicts)
    written = []
    for f in files:
        target = root / f.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, f.text)
        written.append(target)
    written += copy_schemas(root / SCHEMA_DIR)
    return written


def _today(value: str | None) -> dt.date:
    value = value or os.environ.get("SNSPOLICY_TODAY")
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} (YYYY-MM-DD)", param_hint="--today") from None


def _lang() -> str:
    lang = os.environ.get("SNSPOLICY_LANG", "ja")
    return lang if lang in ("ja", "en") else "ja"


def register(main: click.Group) -> None:
    @main.command("init")
    @click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--account", default=DEFAULT_ACCOUNT, show_default=True, help="見本アカウントの ID / id of the example account")
    @click.option("--policy", "policy_ref", default=DEFAULT_POLICY, show_default=True, help="使うポリシー / policy to use")
    @click.option("--ci", type=click.Choice(["all", "github", "gitlab", "none"]), default="all", show_default=True,
                  help="作成する CI 設定 / which CI configuration to write")
    @click.option("--hook-repo", default=None,
                  help="pre-commit で使う snspolicy の git リポジトリ URL / git URL of snspolicy for pre-commit")
    @click.option("--hook-rev", default=None, help="--hook-repo のタグ・コミット / tag or commit of --hook-repo")
    @click.option("--today", default=None, help="見本に書く日付 YYYY-MM-DD（既定は今日）/ date written into the examples")
    @click.option("--force", is_flag=True, help="既存のファイルを上書き / overwrite existing files")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=_lang)
    def init_cmd(directory, account, policy_ref, ci, hook_repo, hook_rev, today, force, lang):
        """投稿リポジトリのひな形を作ります。/ Scaffold a posts repo in DIRECTORY (default: here)."""
        if not _ID.match(account):
            msg = ("--account には英小文字・数字・ハイフンの ID を指定してください。" if lang == "ja"
                   else "--account must be lower-case letters, digits and hyphens.")
            raise click.BadParameter(msg, param_hint="--account")
        root = directory
        from snspolicy.policy.model import PolicyError, resolve

        try:
            resolve(policy_ref, root)
        except PolicyError:
            click.echo((f"ポリシー「{policy_ref}」が見つかりません（何も書き込んでいません）。" if lang == "ja"
                        else f"Policy '{policy_ref}' not found (nothing was written)."), err=True)
            sys.exit(2)
        files = plan(today=_today(today), account=account, policy=policy_ref, ci=ci, hook_repo=hook_repo, hook_rev=hook_rev)
        if root.exists() and not root.is_dir():
            click.echo(f"{root}: " + ("フォルダではありません。" if lang == "ja" else "not a directory."), err=True)
            sys.exit(2)
        try:
            written = scaffold(root, files, force=force)
        except FileExistsError as exc:
            names = exc.args[0] if exc.args else []
            click.echo(("次のファイルが既にあります（何も書き込んでいません）。上書きするには --force を付けてください:" if lang == "ja"
                        else "These files already exist (nothing was written). Use --force to overwrite:"), err=True)
            for rel in names:
                click.echo(f"  {rel}", err=True)
            sys.exit(2)
        except OSError as exc:
            where = exc.filename or root
            click.echo((f"{where}: 書き込めません（{exc.strerror or type(exc).__name__}）。書き込めるフォルダを指定してください。"
                        if lang == "ja" else f"{where}: cannot write ({exc.strerror or type(exc).__name__}). Choose a writable folder."),
                       err=True)
            sys.exit(2)
        for p in written:
            try:
                click.echo(p.relative_to(root).as_posix())
            except ValueError:
                click.echo(str(p))
        where = str(root)
        if lang == "ja":
            click.echo(f"\n投稿リポジトリを作成しました（{len(written)} ファイル）。次に:\n"
                       f"  cd {where} && git init && snspolicy lint\n"
                       f"  pip install pre-commit && pre-commit install   # コミット前の自動検査", err=True)
        else:
            click.echo(f"\nCreated a posts repo ({len(written)} files). Next:\n"
                       f"  cd {where} && git init && snspolicy lint\n"
                       f"  pip install pre-commit && pre-commit install   # lint before every commit", err=True)


__all__ = ["Planned", "plan", "scaffold", "render", "template", "pip_spec", "register", "DEFAULT_ACCOUNT"]
