"""The shape of the package (docs/architecture.md): small modules, import contracts kept."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "snspolicy"
LIMIT = 600


def test_no_module_over_600_lines_unless_it_says_why():
    big = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LIMIT:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if "must stay whole" not in doc:
            big.append(f"{path.relative_to(SRC)} ({text.count(chr(10))} lines)")
    assert not big, "split these modules or say in the docstring why each must stay whole: " + ", ".join(big)


def test_import_contracts_are_kept():
    """import-linter: layers only import downwards, rules are independent, git only in io, no cycles."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.fail("import-linter is not installed (pip install -e '.[test]')")
    proc = subprocess.run([exe, "--no-cache"], cwd=SRC.parents[1], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_rules_import_only_the_rule_api_domain_text_io_and_core():
    allowed = ("snspolicy.rules.api", "snspolicy.rules._text", "snspolicy.domain", "snspolicy.text", "snspolicy.io",
               "snspolicy.core", "snspolicy.policy")
    bad = []
    for path in sorted((SRC / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("snspolicy"):
                if not node.module.startswith(allowed) or node.module == "snspolicy.io.git":
                    bad.append(f"{path.name}: {node.module}")
    assert not bad, bad
