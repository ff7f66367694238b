"""``snspolicy policy validate|show|diff``: check a policy, print it, and review a policy change.

``validate [REF]`` checks everything that must hold for a policy to be usable — the same checks
``lint`` makes before it runs (:func:`snspolicy.app.validate.policy_problems`: schemas, parameters
against their ``param_schema``, placeholders, clauses, lexicon entries and examples, safe regular
expressions, rules nothing can run, the version of an extending policy): exit 0 valid, 2 problems
(each ``file:line:col: message`` on stdout).

``show [--resolved] [REF]`` prints the policy's ``policy.yaml`` as written, or (``--resolved``)
the whole policy with its ``extends:`` chain and includes merged, as one YAML document that loads
as the same policy.

``diff OLD NEW``: the rules tightened or loosened between two policies, both resolved (a policy
that ``extends:`` another is compared with all it inherits). OLD and NEW are each a
policy id (``ube/2025-04-01``: the bundled copy), a path (a policy folder or its policy.yaml), or
``REF:path`` — the policy at a git ref of the repository of the current folder
(``origin/main:policy/ube/2025-04-01``; the path is relative to the current folder, like
``git show REF:./path``). Output: text (default), Markdown for a pull-request comment, or JSON.
``--impact REPO`` lints the posts repo REPO under both policies (with REPO's snspolicy.yaml) and
lists the files that newly fail or newly pass. Exit status 0; 1 when the rules changed without a
new version and changelog entry (:func:`snspolicy.policy.diff.version_problems`); 2 when a policy
cannot be read.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from snspolicy.commands._options import guard_output, lang_option, today_option
from snspolicy.core import messages
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_OK, UserError

if TYPE_CHECKING:
    import datetime as dt

    from snspolicy.policy.model import Policy

__all__ = ["is_git_spec", "load_spec", "policy"]

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@click.group("policy")
def policy() -> None:
    """ポリシーの検証・比較 / validate and compare policies."""


@policy.command("validate")
@click.argument("ref", required=False)
@lang_option()
def validate(ref: str | None, lang: str) -> int:
    """ポリシーを検証します（lint と同じ確認: スキーマ、パラメータ、条項、語彙、正規表現、実装）。/ validate a policy."""
    from snspolicy.app.validate import validate as validate_policy

    problems = validate_policy(ref, Path.cwd(), lang)
    for p in problems:
        click.echo(p)
    if problems:
        raise UserError("policy.invalid", {"n": len(problems)})
    click.echo(messages.message("policy.valid", lang))
    return EXIT_OK


@policy.command("show")
@click.argument("ref", required=False)
@click.option("--resolved", is_flag=True,
              help="extends を解決し、受け継いだ内容を含む全体を 1 つの YAML で表示 / the whole policy, extends resolved")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="出力先ファイル / write to a file")
def show(ref: str | None, resolved: bool, output: Path | None) -> int:
    """ポリシーを YAML で表示します / print a policy as YAML.

    REF: ポリシー ID（ube/2026-04-01-draft）かパス。省略すると snspolicy.yaml のポリシー。
    --resolved なしでは policy.yaml を書かれたとおりに、--resolved では extends・include を解決した全体
    （ルールと語彙を含む、そのまま読み込める policy.yaml）を表示します。
    """
    from snspolicy.app.validate import load_for_show
    from snspolicy.policy.resolve import to_yaml

    pol, main_text = load_for_show(ref, Path.cwd())
    if resolved:
        chain = " → ".join([pol.id] + ([pol.extends] if pol.extends else []))
        text = to_yaml(pol.document, f"{pol.id} ({pol.version}) resolved: {chain}\n"
                                     "snspolicy policy show --resolved (extends and include merged; loads as the same policy)")
    else:
        text = main_text if main_text.endswith("\n") else main_text + "\n"
    if output:
        from snspolicy.io.fsutil import atomic_write_text

        guard_output(output)  # never in place of an input of the posts repo here (as lint -o)
        atomic_write_text(output, text)
    else:
        click.echo(text, nl=False)
    return EXIT_OK


@policy.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="出力形式（markdown はプルリクエストのコメント用）/ output format")
@click.option("--impact", "impact_repo", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="この投稿リポジトリを両方のポリシーで検査し、合否が変わるファイルを示す / lint REPO under both")
@today_option(help="--impact の基準日 YYYY-MM-DD / date used for expiries")
@lang_option(help="言語 / language")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="出力先ファイル / write to a file")
def diff(old: str, new: str, fmt: str, impact_repo: Path | None, today: dt.date | None, lang: str, output: Path | None) -> int:
    """2 つのポリシーの違い（厳しく・緩くなったルール）/ semantic diff of two policies.

    OLD, NEW: ポリシー ID（ube/2025-04-01）、パス、または git の REF:path。
    終了コード: 0、1 版と変更履歴なしにルールが変わった、2 ポリシーを読めない。
    """
    from snspolicy.app.impact import impact
    from snspolicy.policy.diff import diff as policy_diff
    from snspolicy.reporters.policy_diff import render_markdown, render_text, rule_titles, to_json

    cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="snspolicy-diff-") as tmp:
        pol_old = load_spec(old, cwd, Path(tmp) / "old", lang)
        pol_new = load_spec(new, cwd, Path(tmp) / "new", lang)
        d = policy_diff(pol_old, pol_new)
        imp = impact(impact_repo, pol_old, pol_new, today=today, lang=lang) if impact_repo is not None else None
    titles = rule_titles([pol_new, pol_old], lang)
    if fmt == "json":
        text = to_json(d, imp, lang)
    elif fmt == "markdown":
        text = render_markdown(d, lang, titles, imp)
    else:
        text = render_text(d, lang, titles, imp)
    if output:
        from snspolicy.io.fsutil import atomic_write_text

        guard_output(output)  # never in place of an input of the posts repo here (as lint -o)
        atomic_write_text(output, text)
    else:
        click.echo(text, nl=False)
    return EXIT_FINDINGS if d.problems else EXIT_OK


def is_git_spec(spec: str, cwd: Path) -> bool:
    """``REF:path`` (and not an existing path or a Windows drive path)."""
    if ":" not in spec or _DRIVE.match(spec):
        return False
    return not (cwd / spec).exists() and not Path(spec).exists()


def load_spec(spec: str, cwd: Path, tmp: Path, lang: str = "ja") -> Policy:
    """Load OLD/NEW: id, path, or REF:path (materialized below ``tmp``). Raises the user errors of
    loading a policy and of git."""
    from snspolicy.io.git import Git, materialize
    from snspolicy.policy import model as policy_mod

    if not is_git_spec(spec, cwd):
        return policy_mod.load(spec, cwd)
    ref, _, path = spec.partition(":")
    if not path.strip():
        raise UserError("policy.diff_no_path", {"spec": spec})
    git = Git(cwd, lang)
    top = git.toplevel().resolve()
    commit = git.require_commit(ref)
    target = Path(os.path.normpath((cwd / path).resolve() if not Path(path).is_absolute() else Path(path)))
    try:
        rel = target.relative_to(top).as_posix()
    except ValueError:
        raise UserError("policy.diff_not_at_ref", {"ref": ref, "path": path}) from None
    folder = rel.rsplit("/", 1)[0] if rel.endswith((".yaml", ".yml")) else rel
    dest = tmp / re.sub(r"[^A-Za-z0-9._-]", "_", ref)
    if not materialize(Git(top, lang), commit, folder, dest):
        raise UserError("policy.diff_not_at_ref", {"ref": ref, "path": path})
    return policy_mod.load(str(dest / rel), None)
