"""The posts repo's ``snspolicy.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schemacheck
from .loader.errors import LoadError
from .loader.textfile import read_text
from .loader.yamlloc import Located, load_yaml
from .model import Severity, Span

CONFIG_NAME = "snspolicy.yaml"

DEFAULT_PATHS = {
    "accounts": "accounts",
    "posts": "posts",
    "press": "press",
    "incidents": "incidents",
    "media": "media",
}


@dataclass
class ConfigError(Exception):
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
    """Is ``rel`` a relative path that stays inside ``root`` (no absolute path, no ``..`` out)?"""
    if not rel.strip() or Path(rel).is_absolute() or rel.startswith(("/", "\\")) or ":" in rel[:3]:
        return False
    try:
        (root / rel).resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def load(root: Path) -> Config:
    """Load ``root/snspolicy.yaml``; defaults when it is absent. Raises ConfigError."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        located = load_yaml(read_text(path, root))
    except LoadError as exc:
        raise ConfigError(CONFIG_NAME, exc.span, exc.code, exc.params, exc.rule) from None
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(CONFIG_NAME, located.span(()), "not_mapping", {"kind": "config"}, "yaml-syntax")
    problems = schemacheck.check("config", data)
    if problems:
        p = problems[0]
        where = "" if p.key else ".".join(map(str, p.path))  # an unknown key names itself
        raise ConfigError(CONFIG_NAME, located.span(p.path, p.key), p.code, p.params | {"where": where})
    for key, value in (data.get("paths") or {}).items():
        if not _inside(root, str(value)):
            raise ConfigError(CONFIG_NAME, located.span(("paths", key)), "config_path_outside", {"where": f"paths.{key}"})
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


def _import_contacts(root: Path, located: Located, allow: dict[str, list], i: int, rel: str) -> None:
    """Add the public contacts of the CSV file ``allow.contacts[i]`` to the allow-lists (see
    :func:`snspolicy.text.contacts.load_contacts_csv`). Raises ConfigError when it cannot be used."""
    where = f"allow.contacts.{i}"
    if not _inside(root, rel):
        raise ConfigError(CONFIG_NAME, located.span(("allow", "contacts", i)), "config_path_outside", {"where": where})
    from .text.contacts import ContactsFileError, load_contacts_csv

    try:
        found = load_contacts_csv(root / rel)
    except ContactsFileError as exc:
        raise ConfigError(CONFIG_NAME, located.span(("allow", "contacts", i)), exc.code,
                          {**exc.params, "path": rel, "where": where}) from None
    for kind, values in found.items():
        allow.setdefault(kind, []).extend(values)
