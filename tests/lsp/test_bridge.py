"""The bridge: a buffer is linted exactly as `lint` would lint the file, from memory."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import CLEAN, WITHOUT_CACHE, write

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup
from snspolicy.engine.registry import load_builtin_rules
from snspolicy.io.editing import replace_spans
from snspolicy.lsp import bridge
from snspolicy.lsp.bridge import Workspace, lint_text
from snspolicy.lsp.edits import waiver_edit
from snspolicy.rules.api import REGISTRY, RuleImpl

TODAY = dt.date(2025, 6, 1)
POST = "posts/ube-city-x/2025/2025-04-07-gan-kenshin.md"
ACCOUNT = "accounts/ube-city-x.yaml"
PHONE = "担当 090-1234-5678 "


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(CLEAN, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


def ws_of(root: Path, lang: str = "ja") -> Workspace:
    return Workspace(root, lang=lang, today=TODAY)


def lint_on_disk(root: Path, rel: str, text: str, lang: str = "ja") -> list[dict]:
    """What `snspolicy lint REL` reports once the text is saved (in a separate copy of the repo)."""
    copy = root.parent / ("disk-" + root.name)
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root, copy, symlinks=True)
    write(copy, rel, text)
    setup = runner.prepare([copy / rel])
    _repo, result = lint_setup(setup, lang=lang, today=TODAY)
    return [f.to_dict() for f in result.findings]


def post_text(root: Path) -> str:
    return (root / POST).read_text(encoding="utf-8")


EDITS = {
    "phone": lambda t: t.replace("0836-31-1111", "担当者の携帯 090-1234-5678"),  # a person's own phone: an error
    "http": lambda t: t.replace("https://www.city", "http://www.city"),
    "category": lambda t: t.replace("category: health", "category: helth"),
    "broken-yaml": lambda t: t.replace("account: ube-city-x", "account: [ube-city-x"),
    "unclosed": lambda t: t.split("---\n【")[0],
    "no-front-matter": lambda t: "本文だけ\n",
    "weekday": lambda t: t.replace("4月14日（月）", "4月14日（火）"),
    "unknown-account": lambda t: t.replace("account: ube-city-x", "account: ube-city-y"),
    "secret": lambda t: t.replace("問い合わせ：", "ghp_0123456789abcdefABCDEF0123456789abcd "),
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("case", sorted(EDITS))
def test_a_buffer_gives_what_lint_gives_for_the_saved_file(repo, case, lang):
    text = EDITS[case](post_text(repo))
    got = [f.to_dict() for f in ws_of(repo, lang).lint_buffer(POST, text)]
    assert got == lint_on_disk(repo, POST, text, lang)
    assert got or case == "none"
    assert (repo / POST).read_text(encoding="utf-8") == post_text(repo)  # nothing written


def test_an_account_buffer_gives_what_lint_gives(repo):
    text = (repo / ACCOUNT).read_text(encoding="utf-8").replace("enabled: true", "enabled: false")
    got = [f.to_dict() for f in ws_of(repo).lint_buffer(ACCOUNT, text)]
    assert "account-2fa" in {f["rule"] for f in got}
    assert got == lint_on_disk(repo, ACCOUNT, text)


def test_the_phone_number_is_located_and_masked(repo):
    text = EDITS["phone"](post_text(repo))
    [f] = [f for f in ws_of(repo).lint_buffer(POST, text) if f.rule == "pii-phone"]
    line = text.split("\n")[f.line - 1]
    assert line[f.column - 1:f.end_column - 1] == "090-1234-5678"
    assert f.clause == "6(5)" and str(f.severity) == "error"
    assert "090-1234-5678" not in f.message and "090-" in f.message


def test_a_clean_buffer_has_no_findings_and_the_repo_is_loaded_once(repo):
    ws = ws_of(repo)
    assert ws.lint_buffer(POST, post_text(repo)) == []
    assert ws.lint_buffer(POST, EDITS["phone"](post_text(repo)))
    assert ws.lint_buffer(POST, post_text(repo)) == []
    assert ws.loads == 1
    assert ws._base is not None and (ws._base.deferred or ws._base.pending), \
        "other posts are not read for a one-post check"
    assert len([d for d in ws._base.loaded if d.kind == "post"]) <= 1


def test_a_new_file_not_on_disk_yet(repo):
    rel = "posts/ube-city-x/2025/2025-06-02-new.md"
    text = post_text(repo).replace("id: 2025-04-07-gan-kenshin", "id: 2025-06-02-new") + PHONE + "\n"
    rules = {f.rule for f in ws_of(repo).lint_buffer(rel, text)}
    assert "pii-phone" in rules
    assert not (repo / rel).exists()


def test_an_open_account_buffer_is_the_context_of_posts_until_closed(repo):
    ws = ws_of(repo)
    account = (repo / ACCOUNT).read_text(encoding="utf-8")
    assert ws.lint_buffer(POST, post_text(repo)) == []
    assert ws.set_buffer(ACCOUNT, account) is False  # same as on disk: nothing to re-check
    assert ws.set_buffer(ACCOUNT, account.replace("id: ube-city-x", "id: ube-city-z")) is True
    assert "post-account" in {f.rule for f in ws.lint_buffer(POST, post_text(repo))}
    assert ws.drop_buffer(ACCOUNT) is True
    assert ws.lint_buffer(POST, post_text(repo)) == []
    assert ws.loads == 1  # no reload for an account: only that document changes


def test_a_post_buffer_is_not_context_for_other_posts(repo):
    ws = ws_of(repo)
    assert ws.set_buffer(POST, "junk") is False
    assert ws._buffers == {}


def test_a_change_of_the_configuration_on_disk_reloads(repo):
    ws = ws_of(repo)
    assert ws.lint_buffer(POST, post_text(repo)) == []
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    write(repo, "snspolicy.yaml", cfg.replace("policy: ube/2025-04-01", "policy: ube/nope"))
    [f] = ws.lint_buffer(POST, post_text(repo))
    assert f.path == "snspolicy.yaml" and f.fatal and f.line == 3 and "nope" in f.message
    write(repo, "snspolicy.yaml", cfg)
    assert ws.lint_buffer(POST, post_text(repo)) == []
    assert ws.loads == 3


def test_a_saved_account_is_reread(repo):
    ws = ws_of(repo)
    assert ws.lint_buffer(POST, post_text(repo)) == []
    account = (repo / ACCOUNT).read_text(encoding="utf-8")
    write(repo, ACCOUNT, account.replace("id: ube-city-x", "id: ube-city-z"))
    ws.file_changed(ACCOUNT)
    assert "post-account" in {f.rule for f in ws.lint_buffer(POST, post_text(repo))}
    assert ws.loads == 1


def test_a_half_typed_configuration_buffer(repo):
    ws = ws_of(repo)
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    half = cfg.replace("fail_on: error", "fail_on: [error")
    ws.set_buffer("snspolicy.yaml", half)
    [f] = ws.lint_buffer("snspolicy.yaml", half)
    assert f.rule == "yaml-syntax" and f.fatal and f.line >= 3
    assert ws.lint_buffer(POST, post_text(repo)) == []  # the others use the one on disk meanwhile
    typo = cfg.replace("fail_on: error", "fail_on: eror")
    [f] = ws.lint_buffer("snspolicy.yaml", typo)
    assert f.path == "snspolicy.yaml" and f.line == 4


def test_an_open_configuration_buffer_applies_to_the_others(repo):
    ws = ws_of(repo)
    text = EDITS["phone"](post_text(repo))
    assert "pii-phone" in {f.rule for f in ws.lint_buffer(POST, text)}
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    allowed = cfg.replace('phone_numbers: ["0836-31-1111"]', 'phone_numbers: ["0836-31-1111", "090-1234-5678"]')
    assert ws.set_buffer("snspolicy.yaml", allowed)
    assert ws.lint_buffer("snspolicy.yaml", allowed) == []
    assert "pii-phone" not in {f.rule for f in ws.lint_buffer(POST, text)}
    ws.drop_buffer("snspolicy.yaml")
    assert "pii-phone" in {f.rule for f in ws.lint_buffer(POST, text)}


def test_kinds_follow_the_configured_paths(repo):
    write(repo, "snspolicy.yaml", (repo / "snspolicy.yaml").read_text(encoding="utf-8")
          + "paths: {posts: content}\nexclude: ['content/drafts/*']\n")
    ws = ws_of(repo)
    assert ws.kind_of("content/a/b.md") == "post"
    assert ws.kind_of("posts/a/b.md") is None
    assert ws.kind_of("content/drafts/x.md") is None
    assert ws.kind_of("accounts/x.yml") == "account"
    assert ws.kind_of("accounts/sub/x.yaml") is None
    assert ws.kind_of("press/p.yaml") == "press" and ws.kind_of("incidents/i.yaml") == "incident"
    assert ws.kind_of("snspolicy.yaml") == "config" and ws.kind_of("README.md") is None


@pytest.mark.parametrize("junk", ["\0\1\2\3binary", "---\nid: x\n", "---\n- a\n- b\n---\n", "\udcff lone surrogate",
                                  "x" * (2 * 1024 * 1024 + 1), ""])
def test_junk_never_raises_and_is_reported_as_lint_would(repo, junk):
    got = ws_of(repo).lint_buffer(POST, junk)
    assert got and all(f.fatal for f in got) and {f.rule for f in got} <= {"yaml-syntax", "file-encoding"}


def test_a_rule_crash_becomes_a_finding(repo, monkeypatch):
    load_builtin_rules()

    def boom(doc, ctx):
        raise RuntimeError("boom")
        yield

    monkeypatch.setitem(REGISTRY, "pii-phone", RuleImpl("pii-phone", frozenset({"post"}), boom, "tests.lsp", text=True))
    found = ws_of(repo).lint_buffer(POST, post_text(repo))
    assert [f.rule for f in found] == ["internal-error"] and "pii-phone" in found[0].message


def test_a_crash_outside_the_rules_becomes_a_finding(repo, monkeypatch):
    ws = ws_of(repo)
    monkeypatch.setattr(bridge, "lint", lambda *a, **k: 1 / 0)
    [f] = ws.lint_buffer(POST, post_text(repo))
    assert f.rule == "internal-error" and f.path == POST and "ZeroDivisionError" in f.message


def test_explain_is_the_explain_command_text(repo):
    from snspolicy.reporters.explain import explain_text

    ws = ws_of(repo, "en")
    text = ws.explain("pii-phone")
    assert text == explain_text(ws.setup.policy, ws.setup.policy.rules["pii-phone"], "en")
    assert text.startswith("pii-phone:") and "6(5)" in text
    assert ws.explain("no-such-rule") is None


def test_rule_doc_uri(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ws = ws_of(repo)
    uri = ws.rule_doc_uri("pii-phone")
    assert uri.startswith("file://") and uri.endswith("#rule-pii-phone")
    generated = Path(uri[len("file://"):].split("#")[0])
    assert generated.is_file() and '<a id="rule-pii-phone"></a>' in generated.read_text(encoding="utf-8")
    write(repo, "docs/rules.md", "# catalogue\n")
    assert ws.rule_doc_uri("pii-phone") == (repo / "docs/rules.md").resolve().as_uri() + "#rule-pii-phone"
    ws.docs_url = "https://intra.example/rules#{anchor}"
    assert ws.rule_doc_uri("pii-phone") == "https://intra.example/rules#rule-pii-phone"
    assert ws.rule_doc_uri("no-such-rule") is None


def test_fix_edits_http_and_category(repo):
    ws = ws_of(repo)
    text = EDITS["category"](EDITS["http"](post_text(repo)))
    found = ws.lint_buffer(POST, text)
    edits = [e for f in found if (e := ws.fix_edit(POST, text, f))]
    assert {e.replacement.split(":")[0] for e in edits} == {"https", "health"}
    fixed = replace_spans(text, [(e.span, e.replacement) for e in edits])
    assert fixed == post_text(repo)
    assert replace_spans(text, [(e.span, e.replacement) for e in ws.fix_all(POST, text, found)]) == fixed
    assert ws.lint_buffer(POST, fixed) == []


def test_a_fix_that_would_break_the_file_is_not_offered(repo):
    ws = ws_of(repo)
    text = EDITS["category"](post_text(repo))
    [f] = ws.lint_buffer(POST, text)
    assert ws.fix_edit(POST, text, f) is not None
    f.fix = type(f.fix)(f.fix.description, "[broken", f.fix.span)
    assert ws.fix_edit(POST, text, f) is None


# ---------------------------------------------------------------- waiver skeleton

BODY = "本文 090-1234-5678\n"


def _post(front: str) -> str:
    return "---\nid: p\naccount: ube-city-x\n" + front + "---\n" + BODY


def _apply(text: str, rule: str = "pii-phone", lang: str = "ja") -> str:
    edit = waiver_edit(text, rule, lang)
    assert edit is not None
    return replace_spans(text, [(edit.span, edit.replacement)])


def _waivers(text: str):
    from snspolicy.io.documents import split_front_matter
    from snspolicy.io.yamlloc import load_yaml

    return load_yaml(split_front_matter(text)[0]).data.get("waivers")


SKELETON = {"rule": "pii-phone", "reason": "", "approved_by": "", "until": ""}


def test_waiver_added_when_there_is_no_list():
    text = _post("status: draft  # コメント\n")
    new = _apply(text)
    assert _waivers(new) == [SKELETON]
    assert new.startswith(text.split("---\n本文")[0]) and new.endswith("---\n" + BODY)
    assert "# コメント" in new and "例外とする理由" in new


def test_waiver_appended_to_a_block_list_with_its_indentation():
    old = "waivers:\n    - rule: text-private\n      reason: 市長コラム\n      approved_by: \"100101\"\n      until: 2025-12-31\nstatus: draft\n"
    new = _apply(_post(old))
    assert _waivers(new) == [{"rule": "text-private", "reason": "市長コラム", "approved_by": "100101", "until": "2025-12-31"},
                             SKELETON]
    assert "\n    - rule: pii-phone\n" in new and new.endswith("status: draft\n---\n" + BODY)


def test_waiver_appended_to_a_list_of_flow_items():
    old = 'waivers:\n  - {rule: text-private, reason: x, approved_by: "1", until: 2025-12-31}\n'
    new = _apply(_post(old))
    assert len(_waivers(new)) == 2 and _waivers(new)[1] == SKELETON
    assert '\n  - {rule: pii-phone, reason: "", approved_by: "", until: ""}\n' in new


@pytest.mark.parametrize("old", ["waivers: []\n", "waivers: [{rule: a, reason: b, approved_by: c, until: d}]\n",
                                 "waivers: [\n  {rule: a, reason: b, approved_by: c, until: d}\n]\n"])
def test_waiver_added_to_a_flow_list(old):
    new = _apply(_post(old))
    assert _waivers(new)[-1] == SKELETON


@pytest.mark.parametrize("old", ["waivers:\n", "waivers:   # あとで\n", "waivers: ~\n", "waivers: null\n"])
def test_waiver_added_to_an_empty_key(old):
    new = _apply(_post(old + "status: draft\n"))
    assert _waivers(new) == [SKELETON]


@pytest.mark.parametrize("text", ["本文だけ\n", "---\nid: p\n", "---\nid: [p\n---\n本文\n", _post("waivers: {a: 1}\n"),
                                  _post("waivers: text\n"), "---\n- a\n---\n"])
def test_no_waiver_edit_when_it_cannot_be_done_safely(text):
    assert waiver_edit(text, "pii-phone") is None


def test_a_waiver_skeleton_is_reported_until_filled_in(repo):
    ws = ws_of(repo)
    text = EDITS["phone"](post_text(repo))
    assert ws.can_waive(POST, "pii-phone") and not ws.can_waive(POST, "schema") and not ws.can_waive(ACCOUNT, "account-2fa")
    edit = ws.waiver_edit(POST, text, "pii-phone")
    new = replace_spans(text, [(edit.span, edit.replacement)])
    rules = {f.rule for f in ws.lint_buffer(POST, new) if not f.waived}
    assert {"pii-phone", "waiver-invalid"} <= rules  # an empty skeleton hides nothing
    filled = new.replace('reason: ""', "reason: 担当者の了承済み").replace('approved_by: ""', 'approved_by: "100101"') \
        .replace('until: ""', "until: 2025-12-31")
    assert [f.rule for f in ws.lint_buffer(POST, filled) if not f.waived] == []


# ---------------------------------------------------------------- lint --stdin-filename

def test_lint_text_is_lint_of_the_named_file(repo, tmp_path):
    text = EDITS["phone"](post_text(repo))
    ws, found = lint_text(POST, text, today=TODAY, cwd=repo)
    assert ws is not None and ws.root == repo.resolve()
    assert [f.to_dict() for f in found] == lint_on_disk(repo, POST, text)
    ws, found = lint_text(repo / "posts" / "ube-city-x" / "new.md", "junk", today=TODAY)
    assert [f.rule for f in found] == ["yaml-syntax"]


def test_lint_text_outside_a_posts_repo_checks_only_secrets(tmp_path):
    (tmp_path / "notes").mkdir()
    ws, found = lint_text("notes/a.md", "ghp_0123456789abcdefABCDEF0123456789abcd\n", today=TODAY, cwd=tmp_path)
    assert [f.rule for f in found] == ["secret-in-repo"]
    ws, found = lint_text("notes/a.md", "ふつうのメモ\n", today=TODAY, cwd=tmp_path)
    assert found == []


def test_find_root_and_relpath(repo, tmp_path):
    assert bridge.find_root(repo / POST) == repo.resolve()
    assert bridge.find_root(tmp_path / "elsewhere" / "x.md") is None
    assert bridge.relpath(repo, repo / POST) == POST
    assert bridge.relpath(repo, tmp_path / "x.md") is None


def test_an_account_changed_on_disk_without_notice_is_seen(repo):
    ws = ws_of(repo)
    assert ws.lint_buffer(POST, post_text(repo)) == []
    account = (repo / ACCOUNT).read_text(encoding="utf-8")
    write(repo, ACCOUNT, account.replace("id: ube-city-x", "id: ube-city-z") + "\n")  # no file_changed()
    assert "post-account" in {f.rule for f in ws.lint_buffer(POST, post_text(repo))}
    assert ws.loads == 2
    write(repo, ACCOUNT, account)
    ws.file_changed(ACCOUNT)  # with notice: only that file is re-read
    assert ws.lint_buffer(POST, post_text(repo)) == []
    assert ws.loads == 2
