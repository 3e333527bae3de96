"""The mobile unit's offline app (clients/mobile, a PWA) as the gateway serves it at /mobile/: the
files scripts/bootstrap built into clients/mobile/dist. The app holds no personal data in what is
served here (the people come from the API, sealed on the device), so the files are the same for
everyone; they are revalidated on every load (`no-cache`) so that a new build's service worker is
found at once, and the worker's own precache keeps them for when there is no connection."""

from __future__ import annotations

from pathlib import Path

from werkzeug.wrappers import Response

FOLDER = Path(__file__).resolve().parents[4] / "clients" / "mobile" / "dist"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
}
# as the portal's pages (web/pages.py), and the app's own needs: its service worker, its calls to
# the API, its manifest; no inline script or style, nothing from another origin
POLICY = (
    "default-src 'self'; script-src 'self'; worker-src 'self'; connect-src 'self';"
    " style-src 'self'; img-src 'self' data:; manifest-src 'self'; frame-ancestors 'none';"
    " form-action 'self'; base-uri 'none'"
)


def serve(name: str) -> Response:
    """A built file by its name under /mobile/ (the shell for the app's own address); anything
    else, or an app bootstrap has not built, is a plain 404."""
    found = (FOLDER / (name or "index.html")).resolve()
    kind = TYPES.get(found.suffix)
    if kind is None or not found.is_relative_to(FOLDER) or not found.is_file():
        return Response("", status=404, headers={"X-Content-Type-Options": "nosniff"})
    return Response(
        found.read_bytes(),
        headers={
            "Content-Type": kind,
            "Content-Security-Policy": POLICY,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-cache",
        },
    )
