"""End to end: the real `snspolicy lsp` process, driven over stdio by a real LSP client (pytest-lsp).

The server is started as `python -m snspolicy lsp` with PYTHONPATH at this tree's src, against a
temporary copy of examples/ube-city-posts; documents are opened from memory (never saved), as an
editor does with unsaved text.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from conftest import CLEAN, ROOT, WITHOUT_CACHE, write  # noqa: E402
from lsprotocol import types as T  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

POST = "posts/ube-city-x/2025/2025-04-07-gan-kenshin.md"
ACCOUNT = "accounts/ube-city-x.yaml"
PHONE = "090-1234-5678"
DOCS = "https://rules.example.invalid/catalogue#{anchor}"
TIMEOUT = 60  # the first check loads the tokenizer's dictionary; a busy 2-core machine is slow


def _make_client() -> LanguageClient:
    """pytest-lsp's client, also recording every publishDiagnostics (with its version) and registration."""
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)

    def publish(c: LanguageClient, params: T.PublishDiagnosticsParams) -> None:
        c.diagnostics[params.uri] = params.diagnostics
        c.published.append(params)

    def register(c: LanguageClient, params: T.RegistrationParams) -> None:
        c.registrations.extend(params.registrations)

    features[T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[T.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    client.published = []
    client.registrations = []
    return client


_CACHE = tempfile.mkdtemp(prefix="snspolicy-lsp-test-")  # the server's cache folder, never the user's
atexit.register(shutil.rmtree, _CACHE, True)
_ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "XDG_CACHE_HOME": _CACHE}
_ENV.pop("SNSPOLICY_LANG", None)
_ENV.pop("SNSPOLICY_DEBUG", None)
CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "snspolicy", "lsp"], server_env=_ENV,
                            client_factory=_make_client)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(CLEAN, dest, symlinks=True, ignore=WITHOUT_CACHE)
    return dest


def _init(repo: Path, capabilities: T.ClientCapabilities, **opts) -> T.InitializeParams:
    return T.InitializeParams(
        capabilities=capabilities, root_uri=repo.as_uri(),
        workspace_folders=[T.WorkspaceFolder(uri=repo.as_uri(), name="repo")],
        initialization_options={"today": "2025-06-01", "debounceMs": 100, "docsUrl": DOCS, **opts})


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient, repo: Path):
    await lsp_client.initialize_session(_init(repo, client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG)
async def client_utf8(lsp_client: LanguageClient, repo: Path):
    caps = T.ClientCapabilities(general=T.GeneralClientCapabilities(position_encodings=[T.PositionEncodingKind.Utf8]))
    await lsp_client.initialize_session(_init(repo, caps, lang="en"))
    yield
    await lsp_client.shutdown_session()


# ---------------------------------------------------------------- helpers

async def published(client: LanguageClient, uri: str, version: int | None) -> list[T.Diagnostic]:
    """The diagnostics published for ``uri`` at ``version`` (waits for them)."""

    async def wait():
        while True:
            for p in client.published:
                if p.uri == uri and p.version == version:
                    return list(p.diagnostics)
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(wait(), TIMEOUT)


def open_doc(client: LanguageClient, path: Path, text: str, language: str = "markdown", version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri, language, version, text)))
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str, rng: T.Range | None = None) -> None:
    ev = T.TextDocumentContentChangePartial(range=rng, text=text) if rng else T.TextDocumentContentChangeWholeDocument(text=text)
    client.text_document_did_change(T.DidChangeTextDocumentParams(T.VersionedTextDocumentIdentifier(uri=uri, version=version), [ev]))


def utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def apply_edits(text: str, edits: list[T.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``, as an editor does."""
    lines = text.split("\n")

    def offset(pos: T.Position) -> int:
        before = sum(len(line) + 1 for line in lines[:pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return before + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(line)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def post(repo: Path) -> str:
    return (repo / POST).read_text(encoding="utf-8")


def with_phone(repo: Path) -> str:
    return post(repo).replace("0836-31-1111", "担当者の携帯 " + PHONE)  # a person's own phone: an error


def by_rule(diags: list[T.Diagnostic], rule: str) -> list[T.Diagnostic]:
    return [d for d in diags if d.code == rule]


# ---------------------------------------------------------------- acceptance

@pytest.mark.asyncio
async def test_a_private_phone_number_is_a_6_5_diagnostic_at_its_range(client: LanguageClient, repo: Path):
    text = with_phone(repo)
    uri = open_doc(client, repo / POST, text)
    [d] = by_rule(await published(client, uri, 1), "pii-phone")
    row = next(i for i, line in enumerate(text.split("\n")) if PHONE in line)
    col = text.split("\n")[row].index(PHONE)
    assert (d.range.start.line, d.range.start.character) == (row, col)
    assert (d.range.end.line, d.range.end.character) == (row, col + len(PHONE))
    assert d.severity == T.DiagnosticSeverity.Error and d.source == "snspolicy"
    assert d.message.startswith("6(5) ") and PHONE not in d.message  # the clause, and the number masked
    assert d.code_description.href == "https://rules.example.invalid/catalogue#rule-pii-phone"
    assert not (repo / POST).read_text(encoding="utf-8").count(PHONE)  # the buffer was never saved

    # edit it away (an incremental change of just the number) → the diagnostic clears
    change(client, uri, 2, "0836-31-1111", T.Range(T.Position(row, col), T.Position(row, col + len(PHONE))))
    assert by_rule(await published(client, uri, 2), "pii-phone") == []
    assert await published(client, uri, 2) == []


@pytest.mark.asyncio
async def test_the_range_counts_utf16_units_after_a_non_bmp_character(client: LanguageClient, repo: Path):
    text = with_phone(repo).replace("問い合わせ：", "問い合わせ\U00020bb7\U0001F4DE：")
    uri = open_doc(client, repo / POST, text)
    [d] = by_rule(await published(client, uri, 1), "pii-phone")
    line = text.split("\n")[d.range.start.line]
    assert d.range.start.character == utf16(line[:line.index(PHONE)]) == line.index(PHONE) + 2
    assert d.range.end.character == d.range.start.character + len(PHONE)


@pytest.mark.asyncio
async def test_utf8_positions_when_the_client_asks_for_them(client_utf8: LanguageClient, repo: Path):
    text = with_phone(repo).replace("問い合わせ：", "問い合わせ\U00020bb7：")
    uri = open_doc(client_utf8, repo / POST, text)
    [d] = by_rule(await published(client_utf8, uri, 1), "pii-phone")
    line = text.split("\n")[d.range.start.line]
    assert d.range.start.character == len(line[:line.index(PHONE)].encode("utf-8"))
    assert "not" in d.message or "phone" in d.message.lower()  # lang: en from initializationOptions


@pytest.mark.asyncio
async def test_half_typed_yaml_is_located_and_the_server_keeps_serving(client: LanguageClient, repo: Path):
    account = (repo / ACCOUNT).read_text(encoding="utf-8")
    half = account.replace("departments: [広報広聴課]", "departments: [広報広聴課")
    uri = open_doc(client, repo / ACCOUNT, half, "yaml")
    [d] = await published(client, uri, 1)
    assert d.code == "yaml-syntax" and d.severity == T.DiagnosticSeverity.Error
    # where `lint` puts it (line 8, column 8: "manager:" after the unclosed [), widened to the end of the line
    assert (d.range.start.line, d.range.start.character) == (7, 7)
    assert (d.range.end.line, d.range.end.character) == (7, len("manager:"))
    # still answering requests, and checking the next keystroke
    assert await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(0, 0))) is None
    change(client, uri, 2, account)
    assert await published(client, uri, 2) == []

    # an unclosed front matter, binary junk, a file outside the repo: each answered, none fatal to the server
    post_uri = open_doc(client, repo / POST, "---\nid: x\naccount: ube-city-x\n")
    [d] = await published(client, post_uri, 1)
    assert d.code == "yaml-syntax" and d.range.start.line == 0 and d.range.end.character > 0
    change(client, post_uri, 2, "\0\x01\x02 binary")
    [d] = await published(client, post_uri, 2)
    assert d.code == "file-encoding"
    outside = repo.parent / "outside.md"
    out_uri = open_doc(client, outside, with_phone(repo))
    assert await published(client, out_uri, 1) == []
    change(client, post_uri, 3, with_phone(repo))
    assert by_rule(await published(client, post_uri, 3), "pii-phone")


@pytest.mark.asyncio
async def test_code_action_applies_http_to_https(client: LanguageClient, repo: Path):
    text = post(repo).replace("https://www.city", "http://www.city")
    uri = open_doc(client, repo / POST, text)
    [d] = by_rule(await published(client, uri, 1), "link-https")
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), d.range, T.CodeActionContext(diagnostics=[d])))
    [fix] = [a for a in actions if a.is_preferred]
    assert fix.kind == T.CodeActionKind.QuickFix and "https" in fix.title and fix.diagnostics[0].code == "link-https"
    new = apply_edits(text, fix.edit.changes[uri])
    assert new == post(repo)
    change(client, uri, 2, new)
    assert await published(client, uri, 2) == []


@pytest.mark.asyncio
async def test_category_fix_and_fix_all(client: LanguageClient, repo: Path):
    text = post(repo).replace("category: health", "category: helth").replace("https://www.city", "http://www.city")
    uri = open_doc(client, repo / POST, text)
    diags = await published(client, uri, 1)
    [cat] = by_rule(diags, "post-category")
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), cat.range, T.CodeActionContext(diagnostics=[cat])))
    [fix] = [a for a in actions if a.is_preferred]
    assert apply_edits(text, fix.edit.changes[uri]) == text.replace("helth", "health")
    everything = T.Range(T.Position(0, 0), T.Position(len(text.split("\n")), 0))
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), everything, T.CodeActionContext(diagnostics=[], only=["source.fixAll"])))
    [fix_all] = actions
    assert apply_edits(text, fix_all.edit.changes[uri]) == post(repo)


@pytest.mark.asyncio
async def test_waiver_skeleton_action(client: LanguageClient, repo: Path):
    text = with_phone(repo)
    uri = open_doc(client, repo / POST, text)
    [d] = by_rule(await published(client, uri, 1), "pii-phone")
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), d.range, T.CodeActionContext(diagnostics=[d])))
    [waive] = [a for a in actions if "waivers" in a.title]
    new = apply_edits(text, waive.edit.changes[uri])
    added = [line for line in new.split("\n") if line not in text.split("\n")]
    assert added[:2] == ["waivers:", "  - rule: pii-phone"] and len(added) == 5
    assert new.replace("\n".join(added) + "\n", "") == text  # nothing else changed
    change(client, uri, 2, new)
    codes = {x.code for x in await published(client, uri, 2)}
    assert {"pii-phone", "waiver-invalid"} <= codes  # an empty skeleton hides nothing until filled in


@pytest.mark.asyncio
async def test_hover_shows_explain(client: LanguageClient, repo: Path):
    text = with_phone(repo)
    uri = open_doc(client, repo / POST, text)
    [d] = by_rule(await published(client, uri, 1), "pii-phone")
    hover = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), d.range.start))
    assert hover is not None and hover.range == d.range
    assert "pii-phone: " in hover.contents.value and "条項: 6(5)" in hover.contents.value
    elsewhere = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(0, 0)))
    assert elsewhere is None


@pytest.mark.asyncio
async def test_a_typing_burst_is_checked_once_after_the_debounce(client: LanguageClient, repo: Path):
    text = post(repo)
    uri = open_doc(client, repo / POST, text)
    assert await published(client, uri, 1) == []
    for v in range(2, 12):  # 10 changes 20 ms apart, within the 100 ms debounce
        change(client, uri, v, text + "あ" * v)
        await asyncio.sleep(0.02)
    await published(client, uri, 11)
    await asyncio.sleep(0.3)
    versions = [p.version for p in client.published if p.uri == uri]
    assert versions == [1, 11]


@pytest.mark.asyncio
async def test_an_edited_account_buffer_rechecks_open_posts(client: LanguageClient, repo: Path):
    post_uri = open_doc(client, repo / POST, post(repo))
    assert await published(client, post_uri, 1) == []
    account = (repo / ACCOUNT).read_text(encoding="utf-8")
    acc_uri = open_doc(client, repo / ACCOUNT, account, "yaml")
    await published(client, acc_uri, 1)
    change(client, acc_uri, 2, account.replace("id: ube-city-x", "id: ube-city-q"))
    await published(client, acc_uri, 2)

    async def post_account_reported():
        while not by_rule(client.diagnostics.get(post_uri, []), "post-account"):
            await asyncio.sleep(0.02)

    await asyncio.wait_for(post_account_reported(), TIMEOUT)
    client.text_document_did_close(T.DidCloseTextDocumentParams(T.TextDocumentIdentifier(acc_uri)))

    async def cleared():
        while by_rule(client.diagnostics.get(post_uri, []), "post-account"):
            await asyncio.sleep(0.02)

    await asyncio.wait_for(cleared(), TIMEOUT)  # closed without saving: the account on disk counts again


@pytest.mark.asyncio
async def test_file_watching_is_registered(client: LanguageClient, repo: Path):
    async def registered():
        while not client.registrations:
            await asyncio.sleep(0.02)

    await asyncio.wait_for(registered(), TIMEOUT)
    assert client.registrations[0].method == T.WORKSPACE_DID_CHANGE_WATCHED_FILES


@pytest.mark.asyncio
async def test_a_saved_config_change_is_picked_up(client: LanguageClient, repo: Path):
    text = with_phone(repo)
    uri = open_doc(client, repo / POST, text)
    assert by_rule(await published(client, uri, 1), "pii-phone")
    cfg = (repo / "snspolicy.yaml").read_text(encoding="utf-8")
    write(repo, "snspolicy.yaml", cfg.replace('["0836-31-1111"]', f'["0836-31-1111", "{PHONE}"]'))
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        [T.FileEvent((repo / "snspolicy.yaml").as_uri(), T.FileChangeType.Changed)]))

    async def cleared():
        while by_rule(client.diagnostics.get(uri, []), "pii-phone"):
            await asyncio.sleep(0.02)

    await asyncio.wait_for(cleared(), TIMEOUT)


@pytest.mark.asyncio
async def test_a_crlf_buffer_gets_crlf_edits_at_the_right_place(client: LanguageClient, repo: Path):
    text = with_phone(repo).replace("https://www.city", "http://www.city").replace("\n", "\r\n")
    uri = open_doc(client, repo / POST, text)
    diags = await published(client, uri, 1)
    [phone] = by_rule(diags, "pii-phone")
    row = next(i for i, line in enumerate(text.split("\r\n")) if PHONE in line)
    assert (phone.range.start.line, phone.range.start.character) == (row, text.split("\r\n")[row].index(PHONE))
    [link] = by_rule(diags, "link-https")
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), link.range, T.CodeActionContext(diagnostics=[link])))
    [fix] = [a for a in actions if a.is_preferred]
    [waive] = [a for a in actions if "waivers" in a.title]
    lf = lambda s: s.replace("\r\n", "\n")  # noqa: E731 - apply_edits works on \n lines
    assert apply_edits(lf(text), [T.TextEdit(e.range, lf(e.new_text)) for e in fix.edit.changes[uri]]) == \
        lf(text).replace("http://www.city", "https://www.city")
    [edit] = waive.edit.changes[uri]
    assert "\r\n" in edit.new_text and "\n" not in edit.new_text.replace("\r\n", "")
