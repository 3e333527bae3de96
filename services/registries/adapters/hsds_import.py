"""Reading an HSDS 3.0 tabular package into agency and programme descriptions, or every problem
with its file, row and field (see hsds.py for the mapping). Nothing is stored here."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from marshmallow import ValidationError

from contracts.directory import AgencyDescribedV1, ProgrammeDescribedV1
from services.registries.adapters.hsds import (
    COLUMNS,
    FIGURES,
    REQUIRED,
    TERMS,
    PackageRejected,
    Problem,
)

TERM_FIELDS = {link_type: field_ for field_, (_, link_type) in TERMS.items()}
LISTS = ("needs", "eligible_groups")
SERVICE_COLUMNS = {
    "name": None,
    "description": None,
    "eligibility_text": "eligibility_description",
    "min_age": "minimum_age",
    "max_age": "maximum_age",
}


class Where:
    """Which file, row and column each of an offer's fields came from, to name them in an error."""

    def __init__(self):
        self.places: dict[str, tuple[str, int, str]] = {}
        self.items: dict[str, list[tuple[str, int, str]]] = defaultdict(list)

    def problems(self, messages: Any, fallback: tuple[str, int, str]) -> list[Problem]:
        found = []
        for field_, message in messages.items():
            if isinstance(message, dict):  # a list's item: {index: [messages]}
                for index, inner in message.items():
                    items = self.items.get(field_) or [fallback]
                    file, row, column = items[min(int(index), len(items) - 1)]
                    found.append(Problem(file, row, column, "; ".join(inner)))
                continue
            file, row, column = self.places.get(field_, fallback)
            found.append(Problem(file, row, column, f"{field_}: {'; '.join(message)}"))
        return found


def read_package(files: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """(agencies, programmes) as contract-loaded dicts; raises PackageRejected naming every problem."""
    problems: list[Problem] = []
    tables = {name: _table(name, files.get(name), problems) for name in COLUMNS}
    if problems:
        raise PackageRejected(problems)
    terms = {r["id"]: (r["code"], r["_row"]) for r in tables["taxonomy_terms.csv"]}
    organizations = {r["id"]: r for r in tables["organizations.csv"]}
    programs = {r["id"]: r for r in tables["programs.csv"]}
    problems += [
        Problem("programs.csv", r["_row"], "organization_id", "no such organization in the package")
        for r in programs.values()
        if r["organization_id"] not in organizations
    ]
    services, by_owner = {}, {}
    for r in tables["services.csv"]:
        owner = r["program_id"] or r["organization_id"]
        if r["organization_id"] not in organizations:
            problems.append(
                Problem("services.csv", r["_row"], "organization_id", "no such organization")
            )
        elif r["program_id"] and r["program_id"] not in programs:
            problems.append(Problem("services.csv", r["_row"], "program_id", "no such program"))
        services[r["id"]], by_owner[owner] = r, r
    offers = {sid: _offer(s) for sid, s in services.items()}
    for r in tables["service_areas.csv"]:
        if r["service_id"] not in offers:
            problems.append(
                Problem("service_areas.csv", r["_row"], "service_id", "no such service")
            )
            continue
        offer, where = offers[r["service_id"]]
        offer["municipalities"].append(r["extent"])
        where.items["municipalities"].append(("service_areas.csv", r["_row"], "extent"))
    agency_types: dict[str, str] = {}
    for r in tables["attributes.csv"]:
        problems += _attribute(r, terms, offers, organizations, agency_types)
    for r in tables["phones.csv"]:
        organizations.get(r["organization_id"], {})["_phone"] = r["number"]
    for r in tables["locations.csv"]:
        organizations.get(r["organization_id"], {})["_address"] = r["description"]

    agencies, programmes = [], []
    for org_id, org in organizations.items():
        if org_id not in by_owner:
            problems.append(
                Problem(
                    "organizations.csv",
                    org["_row"],
                    "id",
                    "the organization has no service of its "
                    "own (a service without program_id): where would a referral go?",
                )
            )
            continue
        offer, where = offers[by_owner[org_id]["id"]]
        where.places.update(
            {
                "name": ("organizations.csv", org["_row"], "name"),
                "email": ("organizations.csv", org["_row"], "email"),
                "website": ("organizations.csv", org["_row"], "website"),
            }
        )
        details = {
            **offer,
            "agency_id": org_id,
            "name": org["name"],
            "description": org["description"],
            "agency_type": agency_types.get(org_id),
            "email": org["email"] or None,
            "website": org["website"] or None,
            "phone": org.get("_phone"),
            "address": org.get("_address"),
        }
        agencies.append(
            _load(
                AgencyDescribedV1,
                details,
                where,
                ("organizations.csv", org["_row"], None),
                problems,
            )
        )
    for program_id, program in programs.items():
        if program_id not in by_owner:
            problems.append(
                Problem("programs.csv", program["_row"], "id", "the program has no service")
            )
            continue
        offer, where = offers[by_owner[program_id]["id"]]
        details = {
            **offer,
            "programme_id": program_id,
            "agency_id": program["organization_id"],
            "name": program["name"],
            "description": program["description"],
        }
        where.places["name"] = ("programs.csv", program["_row"], "name")
        programmes.append(
            _load(
                ProgrammeDescribedV1,
                details,
                where,
                ("programs.csv", program["_row"], None),
                problems,
            )
        )
    if problems:
        raise PackageRejected(problems)
    return agencies, programmes


def _table(name: str, text: str | None, problems: list[Problem]) -> list[dict]:
    if text is None:
        if name in REQUIRED:
            problems.append(Problem(name, None, None, "the file is missing from the package"))
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS[name] if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(Problem(name, 1, missing[0], f"missing column(s): {', '.join(missing)}"))
        return []
    rows: list[dict[str, Any]] = []
    for number, row in enumerate(reader, start=2):
        if None in row:  # more cells than the header has columns
            problems.append(Problem(name, number, None, "more cells than columns"))
        rows.append({**{k: (v or "").strip() for k, v in row.items() if k}, "_row": number})
    ids = [r["id"] for r in rows]
    problems += [
        Problem(name, r["_row"], "id", "the same id twice")
        for i, r in enumerate(rows)
        if r["id"] in ids[:i]
    ]
    problems += [Problem(name, r["_row"], "id", "an id is required") for r in rows if not r["id"]]
    return rows


def _offer(service: dict) -> tuple[dict, Where]:
    where = Where()
    offer: dict[str, Any] = {"municipalities": [], "needs": [], "eligible_groups": []}
    for field_, column in SERVICE_COLUMNS.items():
        value = service[column or field_]
        offer[field_] = value if value or field_ in ("description", "eligibility_text") else None
        where.places[field_] = ("services.csv", service["_row"], column or field_)
    return offer, where


def _attribute(
    r: dict, terms: dict, offers: dict, organizations: dict, agency_types: dict
) -> list[Problem]:
    if r["taxonomy_term_id"] not in terms:
        return [Problem("attributes.csv", r["_row"], "taxonomy_term_id", "no such taxonomy term")]
    code = terms[r["taxonomy_term_id"]][0]
    if r["link_type"] == "agency_type":
        if r["link_id"] not in organizations:
            return [Problem("attributes.csv", r["_row"], "link_id", "no such organization")]
        agency_types[r["link_id"]] = code
        return []
    if r["link_id"] not in offers:
        return [Problem("attributes.csv", r["_row"], "link_id", "no such service")]
    offer, where = offers[r["link_id"]]
    place = (
        "attributes.csv",
        r["_row"],
        "value" if r["link_type"] == "figure" else "taxonomy_term_id",
    )
    if r["link_type"] == "figure" and code in FIGURES:
        offer[code] = r["value"] or None
        where.places[code] = place
    elif r["link_type"] in TERM_FIELDS:
        field_ = TERM_FIELDS[r["link_type"]]
        if field_ in LISTS:
            offer[field_].append(code)
            where.items[field_].append(place)
        else:
            offer[field_] = code
            where.places[field_] = place
    else:
        return [
            Problem(
                "attributes.csv", r["_row"], "link_type", f"unknown link_type {r['link_type']!r}"
            )
        ]
    return []


def _load(schema, details: dict, where: Where, fallback, problems: list[Problem]) -> dict[str, Any]:
    try:
        return schema().load({k: v for k, v in details.items() if v is not None})
    except ValidationError as exc:
        problems += where.problems(exc.messages, fallback)
        return {}
