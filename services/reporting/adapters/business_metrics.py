"""Business metrics for Grafana, read from the reporting tables when Prometheus scrapes: new
beneficiaries, contacts, open and overdue referrals. Labels carry site and municipality codes
only, never anything about a person."""

from __future__ import annotations

import logging
from datetime import date

from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)


class BusinessMetrics:
    def __init__(self, database):
        self.database = database  # () -> the read model's Database, or None before it is open

    def collect(self):
        try:
            yield from self._families()
        except Exception:  # a scrape must still answer with the runtime's metrics
            log.exception("business metrics unavailable")

    def _families(self):
        registered = GaugeMetricFamily(
            "kentra_beneficiaries_registered",
            "Beneficiaries registered, by site",
            labels=["site", "centre"],
        )
        contacts = GaugeMetricFamily(
            "kentra_contacts_recorded",
            "Contacts recorded, by site and municipality",
            labels=["site", "centre", "municipality"],
        )
        open_ = GaugeMetricFamily(
            "kentra_referrals_open",
            "Referrals not yet closed, by the site that sent them",
            labels=["site", "centre"],
        )
        overdue = GaugeMetricFamily(
            "kentra_referrals_overdue",
            "Referrals past their due date without an answer",
            labels=["site", "centre"],
        )
        db = self.database()
        if db is None:
            return
        with db.transaction() as cur:
            cur.execute(
                "SELECT r.site, coalesce(s.centre, r.site), r.measure, r.key, sum(r.n) FROM register_count r"
                " LEFT JOIN site_centre s USING (site) WHERE r.measure IN"
                " ('new_beneficiaries', 'contacts_by_municipality') GROUP BY 1, 2, 3, 4"
            )
            for site, centre, measure, key, n in cur.fetchall():
                if measure == "new_beneficiaries":
                    registered.add_metric([site, centre], float(n))
                else:
                    contacts.add_metric([site, centre, key], float(n))
            cur.execute(
                "SELECT f.from_site, coalesce(s.centre, f.from_site),"
                " count(*) FILTER (WHERE f.closed_on IS NULL),"
                " count(*) FILTER (WHERE f.state IN ('sent', 'received') AND f.due_on < %s)"
                " FROM referral_flow f LEFT JOIN site_centre s ON s.site = f.from_site GROUP BY 1, 2",
                (date.today(),),
            )
            for site, centre, n_open, n_overdue in cur.fetchall():
                open_.add_metric([site, centre], float(n_open))
                overdue.add_metric([site, centre], float(n_overdue))
        yield from (registered, contacts, open_, overdue)
