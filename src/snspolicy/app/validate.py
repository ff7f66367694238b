"""`snspolicy policy validate`: everything that must hold for a policy to be usable."""

from __future__ import annotations

import re
from pathlib import Path

from snspolicy.core import messages
from snspolicy.core.errors import UserError
from snspolicy.core.model import Span
from snspolicy.policy import model as policy_mod

REQUIRED_CLAUSES = ["1", "2", "3(1)", "3(2)", "3(3)", "3(4)", "3(5)", "3(6)", "3(7)", "3(8)", "4(1)", "4(2)", "4(3)", "4(4)", "4(5)",
                    "5", "6(1)", "6(2)", "6(3)", "6(4)", "6(5)", "6(6)", "6(7)", "6(8)", "6(9)", "6(10)", "6(11)", "7", "8"]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _located(exc: UserError, lang: str, base: Path | None = None) -> str:
    span = exc.span or Span()
    path = exc.path or "."
    if base is not None:
        try:
            path = Path(path).resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            pass
    return f"{path}:{span.line}:{span.column}: {messages.message(exc.code, lang, **exc.params)}"


def validate(ref: str | None, cwd: Path, lang: str = "ja") -> list[str]:
    """Human-readable problems (``file:line:col: message``); empty when the policy is valid.

    Without ``ref``, the policy named by the ``snspolicy.yaml`` of ``cwd``'s repo, with its
    overrides (a broken ``snspolicy.yaml`` is a problem, never "validate the default policy").
    Checks the same regular expressions and lexicon entries as ``lint``
    (:mod:`snspolicy.app.policy_checks`), so a policy this accepts is one lint accepts.
    """
    from snspolicy.app.policy_checks import policy_problems
    from snspolicy.app.setup import find_root
    from snspolicy.io import config as config_mod

    cfg = None
    try:
        if ref is None:
            root = find_root(cwd)
            cfg = config_mod.load(root)
            pol = policy_mod.load(cfg.policy, root, inside=root)
        else:
            pol = policy_mod.load(ref, cwd)
        from snspolicy.engine import plugins

        pol = plugins.merge_fragments(pol)
    except UserError as exc:
        if cfg is not None and cfg.located is not None and exc.code in ("policy_not_found", "policy_local_outside"):
            exc = UserError(exc.code, exc.params, path="snspolicy.yaml", span=cfg.located.span(("policy",)))
        return [_located(exc, lang, cwd)]
    checked = policy_mod.apply_overrides(pol, cfg.rules) if cfg is not None else pol
    located_problems = policy_problems(checked, cfg)
    if located_problems:
        return [_located(exc, lang, cwd) for exc in located_problems]
    problems: list[str] = []
    main = str(pol.files[0])
    # every clause of the guideline is present, checked by a rule or explained
    for c in REQUIRED_CLAUSES:
        entry = pol.clauses.get(c)
        if entry is None:
            problems.append(f"{main}: " + (f"条項 {c} がありません。" if lang == "ja" else f"clause {c} is missing."))
            continue
        has_rule = any(r.clause == c for r in pol.rules.values())
        if entry.get("checkable") is False and not entry.get("reason"):
            problems.append(f"{main}: " + (f"条項 {c} は確認できない理由（reason）が必要です。" if lang == "ja" else f"clause {c} needs a reason why it is not checkable."))
        if entry.get("checkable") in (True, "partly") and not has_rule and c not in ("3", "4", "6"):
            problems.append(f"{main}: " + (f"条項 {c} を確認するルールがありません。" if lang == "ja" else f"no rule checks clause {c}."))
    # message templates only use placeholders documented consistently across languages
    for rid, spec in pol.rules.items():
        for variant, m in spec.messages.items():
            ja, en = set(_PLACEHOLDER.findall(m.get("ja", ""))), set(_PLACEHOLDER.findall(m.get("en", "")))
            if m.get("en") and ja != en:
                problems.append(f"{spec.source}: {rid}.message.{variant}: " +
                                ("日本語と英語で差し込み項目が違います" if lang == "ja" else "ja/en placeholders differ") + f" ({sorted(ja ^ en)})")
    # lexicons: their own examples (structure and regexes were checked above)
    if pol.lexicons:
        from snspolicy.text import lexicon as lexmod

        for name, data in pol.lexicons.items():
            try:
                lex = lexmod.Lexicon.from_dict(data)
            except Exception as exc:  # noqa: BLE001 - a broken lexicon must not crash validation
                problems.append(f"{name}: {exc}")
                continue
            for msg in lex.check_examples():
                problems.append(f"{name}: {msg}")
    return problems
