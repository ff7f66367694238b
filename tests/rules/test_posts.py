"""Post rules (clauses 5, 6(6), 6(9), 6(10), 3(4)): cases that must fire and cases that must not.

Each test builds a small posts repo in tmp_path (one account, optional roster and press
releases) and runs the real engine with only the rule under test selected.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.domain.posts import body_sha256
from snspolicy.rules.posts import find_keyword, normalize_with_map, suggest_category
from tests.conftest import WITHOUT_CACHE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DROP = object()  # remove a key from the base post

ACCOUNT = {
    "id": "ube-city-x", "platform": "x", "handle": "@ube_city", "url": "https://x.com/ube_city",
    "purpose": "市政情報の発信", "departments": ["広報広聴課"],
    "manager": {"name": "常盤 正和", "employee_id": "100101", "title": "広報広聴課長"},
    "deputies": [{"name": "楠 和也", "employee_id": "100111", "title": "広報広聴課長補佐"}],
    "approval": {"approved_by": "100101", "approved_on": "2025-04-01"},
    "operating_rules": "docs/operating-rules.md",
    "holders": [
        {"name": "真締 由美", "employee_id": "200201", "department": "広報広聴課", "assigned_on": "2025-04-01"},
        {"name": "琴芝 翔太", "employee_id": "200202", "department": "広報広聴課", "assigned_on": "2025-04-01"},
    ],
    "holders_exception": None,
    "security": {"two_factor": {"enabled": True, "method": "totp"},
                 "password": {"min_length": 14, "managed_by": "password-manager", "unique": True, "last_changed_on": "2025-04-01"},
                 "reviewed_on": "2025-04-01"},
    "registry_submitted_on": "2025-04-02",
    "profile": {"disclaimer_url": "https://www.city.ube.yamaguchi.jp/menseki.html"},
    "status": "active",
}
OTHER_ACCOUNT = {**ACCOUNT, "id": "ube-kanko-x", "handle": "@ube_kanko", "url": "https://x.com/ube_kanko",
                 "manager": {"name": "草江 美佐子", "employee_id": "100102", "title": "観光振興課長"}, "deputies": []}

ROSTER = """職員番号,氏名,所属,職名,在職区分
100101,常盤　正和,広報広聴課,課長,在職
100111,楠　和也,広報広聴課,課長補佐,在職
100102,草江　美佐子,観光振興課,課長,在職
100110,黒石　文子,中央図書館,館長,在職
100120,白石　一郎,中央図書館,副館長,在職
100130,青木　次郎,総務課,課長,退職
200201,真締　由美,広報広聴課,主査,在職
200202,琴芝　翔太,広報広聴課,主任,在職
200290,沖ノ山　修,広報広聴課,主査,退職
"""

BASE: dict[str, Any] = {
    "id": "p", "account": "ube-city-x", "status": "published", "publish_at": "2025-04-07T09:00:00+09:00",
    "category": "health", "author": {"employee_id": "200201"},
    "approval": {"approved_by": "100101", "approved_on": "2025-04-04"},
}
BODY = "【がん検診の予約受付を始めます】\n予約は4月14日から受け付けます。\n"

PRESS = {"id": "2025-10-08-ube-matsuri", "title": "宇部まつりの開催概要について",
         "embargo_until": "2025-10-08T14:00:00+09:00", "keywords": ["宇部まつり2025", "宇部まつりの開催概要"]}


def post(**changes: Any) -> dict[str, Any]:
    out = dict(BASE)
    for k, v in changes.items():
        if v is DROP:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def make_repo(tmp_path: Path, posts: dict[str, Any], *, press: list[dict] | None = None, roster: bool = False,
              files: dict[str, bytes] | None = None, accounts: list[dict] | None = None) -> Path:
    """A posts repo: ``posts`` maps a file name to front matter (dict) or (front matter, body)."""
    root = tmp_path / "repo"
    n = 1
    while root.exists():  # several repos in one test: repo, repo2, repo3 …
        n += 1
        root = tmp_path / f"repo{n}"
    root.mkdir()
    config = "policy: ube/2025-04-01\nfail_on: error\n" + ("roster: staff/roster.csv\n" if roster else "")
    (root / "snspolicy.yaml").write_text(config, encoding="utf-8")
    (root / "accounts").mkdir()
    for acc in accounts or [ACCOUNT]:
        (root / "accounts" / f"{acc['id']}.yaml").write_text(dump(acc), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "operating-rules.md").write_text("# 運用規程\n", encoding="utf-8")
    (root / "posts").mkdir()
    for name, value in posts.items():
        front, body = value if isinstance(value, tuple) else (value, BODY)
        (root / "posts" / name).write_text("---\n" + dump(front) + "---\n" + body, encoding="utf-8")
    if press:
        (root / "press").mkdir()
        for p in press:
            (root / "press" / f"{p['id']}.yaml").write_text(dump(p), encoding="utf-8")
    if roster:
        (root / "staff").mkdir()
        (root / "staff" / "roster.csv").write_text(ROSTER, encoding="utf-8")
    for rel, data in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def run(root: Path, *rules: str, today: str = "2025-06-01", lang: str = "ja"):
    setup = runner.prepare([root])
    select = (lambda spec: spec.id in rules) if rules else None
    _, result = lint_setup(setup, today=dt.date.fromisoformat(today), select=select, lang=lang)
    crashes = [f for f in result.findings if f.rule == "internal-error" or f.fatal]
    assert not crashes, [f.message for f in crashes]
    return result


def line_at(tmp_path: Path, f: Any) -> str:
    """The source line a finding in the first repo's posts/p.md points at."""
    return (tmp_path / "repo" / "posts" / "p.md").read_text(encoding="utf-8").split("\n")[f.line - 1]


def hits(tmp_path: Path, rule_id: str, front: Any, body: str = BODY, **kw: Any) -> list:
    today = kw.pop("today", "2025-06-01")
    root = make_repo(tmp_path, {"p.md": (front, body)}, **kw)
    return [f for f in run(root, rule_id, today=today).visible() if f.rule == rule_id]


# ------------------------------------------------------------------ the base post is clean


def test_base_post_is_clean_under_schema_and_post_rules(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"p.md": post()}, roster=True)
    ids = ("schema", "post-account", "post-approval", "post-self-approval", "post-revision-approval",
           "post-deletion-record", "post-author", "post-embargo", "post-media", "post-category")
    result = run(root, *ids)
    assert [f for f in result.visible() if f.path.startswith("posts/")] == []


# ------------------------------------------------------------------ post-approval (5)


@pytest.mark.parametrize("status", ["approved", "scheduled", "published", "deleted"])
def test_approval_missing_fires(tmp_path: Path, status: str) -> None:
    fs = hits(tmp_path, "post-approval", post(status=status, approval=DROP))
    assert len(fs) == 1 and fs[0].clause == "5" and fs[0].severity.name == "ERROR"
    assert status in fs[0].message and "approval" in fs[0].message


def test_approval_null_fires_at_the_key(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-approval", post(approval=None))
    assert len(fs) == 1 and line_at(tmp_path, fs[0]).startswith("approval:")


def test_draft_needs_no_approval(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-approval", post(status="draft", approval=DROP)) == []


def test_approval_by_holder_fires_and_names_approvers(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-approval", post(approval={"approved_by": "200202", "approved_on": "2025-04-04"}))
    assert len(fs) == 1
    assert "200202" in fs[0].message and "100101" in fs[0].message and "100111" in fs[0].message


@pytest.mark.parametrize("approver", ["100101", "100111"])
def test_approval_by_manager_or_deputy_passes(tmp_path: Path, approver: str) -> None:
    assert hits(tmp_path, "post-approval", post(approval={"approved_by": approver, "approved_on": "2025-04-04"})) == []


def test_approval_dated_after_publishing_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-approval", post(approval={"approved_by": "100101", "approved_on": "2025-04-08"}))
    assert len(fs) == 1 and "2025-04-08" in fs[0].message and "2025-04-07" in fs[0].message


def test_approval_on_the_publishing_day_passes(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-approval", post(approval={"approved_by": "100101", "approved_on": "2025-04-07"})) == []


@pytest.mark.parametrize("publish_at, fires", [
    ("2025-03-31T20:00:00Z", False),        # 05:00 JST on 1 April: the JST day counts
    ("2025-03-31T23:30:00+09:00", True),    # still 31 March in Japan
    ("2025-04-01T00:30:00", False),         # no zone = JST
    ("2025-04-01", False),                  # a date only
    ("2025-03-31", True),
])
def test_approval_compared_with_the_jst_day(tmp_path: Path, publish_at: str, fires: bool) -> None:
    fs = hits(tmp_path, "post-approval", post(publish_at=publish_at, approval={"approved_by": "100101", "approved_on": "2025-04-01"}))
    assert bool(fs) is fires


def test_published_without_publish_at_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-approval", post(publish_at=DROP))
    assert len(fs) == 1 and "publish_at" in fs[0].message


def test_approved_without_publish_at_passes(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-approval", post(status="approved", publish_at=DROP)) == []


def test_approval_english_message(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"p.md": post(approval=DROP)})
    fs = [f for f in run(root, "post-approval", lang="en").visible() if f.rule == "post-approval"]
    assert fs and "has no approval" in fs[0].message


# ------------------------------------------------------------------ post-self-approval (5)


def test_post_approved_by_its_own_author_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-self-approval", post(author={"employee_id": "100101"}))
    assert len(fs) == 1 and fs[0].clause == "5" and "100101" in fs[0].message


def test_post_approved_by_someone_else_passes(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-self-approval", post(author={"employee_id": "100101"},
                                                     approval={"approved_by": "100111", "approved_on": "2025-04-04"})) == []
    assert hits(tmp_path, "post-self-approval", post()) == []


def test_ids_compared_as_text(tmp_path: Path) -> None:
    # an unquoted id (a number in YAML) is still the same person
    front = post(author={"employee_id": "100101"})
    root = make_repo(tmp_path, {"p.md": front})
    p = root / "posts" / "p.md"
    p.write_text(p.read_text(encoding="utf-8").replace("approved_by: '100101'", "approved_by: 100101"), encoding="utf-8")
    assert [f for f in run(root, "post-self-approval").visible() if f.rule == "post-self-approval"]


def test_revision_approved_by_its_recorded_author_fires(tmp_path: Path) -> None:
    revs = [{"on": "2025-04-08", "summary": "誤記を修正", "approved_by": "100111", "author": "100111"}]
    fs = hits(tmp_path, "post-self-approval", post(revisions=revs))
    assert len(fs) == 1 and "2025-04-08" in fs[0].message


def test_revision_without_recorded_author_is_not_guessed(tmp_path: Path) -> None:
    revs = [{"on": "2025-04-08", "summary": "誤記を修正", "approved_by": "100111"}]
    assert hits(tmp_path, "post-self-approval", post(author={"employee_id": "100111"},
                                                     approval={"approved_by": "100101", "approved_on": "2025-04-04"},
                                                     revisions=revs)) == []


def test_external_author_permitted_and_approved_by_the_same_head_passes(tmp_path: Path) -> None:
    author = {"external": "宇部商工会議所", "permitted_by": "100101", "permitted_on": "2025-04-01"}
    assert hits(tmp_path, "post-self-approval", post(author=author)) == []


# ------------------------------------------------------------------ post-revision-approval (5)


def _rev(**kw: Any) -> dict[str, Any]:
    return {"on": "2025-04-08", "summary": "日付の誤りを修正", "approved_by": "100101", **kw}


def test_revision_approved_by_manager_after_publishing_passes(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-revision-approval", post(revisions=[_rev(), _rev(on="2025-04-07", approved_by="100111")])) == []


def test_revision_without_approver_fires(tmp_path: Path) -> None:
    rev = _rev()
    del rev["approved_by"]
    fs = hits(tmp_path, "post-revision-approval", post(revisions=[_rev(), rev]))
    assert len(fs) == 1 and fs[0].clause == "5" and "2025-04-08" in fs[0].message


def test_revision_approved_by_holder_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-revision-approval", post(revisions=[_rev(approved_by="200202")]))
    assert len(fs) == 1 and "200202" in fs[0].message


def test_revision_dated_before_publishing_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-revision-approval", post(revisions=[_rev(on="2025-04-06")]))
    assert len(fs) == 1 and "2025-04-06" in fs[0].message


def test_revision_body_hash(tmp_path: Path) -> None:
    good = body_sha256(BODY)
    assert hits(tmp_path, "post-revision-approval", post(revisions=[_rev(body_sha256=good)])) == []
    assert hits(tmp_path, "post-revision-approval", post(revisions=[_rev(body_sha256="sha256:" + good.upper())])) == []
    fs = hits(tmp_path, "post-revision-approval", post(revisions=[_rev(body_sha256="0" * 64)]))
    assert len(fs) == 1 and "body_sha256" in fs[0].message


def test_body_hash_ignores_line_ends_and_outer_space() -> None:
    assert body_sha256("a\r\nb\n\n") == body_sha256("a\nb") != body_sha256("a\nb2")


# ------------------------------------------------------------------ post-deletion-record (5)

DELETED = {"on": "2025-04-10", "reason": "内容に誤りがあったため", "approved_by": "100101"}


def test_deleted_with_complete_record_passes(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-deletion-record", post(status="deleted", deleted=DELETED)) == []


def test_deleted_without_record_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-deletion-record", post(status="deleted"))
    assert len(fs) == 1 and fs[0].clause == "5" and "deleted" in fs[0].message


def test_deleted_null_fires(tmp_path: Path) -> None:
    assert len(hits(tmp_path, "post-deletion-record", post(status="deleted", deleted=None))) == 1


def test_deletion_approved_by_holder_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-deletion-record", post(status="deleted", deleted={**DELETED, "approved_by": "200201"}))
    assert len(fs) == 1 and "200201" in fs[0].message


def test_deletion_blank_reason_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-deletion-record", post(status="deleted", deleted={**DELETED, "reason": "  "}))
    assert len(fs) == 1 and "reason" in fs[0].message


def test_deletion_record_with_other_status_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-deletion-record", post(deleted=DELETED))
    assert len(fs) == 1 and "published" in fs[0].message


def test_published_with_null_deleted_passes(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-deletion-record", post(deleted=None)) == []


# ------------------------------------------------------------------ post-author (6(9))


def test_staff_author_any_id_without_roster(tmp_path: Path) -> None:
    assert hits(tmp_path, "post-author", post(author={"employee_id": "999999"}, publish_at="2025-07-01T09:00:00+09:00")) == []


@pytest.mark.parametrize("eid, fires", [("200201", False), ("299999", True), ("200290", True)])
def test_staff_author_checked_against_roster_for_upcoming_posts(tmp_path: Path, eid: str, fires: bool) -> None:
    fs = hits(tmp_path, "post-author", post(author={"employee_id": eid}, status="scheduled",
                                            publish_at="2025-07-01T09:00:00+09:00"), roster=True)
    assert bool(fs) is fires
    if fires:
        assert fs[0].clause == "6(9)" and eid in fs[0].message and "staff/roster.csv" in fs[0].message


def test_retired_author_of_a_past_post_is_not_reported(tmp_path: Path) -> None:
    # the roster is today's; the post went out when its author was still in office
    assert hits(tmp_path, "post-author", post(author={"employee_id": "200290"}), roster=True) == []


def test_draft_by_unknown_id_is_reported_even_with_past_date(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-author", post(status="draft", author={"employee_id": "299999"}), roster=True)
    assert len(fs) == 1


def test_external_author_without_permission_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-author", post(author={"external": "宇部観光コンベンション協会"}))
    assert len(fs) == 1 and fs[0].clause == "6(9)" and "permitted_by" in fs[0].message and "permitted_on" in fs[0].message


def test_external_author_permitted_by_manager_passes(tmp_path: Path) -> None:
    author = {"external": "宇部商工会議所", "permitted_by": "100101", "permitted_on": "2025-04-01"}
    assert hits(tmp_path, "post-author", post(author=author)) == []


def test_external_author_permitted_by_another_accounts_manager_passes(tmp_path: Path) -> None:
    author = {"external": "宇部商工会議所", "permitted_by": "100102", "permitted_on": "2025-04-01"}
    assert hits(tmp_path, "post-author", post(author=author), accounts=[ACCOUNT, OTHER_ACCOUNT]) == []


def test_external_author_permitted_by_deputy_who_is_not_a_head_fires(tmp_path: Path) -> None:
    author = {"external": "宇部商工会議所", "permitted_by": "100111", "permitted_on": "2025-04-01"}  # 課長補佐
    fs = hits(tmp_path, "post-author", post(author=author))
    assert len(fs) == 1 and "100111" in fs[0].message


@pytest.mark.parametrize("permitter, fires", [
    ("100110", False),  # 館長
    ("100120", True),   # 副館長
    ("100111", True),   # 課長補佐
    ("200201", True),   # 主査
    ("100130", True),   # 課長 but retired
    ("777777", True),   # not in the roster
])
def test_external_permitter_checked_against_roster(tmp_path: Path, permitter: str, fires: bool) -> None:
    author = {"external": "宇部商工会議所", "permitted_by": permitter, "permitted_on": "2025-06-01"}
    fs = hits(tmp_path, "post-author", post(author=author, status="scheduled", publish_at="2025-07-01T09:00:00+09:00"), roster=True)
    assert bool(fs) is fires


@pytest.mark.parametrize("title, fires", [
    ("市長", False),                        # a head of an executive organ (domain/staff.py: the decision)
    ("副市長", False),
    ("広報広聴課長（事務取扱）", False),    # a note in brackets is not part of the title
    ("副課長", True),
    ("担当課長", True),
    ("課長補佐", True),
])
def test_permitter_title_uses_the_one_section_head_test(tmp_path: Path, title: str, fires: bool) -> None:
    account = {**ACCOUNT, "deputies": [{"name": "楠 和也", "employee_id": "100111", "title": title}]}
    author = {"external": "宇部商工会議所", "permitted_by": "100111", "permitted_on": "2025-04-01"}
    fs = hits(tmp_path, "post-author", post(author=author), accounts=[account])
    assert [f.rule for f in fs] == (["post-author"] if fires else [])


def test_unknown_permitter_without_roster_is_accepted(tmp_path: Path) -> None:
    author = {"external": "宇部商工会議所", "permitted_by": "777777", "permitted_on": "2025-04-01"}
    assert hits(tmp_path, "post-author", post(author=author)) == []


def test_permission_after_publishing_fires(tmp_path: Path) -> None:
    author = {"external": "宇部商工会議所", "permitted_by": "100101", "permitted_on": "2025-04-08"}
    fs = hits(tmp_path, "post-author", post(author=author))
    assert len(fs) == 1 and "2025-04-08" in fs[0].message


# ------------------------------------------------------------------ post-embargo (6(10))


def _press(**kw: Any) -> dict[str, Any]:
    return {**PRESS, **kw}


@pytest.mark.parametrize("publish_at, fires", [
    ("2025-10-08T13:59:00+09:00", True),    # one minute early
    ("2025-10-08T14:00:00+09:00", False),   # exactly at the embargo
    ("2025-10-08T13:59:59+09:00", True),
    ("2025-10-08T05:00:00Z", False),        # the same moment in UTC
    ("2025-10-08T04:59:00Z", True),
    ("2025-10-08T13:59:00", True),          # no zone = JST
    ("2025-10-08T14:00:00", False),
    ("2025-10-08", True),                   # a date only = 00:00 JST
    ("2025-10-09", False),
])
def test_linked_press_release_embargo(tmp_path: Path, publish_at: str, fires: bool) -> None:
    front = post(publish_at=publish_at, press_release=PRESS["id"], approval={"approved_by": "100101", "approved_on": "2025-10-07"})
    fs = hits(tmp_path, "post-embargo", front, "お知らせです。\n", press=[_press()])
    assert bool(fs) is fires
    if fires:
        assert len(fs) == 1 and fs[0].clause == "6(10)" and "2025-10-08 14:00" in fs[0].message and PRESS["id"] in fs[0].message


def test_linked_press_release_missing_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-embargo", post(press_release="2025-10-08-ube-matsur"), press=[_press()])
    assert len(fs) == 1 and "2025-10-08-ube-matsur" in fs[0].message and "2025-10-08-ube-matsuri" in fs[0].message


def test_linked_press_release_missing_without_any_press_folder_fires(tmp_path: Path) -> None:
    fs = hits(tmp_path, "post-embargo", post(press_release="2030-01-01-nothing"))
    assert len(fs) == 1 and "press/2030-01-01-nothing.yaml" in fs[0].message


def test_keyword_before_embargo_fires_at_the_keyword(tmp_path: Path) -> None:
    body = "【お知らせ】\n今年の宇部まつり2025は11月1日に開催します。\n"
    fs = hits(tmp_path, "post-embargo", post(publish_at="2025-10-08T12:00:00+09:00"), body, press=[_press()])
    assert len(fs) == 1 and "宇部まつり2025" in fs[0].message
    f = fs[0]
    # front matter is 9 lines between the --- lines: body line 2 is file line 12
    text = (tmp_path / "repo" / "posts" / "p.md").read_text(encoding="utf-8").split("\n")
    assert text[f.line - 1][f.column - 1:].startswith("宇部まつり2025")
    assert (f.end_line, f.end_column) == (f.line, f.column + len("宇部まつり2025"))


def test_keyword_after_embargo_passes(tmp_path: Path) -> None:
    body = "宇部まつり2025を開催します。\n"
    assert hits(tmp_path, "post-embargo", post(publish_at="2025-10-08T14:00:00+09:00"), body, press=[_press()]) == []


def test_keyword_with_full_width_digits_and_line_break_fires(tmp_path: Path) -> None:
    body = "宇部まつり２０２５のお知らせ。\n宇部まつりの\n開催概要です。\n"
    fs = hits(tmp_path, "post-embargo", post(publish_at="2025-10-01T09:00:00+09:00"), body, press=[_press()])
    assert len(fs) == 1  # one finding per press release, even with two keywords present


def test_keyword_in_platform_text_fires(tmp_path: Path) -> None:
    front = post(publish_at="2025-10-01T09:00:00+09:00", platform_text={"x": "宇部まつりの開催概要を発表！"})
    fs = hits(tmp_path, "post-embargo", front, "関係のない本文です。\n", press=[_press()])
    assert len(fs) == 1


def test_latin_keyword_does_not_match_inside_a_word(tmp_path: Path) -> None:
    press = _press(keywords=["UBE"], id="2025-10-08-ube")
    body = "YouTubeで配信します。\n"
    assert hits(tmp_path, "post-embargo", post(publish_at="2025-10-01T09:00:00+09:00"), body, press=[press]) == []
    fs = hits(tmp_path, "post-embargo", post(publish_at="2025-10-01T09:00:00+09:00"), "ＵＢＥ ビエンナーレ\n", press=[press])
    assert len(fs) == 1


def test_one_character_keyword_is_ignored(tmp_path: Path) -> None:
    press = _press(keywords=["祭"])
    assert hits(tmp_path, "post-embargo", post(publish_at="2025-10-01T09:00:00+09:00"), "秋祭りです。\n", press=[press]) == []


def test_linked_press_is_reported_once_not_again_by_keyword(tmp_path: Path) -> None:
    front = post(publish_at="2025-10-08T13:00:00+09:00", press_release=PRESS["id"])
    fs = hits(tmp_path, "post-embargo", front, "宇部まつり2025の開催概要\n", press=[_press()])
    assert len(fs) == 1 and line_at(tmp_path, fs[0]).startswith("publish_at:")


def test_deleted_post_not_checked_for_embargo(tmp_path: Path) -> None:
    front = post(status="deleted", publish_at="2025-10-08T13:00:00+09:00", press_release=PRESS["id"], deleted=DELETED)
    assert hits(tmp_path, "post-embargo", front, press=[_press()]) == []


def test_draft_is_checked_for_embargo(tmp_path: Path) -> None:
    front = post(status="draft", approval=DROP, publish_at="2025-10-08T13:00:00+09:00")
    assert len(hits(tmp_path, "post-embargo", front, "宇部まつり2025\n", press=[_press()])) == 1


def test_find_keyword_maps_offsets_through_normalization() -> None:
    text = "ｶﾞｲﾄﾞ の 宇部まつり２０２５ です"
    s, e = find_keyword(text, "宇部まつり2025")
    assert text[s:e] == "宇部まつり２０２５"
    s, e = find_keyword(text, "ガイド")
    assert text[s:e] == "ｶﾞｲﾄﾞ"
    assert find_keyword(text, "") is None and find_keyword("", "x") is None
    norm, starts, ends = normalize_with_map("Ａ\u3000b")
    assert norm == "ab" and starts == [0, 2] and ends == [1, 3]


# ------------------------------------------------------------------ post-media (6(6))

JPG = b"\xff\xd8\xff\xe0" + b"\0" * 16


def _media(**kw: Any) -> dict[str, Any]:
    return {"path": "media/2025/a.jpg", "alt": "写真", "rights": {"source": "own"}, "people": "none", **kw}


def media_hits(tmp_path: Path, items: list[dict], **kw: Any) -> list:
    return hits(tmp_path, "post-media", post(media=items), files={"media/2025/a.jpg": JPG}, **kw)


@pytest.mark.parametrize("item", [
    _media(),
    _media(people="crowd"),
    _media(people="consented", consent={"on": "2025-03-01", "recorded_by": "200201"}),
    _media(rights={"source": "licensed", "license": "CC BY 4.0", "credit": "撮影：宇部彫刻写真クラブ"}),
    _media(rights={"source": "partner", "credit": "宇部商工会議所"}),
    _media(rights={"source": "public-domain", "url": "https://example.org/a"}),
    _media(rights={"source": "public-domain", "credit": "国立国会図書館"}),
])
def test_media_ok(tmp_path: Path, item: dict) -> None:
    assert media_hits(tmp_path, [item]) == []


@pytest.mark.parametrize("item, needle", [
    (_media(path="media/2025/nothing.jpg"), "media/2025/nothing.jpg"),
    (_media(path="../outside.jpg"), "../outside.jpg"),
    (_media(path="/etc/hostname"), "/etc/hostname"),
    (_media(path="media/../../x.jpg"), "media/../../x.jpg"),
    (_media(path="https://example.org/a.jpg"), "https://example.org/a.jpg"),
    (_media(rights={"source": "licensed", "license": "CC BY 4.0"}), "credit"),
    (_media(rights={"source": "licensed"}), "license"),
    (_media(rights={"source": "partner"}), "credit"),
    (_media(rights={"source": "public-domain"}), "url"),
    (_media(rights={"source": "partner", "credit": "  "}), "credit"),
    (_media(people="identifiable"), "同意"),
])
def test_media_fires(tmp_path: Path, item: dict, needle: str) -> None:
    fs = media_hits(tmp_path, [item])
    assert len(fs) == 1 and fs[0].clause == "6(6)" and needle in fs[0].message


def test_media_symlink_leaving_the_repo_is_missing(tmp_path: Path) -> None:
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(JPG)
    root = make_repo(tmp_path, {"p.md": post(media=[_media(path="media/link.jpg")])})
    (root / "media").mkdir()
    (root / "media" / "link.jpg").symlink_to(outside)
    assert [f for f in run(root, "post-media").visible() if f.rule == "post-media"]


def test_media_findings_point_at_the_item(tmp_path: Path) -> None:
    fs = media_hits(tmp_path, [_media(), _media(people="identifiable")])
    assert len(fs) == 1
    assert "identifiable" in line_at(tmp_path, fs[0])


# ------------------------------------------------------------------ post-category (3(4))


@pytest.mark.parametrize("category, suggestion", [
    ("観光", "tourism"), ("Tourism", "tourism"), ("turism", "tourism"), ("子育て", "childcare"), ("防災", "safety"),
    ("sports", None),
])
def test_unknown_category_fires_with_suggestion(tmp_path: Path, category: str, suggestion: str | None) -> None:
    fs = hits(tmp_path, "post-category", post(category=category))
    assert len(fs) == 1 and fs[0].clause == "3(4)" and category in fs[0].message and "tourism" in fs[0].message
    if suggestion:
        assert f"「{suggestion}」" in fs[0].message and fs[0].fix is not None and fs[0].fix.replacement == suggestion
    else:
        assert fs[0].fix is None


@pytest.mark.parametrize("category", ["health", "childcare", "safety", "tourism", "event", "product", "civic", "other"])
def test_policy_categories_pass(tmp_path: Path, category: str) -> None:
    assert hits(tmp_path, "post-category", post(category=category)) == []


def test_suggest_category_handles_odd_values() -> None:
    cats = {"tourism": {"ja": "観光", "en": "Tourism"}, "other": {"ja": "その他"}}
    assert suggest_category("", cats) is None
    assert suggest_category("　", cats) is None
    assert suggest_category("ｔｏｕｒｉｓｍ", cats) == "tourism"


# ------------------------------------------------------------------ odd input never crashes

POST_RULES = ("post-approval", "post-self-approval", "post-revision-approval", "post-deletion-record",
              "post-author", "post-embargo", "post-media", "post-category")
ODD_FRONTS = [
    {"id": "p", "account": "ube-city-x", "status": "published", "category": 3, "author": [1], "approval": "yes",
     "publish_at": 12345, "press_release": 5, "media": "x", "revisions": {"a": 1}, "deleted": "x", "waivers": "x"},
    {"id": "p", "account": ["x"], "status": "deleted", "category": None, "author": {"external": None, "permitted_by": ["a"]},
     "approval": {"approved_by": None, "approved_on": "not a date"}, "publish_at": "2025-99-99T99:00",
     "media": [None, 1, {"path": None, "rights": "own", "people": 3}, {"path": "", "rights": {"source": 5}}],
     "revisions": [None, {"on": "x"}, {"approved_by": {"a": 1}, "body_sha256": 5}], "deleted": {"on": None},
     "platform_text": {"x": 5, "y": None}},
    {"id": "p", "account": "nope", "status": "scheduled", "category": "tourism", "author": {"employee_id": True},
     "approval": {"approved_by": "100101", "approved_on": "2025-04-01"}, "publish_at": True,
     "press_release": "2025-10-08-ube-matsuri"},
    {"id": "p", "account": "ube-city-x", "status": "published", "category": "event", "author": {"employee_id": "200201"},
     "approval": {"approved_by": "100101", "approved_on": "9999-12-31"}, "publish_at": "0001-01-01T00:00:00+14:00",
     "revisions": [{"on": "0001-01-01", "summary": "x", "approved_by": "100101"}]},
    {"id": "p", "account": "ube-city-x", "status": "scheduled", "category": "event", "author": {"employee_id": "200201"},
     "approval": {"approved_by": "100101", "approved_on": "2025-01-01"}, "publish_at": "9999-12-31T23:59:00-12:00"},
]


@pytest.mark.parametrize("front", ODD_FRONTS)
def test_odd_front_matter_never_crashes(tmp_path: Path, front: dict) -> None:
    press = [_press(), {"id": "bad", "title": "x", "embargo_until": "soon", "keywords": [None, 3, "", "宇部"]},
             {"id": "far", "title": "x", "embargo_until": "9999-12-31T23:59:00-12:00", "keywords": ["市民"]}]
    root = make_repo(tmp_path, {"p.md": front}, press=press, roster=True)
    run(root, *POST_RULES, "schema", "waiver-invalid", "waiver-expired", "waiver-unused")  # run() asserts no internal error


def test_list_front_matter_never_crashes(tmp_path: Path) -> None:
    # a list instead of key: value is reported by the loader (a located, fatal yaml-syntax finding
    # for that file), never as an internal error of a post rule
    root = make_repo(tmp_path, {"p.md": ["a", "b"]})
    setup = runner.prepare([root])
    _, result = lint_setup(setup, today=dt.date(2025, 6, 1), select=lambda spec: spec.id in POST_RULES)
    assert not [f for f in result.findings if f.rule == "internal-error"]
    assert [(f.path, f.fatal) for f in result.findings if f.path == "posts/p.md"] in ([], [("posts/p.md", True)])


# ------------------------------------------------------------------ the example repos


@pytest.mark.parametrize("today", ["2024-01-01", "2025-06-01", "2026-11-01", "2030-01-01"])
def test_clean_example_passes_post_rules(today: str) -> None:
    example = EXAMPLES / "ube-city-posts"
    if not example.is_dir():
        pytest.skip("example repo missing")
    result = run(example, "post-approval", "post-self-approval", "post-revision-approval", "post-deletion-record",
                 "post-author", "post-embargo", "post-media", "post-category", today=today)
    assert [f"{f.path}: {f.rule} {f.message}" for f in result.visible()] == []


EXPECTED_CLAUSE = {
    "post-approval": "5", "post-self-approval": "5", "post-revision-approval": "5", "post-deletion-record": "5",
    "post-author": "6(9)", "post-embargo": "6(10)", "post-media": "6(6)", "post-category": "3(4)",
}


def test_violations_example_fires_every_post_rule_with_its_clause(tmp_path: Path) -> None:
    example = EXAMPLES / "ube-city-posts-violations"
    if not (example / "posts").is_dir():
        pytest.skip("violations example missing")
    copy = tmp_path / "v"
    shutil.copytree(example, copy, ignore=WITHOUT_CACHE)
    result = run(copy, *EXPECTED_CLAUSE, today="2025-06-01")
    fired = {f.rule: f.clause for f in result.visible()}
    assert fired == EXPECTED_CLAUSE
