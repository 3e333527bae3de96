"""The mobile unit's offline window (domain/offline.py): instants compared, whatever the offset."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.common.config import Settings
from services.portal_gateway.domain.offline import IN_FUTURE, TOO_OLD, outside_the_window
from tests.unit.test_settings_secrets import production

NOW = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
ATHENS_WINTER = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("occurred_at", "why"),
    [
        (NOW + timedelta(days=400), IN_FUTURE),
        (NOW + timedelta(minutes=5, seconds=1), IN_FUTURE),
        (NOW + timedelta(minutes=5), None),  # a clock that drifted a little
        (NOW, None),
        (NOW - timedelta(days=7), None),
        (NOW - timedelta(days=7, seconds=1), TOO_OLD),
        # 09:04 in Athens is 07:04 UTC: four minutes ahead, not two hours and four
        (datetime(2026, 12, 4, 9, 4, tzinfo=ATHENS_WINTER), None),
        (datetime(2026, 12, 4, 9, 6, tzinfo=ATHENS_WINTER), IN_FUTURE),
    ],
)
def test_an_offline_moment_must_lie_between_the_trips_window_and_now(occurred_at, why):
    assert outside_the_window(occurred_at, NOW, days=7) == why


def test_the_window_is_the_installations_own():
    assert outside_the_window(NOW - timedelta(days=20), NOW, days=30) is None


def test_an_installation_sets_its_window_in_its_environment():
    assert Settings.from_env(production(KENTRA_OFFLINE_DAYS="3")).offline_days == 3
    assert Settings.from_env(production()).offline_days == 7
