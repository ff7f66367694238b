"""snspolicy: Ube City's social-media guideline as policy-as-code."""

__version__ = "0.1.0"
