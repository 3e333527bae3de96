"""The portal gateway over nameko HTTP: it authenticates, authorises, turns HTTP into commands and
RPC, and composes read models. It never decides a domain rule: the services do."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from nameko.timer import timer
from werkzeug.wrappers import Response

from contracts.network import CHANGES as NETWORK_CHANGES
from services.common.consumer import Consumer
from services.common.consumer.operations import ReadModelOperations
from services.common.nameko_outages import Readiness
from services.common.nameko_support import (
    EventStoreProvider,
    MetricsServer,
    ReadModelProvider,
    RpcProxy,
    ServiceProxies,
    ServiceSettings,
)
from services.common.outages import RETRY_AFTER
from services.common.registry_facts import RegistryFactsKept
from services.portal_gateway import bootstrap
from services.portal_gateway.adapters.accounts import Accounts
from services.portal_gateway.adapters.audit import Audit
from services.portal_gateway.adapters.emergency import EmergencyGrants
from services.portal_gateway.adapters.ingest_store import IngestStore
from services.portal_gateway.adapters.login_attempts import LoginAttempts
from services.portal_gateway.adapters.publishers import Publishers
from services.portal_gateway.adapters.read_models import read_models
from services.portal_gateway.adapters.sessions import Sessions
from services.portal_gateway.application import municipal_events
from services.portal_gateway.application.authentication import Authentication
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.access_log import http
from services.portal_gateway.entrypoints.api import ROUTES
from services.portal_gateway.entrypoints.api.framework import (
    ApiError,
    FileBody,
    answer_headers,
    api_router,
    dispatch,
)
from services.portal_gateway.entrypoints.municipal_consumer import (
    DEAD_LETTERS,
    backoff,
    municipal_messages,
)
from services.portal_gateway.entrypoints.web import mobile_app, pages, static_files

log = logging.getLogger(__name__)

# an API answer may hold personal data: never cached, never framed, never sniffed as something else
JSON = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
ROUTER = api_router(ROUTES)
ALL_METHODS = "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS,TRACE"


@dataclass
class Backends:
    registries: object
    intake: object
    referrals: object
    reporting: object
    audit: Audit
    accounts: Accounts
    publishers: Publishers
    authentication: Authentication
    ingest: IngestStore
    timeline_db: object
    emergency: EmergencyGrants
    read_models: (
        dict  # consumer name -> its read model's operations, for ops (adapters/read_models.py)
    )
    offline_days: int = 7  # the offline outbox's window (domain/offline.py)


class SitesKept(RegistryFactsKept):
    """The network's sites and their staff (who shares whose files, and names for pages), kept
    until the registry says the network changed (services/common/registry_facts.py): a unit moved
    to another centre moves access at once, where a 30 s cache kept the old network's access."""

    def __init__(self):
        super().__init__(methods=("network",), changes=NETWORK_CHANGES)

    def get(self, registries) -> list[dict]:
        return self.of(registries).network()["sites"]


class PortalGateway:
    name = "portal_gateway"
    store = EventStoreProvider(bootstrap.open_store)  # the audit of reads, and accounts
    timeline_db = ReadModelProvider(bootstrap.open_timeline)
    metrics = MetricsServer()
    settings = ServiceSettings()
    registries = RpcProxy("registries")
    intake = RpcProxy("intake")
    referrals = RpcProxy("referrals")
    reporting = RpcProxy("reporting")
    sites = SitesKept()
    readiness = Readiness()

    def backends(self) -> Backends:
        return Backends(
            self.registries,
            self.intake,
            self.referrals,
            self.reporting,
            Audit(self.store),
            Accounts(self.store.db),
            Publishers(self.store.db),
            self.authentication(),
            bootstrap.ingest_store(self.store.db, self.settings),
            self.timeline_db,
            EmergencyGrants(self.store),
            read_models(self.timeline_operations(), self.reporting),
            self.settings.offline_days,
        )

    def timeline_operations(self) -> ReadModelOperations:
        """The timeline's consumer over the gateway's own connections (its sources over RPC):
        what its command line does to dead letters, done from the ops pages."""
        sources = ServiceProxies(
            {"registries": self.registries, "intake": self.intake, "referrals": self.referrals}
        )
        consumer = Consumer(bootstrap.timeline(self.settings), self.timeline_db, sources)
        return ReadModelOperations(consumer)

    def authentication(self) -> Authentication:
        db, secret = self.store.db, self.settings.token_secret
        return Authentication(
            Accounts(db), Sessions(db), LoginAttempts(db, secret), Audit(self.store), secret
        )

    def authenticate(self, request, mode: str):
        if mode == "none":
            return None
        if mode == "api_key":
            found = Publishers(self.store.db).by_key(request.headers.get("X-API-Key", ""))
            return self.publisher_principal(found.name, found.site)
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise ApiError(401, "api_log_in")
        return self.principal(header.removeprefix("Bearer ").strip())

    def publisher_principal(self, name: str, site: str) -> access.Principal:
        """A municipal publisher speaks for its centre: it records for the people its centre's
        network knows."""
        network = access.network_of(site, self.sites.get(self.registries))
        return access.Principal(name, "municipal_system", site, network=network)

    def active_publisher(self, name: str) -> access.Principal | None:
        """The broker's user, as the registry of municipal publishers says at this moment."""
        found = Publishers(self.store.db).find(name)
        return self.publisher_principal(found.name, found.site) if found and found.active else None

    @municipal_messages()
    def municipal_event(self, message: municipal_events.Message, deliveries: int) -> dict:
        """One message from `municipal.events`: applied once or refused with its reasons (acked
        either way); a failure to process it at all is redelivered after a pause (nameko
        requeues what raises), and dead-lettered by the broker after its delivery limit."""
        try:
            outcome = municipal_events.receive_message(
                self.backends(), message, self.active_publisher
            )
        except Exception as exc:
            wait = backoff(deliveries)
            # the body (and an error's text) may hold personal data: the log names the message
            # and the kind of failure, never a content
            log.error(
                "municipal event from %s (%s) not processed (%s), delivery %d: again in %.0f s",
                message.user_id,
                message.routing_key,
                type(exc).__name__,
                deliveries + 1,
                wait,
            )
            time.sleep(wait)
            raise
        log.info("municipal event from %s: %s", message.user_id, outcome["status"])
        return outcome

    @municipal_messages(queue=DEAD_LETTERS)
    def municipal_dead_letter(self, message: municipal_events.Message, deliveries: int) -> dict:
        """What the broker gave up on after the delivery limit, kept with the refused events
        (GET /ingest/rejected, the portal's page); requeued after a pause if even that fails."""
        try:
            return municipal_events.dead_lettered(self.backends(), message)
        except Exception as exc:
            log.error("dead-lettered municipal event not kept (%s)", type(exc).__name__)
            time.sleep(backoff(deliveries))
            raise

    def principal(self, token: str) -> access.Principal:
        """Whom a token speaks for at this moment: its session open, its account active, with
        the role, site and agency the account has now (the API and the portal alike)."""
        session = self.authentication().who(token)
        site = session.site
        network = access.network_of(site, self.sites.get(self.registries)) if site else frozenset()
        return access.Principal(
            session.username,
            session.role,
            site,
            session.agency_id,
            network,
            session.session_id,
        )

    @timer(interval=3600, eager=True)
    def forget_expired_refused_events(self):
        """Refused municipal events go after the retention period: hourly, so a quiet publisher's
        old rows go too (a sweep on each write would wait for the next refusal)."""
        bootstrap.ingest_store(self.store.db, self.settings).forget_expired()

    # every method, so that one the path does not take is the API's JSON 405 with Allow (and an
    # unknown path its JSON 404), never the HTML of the HTTP server's own
    @http(ALL_METHODS, "/api/v1")
    @http(ALL_METHODS, "/api/v1/<path:path>")
    def api(self, request, path=""):
        status, body = dispatch(request, self.backends(), self.authenticate, ROUTER)
        if isinstance(body, FileBody):  # bytes: nameko's tuple form takes text only
            return Response(
                body.content,
                status=status,
                content_type=body.content_type,
                headers={"Content-Disposition": f'attachment; filename="{body.filename}"'},
            )
        headers = {**JSON, **answer_headers(status, body)}
        return status, headers, json.dumps(body, ensure_ascii=False, default=str)

    @http("GET", "/health")
    def health(self, request):
        """Readiness: 200 when the database and the broker answer now, else 503 naming what is
        missing (`{"status": "unavailable", "missing": ["broker"]}`), with Retry-After: a load
        balancer sends this instance no request it could not serve. The process itself is fine:
        it reconnects by itself, so a liveness probe asks /health/live, never this."""
        missing = self.readiness.missing()
        if not missing:
            return 200, JSON, json.dumps({"status": "ok"})
        body = json.dumps({"status": "unavailable", "missing": missing})
        return 503, {**JSON, "Retry-After": str(RETRY_AFTER)}, body

    @http("GET", "/health/live")
    def live(self, request):
        """Liveness: the process runs and answers HTTP, whatever its dependencies do (a restart
        would not bring a database or a broker back)."""
        return 200, JSON, json.dumps({"status": "ok"})

    @http("GET", "/static/<path:name>")
    def static(self, request, name):
        return static_files.serve(name)

    @http("GET", "/mobile")
    def mobile_app_address(self, request):
        return Response("", status=308, headers={"Location": "/mobile/"})

    @http("GET", "/mobile/")
    def mobile_app_shell(self, request):
        return mobile_app.serve("")

    @http("GET", "/mobile/<path:name>")
    def mobile_app_file(self, request, name):
        return mobile_app.serve(name)

    @http("GET,POST", "/")
    def home(self, request):
        return pages.handle(self, request, "")

    @http("GET,POST", "/<path:path>")
    def portal(self, request, path):
        status, headers, body = pages.handle(self, request, path)
        if isinstance(body, bytes):  # a report's download: nameko's tuple form takes text only
            return Response(body, status=status, headers=headers)
        return status, headers, body
