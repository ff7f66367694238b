"""The linter on real municipal writing: a city newsletter, article by article.

Run: ``python benchmarks/bulletin.py`` (``--data DIR`` for another folder of CSV files,
``--errors`` to print every error-level finding with its sentence, ``--json`` for
machine-readable output, ``--own-allowed`` to add the city's own contacts to ``allow``
as that city would).

The development corpus (``../shared/data/municipal-bulletin-dev/``: 17 issues of a
city newsletter, CC BY 4.0, one article a CSV row) is turned into a temporary posts
repo: every article becomes one post of a Facebook account (title on the first line,
then the article), published at 09:00 JST on its issue date, approved the day before.
The repo is configured like the test corpora (Ube's main number, mail domain and
address on the allow-lists), so the other city's own contact details are unknown to it.

Reported: per rule, the number of articles with a finding (by severity), and the share
of articles with an error-level finding other than the city's own contact details
(its mail domain, its own phone numbers, its city-hall address — see ``OWN``); the goal
is at most 0.5 %. The remaining errors are split by kind: a *personal contact* (a mobile
number or mail next to a person's name — an error by design of issue 16, 6(5)), an
*unidentified contact* (nothing tells whose), or another rule. Nothing of the article text is written anywhere but the temporary
repo (deleted afterwards); ``--errors`` prints the sentences to the terminal only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.core.model import Severity

CANDIDATES = [ROOT.parent / "shared" / "data" / "municipal-bulletin-dev",
              ROOT.parent.parent / "shared" / "data" / "municipal-bulletin-dev",
              Path("/work/shared/data/municipal-bulletin-dev")]
GOAL = 0.005

CONFIG = """\
policy: ube/2025-04-01
fail_on: error
allow:
  phone_numbers: ["0836-31-1111"]
  email_domains: [city.ube.yamaguchi.jp]
  addresses: ["宇部市常盤町一丁目7番1号"]
"""

# The city's own contact details, per 自治体名 of the CSV: what that city would put in its own
# snspolicy.yaml. Used to tell "the city's own contacts" (expected on Ube's configuration) from
# everything else, and with --own-allowed written into the config.
OWN = {
    "神奈川県厚木市": {
        "email_domains": ["city.atsugi.kanagawa.jp"],
        # city hall: main number 046-223-1511, direct lines 046-225-xxxx (written without the area code too)
        "phone_prefixes": ["046-223-", "046-224-", "046-225-"],
        "addresses": ["厚木市中町3-17-17"],
        "city": "厚木市",
    },
}

ACCOUNT = """\
id: bulletin-fb
platform: facebook
handle: "@bulletin_fb"
url: https://www.facebook.com/bulletin.example
purpose: 市の広報紙の記事を掲載する
departments: [広報広聴課]
manager: {name: 山田 太郎, employee_id: "100001", title: 広報広聴課長}
deputies: []
approval: {approved_by: "100001", approved_on: 2024-01-04}
operating_rules: https://www.city.ube.yamaguchi.jp/rules.html
holders:
  - {name: 佐藤 花子, employee_id: "200002", department: 広報広聴課, assigned_on: 2024-01-04}
  - {name: 鈴木 一郎, employee_id: "200003", department: 広報広聴課, assigned_on: 2024-01-04}
holders_exception: null
security:
  two_factor: {enabled: true, method: totp}
  password: {min_length: 16, managed_by: password-manager, unique: true, last_changed_on: 2024-01-04}
  reviewed_on: 2024-01-04
registry_submitted_on: 2024-01-05
profile:
  disclaimer_url: https://www.city.ube.yamaguchi.jp/disclaimer.html
status: active
"""
CATEGORIES = {"イベント": "event", "健康": "health", "子育て": "childcare", "くらし": "civic", "観光": "tourism"}


def data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    for c in CANDIDATES:
        if c.is_dir():
            return c
    raise SystemExit("municipal-bulletin-dev not found: pass --data DIR")


def articles(folder: Path) -> list[dict]:
    out = []
    for f in sorted(folder.glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                day = dt.date.fromisoformat(row["公開年月"].strip().replace(".", "-"))
                out.append({"file": f.name, "row": i + 2, "city": row["自治体名"].strip(), "day": day,
                            "title": row["記事タイトル"].strip(), "category": row.get("カテゴリ", "").strip(),
                            "text": row["記事本文"]})
    return out


def config_text(own_allowed: bool, cities: set[str]) -> str:
    if not own_allowed:
        return CONFIG
    phones = ["0836-31-1111"] + [p + "*" for c in cities for p in OWN.get(c, {}).get("phone_prefixes", [])]
    domains = ["city.ube.yamaguchi.jp"] + [d for c in cities for d in OWN.get(c, {}).get("email_domains", [])]
    addrs = ["宇部市常盤町一丁目7番1号"] + [a for c in cities for a in OWN.get(c, {}).get("addresses", [])]
    return ("policy: ube/2025-04-01\nfail_on: error\nallow:\n"
            f"  phone_numbers: {json.dumps(phones, ensure_ascii=False)}\n"
            f"  email_domains: {json.dumps(domains, ensure_ascii=False)}\n"
            f"  addresses: {json.dumps(addrs, ensure_ascii=False)}\n")


def build(root: Path, arts: list[dict], own_allowed: bool) -> dict[str, dict]:
    (root / "accounts").mkdir(parents=True)
    (root / "snspolicy.yaml").write_text(config_text(own_allowed, {a["city"] for a in arts}), encoding="utf-8")
    (root / "accounts" / "bulletin-fb.yaml").write_text(ACCOUNT, encoding="utf-8")
    paths = {}
    for n, a in enumerate(arts):
        pid = f"a{n:04d}"
        rel = f"posts/bulletin-fb/{a['day']:%Y}/{pid}.md"
        body = (a["title"] + "\n\n" + a["text"].replace("\r\n", "\n")).strip()
        front = (f"id: {pid}\naccount: bulletin-fb\nstatus: published\n"
                 f"publish_at: {a['day'].isoformat()}T09:00:00+09:00\n"
                 f"category: {CATEGORIES.get(a['category'], 'civic')}\n"
                 'author: {employee_id: "200002"}\n'
                 f"approval: {{approved_by: \"100001\", approved_on: {(a['day'] - dt.timedelta(days=1)).isoformat()}}}\n"
                 "consultation: false\n")
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
        paths[rel] = {**a, "id": pid, "post": f"---\n{front}---\n{body}\n"}
    return paths


def span_text(text: str, f) -> str:
    lines = text.split("\n")
    if f.line == f.end_line:
        return lines[f.line - 1][f.column - 1:f.end_column - 1]
    parts = [lines[f.line - 1][f.column - 1:]] + lines[f.line:f.end_line - 1] + [lines[f.end_line - 1][:f.end_column - 1]]
    return "\n".join(parts)


def _digits(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if ch.isdigit())


def is_own_contact(f, value: str, city: str) -> bool:
    """Is the finding the city's own contact detail (its mail domain, phone lines, city-hall address)?"""
    own = OWN.get(city)
    if not own:
        return False
    v = unicodedata.normalize("NFKC", value).lower()
    if f.rule == "pii-email":
        return any(v.rstrip(".").endswith("@" + d) or v.rstrip(".").endswith("." + d) for d in own["email_domains"])
    if f.rule == "pii-phone":
        d = _digits(v)
        return any(d.startswith(_digits(p)) for p in own["phone_prefixes"])
    if f.rule == "pii-address":
        compact = re.sub(r"\s", "", v)
        return any(re.sub(r"[丁目番地号\-ー－]", "", a.split(own["city"])[-1]) in re.sub(r"[丁目番地号\-ー－]", "", compact)
                   for a in own["addresses"])
    return False


# what the personal-contact messages say (pii-phone/pii-email/pii-address, variant "personal")
_PERSONAL_MARKERS = ("個人の番号と思われます", "個人のアドレスと思われます", "個人の住所と思われます",
                     "looks like a person's")


def error_kind(f) -> str:
    """personal contact (a person's number, mail or address: an error by design), unidentified contact
    (nothing tells whose), or the rule's id."""
    if f.rule in ("pii-phone", "pii-email", "pii-address"):
        return "personal contact" if any(m in f.message for m in _PERSONAL_MARKERS) else "unidentified contact"
    return f.rule


def line_of(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data")
    ap.add_argument("--errors", action="store_true", help="print every error-level finding with its line")
    ap.add_argument("--warnings", action="store_true", help="print every warning with its line")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--own-allowed", action="store_true", help="add the city's own contacts to allow")
    ap.add_argument("--context", type=int, default=0, metavar="N",
                    help="with --errors/--warnings: also print the N lines before each finding's line")
    args = ap.parse_args(argv)
    folder = data_dir(args.data)
    arts = articles(folder)
    work = Path(tempfile.mkdtemp(prefix="snspolicy-bulletin-"))
    try:
        repo = work / "repo"
        paths = build(repo, arts, args.own_allowed)
        t0 = time.perf_counter()
        setup = runner.prepare([repo])
        _, result = lint_setup(setup, today=max(a["day"] for a in arts))
        seconds = time.perf_counter() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fatal = [f for f in result.findings if f.fatal]
    if fatal:
        print("fatal:", [(f.path, f.message) for f in fatal[:5]], file=sys.stderr)
        return 2
    per_rule: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    errors_other: dict[str, list] = defaultdict(list)
    own_only: set[str] = set()
    kinds: dict[str, set] = defaultdict(set)  # kind of error -> articles
    for f in result.findings:
        item = paths.get(f.path)
        if item is None:
            continue
        per_rule[f.rule][str(f.severity)].add(f.path)
        if f.severity >= Severity.ERROR:
            value = span_text(item["post"], f)
            if is_own_contact(f, value, item["city"]):
                own_only.add(f.path)
            else:
                errors_other[f.path].append(f)
                kinds[error_kind(f)].add(f.path)
    n = len(paths)
    share = len(errors_other) / n if n else 0.0
    not_personal = {p for p, fs in errors_other.items() if any(error_kind(f) != "personal contact" for f in fs)}
    report = {
        "articles": n, "issues": len({a["file"] for a in arts}), "seconds": round(seconds, 1),
        "own_contacts_allowed": args.own_allowed,
        "per_rule": {r: {s: len(p) for s, p in sorted(v.items())} for r, v in sorted(per_rule.items())},
        "articles_with_error": len({f.path for f in result.findings if f.severity >= Severity.ERROR and f.path in paths}),
        "articles_with_only_own_contact_errors": len(own_only - set(errors_other)),
        "articles_with_other_error": len(errors_other),
        "share_other_error": round(share, 4),
        "other_errors_by_kind": {k: len(v) for k, v in sorted(kinds.items())},
        "articles_with_an_error_other_than_contacts_of_persons": len(not_personal),
        "share_without_personal_contacts": round(len(not_personal) / n, 4) if n else 0.0,
        "goal": GOAL,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{n} articles of {report['issues']} issues linted in {seconds:.1f} s"
              f"{' (city own contacts allowed)' if args.own_allowed else ''}")
        print(f"{'rule':28} {'error':>6} {'warning':>8} {'info':>5}   (articles with a finding)")
        for r, v in sorted(per_rule.items()):
            print(f"{r:28} {len(v.get('error', ())):6} {len(v.get('warning', ())):8} {len(v.get('info', ())):5}")
        print(f"articles with an error-level finding: {report['articles_with_error']}"
              f" (only the city's own contact details: {report['articles_with_only_own_contact_errors']})")
        print(f"articles with another error-level finding: {len(errors_other)} = {100 * share:.2f} %"
              f" (goal <= {100 * GOAL:.1f} %)")
        for k, v in sorted(kinds.items()):
            print(f"  {k}: {len(v)} articles")
        print(f"articles with an error other than a person's contact: {len(not_personal)}"
              f" = {100 * report['share_without_personal_contacts']:.2f} %")
    if args.errors or args.warnings:
        want = []
        if args.errors:
            want += [f for fs in errors_other.values() for f in fs]
        if args.warnings:
            want += [f for f in result.findings if f.severity == Severity.WARNING and f.path in paths]
        for f in sorted(want, key=lambda f: (f.path, f.line, f.column)):
            item = paths[f.path]
            kind = f" ({error_kind(f)})" if f.severity >= Severity.ERROR else ""
            print(f"\n[{item['id']} {item['file'][:30]} row {item['row']}] {f.severity} {f.rule} {f.clause}{kind}")
            print(f"  {f.message}")
            for back in range(args.context, 0, -1):
                if f.line - back >= 1:
                    print(f"  | {line_of(item['post'], f.line - back)[:200]}")
            print(f"  > {line_of(item['post'], f.line)[:200]}")
    return 0 if share <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
