"""`snspolicy policy validate`: everything that must hold for a policy to be usable."""

from __future__ import annotations

import re
from pathlib import Path

from . import messages
from . import policy as policy_mod
from .policy import PolicyError

REQUIRED_CLAUSES = ["1", "2", "3(1)", "3(2)", "3(3)", "3(4)", "3(5)", "3(6)", "3(7)", "3(8)", "4(1)", "4(2)", "4(3)", "4(4)", "4(5)",
                    "5", "6(1)", "6(2)", "6(3)", "6(4)", "6(5)", "6(6)", "6(7)", "6(8)", "6(9)", "6(10)", "6(11)", "7", "8"]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def validate(ref: str | None, cwd: Path, lang: str = "ja") -> list[str]:
    """Human-readable problems (``file:line:col: message``); empty when the policy is valid."""
    from . import config as config_mod

    if ref is None:
        try:
            ref = config_mod.load(cwd).policy
        except Exception:
            ref = "ube/2025-04-01"
    try:
        pol = policy_mod.load(ref, cwd)
        from . import plugins

        pol = plugins.merge_fragments(pol)
    except PolicyError as exc:
        return [f"{exc.path}:{exc.span.line}:{exc.span.column}: {messages.message(exc.code, lang, **exc.params)}"]
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
    # the context model of the wording rules (docs/text-context.md) and the city's own contacts
    from .text.context import topic_problems

    for msg in topic_problems((pol.params or {}).get("text_contexts")):
        problems.append(f"{main}: params.{msg}")
    contacts = (pol.params or {}).get("city_contacts")
    if contacts is not None and (not isinstance(contacts, dict) or any(
            k not in ("phone_numbers", "addresses", "email_domains") or not isinstance(v, list) for k, v in contacts.items())):
        problems.append(f"{main}: params.city_contacts: " + ("phone_numbers・addresses・email_domains の一覧だけを書けます。"
                                                            if lang == "ja" else "only lists phone_numbers, addresses, email_domains."))
    # lexicons: structure, safe regexes, and their own examples
    if pol.lexicons:
        try:
            from .text import lexicon as lexmod
        except ImportError:  # pragma: no cover - text analysis not installed
            lexmod = None
        if lexmod is not None:
            for name, data in pol.lexicons.items():
                for msg in lexmod.validate_lexicon_dict(data):
                    problems.append(f"{name}: {msg}")
                try:
                    lex = lexmod.Lexicon.from_dict(data)
                except Exception as exc:  # a broken lexicon must not crash validation
                    problems.append(f"{name}: {exc}")
                    continue
                for msg in lex.check_examples():
                    problems.append(f"{name}: {msg}")
    return problems
