"""The third-party libraries the built-in rules need, and which of them are missing.

A rule that quietly does less when its library is missing (no phone numbers found without
``phonenumbers``, a coarse tokenizer without Sudachi, no time limit on regular expressions
without ``regex``) would turn a CI gate green while it checked less. They are default
dependencies of the package (``pip install snspolicy`` installs them); should one still be
missing (a hand-made environment, a broken install), :func:`missing` names it and the engine
stops with exit status 2 and the ``pip install`` command that fixes it.

Checked with :func:`importlib.util.find_spec` (the module is found, not imported: a run that does
not reach a text rule does not pay for loading the dictionary). Only the rules that will run are
checked, so a repo that disables the text rules does not need the text libraries.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Library", "RULE_LIBRARIES", "may_have_entry_points", "missing", "versions"]


@dataclass(frozen=True)
class Library:
    """A module a rule imports, and the distribution that provides it."""

    module: str
    package: str


SUDACHI = (Library("sudachipy", "sudachipy"), Library("sudachidict_core", "sudachidict-core"))
REGEX = Library("regex", "regex")
# the lexicon rules tokenize (Sudachi) and run regex entries with a time limit (`regex`)
LEXICON = (*SUDACHI, REGEX)

#: rule id -> the libraries it cannot do without
RULE_LIBRARIES: dict[str, tuple[Library, ...]] = {
    **{rid: LEXICON for rid in (
        "text-defamation", "text-discrimination", "text-private", "text-incitement", "text-confidential",
        "text-obscene", "text-predecisional", "text-public-order",
    )},
    "pii-name": SUDACHI,  # names before an honorific are found on word boundaries
    "pii-phone": (Library("phonenumbers", "phonenumbers"),),
    # characters are counted as grapheme clusters (an emoji with modifiers is one character)
    **{rid: (REGEX,) for rid in ("clarity-length", "clarity-hashtags", "clarity-sentence-length")},
    "media-exif-location": (Library("PIL", "Pillow"), Library("exifread", "exifread")),
}
#: a rule of a generic kind (``kind:`` in the policy) -> the libraries its kind cannot do without
KIND_LIBRARIES: dict[str, tuple[Library, ...]] = {"lexicon": LEXICON, "pattern": (REGEX,)}
#: needed only when the 一覧表 named by ``registry:`` is a spreadsheet
XLSX = Library("openpyxl", "openpyxl")


def _found(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a finder refused it (ImportError), or a broken __spec__
        return False


def _needed(rule_id: str, kind: str | None = None) -> tuple[Library, ...]:
    libs = KIND_LIBRARIES.get(kind, ()) if kind else RULE_LIBRARIES.get(rule_id, ())
    forced = os.environ.get("SNSPOLICY_TOKENIZER", "").strip().lower()
    if forced and forced != "sudachi":  # the user chose another tokenizer explicitly
        libs = tuple(lib for lib in libs if lib not in SUDACHI)
    return libs


def missing(rule_ids: Iterable[str], *, registry: str | None = None,
            kinds: Mapping[str, str] | None = None) -> dict[Library, list[str]]:
    """Missing library -> the rules (of ``rule_ids``) that need it; empty when all are there.

    ``registry`` is ``snspolicy.yaml``'s ``registry:``: an ``.xlsx`` one needs ``openpyxl`` for
    ``registry-stale``. ``kinds`` gives the generic kind of the rules that have one.
    """
    out: dict[Library, list[str]] = {}
    cache: dict[str, bool] = {}
    for rid in rule_ids:
        libs = _needed(rid, (kinds or {}).get(rid))
        if rid == "registry-stale" and registry and str(registry).lower().endswith((".xlsx", ".xlsm")):
            libs = (*libs, XLSX)
        for lib in libs:
            if lib.module not in cache:
                cache[lib.module] = _found(lib.module)
            if not cache[lib.module]:
                out.setdefault(lib, []).append(rid)
    return out


# -- installed distributions, without importlib.metadata's cost -------------------------------------
# importlib.metadata parses every distribution's METADATA (~30-60 ms at each start); a run only
# needs the versions of a few libraries (the cache key) and to know whether any distribution
# declares a plugin. Both are read from the names and entry_points.txt of the *.dist-info /
# *.egg-info folders on sys.path, as importlib.metadata's own path finder finds them; anything
# this scan cannot see (a zip on sys.path, a finder with distributions of its own) makes it
# answer None and the caller asks importlib.metadata instead.

def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@lru_cache(maxsize=1)
def _distributions() -> dict[str, list[tuple[str, str]]] | None:
    """Normalized distribution name -> [(metadata folder, version from its name)], or None (see above)."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return None
    out: dict[str, list[tuple[str, str]]] = {}
    for entry in sys.path:
        where = entry or "."
        try:
            with os.scandir(where) as it:
                names = [e.name for e in it]
        except (FileNotFoundError, NotADirectoryError):
            if os.path.exists(where):  # a zip file: importlib reads distributions inside it
                return None
            continue
        except (OSError, ValueError):
            continue
        for name in names:
            stem, dot, ext = name.rpartition(".")
            if dot and ext in ("dist-info", "egg-info"):
                dist, _, version = stem.partition("-")
                out.setdefault(_norm(dist), []).append((os.path.join(where, name), version.partition("-")[0]))
    return out


def versions(names: Iterable[str]) -> list[str]:
    """``name=version`` of each distribution (``name=-`` when not installed; every version found
    when several copies are on sys.path), for keys that must change when a library does."""
    scan = _distributions()
    out = []
    for name in names:
        found = sorted({v for _, v in (scan or {}).get(_norm(name), [])})
        if scan is not None and not found:
            found = ["-"]
        elif scan is None or "" in found:  # the scan cannot tell: ask importlib.metadata
            from importlib import metadata

            try:
                found = [metadata.version(name)]
            except metadata.PackageNotFoundError:
                found = ["-"]
        out.append(f"{name}={','.join(found)}")
    return out


def may_have_entry_points(group: str) -> bool:
    """False only when no distribution on sys.path declares an entry point of ``group``."""
    scan = _distributions()
    if scan is None:
        return True
    header = f"[{group}]"
    for folders in scan.values():
        for folder, _ in folders:
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8", errors="replace") as fh:
                    if header in fh.read():
                        return True
            except FileNotFoundError:
                continue
            except OSError:
                return True
    return False
