"""The posts repo's ``snspolicy.yaml``.

Fail closed: a ``snspolicy.yaml`` that exists in any form but cannot be read as a file (a folder,
a named pipe, a dangling link, a link loop, a link leading out of the repo) is a
:class:`ConfigError`, never "no configuration, defaults apply". Every path the file names
(``paths:``, ``roster:``, ``registry:``) and every folder snspolicy reads or writes by default
(:data:`DEFAULT_PATHS` and ``.github``) must stay inside the repo once symbolic links are
followed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snspolicy.core.errors import UserError
from snspolicy.io import schemacheck
from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import inside, read_text
from snspolicy.io.yamlloc import Located, ParseMemo, load_yaml_remembered
from snspolicy.core.model import Severity, Span

CONFIG_NAME = "snspolicy.yaml"

DEFAULT_PATHS = {
    "accounts": "accounts",
    "posts": "posts",
    "press": "press",
    "incidents": "incidents",
    "media": "media",
}
#: folders snspolicy reads or writes besides DEFAULT_PATHS (workflows, CODEOWNERS)
OTHER_FOLDERS = (".github",)


@dataclass
class ConfigError(UserError):
    """``snspolicy.yaml`` is broken: a user error (exit status 2), located in the file."""

    path: str
    span: Span
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    rule: str = "schema"


@dataclass
class Config:
    policy: str = "ube/2025-04-01"
    fail_on: Severity = Severity.ERROR
    allow: dict[str, list[str]] = field(default_factory=dict)
    roster: str | None = None
    registry: str | None = None
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PATHS))
    exclude: list[str] = field(default_factory=list)
    path: Path | None = None  # the file, when there is one
    located: Located | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def allowed(self, kind: str) -> list[str]:
        return [str(x) for x in (self.allow.get(kind) or [])]


def _inside(root: Path, rel: str) -> bool:
    """Is ``rel`` a relative path that stays inside ``root`` (no absolute path, no ``..`` out,
    no symbolic link leading out)?"""
    if not rel.strip() or Path(rel).is_absolute() or rel.startswith(("/", "\\")) or ":" in rel[:3] or "\0" in rel:
        return False
    return inside(root / rel, root)


def _check_folders(root: Path, located: Located | None, data: dict[str, Any]) -> None:
    """Every folder of ``paths:`` (and the default ones) stays inside the repo."""
    configured = data.get("paths") or {}
    for key, value in configured.items():
        if not _inside(root, str(value)):
            span = located.span(("paths", key)) if located else Span()
            raise ConfigError(CONFIG_NAME, span, "config_path_outside", {"where": f"paths.{key}"})
    for folder in [v for k, v in DEFAULT_PATHS.items() if k not in configured] + list(OTHER_FOLDERS):
        if os.path.lexists(root / folder) and not _inside(root, folder):
            raise ConfigError(folder, Span(), "folder_outside", {"folder": folder + "/"})


def _check_files(root: Path, located: Located, data: dict[str, Any]) -> None:
    """``roster:`` and ``registry:`` name files inside the repo (a header line of ``/etc/shadow``
    must never be quoted in an error)."""
    for key in ("roster", "registry"):
        value = data.get(key)
        if value is not None and not _inside(root, str(value)):
            raise ConfigError(CONFIG_NAME, located.span((key,)), "config_outside", {"where": key})


def find_root(path: Path) -> Path:
    """The nearest folder at or above ``path`` with snspolicy.yaml (else a git root, else the folder).

    A ``snspolicy.yaml`` that exists in any form (a folder, a broken link) marks the root too:
    :func:`load` then reports it, instead of the search going on to a folder above."""
    start = path if path.is_dir() else path.parent
    start = start.resolve()
    for p in (start, *start.parents):
        if os.path.lexists(p / CONFIG_NAME):
            return p
    for p in (start, *start.parents):
        if (p / ".git").exists():
            return p
    return start


def load(root: Path, memo: ParseMemo | None = None) -> Config:
    """Load ``root/snspolicy.yaml``; defaults when it is absent. Raises ConfigError.

    ``memo``: YAML parsed by earlier runs (the repo's cache), reused for the same text."""
    path = root / CONFIG_NAME
    if not os.path.lexists(path):  # absent: defaults (a folder, FIFO or broken link is an error below)
        _check_folders(root, None, {})
        return Config()
    try:
        text = read_text(path, root)
    except LoadError as exc:
        raise ConfigError(CONFIG_NAME, exc.span, exc.code, exc.params, exc.rule) from None
    return parse(root, text, memo)


def parse(root: Path, text: str, memo: ParseMemo | None = None) -> Config:
    """The configuration in ``text`` (``root/snspolicy.yaml``'s decoded content, or an editor's buffer)."""
    path = root / CONFIG_NAME
    try:
        located = load_yaml_remembered(text, 0, memo)
    except LoadError as exc:
        raise ConfigError(CONFIG_NAME, exc.span, exc.code, exc.params, exc.rule) from None
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(CONFIG_NAME, located.span(()), "not_mapping", {"kind": "config"}, "yaml-syntax")
    problems = schemacheck.check("config", data, text=text)
    if problems:
        p = problems[0]
        where = "" if p.key else ".".join(map(str, p.path))  # an unknown key names itself
        raise ConfigError(CONFIG_NAME, located.span(p.path, p.key), p.code, p.params | {"where": where})
    _check_folders(root, located, data)
    _check_files(root, located, data)
    allow = {k: list(v or []) for k, v in (data.get("allow") or {}).items()}
    for i, rel in enumerate(allow.get("contacts") or []):
        _import_contacts(root, located, allow, i, str(rel))
    cfg = Config(
        policy=str(data.get("policy", Config.policy)),
        fail_on=Severity.parse(data.get("fail_on", "error")),
        allow=allow,
        roster=data.get("roster"),
        registry=data.get("registry"),
        rules=data.get("rules") or {},
        paths={**DEFAULT_PATHS, **(data.get("paths") or {})},
        exclude=list(data.get("exclude") or []),
        path=path,
        located=located,
        raw=data,
    )
    return cfg


def _import_contacts(root: Path, located: Located, allow: dict[str, list[Any]], i: int, rel: str) -> None:
    """Add the public contacts of the CSV file ``allow.contacts[i]`` to the allow-lists (see
    :func:`snspolicy.io.contacts_csv.load_contacts_csv`). Raises ConfigError when it cannot be used."""
    from snspolicy.io.contacts_csv import ContactsFileError, load_contacts_csv

    where = f"allow.contacts.{i}"
    if not _inside(root, rel):
        raise ConfigError(CONFIG_NAME, located.span(("allow", "contacts", i)), "config_path_outside", {"where": where})
    try:
        found = load_contacts_csv(root / rel)
    except ContactsFileError as exc:
        raise ConfigError(CONFIG_NAME, located.span(("allow", "contacts", i)), exc.code,
                          {**exc.params, "path": rel, "where": where}) from None
    for kind, values in found.items():
        allow.setdefault(kind, []).extend(values)
