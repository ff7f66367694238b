"""snspolicy.core.relazy: a pattern compiled on first use is the pattern re.compile gives."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import snspolicy
from snspolicy.core import relazy
from snspolicy.core.relazy import LazyRe, lazy


def test_nothing_is_compiled_until_first_use(monkeypatch):
    made: list[str] = []
    real = re.compile
    monkeypatch.setattr(relazy.re, "compile", lambda p, f=0: made.append(p) or real(p, f))
    pat = lazy(r"[一-龥]{2,}(?:さん|様)")
    assert made == [] and pat.pattern == r"[一-龥]{2,}(?:さん|様)"  # the text is known without compiling
    assert pat.search("宇部太郎さんへ") is not None
    assert made == [r"[一-龥]{2,}(?:さん|様)"]
    assert [m.group() for m in pat.finditer("山田様と佐藤さん")] == ["山田様", "佐藤さん"]
    assert pat.sub("＊", "山田様") == "＊" and pat.groups == 0
    assert made == [r"[一-龥]{2,}(?:さん|様)"]  # compiled once


@pytest.mark.parametrize("pattern, flags, text", [
    (r"(?P<area>0\d{1,4})-(\d{1,4})-(\d{4})", 0, "電話 0836-31-1111 まで"),
    (r"tel[:：]?", re.IGNORECASE, "TEL：0836"),
    (r"^\s*$", re.MULTILINE, "a\n \nb"),
])
def test_same_answers_as_re_compile(pattern, flags, text):
    mine, real = lazy(pattern, flags), re.compile(pattern, flags)
    assert [m.span() for m in mine.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert mine.findall(text) == real.findall(text) and mine.split(text) == real.split(text)
    assert mine.flags == real.flags and mine.groupindex == real.groupindex
    assert (mine.match(text) is None) == (real.match(text) is None)
    assert mine.compiled is real or mine.compiled.pattern == real.pattern


def test_bytes_patterns():
    pat = lazy(rb"GPS(?:Latitude|Longitude)")
    assert pat.search(b"<exif:GPSLatitude>") is not None


def test_an_invalid_pattern_fails_on_first_use_and_other_names_are_not_there():
    pat = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pat.search("x")
    with pytest.raises(AttributeError):
        lazy("a").no_such_method  # noqa: B018


def test_every_module_level_pattern_of_the_package_compiles():
    """A lazy pattern is compiled when first used: an invalid one would fail only then, so each
    is compiled here (every module of the package imported)."""
    found = 0
    for info in pkgutil.walk_packages(snspolicy.__path__, "snspolicy."):
        if ".lsp." in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            values = value if isinstance(value, list) else [value]
            for v in values:
                v = v[1] if isinstance(v, tuple) and len(v) == 2 else v
                if isinstance(v, LazyRe):
                    assert v.compiled.pattern == v.pattern
                    found += 1
    assert found > 60
