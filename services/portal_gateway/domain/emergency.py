"""Breaking the glass as an emergency (DHIS2's "temporary ownership", shorter): a head of centre
states a reason from a list and what happened in words, and gets one hour on one person's whole
file, special categories included, for their own account only. Nothing is carried over: each
request looks for a live grant in the audit store, and the DPO is told at once.

A head reads their own network's files without the special categories; the same grant opens
those too. The grant is recorded and counted whether or not the file is then opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contracts.vocabulary import EMERGENCY_REASONS

GRANT_MINUTES = 60
MIN_DETAILS = 20  # characters of what happened, spaces at either end not counted


@dataclass(frozen=True)
class Grant:
    grant_id: str
    beneficiary_id: str
    holder: str
    reason: str
    granted_at: datetime
    expires_at: datetime


def refusal(reason: str, details: str) -> str | None:
    """Why this request cannot be a grant, or None if it can."""
    if reason not in EMERGENCY_REASONS:
        return f"choose a reason from the list: {', '.join(EMERGENCY_REASONS)}"
    if len(details.strip()) < MIN_DETAILS:
        return f"say what happened in at least {MIN_DETAILS} characters"
    return None
