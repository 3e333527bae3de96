"""The portal's pages for municipal systems (ops and the coordinator): the refused municipal events
(publisher, time, reasons, never a body) and the municipal publishers with their API keys
(register, issue a key shown once, revoke, deactivate), over the same API routes."""

from __future__ import annotations

from typing import Any


class MunicipalPages:
    """Mixed into pages.Page, whose plumbing these are."""

    request: Any
    t: Any
    api: Any
    render: Any
    redirect: Any

    def municipal_events(self):
        status, body = self.api("GET", "/ingest/rejected")
        return self.render(
            "municipal_events.html", status, rows=body.get("rejected", []), error=body.get("error")
        )

    def municipal_publishers(self, issued: dict | None = None, error: str | None = None):
        status, body = self.api("GET", "/municipal-publishers")
        return self.render(
            "municipal_publishers.html",
            status if error is None else 422,
            publishers=body.get("publishers", []),
            issued=issued,  # a key just issued: on this page once, never again
            error=error or body.get("error"),
        )

    def municipal_publisher_registered(self):
        form = self.request.form
        body = {"name": form.get("name", "").strip(), "site": form.get("site", "").strip()}
        status, answer = self.api("POST", "/municipal-publishers", body)
        if status != 200:
            return self.municipal_publishers(error=answer.get("error"))
        return self.redirect("/municipal-publishers")

    def municipal_publisher_step(self, name: str, step: str):
        if step == "api-keys":
            status, answer = self.api("POST", f"/municipal-publishers/{name}/api-keys")
            if status == 200:  # the key is shown on this answer, not after a redirect
                return self.municipal_publishers(issued=answer)
        elif step in ("activate", "deactivate"):
            status, answer = self.api(
                "POST", f"/municipal-publishers/{name}/active", {"active": step == "activate"}
            )
        else:
            key_id = self.request.form.get("key_id", "")
            status, answer = self.api(
                "POST", f"/municipal-publishers/{name}/api-keys/{key_id}/revoke"
            )
        if status != 200:
            return self.municipal_publishers(error=answer.get("error"))
        return self.redirect("/municipal-publishers")
