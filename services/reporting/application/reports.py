"""The reports as files: a centre's own (live) or a release's (frozen, suppressed), in a format.
The entrypoint only opens the transaction and encodes the bytes for RPC."""

from __future__ import annotations

from services.common.spreadsheets import as_csv, as_xlsx
from services.reporting.adapters import exports, queries
from services.reporting.adapters.projections import esf


def _file(lines: list[list], fmt: str, title: str) -> bytes:
    return as_xlsx(lines, title) if fmt == "xlsx" else as_csv(lines)


def daily_register_file(
    cur, fmt: str, site: str | None, since: str | None, until: str | None
) -> bytes:
    """A centre's own register: never leaves the centre."""
    lines = exports.register_table(queries.daily_register(cur, site, since, until))
    return _file(lines, fmt, "Ημερήσιο μητρώο")


def released_register_file(view: dict, fmt: str) -> bytes:
    return _file(exports.released_register_table(view), fmt, f"Μητρώο {view['period']}")


def esf_indicators_file(cur, fmt: str, operation: str | None, year: int | None) -> bytes:
    """A centre's own indicators: never leave the centre."""
    lines = exports.esf_table(esf.esf_indicators(cur, operation, year), esf.operation_codes(cur))
    return _file(lines, fmt, "Δείκτες ΕΚΤ+")


def released_esf_file(view: dict, mis: dict[str, str], fmt: str) -> bytes:
    lines = exports.esf_table(view["operations"], mis, released=True)
    return _file(lines, fmt, f"Δείκτες ΕΚΤ+ {view['period']}")
