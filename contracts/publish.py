"""`python -m contracts.publish [--check]`: generate the published contracts from the marshmallow
schemas (JSON Schema per event version and command, the envelope, an AsyncAPI document for the
bus). With --check, exit 1 if the committed files differ from what would be generated (CI)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from contracts.base import all_command_contracts, all_event_contracts
from contracts.envelope import EnvelopeSchema, exchange_name, publisher_user
from contracts.jsonschema import document, object_schema

OUT = Path(__file__).parent / "published"


def generated() -> dict[str, str]:
    files: dict[str, str] = {}
    for c in sorted(all_event_contracts(), key=lambda c: c.type):
        for version, schema in sorted({**c.history, c.version: c.schema}.items()):
            path = f"schemas/events/{c.type}.v{version}.json"
            files[path] = _json(document(schema, path, f"{c.type} v{version}", c.description))
    for command in sorted(all_command_contracts(), key=lambda c: c.name):
        path = f"schemas/commands/{command.name}.json"
        files[path] = _json(document(command.schema, path, command.name, command.description))
    files["schemas/envelope.json"] = _json(
        document(
            EnvelopeSchema,
            "schemas/envelope.json",
            "Event envelope",
            "Every message a store relay publishes.",
        )
    )
    files["asyncapi.yaml"] = yaml.safe_dump(
        asyncapi(), allow_unicode=True, sort_keys=False, width=110
    )
    return files


def asyncapi() -> dict:
    channels, messages, schemas = {}, {}, {"Envelope": object_schema(EnvelopeSchema)}
    for c in sorted(all_event_contracts(), key=lambda c: (c.source, c.type)):
        schemas[c.type] = object_schema(c.schema)
        messages[c.type] = {
            "name": c.type,
            "title": c.type,
            "summary": c.description,
            "contentType": "application/json",
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": c.type},
                            "schema_version": {"const": c.version},
                            "data": {"$ref": f"#/components/schemas/{c.type}"},
                        },
                    },
                ]
            },
        }
        channels[f"{exchange_name(c.source)}/{c.type}"] = {
            "description": f"{c.type} events of the {c.source} store, in store order.",
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {
                        "name": exchange_name(c.source),
                        "type": "topic",
                        "durable": True,
                        "autoDelete": False,
                        "vhost": "kentra",
                    },
                    "bindingVersion": "0.2.0",
                }
            },
            "subscribe": {
                "operationId": f"on{c.type}",
                "message": {"$ref": f"#/components/messages/{c.type}"},
                "bindings": {
                    "amqp": {
                        "deliveryMode": 2,
                        "userId": publisher_user(c.source),
                        "bindingVersion": "0.2.0",
                    }
                },
            },
        }
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": "Kentra event bus",
            "version": "1.0.0",
            "description": "Events of the Community Centres platform. Routing key = event type; "
            "`data` holds the event's other fields; the fields marked x-personal never travel in "
            "clear: `sealed` carries them AES-GCM-encrypted under the person's own key (opened by "
            "a consumer given the key vault; erasing the person makes every copy unreadable). "
            "Each message carries the AMQP `user_id` of its source's relay (`<source>-relay`), "
            "which the broker validates; consumers apply nothing else.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "rabbitmq": {
                "url": "amqp://localhost:5672",
                "protocol": "amqp",
                "protocolVersion": "0-9-1",
            }
        },
        "channels": channels,
        "components": {"messages": messages, "schemas": schemas},
    }


def _json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def stale_files(out: Path = OUT) -> list[str]:
    """Files that are missing, different, or no longer generated."""
    wanted = generated()
    stale = [
        p
        for p, text in wanted.items()
        if not (out / p).exists() or (out / p).read_text("utf-8") != text
    ]
    present = (
        {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} if out.exists() else set()
    )
    return sorted(stale + [p for p in present - set(wanted)])


def write(out: Path = OUT) -> None:
    wanted = generated()
    for p in stale_files(out):
        target = out / p
        if p in wanted:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(wanted[p], "utf-8")
        else:
            target.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail if the published files are out of date"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for p in stale:
            print(f"out of date: contracts/published/{p}", file=sys.stderr)
        if stale:
            print("run: python -m contracts.publish", file=sys.stderr)
        return 1 if stale else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
