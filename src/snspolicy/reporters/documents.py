"""The optional document view for reporters that show the files themselves (the HTML review page).

Reporters never import rules and, apart from this helper, never read files: what
they may know about the checked documents travels in
:attr:`snspolicy.core.model.ReportContext.documents`, a plain mapping built here::

    {
        "posts/ube-city-x/2025/2025-04-01-sakura.md": {
            "kind": "post",
            "meta": {...},            # the front matter as loaded (plain dicts, lists, strings)
            "body": "本文…",          # the text after the front matter, exactly as in the file
            "body_line": 12,          # 1-based line of the file where the body starts
            "meta_lines": {"id": 4, "account": 5, ...},   # 1-based line of each top-level key
            "platform": "x",          # the post's account's platform ("" when unknown)
            "handle": "@ube_city",    # the account's handle ("" when unknown)
        },
        "accounts/ube-city-x.yaml": {"kind": "account", "meta": {...}, "meta_lines": {...}},
    }

Every key but ``meta`` is optional for a reporter; ``body`` and ``body_line`` are needed
to place findings in the text. Nothing here knows a rule: it only copies what the loader
read. Account entries carry their data only so that a post's platform can be resolved;
reporters must not print them (they hold staff names).

Two ways to build it:

* :func:`review_documents` from documents already loaded by a lint run
  (``repo.selected_documents()`` plus ``repo.accounts``) — what the CLI should use;
* :func:`documents_from_folder` reads a posts repo folder with the loader
  (:mod:`snspolicy.io.documents`) — for tests and for a page built outside a run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["document_entry", "documents_from_folder", "review_documents"]

_ACCOUNT_KINDS = ("account",)


def _plain(value: Any, depth: int = 0) -> Any:
    """A copy made of dicts, lists, strings, numbers, booleans and None only."""
    if depth > 20:
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _meta_lines(doc: Any, data: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    if not isinstance(data, Mapping):
        return out
    span_of = getattr(doc, "span", None)
    if span_of is None:
        return out
    for key in data:
        try:
            out[str(key)] = int(span_of((key,), True).line)
        except Exception:  # noqa: BLE001 - a key without a position is simply not mapped
            continue
    return out


def document_entry(doc: Any) -> dict[str, Any]:
    """The entry of one loaded document (a :class:`snspolicy.io.documents.Document` or alike)."""
    data = getattr(doc, "data", None)
    kind = str(getattr(doc, "kind", "") or "")
    entry: dict[str, Any] = {
        "kind": kind,
        "meta": _plain(data) if isinstance(data, Mapping) else {},
        "meta_lines": _meta_lines(doc, data),
    }
    if kind == "post":
        text = getattr(doc, "text", "") or ""
        offset = int(getattr(doc, "body_offset", 0) or 0)
        entry["body"] = str(getattr(doc, "body", "") or "")
        entry["body_line"] = text[:offset].count("\n") + 1
    return entry


def _account_index(accounts: Iterable[Any] | Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """account id -> account data (front matter of accounts/*.yaml)."""
    out: dict[str, Mapping[str, Any]] = {}
    if accounts is None:
        return out
    items: Iterable[tuple[Any, Any]]
    if isinstance(accounts, Mapping):
        items = accounts.items()
    else:
        items = ((None, a) for a in accounts)
    for key, acc in items:
        data = getattr(acc, "data", acc)
        if not isinstance(data, Mapping):
            continue
        acc_id = data.get("id")
        if acc_id is None:
            acc_id = key if key is not None else Path(str(getattr(acc, "path", ""))).stem
        out.setdefault(str(acc_id), data)
    return out


def review_documents(docs: Iterable[Any], accounts: Iterable[Any] | Mapping[str, Any] | None = None
                     ) -> dict[str, dict[str, Any]]:
    """The ``ReportContext.documents`` mapping for loaded documents.

    ``docs``: the documents the run reported on (e.g. ``repo.selected_documents()``);
    ``accounts``: every account of the repo (``repo.accounts``, id -> Document, or a list),
    used to give each post its account's ``platform`` and ``handle``. Account documents
    in ``docs`` are used too.
    """
    docs = list(docs or [])
    index = _account_index([d for d in docs if getattr(d, "kind", "") in _ACCOUNT_KINDS])
    for k, v in _account_index(accounts).items():
        index.setdefault(k, v)
    out: dict[str, dict[str, Any]] = {}
    for doc in docs:
        path = str(getattr(doc, "path", "") or "")
        if not path:
            continue
        entry = document_entry(doc)
        if entry["kind"] == "post":
            acc_id = entry["meta"].get("account")
            acc = index.get(str(acc_id)) if isinstance(acc_id, str) else None
            platform = acc.get("platform") if acc else None
            handle = acc.get("handle") if acc else None
            entry["platform"] = platform.strip().lower() if isinstance(platform, str) else ""
            entry["handle"] = handle.strip() if isinstance(handle, str) else ""
        out[path] = entry
    return out


DEFAULT_DIRS = {"accounts": "accounts", "posts": "posts"}


def documents_from_folder(root: str | Path, paths: Mapping[str, str] | None = None,
                          only: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Read the posts and accounts of the posts repo at ``root`` with the loader.

    ``paths``: folder names as in ``snspolicy.yaml``'s ``paths:`` (default ``accounts``,
    ``posts``); ``only``: repo-relative post paths to keep (default: every post).
    Files that cannot be read are left out (``lint`` reports them).
    """
    from snspolicy.io.documents import load_document
    from snspolicy.io.errors import LoadError

    base = Path(root)
    dirs = {**DEFAULT_DIRS, **{k: v for k, v in (paths or {}).items() if isinstance(v, str)}}
    keep = None if only is None else {str(p).replace("\\", "/") for p in only}
    loaded = []
    for kind, folder, patterns in (("account", dirs["accounts"], ("*.yaml", "*.yml")),
                                   ("post", dirs["posts"], ("**/*.md",))):
        top = base / folder
        if not top.is_dir():
            continue
        files = sorted({p for pat in patterns for p in top.glob(pat) if p.is_file()})
        for p in files:
            rel = p.relative_to(base).as_posix()
            if kind == "post" and keep is not None and rel not in keep:
                continue
            try:
                loaded.append(load_document(kind, p, rel, base))
            except (LoadError, OSError):
                continue
    return review_documents(loaded)
