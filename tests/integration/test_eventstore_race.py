"""Two writers racing on one stream from the version they both read: exactly one wins."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from services.common.eventstore import NO_STREAM, Metadata, NewEvent

ROOT = Path(__file__).resolve().parents[2]


def test_two_writers_racing_on_one_stream_one_wins_and_the_other_gets_a_conflict(
    pg_store, settings, tmp_path
):
    stream = f"case-{uuid.uuid4()}"
    pg_store.append(
        stream, NO_STREAM, [NewEvent("ContactNoted", {})], Metadata("sw", "KK-KALAMATA")
    )
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KENTRA_LOG_LEVEL": "ERROR"}
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("race_writer.py")),
                settings.database_url,
                pg_store.db.schema,
                stream,
                str(go),
                name,
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("mobile-unit", "centre")
    ]
    assert [w.stdout.readline().strip() for w in writers] == [
        "ready",
        "ready",
    ]  # both read version 1
    go.touch()
    outcomes = sorted(w.communicate(timeout=30)[0].strip() for w in writers)

    assert outcomes == ["conflict", "won"]
    assert [e.version for e in pg_store.read_stream(stream)] == [1, 2]
