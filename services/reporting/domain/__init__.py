"""Reporting's own rules, free of storage and framework: which indicators a participant counts in."""
