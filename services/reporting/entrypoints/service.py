"""The reporting service over nameko: a centre's own figures (live, for its head only: the caller
says `external=False`), the releases of the figures that leave a centre (frozen, suppressed), and
the read model's consistency report."""

from __future__ import annotations

import base64
import functools
from datetime import date

from nameko.extensions import DependencyProvider

from services.common.clock import today_in_greece
from services.common.consumer import Consumer
from services.common.consumer.consistency import check, report
from services.common.consumer.operations import ReadModelOperations
from services.common.consumer.setup import personal_opener
from services.common.domain import DomainError
from services.common.nameko_support import (
    AnswersWhenReady,
    EventStoreProvider,
    MetricsServer,
    ReadModelProvider,
    RpcProxy,
    ScrapedCollector,
    ServiceProxies,
    ServiceSettings,
    rpc,
    settings_from,
)
from services.common.rpc_commands import CommandRejected
from services.reporting import bootstrap
from services.reporting.adapters import queries
from services.reporting.adapters.business_metrics import BusinessMetrics
from services.reporting.adapters.projections import esf
from services.reporting.adapters.projections.daily_activity import activity
from services.reporting.application import published, reports


class ReleasesProvider(DependencyProvider):
    """The releases, over this service's read model and its store of releases."""

    def setup(self):
        deps = self.container.dependencies
        self.model = next(d for d in deps if isinstance(d, ReadModelProvider))
        self.store = next(d for d in deps if isinstance(d, EventStoreProvider))

    def releases(self):
        model, store = getattr(self, "model", None), getattr(self, "store", None)
        db = model.db if model is not None else None
        events = store.store if store is not None else None
        if db is None or events is None:
            return None  # not set up or started yet (a metrics scrape can come that early)
        return bootstrap.releases(events, db)

    def get_dependency(self, worker_ctx):
        return self.releases()


class PseudonymsProvider(DependencyProvider):
    """Reporting's pseudonyms, to find a person's rows (KENTRA_REPORTING_KEY)."""

    def setup(self):
        self.pseudonyms = bootstrap.pseudonyms(settings_from(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.pseudonyms


def _answers(method):
    """A rule's refusal (a period not released yet, a bad period) as CommandRejected: its code
    survives the RPC (404, 422 at the gateway)."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except DomainError as exc:
            raise CommandRejected(exc.code, exc.message, exc.details) from exc

    return wrapper


def directory_names(registries) -> dict[str, str]:
    """Agency and programme id -> name, from the registries' directory as it stands."""
    found = {a["agency_id"]: a["name"] for a in registries.agencies()}
    return {**found, **{p["programme_id"]: p["name"] for p in registries.programmes()}}


def _inside(external: bool) -> None:
    if external:
        raise CommandRejected(
            "rule_violated",
            "figures that leave a centre are released per period: ask for a release",
        )


class ReportingService(AnswersWhenReady):
    name = "reporting"
    read_model = ReadModelProvider(bootstrap.open_model)
    release_store = EventStoreProvider(bootstrap.open_release_store, 2)
    pseudonyms = PseudonymsProvider()
    settings = ServiceSettings()
    releases = ReleasesProvider()
    metrics = MetricsServer()
    business = ScrapedCollector(  # the latest release's figures, read when scraped
        lambda c: BusinessMetrics(
            next(d for d in c.dependencies if isinstance(d, ReleasesProvider)).releases
        )
    )
    registries = RpcProxy("registries")
    intake = RpcProxy("intake")
    referrals = RpcProxy("referrals")

    # --- a centre's own figures: live, whole; the gateway asks only for a head's own network ----

    @rpc
    def daily_activity(self, site=None, external=True):
        _inside(external)
        with self.read_model.transaction() as cur:
            return activity(cur, site)

    @rpc
    def daily_register(self, site=None, since=None, until=None, external=True):
        _inside(external)
        with self.read_model.transaction() as cur:
            return queries.daily_register(cur, site, since, until)

    @rpc
    def daily_register_file(
        self, fmt: str, site=None, since=None, until=None, external=True
    ) -> str:
        """CSV or XLSX, base64 (RPC carries JSON)."""
        _inside(external)
        with self.read_model.transaction() as cur:
            content = reports.daily_register_file(cur, fmt, site, since, until)
        return base64.b64encode(content).decode()

    @rpc
    def held_about(self, beneficiary_ids: list[str]) -> dict[str, list[dict]]:
        """This read model's rows of one person (GDPR Art. 15); the gateway lets only the DPO ask."""
        with self.read_model.transaction() as cur:
            return queries.held_about(cur, beneficiary_ids, self.pseudonyms)

    @rpc
    def caseload(self, site=None, external=True):
        _inside(external)
        with self.read_model.transaction() as cur:
            return queries.caseload(cur, site)

    @rpc
    def targets(self, on=None, external=True):
        _inside(external)
        with self.read_model.transaction() as cur:
            return queries.targets(cur, date.fromisoformat(on) if on else today_in_greece())

    @rpc
    def esf_indicators(self, operation=None, year=None, external=True):
        _inside(external)
        with self.read_model.transaction() as cur:
            return esf.esf_indicators(cur, operation, year)

    @rpc
    def esf_indicators_file(self, fmt: str, operation=None, year=None, external=True) -> str:
        _inside(external)
        with self.read_model.transaction() as cur:
            content = reports.esf_indicators_file(cur, fmt, operation, year)
        return base64.b64encode(content).decode()

    @rpc
    def operation_codes(self):
        with self.read_model.transaction() as cur:
            return esf.operation_codes(cur)

    # --- what leaves a centre: read from the period's frozen release -----------------------------

    @rpc
    @_answers
    def release(self, family: str, period=None):
        """A whole release as recorded (`regional`: a month, `esf`: a year)."""
        return self.releases.get(family, period)

    @rpc
    @_answers
    def released_register(self, period=None, site=None):
        return published.register(self.releases.get("regional", period), site)

    @rpc
    @_answers
    def released_register_file(self, fmt: str, period=None, site=None) -> str:
        view = published.register(self.releases.get("regional", period), site)
        return base64.b64encode(reports.released_register_file(view, fmt)).decode()

    @rpc
    @_answers
    def released_esf(self, year=None, operation=None):
        return published.esf(self.releases.get("esf", year and str(year)), operation)

    @rpc
    @_answers
    def released_esf_file(self, fmt: str, year=None, operation=None) -> str:
        view = published.esf(self.releases.get("esf", year and str(year)), operation)
        with self.read_model.transaction() as cur:
            mis = esf.operation_codes(cur)
        return base64.b64encode(reports.released_esf_file(view, mis, fmt)).decode()

    @rpc
    @_answers
    def coverage(self, period=None):
        return published.coverage(self.releases.get("regional", period))

    @rpc
    @_answers
    def referral_flow(self, period=None):
        release = self.releases.get("regional", period)
        return published.referral_flow(release, directory_names(self.registries))

    @rpc
    @_answers
    def regional_overview(self, period=None):
        return published.regional_overview(self.releases.get("regional", period))

    @rpc
    @_answers
    def released_targets(self, period=None):
        with self.read_model.transaction() as cur:
            operations = queries.operations(cur)
        return published.released_targets(self.releases, operations, period)

    @rpc
    def consistency_report(self):
        """Every stream's head here against its source: the proof that all sites see one history."""
        projection = bootstrap.projection()
        sources = ServiceProxies(
            {"registries": self.registries, "intake": self.intake, "referrals": self.referrals}
        )
        return report(check(self.read_model, projection.name, projection.sources, sources))

    # --- the read model's dead letters, for ops (the portal's ops pages; the same steps as the
    # consumer's command line, over the same tables, under the same checkpoint locks) -------------

    @rpc
    def dead_letters(self) -> list[dict]:
        return self._operations().dead_letters()

    @rpc
    def retry_dead_letters(self, by: str) -> dict:
        return self._operations().retry(by)

    @rpc
    def discard_dead_letter(self, letter_id: int, reason: str, by: str) -> bool:
        return self._operations().discard(letter_id, reason, by)

    def _operations(self) -> ReadModelOperations:
        projection = bootstrap.projection(self.settings)  # one that applies: a retry applies
        sources = ServiceProxies(
            {"registries": self.registries, "intake": self.intake, "referrals": self.referrals}
        )
        opener = personal_opener(self.settings, projection)
        return ReadModelOperations(Consumer(projection, self.read_model, sources, opener=opener))
