"""`python -m contracts.publish [--check]`: generate the published contracts from the marshmallow
schemas (JSON Schema per event version and command, the envelope, an AsyncAPI document for the
bus, contracts/asyncapi.py). With --check, exit 1 if the committed files differ from what would be generated (CI)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from contracts import asyncapi
from contracts.base import all_command_contracts, all_event_contracts
from contracts.envelope import EnvelopeSchema
from contracts.jsonschema import document

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
    files["asyncapi.yaml"] = yaml.dump(
        asyncapi.document(), Dumper=_Plain, allow_unicode=True, sort_keys=False, width=110
    )
    return files


class _Plain(yaml.SafeDumper):
    """No YAML anchors and aliases: a reader sees each part where it is used."""

    def ignore_aliases(self, data) -> bool:
        return True


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
