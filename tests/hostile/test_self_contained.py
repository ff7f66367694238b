"""Item: the test suite needs nothing outside the repository (a fresh clone without ``../shared``
passes ``bash .ci/run``). What the tests read is vendored with its licence."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .helpers import ROOT

TESTS = ROOT / "tests"
# a path built from the project's parent folder, or a sibling checkout such as ../shared
OUTSIDE = re.compile(r"""ROOT\.parent\b|parents\[\d\]\.parent\b|\.\./shared\b|/work/|["']shared["']\s*/""")


def test_no_test_reads_outside_the_repository() -> None:
    offenders = []
    for path in TESTS.rglob("*.py"):
        if path == Path(__file__) or "corpus" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if OUTSIDE.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_vendored_sarif_schema_has_its_licence_and_source() -> None:
    folder = TESTS / "data" / "sarif"
    schema = json.loads((folder / "sarif-schema-2.1.0.errata01.draft04.json").read_text(encoding="utf-8"))
    assert schema.get("title", "").startswith("Static Analysis Results Format")
    assert "OASIS" in (folder / "LICENSE.oasis-sarif-spec.md").read_text(encoding="utf-8")
    source = (folder / "SOURCE.md").read_text(encoding="utf-8")
    assert "oasis-tcs/sarif-spec" in source and "e0583813964ec43cea53b6b531b402866095ed1f" in source
