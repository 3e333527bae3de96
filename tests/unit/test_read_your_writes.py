"""The page after a save waits for the timeline to show what was stored, and no longer than its bound."""

from __future__ import annotations

import time

from services.portal_gateway.application.read_your_writes import stored_up_to, wait_until_shown

ANSWER = {
    "stream": "case-x",
    "version": 4,
    "duplicate": False,
    "events": [{"type": "ContactRecorded", "version": 4, "position": 41}],
}


def test_the_position_waited_for_is_the_last_event_stored():
    two = {"events": [{"position": 7}, {"position": 9}]}
    assert stored_up_to(two) == 9 and stored_up_to({"events": []}) == 0


def test_a_timeline_already_past_the_write_answers_at_once():
    assert wait_until_shown(None, "intake", ANSWER, applied=lambda db, source: 41)


def test_the_page_waits_until_the_consumer_passes_the_write():
    positions = iter([39, 40, 41])
    asked = []

    def applied(db, source):
        asked.append(source)
        return next(positions)

    assert wait_until_shown(None, "intake", ANSWER, applied=applied)
    assert asked == ["intake"] * 3


def test_a_consumer_that_is_behind_delays_the_page_no_longer_than_the_bound():
    started = time.monotonic()
    assert not wait_until_shown(None, "intake", ANSWER, 0.2, applied=lambda db, source: 0)
    assert 0.2 <= time.monotonic() - started < 1


def test_a_retried_command_that_stored_nothing_waits_for_nothing():
    duplicate = {**ANSWER, "duplicate": True, "events": []}
    assert wait_until_shown(None, "intake", duplicate, 0, applied=lambda db, source: 0)
