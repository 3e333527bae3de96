"""Reporting's use cases over its read model: the reports as files."""
