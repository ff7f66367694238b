"""The bundled examples: the clean repo passes, every deliberate violation in EXPECTED.md fires."""

from __future__ import annotations

import json
import re

import pytest

from conftest import CLEAN, VIOLATIONS, run_cli


def _expected_rows():
    rows = []
    for line in (VIOLATIONS / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*`([^`]+)`\s*\|\s*([a-z0-9-]+)\s*\|\s*([^|]*)\|", line)
        if m:
            clause = m.group(3).strip().split(" ")[0]
            rows.append((m.group(1), m.group(2), clause))
    return rows


ROWS = _expected_rows()


@pytest.fixture(scope="module")
def violation_findings():
    proc = run_cli("lint", str(VIOLATIONS), "-f", "json", timeout=600)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def test_clean_example_passes_with_no_findings_at_all():
    proc = run_cli("lint", str(CLEAN), "-f", "json", timeout=600)
    assert proc.returncode == 0, proc.stdout[:3000] + proc.stderr
    assert json.loads(proc.stdout) == []


def test_clean_example_passes_today():
    """The README's users lint on the real date, not the tests' fixed one."""
    proc = run_cli("lint", str(CLEAN), env={"SNSPOLICY_TODAY": ""}, timeout=600)
    assert proc.returncode == 0, proc.stdout[:3000]


def test_expected_table_is_substantial():
    assert len(ROWS) >= 50
    assert {r[1] for r in ROWS} >= {"account-holders", "account-2fa", "post-approval", "text-defamation", "pii-phone"}


@pytest.mark.parametrize("path,rule,clause", ROWS, ids=[f"{r[1]}:{r[0].split('/')[-1]}" for r in ROWS])
def test_each_expected_violation_fires(violation_findings, path, rule, clause):
    hits = [f for f in violation_findings if f["path"] == path and f["rule"] == rule]
    assert hits, f"{rule} did not fire on {path}"
    if re.match(r"^\d", clause):
        assert any(f["clause"] == clause for f in hits), [f["clause"] for f in hits]
    for f in hits:
        assert f["line"] >= 1 and f["column"] >= 1 and f["message"]
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", f["message"]), "message must be Japanese"


def test_files_copied_from_the_clean_repo_stay_clean(violation_findings):
    clean_files = {p.relative_to(CLEAN).as_posix() for p in CLEAN.rglob("*") if p.is_file()}
    expected_files = {r[0] for r in ROWS}
    noisy = sorted({f["path"] for f in violation_findings if f["path"] in clean_files and f["path"] not in expected_files
                    and f["rule"] not in ("registry-stale",)})
    assert not noisy, noisy
