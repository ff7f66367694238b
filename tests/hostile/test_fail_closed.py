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


# --------------------------------------------------------------------------- lexicon regex timeout: exit 2
SLOW = r"(?:a|b)*a(?:a|b){20}c"  # passes the safety check, backtracks for seconds on "abab…"


def _local_policy(box: Box) -> Path:
    import shutil

    shutil.copytree(BUNDLED, box.repo / "policy" / "local")
    write(box.repo, "snspolicy.yaml", "policy: ./policy/local\nfail_on: error\n")
    return box.repo / "policy" / "local"


def test_lexicon_regex_timeout_is_exit_2_at_the_entry(box: Box) -> None:
    """A lexicon regex that times out on a post used to be skipped silently (exit 0): it is a
    fatal finding at the entry's pattern, naming the lexicon, the entry and the post."""
    policy = _local_policy(box)
    path = policy / "lexicons" / "defamation.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + f'  - id: slow-regex\n    match: regex\n    pattern: "{SLOW}"\n    category: insult\n'
                           '    clause: "6(1)"\n    severity: error\n'
                           '    examples: {match: [aaaaaaaaaaaaaaaaaaaaaac], no_match: [xyz]}\n', encoding="utf-8")
    post = box.repo / "posts/test-x/test-post.md"
    post.write_text(post.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "ab" * 2000 + "\n", encoding="utf-8")
    proc = cli("lint", str(box.repo), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    out = located(proc.stdout, "policy/local/lexicons/defamation.yaml", line + 2)  # the entry's pattern:
    assert "slow-regex" in out and "defamation" in out and "posts/test-x/test-post.md" in out, out
    assert proc.stdout.count("slow-regex") == 1, proc.stdout  # once, though several rules read the lexicon


# --------------------------------------------------------------------------- section heads: no hang
HEAD_CHECK = """
import sys
sys.path.insert(0, {src!r})
from snspolicy.domain.staff import HeadTitles, is_section_head
hostile = "a" * 40 + "b"
assert not is_section_head(hostile, HeadTitles("^(a+)+$"))
assert not is_section_head(hostile, HeadTitles("課長$", "^(a+)+$"))
assert not is_section_head("課長", HeadTitles("^(a|aa)+$"))
print("done")
"""


def test_backtracking_section_head_expression_is_refused_without_hanging() -> None:
    """``re.search`` ran the section-head expression with no check and no time limit: ``^(a+)+$``
    on a 41-character title took minutes. It now goes through the safe-regex check (accepts nothing)."""
    code = HEAD_CHECK.format(src=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and "done" in proc.stdout, proc.stderr


def test_section_head_search_timeout_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A section-head search that times out raises RegexTimeout (the engine makes it fatal, exit 2)."""
    from snspolicy.core.regexsafe import RegexTimeout, compile_safe
    from snspolicy.domain import staff

    staff._compiled.cache_clear()
    monkeypatch.setattr(staff, "compile_safe", lambda p: compile_safe(p, timeout=0.01))
    try:
        with pytest.raises(RegexTimeout):
            staff.is_section_head("ab" * 2000, staff.HeadTitles(r"(?:a|b)*a(?:a|b){20}c"))
    finally:
        staff._compiled.cache_clear()


def test_regex_syntax_in_section_head_words_is_literal_and_cannot_hang(box: Box) -> None:
    """The policy's section-head words are escaped (``^(a+)+$`` is a literal title ending): lint
    ends quickly and warns about the manager whose title does not end in a head's word."""
    policy = _local_policy(box)
    main = policy / "policy.yaml"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace("    endings: [課長,", "    endings: ['^(a+)+$', 課長,", 1), encoding="utf-8")
    account = box.repo / "accounts/test-x.yaml"
    account.write_text(account.read_text(encoding="utf-8").replace("title: 広報広聴課長", "title: " + "a" * 40 + "b"),
                       encoding="utf-8")
    proc = cli("lint", str(box.repo), "--lang", "en", timeout=120)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # fail_on: error; the finding is a warning
    assert "account-manager" in located(proc.stdout, "accounts/test-x.yaml", 7)
    assert cli("policy", "validate", cwd=box.repo).returncode == 0
