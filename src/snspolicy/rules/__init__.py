"""Rules, one module per group of guideline clauses. See :mod:`snspolicy.rules.api`."""
