"""The command line of a consumer process (each has a module of its own that calls `main`, e.g.
`python -m services.reporting.entrypoints.consumer ...`):
run it live, check it against its sources, rebuild it from zero, look at its dead letters."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time

from services.common.config import Settings
from services.common.heap import settle_heap
from services.common.metrics import metrics_port, serve_metrics

from .consistency import PeriodicCheck, report, settled_check
from .consumer import Consumer
from .live import LiveConsumer
from .projection import Projection
from .setup import open_read_model, personal_opener
from .sources import RpcEventSource

# the whole check reads every stream's head from the sources: at a million people a few minutes of
# RPC, so four times a day by default (KENTRA_CONSISTENCY_EVERY_SECONDS), the first soon after start
CONSISTENCY_EVERY = 6 * 3600.0
CONSISTENCY_FIRST = 300.0


def main(service: str, projection: Projection, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"{service} consumer")
    parser.add_argument(
        "action",
        nargs="?",
        default="run",
        choices=list(ACTIONS),
    )
    parser.add_argument("--id", type=int, help="discard-dead-letter: the letter's id")
    parser.add_argument("--reason", default="", help="discard-dead-letter: why (kept with it)")
    parser.add_argument(
        "--by",
        default=os.environ.get("USER", "operator"),
        help="who resolves dead letters (kept with each; default $USER)",
    )
    parser.add_argument(
        "--settle-seconds",
        type=float,
        default=10.0,
        help="check: how long to let a live consumer catch up before reporting",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("KENTRA_LOG_LEVEL", "INFO"),
        format=f"%(asctime)s {projection.name} %(levelname)s %(message)s",
    )
    settings = Settings.from_env()
    db = open_read_model(settings, settings.schema(service), projection)
    source = RpcEventSource(settings.amqp_uri)
    consumer = Consumer(projection, db, source, opener=personal_opener(settings, projection))
    try:
        return ACTIONS[args.action](consumer, settings, args)
    finally:
        source.close()
        db.close()


def _run(consumer: Consumer, settings: Settings, args) -> int:
    serve_metrics(metrics_port(f"{consumer.projection.name}-consumer"))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    publishers = {source: settings.publisher(source) for source in consumer.projection.sources}
    settle_heap()
    live = LiveConsumer(consumer, settings.amqp_uri, publishers=publishers)
    every = float(os.environ.get("KENTRA_CONSISTENCY_EVERY_SECONDS", CONSISTENCY_EVERY))
    checks = PeriodicCheck(
        consumer.db,
        consumer.projection.name,
        consumer.projection.sources,
        lambda: RpcEventSource(settings.amqp_uri),  # its own: RPC proxies are not shared
        lambda: live.lock.held,
        every=every,
        first=min(every, CONSISTENCY_FIRST),
    )
    threading.Thread(target=checks.run, args=(stop,), daemon=True).start()
    live.run(stop)
    return 0


def _check(consumer: Consumer, settings: Settings, args) -> int:
    """Exit 1 if any stream differs. Differences that are only lag get `--settle-seconds` to clear."""
    differences = settled_check(
        consumer.db,
        consumer.projection.name,
        consumer.projection.sources,
        consumer.source,
        args.settle_seconds,
    )
    print(json.dumps(report(differences), ensure_ascii=False, indent=2))
    return 1 if differences else 0


def _rebuild(consumer: Consumer, settings: Settings, args) -> int:
    started = time.monotonic()

    def progress(source: str, position: int, total: int) -> None:
        rate = total / max(time.monotonic() - started, 1e-9)
        print(
            f"\r{source}: position {position}, {total} events, {rate:,.0f}/s",
            end="",
            file=sys.stderr,
        )

    total = consumer.rebuild(progress)
    print(
        f"\nrebuilt {consumer.projection.name}: {total} events in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )
    return 0


def _dead_letters(consumer: Consumer, settings: Settings, args) -> int:
    letters = consumer.open_dead_letters()
    print(json.dumps(letters, default=str, ensure_ascii=False, indent=2))
    return 1 if letters else 0


def _retry(consumer: Consumer, settings: Settings, args) -> int:
    print(f"resolved {consumer.retry_dead_letters(by=args.by)} dead letter(s) or stream(s)")
    return 1 if consumer.open_dead_letters() else 0


def _discard(consumer: Consumer, settings: Settings, args) -> int:
    """A refused message a person has looked at: closed with the reason and who decided."""
    if args.id is None or not args.reason.strip():
        print("discard-dead-letter needs --id and --reason", file=sys.stderr)
        return 2
    if not consumer.discard_dead_letter(args.id, args.reason, args.by):
        print(
            f"no open refused message {args.id} (an event of a stream is retried, not discarded)",
            file=sys.stderr,
        )
        return 1
    print(f"discarded dead letter {args.id}: {args.reason}")
    return 0


ACTIONS = {
    "run": _run,
    "check": _check,
    "rebuild": _rebuild,
    "dead-letters": _dead_letters,
    "retry-dead-letters": _retry,
    "discard-dead-letter": _discard,
}
