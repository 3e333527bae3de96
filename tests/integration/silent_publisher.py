"""Publishes through a proxy that is about to go silent, as the relay process does (no eventlet):
prints `published`, waits for the go-silent file, then prints how the second publish ended."""

import sys
import time
from pathlib import Path

from services.common.relay.publisher import BatchPublisher, Message

uri, silent_file = sys.argv[1:3]
publisher = BatchPublisher(uri, "silentcheck", io_timeout=2)
message = Message("Checked", "id-1", b'{"a": 1}')
publisher.publish([message])
print("published", flush=True)
while not Path(silent_file).exists():
    time.sleep(0.01)
started = time.monotonic()
try:
    publisher.publish([message])
    print("not refused", flush=True)
except Exception as exc:  # py-amqp's own error for a dead socket
    print(f"refused {type(exc).__name__} {time.monotonic() - started:.1f}", flush=True)
