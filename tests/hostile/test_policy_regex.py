"""Item: every regular expression of a policy goes through the safety check, and a regex timeout
or an invalid pattern is exit 2 at the policy's line (never a silent pass, never a hang).

Covers ``account-manager``'s title patterns (in the policy and in an override of
``snspolicy.yaml``), invalid and over-long patterns, lexicon entries that ``policy validate``
rejects (which ``lint`` used to drop silently), and a timeout at run time.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest

from .helpers import ROOT, Box, cli, located, no_traceback, write

BUNDLED = ROOT / "policy" / "ube" / "2025-04-01"
ACCOUNTS_RULES = "policy/local/rules/accounts.yaml"


def _local_policy(box: Box) -> Path:
    """A copy of the bundled policy inside the repo, named by an explicit path."""
    shutil.copytree(BUNDLED, box.repo / "policy" / "local")
    write(box.repo, "snspolicy.yaml", "policy: ./policy/local\nfail_on: error\n")
    return box.repo / "policy" / "local"


def _set_title_pattern(box: Box, pattern: str) -> int:
    """Put ``pattern`` as account-manager's head_title_pattern; returns its line."""
    path = box.repo / ACCOUNTS_RULES
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.strip().startswith("head_title_pattern:"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = f"{indent}head_title_pattern: '{pattern}'"
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError("no head_title_pattern in the policy")


@pytest.mark.parametrize("pattern", ["^(a+)+$", "(?P<", "(a|aa)+$", "a" * 2001])
def test_bad_title_pattern_refuses_the_policy(box: Box, pattern: str) -> None:
    _local_policy(box)
    line = _set_title_pattern(box, pattern)
    write(box.repo, "accounts/test-x.yaml",
          (box.repo / "accounts/test-x.yaml").read_text(encoding="utf-8").replace("title: 広報広聴課長", "title: " + "a" * 36 + "b"))
    started = time.monotonic()
    proc = cli("lint", str(box.repo))
    assert time.monotonic() - started < 60  # a backtracking pattern would hang here
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    out = located(proc.stdout, ACCOUNTS_RULES, line)
    assert "head_title_pattern" in out and "正規表現" in out
    validate = cli("policy", "validate", cwd=box.repo)
    assert validate.returncode == 2
    located(validate.stdout, ACCOUNTS_RULES, line)


def test_safe_title_pattern_is_accepted(box: Box) -> None:
    _local_policy(box)
    _set_title_pattern(box, "(課|室)長$|^市長$")
    proc = cli("lint", str(box.repo))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert cli("policy", "validate", cwd=box.repo).returncode == 0


def test_unsafe_pattern_in_override_points_at_snspolicy_yaml(box: Box) -> None:
    write(box.repo, "snspolicy.yaml",
          "policy: ube/2025-04-01\n"
          "rules:\n"
          "  account-manager:\n"
          "    reason: 本庁の職名に合わせる\n"
          "    params:\n"
          "      head_title_pattern: '^(a+)+$'\n")
    proc = cli("lint", str(box.repo), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2
    out = located(proc.stdout, "snspolicy.yaml", 6)
    assert "head_title_pattern" in out and "regular expression" in out
    validate = cli("policy", "validate", cwd=box.repo)
    assert validate.returncode == 2 and "snspolicy.yaml:6:" in validate.stdout


def _add_lexicon_entry(policy: Path, entry: str) -> int:
    """Append an entry to the defamation lexicon; returns the line of its ``- id:``."""
    path = policy / "lexicons" / "defamation.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + entry, encoding="utf-8")
    return line


@pytest.mark.parametrize("entry", [
    '  - id: evil-regex\n    match: regex\n    pattern: "(a+)+$"\n    category: insult\n    clause: "6(1)"\n',
    '  - id: open-group\n    match: regex\n    pattern: "(?P<"\n    category: insult\n    clause: "6(1)"\n',
    '  - id: long-regex\n    match: regex\n    pattern: "' + "a" * 2100 + '"\n    category: insult\n    clause: "6(1)"\n',
    '  - id: no-terms\n    match: token\n    category: insult\n    clause: "6(1)"\n',
])
def test_lexicon_entry_validate_rejects_makes_lint_exit_2(box: Box, entry: str) -> None:
    policy = _local_policy(box)
    line = _add_lexicon_entry(policy, entry)
    proc = cli("lint", str(box.repo))
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    out = located(proc.stdout, "policy/local/lexicons/defamation.yaml", line)
    assert "defamation" in out
    validate = cli("policy", "validate", cwd=box.repo)
    assert validate.returncode == 2
    assert validate.stdout.count("lexicons/defamation.yaml:") == 1  # reported once, located


def test_regex_timeout_is_fatal_at_the_policy_line(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern that passes the check but times out on some text stops the run (exit 2) at the
    pattern's line in the policy, naming the file that could not be checked."""
    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.engine.registry import load_builtin_rules
    from snspolicy.rules.api import REGISTRY
    from snspolicy.text.regexsafe import RegexTimeout

    _local_policy(box)
    pattern = "(課|室)長$"
    line = _set_title_pattern(box, pattern)
    load_builtin_rules()
    impl = REGISTRY["account-manager"]

    def times_out(doc, ctx):  # type: ignore[no-untyped-def]
        raise RegexTimeout(f"regex {pattern!r} took longer than 0.25s")
        yield  # pragma: no cover

    monkeypatch.setitem(REGISTRY, "account-manager", dataclasses.replace(impl, func=times_out))
    done = run(LintRequest([box.repo], options=LintOptions(lang="en")))
    fatal = [f for f in done.result.findings if f.fatal]
    assert done.result.exit_code(done.setup.config.fail_on) == 2
    assert len(fatal) == 1
    f = fatal[0]
    assert (f.path, f.line) == (ACCOUNTS_RULES, line), f
    assert "accounts/test-x.yaml" in f.message and "account-manager" in f.message
