"""Backups and the restore drill: `python -m deploy.backup` (README.md says what each command
keeps, where, and the rule that keeps an erased person erased after a restore)."""
