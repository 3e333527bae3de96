"""The read models ops look after from the portal, each by its consumer's name: the gateway's own
timeline (its consumer's tables are in the timeline's schema, which the gateway opens) and
reporting's (asked of the reporting service over RPC). Both answer the same four steps
(services/common/consumer/operations.py)."""

from __future__ import annotations

from services.common.consumer.operations import ReadModelOperations


class RemoteReadModel:
    """A read model another service keeps, through that service's RPC."""

    def __init__(self, name: str, proxy):
        self.name, self.proxy = name, proxy

    def dead_letters(self) -> list[dict]:
        return self.proxy.dead_letters()

    def retry(self, by: str) -> dict:
        return self.proxy.retry_dead_letters(by)

    def discard(self, letter_id: int, reason: str, by: str) -> bool:
        return self.proxy.discard_dead_letter(letter_id, reason, by)

    def consistency(self) -> dict:
        return {"consumer": self.name, **self.proxy.consistency_report()}


def read_models(timeline: ReadModelOperations, reporting_proxy) -> dict:
    """Consumer name -> its read model's operations, in the order the ops page lists them."""
    return {
        timeline.name: timeline,
        "reporting": RemoteReadModel("reporting", reporting_proxy),
    }
