"""Open Referral HSDS 3.0, tabular form (a data package of CSV files), in and out.

An agency is an `organization`, with at most one `service` of its own (no `program_id`): the
offer a referral goes to. A programme is a `program` with at most one `service`. Where and for
what a service is: `service_area` rows (extent = the municipality's code, extent_type "text") and
`attribute` rows over our taxonomies (agency type, level, need, eligible group, and the figures
capacity, response days and active dates as values). Contact: `phone`, and a `location` for the
address. Kentra's own fields are attributes, never columns HSDS does not define.

What Kentra does not model travels with the record it belongs to (`hsds` on the description:
the rows as given, and which of them Kentra's fields were read from), so an export gives back
every table and column HSDS defines, with the ids it was given. The tables' schemas are HSDS's
own (`hsds_datapackage.json`, copied unmodified from openreferral/specification, CC BY-SA 4.0).

Reading never decides anything: it gives agency and programme descriptions and notices, or every
error with its file, row and field, so a malformed package is refused whole."""

from __future__ import annotations

import csv
import functools
import io
import json
import uuid
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path
from typing import Any

from contracts.directory import AGENCY_TYPES, LEVELS, NEEDS
from contracts.geography import known_municipality
from contracts.intake import VULNERABLE_GROUPS

IDS = uuid.UUID("7b0a9c1e-51f3-4d2a-8e7c-3f9d2b6a4c10")
FIGURES = ("capacity", "response_days", "active_from", "active_until")
TAXONOMIES = {
    "kentra-agency-type": AGENCY_TYPES,
    "kentra-level": LEVELS,
    "kentra-need": NEEDS,
    "kentra-group": VULNERABLE_GROUPS,
    "kentra-figure": FIGURES,
}
# our field -> (taxonomy, link_type) for listed terms, and the figures carried as attribute values
TERMS = {
    "agency_type": ("kentra-agency-type", "agency_type"),
    "level": ("kentra-level", "level"),
    "needs": ("kentra-need", "need"),
    "eligible_groups": ("kentra-group", "eligibility"),
}
KENTRA_LINK_TYPES = {link_type for _, link_type in TERMS.values()} | {"figure"}
# the columns Kentra reads; an HSDS column not listed here is optional and may be left out
READ_COLUMNS = {
    "organizations.csv": ["id", "name"],
    "programs.csv": ["id", "organization_id", "name"],
    "services.csv": ["id", "organization_id"],
    "service_areas.csv": ["id", "service_id", "extent"],
    "phones.csv": ["id", "number"],
    "taxonomy_terms.csv": ["id", "code"],
    "attributes.csv": ["id", "link_id", "taxonomy_term_id"],
}
REQUIRED = ("organizations.csv",)
# what earlier Kentra exports named the spec's service_at_location.csv
ALIASES = {"service_at_locations.csv": "service_at_location.csv"}


@functools.cache
def tabular() -> dict:
    """HSDS 3.0's own data package descriptor: every table, its columns, types and keys."""
    return json.loads((Path(__file__).with_name("hsds_datapackage.json")).read_text("utf-8"))


@functools.cache
def tables() -> dict[str, dict]:
    """file name -> its resource (name, description, schema) in HSDS's descriptor."""
    return {r["path"]: r for r in tabular()["resources"]}


def columns(path: str) -> list[str]:
    return [f["name"] for f in tables()[path]["schema"]["fields"]]


@functools.cache
def resource_paths() -> dict[str, str]:
    return {r["name"]: r["path"] for r in tabular()["resources"]}


def foreign_keys(path: str) -> list[tuple[str, str]]:
    """(column, file it points to) for each of a table's references."""
    keys = tables()[path]["schema"].get("foreignKeys", [])
    return [(k["fields"], resource_paths()[k["reference"]["resource"]]) for k in keys]


def _id(*parts) -> str:
    return str(uuid.uuid5(IDS, ":".join(str(p) for p in parts)))


def term_id(taxonomy: str, code: str) -> str:
    return _id("term", taxonomy, code)


def term_code(taxonomy: str, code: str) -> str:
    """HSDS wants a term's code unique in the package: "shelter" is an agency type and a need."""
    return f"{taxonomy}:{code}"


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # as a spreadsheet numbers it: the header is row 1
    field: str | None
    message: str


@dataclass(frozen=True)
class Notice:
    """What an import kept without using, left out, or assumed: told to whoever imports (the
    gateway words `code` in their language, with `params`)."""

    file: str
    row: int | None
    field: str | None
    code: str
    params: dict[str, Any] = default(default_factory=dict)


class PackageRejected(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the HSDS package")
        self.problems = problems


# --- export ------------------------------------------------------------------------------------


class Tables:
    """The package being written: file -> id -> row (column -> text, no empty cells)."""

    def __init__(self):
        self.rows: dict[str, dict[str, dict[str, str]]] = {path: {} for path in tables()}

    def put(self, path: str, row: dict) -> None:
        """Kentra's fields over what the row was given with: a change made in Kentra shows."""
        clean = {k: str(v) for k, v in row.items() if v is not None and v != ""}
        self.rows[path][clean["id"]] = {**self.rows[path].get(clean["id"], {}), **clean}

    def fill(self, path: str, row_id: str, values: dict) -> None:
        """Columns Kentra only has a stand-in for (a service's own name): the given one wins."""
        row = self.rows[path][row_id]
        for k, v in values.items():
            if v not in (None, "") and k not in row:
                row[k] = str(v)

    def where(self, path: str, **match) -> list[dict]:
        return [r for r in self.rows[path].values() if all(r.get(k) == v for k, v in match.items())]


def export(agencies: list[dict], programmes: list[dict]) -> dict[str, str]:
    """The registry as an HSDS 3.0 tabular package: file name -> CSV text (UTF-8, Greek intact)."""
    out = Tables()
    for record in [*agencies, *programmes]:
        for path, rows in kept(record)["rows"].items():
            for row in rows:
                out.put(path, row)
    _taxonomies(out)
    for a in agencies:
        record_rows(out, a, "agency")
    for p in programmes:
        record_rows(out, p, "programme")
    files = {path: _csv(columns(path), list(out.rows[path].values())) for path in tables()}
    files["datapackage.json"] = json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"
    return files


def kept(record: dict) -> dict:
    """What an import kept of a record (nothing for one described in Kentra)."""
    found = record.get("hsds") or {}
    return {"from": found.get("from", {}), "rows": found.get("rows", {})}


def default_ids(record: dict, kind: str) -> dict[str, str]:
    """The ids Kentra gives the rows it writes for a record described in Kentra."""
    owner = record["agency_id"] if kind == "agency" else record["programme_id"]
    return {
        "service": _id("service", owner),
        "phone": _id("phone", owner),
        "address": _id("location", owner),
    }


def record_rows(out: Tables, record: dict, kind: str) -> None:
    """Kentra's fields of one agency or programme, onto the rows they were read from."""
    ids = {**default_ids(record, kind), **kept(record)["from"]}
    organization = record["agency_id"]
    if kind == "agency":
        out.put(
            "organizations.csv",
            {
                "id": organization,
                "name": record["name"],
                # HSDS requires one; an agency described without one is described by its name
                "description": record["description"] or record["name"],
                "email": record.get("email"),
                "website": record.get("website"),
            },
        )
        if record.get("agency_type"):
            _attribute(out, organization, "organization", "agency_type", record["agency_type"])
        if record.get("phone"):
            out.put(
                "phones.csv",
                {"id": ids["phone"], "organization_id": organization, "number": record["phone"]},
            )
    else:
        out.put(
            "programs.csv",
            {
                "id": record["programme_id"],
                "organization_id": organization,
                "name": record["name"],
                "description": record["description"] or record["name"],
            },
        )
    if ids["service"] is not None:
        _service(out, record, ids["service"], kind)
    if kind == "agency" and record.get("address"):
        _address(out, record, ids)


def _address(out: Tables, record: dict, ids: dict) -> None:
    given = ids["address"] in out.rows["locations.csv"]
    out.put(
        "locations.csv",
        {
            "id": ids["address"],
            "organization_id": record["agency_id"],
            "description": record["address"],
        },
    )
    out.fill("locations.csv", ids["address"], {"location_type": "physical", "name": record["name"]})
    if not given and ids["service"] is not None:
        out.put(
            "service_at_location.csv",
            {
                "id": _id("sal", ids["service"]),
                "service_id": ids["service"],
                "location_id": ids["address"],
            },
        )


def _service(out: Tables, offer: dict, service: str, kind: str) -> None:
    out.put(
        "services.csv",
        {
            "id": service,
            "organization_id": offer["agency_id"],
            "program_id": offer.get("programme_id"),
            "eligibility_description": offer["eligibility_text"],
            "minimum_age": offer.get("min_age"),
            "maximum_age": offer.get("max_age"),
        },
    )
    out.fill(
        "services.csv",
        service,
        {
            "name": offer["name"],
            "description": offer["description"],
            "status": "active" if not offer.get("active_until") else "inactive",
        },
    )
    _areas(out, offer, service)
    _attribute(out, service, "service", "level", offer["level"])
    for field_ in ("needs", "eligible_groups"):
        for code in offer[field_]:
            _attribute(out, service, "service", field_, code)
    for figure in FIGURES:
        if offer.get(figure) is not None:
            out.put(
                "attributes.csv",
                {
                    "id": _id("attr", service, figure),
                    "link_id": service,
                    "link_type": "figure",
                    "link_entity": "service",
                    "taxonomy_term_id": term_id("kentra-figure", figure),
                    "value": offer[figure],
                },
            )


def _areas(out: Tables, offer: dict, service: str) -> None:
    """The municipalities served, each an area; areas given otherwise (a geometry, a text that is
    no municipality code) stay as given. An area of a municipality no longer served goes."""
    areas = out.where("service_areas.csv", service_id=service)
    for area in areas:
        if (
            is_municipality_code(area.get("extent", ""))
            and area["extent"] not in offer["municipalities"]
        ):
            del out.rows["service_areas.csv"][area["id"]]
    given = {a.get("extent") for a in areas}
    for i, code in enumerate(offer["municipalities"]):
        if code not in given:
            out.put(
                "service_areas.csv",
                {
                    "id": _id("area", service, i),
                    "service_id": service,
                    "name": known_municipality(code).name_el,
                    "extent": code,
                    "extent_type": "text",
                },
            )


def is_municipality_code(extent: str) -> bool:
    """A municipality's code is all digits (Ministry of Interior): a typo in one is an error, any
    other extent (a geometry, a place named in words) is an area Kentra keeps but cannot route by."""
    return extent.isdigit()


def _attribute(out: Tables, link: str, entity: str, field_: str, code: str) -> None:
    taxonomy, link_type = TERMS[field_]
    out.put(
        "attributes.csv",
        {
            "id": _id("attr", link, taxonomy, code),
            "link_id": link,
            "link_type": link_type,
            "link_entity": entity,
            "taxonomy_term_id": term_id(taxonomy, code),
        },
    )


def kentra_taxonomy_rows() -> dict[str, list[dict]]:
    """Our vocabularies as HSDS taxonomies: the same rows in every package Kentra writes."""
    taxonomies, terms = [], []
    for taxonomy, codes in TAXONOMIES.items():
        taxonomies.append(
            {"id": _id("taxonomy", taxonomy), "name": taxonomy, "description": "Kentra vocabulary"}
        )
        terms += [
            {
                "id": term_id(taxonomy, c),
                "code": term_code(taxonomy, c),
                "name": c,
                "description": f"{taxonomy}: {c}",
                "taxonomy": taxonomy,
                "taxonomy_id": _id("taxonomy", taxonomy),
            }
            for c in codes
        ]
    return {"taxonomies.csv": taxonomies, "taxonomy_terms.csv": terms}


def _taxonomies(out: Tables) -> None:
    for path, rows in kentra_taxonomy_rows().items():
        for row in rows:
            out.put(path, row)


def _csv(names: list[str], table: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: r.get(k, "") for k in names} for r in table)
    return out.getvalue()


def datapackage() -> dict:
    """HSDS's descriptor (its table schemas, so a validator checks types, keys and references),
    named as ours."""
    spec = tabular()
    return {
        "name": "kentra-peloponnese-directory",
        "title": "Kentra: agencies and programmes of the Peloponnese Community Centres network",
        "description": "Agencies (Φορείς) and programmes of the Peloponnese Community Centres "
        "network, as Open Referral HSDS 3.0",
        "profile": "tabular-data-package",
        "version": spec["version"],
        "homepage": spec["homepage"],
        "licenses": [{"name": "CC-BY-SA-4.0", "path": spec["license"]["url"]}],
        "resources": [{**r, "encoding": "utf-8"} for r in spec["resources"]],
    }
