"""What the record's forms need beyond the pages' plumbing: the page after a save waits for the
timeline to show what was saved (application/read_your_writes.py), a form's municipality starts
at the person's own or, registering, at the site's own, and merge requests (a worker asks from a
possible duplicate's warning, the head of centre approves or declines on /merge-requests)."""

from __future__ import annotations

from typing import Any

from contracts.intake import ISCED, LABOUR_STATUS
from contracts.vocabulary import VULNERABLE_GROUPS
from services.portal_gateway.application.read_your_writes import wait_until_shown

# the needs assessment's choices, as the contract (contracts/intake.py) names them
ASSESSMENT_CHOICES = {"groups": VULNERABLE_GROUPS, "labour": LABOUR_STATUS, "isced": ISCED}


class RecordPages:
    # what pages.Page provides
    gateway: Any  # the PortalGateway serving the request
    api: Any
    form: Any
    render: Any
    redirect: Any
    request: Any
    beneficiary: Any
    t: Any

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

    # --- merge requests: a worker asks from a duplicate's warning, the head decides ----------
    def merge_request(self, beneficiary_id: str):
        values = self.form()
        status, answer = self.api("POST", f"/beneficiaries/{beneficiary_id}/merge-requests", values)
        if status != 200:
            return self.beneficiary(
                beneficiary_id,
                status,
                failed="merge-requests",
                values=values,
                error=answer.get("error"),
                fields=answer.get("details") or {},
            )
        self.wait_until_shown("registries", answer)
        return self.redirect(f"/beneficiaries/{beneficiary_id}?saved=1")

    def merge_requests(self, status: int = 200, **extra):
        code, found = self.api("GET", "/merge-requests")
        return self.render(
            "merge_requests.html",
            status if code == 200 else code,
            requests=found.get("requests", []),
            saved=self.request.args.get("saved"),
            error=extra.pop("error", None) or found.get("error"),
            **extra,
        )

    def merge_decision(self, beneficiary_id: str, decision: str):
        step = {"approval": "merge-approval", "decline": "merge-decline"}.get(decision)
        if step is None:
            return self.render("message.html", 404, message=self.t("not_found"))
        values = self.form()
        status, answer = self.api("POST", f"/beneficiaries/{beneficiary_id}/{step}", values)
        if status != 200:
            return self.merge_requests(
                status,
                error=answer.get("error"),
                fields=answer.get("details") or {},
                failed=beneficiary_id,
            )
        self.wait_until_shown("registries", answer)
        return self.redirect("/merge-requests?saved=1")
