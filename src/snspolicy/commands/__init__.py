"""CLI subcommands, one module each (see snspolicy.cli_extra)."""
