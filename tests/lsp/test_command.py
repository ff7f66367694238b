"""`snspolicy lsp`: registered, optional (pygls imported only when it runs), fails closed without pygls."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from conftest import ROOT
from snspolicy.cli import main


def test_lsp_is_a_command():
    res = CliRunner().invoke(main, ["lsp", "--help"])
    assert res.exit_code == 0 and "--debounce-ms" in res.output and "docs/editors.md" in res.output


def test_without_pygls_it_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygls", None)  # `import pygls` now fails as if not installed
    res = CliRunner().invoke(main, ["lsp"])
    assert res.exit_code == 2
    assert "pip install 'snspolicy[lsp]'" in res.output and "pygls が必要です" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(main, ["lsp", "--lang", "en"])
    assert res.exit_code == 2 and "needs pygls" in res.output


def test_other_commands_do_not_import_the_server():
    code = ("import sys; from snspolicy.cli import main\n"
            "try:\n    main(['rules'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol') or m.startswith('snspolicy.lsp')))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
