"""Editor integration: ``snspolicy lsp`` (a Language Server Protocol server on pygls).

:mod:`.bridge` is the only module that talks to the linter; :mod:`.positions` converts
positions; :mod:`.server` is the LSP server (imports pygls — install ``snspolicy[lsp]``).
"""
