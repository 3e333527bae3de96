"""The live consumer: events/s applied to the daily-activity read model from a queue filled by
the relay, against a raw kombu consume-and-ack loop draining the same messages."""

from __future__ import annotations

import argparse
import threading
import time

import kombu

from bench.append import store_batches
from bench.common import AMQP_URI, report, scratch
from bench.relay import delete, fresh_queue
from services.common import metrics
from services.common.consumer import Consumer
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import open_read_model, personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.relay import OutboxRelay
from services.common.relay.publisher import BatchPublisher
from services.intake import bootstrap as intake_bootstrap
from services.reporting import bootstrap as reporting_bootstrap
from services.reporting.adapters.projections.model import ReportingModel


class LiveOnly(StoreEventSource):
    """Nothing to catch up on: every event must come through the queue (gap repair still works)."""

    def __init__(self, stores):
        super().__init__(stores)
        self.live = False

    def read_all(self, source, after_position, limit):
        return super().read_all(source, after_position, limit) if self.live else []


def raw_consume(queue: kombu.Queue, count: int) -> float:
    got = 0
    with kombu.Connection(AMQP_URI) as conn:
        channel = conn.channel()
        channel.basic_qos(0, 1000, False)

        def on_message(message):
            nonlocal got
            got += 1
            if got % 500 == 0 or got == count:
                message.ack(
                    multiple=True
                )  # acked in batches, as the consumer does: the fairest raw loop

        with kombu.Consumer(channel, [queue], on_message=on_message):
            started = time.perf_counter()
            while got < count:
                conn.drain_events(timeout=10)
            return time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    events = 5_000 if args.quick else 50_000
    with scratch("consumer") as settings:
        source = settings.schema("intake")
        store, db = intake_bootstrap.open_store(settings, max_connections=2)
        store_batches(store, events // 500, 500)
        relay = OutboxRelay(source, store, db, BatchPublisher(AMQP_URI, source))

        baseline_queue = fresh_queue(source)
        relay.publish_pending()
        raw_seconds = raw_consume(baseline_queue, events)
        delete(baseline_queue)

        projection = ReportingModel(reporting_bootstrap.pseudonyms(settings))
        projection.name, projection.sources = f"bench_{source}", (source,)
        read_db = open_read_model(settings, settings.schema("reporting"), projection)
        events_source = LiveOnly({source: store})
        consumer = Consumer(
            projection, read_db, events_source, opener=personal_opener(settings, projection)
        )
        live = LiveConsumer(
            consumer,
            AMQP_URI,
            publishers=dict.fromkeys(consumer.projection.sources, "guest"),
            catch_up_seconds=3600,
        )
        with kombu.Connection(AMQP_URI) as conn:
            for q in live.queues():
                q(conn.channel()).declare()
        with db.transaction() as cur:
            cur.execute("UPDATE relay_positions SET position = 0")
        relay.publish_pending()
        relay.publisher.close()
        events_source.live = True
        stop = threading.Event()
        started = time.perf_counter()
        thread = threading.Thread(target=live.run, args=(stop,), daemon=True)
        thread.start()
        while consumer.position(source) < store.last_position():
            time.sleep(0.02)
        ours_seconds = time.perf_counter() - started
        stop.set()
        thread.join(10)
        with kombu.Connection(AMQP_URI) as conn:
            for q in live.queues():
                q(conn.channel()).delete()
        repaired = metrics.GAPS_REPAIRED.labels(projection.name, source)._value.get()
        applied = metrics.CONSUMER_APPLIED.labels(projection.name, source)._value.get()
        print(f"(applied {applied:,.0f}, gap repairs {repaired:,.0f})")
        second_queue = fresh_queue(source)  # the baseline again, after: keep its best rate
        with db.transaction() as cur:
            cur.execute("UPDATE relay_positions SET position = 0")
        relay = OutboxRelay(source, store, db, BatchPublisher(AMQP_URI, source))
        relay.publish_pending()
        relay.publisher.close()
        raw_seconds = min(raw_seconds, raw_consume(second_queue, events))
        delete(second_queue)
        report(
            "live consumer -> read model",
            events / ours_seconds,
            "ev/s",
            events / raw_seconds,
            "raw kombu consume+ack",
            0.5,
        )
        read_db.close()
        db.close()


if __name__ == "__main__":
    main()
