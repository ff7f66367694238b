"""``snspolicy init [DIR]``: scaffold a posts repo that passes its own lint right away.

Writes ``snspolicy.yaml``, the folders, one example account (with its operating
rules) and one example post (a draft), the editor schemas under
``.snspolicy/schemas/`` (every YAML file's first line points at them), a
``.pre-commit-config.yaml``, a GitHub Actions workflow (one run of snspolicy's
action ``--action OWNER/REPO@REF``: annotations, job summary, the review page,
SARIF; third-party actions pinned by commit SHA), a GitLab CI job (JUnit, Code
Quality, the review page) and the VS Code settings for the YAML schemas and the
language server. Templates are package data in ``snspolicy/templates/init``;
placeholders are ``@@NAME@@`` (GitHub's own ``${{ }}`` syntax stays untouched).

The sample values (the city, the department, the manager and holders, the handle, the
website, the disclaimer, the public phone numbers …) are the policy's
(``vocabularies.init``, docs/policy-authoring.md): ``init --policy X`` writes X's city, and the
account has a ``deputies:`` line only when X lets deputies approve posts.

Existing files are never overwritten unless ``--force`` is given: init lists
them and exits with status 2 without writing anything. The VS Code files are the
exception: what init needs is *added* to an existing ``.vscode/settings.json`` or
``extensions.json`` (comments, order and the user's own values kept, see
:mod:`snspolicy.io.jsonc`). ``init --vscode`` writes only those two files, into a
posts repo that already exists.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from snspolicy.commands._options import lang_option, today_option
from snspolicy.commands.schema import KINDS, SCHEMA_DIR, copy_schemas, modeline
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_OK, UserError

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.policy.model import Policy

DEFAULT_ACCOUNT = "sample-x"
DEFAULT_POLICY = "ube/2025-04-01"
#: where snspolicy's GitHub Action lives, without the ref (the ref defaults to this version's tag)
DEFAULT_ACTION_REPO = "ube-city/snspolicy"
_PLACEHOLDER = re.compile(r"@@[A-Z_]+@@")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: OWNER/REPO[/PATH]@REF, as GitHub's ``uses:`` takes it (no spaces, no "..", nothing YAML would read specially)
_ACTION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*@[A-Za-z0-9][A-Za-z0-9._/-]*$")
VSCODE_FILES = (".vscode/settings.json", ".vscode/extensions.json")
#: top-level arrays of the VS Code files whose missing items are appended (not left as the user's)
VSCODE_UNION = ("recommendations",)


@dataclass(frozen=True)
class Planned:
    """One file init will write: where (relative to DIR) and its text. ``merge``: a VS Code
    JSONC file, added to an existing one instead of replacing it."""

    rel: str
    text: str
    merge: bool = False


def default_action(version: str | None = None) -> str:
    """``ube-city/snspolicy@v<version>``: the action of this release."""
    from snspolicy import __version__

    return f"{DEFAULT_ACTION_REPO}@v{version or __version__}"


def valid_action(value: str) -> bool:
    """Is ``value`` an ``OWNER/REPO@REF`` that can be written into ``uses:`` as it is?"""
    return bool(_ACTION.match(value)) and ".." not in value


def vscode_files(*, schemas: bool = True) -> list[Planned]:
    """The VS Code settings (YAML schemas when ``schemas``; the language server ``snspolicy lsp``
    through the Generic LSP Client) and the recommended extensions."""
    settings = template("vscode-settings.json.tmpl")
    if not schemas:
        data = json.loads(settings)
        data.pop("yaml.schemas", None)
        settings = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return [Planned(VSCODE_FILES[0], settings, merge=True),
            Planned(VSCODE_FILES[1], template("vscode-extensions.json.tmpl"), merge=True)]


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


_BARE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*$")


def _flow(items: Any, quote: bool = True) -> str:
    """A YAML flow list of text items, quoted (``["0836-31-1111"]``) unless ``quote`` is False and
    the item is a plain domain (``[city.ube.yamaguchi.jp]``)."""
    out = []
    for x in items if isinstance(items, list) else []:
        text = str(x)
        out.append(text if not quote and _BARE.match(text) else json.dumps(text, ensure_ascii=False))
    return "[" + ", ".join(out) + "]"


def sample_values(pol: Policy, today: dt.date) -> dict[str, str]:
    """The placeholders of the sample files that come from the policy (its ``vocabularies.init``,
    its guideline's title, who approves posts, the password length it asks for)."""
    from snspolicy.domain.vocabulary import vocabulary
    from snspolicy.policy.model import PolicyError

    vocab = vocabulary(pol)
    init = vocab.init
    if not init:
        raise PolicyError(*pol.where("vocabularies"), "policy_vocabulary_invalid",
                          {"where": "vocabularies.init", "problem": UserError("vocab.missing_part", {"part": "init"})})
    manager = init.get("manager") or {}
    holders = init.get("holders") or []
    department = str(init.get("department") or "")
    allow = init.get("allow") or {}
    posts = vocab.approvers.roles_for("posts")
    deputies = any(r.field == "deputies" for r in posts)
    spec = pol.rules.get("account-password-policy")
    wanted = spec.params.get("min_length") if spec is not None else None
    length = max(int(init.get("password_min_length") or 0), wanted if isinstance(wanted, int) else 0)
    found = pol.meta.get("guideline")
    guideline: dict[str, Any] = found if isinstance(found, dict) else {}
    return {
        "CITY": str(init.get("city") or ""), "DEPARTMENT": department,
        "MANAGER_NAME": str(manager.get("name") or ""), "MANAGER_ID": str(manager.get("employee_id") or ""),
        "MANAGER_TITLE": str(manager.get("title") or ""),
        "HOLDERS": "".join(f"  - {{name: {h.get('name')}, employee_id: \"{h.get('employee_id')}\", department: {department}, "
                           f"assigned_on: {today.isoformat()}}}\n" for h in holders if isinstance(h, dict)),
        "AUTHOR_ID": str((holders[0] if holders and isinstance(holders[0], dict) else {}).get("employee_id") or ""),
        "DEPUTIES_LINE": "deputies: []                   # 管理者の代わりに投稿を承認できる職員（任意）\n" if deputies else "",
        "DEPUTY_NOTE": "（または代理者）" if len(posts) > 1 else "",
        "HANDLE": str(init.get("handle") or ""), "WEBSITE": str(init.get("website") or ""),
        "DISCLAIMER_URL": str(init.get("disclaimer_url") or ""), "HASHTAG": str(init.get("hashtag") or ""),
        "PASSWORD_MIN_LENGTH": str(length or 14),
        "GUIDELINE": str(guideline.get("title") or (pol.meta.get("name") or {}).get("ja") or pol.id),
        "ALLOW_PHONES": _flow(allow.get("phone_numbers")), "ALLOW_EMAILS": _flow(allow.get("email_domains"), quote=False),
        "ALLOW_ADDRESSES": _flow(allow.get("addresses")),
    }


def plan(*, today: dt.date, account: str = DEFAULT_ACCOUNT, policy: str = DEFAULT_POLICY, ci: str = "all",
         hook_repo: str | None = None, hook_rev: str | None = None, version: str | None = None,
         action: str | None = None, loaded: Policy | None = None) -> list[Planned]:
    """Every file of the new posts repo (nothing is written). The sample values are those of
    ``loaded`` (the policy ``policy`` names, loaded here when not given)."""
    from snspolicy import __version__
    from snspolicy.policy.model import load

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
        "ACTION": action or default_action(version),
        **sample_values(loaded if loaded is not None else load(policy), today),
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
        *vscode_files(),
    ]
    if ci in ("all", "github"):
        files.append(item(".github/workflows/snspolicy.yml", "github-workflow.yml.tmpl"))
    if ci in ("all", "gitlab"):
        files.append(item(".gitlab-ci.yml", "gitlab-ci.yml.tmpl"))
    return files


def scaffold(root: Path, files: list[Planned], *, force: bool = False, schemas: bool = True) -> list[Path]:
    """Write ``files`` (and the schema copies, when ``schemas``) under ``root``. Raises
    FileExistsError listing conflicts, UserError for a VS Code file that cannot be merged;
    in both cases before anything is written. A VS Code file that already has everything is
    left untouched (and not listed). Every target is checked first (UserError ``write_outside``
    when one, through a symbolic link of a folder or of the file, leaves ``root``): nothing, not
    even a folder, is created before all of them are known to stay inside."""
    from snspolicy.io.fsutil import atomic_write_text, ensure_inside

    schema_targets = [f"{SCHEMA_DIR}/{k}.schema.json" for k in KINDS] if schemas else []
    for rel in [f.rel for f in files] + schema_targets:
        ensure_inside(root / rel, root)
    conflicts = [rel for rel in [f.rel for f in files if not f.merge] + schema_targets if (root / rel).exists()]
    if conflicts and not force:
        raise FileExistsError(conflicts)
    texts: list[tuple[Path, str]] = []
    for f in files:
        target = root / f.rel
        text: str | None = f.text
        if f.merge and os.path.lexists(target):
            text = merged(root, f.rel, f.text)
        if text is not None:
            texts.append((target, text))
    written = []
    for target, text in texts:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, text, root=root)
        written.append(target)
    if schemas:
        written += copy_schemas(root / SCHEMA_DIR)
    return written


def merged(root: Path, rel: str, wanted_text: str) -> str | None:
    """The existing ``root/rel`` with what ``wanted_text`` has and it lacks; None when nothing
    is missing. Raises UserError (exit status 2, located) for a file that cannot be read or is not
    a JSONC object: it is never replaced."""
    from snspolicy.io.errors import LoadError
    from snspolicy.io.jsonc import JsoncError, merge
    from snspolicy.io.textfile import read_text

    try:
        existing = read_text(root / rel, root)
        result = merge(existing, json.loads(wanted_text), union=VSCODE_UNION)
    except LoadError as exc:
        raise UserError(exc.code, exc.params, path=rel, span=exc.span) from None
    except JsoncError as exc:
        raise UserError("init.vscode_unreadable", {}, path=rel, span=exc.span) from None
    return result.text if result.added else None


@click.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--account", default=DEFAULT_ACCOUNT, show_default=True, help="見本アカウントの ID / id of the example account")
@click.option("--policy", "policy_ref", default=DEFAULT_POLICY, show_default=True, help="使うポリシー / policy to use")
@click.option("--ci", type=click.Choice(["all", "github", "gitlab", "none"]), default="all", show_default=True,
              help="作成する CI 設定 / which CI configuration to write")
@click.option("--hook-repo", default=None,
              help="pre-commit で使う snspolicy の git リポジトリ URL / git URL of snspolicy for pre-commit")
@click.option("--hook-rev", default=None, help="--hook-repo のタグ・コミット / tag or commit of --hook-repo")
@click.option("--action", "action", default=None, metavar="OWNER/REPO@REF",
              help=f"GitHub のワークフローで使う snspolicy のアクション（既定 {DEFAULT_ACTION_REPO}@v<この版>）"
                   f"/ snspolicy's GitHub Action for the workflow (default: {DEFAULT_ACTION_REPO}@v<this version>)")
@click.option("--vscode", "vscode_only", is_flag=True,
              help="VS Code の設定（.vscode/settings.json・extensions.json）だけを書く。既存のファイルには足りない項目を追加 "
                   "/ write only the VS Code files, adding what is missing to existing ones")
@today_option(help="見本に書く日付 YYYY-MM-DD（既定は今日）/ date written into the examples", now_by_default=True)
@click.option("--force", is_flag=True, help="既存のファイルを上書き / overwrite existing files")
@lang_option()
def init(directory: Path, account: str, policy_ref: str, ci: str, hook_repo: str | None, hook_rev: str | None,
         action: str | None, vscode_only: bool, today: dt.date, force: bool, lang: str) -> int:
    """投稿リポジトリのひな形を作ります。/ Scaffold a posts repo in DIRECTORY (default: here)."""
    from snspolicy.policy.model import PolicyError, load, resolve

    if not _ID.match(account):
        raise click.BadParameter(messages.message("init.bad_account", lang), param_hint="--account")
    if action is not None and not valid_action(action):
        raise click.BadParameter(messages.message("init.bad_action", lang), param_hint="--action")
    root = directory
    if vscode_only:
        return _vscode(root, lang)
    try:
        resolve(policy_ref, root)
    except PolicyError:
        raise UserError("init.policy_not_found", {"policy": policy_ref}) from None
    loaded = load(policy_ref, root)  # an invalid policy is its own located error (exit 2)
    files = plan(today=today, account=account, policy=policy_ref, ci=ci, hook_repo=hook_repo, hook_rev=hook_rev,
                 action=action, loaded=loaded)
    if root.exists() and not root.is_dir():
        raise UserError("init.not_a_directory", path=root)
    try:
        written = scaffold(root, files, force=force)
    except FileExistsError as exc:
        names = exc.args[0] if exc.args else []
        raise UserError("init.files_exist", {"files": "\n".join(f"  {rel}" for rel in names)}) from None
    except OSError as exc:
        raise UserError("init.cannot_write", {"reason": exc.strerror or type(exc).__name__}, path=exc.filename or root) from None
    for p in written:
        try:
            click.echo(p.relative_to(root).as_posix())
        except ValueError:
            click.echo(str(p))
    click.echo(messages.message("init.done", lang, n=len(written), folder=root), err=True)
    return EXIT_OK


def _vscode(root: Path, lang: str) -> int:
    """``init --vscode``: the two VS Code files, added to what is there (the schemas only when the
    repo has its copies in .snspolicy/schemas)."""
    if not root.is_dir():
        raise UserError("init.not_a_directory", path=root)
    files = vscode_files(schemas=(root / SCHEMA_DIR).is_dir())
    try:
        written = scaffold(root, files, schemas=False)
    except OSError as exc:
        raise UserError("init.cannot_write", {"reason": exc.strerror or type(exc).__name__}, path=exc.filename or root) from None
    for p in written:
        click.echo(p.relative_to(root).as_posix())
    click.echo(messages.message("init.vscode_done" if written else "init.vscode_nothing", lang, n=len(written)), err=True)
    return EXIT_OK


__all__ = ["DEFAULT_ACCOUNT", "DEFAULT_ACTION_REPO", "Planned", "default_action", "init", "merged", "pip_spec", "plan",
           "render", "scaffold", "template", "valid_action", "vscode_files"]
