"""The reporting service over nameko: queries on its read models, and their consistency report."""
from __future__ import annotations

import base64
from datetime import date

from nameko.extensions import DependencyProvider
from nameko.rpc import RpcProxy, rpc

from services.common.consumer.consistency import check, report
from services.common.nameko_support import AnswersWhenReady, MetricsServer, ReadModelProvider, ServiceProxies
from services.reporting import exports, queries
from services.reporting.business_metrics import BusinessMetrics
from services.reporting.projections import esf
from services.reporting.projections.daily_activity import activity
from services.reporting.projections.model import ReportingModel


class BusinessMetricsProvider(DependencyProvider):
    """Registers the business metrics on this process's /metrics, read from the read model."""

    def setup(self):
        from prometheus_client import REGISTRY

        model = next(d for d in self.container.dependencies if isinstance(d, ReadModelProvider))
        self.collector = BusinessMetrics(lambda: model.db)  # its database, once it is open
        REGISTRY.register(self.collector)

    def stop(self):
        from prometheus_client import REGISTRY

        if self.collector is not None:
            REGISTRY.unregister(self.collector)
            self.collector = None

    kill = stop


class ReportingService(AnswersWhenReady):
    name = "reporting"
    read_model = ReadModelProvider(ReportingModel())
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
    def daily_register(self, site=None, since=None, until=None):
        with self.read_model.transaction() as cur:
            return queries.daily_register(cur, site, since, until)

    @rpc
    def daily_register_file(self, fmt: str, site=None, since=None, until=None, external=True) -> str:
        """The register as CSV or XLSX, base64 (RPC carries JSON); suppressed when it leaves a centre."""
        with self.read_model.transaction() as cur:
            lines = exports.register_table(queries.daily_register(cur, site, since, until), external)
        return base64.b64encode(exports.as_xlsx(lines) if fmt == "xlsx" else exports.as_csv(lines)).decode()

    @rpc
    def caseload(self, site=None):
        with self.read_model.transaction() as cur:
            return queries.caseload(cur, site)

    @rpc
    def coverage(self):
        with self.read_model.transaction() as cur:
            return queries.coverage(cur)

    @rpc
    def referral_flow(self):
        with self.read_model.transaction() as cur:
            return queries.referral_flow(cur)

    @rpc
    def targets(self, on=None):
        with self.read_model.transaction() as cur:
            return queries.targets(cur, date.fromisoformat(on) if on else date.today())

    @rpc
    def esf_indicators(self, operation=None, year=None):
        with self.read_model.transaction() as cur:
            return esf.esf_indicators(cur, operation, year)

    @rpc
    def operation_codes(self):
        with self.read_model.transaction() as cur:
            return esf.operation_codes(cur)

    @rpc
    def esf_indicators_file(self, fmt: str, operation=None, year=None, external=True) -> str:
        with self.read_model.transaction() as cur:
            lines = exports.esf_table(esf.esf_indicators(cur, operation, year), external, esf.operation_codes(cur))
        content = exports.as_xlsx(lines, "Δείκτες ΕΚΤ+") if fmt == "xlsx" else exports.as_csv(lines)
        return base64.b64encode(content).decode()

    @rpc
    def consistency_report(self):
        """Every stream's head here against its source: the proof that all sites see one history."""
        projection = ReportingModel()
        sources = ServiceProxies({"registries": self.registries, "intake": self.intake, "referrals": self.referrals})
        return report(check(self.read_model, projection.name, projection.sources, sources))
