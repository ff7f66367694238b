"""Japanese text analysis for the text rules.

Submodules (import them directly; nothing heavy is imported here):
:mod:`.normalize` (NFKC with an offset map), :mod:`.tokens` (morphological
analysis), :mod:`.lexicon` (word-list matching), :mod:`.regexsafe` (regexes
from a policy that cannot hang the linter).
"""
