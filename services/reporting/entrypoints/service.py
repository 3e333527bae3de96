"""The reporting service over nameko: queries on its read models, and their consistency report."""
from __future__ import annotations

from nameko.rpc import RpcProxy, rpc

from services.common.consumer.consistency import check, report
from services.common.nameko_support import MetricsServer, ReadModelProvider, ServiceProxies
from services.reporting.projections.daily_activity import DailyActivity, activity


class ReportingService:
    name = "reporting"
    read_model = ReadModelProvider(DailyActivity())
    metrics = MetricsServer()
    registries = RpcProxy("registries")
    intake = RpcProxy("intake")
    referrals = RpcProxy("referrals")

    @rpc
    def daily_activity(self, site=None):
        with self.read_model.transaction() as cur:
            return activity(cur, site)

    @rpc
    def consistency_report(self):
        """Every stream's head here against its source: the proof that all sites see one history."""
        projection = DailyActivity()
        sources = ServiceProxies({"registries": self.registries, "intake": self.intake, "referrals": self.referrals})
        return report(check(self.read_model, projection.name, projection.sources, sources))
