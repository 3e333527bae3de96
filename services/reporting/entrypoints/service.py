"""The reporting service over nameko: queries on its read models, and their consistency report."""

from __future__ import annotations

import base64
from datetime import date

from nameko.extensions import DependencyProvider
from nameko.rpc import RpcProxy, rpc

from services.common.consumer.consistency import check, report
from services.common.nameko_support import (
    AnswersWhenReady,
    MetricsServer,
    ReadModelProvider,
    ServiceProxies,
)
from services.reporting import bootstrap
from services.reporting.adapters import queries
from services.reporting.adapters.business_metrics import BusinessMetrics
from services.reporting.adapters.projections import esf
from services.reporting.adapters.projections.daily_activity import activity
from services.reporting.application import published, reports


class BusinessMetricsProvider(DependencyProvider):
    """Registers the business metrics on this process's /metrics, read from the read model."""

    def setup(self):
        from prometheus_client import REGISTRY

        model = next(d for d in self.container.dependencies if isinstance(d, ReadModelProvider))
        self.collector: BusinessMetrics | None = BusinessMetrics(
            lambda: model.db
        )  # its database, once open
        REGISTRY.register(self.collector)

    def stop(self):
        from prometheus_client import REGISTRY

        if self.collector is not None:
            REGISTRY.unregister(self.collector)
            self.collector = None

    kill = stop


class ReportingService(AnswersWhenReady):
    name = "reporting"
    read_model = ReadModelProvider(bootstrap.open_model)
    metrics = MetricsServer()
    business = BusinessMetricsProvider()
    registries = RpcProxy("registries")
    intake = RpcProxy("intake")
    referrals = RpcProxy("referrals")

    @rpc
    def daily_activity(self, site=None):
        with self.read_model.transaction() as cur:
            return activity(cur, site)

    @rpc
    def daily_register(self, site=None, since=None, until=None, external=True):
        """Suppressed unless the caller says it stays in the centre (`external=False`)."""
        with self.read_model.transaction() as cur:
            return published.daily_register(cur, site, since, until, external)

    @rpc
    def daily_register_file(
        self, fmt: str, site=None, since=None, until=None, external=True
    ) -> str:
        """The register as CSV or XLSX, base64 (RPC carries JSON); suppressed when it leaves a centre."""
        with self.read_model.transaction() as cur:
            content = reports.daily_register_file(cur, fmt, site, since, until, external)
        return base64.b64encode(content).decode()

    @rpc
    def caseload(self, site=None):
        with self.read_model.transaction() as cur:
            return queries.caseload(cur, site)

    @rpc
    def coverage(self):
        with self.read_model.transaction() as cur:
            return published.coverage(cur)

    @rpc
    def referral_flow(self):
        with self.read_model.transaction() as cur:
            return published.referral_flow(cur)

    @rpc
    def regional_overview(self):
        with self.read_model.transaction() as cur:
            return published.regional_overview(cur)

    @rpc
    def targets(self, on=None):
        with self.read_model.transaction() as cur:
            return queries.targets(cur, date.fromisoformat(on) if on else date.today())

    @rpc
    def esf_indicators(self, operation=None, year=None, external=True):
        """Suppressed unless the caller says it stays in the centre (`external=False`)."""
        with self.read_model.transaction() as cur:
            return published.esf_indicators(cur, operation, year, external)

    @rpc
    def operation_codes(self):
        with self.read_model.transaction() as cur:
            return esf.operation_codes(cur)

    @rpc
    def esf_indicators_file(self, fmt: str, operation=None, year=None, external=True) -> str:
        with self.read_model.transaction() as cur:
            content = reports.esf_indicators_file(cur, fmt, operation, year, external)
        return base64.b64encode(content).decode()

    @rpc
    def consistency_report(self):
        """Every stream's head here against its source: the proof that all sites see one history."""
        projection = bootstrap.projection()
        sources = ServiceProxies(
            {"registries": self.registries, "intake": self.intake, "referrals": self.referrals}
        )
        return report(check(self.read_model, projection.name, projection.sources, sources))
