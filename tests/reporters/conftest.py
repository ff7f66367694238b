"""Fixtures for the reporter tests: a Finding factory and a ReportContext."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import pytest

from snspolicy.core.model import Finding, ReportContext, RuleInfo, Severity
from snspolicy.domain.vocabulary import clause_headings
from snspolicy.policy.model import load

#: the bundled policy's clause headings (ReportContext.clauses, as app.setup.report_context gives them)
UBE_HEADINGS = clause_headings(load("ube/2025-04-01"), "ja")


def make_finding(**kw: Any) -> Finding:
    """A Finding with sensible defaults; keyword arguments override fields."""
    base: dict[str, Any] = dict(
        path="posts/2025/a.md", line=3, column=5, end_line=3, end_column=9,
        rule="pii-phone", clause="6(5)", severity=Severity.ERROR,
        message="個人の電話番号 090-****-**** を削除してください", title="個人の電話番号",
    )
    base.update(kw)
    f = Finding(**base)
    if not f.fingerprint:
        f.fingerprint = f.compute_fingerprint()
    return f


@pytest.fixture
def finding() -> Callable[..., Finding]:
    return make_finding


@pytest.fixture
def ctx() -> ReportContext:
    return ReportContext(
        tool_version="1.2.3",
        files_checked=12,
        policy_id="ube/2025-04-01",
        clauses=UBE_HEADINGS,
        rules={
            "pii-phone": RuleInfo(
                id="pii-phone", clause="6(5)", severity=Severity.ERROR, title="個人の電話番号",
                description="投稿に個人の電話番号が含まれていないかを確認します。",
                help="番号を削除するか、代表番号 0836-31-1111 に置き換えてください。",
            ),
            "category-list": RuleInfo(
                id="category-list", clause="3(4)", severity=Severity.WARNING, title="分類がポリシーの一覧にない",
            ),
        },
    )
