"""The command line's structure: lazily loaded commands, commands that return their exit status,
and the one error boundary in snspolicy.cli (user errors, OSError, bugs, Ctrl-C, a closed pipe)."""

from __future__ import annotations

import ast
import errno
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import CLEAN, ROOT, TODAY

from snspolicy.cli import COMMANDS, error_text, main
from snspolicy.core.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UserError
from snspolicy.core.model import Span

SRC = ROOT / "src" / "snspolicy"


def invoke(*args: str, env: dict[str, str] | None = None) -> click.testing.Result:
    base = {"SNSPOLICY_LANG": "", "SNSPOLICY_TODAY": TODAY, "SNSPOLICY_DEBUG": ""}
    return CliRunner().invoke(main, list(args), env={**base, **(env or {})})


def _loaded_after(code: str) -> list[str]:
    script = ("import json, sys\n" + code +
              "\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith('snspolicy.commands.'))))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=CLEAN,
                         env={"PATH": "", "SNSPOLICY_TODAY": TODAY, "PYTHONPATH": str(SRC.parent), "SNSPOLICY_NO_CACHE": "1"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- lazy commands


def test_importing_the_cli_imports_no_command():
    assert _loaded_after("import snspolicy.cli") == ["snspolicy.commands._options"]


def test_lint_imports_only_lint():
    code = "from snspolicy.cli import main\ntry:\n    main(['lint', '-f', 'json'])\nexcept SystemExit:\n    pass"
    assert _loaded_after(code) == ["snspolicy.commands._options", "snspolicy.commands.lint"]
    code = "from snspolicy.cli import main\ntry:\n    main(['rules', '-f', 'json'])\nexcept SystemExit:\n    pass"
    assert _loaded_after(code) == ["snspolicy.commands._options", "snspolicy.commands.rules"]


def test_help_lists_every_command():
    r = invoke("--help")
    assert r.exit_code == 0
    listed = [line.split()[0] for line in r.output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_entry_is_a_click_command_of_that_name(name):
    cmd = main.get_command(click.Context(main), name)
    assert isinstance(cmd, click.Command) and cmd.name == name


def test_unknown_command_gets_a_suggestion():
    r = invoke("lnt")
    assert r.exit_code == EXIT_USAGE and "lint" in r.output


def test_no_sys_exit_and_no_cli_imports_in_the_commands():
    """Commands return their status; only the boundary ends the process (through click)."""
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "exit" and getattr(node.value, "id", "") == "sys":
                pytest.fail(f"sys.exit in {path.relative_to(SRC)}:{node.lineno}")
            if path.parent.name == "commands" and isinstance(node, ast.ImportFrom) and node.module == "snspolicy.cli":
                pytest.fail(f"{path.name} imports snspolicy.cli")


# --------------------------------------------------------------------------- exit status from the return value


def test_the_returned_status_is_the_exit_status(tmp_path):
    copies = tmp_path / "schemas"
    copies.mkdir()
    assert invoke("schema", "--check", "--copy-to", str(copies)).exit_code == EXIT_FINDINGS
    assert invoke("schema", "--copy-to", str(copies)).exit_code == EXIT_OK
    assert invoke("schema", "--check", "--copy-to", str(copies)).exit_code == EXIT_OK


# --------------------------------------------------------------------------- user errors


def test_user_error_in_the_language_of_the_command():
    r = invoke("explain", "no-such-rule", "--lang", "en")
    assert r.exit_code == EXIT_USAGE
    assert r.stderr == "No rule 'no-such-rule'. See `snspolicy rules`.\n" and r.stdout == ""
    r = invoke("explain", "no-such-rule")
    assert r.exit_code == EXIT_USAGE and r.stderr.startswith("ルール「no-such-rule」はありません。")
    r = invoke("explain", "no-such-rule", env={"SNSPOLICY_LANG": "en"})
    assert r.stderr.startswith("No rule")
    r = invoke("explain", "no-such-rule", env={"SNSPOLICY_LANG": "fr"})
    assert r.stderr.startswith("ルール")


def test_located_user_error(tmp_path, monkeypatch):
    (tmp_path / "snspolicy.yaml").write_text("policy: ube/2025-04-01\nfail_on: high\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = invoke("docs", "--no-plugins", "--lang", "en")
    assert r.exit_code == EXIT_USAGE and r.stdout == ""
    assert r.stderr.startswith("snspolicy.yaml:2:10: fail_on: The value must be one of")


def test_error_text_forms():
    assert error_text(UserError("explain.no_rule", {"rule": "x"}), "en") == "No rule 'x'. See `snspolicy rules`."
    assert error_text(UserError("init.not_a_directory", path="a/b"), "en") == "a/b: not a directory."
    assert error_text(UserError("file_missing", path="p.md", span=Span(3, 4)), "ja") == "p.md:3:4: ファイルがありません。"
    assert error_text(UserError("file_missing", path="."), "en") == "The file does not exist."


def test_date_options_read_yyyy_mm_dd_and_the_environment(tmp_path):
    r = invoke("lint", str(CLEAN), "--today", "2025/06/01")
    assert r.exit_code == EXIT_USAGE and "--today" in r.output and "YYYY-MM-DD" in r.output
    r = invoke("lint", str(CLEAN), env={"SNSPOLICY_TODAY": "someday"})
    assert r.exit_code == EXIT_USAGE and "--today" in r.output


def test_unwritable_report_file_is_a_user_error(tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    target = tmp_path / "a-file" / "report.txt"  # its folder is a file
    r = invoke("lint", str(CLEAN), "-o", str(target), "--lang", "en")
    assert r.exit_code == EXIT_USAGE and "Traceback" not in r.output
    assert r.stderr.startswith(f"Cannot write {target} (") and "Check that the folder exists" in r.stderr


# --------------------------------------------------------------------------- the last line of defence


def _raise_in_rules(monkeypatch, exc: BaseException) -> None:
    import snspolicy.commands.rules as rules_cmd

    def boom(_ref: str | None) -> None:
        raise exc

    monkeypatch.setattr(rules_cmd, "policy_here", boom)


def test_a_bug_is_a_short_message_and_exit_2(monkeypatch):
    _raise_in_rules(monkeypatch, RuntimeError("secret detail"))
    r = invoke("rules", "--lang", "en")
    assert r.exit_code == EXIT_USAGE
    assert r.stderr.startswith("Internal error (RuntimeError). This is a bug in snspolicy")
    assert "secret detail" not in r.output and "Traceback" not in r.output


def test_debug_shows_the_exception(monkeypatch):
    _raise_in_rules(monkeypatch, RuntimeError("boom"))
    r = invoke("rules", env={"SNSPOLICY_DEBUG": "1"})
    assert isinstance(r.exception, RuntimeError)


def test_os_error_names_the_file_the_user_asked_for(monkeypatch):
    _raise_in_rules(monkeypatch, PermissionError(errno.EACCES, "Permission denied", "/data/out/.report.txt.a1b2c3d4.tmp"))
    r = invoke("rules", "--lang", "en")
    assert r.exit_code == EXIT_USAGE
    assert r.stderr == "Cannot read or write /data/out/report.txt (Permission denied)\n"


def test_ctrl_c_exits_130(monkeypatch):
    _raise_in_rules(monkeypatch, KeyboardInterrupt())
    r = invoke("rules", "--lang", "en")
    assert r.exit_code == EXIT_INTERRUPTED and "Interrupted." in r.stderr and "Aborted" not in r.output


@pytest.mark.skipif(sys.platform == "win32", reason="SIGPIPE semantics")
def test_a_closed_pipe_is_quiet():
    proc = subprocess.Popen([sys.executable, "-m", "snspolicy", "docs", "--no-plugins"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `snspolicy docs | head -1`
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=120)
    assert "Traceback" not in err and "内部エラー" not in err and "Internal error" not in err
    assert proc.returncode in (0, 1, 120)
