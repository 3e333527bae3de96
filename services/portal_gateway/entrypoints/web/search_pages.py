"""The portal's search for a beneficiary, over the API's search route: the words and the page
asked for are posted with the form's token, never put in the address (which access logs,
browsers' histories and Referer headers keep); the previous and next pages are form posts too."""

from __future__ import annotations

from typing import Any


class SearchPages:
    """Mixed into pages.Page, whose plumbing these are."""

    request: Any
    t: Any
    api: Any
    render: Any

    def search(self):
        if self.request.method == "GET":  # an old link with ?q= is refused, its words unused
            refused = "q" in self.request.args
            error = self.t("search_by_post") if refused else None
            return self.render(
                "search.html", 400 if refused else 200, q="", found=None, error=error
            )
        q = self.request.form.get("q", "").strip()
        if not q:
            return self.render("search.html", q="", found=None)
        page = self.request.form.get("page", "1")
        body = {
            "q": q,
            "page": int(page) if page.isdigit() else page,
        }  # the API refuses a non-number
        status, found = self.api("POST", "/beneficiaries/search", body)
        if status != 200:
            return self.render("search.html", status, q=q, found=None, error=found.get("error"))
        return self.render("search.html", q=q, found=found)
