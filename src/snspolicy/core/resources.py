"""Where the bundled policy and schemas are: inside the installed package, or the source tree."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent  # the snspolicy package folder


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """``policy`` or ``schemas``: the packaged copy (wheel) or the project's top-level folder."""
    packaged = _PKG / "_data" / name
    if packaged.is_dir():
        return packaged
    source = _PKG.parent.parent / name  # src/snspolicy -> project root
    return source


def schema_path(kind: str) -> Path:
    return data_dir("schemas") / f"{kind}.schema.json"
