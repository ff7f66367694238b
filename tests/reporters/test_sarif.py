"""Tests for the SARIF reporter: schema validity and GitHub code scanning requirements."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters import render
from snspolicy.reporters import sarif as sarif_mod

from .conftest import make_finding

# vendored with its licence and source note (tests/data/sarif/SOURCE.md): the suite needs nothing outside the repo
SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.errata01.draft04.json"


def sarif(findings: list[Finding], ctx: ReportContext, **kw: Any) -> dict[str, Any]:
    return json.loads(render("sarif", findings, ctx, **kw))


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is needed to validate SARIF")
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _sample() -> list[Finding]:
    return [
        make_finding(),
        make_finding(path="posts/2025/桜 まつり.md", line=2, column=1, end_line=4, end_column=2,
                     rule="category-list", clause="3(4)", severity=Severity.WARNING, message="分類を選んでください"),
        make_finding(path="accounts/ube-city-x.yaml", line=10, rule="twofa-method", clause="4(2)",
                     severity=Severity.INFO, message="SMS より認証アプリを推奨します", title=""),
        make_finding(line=30, waived=True, waiver_reason="広報広聴課長が承認（2025-12-31 まで）"),
    ]


def _check_schema(validator: Any, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_validates_against_sarif_schema(validator: Any, ctx: ReportContext) -> None:
    _check_schema(validator, sarif(_sample(), ctx))
    _check_schema(validator, sarif([], ctx))
    ctx.lang = "en"
    _check_schema(validator, sarif(_sample(), ctx, max_results=2))


def test_schema_catches_a_broken_log(validator: Any, ctx: ReportContext) -> None:
    log = sarif(_sample(), ctx)
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(log)), "validator should reject an invalid level"


def test_github_code_scanning_requirements(ctx: ReportContext) -> None:
    log = sarif(_sample(), ctx)
    assert log["$schema"].startswith("https://") and log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "snspolicy" and driver["version"] == "1.2.3"
    assert re.match(r"^https://", driver["informationUri"])
    assert run["columnKind"] == "unicodeCodePoints"
    for rule in driver["rules"]:
        assert rule["id"] and rule["name"]
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"].strip()
        assert rule["help"]["markdown"].strip()
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert rule["properties"]["tags"] == [f"guideline-{rule['properties']['clause']}"]
    for result in run["results"]:
        rule = driver["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"} and result["message"]["text"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith("/") and ":" not in uri and re.fullmatch(r"[\x21-\x7e]+", uri)
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(loc["region"])
        assert result["partialFingerprints"]["primaryLocationLineHash"]


def test_rule_metadata_from_context(ctx: ReportContext) -> None:
    rules = {r["id"]: r for r in sarif(_sample(), ctx)["runs"][0]["tool"]["driver"]["rules"]}
    phone = rules["pii-phone"]
    assert phone["shortDescription"]["text"] == "個人の電話番号"
    assert phone["fullDescription"]["text"].startswith("投稿に個人の電話番号")
    assert phone["help"]["text"].startswith("番号を削除するか")
    assert "6(5)" in phone["help"]["markdown"]
    assert phone["properties"]["tags"] == ["guideline-6(5)"]
    assert phone["defaultConfiguration"]["level"] == "error"
    assert phone["name"] == "PiiPhone"


def test_rule_missing_from_context_gets_generic_entry(ctx: ReportContext) -> None:
    log = sarif(_sample(), ctx)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    generic = rules["twofa-method"]  # not in ctx.rules
    assert generic["properties"]["tags"] == ["guideline-4(2)"]
    assert generic["defaultConfiguration"]["level"] == "note"
    assert generic["fullDescription"]["text"] and generic["help"]["text"]
    assert "category-list" in rules  # in ctx.rules, listed once
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]].count("category-list") == 1


def test_levels_and_regions(ctx: ReportContext) -> None:
    results = sarif(_sample(), ctx)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results if "suppressions" not in r}
    assert by_rule["pii-phone"]["level"] == "error"
    assert by_rule["category-list"]["level"] == "warning"
    assert by_rule["twofa-method"]["level"] == "note"
    region = by_rule["category-list"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 1, "endLine": 4, "endColumn": 2}


def test_non_ascii_path_is_percent_encoded(ctx: ReportContext) -> None:
    results = sarif(_sample(), ctx)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "posts/2025/%E6%A1%9C%20%E3%81%BE%E3%81%A4%E3%82%8A.md" in uris
    assert "posts/2025/a.md" in uris


def test_fingerprint_survives_moving_lines(ctx: ReportContext) -> None:
    before = sarif([make_finding(line=3)], ctx)["runs"][0]["results"][0]
    after = sarif([make_finding(line=40, end_line=40)], ctx)["runs"][0]["results"][0]
    assert before["partialFingerprints"] == after["partialFingerprints"]
    other = sarif([make_finding(message="別のメッセージ")], ctx)["runs"][0]["results"][0]
    assert other["partialFingerprints"] != before["partialFingerprints"]


def test_same_fingerprint_twice_gets_distinct_hashes(ctx: ReportContext) -> None:
    results = sarif([make_finding(line=3), make_finding(line=9)], ctx)["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert hashes[0].endswith(":1") and hashes[1].endswith(":2")
    assert hashes[0].split(":")[0] == hashes[1].split(":")[0]


def test_waived_becomes_suppressed_result(ctx: ReportContext) -> None:
    results = sarif(_sample(), ctx)["runs"][0]["results"]
    waived = [r for r in results if "suppressions" in r]
    assert len(waived) == 1
    assert waived[0]["suppressions"] == [{
        "kind": "external", "status": "accepted", "justification": "広報広聴課長が承認（2025-12-31 まで）"}]
    assert sum("suppressions" not in r for r in results) == 3


def test_truncation_keeps_most_severe_and_says_so(ctx: ReportContext) -> None:
    fs = [make_finding(line=i, severity=Severity.WARNING, message=f"w{i}") for i in range(1, 5)]
    fs += [make_finding(line=50, message="e")]
    run = sarif(fs, ctx, max_results=2)["runs"][0]
    assert len(run["results"]) == 2
    assert "e" in [r["message"]["text"] for r in run["results"]]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert "5 件のうち" in notes[0]["message"]["text"] and "2 件" in notes[0]["message"]["text"]
    assert run["invocations"][0]["properties"] == {"resultsTotal": 5, "resultsOmitted": 3}
    untruncated = sarif(fs, ctx)["runs"][0]
    assert len(untruncated["results"]) == 5 and "toolExecutionNotifications" not in untruncated["invocations"][0]


def test_default_limit_is_githubs() -> None:
    assert sarif_mod.MAX_RESULTS == 25_000


def test_deterministic_and_utf8(ctx: ReportContext) -> None:
    a = render("sarif", _sample(), ctx)
    assert a == render("sarif", list(reversed(_sample())), ctx)
    assert "個人の電話番号" in a


def test_message_is_the_only_finding_text(ctx: ReportContext) -> None:
    f = make_finding(message="番号 ***-****-1234 を削除", title="個人の電話番号")
    out = render("sarif", [f], ctx)
    assert "番号 ***-****-1234 を削除" in out


def test_empty_path_has_no_location(validator: Any, ctx: ReportContext) -> None:
    log = sarif([make_finding(path="")], ctx)
    assert "locations" not in log["runs"][0]["results"][0]
    _check_schema(validator, log)


def test_absolute_path_inside_root_is_made_relative(ctx: ReportContext, tmp_path: Path) -> None:
    ctx.root = str(tmp_path)
    inside = make_finding(path=str(tmp_path / "posts" / "a.md"))
    outside = make_finding(path="/elsewhere/b.md")
    results = sarif([inside, outside], ctx)["runs"][0]["results"]
    locs = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in results}
    assert "posts/a.md" in locs
    assert locs["posts/a.md"]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert "file:///elsewhere/b.md" in locs
    assert "uriBaseId" not in locs["file:///elsewhere/b.md"]["locations"][0]["physicalLocation"]["artifactLocation"]
