"""The block `scripts/up` prints last, once the demo is in: where to look, who to log in as, the
consistency check's answer, where the logs are and how to stop. Every URL in it is requested first;
one that does not answer 200 is printed as not answering and the step exits 1, so the block never
promises what does not work.

    python -m deploy.local.ready        # stdout: the block; stderr: what it waited for
"""

from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from deploy.demo.accounts import DEMO, DEMO_PASSWORD
from services.common.config import Settings
from services.common.ports import GATEWAY_HTTP_PORT, METRICS_PORTS

ROLES = {
    "case_worker": "case worker",
    "head_of_centre": "head of centre",
    "agency_officer": "agency officer",
    "regional_coordinator": "regional coordinator",
    "dpo": "data protection officer",
    "ops": "operations",
}
PROMETHEUS = "http://127.0.0.1:9090"
RABBITMQ = "http://127.0.0.1:15672"
METRICS = "metrics of "  # such links are listed under one heading, by process


@dataclass
class Link:
    label: str
    url: str
    note: str = ""
    answers: bool = False


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not answers(url):
        if time.monotonic() > deadline:
            return False
        print(f"ready: waiting for {url}", file=sys.stderr, flush=True)
        time.sleep(1)
    return True


def prometheus_links() -> list[Link]:
    """Debian's Prometheus 2.x serves its pages under /classic/, Prometheus 3 at the root."""
    if not wait_until(f"{PROMETHEUS}/-/ready", 60):
        return []

    def page(name: str) -> str:
        found = next(
            (path for path in (f"/{name}", f"/classic/{name}") if answers(PROMETHEUS + path)),
            f"/{name}",
        )
        return PROMETHEUS + found

    return [
        Link("Prometheus", f"{PROMETHEUS}/"),
        Link("  its targets", page("targets")),
        Link("  its alerts", page("alerts")),
    ]


def consistency(amqp_uri: str, seconds: float = 120) -> str:
    """The reporting read model against the event stores, once the consumers have caught up."""
    from services.common.rpc_client import cluster_rpc

    deadline = time.monotonic() + seconds
    with cluster_rpc(amqp_uri, timeout=60) as cluster:
        while True:
            report = cluster.reporting.consistency_report()
            if report.get("consistent"):
                return "clean: every read model agrees with the event stores"
            if time.monotonic() > deadline:
                return f"DIFFERENCES after {seconds:.0f} s: {report}"
            print("ready: waiting for the consumers to catch up", file=sys.stderr, flush=True)
            time.sleep(2)


def site_names(amqp_uri: str) -> dict[str, str]:
    from services.common.rpc_client import cluster_rpc

    with cluster_rpc(amqp_uri, timeout=60) as cluster:
        return {site["site"]: site["name"] for site in cluster.registries.network()["sites"]}


def logins(names: dict[str, str]) -> list[str]:
    width = max(len(username) for username, *_ in DEMO)
    rows = []
    for username, role, site, _agency, display in DEMO:
        where = f"{names.get(site, site)} ({site})" if site else display
        rows.append(f"    {username:<{width}}  {ROLES[role]}, {where}")
    return rows


def block(links: list[Link], names: dict[str, str], checked: str) -> str:
    def row(label: str, text: str) -> str:
        return f"  {label:<19}{text}"

    def process_row(link: Link) -> str:
        return f"    {link.label.removeprefix(METRICS):<30}{link.url}{_mark(link)}"

    lines = [
        "",
        "Kentra is ready.",
        row("Portal (Greek)", links[0].url + _mark(links[0])),
        row("Demo logins", f"password {DEMO_PASSWORD}"),
        *logins(names),
    ]
    others = [link for link in links[1:] if not link.label.startswith(METRICS)]
    lines += [row(link.label, link.url + _mark(link)) for link in others]
    lines += [row("Metrics", "of each process, scraped by Prometheus:")]
    lines += [process_row(link) for link in links if link.label.startswith(METRICS)]
    lines += [
        row("Consistency check", checked),
        row("", "again: .venv/bin/python -m services.reporting.entrypoints.consumer check"),
        row("Grafana", "dashboards as code in deploy/grafana; compose runs Grafana with them"),
        row("Logs", "var/log/<process>.log, one per process (tail -f var/log/intake.log)"),
        row("Stop", "Ctrl-C here; scripts/up again adds nothing"),
        "",
    ]
    return "\n".join(lines)


def _mark(link: Link) -> str:
    return ("   " + link.note if link.note else "") + ("" if link.answers else "   (NOT ANSWERING)")


def main() -> int:
    settings = Settings.from_env()
    host = os.environ.get("KENTRA_WEB_ADDRESS", f"127.0.0.1:{GATEWAY_HTTP_PORT}")
    portal = f"http://{host}"
    wait_until(f"{portal}/health", 120)
    links = [
        Link("Portal", f"{portal}/"),
        Link("API (OpenAPI)", f"{portal}/api/v1/openapi.json"),
        Link(
            "Offline app", f"{portal}/mobile/", "the mobile unit's, installable; kalamata.social4"
        ),
        Link("Health", f"{portal}/health"),
        *prometheus_links(),
        *(
            Link(f"{METRICS}{name}", f"http://127.0.0.1:{port}/metrics")
            for name, port in METRICS_PORTS.items()
        ),
        Link("RabbitMQ", f"{RABBITMQ}/", "management; guest / guest from this machine"),
        Link("  its metrics", "http://127.0.0.1:15692/metrics"),
    ]
    for link in links:
        link.answers = answers(link.url)
    checked = consistency(settings.amqp_uri)
    print(block(links, site_names(settings.amqp_uri), checked), flush=True)
    return 0 if all(link.answers for link in links) and checked.startswith("clean") else 1


if __name__ == "__main__":
    sys.exit(main())
