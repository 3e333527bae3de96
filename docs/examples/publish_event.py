"""Publish one event to Kentra over AMQP, as a municipal system does (docs/publishing-events.md).

    python publish_event.py AMQP_URI EVENT_FILE [--routing-key KEY]

    AMQP_URI    your broker user's URI on the vhost `kentra`, e.g.
                amqp://dimos-kalamatas:PASSWORD@broker.example:5672/kentra
    EVENT_FILE  one event as JSON: {"event_id", "type", "schema_version", "occurred_at", "data"}

It needs pika alone (pip install pika): written from the guide, with nothing of Kentra's code. The
broker confirms that it took the message; whether Kentra applied it or refused it (and why) is on
the platform's side: the refused ones are listed to its ops team.
"""

from __future__ import annotations

import argparse
import json
import sys

import pika

EXCHANGE = "municipal.events"


def routing_key(event: dict) -> str:
    """`<site>.<EventType>`: the broker lets a publisher use its own centre's keys only."""
    return f"{event['data']['site']}.{event['type']}"


def publish(uri: str, event: dict, key: str | None = None) -> None:
    """Send one event and wait for the broker's confirmation (raises if it refuses it)."""
    parameters = pika.URLParameters(uri)
    properties = pika.BasicProperties(
        content_type="application/json",
        delivery_mode=2,  # persistent: kept on the broker's disk until Kentra has processed it
        # your own broker user: the broker refuses any other, which is how Kentra knows it is you
        user_id=parameters.credentials.username,
        message_id=event["event_id"],
    )
    body = json.dumps(event, ensure_ascii=False).encode("utf-8")
    connection = pika.BlockingConnection(parameters)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(EXCHANGE, key or routing_key(event), body, properties, mandatory=True)
    finally:
        if connection.is_open:
            connection.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("uri")
    parser.add_argument("event_file")
    parser.add_argument("--routing-key", help="default: <data.site>.<type>")
    args = parser.parse_args(argv)
    with open(args.event_file, encoding="utf-8") as source:
        event = json.load(source)
    try:
        publish(args.uri, event, args.routing_key)
    except pika.exceptions.AMQPError as exc:
        print(f"the broker refused the event: {exc!r}", file=sys.stderr)
        return 1
    print(f"published {event['event_id']} ({routing_key(event)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
