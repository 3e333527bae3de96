"""Each role's home page: what needs attention today, asked of the same API routes as everything
else (so the same checks and the same audit), with links to the pages where it is done. The
counting here is only what the page shows; what is overdue, what a person may see, what a figure
is, the services and the API decide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contracts.names import BENEFICIARY_REGISTERED
from services.common.clock import today_in_greece

DUE_DAYS = 7  # an agency's "due soon": referrals to answer within the coming week
# the coordinator's reports (their pages: web/report_pages.py), in the order the home lists them
# of the registries' events, those about people (the rest keep the network and the directory)
PEOPLE = (BENEFICIARY_REGISTERED,)
REPORTS = ("esf", "coverage", "targets", "referral-flow", "staffing")


class HomePages:
    """Mixed into pages.Page, whose plumbing these are."""

    principal: Any
    api: Any
    render: Any
    gateway: Any

    def home(self):
        role = self.principal.role
        attention = getattr(self, f"_home_{role}", None)
        return self.render("home.html", role=role, **(attention() if attention else {}))

    def _home_agency_officer(self) -> dict:
        """The inbox's own counts, by the filters its links open (the inbox is paged: a count of
        one page's rows would stop at its size)."""
        soon = today_in_greece() + timedelta(days=DUE_DAYS)
        status, inbox = self.api("GET", "/referrals/inbox", query={"state": "sent"})
        _, due = self.api("GET", "/referrals/inbox", query={"due_by": soon.isoformat()})
        _, late = self.api("GET", "/referrals/inbox", query={"overdue": "true"})
        return {
            "new": inbox.get("total", 0),
            "due": due.get("total", 0),
            "overdue": late.get("total", 0),
            "due_days": DUE_DAYS,
            "due_by": soon.isoformat(),
            "error": inbox.get("error") if status != 200 else None,
        }

    def _home_case_worker(self) -> dict:
        status, day = self.api("GET", "/my-day")
        return {
            "contacts_today": day.get("contacts_today", []),
            "answered": day.get("answered_referrals", []),
            "steps_due": day.get("steps_due", []),
            "today": today_in_greece().isoformat(),
            "error": day.get("error") if status != 200 else None,
        }

    def _home_head_of_centre(self) -> dict:
        """Today's work at each site of the centre's network (its register, live for its head),
        and the caseload of each of its staff."""
        today = today_in_greece().isoformat()
        figures, caseload, error = [], [], None
        for site in sorted(self.principal.network):
            status, register = self.api("GET", f"/sites/{site}/daily-register")
            error = error or (register.get("error") if status != 200 else None)
            figures += [
                d
                for d in register.get("days", [])
                if d["day"] == today and (d["source"] != "registries" or d["event_type"] in PEOPLE)
            ]
            _, found = self.api("GET", "/reports/caseload", query={"site": site})
            caseload += found.get("caseload", [])
        return {
            "today_figures": figures,
            "caseload": caseload,
            "error": error,
        }

    def _home_regional_coordinator(self) -> dict:
        status, overview = self.api("GET", "/overview")
        _, late = self.api("GET", "/referrals/overdue")
        return {
            "overview": overview if status == 200 else None,
            "overdue": late.get("referrals", []),
            "reports": REPORTS,
        }

    def _home_dpo(self) -> dict:
        _, grants = self.api("GET", "/emergency-access")
        _, reviews = self.api("GET", "/identity-reviews/counts")
        _, erased = self.api("GET", "/erasures")
        return {
            "unreviewed": [g for g in grants.get("grants", []) if not g.get("reviews")],
            "identity_reviews": reviews,
            "erasures": erased.get("erasures", []),
        }

    def _home_ops(self) -> dict:
        _, letters = self.api("GET", "/operations/dead-letters")
        _, refused = self.api("GET", "/ingest/rejected")
        _, consistency = self.api("GET", "/operations/consistency")
        return {
            "dead_letters": letters.get("dead_letters", []),
            "refused_events": refused.get("rejected", []),
            "read_models": consistency.get("read_models", []),
            **self.monitoring(),
        }

    def monitoring(self) -> dict:
        settings = self.gateway.settings
        return {"prometheus_url": settings.prometheus_url, "grafana_url": settings.grafana_url}
