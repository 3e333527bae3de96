"""The Grafana dashboards as code (the official grafana-foundation-sdk), written to
deploy/grafana/dashboards/*.json, which Grafana's provisioning loads (provisioning/). Every query
is listed in QUERIES too, so a test can parse each one and check every metric it names exists.

    python deploy/grafana/dashboards.py      # rewrite the JSON (a test checks it is current)
"""

from __future__ import annotations

import json
from pathlib import Path

from grafana_foundation_sdk.builders import dashboard, prometheus, stat, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.common import GraphDrawStyle
from grafana_foundation_sdk.models.dashboard import DataSourceRef

DATASOURCE = DataSourceRef(
    type_val="prometheus", uid="kentra-prometheus"
)  # provisioning/datasources.yml
OUT = Path(__file__).with_name("dashboards")
QUERIES: list[str] = []


def query(expr: str, legend: str = "") -> prometheus.Dataquery:
    QUERIES.append(expr)
    return (
        prometheus.Dataquery().expr(expr).legend_format(legend or "__auto").datasource(DATASOURCE)
    )


def graph(
    title: str, unit: str, *queries: prometheus.Dataquery, width: int = 12
) -> timeseries.Panel:
    panel = (
        timeseries.Panel()
        .title(title)
        .unit(unit)
        .datasource(DATASOURCE)
        .height(8)
        .span(width)
        .draw_style(GraphDrawStyle.LINE)
        .line_width(1)
        .fill_opacity(10)
    )
    for q in queries:
        panel = panel.with_target(q)
    return panel


def number(title: str, q: prometheus.Dataquery, unit: str = "none", width: int = 6) -> stat.Panel:
    return (
        stat.Panel()
        .title(title)
        .unit(unit)
        .datasource(DATASOURCE)
        .height(4)
        .span(width)
        .with_target(q)
    )


def platform() -> dashboard.Dashboard:
    return (
        dashboard.Dashboard("Kentra — Platform overview")
        .uid("kentra-platform")
        .tags(["kentra"])
        .refresh("30s")
        .time("now-3h", "now")
        .with_panel(number("Processes up", query('sum(up{platform="kentra"})')))
        .with_panel(
            number("Processes down", query('count(up{platform="kentra"} == 0) or vector(0)'))
        )
        .with_panel(
            number("Open dead letters", query("sum(kentra_dead_letters_open) or vector(0)"))
        )
        .with_panel(number("Outbox backlog", query("sum(kentra_outbox_backlog_events)")))
        .with_panel(
            graph(
                "Commands per second by service and outcome (rate)",
                "reqps",
                query(
                    "sum by (service, outcome) (rate(kentra_commands_total[5m]))",
                    "{{service}} {{outcome}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Errors per second by entrypoint",
                "reqps",
                query(
                    'sum by (service, command) (rate(kentra_commands_total{outcome="error"}[5m]))',
                    "{{service}}.{{command}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Command duration p95 by entrypoint",
                "s",
                query(
                    "histogram_quantile(0.95, sum by (service, command, le) "
                    "(rate(kentra_command_duration_seconds_bucket[5m])))",
                    "{{service}}.{{command}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Append duration p95 (commit included)",
                "s",
                query(
                    "histogram_quantile(0.95, sum by (service, le) "
                    "(rate(kentra_append_duration_seconds_bucket[5m])))",
                    "{{service}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Consumer lag (events)",
                "none",
                query(
                    "max by (consumer, source) (kentra_consumer_lag_events)",
                    "{{consumer}} ← {{source}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Outbox backlog and relay lag",
                "none",
                query("kentra_outbox_backlog_events", "backlog {{service}}"),
                query("kentra_relay_lag_seconds", "lag (s) {{service}}"),
            )
        )
        .with_panel(
            graph(
                "End-to-end delay p95, store to read model",
                "s",
                query(
                    "histogram_quantile(0.95, sum by (consumer, le) "
                    "(rate(kentra_event_delay_seconds_bucket[5m])))",
                    "{{consumer}}",
                ),
            )
        )
        .with_panel(
            graph("Dead letters", "none", query("kentra_dead_letters_open", "{{consumer}}"))
        )
        .with_panel(  # the DPO reviews each one on the portal (alert KentraEmergencyAccess)
            number(
                "Emergency accesses, last 24 h (break the glass)",
                query("sum(increase(kentra_emergency_access_granted_total[24h])) or vector(0)"),
                width=12,
            )
        )
    )


def centres() -> dashboard.Dashboard:
    return (
        dashboard.Dashboard("Kentra — Centres")
        .uid("kentra-centres")
        .tags(["kentra"])
        .refresh("1m")
        .time("now-7d", "now")
        # the latest released month only (services/reporting/adapters/business_metrics.py): a
        # hidden cell has no sample, so a sum over sites counts only what was shown
        .with_panel(
            graph(
                "New beneficiaries in the latest released month, by site",
                "none",
                query("max by (site) (kentra_beneficiaries_registered)", "{{site}}"),
            )
        )
        .with_panel(
            graph(
                "Contacts in the latest released month, by municipality",
                "none",
                query(
                    "max by (municipality) (kentra_contacts_by_municipality)", "{{municipality}}"
                ),
            )
        )
        .with_panel(
            graph(
                "Mobile units' contacts (shown cells), by municipality",
                "none",
                query(
                    'sum by (municipality) (kentra_contacts_recorded{site=~"MU-.*"})',
                    "{{municipality}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Referrals sent in the latest released month, by site",
                "none",
                query("max by (site) (kentra_referrals_sent)", "{{site}}"),
            )
        )
        .with_panel(
            graph(
                "Of those, unanswered when released, by site",
                "none",
                query("max by (site) (kentra_referrals_pending)", "{{site}}"),
            )
        )
    )


def rabbitmq() -> dashboard.Dashboard:
    return (
        dashboard.Dashboard("Kentra — RabbitMQ")
        .uid("kentra-rabbitmq")
        .tags(["kentra", "rabbitmq"])
        .refresh("30s")
        .time("now-3h", "now")
        .with_panel(number("Memory alarm", query("max(rabbitmq_alarms_memory_used_watermark)")))
        .with_panel(number("Disk alarm", query("max(rabbitmq_alarms_free_disk_space_watermark)")))
        .with_panel(number("Connections", query("sum(rabbitmq_connections)")))
        .with_panel(number("Queues", query("sum(rabbitmq_queues)")))
        .with_panel(
            graph("Messages ready", "none", query("sum(rabbitmq_queue_messages_ready)", "ready"))
        )
        .with_panel(
            graph(
                "Published and unroutable per second",
                "reqps",
                query("sum(rate(rabbitmq_channel_messages_published_total[5m]))", "published"),
                query(
                    "sum(rate(rabbitmq_channel_messages_unroutable_dropped_total[5m]))",
                    "unroutable, dropped",
                ),
            )
        )
    )


def postgresql() -> dashboard.Dashboard:
    return (
        dashboard.Dashboard("Kentra — PostgreSQL")
        .uid("kentra-postgresql")
        .tags(["kentra", "postgresql"])
        .refresh("30s")
        .time("now-3h", "now")
        .with_panel(number("Up", query("max(pg_up)")))
        .with_panel(
            graph(
                "Connections",
                "none",
                query("sum by (datname) (pg_stat_database_numbackends)", "{{datname}}"),
            )
        )
        .with_panel(
            graph(
                "Commits per second",
                "ops",
                query("sum by (datname) (rate(pg_stat_database_xact_commit[5m]))", "{{datname}}"),
            )
        )
        .with_panel(graph("Database size", "bytes", query("pg_database_size_bytes", "{{datname}}")))
    )


def render() -> dict[str, str]:
    QUERIES.clear()
    boards = {
        "platform.json": platform(),
        "centres.json": centres(),
        "rabbitmq.json": rabbitmq(),
        "postgresql.json": postgresql(),
    }
    return {
        name: json.dumps(
            board.build(), cls=JSONEncoder, indent=2, sort_keys=True, ensure_ascii=False
        )
        + "\n"
        for name, board in boards.items()
    }


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
