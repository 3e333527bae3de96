"""One test suite for the EventSource port (services/common/consumer/sources.py), run against
every implementation: in-process over a store, RPC through nameko's standalone proxy, and a nameko
worker's RpcProxy dependencies. Subclasses provide two fixtures: `store`, an event store that is
empty when the test starts, and `source`, the EventSource under test, reading that store as SOURCE.

Events are appended through the store itself, as the owning service would, and the source must hand
them back as envelopes (contracts/envelope.py): that is all a consumer ever sees of a source."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime

from contracts.envelope import EnvelopeSchema
from services.common.eventstore import NO_STREAM, Metadata, NewEvent

SOURCE = "registries"
META = Metadata("sw-1", "KK-KALAMATA")
# a type no contract knows: no upcaster rewrites it on the way out, so what was appended comes back
PROBE = "ContractProbed"


def new_stream(category: str = "case") -> str:
    return f"{category}-{uuid.uuid4()}"


def append(store, stream: str, n: int) -> list:
    """Append `n` events at the stream's head; returns the recorded events."""
    head = store.head(stream)
    version = head.version if head else NO_STREAM
    return list(
        store.append(
            stream, version, [NewEvent(PROBE, {"i": version + i}) for i in range(n)], META
        ).events
    )


def interleaved(store, streams: int = 3, rounds: int = 3) -> list:
    """Several streams written in turns (position order is not stream order); in position order."""
    names = [new_stream() for _ in range(streams)]
    recorded = []
    for _ in range(rounds):
        for stream in names:
            recorded.extend(append(store, stream, 1))
    return recorded


def positions(envelopes) -> list[int]:
    return [e["position"] for e in envelopes]


def registered(store, subject: uuid.UUID):
    """A registration carrying a personal field, in Greek, on the subject's own stream."""
    (event,) = store.append(
        f"beneficiary-{subject}",
        NO_STREAM,
        [
            NewEvent(
                "ContractProbeRegistered",
                {"site": "KK-X"},
                personal={"given_name": "Ελένη"},
                subject_id=subject,
            )
        ],
        META,
    ).events
    return event


class EventSourceContract:
    # -- a source whose store holds nothing yet: a consumer started before the first command ------
    def test_an_empty_source_has_no_events_to_read(self, source):
        assert source.read_all(SOURCE, 0, 10) == []

    def test_an_empty_source_is_at_position_zero(self, source):
        assert source.last_position(SOURCE) == 0

    def test_an_empty_source_has_no_stream_heads(self, source):
        assert source.stream_heads(SOURCE) == []

    def test_an_empty_source_reads_any_stream_as_empty(self, source):
        assert source.read_stream(SOURCE, new_stream(), 1, 10) == []

    # -- read_all: how a consumer catches up and repairs a gap -----------------------------------
    def test_read_all_from_zero_returns_every_event_in_position_order(self, store, source):
        recorded = interleaved(store)
        page = source.read_all(SOURCE, 0, 100)
        assert [e["event_id"] for e in page] == [str(e.event_id) for e in recorded]
        assert positions(page) == sorted(set(positions(page)))

    def test_read_all_after_a_position_returns_only_the_later_events(self, store, source):
        recorded = interleaved(store)
        page = source.read_all(SOURCE, recorded[3].position, 100)
        assert positions(page) == [e.position for e in recorded[4:]]

    def test_read_all_returns_no_more_than_the_limit_and_the_earliest_first(self, store, source):
        # a consumer pages through history: a page that skipped ahead would lose events in between
        recorded = interleaved(store)
        page = source.read_all(SOURCE, recorded[1].position, 3)
        assert positions(page) == [e.position for e in recorded[2:5]]

    def test_read_all_after_the_last_position_is_empty(self, store, source):
        # an empty page is how Consumer.catch_up knows it has reached the end
        interleaved(store)
        assert source.read_all(SOURCE, source.last_position(SOURCE), 10) == []

    def test_paging_on_from_the_last_position_read_returns_every_event_exactly_once(
        self, store, source
    ):
        recorded = interleaved(store)
        seen, after = [], 0
        # bounded: a source that serves the event at `after` again never returns an empty page
        for _ in range(len(recorded)):
            page = source.read_all(SOURCE, after, 4)
            if not page:
                break
            seen.extend(positions(page))
            after = page[-1]["position"]
        assert seen == [e.position for e in recorded]

    def test_each_envelope_of_a_page_names_the_position_before_it(self, store, source):
        # the consumer tells a lost message from a rolled-back hole by prev_position: a page starts
        # at the position it was asked after, and each next envelope points at the one before it
        recorded = interleaved(store)
        after = recorded[2].position
        page = source.read_all(SOURCE, after, 100)
        assert [e["prev_position"] for e in page] == [after] + positions(page)[:-1]

    def test_an_envelope_carries_the_event_as_appended_and_the_name_of_its_source(
        self, store, source
    ):
        subject = uuid.uuid4()
        recorded = registered(store, subject)
        (envelope,) = source.read_all(SOURCE, 0, 10)
        expected = {
            "source": SOURCE,
            "position": recorded.position,
            "stream": f"beneficiary-{subject}",
            "version": 1,
            "event_id": str(recorded.event_id),
            "type": "ContractProbeRegistered",
            "schema_version": 1,
            "metadata": META.as_dict(),
            "data": {"site": "KK-X"},
            "subject_id": str(subject),
            "erased": False,
            "hash": recorded.hash,
        }
        assert {k: envelope[k] for k in expected} == expected
        assert datetime.fromisoformat(envelope["recorded_at"]) == recorded.recorded_at
        assert EnvelopeSchema().validate(envelope) == {}
        # the personal fields travel sealed, never in clear, in every implementation
        assert "personal" not in envelope and envelope["sealed"]
        sealed = base64.b64decode(envelope["sealed"])
        assert "Ελένη".encode() not in sealed and "Ελένη" not in json.dumps(envelope)

    def test_answers_are_plain_json_as_they_would_be_on_the_wire(self, store, source):
        # a consumer must not behave differently whether its source is in-process or over RPC: no
        # UUID, datetime or tuple may reach it from one implementation, a str or list from another
        stream = new_stream()
        append(store, stream, 2)
        registered(store, uuid.uuid4())
        answers = [
            source.read_all(SOURCE, 0, 10),
            source.read_stream(SOURCE, stream, 1, 10),
            source.stream_heads(SOURCE),
            source.last_position(SOURCE),
        ]
        assert json.loads(json.dumps(answers, ensure_ascii=False)) == answers

    def test_a_forgotten_persons_events_come_without_their_personal_fields(self, store, source):
        subject = uuid.uuid4()
        registered(store, subject)
        store.append(
            f"beneficiary-{subject}",
            1,
            [NewEvent("PersonalDataErased", {})],
            META,
            forget_subject=subject,
        )
        first, second = source.read_all(SOURCE, 0, 10)
        assert (first["sealed"], first["erased"], first["data"]) == (None, True, {"site": "KK-X"})
        assert second["type"] == "PersonalDataErased"

    # -- read_stream: how a consumer fetches the beginning of a stream it met midway -------------
    def test_read_stream_from_a_version_returns_that_version_and_the_later_ones_in_order(
        self, store, source
    ):
        stream = new_stream()
        append(store, stream, 4)
        append(store, new_stream(), 2)
        append(store, stream, 2)
        page = source.read_stream(SOURCE, stream, 3, 100)
        assert [(e["stream"], e["version"]) for e in page] == [(stream, v) for v in range(3, 7)]
        assert positions(page) == sorted(positions(page))

    def test_read_stream_returns_no_more_than_the_limit_and_the_earliest_first(self, store, source):
        stream = new_stream()
        append(store, stream, 6)
        assert [e["version"] for e in source.read_stream(SOURCE, stream, 2, 3)] == [2, 3, 4]

    def test_read_stream_from_beyond_the_head_is_empty(self, store, source):
        stream = new_stream()
        append(store, stream, 2)
        assert source.read_stream(SOURCE, stream, 3, 10) == []

    def test_a_stream_never_written_reads_as_empty_beside_others(self, store, source):
        interleaved(store)
        assert source.read_stream(SOURCE, new_stream(), 1, 10) == []

    def test_read_stream_envelopes_leave_the_previous_position_unknown(self, store, source):
        # a stream's events are not contiguous in the store: no consumer may take them for a page
        stream = new_stream()
        append(store, stream, 2)
        append(store, new_stream(), 1)
        append(store, stream, 1)
        page = source.read_stream(SOURCE, stream, 1, 10)
        assert [e["prev_position"] for e in page] == [-1, -1, -1]

    # -- stream_heads: what the consistency check compares a read model with ---------------------
    def test_stream_heads_name_every_stream_with_its_last_version_and_hash(self, store, source):
        a, b = new_stream(), new_stream("beneficiary")
        append(store, a, 2)
        (last_b,) = append(store, b, 1)
        (last_a,) = append(store, a, 1)
        heads = sorted(source.stream_heads(SOURCE), key=lambda h: h["stream"])
        assert heads == sorted(
            [
                {"stream": a, "version": 3, "hash": last_a.hash},
                {"stream": b, "version": 1, "hash": last_b.hash},
            ],
            key=lambda h: h["stream"],
        )

    def test_a_streams_head_hash_is_the_hash_on_its_last_envelope(self, store, source):
        # a consumer records the hash of the last envelope it applied; the check compares it to this
        stream = new_stream()
        append(store, stream, 3)
        (head,) = source.stream_heads(SOURCE)
        assert head["hash"] == source.read_stream(SOURCE, stream, 1, 10)[-1]["hash"]

    # -- last_position: how far behind a consumer is ---------------------------------------------
    def test_last_position_is_the_position_of_the_newest_event(self, store, source):
        recorded = interleaved(store)
        assert (
            source.last_position(SOURCE)
            == recorded[-1].position
            == source.read_all(SOURCE, 0, 100)[-1]["position"]
        )

    def test_last_position_moves_with_each_append(self, store, source):
        append(store, new_stream(), 1)
        before = source.last_position(SOURCE)
        (later,) = append(store, new_stream(), 1)
        assert source.last_position(SOURCE) == later.position > before
