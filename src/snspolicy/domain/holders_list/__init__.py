"""Clause 4(5): the 「ソーシャルメディア アカウント管理担当者一覧表」 (account holders list).

The 一覧表 is *generated* from the account files; a copy committed to the posts
repo (CSV, XLSX or Markdown; ``registry:`` in snspolicy.yaml) must match what the
account files say now. The command is ``snspolicy registry export|check`` and the
rule is ``registry-stale``; in the code the table is the "holders list", so that
"registry" keeps meaning the rule registry (:mod:`snspolicy.engine.registry`).

Modules, one job each:

* :mod:`.table` — the columns and one row of cell texts per account;
* :mod:`.export` — CSV, Markdown and XLSX writers (``openpyxl`` only when used);
* :mod:`.read` — CSV, Markdown and XLSX readers of a committed copy;
* :mod:`.compare` — :class:`~.compare.Difference` and :func:`~.compare.check`;
* :mod:`.stale` — what the rule and the command share: account mappings, the
  comparison in the file's language, message arguments with secrets masked.

Only non-secret data is ever put into the table (the ``security.password`` block is
never read) and staff names in differences are masked. This package imports
nothing on its own, so that the rule module importing :mod:`.stale` stays light.
"""
