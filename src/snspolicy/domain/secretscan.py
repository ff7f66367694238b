"""Clause 4(3): no password, token or other secret anywhere in the posts repo.

:func:`scan_text` finds, line by line:

(a) ``keyed`` — a key named like a secret (``password``, ``passwd``, ``pwd``,
    ``pass``, ``pin``, ``passphrase``, ``secret``, ``token``, ``api_key``/``apiKey``,
    ``access_key``, ``private_key``, ``client_secret``, ``credential(s)``,
    ``パスワード``, ``暗証番号``, ``パスコード``, ``合言葉`` …) given a literal value, in
    YAML, JSON, INI/.env/properties or prose (``パスワード：abc12345``);
(b) known token formats (GitHub, GitLab, AWS key id, Slack, Google, Stripe,
    OpenAI, npm, PyPI, SendGrid, Facebook/Instagram Graph, X bearer,
    JWT, PEM private keys, Slack/Discord webhook URLs) and ``user:password@`` in URLs;
(c) ``high-entropy`` — random-looking base64/base64url strings (e.g. LINE
    channel access tokens) outside URLs.

What is *not* reported (decisions, see docs/dependencies-clause4.md):

* values that are not literals: mappings (``password: {min_length: 14}``),
  block scalars, aliases, tags, ``${VAR}``/``$VAR``/``{{ var }}``/``%(x)s``,
  ``<redacted>``-style brackets, ALL_CAPS_SNAKE names (``CHANGE_ME``,
  ``DB_PASSWORD``: environment-variable references), masks (``***``, ``xxxx``),
  placeholder words (``changeme``, ``dummy``, ``example``, ``redacted`` …),
  descriptions of where a password lives (``password-manager``, ``1password``),
  ``op://``-style references and file paths, YAML null/booleans, dates, values
  shorter than 4 characters, and any value containing Japanese characters
  (a description, not a password);
* hex strings (git SHAs, checksums, image hashes), UUIDs and lower-case slugs:
  the entropy check only looks at strings with upper case, lower case *and*
  digits; keyed hex secrets (``channel_secret: 0123…``) are still found;
* ``sha256-``/``sha384-``/``sha512-`` integrity hashes and ``data:`` URIs;
* lines carrying ``snspolicy: allow-secret`` (or detect-secrets'
  ``pragma: allowlist secret``) — a reviewed, visible exception.

Every result carries only a masked form of the value
(:func:`snspolicy.core.mask.mask_secret`, the one masker of secrets); the value itself is
never stored, so no ``repr``/``str`` can leak it.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from snspolicy.core.mask import mask_secret
from snspolicy.core.relazy import lazy

__all__ = ["SecretMatch", "SecretParams", "is_secret_key", "scan_file", "scan_text", "shannon_entropy"]


@dataclass(frozen=True)
class SecretMatch:
    """A secret found at ``line`` (1-based), ``column``..``end_column`` (1-based code
    points; ``end_column`` is exclusive). ``masked`` never holds the value."""

    line: int
    column: int
    end_column: int
    kind: str
    masked: str


@dataclass(frozen=True)
class SecretParams:
    """Tunable thresholds (policy parameters of ``secret-in-repo``)."""

    entropy_min_length: int = 24  # shortest base64 string checked for entropy
    entropy_threshold: float = 4.0  # bits per character (Shannon) at or above which it is reported
    entropy_threshold_long: float = 4.3  # threshold for strings of entropy_long_length or more
    entropy_long_length: int = 40
    max_structured_ratio: float = 0.65  # strings this word-like or more are not reported
    min_value_length: int = 4  # keyed values shorter than this are ignored
    placeholders: tuple[str, ...] = ()  # extra placeholder values (case-insensitive, exact)
    allow_markers: tuple[str, ...] = ("snspolicy: allow-secret", "pragma: allowlist secret")

    @classmethod
    def from_mapping(cls, params: Any) -> SecretParams:
        """Build from a policy ``params`` mapping; unknown keys and bad types are ignored."""
        if isinstance(params, SecretParams):
            return params
        if not isinstance(params, dict):
            return cls()
        kwargs: dict[str, Any] = {}
        defaults = cls()
        for f in fields(cls):
            if f.name not in params:
                continue
            value, default = params[f.name], getattr(defaults, f.name)
            if isinstance(default, tuple):
                if isinstance(value, (list, tuple)):
                    kwargs[f.name] = tuple(str(v) for v in value)
            elif isinstance(default, float) and isinstance(value, (int, float)) and not isinstance(value, bool):
                kwargs[f.name] = float(value)
            elif (
                isinstance(default, int)
                and not isinstance(default, float)
                and isinstance(value, int)
                and not isinstance(value, bool)
                and value > 0
            ):
                kwargs[f.name] = value
        return cls(**kwargs)


# ----------------------------------------------------------------------------- entropy


def shannon_entropy(s: str) -> float:
    """Shannon entropy of ``s`` in bits per character."""
    if not s:
        return 0.0
    counts = Counter(s)
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


# ----------------------------------------------------------------------------- patterns

_TOKEN_PATTERNS: tuple[tuple[str, str], ...] = (
    # No leading ``\b``: it would disable the regex engine's fast literal-prefix
    # search; the word boundary before a match is checked in Python instead.
    ("private-key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ("github-token", r"gh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("github-token", r"github_pat_[A-Za-z0-9_]{60,255}\b"),
    ("gitlab-token", r"glpat-[A-Za-z0-9_\-]{20,}"),
    ("aws-access-key-id", r"A(?:KIA|SIA|BIA|CCA)[0-9A-Z]{16}\b"),
    ("slack-token", r"xox[abposr]-[0-9A-Za-z\-]{10,}"),
    ("slack-webhook", r"https://hooks\.slack\.com/services/T[0-9A-Za-z]+/B[0-9A-Za-z]+/[0-9A-Za-z]+"),
    ("discord-webhook", r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w\-]+"),
    ("google-api-key", r"AIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),
    ("google-oauth-secret", r"GOCSPX-[0-9A-Za-z_\-]{28}(?![0-9A-Za-z_\-])"),
    ("stripe-key", r"[sr]k_(?:live|test)_[0-9A-Za-z]{16,}\b"),
    ("openai-key", r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{32,}"),
    ("npm-token", r"npm_[A-Za-z0-9]{36}\b"),
    ("pypi-token", r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}"),
    ("sendgrid-key", r"SG\.[\w\-]{22}\.[\w\-]{43}\b"),
    ("facebook-token", r"EAA[A-Za-z0-9]{80,}"),
    ("instagram-token", r"IG(?:QV|AA)[A-Za-z0-9_\-]{60,}"),
    ("x-bearer-token", r"AAAAAAAAAAAAAAAA*[A-Za-z0-9%]{30,}"),
    ("jwt", r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
)
_TOKENS = [(kind, lazy(rx)) for kind, rx in _TOKEN_PATTERNS]
_PEM_END = lazy(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")

_URL_CREDENTIALS = lazy(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://(?P<user>[^/\s:@\"'<>]+):(?P<value>[^/\s@\"'<>]+)@")
_URL = lazy(r"\b(?:https?|ftp|wss?)://[^\s<>\"'）」]+|\bdata:[\w/+.\-]+;base64,[A-Za-z0-9+/=]+", re.IGNORECASE)

# key (optionally quoted) + separator + value (quoted, or one unquoted token)
_KEYED = lazy(
    r"""(?<![\w.\-])(?P<kq>["']?)(?P<key>[^\W\d][\w.\-]{0,80}?)(?P=kq)\**"""
    r"""[ \t]*(?P<sep>=>|:|=|：)[ \t]*"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&}\])"'`]+)"""
)
_CONFIG_SUFFIXES = {".yaml", ".yml", ".env", ".ini", ".cfg", ".conf", ".toml", ".properties", ".json"}

_SECRET_WORDS = {
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "pass",
    "pin",
    "secret",
    "token",
    "credential",
    "credentials",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "clientsecret",
    "authtoken",
    "accesstoken",
    "refreshtoken",
    "bearertoken",
    "sessiontoken",
    "apisecret",
    "appsecret",
    "consumersecret",
    "channelsecret",
    "webhooksecret",
    "signingsecret",
    "encryptionkey",
    "masterkey",
}
_PASSWORD_WORDS = {"password", "passwd", "passphrase", "pwd", "pass", "pin"}
_JA_PASSWORD_WORDS = ("パスワード", "暗証番号", "パスコード", "合言葉")
_JA_SECRET_WORDS = ("パスワード", "暗証番号", "パスコード", "合言葉", "シークレット", "トークン", "アクセスキー")

_PLACEHOLDER_WORDS = {
    "changeme",
    "redacted",
    "placeholder",
    "dummy",
    "example",
    "sample",
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "yourpassword",
    "yourtoken",
    "yourapikey",
    "yoursecret",
    "mypassword",
    "none",
    "null",
    "nil",
    "na",
    "tbd",
    "todo",
    "notset",
    "unset",
    "masked",
    "hidden",
    "removed",
    "omitted",
    "undefined",
    "empty",
    "passwordmanager",
    "vault",
    "keychain",
    "1password",
    "bitwarden",
    "keepass",
    "lastpass",
    "sso",
    "oauth",
    "env",
    "environment",
    "required",
    "optional",
    "string",
    # status words, e.g. in incident records (``password: changed``)
    "done",
    "changed",
    "unchanged",
    "reset",
    "updated",
    "rotated",
    "revoked",
    "pending",
    "enabled",
    "disabled",
    "managed",
    "notapplicable",
    "notrequired",
}
_PLACEHOLDER_SUBSTRINGS = ("example", "dummy", "placeholder", "changeme", "change_me", "redacted", "xxxx")
_YAML_NON_LITERALS = {"~", "null", "none", "true", "false", "yes", "no", "on", "off"}
_FILE_EXTENSION = lazy(r"\.(pem|key|txt|json|ya?ml|env|p12|pfx|crt|cer|der|gpg|asc|pub)$", re.IGNORECASE)
_DATE_LIKE = lazy(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([T ][\d:.+\-Z]*)?$")
_ENV_REFERENCE = lazy(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_MASK_ONLY = lazy(r"^[*xX•●＊#.\-_ ]+$")
_NON_ASCII_LETTER = lazy(r"[^\x00-\x7f]")

_CODE_LIKE = lazy(r"^(?:[A-Za-z_]+|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|.*[(\[].*|.*=.*[^=])$")
_ENTROPY_CANDIDATE = lazy(r"[A-Za-z0-9+/=_\-]{16,}")
_SRI_PREFIX = lazy(r"sha(?:256|384|512)-$", re.IGNORECASE)


def _key_tokens(key: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)
    return [t for t in re.split(r"[^0-9A-Za-z]+", spaced.lower()) if t]


def _is_password_key(key: str) -> bool:
    base = re.sub(r"[（(][^）)]*[）)]\s*$", "", key.strip())
    tokens = _key_tokens(base)
    return base.endswith(_JA_PASSWORD_WORDS) or bool(tokens and tokens[-1] in _PASSWORD_WORDS)


def _looks_generated(value: str) -> bool:
    """Tokens, keys and secrets are machine-made: long enough and not one plain word."""
    if len(value) < 8 or re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", value):
        return False  # short, or a dotted name such as ``DistributionList.NextMarker``
    has_digit = any(c.isdigit() for c in value)
    mixed = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return has_digit or (mixed and not re.fullmatch(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*", value)) or len(value) >= 20


def is_secret_key(key: str) -> bool:
    """True when a key names a secret (``password``, ``db_pass``, ``apiKey``, ``ログインパスワード``).

    Keys naming a property *of* a secret are not secrets: ``min_length``,
    ``managed_by``, ``password_policy``, ``token_url``, ``last_changed_on``.
    """
    base = re.sub(r"[（(][^）)]*[）)]\s*$", "", key.strip())
    if base.endswith(_JA_SECRET_WORDS):
        return True
    tokens = _key_tokens(base)
    if not tokens:
        return False
    if tokens[-1] in _SECRET_WORDS:
        return True
    return len(tokens) >= 2 and (tokens[-2] + tokens[-1]) in _SECRET_WORDS


def _is_placeholder(value: str, quoted: bool, params: SecretParams) -> bool:
    v = value.strip()
    low = v.lower()
    if len(v) < params.min_value_length:
        return True
    if low in _YAML_NON_LITERALS or low in {p.lower() for p in params.placeholders}:
        return True
    if not quoted and v[0] in "{[|>&*!":
        return True  # mapping, sequence, block scalar, anchor, alias, tag
    if v.startswith(("${", "$", "{{", "%(", "<", "#{", "@@")) or (v.startswith("<") and v.endswith(">")):
        return True
    if _MASK_ONLY.match(v) or len(set(v)) == 1:
        return True
    if _NON_ASCII_LETTER.search(v):
        return True  # Japanese text describes a secret, it is not one
    if _ENV_REFERENCE.match(v):
        return True
    alnum = re.sub(r"[^0-9a-z]", "", low)
    if alnum in _PLACEHOLDER_WORDS or any(s in low for s in _PLACEHOLDER_SUBSTRINGS):
        return True
    if low.startswith("your") and not any(ch.isdigit() for ch in low):
        return True
    if re.match(r"^[a-z][a-z0-9+.\-]*://", low) or re.match(r"^(env|vault|file|secret|keychain|op):", low):
        return True  # a reference (URL credentials are reported separately)
    if v.startswith(("/", "./", "../", "~/")) or _FILE_EXTENSION.search(v):
        return True
    return bool(_DATE_LIKE.match(v))


def _unquote(raw: str) -> tuple[str, bool, int]:
    """(value, was_quoted, offset of the value inside ``raw``)."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1], True, 1
    return raw, False, 0


def _is_config(path: str) -> bool:
    """``Path(path).suffix`` is a config suffix, or the name starts with ``.env`` (without a Path:
    this runs for every file of the repo)."""
    name = (path or "").replace("\\", "/").rstrip("/").rpartition("/")[2].lower()
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""
    return suffix in _CONFIG_SUFFIXES or name.startswith(".env")


@dataclass(order=True)
class _Hit:
    start: int
    end: int
    priority: int
    kind: str = field(compare=False)
    masked: str = field(compare=False)


def _keyed_hits(line: str, config: bool, params: SecretParams) -> Iterator[_Hit]:
    pos = 0
    while True:
        m = _KEYED.search(line, pos)
        if m is None:
            return
        key = m.group("key")
        if not is_secret_key(key):
            pos = m.end("key")  # a non-secret key's value may hold ``token=...`` (URLs)
            continue
        pos = m.end()
        raw = m.group("value")
        value, quoted, off = _unquote(raw)
        start = m.start("value") + off
        line_start = line[: m.start()].strip() in ("", "-", "export")
        if not quoted and config and line_start and m.group("sep") != "=>":
            # a whole ``key: value`` line of a config file: the value runs to the
            # end of the line (minus a `` # comment``), so passphrases are found too
            rest = line[m.start("value") :]
            rest = re.split(r"\s+#", rest, maxsplit=1)[0].rstrip().rstrip(",")
            if rest and rest[0] not in "\"'":
                value = rest
        value = value.strip()
        if not value or _is_placeholder(value, quoted, params):
            continue
        if not config and ((not quoted and _CODE_LIKE.match(value)) or re.search(r"\s", value)):
            continue  # ``password = auth[2]``, ``token = self.token``, a sentence: not a literal
        if not quoted and not line_start and re.fullmatch(r"[A-Za-z][a-z]*", value):
            continue  # prose inside a text: ``… security.password: minimum length …``
        if re.fullmatch(r"[A-Za-z_\-]+", value) and is_secret_key(value):
            continue  # ``api_key: secret_key``: a name, not a value
        if not _is_password_key(key) and not _looks_generated(value):
            continue  # ``input_token: position``: tokens and keys are never plain words
        # a password shows nothing at all (even two characters help a guesser)
        shown = "****" if _is_password_key(key) else mask_secret(value)
        yield _Hit(start, start + len(value), 2, "keyed", shown)


_STRUCTURE = lazy(r"[A-Z]?[a-z]{3,}|[0-9]{4,}|[A-Z]{4,}|[/_\-.]")


def _structured_ratio(s: str) -> float:
    """Share of ``s`` in word-like runs (``Festival``, ``2025``, ``DOLLAR``) and separators.

    Random base64 rarely reaches 0.65 (about 1.5% of 24-character strings, under
    0.1% from 64 characters, never a 172-character LINE token); identifiers,
    paths and file names usually do.
    """
    return sum(len(m.group(0)) for m in _STRUCTURE.finditer(s)) / max(len(s), 1)


def _entropy_hits(line: str, params: SecretParams) -> Iterator[_Hit]:
    blanked = _URL.sub(lambda m: " " * len(m.group(0)), line)
    for m in _ENTROPY_CANDIDATE.finditer(blanked):
        s = m.group(0)
        core = s.strip("=-_/+")
        if len(core) < params.entropy_min_length:
            continue
        if not (re.search(r"[a-z]", core) and re.search(r"[A-Z]", core) and re.search(r"[0-9]", core)):
            continue  # hex digests, UUIDs, slugs, words
        if _SRI_PREFIX.search(blanked[max(0, m.start() - 7) : m.start()]) or re.match(r"sha(256|384|512)-", s, re.IGNORECASE):
            continue
        if "EXAMPLE" in core.upper():
            continue
        if _structured_ratio(core) >= params.max_structured_ratio:
            continue  # words, years, camelCase identifiers, paths: written by people
        threshold = params.entropy_threshold_long if len(core) >= params.entropy_long_length else params.entropy_threshold
        if shannon_entropy(core) < threshold:
            continue
        start = m.start() + s.index(core)
        yield _Hit(start, start + len(core), 1, "high-entropy", mask_secret(core))


def _random_tail(s: str) -> bool:
    return bool(re.search(r"[a-z]", s) and re.search(r"[0-9]", s)) and shannon_entropy(s) >= 3.5


_PEM_BODY = lazy(r"^\s*[\"']?\s*(?:(?:\\r)?\\n)?\s*(?:[A-Za-z0-9+/=]{20,}|Proc-Type:)")


def _pem_body_follows(rest: str, next_line: str) -> bool:
    """Key material follows a BEGIN header: on the same line (``\\n``-escaped in
    JSON/YAML strings) or on the next line."""
    if _PEM_BODY.match(rest):
        return True
    return rest.strip(" \t\"',\\n") == "" and bool(_PEM_BODY.match(next_line))


def _token_hits(text: str, starts: list[int], lines: list[str]) -> dict[int, list[_Hit]]:
    """Known-format tokens, found over the whole text at once; keyed by line number."""
    found: dict[int, list[_Hit]] = {}
    for kind, rx in _TOKENS:
        for m in rx.finditer(text):
            value = m.group(0)
            if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_") and kind != "private-key":
                continue  # inside a longer word
            if "EXAMPLE" in value.upper():
                continue  # vendors' documented examples (AKIAIOSFODNN7EXAMPLE)
            n = bisect_right(starts, m.start())
            col = m.start() - starts[n - 1]
            line = lines[n - 1].rstrip("\r")
            if kind == "private-key":
                next_line = lines[n] if n < len(lines) else ""
                if not _pem_body_follows(line[col + len(value) :], next_line):
                    continue  # the header mentioned in prose, no key material
            if kind == "x-bearer-token" and not _random_tail(value.lstrip("A")):
                continue  # a run of A's in a base64 blob (fonts, images)
            found.setdefault(n, []).append(_Hit(col, col + len(value), 3, kind, mask_secret(value)))
    return found


#: every word of ``_SECRET_WORDS`` holds one of these
_SECRET_STEMS = ("pass", "pwd", "pin", "secret", "token", "credential", "key")
_NOT_TOKEN_CHARS = lazy(r"[^0-9a-z]+")


def may_name_a_secret(text: str) -> bool:
    """False when no key of ``text`` can name a secret (:func:`is_secret_key`), so that no line
    needs to be looked at for ``key: value`` secrets. A secret key ends in a Japanese secret word
    or in a word of ``_SECRET_WORDS`` made of its last one or two lowered ASCII tokens; with the
    text lowered and everything but ASCII letters and digits taken out, those tokens stand side by
    side, so the word is in it."""
    if any(w in text for w in _JA_SECRET_WORDS):
        return True
    squashed = _NOT_TOKEN_CHARS.sub("", text.lower())
    return any(stem in squashed for stem in _SECRET_STEMS)


def _line_hits(
    line: str, config: bool, params: SecretParams, in_pem: bool, token_hits: list[_Hit], maybe_entropy: bool = True,
    maybe_keyed: bool = True,
) -> tuple[list[_Hit], bool]:
    hits: list[_Hit] = list(token_hits)
    pem_here = any(h.kind == "private-key" for h in hits)
    if "@" in line and "://" in line:
        for m in _URL_CREDENTIALS.finditer(line):
            value = m.group("value")
            if not _is_placeholder(value, True, params):
                hits.append(_Hit(m.start("value"), m.end("value"), 3, "url-credentials", mask_secret(value)))
    if maybe_keyed and (":" in line or "=" in line or "：" in line):
        hits.extend(_keyed_hits(line, config, params))
    if maybe_entropy and not (in_pem or pem_here):
        hits.extend(_entropy_hits(line, params))
    if pem_here and not _PEM_END.search(line):
        in_pem = True
    # keep the most specific hit where hits overlap
    kept: list[_Hit] = []
    for h in sorted(hits, key=lambda h: (-h.priority, h.start)):
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept), in_pem


def scan_text(text: str, path: str = "", params: SecretParams | dict | None = None) -> list[SecretMatch]:
    """Find secrets in ``text`` (the contents of ``path``; the path only selects
    config-file behaviour). Returns matches in line/column order; never raises
    for any ``str`` input."""
    if not isinstance(text, str) or not text:
        return []
    p = SecretParams.from_mapping(params)
    config = _is_config(path)
    markers = tuple(m.lower() for m in p.allow_markers)
    out: list[SecretMatch] = []
    in_pem = False
    # whole-text passes (fast, in C): known tokens, runs long enough for entropy, keys that can name a
    # secret, URLs with credentials; a text with none of them has no line worth looking at
    has_tokens = any(rx.search(text) is not None for _, rx in _TOKENS)
    run = re.compile(rf"[A-Za-z0-9+/=_\-]{{{max(p.entropy_min_length, 1)},}}")
    long_runs = [m.start() for m in run.finditer(text)]
    keyed = may_name_a_secret(text)
    if not (has_tokens or long_runs or keyed or ("@" in text and "://" in text)):
        return out
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    tokens = _token_hits(text, starts, lines) if has_tokens else {}
    entropy_lines = {bisect_right(starts, at) for at in long_runs}
    if markers and not any(mk in text.lower() for mk in markers):
        markers = ()  # no line has one
    for n, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if markers and any(mk in line.lower() for mk in markers):
            continue
        if in_pem:
            if _PEM_END.search(line):
                in_pem = False
            continue  # the body of a private key already reported at its BEGIN line
        if not (n in tokens or n in entropy_lines or ("@" in line and "://" in line)
                or (keyed and (":" in line or "=" in line or "：" in line))):
            continue  # nothing on this line can be a secret (the checks of _line_hits, in short)
        hits, in_pem = _line_hits(line, config, p, in_pem, tokens.get(n, []), n in entropy_lines, keyed)
        out.extend(SecretMatch(n, h.start + 1, h.end + 1, h.kind, h.masked) for h in hits)
    return out


def _decode(data: bytes, truncated: bool) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(data) - 3:
            try:
                return data[: exc.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def read_for_scan(path: Path, max_bytes: int = 2_000_000) -> bytes | None:
    """The first ``max_bytes`` + 1 bytes of ``path`` (one more tells that it was cut), or None
    when it cannot be read."""
    from snspolicy.io.textfile import read_fd

    try:
        with open(path, "rb", buffering=0) as fh:
            return read_fd(fh.fileno(), max(int(max_bytes), 0) + 1, os.fstat(fh.fileno()).st_size)
    except (OSError, ValueError, TypeError):
        return None


def scan_bytes(data: bytes, path: str, max_bytes: int = 2_000_000,
               params: SecretParams | dict | None = None) -> list[SecretMatch]:
    """Scan what :func:`read_for_scan` read (see :func:`scan_file`)."""
    truncated = len(data) > max_bytes
    data = data[:max_bytes]
    if b"\0" in data[:8192]:
        return []
    return scan_text(_decode(data, truncated), path, params)


def scan_file(path: Path, max_bytes: int = 2_000_000, params: SecretParams | dict | None = None) -> list[SecretMatch]:
    """Scan a file: the first ``max_bytes`` bytes, decoded as UTF-8 (BOM allowed),
    else cp932, else UTF-8 with replacement characters. Binary files (a NUL byte
    in the first 8 KiB) and unreadable files give ``[]``."""
    data = read_for_scan(path, max_bytes)
    return [] if data is None else scan_bytes(data, str(path), max_bytes, params)
