"""Tests for the JUnit XML reporter."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from snspolicy.core.model import ReportContext, Severity
from snspolicy.reporters import render

from .conftest import make_finding


def _suite(xml: str) -> ET.Element:
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == "snspolicy"
    return suites[0]


def _check_counts(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases)
    assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
    assert int(suite.get("errors")) == sum(c.find("error") is not None for c in cases)


def test_one_case_per_file_with_failures(ctx: ReportContext) -> None:
    fs = [make_finding(path="posts/a.md", line=1), make_finding(path="posts/a.md", line=5),
          make_finding(path="posts/b.md", severity=Severity.WARNING),
          make_finding(path="accounts/x.yaml", clause="4(2)")]
    suite = _suite(render("junit", fs, ctx))
    _check_counts(suite)
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"accounts/x.yaml", "posts/a.md", "posts/b.md", "問題のないファイル 9 件"}
    assert suite.get("tests") == "4" and suite.get("failures") == "2" and suite.get("errors") == "0"
    failure = cases["posts/a.md"].find("failure")
    assert failure is not None and failure.get("message") == "2 件の問題"
    assert failure.text.count("\n") == 1 and "posts/a.md:5:5: error [pii-phone] 6(5)" in failure.text
    # a warning below fail_on: the case passes and the finding is in system-out
    b = cases["posts/b.md"]
    assert b.find("failure") is None and "warning" in b.find("system-out").text


def test_fail_on_warning(ctx: ReportContext) -> None:
    ctx.fail_on = Severity.WARNING
    suite = _suite(render("junit", [make_finding(severity=Severity.WARNING)], ctx))
    assert suite.get("failures") == "1"


def test_escaping_and_control_characters(ctx: ReportContext) -> None:
    msg = 'a < b & "c" > d\x00\x1b[31m\x0b]]>\ufffe\ud800 終わり'
    out = render("junit", [make_finding(message=msg, path='posts/<&">.md', fingerprint="x")], ctx)
    suite = _suite(out)
    _check_counts(suite)
    case = [c for c in suite.findall("testcase") if c.get("name") == 'posts/<&">.md'][0]
    text = case.find("failure").text
    assert 'a < b & "c" > d' in text and "終わり" in text
    assert "\x00" not in out and "\x1b" not in out and "\ufffe" not in out
    out.encode("utf-8")  # no lone surrogate left


def test_no_findings_still_has_a_passing_case(ctx: ReportContext) -> None:
    ctx.files_checked = 0
    suite = _suite(render("junit", [], ctx))
    _check_counts(suite)
    assert suite.get("tests") == "1" and suite.get("failures") == "0"


def test_fatal_is_an_error(ctx: ReportContext) -> None:
    suite = _suite(render("junit", [make_finding(fatal=True, rule="yaml-syntax", message="YAML を読めません")], ctx))
    _check_counts(suite)
    assert suite.get("errors") == "1" and suite.get("failures") == "0"


def test_waived_left_out(ctx: ReportContext) -> None:
    suite = _suite(render("junit", [make_finding(waived=True)], ctx))
    assert suite.get("failures") == "0"


def test_deterministic(ctx: ReportContext) -> None:
    fs = [make_finding(path="b.md"), make_finding(path="a.md")]
    assert render("junit", fs, ctx) == render("junit", fs[::-1], ctx)
