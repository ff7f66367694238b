"""GitLab Code Quality report: the documented format (schema written from GitLab's docs, vendored
beside this file), fingerprints that survive line moves and stay distinct for duplicates, paths
relative to the repo root, masked messages only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from snspolicy.core.model import Finding, ReportContext, Severity
from snspolicy.reporters import gitlab as gitlab_mod
from snspolicy.reporters import render
from tests.conftest import WITHOUT_CACHE

from .conftest import make_finding

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCHEMA = HERE / "gitlab-codequality.schema.json"
VIOLATIONS = ROOT / "examples" / "ube-city-posts-violations"


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def report(findings: list[Finding], ctx: ReportContext, **kw: Any) -> list[dict[str, Any]]:
    return json.loads(render("gitlab", findings, ctx, **kw))


def errors(validator: Any, doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def _sample() -> list[Finding]:
    return [
        make_finding(),
        make_finding(path="posts/2025/b.md", line=2, end_line=4, rule="category-list", clause="3(4)",
                     severity=Severity.WARNING, message="分類を選んでください"),
        make_finding(path="accounts/ube-city-x.yaml", line=10, rule="twofa-method", clause="4(2)",
                     severity=Severity.INFO, message="SMS より認証アプリを推奨します"),
        make_finding(path="posts/broken.md", line=1, rule="load", clause="-", message="読めません", fatal=True),
        make_finding(line=30, waived=True, waiver_reason="課長が承認"),
    ]


def test_validates_against_the_documented_format(validator: Any, ctx: ReportContext) -> None:
    out = report(_sample(), ctx)
    assert errors(validator, out) == []
    assert len(out) == 4  # the waived finding is left out
    assert errors(validator, report(_sample(), ctx, show_waived=True)) == []
    assert report([], ctx) == []


def test_schema_rejects_what_gitlab_would_not_read(validator: Any, ctx: ReportContext) -> None:
    good = report([make_finding()], ctx)[0]
    bad_cases = []
    for mutate in (
        lambda d: d.update(severity="error"),
        lambda d: d.pop("fingerprint"),
        lambda d: d.pop("check_name"),
        lambda d: d["location"].update(path="./posts/a.md"),
        lambda d: d["location"].update(path="/home/someone/posts/a.md"),
        lambda d: d["location"].pop("lines"),
        lambda d: d["location"]["lines"].update(begin=0),
    ):
        d = json.loads(json.dumps(good))
        mutate(d)
        bad_cases.append(d)
    for d in bad_cases:
        assert errors(validator, [d]), d
    assert errors(validator, good)  # an object, not an array


def test_fields(ctx: ReportContext) -> None:
    out = report(_sample(), ctx)
    first = out[0]  # accounts/… sorts first
    assert first["check_name"] == "twofa-method" and first["severity"] == "info"
    assert first["location"] == {"path": "accounts/ube-city-x.yaml", "lines": {"begin": 10}}
    by_rule = {d["check_name"]: d for d in out}
    assert by_rule["pii-phone"]["severity"] == "major"
    assert by_rule["category-list"]["severity"] == "minor"
    assert by_rule["category-list"]["location"]["lines"] == {"begin": 2, "end": 4}
    assert by_rule["load"]["severity"] == "blocker"
    assert by_rule["pii-phone"]["description"] == "個人の電話番号 090-****-**** を削除してください"
    waived = [d for d in report(_sample(), ctx, show_waived=True) if "例外として承認済み" in d["description"]]
    assert len(waived) == 1 and waived[0]["severity"] == "info" and "課長が承認" in waived[0]["description"]
    for d in out:
        assert len(d["fingerprint"]) == 32 and int(d["fingerprint"], 16) >= 0


def test_fingerprint_ignores_the_line_and_separates_duplicates(ctx: ReportContext) -> None:
    one = report([make_finding(line=3)], ctx)[0]["fingerprint"]
    moved = report([make_finding(line=40, column=1, end_line=40, end_column=5)], ctx)[0]["fingerprint"]
    assert one == moved
    twice = report([make_finding(line=3), make_finding(line=9)], ctx)
    assert twice[0]["fingerprint"] == one and twice[1]["fingerprint"] != one
    # both move down together: same two fingerprints
    later = report([make_finding(line=13), make_finding(line=19)], ctx)
    assert [d["fingerprint"] for d in later] == [d["fingerprint"] for d in twice]
    # another rule, file or message is another fingerprint
    assert report([make_finding(rule="pii-email")], ctx)[0]["fingerprint"] != one
    assert report([make_finding(path="posts/2025/z.md")], ctx)[0]["fingerprint"] != one


def test_paths_relative_to_the_repo_root(tmp_path: Path, ctx: ReportContext) -> None:
    ctx.root = str(tmp_path)
    inside = str(tmp_path / "posts" / "a.md")
    out = report([make_finding(path=inside), make_finding(path="./posts/b.md"),
                  make_finding(path="/elsewhere/private/c.md"), make_finding(path="")], ctx)
    paths = sorted(d["location"]["path"] for d in out)
    assert paths == [".", "c.md", "posts/a.md", "posts/b.md"]
    assert gitlab_mod.report_path("C:\\Users\\someone\\x.md") == "x.md"


def test_real_run_validates_and_fingerprints_survive_a_line_move(tmp_path: Path, validator: Any) -> None:
    from .example_run import lint_repo

    repo = tmp_path / "violations"
    shutil.copytree(VIOLATIONS, repo, symlinks=True, ignore=WITHOUT_CACHE)
    findings, ctx = lint_repo(repo, documents=False)
    before = report(findings, ctx)
    assert errors(validator, before) == []
    assert len(before) == len(findings) > 40
    fps = [d["fingerprint"] for d in before]
    assert len(set(fps)) == len(fps), "every finding needs its own fingerprint (GitLab drops duplicates)"
    assert all(not d["location"]["path"].startswith(("/", "./")) for d in before)
    assert not any(str(repo) in json.dumps(d, ensure_ascii=False) for d in before)

    # insert three lines at the top of a post's body: its findings move, their fingerprints stay
    post = repo / "posts" / "ube-city-x" / "2026" / "2026-05-11-gomi-app.md"
    text = post.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    post.write_text(head + sep + "（前書き）\n\n\n" + body, encoding="utf-8")
    after = report(lint_repo(repo, documents=False)[0], ctx)
    rel = "posts/ube-city-x/2026/2026-05-11-gomi-app.md"
    old = {d["fingerprint"]: d["location"]["lines"]["begin"] for d in before if d["location"]["path"] == rel}
    new = {d["fingerprint"]: d["location"]["lines"]["begin"] for d in after if d["location"]["path"] == rel}
    assert old and old.keys() == new.keys()
    assert all(new[k] == old[k] + 3 for k in old)
    assert {d["fingerprint"] for d in before} == {d["fingerprint"] for d in after}
