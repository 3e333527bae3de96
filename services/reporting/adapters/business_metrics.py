"""Business metrics for Grafana: the latest monthly release's shown figures, read when Prometheus
scrapes. Never the live tables: a gauge scraped every few seconds would show each registration and
contact as it happens, and two scrapes would differ by one person. A hidden cell has no sample;
every sample has a `period` label. Labels carry site and municipality codes only."""

from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily

from services.reporting.domain.disclosure import HIDDEN

log = logging.getLogger(__name__)


class BusinessMetrics:
    def __init__(self, releases):
        self.releases = releases  # () -> application Releases, or None before the service is up

    def collect(self):
        try:
            yield from self._families()
        except Exception:  # a scrape must still answer with the runtime's metrics
            log.exception("business metrics unavailable")

    def _families(self):
        registered = GaugeMetricFamily(
            "kentra_beneficiaries_registered",
            "New beneficiaries in the latest released month, by site",
            labels=["site", "centre", "period"],
        )
        contacts = GaugeMetricFamily(
            "kentra_contacts_recorded",
            "Contacts in the latest released month, by site and municipality",
            labels=["site", "centre", "municipality", "period"],
        )
        by_municipality = GaugeMetricFamily(
            "kentra_contacts_by_municipality",
            "Contacts in the latest released month, by municipality (all sites)",
            labels=["municipality", "period"],
        )
        sent = GaugeMetricFamily(
            "kentra_referrals_sent",
            "Referrals sent in the latest released month, by sending site",
            labels=["site", "centre", "period"],
        )
        pending = GaugeMetricFamily(
            "kentra_referrals_pending",
            "Of those, still unanswered when the month was released",
            labels=["site", "centre", "period"],
        )
        families = (registered, contacts, by_municipality, sent, pending)
        releases = self.releases()
        if releases is None:
            yield from families
            return
        release = releases.get("regional")
        period, t = release["period"], release["tables"]
        centre = release["extras"].get("centre_of", {})
        for site, n in t["new_beneficiaries"]["column_totals"].items():
            _add(registered, [site, centre.get(site, site), period], n)
        for code, cells in t["contacts"]["rows"].items():
            for site, n in cells.items():
                _add(contacts, [site, centre.get(site, site), code, period], n)
        for code, n in t["contacts"]["row_totals"].items():
            _add(by_municipality, [code, period], n)
        for site, n in t["referrals_by_site"]["row_totals"].items():
            _add(sent, [site, centre.get(site, site), period], n)
        for site, cells in t["referrals_by_site"]["rows"].items():
            _add(pending, [site, centre.get(site, site), period], cells["pending"])
        yield from families


def _add(family: GaugeMetricFamily, labels: list[str], n) -> None:
    if n != HIDDEN:
        family.add_metric(labels, float(n))
