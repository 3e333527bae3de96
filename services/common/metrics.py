"""The runtime's Prometheus metrics. Labels carry service, consumer, source, event type, command,
outcome and component only: never a person, a name or an id."""

from __future__ import annotations

import logging
import os

from prometheus_client import Counter, Gauge, Histogram, start_http_server

log = logging.getLogger(__name__)

EVENTS_APPENDED = Counter(
    "kentra_events_appended_total", "Events appended to a store", ["service", "type"]
)
APPEND_SECONDS = Histogram(
    "kentra_append_duration_seconds",
    "Time to append one command's events, commit included",
    ["service"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
COMMANDS = Counter(
    "kentra_commands_total", "Commands handled, by outcome", ["service", "command", "outcome"]
)
COMMAND_SECONDS = Histogram(
    "kentra_command_duration_seconds",
    "Time to handle one command, by entrypoint",
    ["service", "command"],
    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

OUTBOX_BACKLOG = Gauge(
    "kentra_outbox_backlog_events", "Events stored but not yet published", ["service"]
)
RELAY_LAG = Gauge(
    "kentra_relay_lag_seconds", "Age of the oldest event not yet published", ["service"]
)
RELAY_PUBLISHED = Counter(
    "kentra_relay_published_total", "Events published to RabbitMQ", ["service"]
)
RELAY_POSITION = Gauge("kentra_relay_position", "Last store position published", ["service"])

CONSUMER_LAG = Gauge(
    "kentra_consumer_lag_events", "Source events not yet applied", ["consumer", "source"]
)
CONSUMER_POSITION = Gauge(
    "kentra_consumer_position", "Last source position applied", ["consumer", "source"]
)
CONSUMER_APPLIED = Counter(
    "kentra_consumer_applied_total", "Events applied to a read model", ["consumer", "source"]
)
CONSUMER_DUPLICATES = Counter(
    "kentra_consumer_duplicates_total", "Redelivered events skipped", ["consumer", "source"]
)
GAPS_REPAIRED = Counter(
    "kentra_consumer_gaps_repaired_total",
    "Missing ranges read back from the source",
    ["consumer", "source"],
)
END_TO_END_SECONDS = Histogram(
    "kentra_event_delay_seconds",
    "From recorded in the source store to applied in a read model",
    ["consumer"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
DEAD_LETTERS = Counter(
    "kentra_dead_letters_total",
    "Events set aside because they can never be applied",
    ["consumer", "source"],
)
DEAD_LETTERS_OPEN = Gauge("kentra_dead_letters_open", "Dead letters not yet resolved", ["consumer"])
REFUSALS = Counter(
    "kentra_refusals_total",
    "Commands a system process sent that a decider refused (logged with why)",
    ["component", "command"],
)
# no labels: the series exists at 0 from the start, so the alert's increase() sees the first grant
EMERGENCY_ACCESS = Counter(
    "kentra_emergency_access_granted_total",
    "Emergency grants (break the glass) recorded: the DPO is alerted at once",
)
RETRIES = Counter("kentra_retries_total", "Transient failures retried with backoff", ["component"])
# 1 while this instance of a relay or consumer holds its lock, 0 while it stands by: across the
# instances of one component the sum is 1 (none: nothing moves; two: the lock is broken)
ACTIVE = Gauge(
    "kentra_active", "This instance is the active one of its relay or consumer", ["component"]
)
# the consistency check, run by each active consumer on a schedule (consumer/consistency.py)
CONSISTENCY_DIFFERENCES = Gauge(
    "kentra_consistency_differences",
    "Streams whose head in the read model differs from the source's at the last check",
    ["consumer"],
)
CONSISTENCY_CHECKED = Gauge(
    "kentra_consistency_checked_timestamp_seconds",
    "When the last consistency check of this read model ended (Unix time)",
    ["consumer"],
)
# the gateway's availability SLO counts answers by class: a 5xx (503 while a dependency is away
# included) spends the error budget, a 4xx is the caller's and does not
HTTP_REQUESTS = Counter(
    "kentra_http_requests_total", "HTTP requests the gateway answered, by status class", ["code"]
)
for _class in ("2xx", "3xx", "4xx", "5xx"):  # from 0, so the first 5xx is an increase
    HTTP_REQUESTS.labels(_class)
# no labels, so the series is there at 0 before the first failure (the alert's increase() sees it)
AUDIT_WRITE_FAILURES = Counter(
    "kentra_audit_write_failures_total",
    "Reads of personal data refused because their audit event could not be stored",
)


class ReadAtScrape:
    """A collector whose figures are read from a database each time Prometheus scrapes, so they
    hold across restarts and any number of instances. `read(db)` returns the metric families;
    before the service is up (`db()` is None) or when the read fails, the scrape answers with the
    runtime's metrics alone, and the alert reading the missing series sees its absence."""

    def __init__(self, db):
        self.db = db  # () -> a Database, or None before the service is up

    def read(self, db) -> list:
        raise NotImplementedError

    def collect(self):
        db = self.db()
        if db is None:
            return
        try:
            families = self.read(db)
        except Exception:  # a scrape must still answer with the runtime's metrics
            log.exception("%s could not be read", type(self).__name__)
            return
        yield from families


def metrics_port(process: str) -> int:
    """The process's port from services/common/ports.py; KENTRA_METRICS_PORT overrides (0: none)."""
    from services.common.ports import METRICS_PORTS

    return int(os.environ.get("KENTRA_METRICS_PORT", METRICS_PORTS.get(process, 0)))


def serve_metrics(port: int, addr: str | None = None) -> None:
    """Expose /metrics on its own port; a port in use is logged, never fatal to the service."""
    addr = addr or os.environ.get("KENTRA_METRICS_ADDR", "127.0.0.1")
    if not port:
        return
    try:
        start_http_server(port, addr=addr)
    except OSError as exc:
        log.warning("metrics port %s unavailable: %s", port, exc)
