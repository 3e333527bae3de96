"""Use cases on a beneficiary's case stream."""
from __future__ import annotations

import dataclasses
import sys

from services.common.application import execute
from services.common.event_codec import encoder
from services.common.eventstore import AppendResult, EventStore, Metadata, stream_name
from services.intake.domain import case

_encode = encoder()
_decider = sys.modules[case.__name__]


class Cases:
    def __init__(self, store: EventStore):
        self.store = store

    def record_contact(self, command: case.RecordContact, metadata: Metadata, expected_version: int) -> AppendResult:
        stream = stream_name(case.CATEGORY, command.beneficiary_id)
        return execute(self.store, stream, _decider, command, metadata,
                       {**dataclasses.asdict(command), "expected_version": expected_version}, _encode,
                       expected_version=expected_version)
