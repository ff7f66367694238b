"""Package data: file templates (``init/`` is what ``snspolicy init`` writes)."""
