"""The portal's own script files under /static/: what the pages load with script-src 'self' (no
script is inline, no CDN). `vendor/` holds the built files of npm packages, copied there by
scripts/bootstrap from tools/portal-assets (pinned by its package-lock.json); the rest is ours."""

from __future__ import annotations

from pathlib import Path

from werkzeug.wrappers import Response

FOLDER = Path(__file__).parent / "static"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def serve(name: str) -> Response:
    """A file of the folder by its relative name; anything else (another type, a path that leaves
    the folder, a vendor file bootstrap has not copied) is a plain 404."""
    found = (FOLDER / name).resolve()
    kind = TYPES.get(found.suffix)
    if kind is None or not found.is_relative_to(FOLDER.resolve()) or not found.is_file():
        return Response("", status=404, headers={"X-Content-Type-Options": "nosniff"})
    return Response(
        found.read_bytes(),
        headers={
            "Content-Type": kind,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "public, max-age=3600",  # no personal data: the same for everyone
        },
    )
