"""The platform's day is Greece's (Europe/Athens): a centre's "today", a consent's last day, a
referral's expiry and a daily register all turn at midnight in Greece, not at midnight UTC."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

GREECE = ZoneInfo("Europe/Athens")


def today_in_greece() -> date:
    return datetime.now(GREECE).date()
