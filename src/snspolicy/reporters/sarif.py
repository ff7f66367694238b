"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

One run; ``tool.driver.rules`` holds every rule of ``ctx.rules`` (sorted by id)
and then a generic entry for each rule a finding names that the context does not
describe. Results:

* ``level`` error | warning | note; ``ruleId`` and ``ruleIndex``;
* the location is relative to ``%SRCROOT%`` (percent-encoded, forward slashes);
  columns count Unicode code points (``run.columnKind``); ``endColumn`` is the
  column *after* the region, as SARIF defines it;
* ``partialFingerprints.primaryLocationLineHash`` is ``<Finding.fingerprint>:<n>``,
  where n numbers findings with the same fingerprint in file order — no line
  number, so an alert survives lines being inserted above it;
* waived findings get ``suppressions: [{kind: external, justification}]``;
* at most :data:`MAX_RESULTS` results (GitHub's limit per run): the most severe are
  kept and ``invocations[0].toolExecutionNotifications`` says how many were left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from snspolicy.core.model import Finding, ReportContext, RuleInfo, Severity
from snspolicy.reporters._strings import clause_name, t
from snspolicy.reporters._util import Item, clean, prepare, severity_of

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
#: ``tool.driver.informationUri`` when the context has no ``information_uri``
#: (kept equal to the Homepage in pyproject.toml)
DEFAULT_INFORMATION_URI = "https://www.city.ube.yamaguchi.jp/"
MAX_RESULTS = 25_000
SRCROOT = "%SRCROOT%"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_URI_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


def level_of(severity: object) -> str:
    """SARIF level for a severity."""
    return _LEVEL[severity_of(severity)]


def artifact_uri(path: str) -> tuple[str, bool]:
    """(uri, relative?) for a finding's path: repo-relative paths are percent-encoded
    relative references (for ``%SRCROOT%``); an absolute path becomes a ``file://`` URI."""
    p = path.replace("\\", "/")
    if re.match(r"^[A-Za-z]:/", p):  # Windows drive
        return "file:///" + quote(p, safe="/:"), False
    if p.startswith("/"):
        return "file://" + quote(p, safe="/"), False
    return quote(p, safe="/"), True


def tag_of(clause: str) -> str:
    """The tag naming a clause, e.g. ``guideline-6(5)``."""
    return f"guideline-{clause}" if clause else "guideline"


def pascal(rule_id: str) -> str:
    """A readable identifier for ``reportingDescriptor.name``: ``personal-info.phone`` -> ``PersonalInfoPhone``."""
    parts = re.findall(r"[A-Za-z0-9]+", rule_id)
    return "".join(p[:1].upper() + p[1:] for p in parts) or rule_id


def _descriptor(
    rule_id: str, clause: str, severity: Severity, title: str, description: str,
    help_text: str, help_uri: str | None, lang: str, headings: Mapping[str, str],
) -> dict[str, Any]:
    title = clean(title).strip() or rule_id
    full = clean(description).strip() or title
    help_plain = clean(help_text).strip() or full
    cname = clause_name(clause, headings)
    heading = t("md_clause", lang, clause=clause) + (f" {cname}" if cname else "")
    md = f"**{title}**\n\n{heading}\n\n{full}"
    if help_plain != full:
        md += f"\n\n{help_plain}"
    d: dict[str, Any] = {
        "id": rule_id,
        "name": pascal(rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": full},
        "help": {"text": help_plain, "markdown": md},
        "defaultConfiguration": {"level": level_of(severity)},
        "properties": {"tags": [tag_of(clause)], "clause": clause},
    }
    if help_uri and _URI_OK.match(str(help_uri)):
        d["helpUri"] = str(help_uri)
    return d


def _rule_from_info(info: RuleInfo, lang: str, headings: Mapping[str, str]) -> dict[str, Any]:
    return _descriptor(
        clean(info.id), clean(info.clause), severity_of(info.severity), info.title,
        info.description, info.help, info.help_uri, lang, headings,
    )


def _generic_rule(item: Item, lang: str, headings: Mapping[str, str]) -> dict[str, Any]:
    text = t("sarif_generic_rule", lang, clause=item.clause or "-")
    return _descriptor(item.rule, item.clause, item.severity, item.title or item.rule, text,
                       t("sarif_generic_help", lang), None, lang, headings)


def _select(items: list[Item], limit: int) -> tuple[list[Item], int]:
    """Keep at most ``limit`` items, most severe first (then file order); return them in file order."""
    if len(items) <= limit:
        return items, 0
    ranked = sorted(items, key=lambda i: (i.waived, -int(i.severity), i.sort_key()))
    kept = sorted(ranked[:limit], key=Item.sort_key)
    return kept, len(items) - limit


def build(findings: list[Finding], ctx: ReportContext, *, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log as a dict (see the module docstring)."""
    lang = getattr(ctx, "lang", "ja")
    items = prepare(findings, show_waived=True, root=getattr(ctx, "root", None))
    try:
        limit = max(0, int(max_results))
    except (TypeError, ValueError):
        limit = MAX_RESULTS
    kept, dropped = _select(items, limit)

    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    ctx_rules = getattr(ctx, "rules", None) or {}
    headings = getattr(ctx, "clauses", None) or {}
    for key in sorted(ctx_rules, key=str):
        info = ctx_rules[key]
        if not isinstance(info, RuleInfo):
            continue
        rid = clean(info.id) or clean(key)
        if rid in index:
            continue
        index[rid] = len(rules)
        rules.append(_rule_from_info(info, lang, headings))
    for item in sorted(kept, key=lambda i: i.rule):
        if item.rule not in index:
            index[item.rule] = len(rules)
            rules.append(_generic_rule(item, lang, headings))

    seen: dict[str, int] = {}
    results = []
    for item in kept:
        seen[item.fingerprint] = seen.get(item.fingerprint, 0) + 1
        uri, relative = artifact_uri(item.path)
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = SRCROOT
        result: dict[str, Any] = {
            "ruleId": item.rule,
            "ruleIndex": index[item.rule],
            "level": level_of(item.severity),
            "message": {"text": item.message or item.title or item.rule},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {
                        "startLine": item.line,
                        "startColumn": item.column,
                        "endLine": item.end_line,
                        "endColumn": item.end_column,
                    },
                }
            }],
            "partialFingerprints": {"primaryLocationLineHash": f"{item.fingerprint}:{seen[item.fingerprint]}"},
            "properties": {"clause": item.clause, "tags": [tag_of(item.clause)]},
        }
        if not item.path:
            del result["locations"]
        if item.waived:
            supp: dict[str, Any] = {"kind": "external", "status": "accepted"}
            if item.waiver_reason:
                supp["justification"] = item.waiver_reason
            result["suppressions"] = [supp]
        results.append(result)

    invocation: dict[str, Any] = {"executionSuccessful": not any(i.fatal for i in items)}
    if dropped:
        invocation["toolExecutionNotifications"] = [{
            "level": "warning",
            "message": {"text": t("sarif_truncated", lang, total=len(items), kept=len(kept))},
            "descriptor": {"id": "results-truncated"},
        }]
        invocation["properties"] = {"resultsTotal": len(items), "resultsOmitted": dropped}

    driver: dict[str, Any] = {
        "name": clean(getattr(ctx, "tool_name", "")) or "snspolicy",
        "version": clean(getattr(ctx, "tool_version", "")) or "0",
        "informationUri": _information_uri(ctx),
        "rules": rules,
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    policy = clean(getattr(ctx, "policy_id", ""))
    if policy:
        run["properties"] = {"policy": policy}
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _information_uri(ctx: ReportContext) -> str:
    uri = getattr(ctx, "information_uri", None)
    return str(uri) if uri and _URI_OK.match(str(uri)) else DEFAULT_INFORMATION_URI


def render(findings: list[Finding], ctx: ReportContext, *, max_results: int = MAX_RESULTS,
           indent: int | None = 2) -> str:
    """Render findings as a SARIF 2.1.0 log (JSON text; ``indent=None`` is compact and ~3x faster)."""
    return json.dumps(build(findings, ctx, max_results=max_results), ensure_ascii=False, indent=indent) + "\n"
