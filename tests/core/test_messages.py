"""The one message catalogue (snspolicy.core.messages): every code the source uses exists in
Japanese and English, every entry is used, and the two languages take the same parameters.

The source is scanned (``ast``) for the ways a code reaches the catalogue:

- ``messages.message("code", …)`` anywhere, ``UserError("code", …)``;
- the error classes of reading and loading: ``LoadError("code")``, ``ConfigError(path, span, "code")``,
  ``PolicyError(path, span, "code")``;
- the local shorthands that add a prefix: the reporters' ``t("key")`` / ``plural("key", n)``
  (``reporter.key``, ``reporter.key_pl``), codeowners' ``_t("key")`` and ``Fatal("key")``
  (``codeowners.key``), the rule catalogue's ``L["key"]`` and explain's ``label("key")`` (``docs.key`` / ``label.key``).

Some codes are made from data at run time (a schema validator's name, a password problem, a
rule's kind); :data:`FAMILIES` names, for each such prefix, the files whose string literals give
the possible suffixes.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from snspolicy.core import messages
from snspolicy.core.errors import UserError
from snspolicy.core.messages import CATALOGUE
from snspolicy.core.model import Severity

SRC = Path(__file__).resolve().parents[2] / "src" / "snspolicy"
CATALOGUE_DIR = SRC / "core" / "messages"

#: error classes whose constructor takes a message code, and the code's position
CODE_ARG = {"UserError": 0, "LoadError": 0, "ConfigError": 2, "PolicyError": 2, "GitError": 0}
#: shorthand lookups that prefix the code: (file glob relative to src/snspolicy, function name) -> prefix
SHORTHANDS = {
    ("reporters/*.py", "t"): "reporter.",
    ("reporters/*.py", "plural"): "reporter.",
    ("commands/codeowners.py", "_t"): "codeowners.",
    ("commands/codeowners.py", "Fatal"): "codeowners.",
    ("commands/codeowners.py", "Issue"): "codeowners.",
    ("reporters/explain.py", "label"): "label.",
}
#: codes computed at run time: prefix -> files whose string literals are the possible suffixes
FAMILIES = {
    "schema_": ["io/schemacheck.py"],
    "password.problem.": ["domain/password.py"],
    "docs.kind.": ["app/rule_docs.py"],
    "docs.": ["app/rule_docs.py", "commands/docs.py"],
    "label.": ["app/rule_docs.py", "reporters/explain.py"],
    "codeowners.": ["commands/codeowners.py"],
    "codeowners.level.": ["commands/codeowners.py"],
    "reporter.": ["reporters/*.py"],
}
#: a parameter only one language needs (English plurals)
ONE_LANGUAGE_PARAMS = {"reporter.files": {"what"}}


def _files(pattern: str = "**/*.py") -> list[Path]:
    return sorted(p for p in SRC.glob(pattern) if CATALOGUE_DIR not in p.parents)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _const(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def codes_used(files: list[Path], root: Path = SRC) -> dict[str, list[str]]:
    """Codes looked up with a literal, each with where (``file:line``)."""
    shorthand_files = {}
    for (pattern, func), prefix in SHORTHANDS.items():
        for p in root.glob(pattern):
            shorthand_files.setdefault(p, {})[func] = prefix
    found: dict[str, list[str]] = {}

    def add(code: str, path: Path, node: ast.AST) -> None:
        found.setdefault(code, []).append(f"{path.name}:{getattr(node, 'lineno', 0)}")

    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = shorthand_files.get(path, {})
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                first = _const(node.args[0]) if node.args else None
                if name == "message" and isinstance(node.func, ast.Attribute) and _name(node.func.value) == "messages" and first:
                    add(first, path, node)
                elif name in CODE_ARG:
                    pos = CODE_ARG[name]
                    code = _const(node.args[pos]) if len(node.args) > pos else None
                    code = code or next((_const(k.value) for k in node.keywords if k.arg == "code"), None)
                    if code:
                        add(code, path, node)
                elif name in local:
                    arg = _const(node.args[1]) if name == "Issue" and len(node.args) > 1 else first
                    if arg:
                        add(local[name] + arg, path, node)
                        if name == "plural":
                            add(local[name] + arg + "_pl", path, node)
            elif isinstance(node, ast.Subscript) and path.name == "rule_docs.py" and _name(node.value) == "L":
                key = _const(node.slice)
                if key:
                    from snspolicy.app.rule_docs import _SHARED_LABELS

                    add(("label." if key in _SHARED_LABELS else "docs.") + key, path, node)
    return found


def literals(files: list[Path]) -> set[str]:
    out: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            s = _const(node) if isinstance(node, ast.Constant) else None
            if s:
                out.add(s)
    return out


def test_every_code_used_in_the_source_exists_in_both_languages():
    used = codes_used(_files())
    missing = {code: where for code, where in used.items() if code not in CATALOGUE}
    assert not missing, f"codes used but not in the catalogue: {missing}"
    for code in used:
        entry = CATALOGUE[code]
        assert entry.get("ja", "").strip() and entry.get("en", "").strip(), code
    # the scan does see the lookups (a scan that finds nothing would pass vacuously)
    assert {"lint.progress", "cli.io_error", "reporter.count", "reporter.file_pl", "codeowners.no_roster",
            "label.clause", "docs.title", "registry.stale", "binary", "config_path_outside"} <= set(used)


def test_every_catalogue_entry_is_used():
    used = set(codes_used(_files()))
    lits = literals(_files())
    suffixes = {prefix: literals([p for pattern in pats for p in SRC.glob(pattern)]) for prefix, pats in FAMILIES.items()}
    suffixes["reporter."] |= {str(s) for s in Severity}  # plural(str(severity), …)

    def is_used(code: str) -> bool:
        if code in used or code in lits:
            return True
        for prefix, words in suffixes.items():
            rest = code[len(prefix):] if code.startswith(prefix) else None
            if rest and (rest in words or rest.removesuffix("_pl") in words):
                return True
        return False

    unused = sorted(code for code in CATALOGUE if not is_used(code))
    assert not unused, f"catalogue entries no code uses: {unused}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_both_languages_take_the_same_parameters(code):
    entry = CATALOGUE[code]
    assert set(entry) == {"ja", "en"}

    def fields(template: str) -> set[str]:
        parsed = list(string.Formatter().parse(template))  # raises on an unbalanced brace
        assert all(not spec and not conv for _, name, spec, conv in parsed if name is not None), template
        return {name for _, name, _, _ in parsed if name}

    assert fields(entry["ja"]) ^ fields(entry["en"]) <= ONE_LANGUAGE_PARAMS.get(code, set())


def test_the_scan_reports_an_unknown_code(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from snspolicy.core import messages\nmessages.message('no.such.code', 'ja')\n"
                   "raise UserError('neither.this', {})\n", encoding="utf-8")
    used = codes_used([bad], tmp_path)
    assert set(used) == {"no.such.code", "neither.this"}
    assert not set(used) & set(CATALOGUE)


def test_lookup_language_parameters_and_fallbacks():
    assert messages.message("lint.progress", "ja") == "検査中"
    assert messages.message("lint.progress", "en") == "checking"
    assert messages.message("lint.progress", "en_US") == "checking"
    assert messages.message("lint.progress", "fr") == "検査中"  # Japanese unless English is asked
    assert messages.message("no.such.code") == "no.such.code"
    assert messages.message("cli.io_error", "en", path="a.txt") == "Cannot read or write a.txt ({reason})"
    assert messages.message("schema_enum", "ja", allowed=["x", "y"]) == "使える値は x、y のいずれかです。"
    nested = UserError("file_missing")
    assert messages.message("account.unreadable", "en", reason=nested) == "The file does not exist. The file was not changed."
    assert messages.message("account.unreadable", "ja", reason=nested).startswith("ファイルがありません。")


def test_clause_headings_come_from_the_policy():
    """No clause table in the catalogue (issue 11): the headings are the policy's, given to the
    reporters in ReportContext.clauses."""
    from snspolicy.domain.vocabulary import clause_headings
    from snspolicy.policy.model import load
    from snspolicy.reporters._strings import clause_name

    pol = load("ube/2025-04-01")
    ja, en = clause_headings(pol, "ja"), clause_headings(pol, "en")
    assert clause_name("6(5)", ja) == "職務上の秘密・個人情報"
    assert clause_name("６（５）", en) == "Confidential and personal information"
    assert clause_name("6(1)(2)", en) == "Defamation"
    assert clause_name("1", ja) == "目的"  # no heading: the clause's title
    assert clause_name("99", ja) == "" and clause_name("6(5)", {}) == ""
    assert not hasattr(messages, "CLAUSE_NAMES") and not hasattr(messages, "clause_name")
