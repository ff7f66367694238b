"""The approver's review page (``-f html``): self-contained and script-free, every string escaped,
findings marked at the right text, sensitive text masked, metadata, X meter, summaries, languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from snspolicy.core.model import Finding, Fix, ReportContext, Severity
from snspolicy.reporters import html_parts, render
from snspolicy.reporters.documents import documents_from_folder, review_documents
from tests.conftest import WITHOUT_CACHE

from .conftest import make_finding
from .htmldom import Element, parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VIOLATIONS = ROOT / "examples" / "ube-city-posts-violations"

POST = "posts/ube-city-x/2026/2026-06-01-test.md"
BODY = (
    "宇部市からのお知らせです。\n"            # body line 1 = file line 9
    "電話は090-1234-5678まで。\n"             # file line 10: the phone is columns 4..16
    "外人の方も歓迎します。\n"                # file line 11: 外人 = columns 1..2
    "<!-- snspolicy: allow text-discrimination -->\n"
    "https://www.city.ube.yamaguchi.jp/\n"
)
META = {
    "id": "2026-06-01-test", "account": "ube-city-x", "status": "published",
    "publish_at": "2026-06-01T00:30:00Z", "category": "event",
    "author": {"employee_id": "200201"}, "approval": {"approved_by": "100101", "approved_on": "2026-05-30"},
    "media": [{"path": "media/2026/a.jpg", "alt": "会場の様子", "rights": {"source": "licensed", "credit": "写真協会"},
               "people": "crowd"}],
}
META_LINES = {"id": 2, "account": 3, "status": 4, "publish_at": 5, "category": 6, "author": 7, "approval": 7, "media": 7}


def documents(body: str = BODY, meta: dict[str, Any] | None = None, path: str = POST,
              platform: str = "x") -> dict[str, dict[str, Any]]:
    return {
        path: {"kind": "post", "meta": dict(META if meta is None else meta), "body": body, "body_line": 9,
               "meta_lines": dict(META_LINES), "platform": platform, "handle": "@ube_city"},
        "accounts/ube-city-x.yaml": {"kind": "account", "meta": {"id": "ube-city-x", "platform": platform,
                                                                 "handle": "@ube_city", "manager": {"name": "常盤 正和"}}},
    }


def phone() -> Finding:
    return make_finding(path=POST, line=10, column=4, end_line=10, end_column=17, rule="pii-phone",
                        message="個人の電話番号 090-****-**** を削除してください")


def gaijin(**kw: Any) -> Finding:
    base = dict(path=POST, line=11, column=1, end_line=11, end_column=3, rule="text-discrimination", clause="6(2)",
                severity=Severity.WARNING, message="「外人」は差別的な表現です。「外国人」と書いてください。",
                title="差別的な表現", fix=Fix("「外国人」に置き換える", "外国人"))
    base.update(kw)
    return make_finding(**base)


def page(findings: list[Finding], ctx: ReportContext, docs: dict[str, Any] | None = None, **kw: Any) -> tuple[str, Element]:
    ctx.documents = documents() if docs is None else docs
    out = render("html", findings, ctx, **kw)
    dom, problems = parse(out)
    assert problems == [], problems
    return out, dom


def marked(dom: Element, n: int) -> str:
    """The text of every mark that belongs to finding n, in document order."""
    return "".join(m.text() for m in dom.find_all("mark", lambda e: str(n) in e.attrs.get("data-f", "").split()))


def number_of(dom: Element, rule: str) -> int:
    for li in dom.find_all("li", lambda e: "finding" in e.classes()):
        if f"<code>{rule}</code>" in _inner(li) or any(c.text() == rule for c in li.find_all("code")):
            return int(li.attrs["id"][2:])
    raise AssertionError(f"no finding of {rule}")


def _inner(el: Element) -> str:
    return el.text()


# --------------------------------------------------------------------------- the page itself


def test_self_contained_script_free_page(ctx: ReportContext) -> None:
    out, dom = page([phone(), gaijin()], ctx)
    assert out.startswith("<!DOCTYPE html>\n<html lang=\"ja\">")
    assert not dom.find_all("script") and not dom.find_all("link") and not dom.find_all("img")
    assert not dom.find_all("iframe") and not dom.find_all("object")
    for el in dom.iter():
        for name, value in el.attrs.items():
            assert not name.startswith("on"), (el.tag, name)
            if name in ("href", "src", "action"):
                assert value.startswith("#"), (el.tag, name, value)  # only links inside the page
    csp = dom.find_all("meta", lambda e: e.attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp and "default-src 'none'" in csp[0].attrs["content"] and "script-src" not in csp[0].attrs["content"]
    style = dom.find_all("style")[0].text()
    assert "@media print" in style and "size: A4" in style
    assert "url(" not in style and "@import" not in style  # no fonts or images fetched
    assert dom.find_all("meta", lambda e: e.attrs.get("charset") == "utf-8")
    # every id is unique and every in-page link has a target
    ids = [e.attrs["id"] for e in dom.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    for a in dom.find_all("a"):
        assert a.attrs["href"][1:] in ids, a.attrs["href"]


def test_every_string_is_escaped(ctx: ReportContext) -> None:
    evil_path = 'posts/x/"><script>alert(1)</script>.md'
    evil_body = "<script>alert('body')</script>\n<img src=x onerror=alert(2)>本文&amp;\n"
    meta = {**META, "id": '<b onclick="x()">id</b>', "account": "<i>acc</i>", "category": "<svg onload=alert(3)>",
            "media": [{"path": "<iframe src=javascript:alert(4)>", "alt": "\"'><script>x</script>"}]}
    docs = documents(evil_body, meta, evil_path)
    f1 = make_finding(path=evil_path, line=9, column=1, end_line=9, end_column=31, rule="<rule>",
                      clause="6(1)<x>", message="<script>alert('msg')</script> & \"quotes\"",
                      title="<title>", fix=Fix("<b>fix</b>", "<script>r</script>"))
    f2 = make_finding(path="press/<script>p</script>.yaml", line=1, message="<img src=x onerror=alert(5)>")
    out, dom = page([f1, f2], ctx, docs)
    assert not dom.find_all("script") and not dom.find_all("img") and not dom.find_all("iframe")
    assert not dom.find_all("svg") and not dom.find_all("b") and not dom.find_all("i")
    assert not any(name.startswith("on") for el in dom.iter() for name in el.attrs)
    text = dom.text()
    for raw in (evil_path, "<script>alert('body')</script>", "<img src=x onerror=alert(2)>本文&amp;",
                "<script>alert('msg')</script> & \"quotes\"", "press/<script>p</script>.yaml", "<svg onload=alert(3)>",
                "<iframe src=javascript:alert(4)>", "\"'><script>x</script>", "<b>fix</b>", "<script>r</script>"):
        assert raw in text, raw  # shown as text, literally
    assert "<script>" not in out.replace("&lt;script&gt;", "")


def test_findings_are_marked_at_their_text(ctx: ReportContext) -> None:
    out, dom = page([phone(), gaijin()], ctx)
    n_phone, n_gaijin = number_of(dom, "pii-phone"), number_of(dom, "text-discrimination")
    assert marked(dom, n_gaijin) == "外人"
    # the personal data the finding points at is masked in the page, like in the message
    assert marked(dom, n_phone) == "***-****-****"
    assert "090-1234-5678" not in out and "1234" not in out
    assert "個人情報・秘密のため伏せています" in dom.text()
    # each mark is followed by the numbered link to its explanation, which links back
    for n in (n_phone, n_gaijin):
        ref = dom.by_id(f"ref-{n}")
        assert ref is not None and ref.tag == "a" and ref.attrs["href"] == f"#f-{n}"
        assert ref.text().startswith("指摘") and str(n) in ref.text()
        li = dom.by_id(f"f-{n}")
        assert li is not None and any(a.attrs.get("href") == f"#ref-{n}" for a in li.find_all("a"))
    li = dom.by_id(f"f-{n_gaijin}").text()
    assert "ガイドライン 6(2) 差別" in li and "「外人」は差別的な表現です" in li
    assert "直し方の提案: 「外国人」に置き換える → 「外国人」" in li and "11 行目" in li
    # the rest of the text is there, unchanged; the inline waiver comment is shown as a comment
    text = dom.find_all("div", lambda e: "text" in e.classes())[0]
    assert text.text().startswith("宇部市からのお知らせです。\n電話は") and "https://www.city.ube.yamaguchi.jp/" in text.text()
    assert [c.text() for c in text.find_all("span", lambda e: "comment" in e.classes())] == \
        ["<!-- snspolicy: allow text-discrimination -->"]


def test_overlapping_zero_width_and_out_of_range_findings(ctx: ReportContext) -> None:
    whole_line = gaijin(rule="clarity-sentence-length", clause="3(7)", column=1, end_column=12, fix=None,
                        message="この文は長すぎます。")
    inner = gaijin()
    point = make_finding(path=POST, line=9, column=3, end_line=9, end_column=3, rule="zero", message="ここ")
    beyond = make_finding(path=POST, line=99, column=1, end_line=120, end_column=1, rule="beyond", message="末尾")
    _, dom = page([whole_line, inner, point, beyond], ctx)
    n_whole, n_inner = number_of(dom, "clarity-sentence-length"), number_of(dom, "text-discrimination")
    assert marked(dom, n_whole) == "外人の方も歓迎します。"
    assert marked(dom, n_inner) == "外人"
    both = dom.find_all("mark", lambda e: e.attrs.get("data-f", "").split() == sorted([str(n_whole), str(n_inner)], key=int))
    assert [m.text() for m in both] == ["外人"]
    n_point, n_beyond = number_of(dom, "zero"), number_of(dom, "beyond")
    assert marked(dom, n_point) == "" and dom.by_id(f"ref-{n_point}") is not None
    assert dom.by_id(f"ref-{n_beyond}") is not None  # clamped to the end of the text
    # link order in the text follows the text
    refs = [int(a.attrs["id"][4:]) for a in dom.find_all("a", lambda e: e.attrs.get("id", "").startswith("ref-"))]
    assert refs == sorted(refs)


def test_front_matter_findings_point_at_the_field(ctx: ReportContext) -> None:
    approval = make_finding(path=POST, line=7, column=10, end_line=7, end_column=30, rule="post-approval", clause="5",
                            message="承認者（200206）はこのアカウントの管理者・代理者ではありません。")
    odd = make_finding(path=POST, line=1, rule="schema", clause="5", message="1 行目の問題")
    _, dom = page([approval, odd], ctx, docs={POST: {**documents()[POST], "meta_lines": {"id": 2, "approval": 7}}})
    n = number_of(dom, "post-approval")
    row = dom.by_id(f"ref-{n}").parent.parent
    assert row.tag == "tr" and "flagged" in row.classes() and row.find_all("th")[0].text() == "承認"
    assert "100101（2026-05-30 承認）" in row.text()
    other = dom.by_id(f"ref-{number_of(dom, 'schema')}").parent.parent
    assert other.find_all("th")[0].text() == "その他（1 行目）"
    assert "該当する項目へ（指摘" in dom.by_id(f"f-{n}").text()


def test_metadata_is_shown(ctx: ReportContext) -> None:
    out, dom = page([], ctx)
    rows = {tr.find_all("th")[0].text(): tr.find_all("td")[0].text() for tr in dom.find_all("tr")
            if tr.find_all("th") and tr.find_all("td") and "meta" in (tr.parent.classes() if tr.parent else set())}
    assert rows["アカウント"] == "ube-city-x（X @ube_city）"
    assert rows["公開日時"] == "2026年6月1日（月） 9:30（日本時間）"  # 00:30Z is 09:30 in Japan
    assert rows["状態"] == "公開済み" and rows["分類"] == "event"
    assert rows["作成者"] == "職員番号 200201"
    assert "利用許諾あり（写真協会）" in rows["画像・動画"] and "群衆" in rows["画像・動画"]
    assert "media/2026/a.jpg" in rows["画像・動画"] and "会場の様子" in rows["画像・動画"]
    assert "常盤" not in out  # account data is only used to find the platform
    assert "指摘はありません。" in dom.text()


@pytest.mark.parametrize("value, lang, expected", [
    ("2026-06-15T09:00:00+09:00", "ja", "2026年6月15日（月） 9:00（日本時間）"),
    ("2026-06-14T23:59:00-01:00", "ja", "2026年6月15日（月） 9:59（日本時間）"),
    ("2026-06-15T09:05:00", "ja", "2026年6月15日（月） 9:05（日本時間）"),  # no zone: Japan time
    ("2026-06-15", "ja", "2026年6月15日（月）"),
    ("2026-06-15T09:00:00+09:00", "en", "2026-06-15 (Mon) 09:00 JST"),
    ("来週の月曜", "ja", "来週の月曜（日時として読めません）"),
])
def test_publish_time_in_japan_time(value: str, lang: str, expected: str) -> None:
    _dom, _ = parse(html_parts._jst(value, lang))
    assert _dom.text() == expected


def test_x_meter(ctx: ReportContext) -> None:
    from snspolicy.text.clarity import weighted_length

    long_body = "あ" * 150 + "\nhttps://example.jp/a/very/long/path/that/counts/as/twenty-three\n"
    _, dom = page([], ctx, docs=documents(long_body))
    meter = dom.find_all("div", lambda e: "meter" in e.classes())
    assert len(meter) == 1 and "over" in meter[0].classes()
    expected = weighted_length(long_body.strip(), "x")
    assert expected == 150 * 2 + 1 + 23
    assert f"{expected} / 280 字分" in meter[0].text() and f"{expected - 280} 字分超過" in meter[0].text()
    # an inline waiver comment is not counted
    _, dom = page([], ctx, docs=documents("短い本文。\n<!-- snspolicy: allow x -->\n"))
    assert "10 / 280 字分（残り 270 字分）" in dom.find_all("div", lambda e: "meter" in e.classes())[0].text()
    # other platforms: a plain count, no X meter
    _, dom = page([], ctx, docs=documents(platform="instagram"))
    assert not dom.find_all("div", lambda e: "meter" in e.classes())
    assert "文字数:" in dom.text()


def test_summary_per_account_and_clause(ctx: ReportContext) -> None:
    acc = make_finding(path="accounts/ube-city-x.yaml", line=3, rule="account-holders", clause="4(1)",
                       message="担当者が 1 名です")
    press = make_finding(path="press/2026-01-01.yaml", line=2, rule="press-x", clause="6(10)",
                         severity=Severity.WARNING, message="報道発表")
    _, dom = page([phone(), gaijin(), acc, press], ctx)
    tables = {t.attrs.get("aria-labelledby"): t for t in dom.find_all("table")}
    rows = [[c.text() for c in tr.children if not isinstance(c, str)] for tr in tables["h-by-account"].find_all("tr")]
    assert rows[0] == ["アカウント", "SNS", "投稿数", "違反", "警告", "情報"]
    assert ["ube-city-x", "X @ube_city", "1", "2", "1", "0"] in rows  # post findings + the account file's
    rows = [[c.text() for c in tr.children if not isinstance(c, str)] for tr in tables["h-by-clause"].find_all("tr")]
    assert ["4(1)", "担当者は原則2名", "1", "0", "0"] in rows and ["6(10)", "報道発表前の先行発信", "0", "1", "0"] in rows
    assert rows[-1] == ["合計", "", "2", "2", "0"]
    assert [r[0] for r in rows[1:-1]] == ["4(1)", "6(2)", "6(5)", "6(10)"]  # guideline order
    files = dom.by_id("files")
    assert files is not None and "accounts/ube-city-x.yaml" in files.text() and "press/2026-01-01.yaml" in files.text()
    assert "修正が必要です" in dom.text()


def test_without_documents_lists_findings_per_file(ctx: ReportContext) -> None:
    _, dom = page([phone(), gaijin()], ctx, docs={})
    assert "投稿の本文が含まれていません" in dom.text()
    assert not dom.find_all("mark") and not dom.find_all("article")
    assert len(dom.find_all("li", lambda e: "finding" in e.classes())) == 2 and POST in dom.by_id("files").text()


def test_waived_and_english(ctx: ReportContext) -> None:
    waived = gaijin(waived=True, waiver_reason="課長が承認")
    out, dom = page([phone(), waived], ctx)
    assert len(dom.find_all("li", lambda e: "finding" in e.classes())) == 1
    assert "例外として承認済みの指摘 1 件は表示していません。" in dom.text()
    out, dom = page([phone(), waived], ctx, show_waived=True)
    assert "例外として承認済み: 課長が承認" in dom.text()
    # a waived finding on personal data is not listed, yet its text stays masked
    hidden = phone()
    hidden.waived, hidden.waiver_reason = True, "本人の同意あり"
    out, dom = page([hidden], ctx)
    assert not dom.find_all("li", lambda e: "finding" in e.classes())
    assert "090-1234-5678" not in out and "電話は***-****-****まで" in dom.text()
    ctx.lang = "en"
    out, dom = page([phone()], ctx)
    assert out.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "SNS post review (for approvers)" in dom.text() and "Guideline 6(5)" in dom.text()
    assert "ube-city-x (X @ube_city)" in dom.text() and "（" not in dom.find_all("header")[0].text()
    assert "2026-06-01 (Mon) 09:30 JST" in dom.text()
    assert dom.find_all("div", lambda e: "text" in e.classes())[0].attrs["lang"] == "ja"  # the post stays Japanese


def test_clean_run(ctx: ReportContext) -> None:
    _, dom = page([], ctx)
    assert "合格です。問題は見つかりませんでした。" in dom.text() and not dom.by_id("files")


def test_odd_documents_do_not_raise(ctx: ReportContext) -> None:
    docs: dict[str, Any] = {
        "posts/a.md": {"meta": None, "body": None},
        "posts/b.md": {"kind": "post", "meta": {"publish_at": 5, "media": "x", "author": "y"}, "body": "",
                       "body_line": "z", "meta_lines": {"publish_at": "q"}},
        "posts/c.md": "not a mapping",
        "posts/d.md": {"kind": "post", "meta": {"id": ["a"], "account": 3}, "body": "本文", "body_line": -4},
    }
    f = make_finding(path="posts/b.md", line=0, column=-1, message="")
    f.message = None  # type: ignore[assignment]
    _, dom = page([f], ctx, docs=docs)
    assert "（本文がありません）" in dom.text()


# --------------------------------------------------------------------------- the documents helper


def test_review_documents_from_the_example() -> None:
    docs = documents_from_folder(VIOLATIONS)
    rel = "posts/ube-bousai-x/2026/2026-06-15-sanshu-meibo.md"
    entry = docs[rel]
    text = (VIOLATIONS / rel).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert entry["kind"] == "post" and entry["platform"] == "x" and entry["handle"] == "@ube_bousai"
    assert lines[entry["body_line"] - 1] == entry["body"].split("\n")[0] == "【庁内限り】職員の非常参集訓練の連絡網を共有します。"
    assert lines[entry["meta_lines"]["publish_at"] - 1].startswith("publish_at:")
    assert entry["meta"]["category"] == "safety"
    assert docs["accounts/ube-bousai-x.yaml"]["kind"] == "account"
    only = documents_from_folder(VIOLATIONS, only=[rel])
    assert [p for p, e in only.items() if e["kind"] == "post"] == [rel]
    assert documents_from_folder(VIOLATIONS / "nothing-here") == {}


def test_review_documents_from_loaded_documents(tmp_path: Path) -> None:
    from snspolicy.io.documents import load_document

    (tmp_path / "posts").mkdir()
    p = tmp_path / "posts" / "a.md"
    p.write_text("---\nid: a\naccount: acc\npublish_at: 2026-01-01\n---\n\n本文\n", encoding="utf-8")
    doc = load_document("post", p, "posts/a.md", tmp_path)
    out = review_documents([doc], {"acc": {"id": "acc", "platform": " X ", "handle": "@a"}})
    assert out["posts/a.md"]["body"] == "\n本文\n" and out["posts/a.md"]["body_line"] == 6
    assert out["posts/a.md"]["platform"] == "x" and out["posts/a.md"]["meta_lines"] == {"id": 2, "account": 3, "publish_at": 4}
    assert review_documents([doc])["posts/a.md"]["platform"] == ""


# --------------------------------------------------------------------------- a real run


@pytest.fixture(scope="module")
def example_page() -> tuple[list[Finding], str]:
    from .example_run import lint_repo

    findings, ctx = lint_repo(VIOLATIONS)
    return findings, render("html", findings, ctx)


def _span_text(path: Path, f: Finding, body_line: int) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    if f.line == f.end_line:
        return lines[f.line - 1][f.column - 1:f.end_column - 1]
    parts = [lines[f.line - 1][f.column - 1:]] + lines[f.line:f.end_line - 1] + [lines[f.end_line - 1][:f.end_column - 1]]
    return "\n".join(parts)


def test_example_every_finding_present_and_anchored(example_page: tuple[list[Finding], str]) -> None:
    findings, out = example_page
    dom, problems = parse(out)
    assert problems == []
    items = dom.find_all("li", lambda e: "finding" in e.classes())
    assert len(items) == len(findings) > 40
    docs = documents_from_folder(VIOLATIONS)
    checked = 0
    for f in findings:
        candidates = [li for li in items if f.message in li.text() and any(c.text() == f.rule for c in li.find_all("code"))]
        assert len(candidates) >= 1, f
        entry = docs.get(f.path)
        if entry is None or entry["kind"] != "post" or f.line < entry["body_line"]:
            continue
        n = int(candidates[0].attrs["id"][2:])
        want = _span_text(VIOLATIONS / f.path, f, entry["body_line"])
        got = marked(dom, n)
        if "*" in f.message:
            assert got == re.sub(r"\w", "*", want), (f.rule, got, want)
            texts = "".join(d.text() for d in dom.find_all("div", lambda e: "text" in e.classes()))
            assert want and want not in texts, f.rule  # the sensitive text never reaches the post's text
        else:
            assert got == want, (f.rule, got, want)
        checked += 1
    assert checked >= 20  # 24 findings in post bodies today


def test_example_secret_canary_masked(tmp_path: Path) -> None:
    import shutil

    from .example_run import lint_repo

    canary = "gh" + "p_" + "Zq9Wx2Lm9Kd4Rt6Vb1Np8Hs3Jf5gT0C4nAry7Q"
    repo = tmp_path / "repo"
    shutil.copytree(VIOLATIONS, repo, symlinks=True, ignore=WITHOUT_CACHE)
    post = repo / "posts" / "ube-bousai-x" / "2026" / "2026-06-15-sanshu-meibo.md"
    post.write_text(post.read_text(encoding="utf-8") + f"\n設定メモ token: {canary}\n", encoding="utf-8")
    findings, ctx = lint_repo(repo)
    assert any(canary[:4] in f.message for f in findings)  # the scan found it (masked in the message)
    out = render("html", findings, ctx)
    assert canary not in out and canary[8:20] not in out


def test_unreadable_file_with_a_bare_context() -> None:
    fatal = make_finding(path="posts/broken.md", line=1, rule="schema", clause="-", fatal=True,
                         message="ファイルを UTF-8 として読めません。")
    out = render("html", [fatal], ReportContext())
    dom, problems = parse(out)
    assert problems == []
    assert "修正が必要です" in dom.text() and "posts/broken.md" in dom.by_id("files").text()
    assert "ファイルを UTF-8 として読めません。" in dom.by_id("f-1").text() and "その他" in dom.by_id("f-1").text()
