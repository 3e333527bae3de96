"""A Roster read model's live consumer as an OS process of its own, for fault tests to SIGKILL.

    python -m tests.faults.run_consumer --ready-file F [--catch-up-seconds S]

Settings come from the environment (KENTRA_DATABASE_URL, KENTRA_AMQP_URI, KENTRA_SCHEMA_PREFIX,
KENTRA_METRICS_PORT), as in every platform process. It reads the registries store in-process (StoreEventSource) rather
than over RPC, so a test needs no registries service running beside it. The ready file appears
once the queue is declared and the first catch-up is done; SIGUSR1 writes every thread's stack
to its output.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import threading
from pathlib import Path

from services.common.config import Settings
from services.common.consumer import Consumer
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import open_read_model, personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.metrics import metrics_port, serve_metrics
from services.registries import bootstrap as registries_bootstrap
from tests.support.projections import Roster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ready-file", type=Path, required=True)
    parser.add_argument(
        "--catch-up-seconds",
        type=float,
        default=3600.0,
        help="between periodic catch-ups; the default leaves the live path alone",
    )
    args = parser.parse_args()
    logging.basicConfig(
        level=os.environ.get("KENTRA_LOG_LEVEL", "WARNING"),
        format="%(asctime)s roster-consumer %(levelname)s %(message)s",
    )
    settings = Settings.from_env()
    store, _ = registries_bootstrap.open_store(settings, max_connections=2)
    projection = Roster()
    db = open_read_model(settings, settings.schema(projection.name), projection)
    live = LiveConsumer(
        Consumer(
            projection,
            db,
            StoreEventSource({"registries": store}),
            opener=personal_opener(settings, projection),
        ),
        settings.amqp_uri,
        publishers=dict.fromkeys(projection.sources, "guest"),
        catch_up_seconds=args.catch_up_seconds,
    )
    serve_metrics(metrics_port("roster-consumer"))
    faulthandler.register(
        signal.SIGUSR1, all_threads=True
    )  # where is it stuck? `kill -USR1 <pid>`, see its log
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=_announce_ready, args=(live, args.ready_file), daemon=True).start()
    live.run(stop)


def _announce_ready(live: LiveConsumer, ready_file: Path) -> None:
    live.ready.wait()
    ready_file.write_text(str(os.getpid()))


if __name__ == "__main__":
    main()
