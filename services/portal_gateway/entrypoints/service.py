"""The portal gateway over nameko HTTP: for now its health, so the platform can be watched."""
from __future__ import annotations

import json

from nameko.web.handlers import http

from services.common.nameko_support import MetricsServer


class PortalGateway:
    name = "portal_gateway"
    metrics = MetricsServer()

    @http("GET", "/health")
    def health(self, request):
        return 200, {"Content-Type": "application/json"}, json.dumps({"status": "ok"})
