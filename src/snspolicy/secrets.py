"""Clause 4(3): no password, token or other secret anywhere in the posts repo.

:func:`scan_text` finds, line by line:

(a) ``keyed`` — a key named like a secret (``password``, ``passwd``, ``pwd``,
    ``pass``, ``pin``, ``passphrase``, ``secret``, ``token``, ``api_key``/``apiKey``,
    ``access_key``, ``private_key``, ``client_secret``, ``credential(s)``,
    ``パスワード``, ``暗証番号``, ``パスコード``, ``合言葉`` …) given a literal value, in
    YAML, JSON, INI/.env/properties or prose (``パスワード：abc12345``);
(b) known token formats (GitHub, GitLab, AWS key id, Slack, Google, Stripe,
    OpenAI, npm, PyPI, SendGrid, Telegram, Facebook/Instagram Graph, X bearer,
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

Every result carries only a masked form of the value (:func:`mask`); the value
itself is never stored, so no ``repr``/``str`` can leak it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterator

__all__ = ["SecretMatch", "SecretParams", "scan_text", "scan_file", "mask", "shannon_entropy"]


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
    min_value_length: int = 4  # keyed values shorter than this are ignored
    placeholders: tuple[str, ...] = ()  # extra placeholder values (case-insensitive, exact)
    allow_markers: tuple[str, ...] = ("snspolicy: allow-secret", "pragma: allowlist secret")

    @classmethod
    def from_mapping(cls, params: Any) -> "SecretParams":
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
            elif isinstance(default, float):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    kwargs[f.name] = float(value)
            elif isinstance(default, int):
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    kwargs[f.name] = value
        return cls(**kwargs)


# ----------------------------------------------------------------------------- masking


def mask(value: str) -> str:
    """At most the first 4 characters (2 for values under 20, none under 10) + ``****``."""
    n = len(value)
    keep = 4 if n >= 20 else 2 if n >= 10 else 0
    return value[:keep] + "****"


def shannon_entropy(s: str) -> float:
    """Shannon entropy of ``s`` in bits per character."""
    if not s:
        return 0.0
    counts = Counter(s)
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


# ----------------------------------------------------------------------------- patterns

_TOKEN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("private-key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ("github-token", r"\b(?:gh[pousr])_[A-Za-z0-9]{36,255}\b"),
    ("github-token", r"\bgithub_pat_[A-Za-z0-9_]{60,255}\b"),
    ("gitlab-token", r"\bglpat-[A-Za-z0-9_\-]{20,}"),
    ("aws-access-key-id", r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
    ("slack-token", r"\bxox[abposr]-[0-9A-Za-z\-]{10,}"),
    ("slack-webhook", r"https://hooks\.slack\.com/services/T[0-9A-Za-z]+/B[0-9A-Za-z]+/[0-9A-Za-z]+"),
    ("discord-webhook", r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w\-]+"),
    ("google-api-key", r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),
    ("google-oauth-secret", r"\bGOCSPX-[0-9A-Za-z_\-]{28}(?![0-9A-Za-z_\-])"),
    ("stripe-key", r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b"),
    ("openai-key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{32,}"),
    ("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("pypi-token", r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}"),
    ("sendgrid-key", r"\bSG\.[\w\-]{22}\.[\w\-]{43}\b"),
    ("telegram-bot-token", r"\b\d{8,10}:AA[A-Za-z0-9_\-]{33}\b"),
    ("facebook-token", r"\bEAA[A-Za-z0-9]{80,}"),
    ("instagram-token", r"\bIG(?:QV|AA)[A-Za-z0-9_\-]{60,}"),
    ("x-bearer-token", r"\bA{15,}[A-Za-z0-9%]{30,}"),
    ("jwt", r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
)
_TOKENS = [(kind, re.compile(rx)) for kind, rx in _TOKEN_PATTERNS]
_PEM_END = re.compile(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")

_URL_CREDENTIALS = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://(?P<user>[^/\s:@\"'<>]+):(?P<value>[^/\s@\"'<>]+)@")
_URL = re.compile(r"\b(?:https?|ftp|wss?)://[^\s<>\"'）」]+|\bdata:[\w/+.\-]+;base64,[A-Za-z0-9+/=]+", re.I)

# key (optionally quoted) + separator + value (quoted, or one unquoted token)
_KEYED = re.compile(
    r"""(?<![\w.\-])(?P<kq>["']?)(?P<key>[^\W\d][\w.\-]{0,80}?)(?P=kq)\**"""
    r"""[ \t]*(?P<sep>=>|:|=|：)[ \t]*"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&}\])"'`]+)"""
)
_CONFIG_SUFFIXES = {".yaml", ".yml", ".env", ".ini", ".cfg", ".conf", ".toml", ".properties", ".json"}

_SECRET_WORDS = {
    "password", "passwd", "passphrase", "pwd", "pass", "pin", "secret", "token", "credential",
    "credentials", "apikey", "accesskey", "privatekey", "secretkey", "clientsecret", "authtoken",
    "accesstoken", "refreshtoken", "bearertoken", "sessiontoken", "apisecret", "appsecret",
    "consumersecret", "channelsecret", "webhooksecret", "signingsecret", "encryptionkey", "masterkey",
}
_JA_SECRET_WORDS = ("パスワード", "暗証番号", "パスコード", "合言葉", "シークレット", "トークン", "アクセスキー")

_PLACEHOLDER_WORDS = {
    "changeme", "redacted", "placeholder", "dummy", "example", "sample", "secret", "password",
    "passwd", "token", "apikey", "yourpassword", "yourtoken", "yourapikey", "yoursecret", "mypassword",
    "none", "null", "nil", "na", "tbd", "todo", "notset", "unset", "masked", "hidden", "removed",
    "omitted", "undefined", "empty", "passwordmanager", "vault", "keychain", "1password", "bitwarden",
    "keepass", "lastpass", "sso", "oauth", "env", "environment", "required", "optional", "string",
}
_PLACEHOLDER_SUBSTRINGS = ("example", "dummy", "placeholder", "changeme", "change_me", "redacted", "xxxx")
_YAML_NON_LITERALS = {"~", "null", "none", "true", "false", "yes", "no", "on", "off"}
_FILE_EXTENSION = re.compile(r"\.(pem|key|txt|json|ya?ml|env|p12|pfx|crt|cer|der|gpg|asc|pub)$", re.I)
_DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([T ][\d:.+\-Z]*)?$")
_ENV_REFERENCE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_MASK_ONLY = re.compile(r"^[*xX•●＊#.\-_ ]+$")
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")

_ENTROPY_CANDIDATE = re.compile(r"[A-Za-z0-9+/=_\-]{16,}")
_SRI_PREFIX = re.compile(r"sha(?:256|384|512)-$", re.I)


def _key_tokens(key: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)
    return [t for t in re.split(r"[^0-9A-Za-z]+", spaced.lower()) if t]


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
    if _DATE_LIKE.match(v):
        return True
    return False


def _unquote(raw: str) -> tuple[str, bool, int]:
    """(value, was_quoted, offset of the value inside ``raw``)."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1], True, 1
    return raw, False, 0


def _is_config(path: str) -> bool:
    p = Path(path or "")
    return p.suffix.lower() in _CONFIG_SUFFIXES or p.name.lower().startswith(".env")


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
        if not quoted and config and line[: m.start()].strip() in ("", "-", "export") and m.group("sep") != "=>":
            # a whole ``key: value`` line of a config file: the value runs to the
            # end of the line (minus a `` # comment``), so passphrases are found too
            rest = line[m.start("value"):]
            rest = re.split(r"\s+#", rest, maxsplit=1)[0].rstrip().rstrip(",")
            if rest and rest[0] not in "\"'":
                value = rest
        value = value.strip()
        if not value or _is_placeholder(value, quoted, params):
            continue
        yield _Hit(start, start + len(value), 2, "keyed", mask(value))


def _entropy_hits(line: str, params: SecretParams) -> Iterator[_Hit]:
    blanked = _URL.sub(lambda m: " " * len(m.group(0)), line)
    for m in _ENTROPY_CANDIDATE.finditer(blanked):
        s = m.group(0)
        core = s.strip("=-_/+")
        if len(core) < params.entropy_min_length:
            continue
        if not (re.search(r"[a-z]", core) and re.search(r"[A-Z]", core) and re.search(r"[0-9]", core)):
            continue  # hex digests, UUIDs, slugs, words
        if _SRI_PREFIX.search(blanked[max(0, m.start() - 7):m.start()]) or re.match(r"sha(256|384|512)-", s, re.I):
            continue
        threshold = (params.entropy_threshold_long if len(core) >= params.entropy_long_length
                     else params.entropy_threshold)
        if shannon_entropy(core) < threshold:
            continue
        start = m.start() + s.index(core)
        yield _Hit(start, start + len(core), 1, "high-entropy", mask(core))


def _line_hits(line: str, config: bool, params: SecretParams, in_pem: bool) -> tuple[list[_Hit], bool]:
    hits: list[_Hit] = []
    for kind, rx in _TOKENS:
        for m in rx.finditer(line):
            hits.append(_Hit(m.start(), m.end(), 3, kind, mask(m.group(0))))
    pem_here = any(h.kind == "private-key" for h in hits)
    for m in _URL_CREDENTIALS.finditer(line):
        value = m.group("value")
        if not _is_placeholder(value, True, params):
            hits.append(_Hit(m.start("value"), m.end("value"), 3, "url-credentials", mask(value)))
    hits.extend(_keyed_hits(line, config, params))
    if not (in_pem or pem_here):
        hits.extend(_entropy_hits(line, params))
    if pem_here and not _PEM_END.search(line):
        in_pem = True
    elif in_pem and _PEM_END.search(line):
        in_pem = False
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
    for n, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if markers and any(mk in line.lower() for mk in markers):
            continue
        if in_pem:
            if _PEM_END.search(line):
                in_pem = False
            continue  # the body of a private key already reported at its BEGIN line
        hits, in_pem = _line_hits(line, config, p, in_pem)
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


def scan_file(path: Path, max_bytes: int = 2_000_000,
              params: SecretParams | dict | None = None) -> list[SecretMatch]:
    """Scan a file: the first ``max_bytes`` bytes, decoded as UTF-8 (BOM allowed),
    else cp932, else UTF-8 with replacement characters. Binary files (a NUL byte
    in the first 8 KiB) and unreadable files give ``[]``."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(max(int(max_bytes), 0) + 1)
    except (OSError, ValueError, TypeError):
        return []
    truncated = len(data) > max_bytes
    data = data[:max_bytes]
    if b"\0" in data[:8192]:
        return []
    return scan_text(_decode(data, truncated), str(path), params)
