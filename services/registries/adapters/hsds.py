"""Open Referral HSDS 3.0, tabular form (a data package of CSV files), in and out.

An agency is an `organization` with one `service` of its own (no `program_id`): the offer a
referral goes to. A programme is a `program` with its `service`. Where and for what a service
is: `service_area` rows (extent = the municipality's code, extent_type "text") and `attribute`
rows over our taxonomies (agency type, level, need, eligible group, and the figures capacity,
response days and active dates as values). Contact: `phone`, and a `location` for the address.

Reading never decides anything: it gives agency and programme descriptions, or every error with
its file, row and field, so a malformed package is refused whole."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass

from contracts.directory import AGENCY_TYPES, LEVELS, NEEDS
from contracts.geography import known_municipality
from contracts.intake import VULNERABLE_GROUPS

IDS = uuid.UUID("7b0a9c1e-51f3-4d2a-8e7c-3f9d2b6a4c10")
TAXONOMIES = {
    "kentra-agency-type": AGENCY_TYPES,
    "kentra-level": LEVELS,
    "kentra-need": NEEDS,
    "kentra-group": VULNERABLE_GROUPS,
    "kentra-figure": ("capacity", "response_days", "active_from", "active_until"),
}
# our field -> (taxonomy, link_type) for listed terms, and the figures carried as attribute values
TERMS = {
    "agency_type": ("kentra-agency-type", "agency_type"),
    "level": ("kentra-level", "level"),
    "needs": ("kentra-need", "need"),
    "eligible_groups": ("kentra-group", "eligibility"),
}
FIGURES = ("capacity", "response_days", "active_from", "active_until")
COLUMNS = {
    "organizations.csv": ["id", "name", "description", "email", "website"],
    "programs.csv": ["id", "organization_id", "name", "description"],
    "services.csv": [
        "id",
        "organization_id",
        "program_id",
        "name",
        "description",
        "status",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
    ],
    "service_areas.csv": ["id", "service_id", "name", "extent", "extent_type"],
    "locations.csv": ["id", "location_type", "organization_id", "name", "description"],
    "service_at_locations.csv": ["id", "service_id", "location_id"],
    "phones.csv": ["id", "organization_id", "number"],
    "taxonomies.csv": ["id", "name", "description"],
    "taxonomy_terms.csv": ["id", "code", "name", "taxonomy_id"],
    "attributes.csv": ["id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"],
}
RESOURCES = {
    "organizations.csv": "organization",
    "programs.csv": "program",
    "services.csv": "service",
    "service_areas.csv": "service_area",
    "locations.csv": "location",
    "service_at_locations.csv": "service_at_location",
    "phones.csv": "phone",
    "taxonomies.csv": "taxonomy",
    "taxonomy_terms.csv": "taxonomy_term",
    "attributes.csv": "attribute",
}
REQUIRED = (
    "organizations.csv",
    "services.csv",
    "service_areas.csv",
    "taxonomy_terms.csv",
    "attributes.csv",
)


def _id(*parts) -> str:
    return str(uuid.uuid5(IDS, ":".join(str(p) for p in parts)))


def term_id(taxonomy: str, code: str) -> str:
    return _id("term", taxonomy, code)


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # as a spreadsheet numbers it: the header is row 1
    field: str | None
    message: str


class PackageRejected(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the HSDS package")
        self.problems = problems


# --- export ------------------------------------------------------------------------------------


def export(agencies: list[dict], programmes: list[dict]) -> dict[str, str]:
    """The registry as an HSDS 3.0 tabular package: file name -> CSV text (UTF-8, Greek intact)."""
    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for taxonomy, codes in TAXONOMIES.items():
        rows["taxonomies.csv"].append(
            {"id": _id("taxonomy", taxonomy), "name": taxonomy, "description": "Kentra vocabulary"}
        )
        rows["taxonomy_terms.csv"] += [
            {
                "id": term_id(taxonomy, c),
                "code": c,
                "name": c,
                "taxonomy_id": _id("taxonomy", taxonomy),
            }
            for c in codes
        ]
    for a in agencies:
        org = a["agency_id"]
        rows["organizations.csv"].append(
            {
                "id": org,
                "name": a["name"],
                "description": a["description"],
                "email": a.get("email"),
                "website": a.get("website"),
            }
        )
        _attribute(rows, org, "organization", "agency_type", a["agency_type"])
        if a.get("phone"):
            rows["phones.csv"].append(
                {"id": _id("phone", org), "organization_id": org, "number": a["phone"]}
            )
        service = _service(rows, a, org, None)
        if a.get("address"):
            location = _id("location", org)
            rows["locations.csv"].append(
                {
                    "id": location,
                    "location_type": "physical",
                    "organization_id": org,
                    "name": a["name"],
                    "description": a["address"],
                }
            )
            rows["service_at_locations.csv"].append(
                {"id": _id("sal", service), "service_id": service, "location_id": location}
            )
    for p in programmes:
        rows["programs.csv"].append(
            {
                "id": p["programme_id"],
                "organization_id": p["agency_id"],
                "name": p["name"],
                "description": p["description"],
            }
        )
        _service(rows, p, p["agency_id"], p["programme_id"])
    files = {name: _csv(COLUMNS[name], table) for name, table in rows.items()}
    files["datapackage.json"] = json.dumps(_datapackage(), ensure_ascii=False, indent=2) + "\n"
    return files


def _service(rows, offer: dict, organization: str, program: str | None) -> str:
    service = _id("service", program or organization)
    rows["services.csv"].append(
        {
            "id": service,
            "organization_id": organization,
            "program_id": program,
            "name": offer["name"],
            "description": offer["description"],
            "status": "active" if not offer.get("active_until") else "inactive",
            "eligibility_description": offer["eligibility_text"],
            "minimum_age": offer.get("min_age"),
            "maximum_age": offer.get("max_age"),
        }
    )
    for i, code in enumerate(offer["municipalities"]):
        rows["service_areas.csv"].append(
            {
                "id": _id("area", service, i),
                "service_id": service,
                "name": known_municipality(code).name_el,
                "extent": code,
                "extent_type": "text",
            }
        )
    _attribute(rows, service, "service", "level", offer["level"])
    for field_ in ("needs", "eligible_groups"):
        for code in offer[field_]:
            _attribute(rows, service, "service", field_, code)
    for figure in FIGURES:
        if offer.get(figure) is not None:
            rows["attributes.csv"].append(
                {
                    "id": _id("attr", service, figure),
                    "link_id": service,
                    "link_type": "figure",
                    "link_entity": "service",
                    "taxonomy_term_id": term_id("kentra-figure", figure),
                    "value": offer[figure],
                }
            )
    return service


def _attribute(rows, link: str, entity: str, field_: str, code: str) -> None:
    taxonomy, link_type = TERMS[field_]
    rows["attributes.csv"].append(
        {
            "id": _id("attr", link, taxonomy, code),
            "link_id": link,
            "link_type": link_type,
            "link_entity": entity,
            "taxonomy_term_id": term_id(taxonomy, code),
            "value": None,
        }
    )


def _csv(columns: list[str], table: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if r.get(k) is None else r[k] for k in columns} for r in table)
    return out.getvalue()


def _datapackage() -> dict:
    return {
        "name": "kentra-peloponnese-directory",
        "profile": "tabular-data-package",
        "description": "Agencies (Φορείς) and programmes of the Peloponnese Community Centres network",
        "licenses": [{"name": "CC-BY-SA-4.0"}],
        "hsds_version": "3.0",
        "resources": [
            {
                "name": RESOURCES[name],
                "path": name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
            }
            for name in COLUMNS
        ],
    }
