"""``snspolicy policy diff OLD NEW``: review a policy change (rules tightened or loosened).

OLD and NEW are each a policy id (``ube/2025-04-01``: the bundled copy), a path (a policy
folder or its policy.yaml), or ``REF:path`` — the policy at a git ref of the repository of the
current folder (``origin/main:policy/ube/2025-04-01``; the path is relative to the current
folder, like ``git show REF:./path``).

Output: text (default), Markdown for a pull-request comment, or JSON. ``--impact REPO`` lints
the posts repo REPO under both policies (with REPO's snspolicy.yaml) and lists the files that
newly fail or newly pass.

Exit status: 0; 1 when the rules changed without a new version and changelog entry
(see :func:`snspolicy.policydiff.version_problems`); 2 when a policy cannot be read.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import click

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")

_TEXT = {
    "no_path": {"ja": "「{spec}」: REF:path の path がありません（例: origin/main:policy/ube/2025-04-01）。",
                "en": "'{spec}': REF:path needs a path (e.g. origin/main:policy/ube/2025-04-01)."},
    "not_at_ref": {"ja": "{ref} に {path} のポリシーがありません。",
                   "en": "There is no policy at {path} in {ref}."},
}


def _t(key: str, lang: str, **kw) -> str:
    return _TEXT[key]["en" if lang == "en" else "ja"].format(**kw)


def is_git_spec(spec: str, cwd: Path) -> bool:
    """``REF:path`` (and not an existing path or a Windows drive path)."""
    if ":" not in spec or _DRIVE.match(spec):
        return False
    return not (cwd / spec).exists() and not Path(spec).exists()


def load_spec(spec: str, cwd: Path, tmp: Path, lang: str = "ja"):
    """Load OLD/NEW: id, path, or REF:path (materialized below ``tmp``). Raises PolicyError/GitError."""
    import os

    from snspolicy.policy import model as policy_mod
    from snspolicy.app.changes import Git, GitError, materialize

    if not is_git_spec(spec, cwd):
        return policy_mod.load(spec, cwd)
    ref, _, path = spec.partition(":")
    if not path.strip():
        raise GitError(_t("no_path", lang, spec=spec))
    git = Git(cwd, lang)
    top = git.toplevel().resolve()
    commit = git.require_commit(ref)
    target = Path(os.path.normpath((cwd / path).resolve() if not Path(path).is_absolute() else Path(path)))
    try:
        rel = target.relative_to(top).as_posix()
    except ValueError:
        raise GitError(_t("not_at_ref", lang, ref=ref, path=path)) from None
    folder = rel.rsplit("/", 1)[0] if rel.endswith((".yaml", ".yml")) else rel
    dest = tmp / re.sub(r"[^A-Za-z0-9._-]", "_", ref)
    if not materialize(Git(top, lang), commit, folder, dest):
        raise GitError(_t("not_at_ref", lang, ref=ref, path=path))
    return policy_mod.load(str(dest / rel), None)


def register(main: click.Group) -> None:
    group = main.commands.get("policy")
    if not isinstance(group, click.Group):  # pragma: no cover - the core CLI defines it
        return

    @click.command("diff")
    @click.argument("old")
    @click.argument("new")
    @click.option("-f", "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
                  help="出力形式（markdown はプルリクエストのコメント用）/ output format")
    @click.option("--impact", "impact_repo", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="この投稿リポジトリを両方のポリシーで検査し、合否が変わるファイルを示す / lint REPO under both")
    @click.option("--today", default=None, help="--impact の基準日 YYYY-MM-DD / date used for expiries")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="言語 / language")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="出力先ファイル / write to a file")
    def policy_diff(old, new, fmt, impact_repo, today, lang, output):
        """2 つのポリシーの違い（厳しく・緩くなったルール）/ semantic diff of two policies.

        OLD, NEW: ポリシー ID（ube/2025-04-01）、パス、または git の REF:path。
        終了コード: 0、1 版と変更履歴なしにルールが変わった、2 ポリシーを読めない。
        """
        from snspolicy.policy import diff as policydiff
        from snspolicy.cli import _lang_default, _today
        from snspolicy.io.config import ConfigError
        from snspolicy.policy.model import PolicyError

        lang = lang or _lang_default()
        today_d = _today(today)
        cwd = Path.cwd()
        with tempfile.TemporaryDirectory(prefix="snspolicy-diff-") as tmp:
            try:
                pol_old = load_spec(old, cwd, Path(tmp) / "old", lang)
                pol_new = load_spec(new, cwd, Path(tmp) / "new", lang)
            except PolicyError as exc:
                _fail(exc, lang)
                return
            except ConfigError as exc:  # GitError
                click.echo(getattr(exc, "text", exc.code), err=True)
                sys.exit(2)
            d = policydiff.diff(pol_old, pol_new)
            imp = None
            if impact_repo is not None:
                try:
                    imp = policydiff.impact(impact_repo, pol_old, pol_new, today=today_d, lang=lang)
                except (ConfigError, PolicyError) as exc:
                    _fail(exc, lang)
                    return
        titles = policydiff.rule_titles([pol_new, pol_old], lang)
        if fmt == "json":
            text = policydiff.to_json(d, imp, lang)
        elif fmt == "markdown":
            text = policydiff.render_markdown(d, lang, titles, imp)
        else:
            text = policydiff.render_text(d, lang, titles, imp)
        if output:
            from snspolicy.io.fsutil import atomic_write_text

            atomic_write_text(output, text)
        else:
            click.echo(text, nl=False)
        sys.exit(1 if d.problems else 0)

    group.add_command(policy_diff)


def _fail(exc, lang: str) -> None:
    from snspolicy.core import messages

    msg = messages.message(exc.code, lang, **(exc.params or {}))
    click.echo(f"{exc.path}:{exc.span.line}:{exc.span.column}: {msg}", err=True)
    sys.exit(2)
