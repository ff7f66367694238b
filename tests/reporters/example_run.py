"""Lint a posts repo in-process the way ``snspolicy lint`` does, for the reporter tests that need
real findings (the GitLab report, the HTML review page), with the review page's documents filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.core.model import Finding, ReportContext
from snspolicy.reporters.documents import documents_from_folder

TODAY = dt.date(2026, 1, 15)


def lint_repo(root: Path, lang: str = "ja", documents: bool = True) -> tuple[list[Finding], ReportContext]:
    """Findings and report context of a full lint of ``root`` (``--today 2026-01-15``)."""
    setup = runner.prepare([Path(root)])
    _repo, result = lint_setup(setup, lang=lang, today=TODAY)
    ctx = runner.report_context(setup, result, lang)
    if documents:
        ctx.documents = documents_from_folder(setup.root, setup.config.paths)
    return list(result.findings), ctx
