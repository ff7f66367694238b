"""Subcommands beyond lint/rules/explain/policy validate; each imports its module lazily."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    return None
