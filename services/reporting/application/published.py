"""The figures as they leave reporting: each view is read from one frozen release
(application/releases.py) and computes nothing that the release's shown cells do not already
give, so no view can tell more than the release. A sum that includes a hidden cell is hidden; a
rate of a hidden count is left out. A head of centre's own figures, which never leave the centre,
are read live instead (adapters/queries.py)."""

from __future__ import annotations

from datetime import date

from contracts.geography import municipalities
from services.reporting.domain import periods
from services.reporting.domain.disclosure import HIDDEN

REGISTER = ("new_beneficiaries", "contacts", "contacts_by_channel", "services")


def _about(release: dict) -> dict:
    return {
        "period": release["period"],
        "released_at": release["released_at"],
        "rule": release["rule"],
    }


def register(release: dict, site: str | None = None) -> dict:
    """The register's tables of a monthly release; for one site, that site's column."""
    tables = {name: release["tables"][name] for name in REGISTER}
    if site is not None:
        tables = {name: _column(t, site) for name, t in tables.items()}
    return {**_about(release), "site": site, "tables": tables}


def _column(table: dict, site: str) -> dict:
    return {
        "rows": {r: {site: cells.get(site, HIDDEN)} for r, cells in table["rows"].items()},
        "column_totals": {site: table["column_totals"].get(site, HIDDEN)},
    }


def coverage(release: dict) -> dict:
    """Per municipality: people newly registered who live there, per 1,000 residents (2021
    census), and the mobile units' contacts there."""
    homes, contacts = release["tables"]["new_beneficiaries"], release["tables"]["contacts"]
    found = []
    for code, m in municipalities().items():
        people = homes["row_totals"].get(code, HIDDEN)
        visits = _sum(
            v for site, v in contacts["rows"].get(code, {}).items() if site.startswith("MU-")
        )
        found.append(
            {
                "municipality_code": code,
                "name_el": m.name_el,
                "regional_unit": m.regional_unit,
                "population_2021": m.population_2021,
                "new_beneficiaries": people,
                "per_1000_residents": round(1000 * people / m.population_2021, 2)
                if people != HIDDEN and m.population_2021
                else None,
                "mobile_unit_contacts": visits,
            }
        )
    return {**_about(release), "municipalities": found}


def referral_flow(release: dict, names: dict[str, str] | None = None) -> dict:
    """Referrals sent in the month, by recipient and need: their outcomes as known at release.
    A release keeps each recipient's code; its name is the directory's now (`names`: code ->
    name), or the code itself (a centre, an external code). Releases made before codes were kept
    have the name in the row already."""
    table = release["tables"]["referrals_by_recipient"]
    medians = release["extras"]["referral_medians"]
    rows = []
    for row, cells in table["rows"].items():
        recipient, _, need = row.rpartition(" · ")
        accepted, rejected = cells["accepted"], cells["rejected"]
        answered = accepted + rejected if HIDDEN not in (accepted, rejected) else None
        rows.append(
            {
                "recipient_and_need": f"{(names or {}).get(recipient, recipient)} · {need}",
                "recipient_id": recipient,
                "sent": table["row_totals"][row],
                **cells,
                "acceptance_rate": round(accepted / answered, 3) if answered else None,
                **medians.get(row, {}),
            }
        )
    totals = {"sent": table["total"], **table["column_totals"]}  # released cells, as released
    return {**_about(release), "flow": rows, "totals": totals}


def regional_overview(release: dict) -> dict:
    t = release["tables"]
    return {
        **_about(release),
        "new_beneficiaries_by_site": t["new_beneficiaries"]["column_totals"],
        "contacts_by_site": t["contacts"]["column_totals"],
        "contacts_by_municipality": t["contacts"]["row_totals"],
        "referrals_by_site": t["referrals_by_site"]["row_totals"],
        "referrals": t["referrals_by_recipient"]["total"],
        "totals": {  # the region's, as released (a sum of the sites' would hide with any of them)
            "new_beneficiaries": t["new_beneficiaries"]["total"],
            "contacts": t["contacts"]["total"],
        },
        "response_times": release["extras"]["response_times"],
    }


def released_targets(releases, operations: list[dict], period: str | None = None) -> dict:
    """The targets from every month released since the earliest operation began, through
    `period` (the latest released month when not given)."""
    last = releases.get("regional", period)
    if not operations:
        return targets([last], [])
    first = date.fromisoformat(min(op["period_start"] for op in operations))
    return targets(releases.months(first, periods.parse(last["period"], "month")), operations)


def targets(months: list[dict], operations: list[dict]) -> dict:
    """Each operation's new beneficiaries (its centre and mobile unit) from the months released
    within its period, against its target: where a month's figure is hidden, only a lower bound
    (the shown months) is known, and that is what is given."""
    last = months[-1] if months else None
    found = []
    for op in operations:
        within = [
            m["tables"]["new_beneficiaries"].get("group_totals", {}).get(op["site"], HIDDEN)
            for m in months
            if op["period_start"] <= m["period_end"] and m["period_start"] <= op["period_end"]
        ]
        shown = sum(n for n in within if n != HIDDEN)
        exact = HIDDEN not in within
        found.append(
            {
                "site": op["site"],
                "operation_mis": op["operation_mis"],
                "period_start": op["period_start"],
                "period_end": op["period_end"],
                "target": op["target"],
                "new_beneficiaries": shown if exact else HIDDEN,
                "new_beneficiaries_at_least": shown,
                "months_hidden": sum(n == HIDDEN for n in within),
                "share_of_target": round(shown / op["target"], 3)
                if exact and op["target"]
                else None,
                "period_elapsed": _elapsed(op, last["period_end"]) if last else None,
            }
        )
    return {"released_through": last["period"] if last else None, "operations": found}


def _elapsed(operation: dict, through: str) -> float:
    """How much of the operation's period had passed by the end of the last released month: what
    its new beneficiaries so far are measured against."""
    start, end = (
        date.fromisoformat(operation["period_start"]),
        date.fromisoformat(operation["period_end"]),
    )
    passed = (date.fromisoformat(through) - start).days
    return round(min(max(passed / max((end - start).days, 1), 0), 1), 3)


def esf(release: dict, operation: str | None = None) -> dict:
    found = {
        name.split(":", 1)[1]: table
        for name, table in release["tables"].items()
        if name.startswith("esf:") and operation in (None, name.split(":", 1)[1])
    }
    return {**_about(release), "operations": found}


def _sum(values) -> int | str:
    values = list(values)
    return HIDDEN if HIDDEN in values else sum(values)
