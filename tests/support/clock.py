"""A test that sends "today" or compares with a date the platform decided uses the platform's own
day (services/common/clock.py): between 22:00 and 24:00 UTC it is already tomorrow in Greece."""

from services.common.clock import today_in_greece  # noqa: F401
