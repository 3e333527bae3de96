"""Applies a source store's events to a read model exactly once and in order.

Live deliveries, catch-up pages and repairs all pass through `handle`: under a lock on the
source's checkpoint it drops what it has seen (by position), reads back from the source whatever
the relay published in between and did not arrive (prev_position says), applies the rest, and
commits the read model's change with the checkpoint. An event the read model can never apply is
dead-lettered and its stream waits behind it; other streams go on.

The bus is believed only where it continues the history already applied: a live event whose
prev_position is not our position is a claim, and the source's own events up to it are applied
instead. A claimed event the source does not hold is refused and moves nothing.
"""

from __future__ import annotations

import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from services.common import metrics
from services.common.db import TRANSIENT_ERRORS, Database

from .checkpoints import Checkpoints
from .opener import PersonalOpener
from .projection import Projection, SourceEvent
from .sources import EventSource

log = logging.getLogger(__name__)
PARKED = "waiting behind an earlier dead letter of this stream"


@dataclass
class Outcome:
    applied: int = 0
    duplicates: int = 0
    repaired: int = 0
    dead_lettered: int = 0
    position: int = 0


class Consumer:
    def __init__(
        self,
        projection: Projection,
        db: Database,
        source: EventSource,
        page_size: int = 2000,
        max_repair: int = 10_000,
        opener: PersonalOpener | None = None,
    ):
        if projection.opens_personal and opener is None:
            raise ValueError(
                f"{projection.name} opens personal fields: give its consumer an opener"
            )
        self.projection, self.db, self.source = projection, db, source
        # personal fields arrive sealed; only a read model that needs them has them opened
        self.opener = opener if projection.opens_personal else None
        self.page_size, self.max_repair = page_size, max_repair
        self.checkpoints = Checkpoints(projection.name)

    # -- entry points ----------------------------------------------------------------------------
    def handle(self, source: str, envelopes: list[dict], live: bool = False) -> Outcome:
        events = sorted((SourceEvent.from_envelope(e) for e in envelopes), key=lambda e: e.position)
        try:
            outcome = self._handle(source, events, from_bus=live, far_behind=self.max_repair)
        except _FarBehind:  # page through history rather than one huge repair, then the batch
            self.catch_up(source)
            outcome = self._handle(source, events, from_bus=live)
        if live:
            now = datetime.now(UTC)
            for e in events:
                metrics.END_TO_END_SECONDS.labels(self.projection.name).observe(
                    (now - e.recorded_at).total_seconds()
                )
        return outcome

    def catch_up(self, source: str, progress=None) -> int:
        """Read the source from our checkpoint to its end, a page per transaction. The next page
        is read while this one is applied: over RPC a page is the source service's and the
        broker's work, time this process only waited (in process, the timeline's rebuild went
        8 % faster; see docs/performance.md). It is the page after this one's last event, which
        is where this page leaves the checkpoint. Where it does not (another process of the read
        model moved it), the page read ahead is dropped and read again from there; events it
        shares with what was applied would be dropped as duplicates anyway."""
        total = 0
        with ThreadPoolExecutor(1, thread_name_prefix=f"{self.projection.name}-read") as ahead:
            position = self.position(source)
            page = self.source.read_all(source, position, self.page_size)
            while page:
                end = page[-1]["position"]
                following = ahead.submit(self.source.read_all, source, end, self.page_size)
                outcome = self._handle(source, [SourceEvent.from_envelope(e) for e in page])
                total += outcome.applied
                if progress:
                    progress(source, outcome.position, total)
                page = following.result()
                if outcome.position != end:
                    page = self.source.read_all(source, outcome.position, self.page_size)
        return total

    def rebuild(self, progress=None) -> int:
        """Empty the read model and apply every source from the beginning."""
        with self.db.transaction() as cur:
            self.projection.reset(cur)
            self.checkpoints.reset(cur)
        return sum(self.catch_up(source, progress) for source in self.projection.sources)

    def position(self, source: str) -> int:
        with self.db.statement() as cur:
            return self.checkpoints.positions(cur).get(source, 0)

    # -- one batch, one transaction ---------------------------------------------------------------
    def _handle(
        self,
        source: str,
        events: list[SourceEvent],
        from_bus: bool = False,
        far_behind: int | None = None,
    ) -> Outcome:
        """The batch in one transaction; if the projection refuses it as a whole, the
        transaction is rolled back and the batch applied again one event at a time, so the
        poison is found and dead-lettered. (A savepoint around every batch would cost two
        round trips per batch for a failure that almost never happens.)"""
        try:
            return self._handle_batch(source, events, from_bus, far_behind, one_by_one=False)
        except _PoisonedBatch:
            log.info(
                "%s: a batch from %s failed; applying one by one to find the poison",
                self.projection.name,
                source,
            )
            return self._handle_batch(source, events, from_bus, None, one_by_one=True)

    def _handle_batch(self, source, events, from_bus, far_behind, one_by_one) -> Outcome:
        outcome = Outcome()
        with self.db.transaction() as cur:
            position = last = self.checkpoints.lock_position(cur, source)
            if far_behind is not None and events and events[0].prev_position - last > far_behind:
                raise _FarBehind()
            todo: list[SourceEvent] = []
            for e in events:
                if e.position <= last:
                    outcome.duplicates += 1
                    continue
                if from_bus and e.prev_position != last:
                    # missed events, or a forged position: what the source holds up to it decides
                    held = self._read_range(source, last, e.position)
                    outcome.repaired += len(held)
                    todo.extend(held)
                    last = held[-1].position if held else last
                    if not any(h.position == e.position and h.event_id == e.event_id for h in held):
                        self._refuse(cur, source, e, outcome)
                    continue
                if e.prev_position > last:  # the relay published events we never received
                    missing = self._read_range(source, last, e.prev_position)
                    outcome.repaired += len(missing)
                    todo.extend(missing)
                todo.append(e)
                last = e.position
            applied = self._apply(cur, source, todo, outcome, one_by_one)
            self.checkpoints.save(
                cur,
                source,
                {e.stream: (e.version, e.hash) for e in applied},
                last if last != position else None,
            )
        outcome.position = last
        self._count(source, outcome)
        return outcome

    def _read_range(self, source: str, after: int, upto: int) -> list[SourceEvent]:
        found: list[SourceEvent] = []
        while after < upto:
            page = [
                SourceEvent.from_envelope(e)
                for e in self.source.read_all(source, after, self.page_size)
            ]
            page = [e for e in page if e.position <= upto]
            if not page:
                break
            found.extend(page)
            after = page[-1].position
        return found

    def _apply(self, cur, source, events, outcome, one_by_one) -> list[SourceEvent]:
        """What was applied (the streams' new heads are saved with the position)."""
        if not events:
            return []
        streams = {e.stream for e in events}
        heads, parked = self.checkpoints.heads_and_parked(cur, source, streams)
        plan: list[SourceEvent] = []
        for e in events:
            head = heads.get(e.stream, 0)
            if e.stream in parked:
                self._dead_letter(cur, source, e, PARKED, outcome)
                continue
            if e.version <= head:
                outcome.duplicates += 1
                continue
            if e.version > head + 1:  # a stream we met midway: fetch its beginning
                plan.extend(self._read_versions(source, e.stream, head + 1, e.version - 1))
            plan.append(e)
            heads[e.stream] = e.version
        applied = self._project(cur, source, plan, parked, outcome, one_by_one)
        outcome.applied += len(applied)
        return applied

    def _read_versions(self, source: str, stream: str, first: int, last: int) -> list[SourceEvent]:
        envs = self.source.read_stream(source, stream, first, last - first + 1)
        return [SourceEvent.from_envelope(e) for e in envs if e["version"] <= last]

    def _opened(self, cur, events: list[SourceEvent]) -> list[SourceEvent]:
        return self.opener.open(cur, events) if self.opener and events else events

    def _project(self, cur, source, plan, parked, outcome, one_by_one) -> list[SourceEvent]:
        plan = self._opened(cur, plan)
        if not one_by_one:
            try:
                self.projection.apply_batch(cur, plan)
            except TRANSIENT_ERRORS:
                raise
            except Exception as exc:
                raise _PoisonedBatch() from exc
            return plan
        applied = []
        for e in plan:
            if e.stream in parked:
                self._dead_letter(cur, source, e, PARKED, outcome)
                continue
            try:
                with _savepoint(cur, "one"):
                    self.projection.apply_batch(cur, [e])
                applied.append(e)
            except TRANSIENT_ERRORS:
                raise
            except Exception as exc:
                log.error(
                    "%s: dead-lettering %s %s v%s: %r",
                    self.projection.name,
                    e.type,
                    e.stream,
                    e.version,
                    exc,
                )
                self._dead_letter(cur, source, e, f"{type(exc).__name__}: {exc}", outcome)
                parked.add(e.stream)
        return applied

    def _refuse(self, cur, source: str, e: SourceEvent, outcome: Outcome) -> None:
        log.warning(
            "%s: refused %s at position %s of %s: the source holds no such event",
            self.projection.name,
            e.type,
            e.position,
            source,
        )
        claim = {"type": e.type, "position": e.position, "stream": e.stream, "event_id": e.event_id}
        error = f"the source holds no event {e.event_id} at position {e.position}"
        self.checkpoints.refuse(cur, source, claim, e.hash, error)
        outcome.dead_lettered += 1

    def _dead_letter(self, cur, source, event, error, outcome) -> None:
        self.checkpoints.dead_letter(cur, source, event, error)
        outcome.dead_lettered += 1

    def _count(self, source: str, outcome: Outcome) -> None:
        name = self.projection.name
        metrics.CONSUMER_APPLIED.labels(name, source).inc(outcome.applied)
        metrics.CONSUMER_DUPLICATES.labels(name, source).inc(outcome.duplicates)
        metrics.CONSUMER_POSITION.labels(name, source).set(outcome.position)
        if outcome.repaired:
            metrics.GAPS_REPAIRED.labels(name, source).inc()
        if outcome.dead_lettered:
            metrics.DEAD_LETTERS.labels(name, source).inc(outcome.dead_lettered)

    # -- after a fix: give dead letters another go ------------------------------------------------
    def retry_dead_letters(self, by: str = "retry-dead-letters") -> int:
        """Re-apply each parked stream from its head; a stream that now applies is resolved. A
        refused message (no stream) is never applied itself: its source is read again from our
        checkpoint, which applies whatever genuine event the bus did not bring, and it is closed."""
        with self.db.transaction() as cur:
            letters = self.checkpoints.open_dead_letters(cur)
        parked = {(d["source"], d["stream"]) for d in letters if d["stream"]}
        resolved = 0
        for source in sorted({d["source"] for d in letters if not d["stream"]}):
            self.catch_up(source)
            with self.db.transaction() as cur:
                resolved += self.checkpoints.resolve_refused(
                    cur, source, "not applied: the source was read again instead", by
                )
        for source, stream in sorted(parked):
            with self.db.transaction() as cur:
                position = self.checkpoints.lock_position(cur, source)
                head = self.checkpoints.heads(cur, source, [stream]).get(stream, 0)
                envs = self.source.read_stream(source, stream, head + 1, 100_000)
                events = [SourceEvent.from_envelope(e) for e in envs if e["position"] <= position]
                events = self._opened(cur, events)
                try:
                    with _savepoint(cur, "retry"):
                        self.projection.apply_batch(cur, events)
                except TRANSIENT_ERRORS:
                    raise
                except Exception as exc:
                    log.warning("%s: %s still fails: %r", self.projection.name, stream, exc)
                    continue
                if events:
                    self.checkpoints.save_heads(
                        cur, source, {stream: (events[-1].version, events[-1].hash)}
                    )
                self.checkpoints.resolve(cur, source, stream, "applied on retry", by)
                resolved += 1
        return resolved

    def discard_dead_letter(self, letter_id: int, reason: str, by: str) -> bool:
        """A person's decision that a letter will not be applied (its stream is unparked)."""
        if not reason.strip():
            raise ValueError("a discarded dead letter needs a reason")
        with self.db.transaction() as cur:
            return self.checkpoints.discard(cur, letter_id, reason.strip(), by)

    def open_dead_letters(self) -> list[dict]:
        with self.db.transaction() as cur:
            return self.checkpoints.open_dead_letters(cur)


class _FarBehind(Exception):
    """The batch starts further past our checkpoint than a repair should read at once."""


class _PoisonedBatch(Exception):
    """The projection refused the batch as a whole: some event in it cannot be applied."""


@contextlib.contextmanager
def _savepoint(cur, name: str):
    cur.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        cur.execute(f"ROLLBACK TO SAVEPOINT {name}")
        raise
    cur.execute(f"RELEASE SAVEPOINT {name}")
