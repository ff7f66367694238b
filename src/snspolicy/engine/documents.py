"""The per-document phase of a run: the schema and every per-document rule
(:func:`snspolicy.engine.cache.per_document`) over each selected document, taken from the cache
when the document and everything else it depends on are unchanged, and spread over ``jobs``
worker processes when there are many documents to check.

Same result whatever ``jobs`` is: each document is checked by the same function
(:func:`check_batch`, over batches of :data:`BATCH` documents, rule by rule: a document's findings
are those of checking it alone, in policy order), results are put back in the order of the
documents, and the engine sorts the findings of the whole run at the end. Workers are forked
(Linux only; elsewhere, and for fewer than :data:`MIN_PER_JOB` documents per worker, the phase
runs in this process), so they share the loaded repo and policy and load only what their rules
need. A worker that dies or cannot return its result does not lose documents: what it had not
returned is checked again in this process. Each rule's time is added up over all documents
and workers and held against the engine's limit (:mod:`snspolicy.engine.core`). What a worker's
rules compute for the cache (``ctx.remember``) is sent back with its results and saved here.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from snspolicy.core.model import Finding
from snspolicy.engine.cache import DocCache, Entry, run_key
from snspolicy.io import schemacheck
from snspolicy.io.documents import Document

#: :class:`snspolicy.engine.core.Engine`, which imports this module (named here, not imported)
Engine = Any

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.policy.model import RuleSpec
    from snspolicy.rules.api import RuleImpl

    Rules = list[tuple[RuleSpec, RuleImpl]]

__all__ = ["BATCH", "MIN_PER_JOB", "check_all", "check_batch", "check_one", "chunk_sizes", "default_jobs", "open_cache"]

#: documents to check per worker below which forking costs more than it saves
MIN_PER_JOB = 100
#: smallest chunk of documents handed to a worker (each chunk costs one message each way)
MIN_CHUNK = 40
#: documents checked together, rule by rule (:func:`check_batch`); the text detectors' per-text
#: memos hold the texts of a whole batch (:data:`snspolicy.text.matches.TEXT_MEMO`)
BATCH = 256


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def chunk_sizes(n: int, jobs: int) -> list[int]:
    """How ``n`` documents are cut into chunks for ``jobs`` workers: each chunk is a share of what
    is left (``left / (2 * jobs)``, at least :data:`MIN_CHUNK`), so the first chunks are large
    (few messages) and the last ones small: when one worker takes its last chunk, the others are
    not left waiting long for it (one chunk per worker of a quarter each left a worker idle for
    up to a second at 10,000 posts)."""
    sizes: list[int] = []
    left = n
    while left > 0:
        size = min(left, max(MIN_CHUNK, -(-left // (2 * jobs))))
        sizes.append(size)
        left -= size
    return sizes


def check_one(engine: Engine, doc: Document, rules: Rules) -> tuple[Entry, dict[str, float]]:
    """The schema and the per-document rules on one document; the seconds each rule took."""
    entries, timings = check_batch(engine, [doc], rules)
    return entries[0], timings


def check_batch(engine: Engine, docs: list[Document], rules: Rules) -> tuple[list[Entry], dict[str, float]]:
    """:func:`check_one` on each of ``docs`` (an entry per document, same order), rule by rule: each
    rule runs over the whole batch before the next starts (its code and data stay in the CPU's
    caches, instead of being pushed out by thirty other rules between two documents). A document's
    findings come in the same order as document by document: its schema findings, then each rule's
    in policy order. The seconds each rule took over the batch."""
    entries: list[Entry] = []
    drops: list[Callable[[Finding], bool]] = []
    for doc in docs:
        entry = Entry()
        if engine._enabled("schema"):
            entry.findings.extend(engine.schema_findings(doc, entry.bad_values))
            entry.invalid = bool(entry.findings)
            if not entry.invalid:  # remembered by the parent (a worker's own memo is not saved)
                entry.schema_pass = engine.schema_pass_key(doc)
        entries.append(entry)
        drops.append(_drop_test(doc.path, entry.bad_values))
    timings: dict[str, float] = {}
    timed_out: list[set[tuple[str | None, str | None, str]]] = [set() for _ in docs]
    apply, clock = engine.apply, time.perf_counter
    for spec, impl in rules:
        kinds = impl.kinds
        started = clock()
        ran = False
        for k, doc in enumerate(docs):
            if doc.kind not in kinds:
                continue
            ran = True
            entry = entries[k]
            apply(spec, impl, doc, entry.findings, timed_out[k], invalid=entry.invalid, drop=drops[k])
        if ran:
            timings[spec.id] = timings.get(spec.id, 0.0) + clock() - started
    engine.ctx.rule = None
    for doc in docs:
        doc.cache.clear()  # the words' analysis is not needed after the per-document rules: free it
    return [e.settle() for e in entries], timings


def _drop_test(path: str, bad: set[tuple[int, int]] | frozenset[tuple[int, int]]) -> Callable[[Finding], bool]:
    """Is a finding on a value of ``path`` that the schema rejected (``bad``: their line, column)?"""
    def drop(f: Finding) -> bool:
        return f.path == path and (f.line, f.column) in bad

    return drop


def check_all(engine: Engine, docs: list[Document], rules: Rules, cache: DocCache | None, *,
              meanwhile: Callable[..., None] | None = None) -> tuple[list[Entry], list[Finding]]:
    """An entry per document of ``docs`` (same order), and the findings of rules that were too slow.

    ``meanwhile`` (the rules that read more than one document) is called once in this process:
    while the workers check the documents, when there are workers (with ``progress=False``: the
    documents' progress is the one shown), else not (the caller runs it afterwards)."""
    whole = cache is not None and engine.repo.only is None and len(docs) > 1  # a whole-repo run
    listed: str | None = None
    if cache is not None and whole:
        entries, listed = cache.get_all(docs)
    else:
        entries = [cache.get(d) if cache is not None else None for d in docs]
    misses = [i for i, e in enumerate(entries) if e is None]
    timings: dict[str, float] = {}
    done = 0
    for i, entry, spent in _check(engine, docs, misses, rules, cache, meanwhile):
        entries[i] = entry
        if entry.schema_pass:
            schemacheck.note_pass(entry.schema_pass)
        for rid, seconds in spent.items():
            timings[rid] = timings.get(rid, 0.0) + seconds
        if cache is not None:
            cache.put(docs[i], entry)
        done += 1
        if engine.progress and (done % 200 == 0 or done == len(misses)):
            engine.progress(done, len(misses))
    slow = [f for spec, _ in rules if (f := engine.too_slow(spec, timings.get(spec.id, 0.0))) is not None]
    done_entries = [e if e is not None else Entry() for e in entries]
    if cache is not None and listed is not None and not slow:
        cache.put_all(listed, done_entries)
    return done_entries, slow


def open_cache(engine: Engine, rules: Rules) -> DocCache | None:
    """The repo's cache for this run (None when the engine runs without one)."""
    if not engine.cache or engine.repo.overlays:
        return None  # an editor's unsaved text is never cached
    key = run_key(engine.repo, engine.policy, lang=engine.lang, today=engine.today,
                  rule_ids=[s.id for s, _ in rules] + (["schema"] if engine._enabled("schema") else []))
    return DocCache(engine.repo.root, key)


def _check(engine: Engine, docs: list[Document], todo: list[int], rules: Rules,
           cache: DocCache | None = None,
           meanwhile: Callable[..., None] | None = None) -> Iterator[tuple[int, Entry, dict[str, float]]]:
    jobs = min(engine.jobs, len(todo) // MIN_PER_JOB)
    left = set(todo)
    if jobs > 1 and sys.platform.startswith("linux"):
        try:
            for i, entry, spent in _parallel(engine, docs, todo, rules, jobs, cache, meanwhile):
                left.discard(i)
                yield i, entry, spent
        except (OSError, RuntimeError, EOFError, ImportError, AttributeError, TypeError, ValueError):
            pass  # a worker could not start or report back: what it left is checked here
    rest = [i for i in todo if i in left]
    for k in range(0, len(rest), BATCH):
        batch = rest[k:k + BATCH]
        entries, spent = check_batch(engine, [docs[i] for i in batch], rules)
        for n, (i, entry) in enumerate(zip(batch, entries)):
            yield i, entry, spent if n == 0 else {}


# -- workers --------------------------------------------------------------------------------------
_WORK: tuple[Engine, list[Document], Rules, DocCache | None] | None = None


def _ignore_interrupt() -> None:
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    gc.enable()  # paused in the parent while it runs (snspolicy.app.lint); a worker collects as usual


def _work(chunk: list[int]) -> tuple[list[tuple[int, Entry]], dict[str, float], list[tuple[str, Any]]]:
    """The entries of ``chunk``'s documents, the seconds each rule took over the chunk (added up
    here: one small dict sent back per chunk, not one per document), and the values the rules
    computed for the cache (:meth:`DocCache.remember`: the parent saves them)."""
    assert _WORK is not None
    engine, docs, rules, cache = _WORK
    if cache is not None:
        cache.recording = True  # this process is a worker: what it computes is sent back
    before = len(cache.computed) if cache is not None else 0
    out: list[tuple[int, Entry]] = []
    total: dict[str, float] = {}
    for k in range(0, len(chunk), BATCH):
        batch = chunk[k:k + BATCH]
        entries, spent = check_batch(engine, [docs[i] for i in batch], rules)
        out.extend(zip(batch, entries))
        for rid, seconds in spent.items():
            total[rid] = total.get(rid, 0.0) + seconds
    return out, total, cache.computed[before:] if cache is not None else []


def _parallel(engine: Engine, docs: list[Document], todo: list[int], rules: Rules, jobs: int,
              cache: DocCache | None = None,
              meanwhile: Callable[..., None] | None = None) -> Iterator[tuple[int, Entry, dict[str, float]]]:
    """Check ``todo`` in ``jobs`` forked workers (a worker that dies raises ``BrokenProcessPool``,
    a RuntimeError: the caller checks what is left itself, nothing waits forever); ``meanwhile``
    runs here once the work is handed out."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    global _WORK
    sizes = chunk_sizes(len(todo), jobs)
    chunks = [todo[k:k + n] for k, n in zip(itertools.accumulate([0, *sizes]), sizes)]
    _WORK = (engine, docs, rules, cache)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_ignore_interrupt) as pool:
            futures = [pool.submit(_work, chunk) for chunk in chunks]
            try:
                if meanwhile is not None:
                    meanwhile(progress=False)
                for future in as_completed(futures):
                    done, spent, computed = future.result()
                    if cache is not None:
                        cache.adopt(computed)
                    for n, (i, entry) in enumerate(done):
                        yield i, entry, spent if n == 0 else {}
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    finally:
        _WORK = None
