"""Clause 4(3): no password, token or other secret anywhere in the posts repo.

``secret-in-repo`` runs once per lint (``kinds=("repo",)``) over every file that
:meth:`snspolicy.io.repo.Repo.text_files` yields (``.git``, ``node_modules``,
``.venv`` and the config's ``exclude`` patterns are left out) and reports each
match of :func:`snspolicy.domain.secretscan.scan_file` at ``file:line:col``. Only the
masked form of a value ever reaches a finding (message, fingerprint, anything).

Not scanned: media and office/archive files by extension (``skip_extensions``),
binary files (a NUL byte in the first 8 KiB), symbolic links (the target, when
it is inside the repo, is scanned as itself; a link out of the repo is never
followed). Of a big file only the first ``max_file_bytes`` bytes are read. When
the lint is limited to some files (pre-commit), only those files are scanned.
A line with ``snspolicy: allow-secret`` is a reviewed, visible exception.

There is no cap on the number of files scanned here: the scan never stops silently. A repo
with more files than :data:`snspolicy.io.repo.MAX_FILES` is stopped by the listing itself
(:meth:`~snspolicy.io.repo.Repo.text_files` raises a user error, exit status 2).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from snspolicy.core.errors import UserError
from snspolicy.core.model import Problem, Severity, Span
from snspolicy.io.documents import Document
from snspolicy.rules.api import Context, rule

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.domain.secretscan import SecretMatch, SecretParams

KIND_LABELS = {
    "keyed": {"ja": "パスワード・秘密の値", "en": "a password or secret value"},
    "high-entropy": {"ja": "トークンらしきランダムな文字列", "en": "a random string that looks like a token"},
    "private-key": {"ja": "秘密鍵", "en": "a private key"},
    "url-credentials": {"ja": "URL に埋め込まれたパスワード", "en": "a password inside a URL"},
}


def kind_label(kind: str, lang: str) -> str:
    """Human name of a ``SecretMatch.kind`` (token formats are named as such: ``github-token``)."""
    lang = lang if lang in ("ja", "en") else "ja"
    if kind in KIND_LABELS:
        return KIND_LABELS[kind][lang]
    return f"{kind}（既知の形式のトークン）" if lang == "ja" else f"a {kind} (known token format)"


def extension(rel: str) -> str:
    """The extension of a repo-relative name, lower case, without its dot: what
    ``os.path.splitext`` finds (a name's leading dots start no extension), without its work."""
    name = rel.rpartition("/")[2].lstrip(".")
    dot = name.rfind(".")
    return name[dot + 1:].lower() if dot >= 0 else ""


def _candidates(ctx: Context, skip: set[str]) -> Iterator[tuple[str, Document | None]]:
    """The repo-relative names of the files to scan (the path of one is ``repo.root / name``), each
    with the document read from it in this run (None: not read as a document, or an editor's buffer)."""
    repo = ctx.repo
    only, overlays, read_in_run = repo.only, repo.overlays, repo.read_in_run
    for rel in repo.text_file_names(only):  # a one-file run lists only its files; too many: exit 2
        if only is not None and rel not in only:
            continue
        if skip and extension(rel) in skip:
            continue
        if overlays and rel in overlays:  # an editor's unsaved buffer (it may not exist on disk yet)
            yield rel, None
            continue
        doc = read_in_run(rel)
        if doc is not None and doc.digest:  # read as a document in this run: a regular file inside the repo
            yield rel, doc
            continue
        path = repo.root / rel
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):  # links, folders, FIFOs: not scanned as such
                continue
        except (OSError, ValueError):
            continue
        if repo.inside_check(path):
            yield rel, None


Rows = list[list[Any]]  # [line, column, end column, kind, masked] of each secret found in a file
#: how one file is scanned: the key under which the run's cache remembers its secrets (the file's
#: path and bytes), its name, the document read from it in this run (None: not read as one), and
#: how: "text" (the document's text: what the file held), "file" (the file again: a document too
#: long to have been read whole) or "head" (a file that is not a document: its bytes' digest)
Plan = tuple[str, str, "Document | None", str]


def _plan(ctx: Context, rel: str, doc: Document | None, max_bytes: int) -> Plan | None:
    """How to scan one file (None: nothing to scan, it cannot be read). Only the key is made here:
    a second run over an unchanged repo finds every key remembered and scans nothing."""
    if doc is not None:
        if 5 * len(doc.text) + 3 <= max_bytes:
            # Read as a document in this run: its text is what the file held (UTF-8 without a BOM, line
            # ends as LF), and a text this short had at most max_bytes bytes (4 per character, 1 per
            # CR taken out, 3 of a BOM), so the scan is not cut: scanned as read, not read again.
            return f"secret-in-repo|text|{rel}|{doc.digest}", rel, doc, "text"
        return f"secret-in-repo|file|{rel}|{doc.digest}", rel, doc, "file"
    from snspolicy.domain.secretscan import read_for_scan

    data = read_for_scan(ctx.repo.root / rel, max_bytes)
    if data is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    del data  # not kept while the other files are read (up to max_file_bytes each): read again if needed
    return f"secret-in-repo|head|{rel}|{digest}", rel, None, "head"


def _scan(ctx: Context, plan: Plan, max_bytes: int, params: SecretParams) -> Rows:
    """The secrets of one planned file, as rows. A file read again must hold the bytes its key
    names: changed on disk since then, what was remembered would not match it (exit status 2)."""
    from snspolicy.domain import secretscan as secrets

    key, rel, doc, how = plan

    def rows(found: list[SecretMatch]) -> Rows:
        return [[m.line, m.column, m.end_column, m.kind, m.masked] for m in found]

    if how == "text":
        assert doc is not None
        return rows(secrets.scan_text(doc.text, rel, params))
    data = secrets.read_for_scan(ctx.repo.root / rel, max_bytes)
    if how == "head" and data is None:
        raise UserError("file_changed_during_run", {"path": rel}, path=rel)
    expected = doc.digest if doc is not None else key.rpartition("|")[2]
    if data is not None and (how == "head" or len(data) <= max_bytes) \
            and hashlib.sha256(data).hexdigest() != expected:
        raise UserError("file_changed_during_run", {"path": rel}, path=rel)  # not what the key names
    return [] if data is None else rows(secrets.scan_bytes(data, rel, max_bytes, params))


def _scan_all(ctx: Context, plans: list[Plan], scan: Callable[[Plan], Rows]) -> dict[int, Rows]:
    """The rows of each planned file that has any (by its position in ``plans``), each file's
    remembered by the run's cache under its own key (what a one-file run asks for), and the whole
    answer under the list of all the keys: a second run over an unchanged repo asks the cache once,
    not once per file."""

    def each() -> list[list[Any]]:
        return [[i, found] for i, plan in enumerate(plans) if (found := ctx.remember(plan[0], partial(scan, plan)))]

    if len(plans) < 2:
        return {i: found for i, found in each()}
    listed = hashlib.sha256("\n".join([plan[0] for plan in plans]).encode("utf-8", "surrogatepass")).hexdigest()
    return {i: found for i, found in ctx.remember(f"secret-in-repo|all|{len(plans)}|{listed}", each)}


@rule("secret-in-repo", kinds=("repo",))
def secret_in_repo(doc: Document | None, ctx: Context) -> Iterator[Problem]:
    """4(3): report every password, token, key or other secret in any text file (masked)."""
    skip = {str(e).lower().lstrip(".") for e in (ctx.param("skip_extensions") or ())}
    max_bytes = int(ctx.param("max_file_bytes"))
    entropy_sev = ctx.param("entropy_severity")
    params: SecretParams | None = None

    def settings() -> SecretParams:
        nonlocal params
        if params is None:
            from snspolicy.domain.secretscan import SecretParams

            params = SecretParams.from_mapping(ctx.params)
        return params

    files: list[tuple[str, list[SecretMatch] | int]] = []  # each file's secrets, or its position in plans
    plans: list[Plan] = []
    for rel, read in _candidates(ctx, skip):
        buffer = ctx.repo.overlay(rel) if read is None else None
        if buffer is not None:  # an editor's unsaved text: never remembered
            from snspolicy.domain.secretscan import scan_text

            files.append((rel, [] if "\0" in buffer[:8192]
                          else scan_text(buffer[:max_bytes], str(ctx.repo.root / rel), settings())))
            continue
        plan = _plan(ctx, rel, read, max_bytes)
        if plan is not None:
            files.append((rel, len(plans)))
            plans.append(plan)
    scanned = _scan_all(ctx, plans, lambda plan: _scan(ctx, plan, max_bytes, settings()))
    if not scanned and not any(isinstance(what, list) and what for _, what in files):
        return  # nothing found: the scanner's code is not even loaded (a second run over a clean repo)
    from snspolicy.domain import secretscan as secrets

    match = secrets.SecretMatch
    for rel, what in files:
        found = what if isinstance(what, list) else [match(*row) for row in scanned.get(what, ())]
        if not found:
            continue
        seen: dict[str, int] = {}
        for m in found:
            ident = f"{m.kind}|{m.masked}"
            seen[ident] = seen.get(ident, 0) + 1
            severity = None
            if m.kind == "high-entropy" and isinstance(entropy_sev, str):
                try:
                    severity = Severity.parse(entropy_sev)
                except KeyError:
                    severity = None
            yield Problem(
                Span(m.line, m.column, m.line, max(m.end_column, m.column)),
                {"kind": kind_label(m.kind, ctx.lang), "masked": m.masked},
                variant="entropy" if m.kind == "high-entropy" else None,
                path=rel,
                severity=severity,
                fingerprint_extra=f"{ident}|{seen[ident]}",
            )
