"""The reports as files: which rows, suppressed or not, in which format. The entrypoint only
opens the transaction and encodes the bytes for RPC."""

from __future__ import annotations

from services.reporting.adapters import exports, queries
from services.reporting.adapters.projections import esf


def daily_register_file(
    cur, fmt: str, site: str | None, since: str | None, until: str | None, external: bool
) -> bytes:
    """Suppressed when it leaves a centre (`external`)."""
    lines = exports.register_table(queries.daily_register(cur, site, since, until), external)
    return exports.as_xlsx(lines) if fmt == "xlsx" else exports.as_csv(lines)


def esf_indicators_file(
    cur, fmt: str, operation: str | None, year: int | None, external: bool
) -> bytes:
    lines = exports.esf_table(
        esf.esf_indicators(cur, operation, year), external, esf.operation_codes(cur)
    )
    return exports.as_xlsx(lines, "Δείκτες ΕΚΤ+") if fmt == "xlsx" else exports.as_csv(lines)
