"""`python -m services.common.relay <service>`: run one store's outbox relay as its own process."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import threading

from services.common.config import Settings
from services.common.heap import settle_heap
from services.common.metrics import metrics_port, serve_metrics

from .publisher import BatchPublisher
from .relay import OutboxRelay


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", help="the write-side service whose store to publish")
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()
    logging.basicConfig(
        level=os.environ.get("KENTRA_LOG_LEVEL", "INFO"),
        format=f"%(asctime)s {args.service}-relay %(levelname)s %(message)s",
    )
    settings = Settings.from_env()
    # the service's own composition root opens its store (the relay only reads it)
    store, db = importlib.import_module(f"services.{args.service}.bootstrap").open_store(
        settings, max_connections=2
    )
    serve_metrics(metrics_port(f"{args.service}-relay"))
    relay = OutboxRelay(
        args.service,
        store,
        db,
        BatchPublisher(settings.amqp_uri, args.service),
        batch_size=args.batch_size,
    )
    settle_heap()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    # no read of the position here: a connection killed at this moment (a failover, the fault
    # suite) would end the process; the loop reads it and logs where it starts, retrying
    relay.run(stop)


if __name__ == "__main__":
    main()
