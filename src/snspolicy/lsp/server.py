"""``snspolicy lsp``: the Language Server Protocol server (pygls 2, stdio).

What it does, per open file of a posts repo (``posts/**/*.md``, ``accounts/*.yaml``,
``press/*.yaml``, ``incidents/*.yaml``, ``snspolicy.yaml``, following ``paths:``):

* publishes diagnostics on open (at once) and on change (after ``debounce_ms`` of quiet,
  300 ms by default), checked from the unsaved buffer by :mod:`.bridge` — the same
  findings ``snspolicy lint`` gives for the file (waived ones left out);
* hover on a finding shows ``snspolicy explain RULE``; the diagnostic's code links to the
  rule's documentation (:meth:`.bridge.Workspace.rule_doc_uri`);
* code actions: the safe fixes of ``snspolicy fix`` (one per finding, and all at once), and
  adding a waiver skeleton to a post's front matter.

The linter runs on ONE worker thread (checks never overlap, the event loop keeps reading
messages); nothing a check does can stop the server: a failure is logged and, when it is
about a file, shown as a diagnostic.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from snspolicy import __version__
from snspolicy.core.model import Finding, Severity
from snspolicy.lsp import bridge
from snspolicy.lsp.positions import LineIndex

log = logging.getLogger("snspolicy.lsp")

SOURCE = "snspolicy"
DEFAULT_DEBOUNCE_MS = 300
_SEVERITY = {Severity.ERROR: T.DiagnosticSeverity.Error, Severity.WARNING: T.DiagnosticSeverity.Warning,
             Severity.INFO: T.DiagnosticSeverity.Information}
FIX_ALL = "source.fixAll.snspolicy"


@dataclass
class Options:
    lang: str = "ja"
    today: Any = None  # datetime.date | None
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    docs_url: str | None = None


@dataclass
class Checked:
    """The last check of one buffer: what the diagnostics were computed from."""

    version: int | None
    text: str
    rel: str
    root: Path
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[tuple[T.Diagnostic, Finding]] = field(default_factory=list)


class SnspolicyServer(LanguageServer):
    def __init__(self, options: Options | None = None) -> None:
        super().__init__("snspolicy", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.options = options or Options()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="snspolicy-check")
        self.workspaces: dict[Path, bridge.Workspace] = {}
        self.folders: list[Path] = []
        self.tasks: dict[str, asyncio.Task] = {}
        self.checked: dict[str, Checked] = {}
        self.open_docs: set[str] = set()

    # -- on the worker thread ----------------------------------------------------
    def locate(self, uri: str) -> tuple[bridge.Workspace, str] | None:
        """(workspace, relative path) of a file the linter checks, else None (outside any posts repo,
        not a file: URI, or a file the repo does not check)."""
        if not uri.startswith("file:"):
            return None
        fs = to_fs_path(uri)
        if not fs:
            return None
        path = Path(fs)
        root = bridge.find_root(path)
        if root is None:  # no snspolicy.yaml above it: a workspace folder, with lint's defaults
            root = next((f for f in self.folders if bridge.relpath(f, path) is not None), None)
        if root is None:
            return None
        rel = bridge.relpath(root, path)
        if rel is None:
            return None
        ws = self.workspaces.get(root)
        if ws is None:
            ws = self.workspaces[root] = bridge.Workspace(root, lang=self.options.lang, today=self.options.today,
                                                          docs_url=self.options.docs_url)
        if ws.kind_of(rel) is None:
            return None
        return ws, rel

    def check(self, uri: str, version: int | None, text: str, encoding: str) -> tuple[Checked | None, bool]:
        """Lint one buffer → (result, whether a context file changed so other buffers need a new check)."""
        located = self.locate(uri)
        if located is None:
            return None, False
        ws, rel = located
        context_changed = False
        if ws.kind_of(rel) in bridge.CONTEXT_KINDS:
            context_changed = ws.set_buffer(rel, text)
        findings = ws.lint_buffer(rel, text)
        res = Checked(version, text, rel, ws.root, findings)
        index = LineIndex(text, encoding)
        for f in findings:
            if f.waived:
                continue
            try:
                res.diagnostics.append((self.diagnostic(ws, rel, f, index), f))
            except Exception as exc:  # noqa: BLE001 - one odd finding must not hide the others
                log.exception("diagnostic for %s failed: %s", f.rule, exc)
        return res, context_changed

    def diagnostic(self, ws: bridge.Workspace, rel: str, f: Finding, index: LineIndex) -> T.Diagnostic:
        message = f.message
        if f.path != rel:  # the configuration or another file (a crash, a broken snspolicy.yaml): top of the file
            message = f"{f.path}:{f.line}:{f.column}: {message}"
            start = end = (0, 0)
        else:
            start = index.to_lsp(f.line, f.column)
            end = index.to_lsp(f.end_line, f.end_column)
        if end <= start:  # a point: underline the rest of the line (or the whole line) so it can be seen
            end = (start[0], index.line_length(start[0]))
            if end <= start:
                start = (start[0], 0)
        clause = (f.clause or "").strip()
        if clause and clause != "-":
            message = f"{clause} {message}"
        href = None
        try:
            href = ws.rule_doc_uri(f.rule)
        except Exception as exc:  # noqa: BLE001 - a link is a nicety
            log.warning("no documentation link for %s: %s", f.rule, exc)
        return T.Diagnostic(
            range=T.Range(start=T.Position(*start), end=T.Position(*end)),
            message=message,
            severity=_SEVERITY.get(f.severity, T.DiagnosticSeverity.Error),
            code=f.rule,
            code_description=T.CodeDescription(href=href) if href else None,
            source=SOURCE,
            data={"fingerprint": f.fingerprint},
        )

    # -- scheduling -------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        old = self.tasks.pop(uri, None)
        if old is not None and not old.done():
            old.cancel()
        self.tasks[uri] = asyncio.get_running_loop().create_task(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            if uri not in self.open_docs:
                return
            doc = self.workspace.get_text_document(uri)
            version, text = doc.version, doc.source
            encoding = str(self.workspace.position_encoding or "utf-16")
            loop = asyncio.get_running_loop()
            res, context_changed = await loop.run_in_executor(self.executor, self.check, uri, version, text, encoding)
        except asyncio.CancelledError:
            return
        except Exception as exc:  # noqa: BLE001 - never let a check stop the server
            log.exception("check of %s failed", uri)
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Error,
                                                       message=f"snspolicy: {uri}: {type(exc).__name__}: {exc}"))
            return
        if uri not in self.open_docs:
            return
        current = self.workspace.get_text_document(uri)
        if current.version != version:
            return  # typed since: a newer check is scheduled
        if res is None:
            self.checked.pop(uri, None)
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[], version=version))
            return
        self.checked[uri] = res
        self.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, diagnostics=[d for d, _ in res.diagnostics], version=version))
        if context_changed:
            self.recheck_others(uri)

    def recheck_others(self, changed_uri: str | None = None) -> None:
        for other in list(self.open_docs):
            if other != changed_uri:
                self.schedule(other, self.options.debounce_ms / 1000)

    async def _disk_changed(self, uris: list[str]) -> None:
        """Files changed on disk: refresh the repo in memory, then check the open buffers again."""

        def forget() -> None:
            for uri in uris:
                if not uri.startswith("file:"):
                    continue
                fs = to_fs_path(uri)
                if not fs:
                    continue
                for root, ws in self.workspaces.items():
                    rel = bridge.relpath(root, Path(fs))
                    if rel is not None:
                        ws.file_changed(rel)

        try:
            await asyncio.get_running_loop().run_in_executor(self.executor, forget)
        except Exception:  # noqa: BLE001
            log.exception("file change")
        self.recheck_others()

    # -- code actions and hover (worker thread) ------------------------------------
    def actions(self, uri: str, rng: T.Range, only: list[str] | None, doc_version: int | None,
                doc_text: str, encoding: str) -> list[T.CodeAction]:
        res = self.checked.get(uri)
        if res is None or res.text != doc_text:
            return []
        located = self.locate(uri)
        if located is None:
            return []
        ws, rel = located
        index = LineIndex(doc_text, encoding)
        crlf = "\r\n" in doc_text
        want = (lambda kind: any(kind == k or kind.startswith(k + ".") for k in only)) if only else (lambda kind: True)
        out: list[T.CodeAction] = []

        def workspace_edit(edits: list[bridge.Edit]) -> T.WorkspaceEdit:
            text_edits = []
            for e in edits:
                start = index.to_lsp(e.span.line, e.span.column)
                end = index.to_lsp(e.span.end_line or e.span.line, e.span.end_column or e.span.column)
                new = e.replacement.replace("\n", "\r\n") if crlf else e.replacement
                text_edits.append(T.TextEdit(range=T.Range(start=T.Position(*start), end=T.Position(*end)), new_text=new))
            return T.WorkspaceEdit(changes={uri: text_edits})

        hit = [(d, f) for d, f in res.diagnostics if _overlaps(d.range, rng)]
        waived: set[str] = set()
        for diag, f in hit:
            if want(T.CodeActionKind.QuickFix):
                edit = ws.fix_edit(rel, doc_text, f)
                if edit is not None:
                    out.append(T.CodeAction(title=f"snspolicy: {edit.title}", kind=T.CodeActionKind.QuickFix,
                                            diagnostics=[diag], is_preferred=True, edit=workspace_edit([edit])))
                if f.rule not in waived and ws.can_waive(rel, f.rule):
                    waiver = ws.waiver_edit(rel, doc_text, f.rule)
                    if waiver is not None:
                        waived.add(f.rule)
                        out.append(T.CodeAction(title=f"snspolicy: {waiver.title}", kind=T.CodeActionKind.QuickFix,
                                                diagnostics=[diag], edit=workspace_edit([waiver])))
        if want(FIX_ALL) and only:  # only when asked for (on save / "fix all"), not in the light bulb
            edits = ws.fix_all(rel, doc_text, [f for _, f in res.diagnostics])
            if edits:
                title = "snspolicy: 安全な修正をすべて適用" if ws.lang == "ja" else "snspolicy: apply all safe fixes"
                out.append(T.CodeAction(title=title, kind=FIX_ALL, edit=workspace_edit(edits)))
        return out

    def hover(self, uri: str, pos: T.Position, markdown: bool) -> T.Hover | None:
        res = self.checked.get(uri)
        if res is None:
            return None
        located = self.locate(uri)
        if located is None:
            return None
        ws, _rel = located
        parts: list[str] = []
        first: T.Range | None = None
        seen: set[str] = set()
        for diag, f in res.diagnostics:
            if not _contains(diag.range, pos) or f.rule in seen:
                continue
            seen.add(f.rule)
            text = ws.explain(f.rule)
            if text is None:
                continue
            first = first or diag.range
            parts.append(f"```text\n{text.replace('```', 'ˋˋˋ')}\n```" if markdown else text)
        if not parts:
            return None
        sep = "\n\n---\n\n" if markdown else "\n\n"
        kind = T.MarkupKind.Markdown if markdown else T.MarkupKind.PlainText
        return T.Hover(contents=T.MarkupContent(kind=kind, value=sep.join(parts)), range=first)


def _overlaps(a: T.Range, b: T.Range) -> bool:
    a0, a1 = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b0, b1 = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a0 <= b1 and b0 <= a1


def _contains(r: T.Range, p: T.Position) -> bool:
    return (r.start.line, r.start.character) <= (p.line, p.character) <= (r.end.line, r.end.character)


def _options(init: Any, base: Options) -> Options:
    """``initializationOptions``: {"lang": "en", "debounceMs": 300, "today": "YYYY-MM-DD", "docsUrl": "…{rule}…"}."""
    import datetime as dt

    opts = Options(base.lang, base.today, base.debounce_ms, base.docs_url)
    if not isinstance(init, dict):
        return opts
    if init.get("lang") in ("ja", "en"):
        opts.lang = init["lang"]
    ms = init.get("debounceMs", init.get("debounce_ms"))
    if isinstance(ms, (int, float)) and not isinstance(ms, bool) and 0 <= ms <= 10_000:
        opts.debounce_ms = int(ms)
    if isinstance(init.get("today"), str):
        try:
            opts.today = dt.date.fromisoformat(init["today"])
        except ValueError:
            pass
    url = init.get("docsUrl", init.get("docs_url"))
    if isinstance(url, str) and url.strip():
        opts.docs_url = url.strip()
    return opts


def build(options: Options | None = None) -> SnspolicyServer:
    server = SnspolicyServer(options)

    @server.feature(T.INITIALIZE)
    def initialize(ls: SnspolicyServer, params: T.InitializeParams) -> None:
        ls.options = _options(params.initialization_options, ls.options)
        folders = [f.uri for f in (params.workspace_folders or [])] or ([params.root_uri] if params.root_uri else [])
        for uri in folders:
            fs = to_fs_path(uri) if uri and uri.startswith("file:") else None
            if fs:
                ls.folders.append(Path(fs))

    @server.feature(T.INITIALIZED)
    async def initialized(ls: SnspolicyServer, params: T.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is not None and watch.dynamic_registration:
            opts = T.DidChangeWatchedFilesRegistrationOptions(watchers=[
                T.FileSystemWatcher(glob_pattern="**/*.{md,yaml,yml,csv}")])
            try:
                await ls.client_register_capability_async(T.RegistrationParams(registrations=[
                    T.Registration(id="snspolicy-watch", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                   register_options=opts)]))
            except Exception as exc:  # noqa: BLE001 - without it, saves (didSave) still refresh the repo
                log.warning("file watching not registered: %s", exc)

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SnspolicyServer, params: T.DidOpenTextDocumentParams) -> None:
        ls.open_docs.add(params.text_document.uri)
        ls.schedule(params.text_document.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SnspolicyServer, params: T.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.options.debounce_ms / 1000)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: SnspolicyServer, params: T.DidSaveTextDocumentParams) -> None:
        await ls._disk_changed([params.text_document.uri])

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: SnspolicyServer, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open_docs.discard(uri)
        task = ls.tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.checked.pop(uri, None)
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

        def drop() -> bool:
            located = ls.locate(uri)
            if located is None:
                return False
            ws, rel = located
            return ws.drop_buffer(rel)

        try:
            if await asyncio.get_running_loop().run_in_executor(ls.executor, drop):
                ls.recheck_others()  # back to the file on disk
        except Exception:  # noqa: BLE001
            log.exception("close of %s", uri)

    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: SnspolicyServer, params: T.DidChangeWatchedFilesParams) -> None:
        await ls._disk_changed([c.uri for c in params.changes])

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    async def hover(ls: SnspolicyServer, params: T.HoverParams) -> T.Hover | None:
        caps = ls.client_capabilities.text_document
        formats = caps.hover.content_format if caps and caps.hover else None
        markdown = not formats or T.MarkupKind.Markdown in formats
        try:
            return await asyncio.get_running_loop().run_in_executor(
                ls.executor, ls.hover, params.text_document.uri, params.position, markdown)
        except Exception:  # noqa: BLE001
            log.exception("hover")
            return None

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix, FIX_ALL]))
    async def code_action(ls: SnspolicyServer, params: T.CodeActionParams) -> list[T.CodeAction] | None:
        uri = params.text_document.uri
        try:
            doc = ls.workspace.get_text_document(uri)
            encoding = str(ls.workspace.position_encoding or "utf-16")
            only = [str(k) for k in (params.context.only or [])] or None
            return await asyncio.get_running_loop().run_in_executor(
                ls.executor, ls.actions, uri, params.range, only, doc.version, doc.source, encoding) or None
        except Exception:  # noqa: BLE001
            log.exception("code actions")
            return None

    return server


def serve(options: Options | None = None) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="snspolicy lsp: %(levelname)s %(message)s")
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    build(options).start_io(sys.stdin.buffer, out)


__all__ = ["build", "serve", "Options", "SnspolicyServer", "from_fs_path"]
