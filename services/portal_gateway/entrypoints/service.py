"""The portal gateway over nameko HTTP: it authenticates, authorises, turns HTTP into commands and
RPC, and composes read models. It never decides a domain rule: the services do."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from nameko.extensions import DependencyProvider
from nameko.rpc import RpcProxy
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from services.common.nameko_support import (
    EventStoreProvider,
    MetricsServer,
    ReadModelProvider,
    ServiceSettings,
)
from services.portal_gateway import bootstrap
from services.portal_gateway.adapters.accounts import Accounts, Unauthenticated, verify_token
from services.portal_gateway.adapters.audit import Audit
from services.portal_gateway.adapters.ingest_store import IngestStore
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api import ROUTES
from services.portal_gateway.entrypoints.api.framework import FileBody, api_router, dispatch
from services.portal_gateway.entrypoints.web import pages

# an API answer may hold personal data: never cached, never framed, never sniffed as something else
JSON = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
ROUTER = api_router(ROUTES)


@dataclass
class Backends:
    registries: object
    intake: object
    referrals: object
    reporting: object
    audit: Audit
    accounts: Accounts
    ingest: IngestStore
    timeline_db: object


class SitesCache(DependencyProvider):
    """The network's sites, asked of the registry at most every 30 s: who shares whose files."""

    def setup(self):
        self.sites, self.fetched = [], 0.0

    def get_dependency(self, worker_ctx):
        return self

    def get(self, registries) -> list[dict]:
        if time.monotonic() - self.fetched > 30:
            self.sites, self.fetched = registries.network()["sites"], time.monotonic()
        return self.sites


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
    sites = SitesCache()

    def backends(self) -> Backends:
        return Backends(
            self.registries,
            self.intake,
            self.referrals,
            self.reporting,
            Audit(self.store),
            Accounts(self.store.db, self.settings.token_secret),
            IngestStore(self.store.db),
            self.timeline_db,
        )

    def authenticate(self, request, mode: str):
        if mode == "none":
            return None
        if mode == "api_key":
            accounts = Accounts(self.store.db, self.settings.token_secret)
            found = accounts.publisher(request.headers.get("X-API-Key", ""))
            return access.Principal(
                found["publisher"],
                "municipal_system",
                site=found["site"],
                network=frozenset({found["site"]}),
            )
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Unauthenticated("log in first: Authorization: Bearer <token>")
        claims = verify_token(header.removeprefix("Bearer ").strip(), self.settings.token_secret)
        site = claims.get("site")
        network = access.network_of(site, self.sites.get(self.registries)) if site else frozenset()
        return access.Principal(
            claims["sub"], claims["role"], site, claims.get("agency_id"), network
        )

    @http("GET,POST", "/api/v1/<path:path>")
    def api(self, request, path):
        status, body = dispatch(request, self.backends(), self.authenticate, ROUTER)
        if isinstance(body, FileBody):  # bytes: nameko's tuple form takes text only
            return Response(
                body.content,
                status=status,
                content_type=body.content_type,
                headers={"Content-Disposition": f'attachment; filename="{body.filename}"'},
            )
        return status, JSON, json.dumps(body, ensure_ascii=False, default=str)

    @http("GET", "/health")
    def health(self, request):
        return 200, JSON, json.dumps({"status": "ok"})

    @http("GET,POST", "/")
    def home(self, request):
        return pages.handle(self, request, "")

    @http("GET,POST", "/<path:path>")
    def portal(self, request, path):
        return pages.handle(self, request, path)
