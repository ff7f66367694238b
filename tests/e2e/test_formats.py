"""End-to-end: ``snspolicy lint -f sarif|github|markdown|junit`` on the violating example repo.

Each format is produced by the real CLI and checked against its own definition:
SARIF against the official SARIF 2.1.0 schema (vendored in ``tests/data/sarif``) plus
GitHub code scanning's requirements, GitHub workflow commands with the escaping
of the Actions toolkit, Markdown grouped by clause, JUnit with an XML parser.
Every format must report exactly the findings of ``-f json``.

The repo is a copy of ``examples/ube-city-posts-violations`` plus one post whose
file name and ``account`` value contain characters each format must escape
(``% , :`` a newline, ``< & ]]>`` and a control character).
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ROOT, VIOLATIONS, WITHOUT_CACHE, run_cli, write

SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.errata01.draft04.json"
ODD_PATH = "posts/ube-city-x/2025/2025-05-01-50%off,sale:a.md"
ODD_POST = (
    "---\n"
    "id: 2025-05-01-odd\n"
    'account: "no\\nsuch,acc:100%<&]]>\\u0001"\n'
    "status: draft\n"
    "category: civic\n"
    'author: {employee_id: "200202"}\n'
    "---\n"
    "本文です。\n"
    "設定メモ token: ghp_Q7r8A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6\n"  # a canary secret: must never be printed
)
FORMATS = ("json", "sarif", "github", "markdown", "junit")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("formats") / "violations"
    shutil.copytree(VIOLATIONS, root, symlinks=True, ignore=WITHOUT_CACHE)
    write(root, ODD_PATH, ODD_POST)
    return root


@pytest.fixture(scope="module")
def outputs(repo: Path) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        r = run_cli("lint", str(repo), "-f", fmt)
        assert r.returncode == 1, f"{fmt}: exit {r.returncode}\n{r.stderr}"
        assert "Traceback" not in r.stderr
        out[fmt] = r.stdout
    return out


@pytest.fixture(scope="module")
def findings(outputs) -> list[dict]:
    data = json.loads(outputs["json"])
    assert len(data) >= 10, "the violating example should give many findings"
    assert any(f["path"] == ODD_PATH for f in data)
    return data


def _key(f: dict) -> tuple:
    return (f["path"], f["line"], f["column"], f["rule"])


def _secrets(repo: Path) -> set[str]:
    """Token-looking values written into the violating example (they must never be printed)."""
    found = set()
    for p in repo.rglob("*"):
        if p.is_file() and p.suffix in (".yaml", ".md", ".csv"):
            text = p.read_text(encoding="utf-8", errors="replace")
            found.update(re.findall(r"\b(?:ghp|github_pat|xox[bp]|AKIA)[A-Za-z0-9_\-]{12,}", text))
    return found


# ------------------------------------------------------------------------------ SARIF


@pytest.fixture(scope="module")
def sarif(outputs) -> dict:
    return json.loads(outputs["sarif"])


def test_sarif_validates_against_the_official_schema(sarif):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_meets_github_code_scanning_requirements(sarif):
    assert sarif["$schema"].startswith("https://")
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "snspolicy"
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert r[key]["text"].strip(), (r["id"], key)
    results = run["results"]
    assert 0 < len(results) <= 25_000
    hashes = []
    for res in results:
        assert res["message"]["text"].strip()
        assert res["ruleId"] in ids
        if "ruleIndex" in res:
            assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"]
        region = loc["region"]
        for key in ("startLine", "startColumn", "endLine", "endColumn"):
            assert isinstance(region[key], int) and region[key] >= 1, (res["ruleId"], region)
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        h = res["partialFingerprints"]["primaryLocationLineHash"]
        assert h
        hashes.append(h)
    assert len(hashes) == len(set(hashes)), "two alerts share a fingerprint"


def test_sarif_results_are_the_json_findings(sarif, findings):
    got = Counter()
    for res in sarif["runs"][0]["results"]:
        if res.get("suppressions"):
            continue
        loc = res["locations"][0]["physicalLocation"]
        got[(unquote(loc["artifactLocation"]["uri"]), loc["region"]["startLine"], loc["region"]["startColumn"], res["ruleId"])] += 1
    assert got == Counter(_key(f) for f in findings)
    uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for res in sarif["runs"][0]["results"]}
    odd = [u for u in uris if unquote(u) == ODD_PATH]
    assert odd and "," not in odd[0] and ":" not in odd[0]  # percent-encoded URI reference


def test_sarif_fingerprints_are_stable_across_runs_and_line_moves(repo, sarif, tmp_path):
    def by_key(doc):
        out = {}
        for res in doc["runs"][0]["results"]:
            loc = res["locations"][0]["physicalLocation"]
            out[(unquote(loc["artifactLocation"]["uri"]), res["ruleId"], res["message"]["text"])] = (
                loc["region"]["startLine"], res["partialFingerprints"]["primaryLocationLineHash"])
        return out

    again = run_cli("lint", str(repo), "-f", "sarif")
    assert json.loads(again.stdout)["runs"][0]["results"] == sarif["runs"][0]["results"]

    moved = tmp_path / "moved"
    shutil.copytree(repo, moved, symlinks=True)
    before = by_key(sarif)
    target = next(k for k in before if k[0].startswith("accounts/"))
    path = moved / target[0]
    path.write_text("# 追加したコメント行\n# もう 1 行\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = by_key(json.loads(run_cli("lint", str(moved), "-f", "sarif").stdout))
    for key, (line, fp) in before.items():
        if key[0] == target[0]:
            assert after[key][0] == line + 2, key
        assert after[key][1] == fp, f"fingerprint changed for {key}"


# ------------------------------------------------------------------------------ GitHub

_CMD = re.compile(r"^::(?P<cmd>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape_data(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_prop(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def _annotations(text: str) -> list[dict]:
    out = []
    for line in text.splitlines():
        if not line.startswith("::"):
            continue
        m = _CMD.match(line)
        assert m, f"not a workflow command: {line!r}"
        assert "\r" not in line
        props = {}
        for part in (m.group("props") or "").split(","):
            if part:
                k, _, v = part.partition("=")
                # a property value never holds a raw ',' or ':', and every '%' starts an escape
                assert re.fullmatch(r"(?:[^%,:]|%25|%0D|%0A|%3A|%2C)*", v), v
                props[k] = _unescape_prop(v)
        assert re.fullmatch(r"(?:[^%]|%25|%0D|%0A)*", m.group("data")), m.group("data")
        out.append({"cmd": m.group("cmd"), **props, "message": _unescape_data(m.group("data"))})
    return out


def test_github_annotations_are_escaped_workflow_commands(outputs, findings):
    anns = _annotations(outputs["github"])
    level = {"error": "error", "warning": "warning", "info": "notice"}
    got = Counter((a["file"], int(a["line"]), a["cmd"], a["message"]) for a in anns)
    want = Counter((f["path"], f["line"], level[f["severity"]], f["message"]) for f in findings)
    assert got == want
    by_place = {(f["path"], f["line"], f["message"]): f for f in findings}
    for a in anns:  # columns only on one-line ranges (GitHub ignores them otherwise)
        f = by_place[(a["file"], int(a["line"]), a["message"])]
        if "col" in a:
            assert int(a["col"]) == f["column"] and f["end_line"] == f["line"]
    odd = [a for a in anns if a["file"] == ODD_PATH]
    assert odd and any("\n" in a["message"] for a in odd)  # the newline in the value survives the round trip
    for a in anns:
        assert int(a["endLine"]) >= int(a["line"])
        assert a.get("title")


# ------------------------------------------------------------------------------ Markdown

_ROW = re.compile(r"^\| `(?P<where>[^`]+)` \| (?P<level>[^|]+) \| `(?P<rule>[^`]+)` \| (?P<msg>.*) \|$")
_HEAD = re.compile(r"^(?:<summary>|#{2,6} )ガイドライン (?P<clause>[^ （<]+)")


def test_markdown_summary_groups_findings_by_clause_in_japanese(outputs, findings):
    md = outputs["markdown"]
    assert len(md.encode("utf-8")) < 1024 * 1024  # GitHub's limit for a job summary
    assert re.search(r"[ぁ-んァ-ン一-龥]", md.splitlines()[0])  # a Japanese heading
    assert "❌" in md
    clause = None
    order = []
    got = Counter()
    for line in md.splitlines():
        h = _HEAD.match(line)
        if h:
            clause = h.group("clause")
            order.append(clause)
            continue
        m = _ROW.match(line)
        if m:
            path, _, lineno = m.group("where").rpartition(":")
            got[(path.replace("\\|", "|"), int(lineno), m.group("rule"), clause)] += 1
    want = Counter((f["path"], f["line"], f["rule"], f["clause"]) for f in findings)
    assert got == want
    assert len(order) == len(set(order)), "a clause appears in two groups"

    def key(c: str) -> tuple:
        nums = [int(n) for n in re.findall(r"\d+", c)]
        return (0, nums) if nums else (1, [])

    assert order == sorted(order, key=key), "groups are not in the guideline's order"
    assert "<script" not in md and "&lt;&amp;" in md  # the value from the file is escaped, not HTML


def test_markdown_for_a_clean_repo_says_so(clean_repo):
    r = run_cli("lint", str(clean_repo), "-f", "markdown")
    assert r.returncode == 0, r.stderr
    assert "✅" in r.stdout and "| `" not in r.stdout


# ------------------------------------------------------------------------------ JUnit


def test_junit_is_well_formed_and_counts_match(outputs, findings):
    root = ET.fromstring(outputs["junit"].encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert suites
    total_tests = total_failures = 0
    text = []
    for suite in suites:
        cases = suite.findall("testcase")
        fails = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) + int(suite.get("errors", "0")) == len(fails)
        total_tests += len(cases)
        total_failures += len(fails)
        for c in cases:
            assert c.get("name") and c.get("classname")
            text.extend(el.text or "" for el in c.iter() if el.tag in ("failure", "error", "system-out"))
    assert int(root.get("tests")) == total_tests
    assert int(root.get("failures")) + int(root.get("errors", "0")) == total_failures
    joined = "\n".join(text)
    failing_files = {f["path"] for f in findings if f["severity"] == "error"}
    assert total_failures == len(failing_files)
    for f in findings:
        if f["severity"] == "error":
            assert f"{f['path']}:{f['line']}:{f['column']}" in joined and f"[{f['rule']}]" in joined, _key(f)


# ------------------------------------------------------------------------------ all formats


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_prints_a_secret(repo, outputs, fmt):
    secrets = _secrets(repo)
    assert "ghp_Q7r8A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6" in secrets
    for s in secrets:
        assert s not in outputs[fmt]


# ------------------------------------------------------------------------------ one run, many outputs


def test_one_run_gives_the_same_findings_in_every_output(repo, outputs, findings, tmp_path):
    """``-f json -f sarif:… -f gitlab:… -f github:…``: one analysis, the same findings in each rendering,
    and each file exactly what a run of that format alone prints."""
    sarif_file, gitlab_file, github_file = tmp_path / "r.sarif", tmp_path / "gl.json", tmp_path / "annotations.txt"
    r = run_cli("lint", str(repo), "-f", "json", "-f", f"sarif:{sarif_file}", "-f", f"gitlab:{gitlab_file}",
                "-f", f"github:{github_file}")
    assert r.returncode == 1, r.stderr
    one = json.loads(r.stdout)
    assert Counter(_key(f) for f in one) == Counter(_key(f) for f in findings)
    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    got = Counter()
    for res in sarif["runs"][0]["results"]:
        if res.get("suppressions"):
            continue
        loc = res["locations"][0]["physicalLocation"]
        got[(unquote(loc["artifactLocation"]["uri"]), loc["region"]["startLine"], loc["region"]["startColumn"],
             res["ruleId"])] += 1
    assert got == Counter(_key(f) for f in one)
    gitlab = json.loads(gitlab_file.read_text(encoding="utf-8"))
    assert Counter((g["location"]["path"], g["location"]["lines"]["begin"], g["check_name"]) for g in gitlab) == \
        Counter((f["path"], f["line"], f["rule"]) for f in one)
    anns = _annotations(github_file.read_text(encoding="utf-8"))
    assert Counter((a["file"], int(a["line"])) for a in anns) == Counter((f["path"], f["line"]) for f in one)
    assert sarif_file.read_text(encoding="utf-8") == outputs["sarif"]
    assert github_file.read_text(encoding="utf-8") == outputs["github"]
