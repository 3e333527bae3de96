"""What the record's forms need beyond the pages' plumbing: the page after a save waits for the
timeline to show what was saved (application/read_your_writes.py), and a form's municipality
starts at the person's own or, registering, at the site's own."""

from __future__ import annotations

from typing import Any

from contracts.intake import ISCED, LABOUR_STATUS
from contracts.vocabulary import VULNERABLE_GROUPS
from services.portal_gateway.application.read_your_writes import wait_until_shown

# the needs assessment's choices, as the contract (contracts/intake.py) names them
ASSESSMENT_CHOICES = {"groups": VULNERABLE_GROUPS, "labour": LABOUR_STATUS, "isced": ISCED}


class RecordPages:
    gateway: Any  # the PortalGateway serving the request (pages.Page)

    def wait_until_shown(self, source: str, answer: dict) -> None:
        """Before the page that follows a save: its timeline shows the save (bounded: a lagging
        timeline delays the page, never refuses it)."""
        wait_until_shown(self.gateway.timeline_db, source, answer)

    def site_municipality(self, site: str | None) -> str:
        """Where a site works: a centre's lead municipality; a mobile unit's first partner
        municipality (it visits those, never its centre's own). Empty for no site."""
        sites = self.gateway.sites.get(self.gateway.registries)
        found: dict = next((s for s in sites if s["site"] == site), {})
        partners = found.get("partner_municipalities") or [""]
        return found.get("lead_municipality_code") or partners[0]
