"""Policy regexes that cannot hang the linter: :mod:`snspolicy.core.regexsafe`, under its old name.

The module lives in ``snspolicy.core`` so that every layer may use it (``snspolicy.domain`` may
not import ``snspolicy.text``); this name stays for the text layer and for existing imports.
"""

from __future__ import annotations

from snspolicy.core.regexsafe import (
    DEFAULT_TIMEOUT,
    MAX_PATTERN_LENGTH,
    LazyPattern,
    RegexTimeout,
    SafePattern,
    UnsafePattern,
    check_pattern,
    compile_safe,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "LazyPattern",
    "MAX_PATTERN_LENGTH",
    "RegexTimeout",
    "SafePattern",
    "UnsafePattern",
    "check_pattern",
    "compile_safe",
]
