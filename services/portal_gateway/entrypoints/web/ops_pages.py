"""Ops' pages: the read models' dead letters (retry after a fix, discard a refused message with a
reason) and the consistency check run on demand, with the links to Prometheus and Grafana. Over
the same API routes as everything else (api/operations.py)."""

from __future__ import annotations

from typing import Any


class OpsPages:
    """Mixed into pages.Page, whose plumbing these are."""

    request: Any
    t: Any
    api: Any
    render: Any
    redirect: Any
    monitoring: Any

    def dead_letters(self, status: int = 200, error: str | None = None, **extra):
        """The list as it stands; after a step, with what the step did (`done`) or why not."""
        code, body = self.api("GET", "/operations/dead-letters")
        return self.render(
            "dead_letters.html",
            status if code == 200 else code,
            letters=body.get("dead_letters", []),
            error=error or body.get("error"),
            **extra,
            **self.monitoring(),
        )

    def dead_letters_retried(self, consumer: str):
        status, answer = self.api("POST", f"/operations/dead-letters/{consumer}/retry")
        if status != 200:
            return self.dead_letters(status, error=answer.get("error"))
        done = self.t("retried").format(resolved=answer["resolved"], open=answer["still_open"])
        return self.dead_letters(done=done)

    def dead_letter_discarded(self, consumer: str, letter_id: str):
        reason = self.request.form.get("reason", "")
        status, answer = self.api(
            "POST", f"/operations/dead-letters/{consumer}/{letter_id}/discard", {"reason": reason}
        )
        if status != 200:
            return self.dead_letters(
                status,
                error=answer.get("error"),
                failed=f"{consumer}-{letter_id}",
                fields=answer.get("details") or {},
                reason=reason,
            )
        return self.dead_letters(done=self.t("discarded"))

    def consistency(self):
        status, body = self.api("GET", "/operations/consistency")
        return self.render(
            "consistency.html",
            status,
            read_models=body.get("read_models", []),
            error=body.get("error"),
            **self.monitoring(),
        )
