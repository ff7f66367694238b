"""GitLab Code Quality report (``-f gitlab``), shown in the merge-request widget.

The file is a JSON array with one object per finding, using the fields GitLab
documents for its Code Quality report (a subset of the Code Climate issue format):

* ``description`` — the finding's message (already masked: no personal data or secret);
* ``check_name`` — the rule id;
* ``fingerprint`` — 32 hex characters that identify the finding **without its line
  number**: derived from :attr:`Finding.fingerprint` (path, rule, clause and a stable
  key of the problem) and the occurrence number ``n`` among findings with the same
  fingerprint in file order. Moving a post's text down a few lines keeps every
  fingerprint, so GitLab does not report the finding as fixed and new again; two
  identical problems in one file still get distinct fingerprints (GitLab keeps only
  the first of duplicate fingerprints);
* ``severity`` — ``major`` for an error, ``minor`` for a warning, ``info`` for a note,
  ``blocker`` for a file that could not be read at all (exit status 2);
* ``location.path`` — relative to the repository root, forward slashes, no ``./``
  (an absolute path inside ``ctx.root`` is made relative; one outside keeps only its file name);
* ``location.lines.begin`` / ``location.lines.end`` — 1-based lines.

Waived findings are left out (GitLab has no notion of an accepted finding) unless
``show_waived``; then they are ``info`` and the description says they are waived.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from typing import Any

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters._strings import t
from snspolicy.reporters._util import Item, prepare

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
SEVERITIES = ("info", "minor", "major", "critical", "blocker")


def severity_of(item: Item) -> str:
    """The Code Quality severity of a finding."""
    if item.fatal:
        return "blocker"
    if item.waived:
        return "info"
    return _SEVERITY[item.severity]


def report_path(path: str) -> str:
    """``location.path``: repo-relative; an absolute path (outside the repo) keeps its file name only."""
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    if p.startswith("/") or (len(p) > 2 and p[1] == ":" and p[2] == "/"):
        p = posixpath.basename(p)
    return p or "."


def fingerprint(base: str, n: int) -> str:
    """The report fingerprint of the ``n``-th finding (1-based) with Finding fingerprint ``base``."""
    return hashlib.sha256(f"snspolicy\0{base}\0{n}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def build(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False) -> list[dict[str, Any]]:
    """The report as a list of dicts (see the module docstring)."""
    lang = getattr(ctx, "lang", "ja")
    items = prepare(findings, show_waived=show_waived, root=getattr(ctx, "root", None))
    seen: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for item in items:
        base = item.fingerprint or f"{item.path}\0{item.rule}\0{item.clause}\0{item.message}"
        seen[base] = seen.get(base, 0) + 1
        description = item.message or item.title or item.rule
        if item.waived:
            description += t("waived_mark", lang, reason=item.waiver_reason) if item.waiver_reason \
                else t("waived_mark_noreason", lang)
        lines: dict[str, int] = {"begin": item.line}
        if item.end_line > item.line:
            lines["end"] = item.end_line
        out.append({
            "description": description,
            "check_name": item.rule,
            "fingerprint": fingerprint(base, seen[base]),
            "severity": severity_of(item),
            "location": {"path": report_path(item.path), "lines": lines},
        })
    return out


def render(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False,
           indent: int | None = 2) -> str:
    """Render the GitLab Code Quality report (JSON text)."""
    return json.dumps(build(findings, ctx, show_waived=show_waived), ensure_ascii=False, indent=indent) + "\n"
