"""The text rules on the test corpora, through the real engine.

``tests/corpus/clean_announcements.yaml`` holds realistic municipal announcements
that must produce no error-level finding; ``tests/corpus/violations.yaml`` holds
violating sentences, each of which must be reported by its rule with its clause.
Each corpus item becomes one post of a temporary posts repo with one account per
platform, and the whole repo is linted once with the bundled policy.

Run with ``-s`` to see the counts.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import account_yaml
import yaml

from snspolicy.app import setup as runner

from snspolicy.app.lint import lint_setup
from snspolicy.core.model import Severity

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
TODAY = dt.date(2025, 6, 1)
PLATFORMS = ("x", "instagram", "facebook", "line", "threads", "youtube", "tiktok")
TEXT_RULES = {
    "text-defamation", "text-discrimination", "text-private", "text-incitement", "text-confidential", "text-obscene",
    "text-predecisional", "text-public-order", "pii-phone", "pii-email", "pii-mynumber", "pii-address", "pii-name",
    "pii-birthdate", "media-exif-location", "accuracy-weekday", "accuracy-past-event", "link-https", "link-shortener",
    "clarity-length", "clarity-hashtags", "clarity-sentence-length",
}

CONFIG = """\
policy: ube/2025-04-01
fail_on: error
allow:
  phone_numbers: ["0836-31-1111"]
  email_domains: [city.ube.yamaguchi.jp]
  addresses: ["宇部市常盤町一丁目7番1号"]
"""



def _iso(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def post_file(item: dict, platform: str) -> str:
    """A post file for one corpus item (approved the day before publishing)."""
    publish = _iso(item["publish_at"])
    day = dt.date.fromisoformat(publish[:10])
    category = item.get("category") or "civic"
    consultation = "true" if item.get("consultation") else "false"
    front = (
        f"id: {item['id']}\n"
        f"account: corpus-{platform}\n"
        "status: published\n"
        f"publish_at: {publish}\n"
        f"category: {category}\n"
        'author: {employee_id: "200002"}\n'
        f'approval: {{approved_by: "100001", approved_on: {(day - dt.timedelta(days=1)).isoformat()}}}\n'
        f"consultation: {consultation}\n"
    )
    return f"---\n{front}---\n{item['text']}\n"


def build_repo(root: Path, items: list[dict]) -> dict[str, dict]:
    """Write a posts repo with one post per item; returns {post path: item}."""
    (root / "accounts").mkdir(parents=True)
    (root / "snspolicy.yaml").write_text(CONFIG, encoding="utf-8")
    for p in PLATFORMS:
        (root / "accounts" / f"corpus-{p}.yaml").write_text(account_yaml(f"corpus-{p}", p), encoding="utf-8")
    paths: dict[str, dict] = {}
    for item in items:
        platform = item.get("platform") or "x"
        rel = f"posts/corpus-{platform}/{item['id']}.md"
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(post_file(item, platform), encoding="utf-8")
        paths[rel] = item
    return paths


def lint(root: Path):
    setup = runner.prepare([root])
    _, result = lint_setup(setup, today=TODAY)
    assert not result.fatal, [f.message for f in result.findings if f.fatal]
    return result.findings


def load(name: str) -> list[dict]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    items = load("clean_announcements.yaml")
    root = tmp_path_factory.mktemp("clean") / "repo"
    paths = build_repo(root, items)
    return paths, lint(root)


@pytest.fixture(scope="module")
def violation_run(tmp_path_factory):
    items = load("violations.yaml")
    root = tmp_path_factory.mktemp("violations") / "repo"
    paths = build_repo(root, items)
    return paths, lint(root)


def test_corpus_sizes():
    assert len(load("clean_announcements.yaml")) >= 100
    violations = [v for v in load("violations.yaml") if v.get("rule")]
    assert len(violations) >= 60
    # spread over every text rule of the issue except the image one (tested in tests/rules)
    assert {v["rule"] for v in violations} >= TEXT_RULES - {"media-exif-location"}


def test_clean_announcements_have_no_error(clean_run):
    paths, findings = clean_run
    errors = [f for f in findings if f.severity >= Severity.ERROR and f.path in paths]
    text = [f for f in findings if f.path in paths and f.rule in TEXT_RULES]
    by_sev = Counter(str(f.severity) for f in text)
    print(f"\nclean corpus: {len(paths)} posts, {len(errors)} error-level findings, "
          f"text findings by severity: {dict(by_sev) or 'none'}", file=sys.stderr)
    for f in text:
        print(f"  {paths[f.path]['id']}: {f.severity} {f.rule} {f.message}", file=sys.stderr)
    assert not errors, [(paths[f.path]["id"], f.rule, f.message) for f in errors]


def test_clean_announcements_have_no_text_finding_at_all(clean_run):
    """Stricter than the acceptance (no error): a clean announcement gives no warning either."""
    paths, findings = clean_run
    text = [(paths[f.path]["id"], f.rule, f.message) for f in findings if f.path in paths and f.rule in TEXT_RULES]
    assert not text


def test_every_violation_is_reported_with_its_clause(violation_run):
    paths, findings = violation_run
    by_path: dict[str, list] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    missed, reported, silent_ok = [], Counter(), 0
    for rel, item in paths.items():
        got = by_path.get(rel, [])
        if item.get("rule") is None:  # consultation: true — the pre-decisional marker must stay silent
            assert not [f for f in got if f.rule == "text-predecisional"], item["id"]
            silent_ok += 1
            continue
        if any(f.rule == item["rule"] and f.clause == str(item["clause"]) for f in got):
            reported[item["rule"]] += 1
        else:
            missed.append((item["id"], item["rule"], [(f.rule, f.clause) for f in got]))
    total = sum(reported.values())
    print(f"\nviolation corpus: {total} of {total + len(missed)} violating items reported with the right rule and clause; "
          f"{silent_ok} consultation posts silent", file=sys.stderr)
    for r, n in sorted(reported.items()):
        print(f"  {r}: {n}", file=sys.stderr)
    assert not missed, missed


def span_text(text: str, f) -> str:
    """The file text a finding points at (lines and columns are 1-based, columns in code points)."""
    lines = text.split("\n")
    if f.line == f.end_line:
        return lines[f.line - 1][f.column - 1:f.end_column - 1]
    parts = [lines[f.line - 1][f.column - 1:]] + lines[f.line:f.end_line - 1] + [lines[f.end_line - 1][:f.end_column - 1]]
    return "\n".join(parts)


def test_violation_messages_never_show_personal_values(violation_run):
    """Each personal value found is shown masked: the value as written never appears in the message."""
    paths, findings = violation_run
    checked = 0
    for f in findings:
        if f.path not in paths or not f.rule.startswith("pii-"):
            continue
        file_text = post_file(paths[f.path], paths[f.path].get("platform") or "x")
        value = span_text(file_text, f).strip()
        assert len(value) >= 4, (f.rule, f.line, f.column, value)
        assert value not in f.message, (f.rule, f.message)
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) >= 10:  # phone numbers and 個人番号: most digits hidden
            shown = max((w for w in f.message.split() if "*" in w), key=len, default="")
            assert sum(ch.isdigit() for ch in shown) * 2 <= len(digits), f.message
        checked += 1
    assert checked >= 19
