"""Item: every regular expression of a policy goes through the safety check, and a regex timeout
or an invalid pattern is exit 2 at the policy's line (never a silent pass, never a hang).

Covers the patterns of a rule of the generic kind ``pattern`` (written in a local policy; Ube's
policy has no regular-expression parameter since its section-head test became words, issue 11),
a regex parameter in an override of ``snspolicy.yaml``, invalid and over-long patterns, lexicon
entries that ``policy validate`` rejects (which ``lint`` used to drop silently), and a timeout at
run time.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest

from .helpers import ROOT, Box, cli, located, no_traceback, write

BUNDLED = ROOT / "policy" / "ube" / "2025-04-01"
PATTERN_RULES = "policy/local/rules/local.yaml"


def _local_policy(box: Box) -> Path:
    """A copy of the bundled policy inside the repo, named by an explicit path."""
    shutil.copytree(BUNDLED, box.repo / "policy" / "local")
    write(box.repo, "snspolicy.yaml", "policy: ./policy/local\nfail_on: error\n")
    return box.repo / "policy" / "local"


def _set_pattern(box: Box, pattern: str) -> int:
    """Add to the local policy a rule of kind ``pattern`` searching ``pattern`` in the posts;
    returns the line of its ``patterns:``."""
    main = box.repo / "policy" / "local" / "policy.yaml"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace("    - rules/workflow.yaml\n", "    - rules/workflow.yaml\n    - rules/local.yaml\n", 1),
                    encoding="utf-8")
    write(box.repo, PATTERN_RULES,
          "rules:\n"
          "  text-local-pattern:\n"
          "    kind: pattern\n"
          "    clause: \"6(11)\"\n"
          "    severity: error\n"
          "    title: {ja: 市の独自の語, en: Local words}\n"
          "    message: {ja: \"「{found}」\", en: \"{found}\"}\n"
          "    params:\n"
          f"      patterns: ['{pattern}']\n"
          "    doc: {why: {ja: テスト}, bad: x, good: y}\n")
    return 9


@pytest.mark.parametrize("pattern", ["^(a+)+$", "(?P<", "(a|aa)+$", "a" * 2001])
def test_bad_pattern_refuses_the_policy(box: Box, pattern: str) -> None:
    _local_policy(box)
    line = _set_pattern(box, pattern)
    post = box.repo / "posts/test-x/test-post.md"
    write(box.repo, "posts/test-x/test-post.md", post.read_text(encoding="utf-8").rstrip("\n") + "\n" + "a" * 36 + "b\n")
    started = time.monotonic()
    proc = cli("lint", str(box.repo))
    assert time.monotonic() - started < 60  # a backtracking pattern would hang here
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    out = located(proc.stdout, PATTERN_RULES, line)
    assert "patterns" in out and "正規表現" in out
    validate = cli("policy", "validate", cwd=box.repo)
    assert validate.returncode == 2
    located(validate.stdout, PATTERN_RULES, line)


def test_safe_pattern_is_accepted(box: Box) -> None:
    _local_policy(box)
    _set_pattern(box, "(課|室)長$|^市長$")
    proc = cli("lint", str(box.repo))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert cli("policy", "validate", cwd=box.repo).returncode == 0


def test_unsafe_pattern_in_override_points_at_snspolicy_yaml(box: Box) -> None:
    _local_policy(box)
    _set_pattern(box, "(課|室)長$")
    write(box.repo, "snspolicy.yaml",
          "policy: ./policy/local\n"
          "rules:\n"
          "  text-local-pattern:\n"
          "    reason: 本庁の語に合わせる\n"
          "    params:\n"
          "      patterns: ['^(a+)+$']\n")
    proc = cli("lint", str(box.repo), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2
    out = located(proc.stdout, "snspolicy.yaml", 6)
    assert "patterns" in out and "regular expression" in out
    validate = cli("policy", "validate", cwd=box.repo)
    assert validate.returncode == 2 and "snspolicy.yaml:6:" in validate.stdout


def test_unknown_override_parameter_of_a_kind_rule(box: Box) -> None:
    _local_policy(box)
    _set_pattern(box, "(課|室)長$")
    write(box.repo, "snspolicy.yaml",
          "policy: ./policy/local\n"
          "rules:\n"
          "  text-local-pattern:\n"
          "    reason: 本庁の語に合わせる\n"
          "    params:\n"
          "      patern: ['x']\n")
    proc = cli("lint", str(box.repo), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2
    out = located(proc.stdout, "snspolicy.yaml", 6)
    assert "patern" in out and "patterns" in out  # with the closest known name


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
    from snspolicy.rules.generic import KIND_IMPLS
    from snspolicy.text.regexsafe import RegexTimeout

    _local_policy(box)
    pattern = "(課|室)長$"
    line = _set_pattern(box, pattern)
    load_builtin_rules()
    impl = KIND_IMPLS["pattern"]

    def times_out(doc, ctx):  # type: ignore[no-untyped-def]
        raise RegexTimeout(f"regex {pattern!r} took longer than 0.25s")
        yield  # pragma: no cover

    monkeypatch.setitem(KIND_IMPLS, "pattern", dataclasses.replace(impl, func=times_out))
    done = run(LintRequest([box.repo], options=LintOptions(lang="en")))
    fatal = [f for f in done.result.findings if f.fatal]
    assert done.result.exit_code(done.setup.config.fail_on) == 2
    assert len(fatal) == 1
    f = fatal[0]
    assert (f.path, f.line) == (PATTERN_RULES, line), f
    assert "posts/test-x/test-post.md" in f.message and "text-local-pattern" in f.message
