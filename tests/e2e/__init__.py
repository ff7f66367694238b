"""End-to-end tests: the real CLI, git, pre-commit and pip."""
