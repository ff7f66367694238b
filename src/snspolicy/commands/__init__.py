"""The subcommands, one module each; :data:`snspolicy.cli.COMMANDS` lists them and imports a
module only when its command runs. Shared options and output live in :mod:`._options`."""
