"""A process's start-up objects are kept out of the garbage collector's full collections."""

import gc

from services.common.heap import release_heap, settle_heap


def test_what_a_process_holds_at_start_is_frozen_and_young_collections_are_rarer():
    before = gc.get_threshold()
    kept_for_life = [{"municipality": n} for n in range(1000)]
    try:
        settle_heap()
        assert gc.get_freeze_count() >= len(kept_for_life)
        assert gc.get_threshold()[0] > 700  # CPython's default
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_released_what_was_frozen_can_be_collected_again():
    settle_heap()
    release_heap()
    assert gc.get_freeze_count() == 0
