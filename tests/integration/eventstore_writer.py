"""A writer process for the concurrency tests: appends events with a random pause between drawing
a position and committing, some to streams shared with other writers (conflicts, rollbacks).
`--unlocked` gives it an append lock of its own: what the store would be without queueing writers."""

from __future__ import annotations

import argparse
import contextlib
import random
import time
import uuid

from services.common.config import Settings
from services.common.db import Database, role_url
from services.common.eventstore import Metadata, NewEvent, WrongExpectedVersion
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault, service_role


class SlowCommitDatabase(Database):
    """The store's one-call append (append_events) made to wait between drawing its positions
    and committing them, as a slow commit would: the call runs in a transaction held open."""

    def __init__(self, *args, max_delay: float, rng: random.Random, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_delay, self.rng = max_delay, rng

    @contextlib.contextmanager
    def statement(self):
        with self.transaction() as cur:
            yield cur
            if b"append_events" not in (cur.query or b""):
                return  # a read (the store reads by single statements too): as it was
            time.sleep(self.rng.uniform(0, self.max_delay))  # position drawn, not yet committed
            if self.rng.random() < 0.03:
                raise CrashedMidAppend  # rolled back after drawing a position: a hole, never a skip


class CrashedMidAppend(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("schema")
    parser.add_argument("writer", type=int)
    parser.add_argument("--appends", type=int, default=300)
    parser.add_argument("--max-delay", type=float, default=0.005)
    parser.add_argument(
        "--seconds", type=float, default=0, help="stop after this long (0: no limit)"
    )
    parser.add_argument("--unlocked", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.writer)
    settings = Settings.from_env({"KENTRA_DATABASE_URL": args.database_url})
    role = service_role(args.schema)
    db = SlowCommitDatabase(
        role_url(settings.database_url, role, settings.role_password(args.schema)),
        args.schema,
        1,
        max_delay=args.max_delay,
        rng=rng,
    )
    store = PostgresEventStore(db, key_vault(settings))
    if args.unlocked:
        store._append_lock = rng.getrandbits(62)
    own = f"case-{uuid.uuid4()}"
    shared = [f"case-00000000-0000-0000-0000-00000000000{i}" for i in range(3)]
    deadline = time.monotonic() + args.seconds if args.seconds else None
    for i in range(args.appends):
        if deadline and time.monotonic() > deadline:
            break
        stream = rng.choice(shared) if rng.random() < 0.3 else own
        stale = rng.random() < 0.05  # a client that read an old version: refused, not retried
        for _ in range(50):  # a client that lost a race reads the stream again and retries
            head = store.head(stream)
            expected = (head.version if head else 0) - (1 if stale and head else 0)
            try:
                store.append(
                    stream,
                    expected,
                    [NewEvent("Noted", {"writer": args.writer, "i": i})],
                    Metadata(f"writer-{args.writer}", "KK-TEST"),
                )
                break
            except WrongExpectedVersion:
                if stale:
                    break
            except CrashedMidAppend:
                break


if __name__ == "__main__":
    main()
