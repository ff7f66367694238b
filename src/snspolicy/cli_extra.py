"""Subcommands beyond lint/rules/explain/policy validate.

Each module in :data:`COMMAND_MODULES` defines ``register(main: click.Group)``
and keeps heavy imports inside its command functions, so that a one-file
``snspolicy lint`` does not pay for them. A module that does not exist yet is
skipped.
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "snspolicy.commands.registry",   # registry export / check (4(5))
    "snspolicy.commands.password",   # password check (4(3))
    "snspolicy.commands.report",     # posting mix (3(4))
    "snspolicy.commands.init",       # init: scaffold a posts repo
    "snspolicy.commands.schema",     # schema KIND: print a bundled JSON Schema
    "snspolicy.commands.docs",       # docs: generate the rule catalogue
    "snspolicy.commands.policydiff", # policy diff OLD NEW
    "snspolicy.commands.codeowners", # codeowners from account files
    "snspolicy.commands.fix",        # fix; account reviewed (edits files, keeping comments)
)


def register(main: click.Group) -> None:
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        mod.register(main)
