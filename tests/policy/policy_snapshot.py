"""Fingerprints of a loaded policy, part by part, as the rules see it (documentation and messages
rendered with the parameters' values, so that ``{params.min_length}`` and a literal ``12`` compare
equal; ``param_schema`` left out). ``python tests/policy/policy_snapshot.py REF OUT`` records one."""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def rule_view(spec: Any) -> dict[str, Any]:
    return {
        "clause": spec.clause, "severity": str(spec.severity), "title": spec.title, "enabled": spec.enabled,
        "params": spec.params, "kind": getattr(spec, "kind", "") or "",
        "messages": {v: {lang: spec.message(v, lang) for lang in ("ja", "en")} for v in spec.messages},
        "doc": {k: {lang: spec.doc_text(k, lang) for lang in ("ja", "en")} for k in ("what", "why", "fix", "bad", "good")},
    }


META = ("id", "version", "status", "name", "guideline", "changelog", "vocabularies")


def fingerprints(pol: Any, extra_params: dict[str, dict[str, Any]] | None = None) -> dict[str, str]:
    """``{"rule:ID": digest, "lexicon:NAME": …, "clause:C": …, "category:C": …, "params": …, "meta:KEY": …}``.
    ``extra_params`` (rule -> name -> value) are added to a rule's parameters first."""
    out: dict[str, str] = {}
    for rid, spec in pol.rules.items():
        view = rule_view(spec)
        view["params"] = {**spec.params, **((extra_params or {}).get(rid) or {})}
        out[f"rule:{rid}"] = _digest(view)
    for name, lex in pol.lexicons.items():
        out[f"lexicon:{name}"] = _digest(lex)
    for c, entry in pol.clauses.items():
        out[f"clause:{c}"] = _digest(entry)
    for c, entry in pol.categories.items():
        out[f"category:{c}"] = _digest(entry)
    out["params"] = _digest(pol.params)
    for key in META:
        out[f"meta:{key}"] = _digest(pol.meta.get(key))
    return out


if __name__ == "__main__":  # pragma: no cover - records test data
    from snspolicy.policy import model as policy_mod

    ref, dest = sys.argv[1], sys.argv[2]
    extra = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    with open(dest, "w", encoding="utf-8") as fh:
        json.dump(fingerprints(policy_mod.load(ref), extra), fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
