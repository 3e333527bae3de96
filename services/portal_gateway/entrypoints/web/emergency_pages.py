"""The portal's pages for breaking the glass (a head's form) and for the DPO (the review of emergency
grants, a person's rights), over the same API routes as everything else. Dates as the centres write
them: dd/mm/yyyy, Athens time."""

from __future__ import annotations

import json
import uuid
from typing import Any

from services.portal_gateway.entrypoints.web.names import day, when

__all__ = ["EmergencyPages", "day", "when"]  # the date filters live in names.py now


class EmergencyPages:
    """Mixed into pages.Page, whose plumbing these are."""

    request: Any
    t: Any
    api: Any
    render: Any
    redirect: Any
    form: Any

    def emergency(self, beneficiary_id: str):
        values = {k: v for k, v in self.form().items() if k in ("reason", "details")}
        status, answer = self.api(
            "POST", f"/beneficiaries/{beneficiary_id}/emergency-access", values
        )
        if status == 200:
            return self.redirect(f"/beneficiaries/{beneficiary_id}")
        return self.render(
            "message.html",
            status,
            message=answer.get("error"),
            beneficiary_id=beneficiary_id,
            may_break_glass=status != 403,
            emergency_values=values,
        )

    def emergency_review(self):
        status, body = self.api("GET", "/emergency-access")
        return self.render(
            "emergency_review.html", status, grants=body.get("grants", []), error=body.get("error")
        )

    def emergency_reviewed(self, grant_id: str):
        note = self.request.form.get("note", "")
        status, answer = self.api("POST", f"/emergency-access/{grant_id}/review", {"note": note})
        if status != 200:
            _, body = self.api("GET", "/emergency-access")
            return self.render(
                "emergency_review.html",
                status,
                grants=body.get("grants", []),
                error=answer["error"],
            )
        return self.redirect("/emergency-access")

    def subject_rights(self):
        beneficiary = self.request.args.get("beneficiary", "").strip()
        if not beneficiary:
            return self.render("subject_rights.html")
        try:
            beneficiary = str(uuid.UUID(beneficiary))
        except ValueError:
            return self.render(
                "subject_rights.html", 404, beneficiary=beneficiary, error=self.t("not_found")
            )
        status, body = self.api("GET", f"/beneficiaries/{beneficiary}/subject-access")
        if status == 200 and self.request.args.get("format") == "json":
            return download(beneficiary, body)
        return self.render(
            "subject_rights.html",
            status,
            beneficiary=beneficiary,
            x=body if status == 200 else None,
            error=body.get("error"),
        )


def download(beneficiary: str, body: dict):
    # imported here: pages.py imports this module to build its Page
    from services.portal_gateway.entrypoints.web.pages import SECURITY_HEADERS

    headers = {
        **SECURITY_HEADERS,
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": f'attachment; filename="kentra-art15-{beneficiary}.json"',
    }
    return 200, headers, json.dumps(body, ensure_ascii=False, indent=2, default=str)
