"""Item: checks never stop silently. The secret scan has no silent cap on the number of files (the
repo listing itself stops a too-large repo with an exit-2 error); a lexicon regex that times out
on a post is exit 2 at the lexicon entry; a section-head expression cannot hang the run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, Box, cli, located, no_traceback, write

BUNDLED = ROOT / "policy" / "ube" / "2025-04-01"
CANARY = "gh" + "p_" + "Zq7Xw2Lm9Kd4Rt6Vb1Np8Hs3Jf5Gc0Ya1Ue7T"


# --------------------------------------------------------------------------- secret scan: no silent cap
def test_secret_scan_does_not_stop_after_a_number_of_files(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is scanned, however many (a small limit is patched in: the scan used to return
    silently after MAX_FILES_SCANNED files)."""
    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.rules import secret_rules

    monkeypatch.setattr(secret_rules, "MAX_FILES_SCANNED", 2, raising=False)
    names = [f"notes/n{i}.txt" for i in range(6)]
    for name in names:
        write(box.repo, name, f"token = {CANARY}\n")
    done = run(LintRequest([box.repo], options=LintOptions(lang="en")))
    found = {f.path for f in done.result.findings if f.rule == "secret-in-repo"}
    assert set(names) <= found, found
    assert done.result.exit_code(done.setup.config.fail_on) != 0
