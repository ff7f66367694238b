"""JUnit XML: one ``<testsuite name="snspolicy">``, one ``<testcase>`` per file with findings.

Choice: a test case per *file* (``classname="snspolicy"``, ``name`` = the path)
is what CI test viewers (GitHub test reporters, GitLab, Jenkins) list most
readably. A file with a finding at or above ``ctx.fail_on`` gets one
``<failure>`` (``<error>`` if the file could not be read) whose body lists
every finding of the file in the text format; findings below the fail level
go to the case's ``<system-out>`` and the case passes. Files without findings
are not known by name to a reporter, so they are represented by one passing
case "N files without problems" (from ``ctx.files_checked``). With no
findings at all there is always at least one passing case.

Waived findings are left out. Characters XML 1.0 cannot hold are removed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters._strings import t
from snspolicy.reporters.text import format_line
from snspolicy.reporters._util import Item, prepare, severity_of

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can hold (invalid characters removed)."""
    return _XML_INVALID.sub("", "" if value is None else str(value))


def build(findings: list[Finding], ctx: ReportContext) -> ET.Element:
    """The ``<testsuites>`` element (see the module docstring)."""
    lang = getattr(ctx, "lang", "ja")
    fail_on = severity_of(getattr(ctx, "fail_on", Severity.ERROR))
    items = prepare(findings, show_waived=False, root=getattr(ctx, "root", None))

    suite = ET.Element("testsuite", name="snspolicy")
    props = ET.SubElement(suite, "properties")
    for key, value in (("policy", getattr(ctx, "policy_id", "")), ("fail_on", str(fail_on)),
                       ("files_checked", str(getattr(ctx, "files_checked", 0)))):
        if value:
            ET.SubElement(props, "property", name=key, value=xml_text(value))

    tests = failures = errors = 0
    for path, group_iter in groupby(items, key=lambda i: i.path):
        group: list[Item] = list(group_iter)
        case = ET.SubElement(suite, "testcase", classname="snspolicy", name=xml_text(path or "-"), time="0")
        tests += 1
        body = "\n".join(xml_text(format_line(i, lang)) for i in group)
        failing = [i for i in group if i.severity >= fail_on or i.fatal]
        if failing:
            kind = "error" if any(i.fatal for i in failing) else "failure"
            first = failing[0]
            el = ET.SubElement(case, kind, type=xml_text(first.rule),
                               message=xml_text(t("junit_failure", lang, n=len(group))))
            el.text = body
            if kind == "error":
                errors += 1
            else:
                failures += 1
        else:
            ET.SubElement(case, "system-out").text = body

    files_checked = getattr(ctx, "files_checked", 0)
    others = files_checked - tests if isinstance(files_checked, int) else 0
    if others > 0 or tests == 0:
        name = t("junit_other_files", lang, n=others) if others > 0 else t("junit_no_findings", lang)
        ET.SubElement(suite, "testcase", classname="snspolicy", name=xml_text(name), time="0")
        tests += 1

    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", "0")
    root = ET.Element("testsuites", name="snspolicy", tests=str(tests), failures=str(failures),
                      errors=str(errors), time="0")
    root.append(suite)
    return root


def render(findings: list[Finding], ctx: ReportContext) -> str:
    """Render the JUnit XML document (with an XML declaration, UTF-8)."""
    root = build(findings, ctx)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
