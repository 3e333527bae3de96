"""Use cases on a beneficiary's case stream: every command runs the same way."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date

from services.common.application import execute, load, sent_by_client
from services.common.clock import today_in_greece
from services.common.event_codec import encoder
from services.common.eventstore import (
    AppendResult,
    EventStore,
    Metadata,
    RecordedEvent,
    stream_name,
)
from services.intake.domain import case, case_summary

_encode = encoder()
_decider = sys.modules[case.__name__]  # the module is the decider: initial, evolve, decide


class Cases:
    def __init__(self, store: EventStore, today: Callable[[], date] = today_in_greece):
        self.store, self.today = store, today

    def version(self, beneficiary_id) -> int:
        return load(self.store, stream_name(case.CATEGORY, beneficiary_id), _decider).version

    def load(self, beneficiary_id) -> case.Case:
        return load(self.store, stream_name(case.CATEGORY, beneficiary_id), _decider).state

    def summary(self, beneficiary_id, merged=()) -> dict:
        """The case as the record page shows it; with merged records, the latest assessment of any."""
        summaries = [
            case_summary.summarize(self._events(record)) for record in (beneficiary_id, *merged)
        ]
        return {**summaries[0], "assessment": case_summary.latest_assessment(summaries)}

    def history(self, beneficiary_id, after_version: int, limit: int = 100) -> list[RecordedEvent]:
        """What was recorded on the case since a version a client saw (an offline sync's conflict)."""
        return self.store.read_stream(
            stream_name(case.CATEGORY, beneficiary_id), after_version + 1, limit
        )

    def _events(self, beneficiary_id, page: int = 1000):
        stream, version = stream_name(case.CATEGORY, beneficiary_id), 0
        while events := self.store.read_stream(stream, version + 1, page):
            yield from events
            version = events[-1].version

    def run(self, command, metadata: Metadata, expected_version: int | None) -> AppendResult:
        """Decide on the case as the client saw it (`expected_version`): a stale client gets a conflict."""
        case.admissible(command, self.today())
        stream = stream_name(case.CATEGORY, command.beneficiary_id)
        # the version is not part of what the command says: a retry that learnt a newer version (a
        # municipal system re-posting an event) is still the same command, answered as before
        return execute(
            self.store,
            stream,
            _decider,
            command,
            metadata,
            sent_by_client(command, case.FACTS),
            _encode,
            expected_version=expected_version,
        )
