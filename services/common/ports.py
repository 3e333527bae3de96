"""Where each process of the platform serves its metrics (scraped by Prometheus), and the gateway's
HTTP port (deploy/nameko.yaml repeats it as KENTRA_WEB_ADDRESS's default)."""

METRICS_PORTS = {
    "registries": 9101,
    "intake": 9102,
    "referrals": 9103,
    "reporting": 9104,
    "portal_gateway": 9105,
    "registries-relay": 9111,
    "intake-relay": 9112,
    "referrals-relay": 9113,
    "reporting-consumer": 9121,
    "referrals-reactions-consumer": 9122,
    "timeline-consumer": 9123,
}
GATEWAY_HTTP_PORT = 8000
