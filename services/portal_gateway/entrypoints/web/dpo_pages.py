"""The DPO's pages beyond a person's rights and the emergency grants (emergency_pages.py): a
person's audit (who read the record, when, from where and why) and erasure with a confirmation
step that names the person and asks for their family name typed again. Over the same API routes,
so each read is audited and the erasure is the registries' own command."""

from __future__ import annotations

import unicodedata
import uuid
from typing import Any


def folded(text: str) -> str:
    """A name as typed to confirm: case and accents aside (Παπαδόπουλος = ΠΑΠΑΔΟΠΟΥΛΟΣ)."""
    decomposed = unicodedata.normalize("NFD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class DpoPages:
    """Mixed into pages.Page, whose plumbing these are."""

    request: Any
    t: Any
    api: Any
    render: Any
    redirect: Any

    def _asked_person(self) -> tuple[str, str | None]:
        """The id in ?beneficiary=, and why it cannot be asked for (None if it can)."""
        beneficiary = self.request.args.get("beneficiary", "").strip()
        try:
            return str(uuid.UUID(beneficiary)), None
        except ValueError:
            return beneficiary, self.t("not_found") if beneficiary else ""

    def _found(self, template: str):
        """The people a request may be about, by AMKA or name (a POST: never in a URL)."""
        q = self.request.form.get("q", "").strip()
        status, body = (
            self.api("POST", "/data-protection/search", {"q": q}) if q else (200, {"results": []})
        )
        return self.render(
            template,
            status,
            q=q,
            results=body.get("results"),
            error=body.get("error"),
        )

    def audit(self):
        if self.request.method == "POST":
            return self._found("audit.html")
        beneficiary, wrong = self._asked_person()
        if wrong is not None:
            return self.render(
                "audit.html", 404 if wrong else 200, beneficiary=beneficiary, error=wrong or None
            )
        status, person = self.api("GET", f"/beneficiaries/{beneficiary}/identity")
        if status != 200:
            return self.render(
                "audit.html", status, beneficiary=beneficiary, error=person.get("error")
            )
        status, report = self.api("GET", f"/beneficiaries/{beneficiary}/access-report")
        return self.render(
            "audit.html",
            status,
            beneficiary=beneficiary,
            person=person,
            entries=report.get("entries", []),
            error=report.get("error"),
        )

    def erasure(self):
        if self.request.method == "POST":
            return self._found("erasure.html")
        beneficiary, wrong = self._asked_person()
        if wrong is not None:
            return self.render(
                "erasure.html", 404 if wrong else 200, beneficiary=beneficiary, error=wrong or None
            )
        return self._confirmation(beneficiary)

    def _confirmation(self, beneficiary: str, status: int = 200, **extra):
        code, person = self.api("GET", f"/beneficiaries/{beneficiary}/identity")
        if code != 200:
            return self.render(
                "erasure.html", code, beneficiary=beneficiary, error=person.get("error")
            )
        return self.render(
            "erasure.html",
            status,
            beneficiary=beneficiary,
            person=person,
            **extra,
        )

    def erase(self, beneficiary_id: str):
        """The second step: the family name typed again must be the record's, so the DPO erases
        the person the page named and no other (an erasure cannot be undone)."""
        form = self.request.form
        values = {"reason": form.get("reason", "").strip(), "confirm": form.get("confirm", "")}
        code, person = self.api("GET", f"/beneficiaries/{beneficiary_id}/identity")
        if code != 200:
            return self.render(
                "erasure.html", code, beneficiary=beneficiary_id, error=person.get("error")
            )
        typed, expected = folded(values["confirm"]), folded(person.get("family_name") or "")
        if not typed or typed != expected:  # an empty box confirms nothing, even for no name
            return self._confirmation(
                beneficiary_id, 422, values=values, error=self.t("erasure_confirm_mismatch")
            )
        status, answer = self.api(
            "POST", f"/beneficiaries/{beneficiary_id}/erasure", {"reason": values["reason"]}
        )
        if status != 200:
            return self._confirmation(
                beneficiary_id,
                status,
                values=values,
                error=answer.get("error"),
                fields=answer.get("details") or {},
            )
        return self.redirect(f"/erasure?beneficiary={beneficiary_id}")
