"""Small helpers shared by the reporters (private to this package).

Every reporter goes through :func:`normalize` so that a malformed finding
(a line of 0, a ``None`` message, a severity given as text …) never makes a
reporter raise: it is coerced into something printable instead.

Escaping is done once, here, for every format: :func:`escape` makes control characters visible
(``\x1b``, ``\u202e``). Paths get every control character escaped, line breaks and tabs
included (a file named ``a\n::error file=X::…`` must not start a GitHub workflow command on a
line of its own in the text output, nor fake a line of any report); messages keep their line
breaks, which each format then handles (one line in text, ``%0A`` in GitHub commands, ``<br>``
in Markdown). Bidirectional-override characters and Unicode line separators are escaped
everywhere (they reorder or break what a reader sees).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from snspolicy.core.model import Finding, Severity
from snspolicy.core.relazy import lazy

# C0/C1 control characters except TAB, LF, CR; plus DEL; plus bidirectional controls and the
# Unicode line/paragraph separators. LF/CR/TAB are handled per format (paths: escaped too).
_CONTROL = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_ALL = lazy("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NEWLINES = lazy(r"\r\n|\r|\n")
# lone surrogates cannot be written as UTF-8: they become U+FFFD
_SURROGATE = lazy("[\ud800-\udfff]")


@dataclass(frozen=True)
class Item:
    """A finding coerced into safe, display-ready values."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    clause: str
    severity: Severity
    message: str
    title: str
    fingerprint: str
    fatal: bool
    waived: bool
    waiver_reason: str
    finding: Finding

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)


def _int(value: object, default: int = 1) -> int:
    if not isinstance(value, (int, float, str)):
        return default
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return n if n >= 1 else default


def severity_of(value: object) -> Severity:
    """Coerce ``value`` (a Severity, its name, or its number) into a Severity; ERROR if unknown."""
    if isinstance(value, Severity):
        return value
    try:
        if isinstance(value, int):
            return Severity(value)
        return Severity.parse(str(value).strip())
    except (KeyError, ValueError):
        return Severity.ERROR


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: object, *, line_breaks: bool = True) -> str:
    """THE escaping of every reporter: control characters become visible escapes (ESC is the four
    characters ``\\x1b``, U+202E the six characters ``\\u202e``); lone surrogates (not
    encodable as UTF-8) become U+FFFD. With ``line_breaks=False`` TAB, LF and CR are escaped too
    (for paths and other one-line fields)."""
    s = _SURROGATE.sub("\ufffd", "" if text is None else str(text))
    return (_CONTROL if line_breaks else _CONTROL_ALL).sub(_visible, s)


def clean(text: object) -> str:
    """Text with control characters made visible (line breaks kept): :func:`escape`."""
    return escape(text)


def one_line(text: object) -> str:
    """:func:`clean` text with every line break replaced by a space."""
    return _NEWLINES.sub(" ", clean(text))


def norm_path(path: object) -> str:
    """A repository-relative path with forward slashes (``""`` when missing), every control
    character escaped (:func:`escape` without line breaks)."""
    p = escape(("" if path is None else str(path)).replace("\\", "/"), line_breaks=False)
    while p.startswith("./"):
        p = p[2:]
    return p


def relativize(path: str, root: object) -> str:
    """``path`` relative to ``root`` when it is an absolute path inside it (lexically; no file access).

    Keeps absolute local paths (which may name a person's home folder) out of reports.
    """
    if not path or not os.path.isabs(path) or not root:
        return path
    try:
        rel = os.path.relpath(path, os.path.abspath(str(root)))
    except ValueError:  # another drive on Windows
        return path
    rel = rel.replace(os.sep, "/")
    return path if rel == ".." or rel.startswith("../") else rel


def normalize(f: Finding, root: object = None) -> Item:
    """Coerce one finding into an :class:`Item` (never raises for a Finding-like object).

    An absolute path inside ``root`` is made relative to it."""
    line = _int(getattr(f, "line", 1))
    column = _int(getattr(f, "column", 1))
    end_line = _int(getattr(f, "end_line", None), line)
    end_column = _int(getattr(f, "end_column", None), column)
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    fingerprint = getattr(f, "fingerprint", "") or ""
    if not fingerprint:
        try:
            fingerprint = f.compute_fingerprint()
        except Exception:
            fingerprint = ""
    reason = getattr(f, "waiver_reason", None)
    return Item(
        path=norm_path(relativize(clean(getattr(f, "path", "")), root)),
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=clean(getattr(f, "rule", "")) or "unknown",
        clause=clean(getattr(f, "clause", "")),
        severity=severity_of(getattr(f, "severity", Severity.ERROR)),
        message=clean(getattr(f, "message", "")),
        title=clean(getattr(f, "title", "")),
        fingerprint=clean(fingerprint),
        fatal=bool(getattr(f, "fatal", False)),
        waived=bool(getattr(f, "waived", False)),
        waiver_reason=clean(reason) if reason else "",
        finding=f,
    )


def prepare(findings: Iterable[Finding] | None, *, show_waived: bool = True, root: object = None) -> list[Item]:
    """Normalize and sort findings (stable ``sort_key`` order); drop waived ones unless asked."""
    items = [normalize(f, root) for f in (findings or []) if f is not None]
    if not show_waived:
        items = [i for i in items if not i.waived]
    items.sort(key=Item.sort_key)
    return items


def lang_of(lang: object) -> str:
    """``"en"`` for any English locale name, ``"ja"`` otherwise (the default language)."""
    s = str(lang or "").strip().lower()
    return "en" if s.startswith("en") else "ja"


_CLAUSE = lazy(r"^\s*(\d+)((?:\s*\(\s*\d+\s*\))*)")


def clause_key(clause: str) -> tuple[int, tuple[int, ...], str]:
    """Numeric sort key of a guideline clause: 3(1) < 3(2) < 3(10) < 4 < 4(1) < 6(11) < 7 < 8.

    Clause text that does not start with a number sorts after every numbered clause;
    an empty clause sorts last.
    """
    s = unicodedata.normalize("NFKC", clause or "")
    m = _CLAUSE.match(s)
    if not m:
        return (1, (), s) if s else (2, (), "")
    nums = (int(m.group(1)),) + tuple(int(n) for n in re.findall(r"\d+", m.group(2)))
    return (0, nums, s)


def counts(items: Iterable[Item]) -> dict[Severity, int]:
    """How many items of each severity."""
    out = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
    for i in items:
        out[i.severity] = out.get(i.severity, 0) + 1
    return out


def fails(items: Iterable[Item], fail_on: object) -> bool:
    """True when a non-waived item is at or above the fail level (or is fatal)."""
    level = severity_of(fail_on)
    return any((i.severity >= level or i.fatal) and not i.waived for i in items)
