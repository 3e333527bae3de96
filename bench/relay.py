"""The relay: events/s from store to broker, against raw kombu publishing of the same messages in
pages of the same size, each page confirmed (publisher confirms, the relay's own protocol since
it stopped using AMQP transactions), into the same kind of queue (quorum, as consumers use).
Raw publishing in AMQP transactions of the same size is measured too and printed beside it."""

from __future__ import annotations

import argparse
import json
import uuid

import kombu

from bench.append import store_batches
from bench.common import AMQP_URI, median_rate, report, scratch, timed
from contracts.envelope import exchange_name, to_message
from services.common.relay import OutboxRelay
from services.common.relay.publisher import BatchPublisher
from services.intake import bootstrap as intake_bootstrap

BATCH = 500


def fresh_queue(source: str, queue_type: str = "quorum") -> kombu.Queue:
    queue = kombu.Queue(
        f"bench-{uuid.uuid4().hex[:6]}",
        kombu.Exchange(exchange_name(source), type="topic", durable=True),
        routing_key="#",
        durable=True,
        queue_arguments={"x-queue-type": queue_type},
    )
    with kombu.Connection(AMQP_URI) as conn:
        queue(conn.channel()).declare()
    return queue


def delete(queue: kombu.Queue) -> None:
    with kombu.Connection(AMQP_URI) as conn:
        queue(conn.channel()).delete()


def raw_publish(source: str, bodies: list[str], confirms: bool = True) -> None:
    """kombu's Producer, a page at a time: with `confirms`, the page's publisher confirms are
    awaited before the next page (acks counted from the basic_ack events, `multiple` honoured);
    without, each page is one AMQP transaction."""
    exchange = kombu.Exchange(exchange_name(source), type="topic", durable=True)
    with kombu.Connection(AMQP_URI) as conn:
        channel = conn.channel()
        acked = [0]

        def on_ack(tag: int, multiple: bool) -> None:
            acked[0] = max(acked[0], tag) if multiple else acked[0] + 1

        if confirms:
            channel.confirm_select()
            channel.events["basic_ack"].add(on_ack)
        else:
            channel.tx_select()
        producer = kombu.Producer(channel, exchange=exchange)
        for i in range(0, len(bodies), BATCH):
            page = bodies[i : i + BATCH]
            for body in page:
                producer.publish(
                    body,
                    routing_key="ContactRecorded",
                    content_type="application/json",
                    delivery_mode=2,
                    retry=False,
                )
            if confirms:
                while acked[0] < i + len(page):
                    conn.drain_events(timeout=30)
            else:
                channel.tx_commit()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    events, repeats = (5_000, 2) if args.quick else (50_000, 3)
    with scratch("relay") as settings:
        source = settings.schema("intake")  # an exchange of its own
        store, db = intake_bootstrap.open_store(settings, max_connections=2)
        store_batches(store, events // 500, 500)
        bodies = [
            json.dumps(to_message(source, e, 0), ensure_ascii=False)
            for e in store.read_all(0, events)
        ]
        ours, raw, raw_tx = [], [], []
        for _ in range(repeats):
            queue = fresh_queue(source)
            raw.append(timed(lambda: raw_publish(source, bodies)))
            delete(queue)
            queue = fresh_queue(source)
            raw_tx.append(timed(lambda: raw_publish(source, bodies, confirms=False)))
            delete(queue)
            queue = fresh_queue(source)
            with db.transaction() as cur:
                cur.execute("UPDATE relay_positions SET position = 0")  # publish it all again
            relay = OutboxRelay(
                source, store, db, BatchPublisher(AMQP_URI, source), batch_size=BATCH
            )
            ours.append(timed(relay.publish_pending))
            relay.publisher.close()
            delete(queue)
        report(
            "relay store -> broker",
            median_rate(events, ours),
            "ev/s",
            median_rate(events, raw),
            "raw kombu publish, confirms per page",
            0.8,
        )
        print(
            f"  (raw kombu publish in AMQP transactions: {median_rate(events, raw_tx):,.0f} ev/s)"
        )
        db.close()


if __name__ == "__main__":
    main()
