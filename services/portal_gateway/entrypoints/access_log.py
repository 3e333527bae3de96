"""The gateway's HTTP server: nameko's own, with an access log that never holds a query string.

nameko's WebServer runs eventlet's WSGI server, which logs every request line as it came
(`GET /search?q=<a name> HTTP/1.1`), and the standard library's request handler writes a malformed
one to stderr. Here eventlet logs nothing, the request handler's own lines are dropped, and one
line per request says the method, the path without its query, the status and the duration. A
query string may carry a name or an AMKA typed into the wrong place: it is never written down."""

from __future__ import annotations

import logging
import socket
import time

from eventlet import wsgi
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer
from werkzeug.routing import Map, PathConverter

from services.common import metrics

log = logging.getLogger("kentra.access")
MAX_PATH = 200  # an id in a path is fine; a path as long as a letter is cut short


def access_line(method: str, path: str, status: int | str, seconds: float) -> str:
    """What is written of one request: never its query, its headers or its body."""
    shown = path.split("?", 1)[0]
    shown = shown if len(shown) <= MAX_PATH else shown[:MAX_PATH] + "…"
    return f"{method} {shown} {status} {seconds * 1000:.1f}ms"


class QuietProtocol(HttpOnlyProtocol):
    """http.server's handler writes the whole request line to stderr when it refuses a malformed
    request (and when it answers one itself): say only that, and the status."""

    def log_request(self, code="-", size="-"):
        method = getattr(self, "command", None) or "-"
        log.info(access_line(method, getattr(self, "path", None) or "-", code, 0.0))

    def log_error(self, format, *args):  # noqa: A002 (http.server's signature)
        """Its line would quote the request; the status follows in log_request."""

    def log_message(self, format, *args):  # noqa: A002
        log.info("an HTTP request was refused before it reached the gateway")


class AccessLog:
    """WSGI middleware: one access line per request, once the answer is sent, and its status class
    counted for the availability SLO (kentra_http_requests_total)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started, status = time.monotonic(), ["-"]

        def starting(code, headers, exc_info=None):
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info)

        try:
            return self.app(environ, starting)
        except BaseException:
            status[0] = "500"  # eventlet answers it; the gateway's own log has said why
            raise
        finally:
            code = str(status[0])
            if code[:1].isdigit():  # "-": the client went before an answer began
                metrics.HTTP_REQUESTS.labels(f"{code[0]}xx").inc()
            # PATH_INFO is the path alone: the query is QUERY_STRING, never read here
            log.info(
                access_line(
                    environ.get("REQUEST_METHOD", "-"),
                    environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                    status[0],
                    time.monotonic() - started,
                )
            )


class AnyPath(PathConverter):
    """werkzeug's path, newlines (%0A) included: such a path reaches the route of its prefix (the
    API's JSON 404, the portal's page), not the HTTP server's own HTML 404."""

    regex = "[^/](?s:.*?)"


class GatewayWebServer(WebServer):
    def process_request(self, sock, address):
        # eventlet writes a response's headers and a large body in two sends: without NODELAY
        # Nagle holds the body until the client's delayed ACK of the headers, ~40 ms on every
        # keep-alive answer of 18 KB or more (issue 17: a 20-step timeline took 60 ms, not 12)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().process_request(sock, address)

    def make_url_map(self):
        url_map = Map(converters={"path": AnyPath})
        for provider in self._providers:
            rule = provider.get_url_rule()
            rule.endpoint = provider
            url_map.add(rule)
        return url_map

    def get_wsgi_app(self):
        return AccessLog(super().get_wsgi_app())

    def get_wsgi_server(self, sock, wsgi_app, protocol=QuietProtocol, debug=False):
        # log_output=False: eventlet's own lines quote the request line (access, discarded
        # bodies); a failure inside the application is logged by the gateway (framework.py)
        return wsgi.Server(
            sock,
            sock.getsockname(),
            wsgi_app,
            protocol=protocol,
            debug=debug,
            log_output=False,
        )


class HttpEntrypoint(HttpRequestHandler):
    server = GatewayWebServer()


http = HttpEntrypoint.decorator
