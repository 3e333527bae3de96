"""One of two racing writers: waits for the start signal (a file), then appends at the version both
read, and prints `won` or `conflict`."""

import sys
import time
from pathlib import Path

from services.common.config import Settings
from services.common.eventstore import Metadata, NewEvent, WrongExpectedVersion
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault, service_database

database_url, schema, stream, go, name = sys.argv[1:6]
settings = Settings.from_env({"KENTRA_DATABASE_URL": database_url})
store = PostgresEventStore(service_database(settings, schema, 1), key_vault(settings))
read_version = store.head(stream).version
print("ready", flush=True)
while not Path(go).exists():
    time.sleep(0.001)
try:
    store.append(
        stream,
        read_version,
        [NewEvent("ContactNoted", {"by": name})],
        Metadata(name, "KK-KALAMATA"),
    )
    print("won")
except WrongExpectedVersion:
    print("conflict")
