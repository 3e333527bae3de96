"""The referrals service over nameko: its store and history RPCs (commands come with referrals)."""
from __future__ import annotations

from services.common.nameko_support import EventStoreProvider, MetricsServer, ServesItsHistory


class ReferralsService(ServesItsHistory):
    name = "referrals"
    store = EventStoreProvider()
    metrics = MetricsServer()
