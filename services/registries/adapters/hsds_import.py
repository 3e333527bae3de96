"""Reading an HSDS 3.0 tabular package into agency and programme descriptions and notices, or every
problem with its file, row and field (see hsds.py for the mapping). Nothing is stored here.

Every row of the package belongs to the organization or program it hangs from (through its
service, location, contact, phone or attribute); what Kentra does not model is kept on that
record's description (`hsds`), and what belongs to none is told as ignored, never dropped
silently."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from marshmallow import ValidationError

from contracts.directory import AgencyDescribedV1, ProgrammeDescribedV1
from services.registries.adapters import hsds
from services.registries.adapters.hsds import (
    ALIASES,
    FIGURES,
    KENTRA_LINK_TYPES,
    READ_COLUMNS,
    REQUIRED,
    TERMS,
    Notice,
    PackageRejected,
    Problem,
)

TERM_FIELDS = {link_type: field_ for field_, (_, link_type) in TERMS.items()}
LISTS = ("needs", "eligible_groups")
SERVICE_COLUMNS = {
    "eligibility_text": "eligibility_description",
    "min_age": "minimum_age",
    "max_age": "maximum_age",
}
# Kentra's own fields, when a package gives none (an HSDS package from elsewhere)
DEFAULTS: dict[str, Any] = {"level": "local", "needs": [], "municipalities": []}
# columns through which a row hangs from another, most telling first
LINKS = (
    "service_id",
    "service_at_location_id",
    "location_id",
    "organization_id",
    "program_id",
    "contact_id",
    "phone_id",
    "link_id",
    "resource_id",
    "taxonomy_id",
)


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


class Package:
    """The package's tables, read once, with the problems and notices found on the way."""

    def __init__(self, files: dict[str, str]):
        self.problems: list[Problem] = []
        self.notices: list[Notice] = []
        self.tables = self._read(files)
        self.by_id = {p: {r["id"]: r for r in rows} for p, rows in self.tables.items()}

    def _read(self, files: dict[str, str]) -> dict[str, list[dict]]:
        known = hsds.tables()
        texts: dict[str, str] = {}
        for name, text in files.items():
            if name == "datapackage.json":
                continue  # the descriptor: HSDS's own schemas are the ones read by
            path = ALIASES.get(name, name)
            if path not in known:
                self.notices.append(Notice(name, None, None, "hsds_not_a_table"))
                continue
            texts[path] = text
        for path in REQUIRED:
            if path not in texts:
                self.problems.append(
                    Problem(path, None, None, "the file is missing from the package")
                )
        return {path: self._table(path, text) for path, text in texts.items()}

    def _table(self, name: str, text: str) -> list[dict]:
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        missing = [c for c in READ_COLUMNS.get(name, ["id"]) if c not in header]
        if missing:
            self.problems.append(
                Problem(name, 1, missing[0], f"missing column(s): {', '.join(missing)}")
            )
            return []
        unknown = [c for c in header if c and c not in hsds.columns(name)]
        if unknown:
            self.notices.append(
                Notice(name, 1, unknown[0], "hsds_unknown_columns", {"columns": ", ".join(unknown)})
            )
        rows: list[dict[str, Any]] = []
        for number, row in enumerate(reader, start=2):
            if None in row:  # more cells than the header has columns
                self.problems.append(Problem(name, number, None, "more cells than columns"))
            values = {k: (v or "").strip() for k, v in row.items() if k and k not in unknown}
            rows.append({**values, "_row": number, "_file": name})
        seen: set[str] = set()
        for r in rows:
            if not r["id"]:
                self.problems.append(Problem(name, r["_row"], "id", "an id is required"))
            elif r["id"] in seen:
                self.problems.append(Problem(name, r["_row"], "id", "the same id twice"))
            seen.add(r["id"])
        return rows

    def table(self, path: str) -> list[dict]:
        return self.tables.get(path, [])

    def has(self, path: str, row_id: str) -> bool:
        return row_id in self.by_id.get(path, {})


def read_package(files: dict[str, str]) -> tuple[list[dict], list[dict], list[Notice]]:
    """(agencies, programmes, notices), agencies and programmes as contract-loaded dicts; raises
    PackageRejected naming every problem."""
    package = Package(files)
    if package.problems:
        raise PackageRejected(package.problems)
    organizations = {r["id"]: r for r in package.table("organizations.csv")}
    programs = {r["id"]: r for r in package.table("programs.csv")}
    problems = package.problems
    problems += [
        Problem("programs.csv", r["_row"], "organization_id", "no such organization in the package")
        for r in programs.values()
        if r["organization_id"] not in organizations
    ]
    own_service: dict[str, dict] = {}  # organization or program -> the service Kentra reads
    for r in package.table("services.csv"):
        if r["organization_id"] not in organizations:
            problems.append(
                Problem("services.csv", r["_row"], "organization_id", "no such organization")
            )
        elif r.get("program_id") and r["program_id"] not in programs:
            problems.append(Problem("services.csv", r["_row"], "program_id", "no such program"))
        elif (r.get("program_id") or r["organization_id"]) in own_service:
            package.notices.append(Notice("services.csv", r["_row"], "id", "hsds_second_service"))
        else:
            own_service[r.get("program_id") or r["organization_id"]] = r
    offers = {s["id"]: _offer(s) for s in own_service.values()}
    owners = _owners(package, organizations, programs)
    _service_areas(package, offers, problems)
    agency_types: dict[str, str] = {}
    kentra_attributes = set()
    for r in package.table("attributes.csv"):
        if r.get("link_type") in KENTRA_LINK_TYPES:
            kentra_attributes.add(r["id"])
            problems += _attribute(r, package, offers, organizations, agency_types)
    if problems:
        raise PackageRejected(problems)
    rows = _kept_rows(package, owners, kentra_attributes)

    agencies, programmes = [], []
    for org_id, org in organizations.items():
        service = own_service.get(org_id)
        offer, where = offers[service["id"]] if service else _offer(None)
        phone = next(
            (r for r in package.table("phones.csv") if r.get("organization_id") == org_id), None
        )
        location = next(
            (r for r in package.table("locations.csv") if r.get("organization_id") == org_id), None
        )
        where.places.update(
            {k: ("organizations.csv", org["_row"], k) for k in ("name", "email", "website")}
        )
        details = {
            **offer,
            "agency_id": org_id,
            "name": org["name"],
            "description": org.get("description", ""),
            "agency_type": agency_types.get(org_id),
            "email": org.get("email") or None,
            "website": org.get("website") or None,
            "phone": phone["number"] if phone else None,
            "address": (location.get("description") or None) if location else None,
        }
        taken = {
            "service": service["id"] if service else None,
            **({"phone": phone["id"]} if phone else {}),
            **({"address": location["id"]} if location else {}),
        }
        loaded = _load(
            AgencyDescribedV1, details, where, ("organizations.csv", org["_row"], None), problems
        )
        agencies.append(_with_kept(loaded, "agency", taken, rows[("agency", org_id)]))
        _tell_defaults(package, details, org, service)
    for program_id, program in programs.items():
        service = own_service.get(program_id)
        offer, where = offers[service["id"]] if service else _offer(None)
        details = {
            **offer,
            "programme_id": program_id,
            "agency_id": program["organization_id"],
            "name": program["name"],
            "description": program.get("description", ""),
        }
        where.places["name"] = ("programs.csv", program["_row"], "name")
        loaded = _load(
            ProgrammeDescribedV1, details, where, ("programs.csv", program["_row"], None), problems
        )
        taken = {"service": service["id"] if service else None}
        programmes.append(_with_kept(loaded, "programme", taken, rows[("programme", program_id)]))
        _tell_defaults(package, details, program, service)
    if problems:
        raise PackageRejected(problems)
    return agencies, programmes, package.notices


def _owners(package: Package, organizations: dict, programs: dict) -> dict[str, tuple[str, str]]:
    """Row id -> the record (agency or programme) it belongs to, followed through its links."""
    owners = {org: ("agency", org) for org in organizations}
    owners.update({program: ("programme", program) for program in programs})
    for r in package.table("services.csv"):  # its program's, else its organization's
        owner = owners.get(r.get("program_id") or "") or owners.get(r["organization_id"])
        if owner:
            owners[r["id"]] = owner
    terms_and_taxonomies = ("taxonomy_terms.csv", "taxonomies.csv")
    rows = [
        r
        for path, table in package.tables.items()
        if path not in terms_and_taxonomies
        for r in table
    ]
    changed = True
    while changed:  # an address hangs from a location, the location from a service at it, ...
        changed = False
        for r in rows:
            if r["id"] not in owners:
                owner = next((owners[r[c]] for c in LINKS if r.get(c) in owners), None)
                if owner:
                    owners[r["id"]], changed = owner, True
            if r["id"] in owners:  # ... and what a row points to is its record's, if no one's
                for c in LINKS:
                    if (
                        r.get(c)
                        and r[c] not in owners
                        and any(r[c] in t for t in package.by_id.values())
                    ):
                        owners[r[c]], changed = owners[r["id"]], True
    return owners


def _kept_rows(package: Package, owners: dict, kentra_attributes: set) -> dict:
    """(kind, id) -> file -> the rows kept for that record, as given. A row Kentra writes itself
    (our attributes and vocabularies) is not kept; one that belongs to no record is told."""
    kentra_rows = {
        (path, r["id"]) for path, rows in hsds.kentra_taxonomy_rows().items() for r in rows
    }
    kept: dict = defaultdict(lambda: defaultdict(list))
    wanted_terms: dict[str, set] = defaultdict(set)  # a term or taxonomy -> who uses it
    for path, rows in package.tables.items():
        for r in rows:
            if r["id"] in kentra_attributes or (path, r["id"]) in kentra_rows:
                continue
            if path in ("taxonomy_terms.csv", "taxonomies.csv"):
                continue  # kept with the records whose attributes use them, below
            if r["id"] not in owners:
                package.notices.append(Notice(path, r["_row"], None, "hsds_row_unlinked"))
                continue
            kept[owners[r["id"]]][path].append(_as_given(package, path, r))
            if path == "attributes.csv" and r.get("taxonomy_term_id"):
                wanted_terms[r["taxonomy_term_id"]].add(owners[r["id"]])
    for path in ("taxonomy_terms.csv", "taxonomies.csv"):
        for r in package.table(path):
            if (path, r["id"]) in kentra_rows:
                continue
            if r["id"] not in wanted_terms:
                package.notices.append(Notice(path, r["_row"], None, "hsds_row_unlinked"))
                continue
            for owner in sorted(wanted_terms[r["id"]]):
                kept[owner][path].append(_as_given(package, path, r))
                if r.get("taxonomy_id"):
                    wanted_terms[r["taxonomy_id"]].add(owner)
    return kept


def _as_given(package: Package, path: str, r: dict) -> dict:
    """A row without its empty cells; a reference to a row not in the package is told and left
    out (an export that kept it would point nowhere)."""
    row = {k: v for k, v in r.items() if v and not k.startswith("_")}
    for column, target in hsds.foreign_keys(path):
        if row.get(column) and not package.has(target, row[column]):
            package.notices.append(
                Notice(path, r["_row"], column, "hsds_reference_dropped", {"value": row[column]})
            )
            del row[column]
    return row


def _with_kept(record: dict, kind: str, taken: dict, rows: dict) -> dict:
    """The record with what the package gave that Kentra does not model, less what an export of
    the record alone would write the same (a package Kentra wrote keeps nothing extra)."""
    if not record:
        return record
    defaults = hsds.default_ids(record, kind)
    taken = {k: v for k, v in taken.items() if defaults.get(k) != v}
    written = hsds.Tables()
    hsds.record_rows(written, {**record, "hsds": {"from": taken}}, kind)
    extra = {
        path: [r for r in given if written.rows[path].get(r["id"]) != r]
        for path, given in rows.items()
    }
    extra = {path: given for path, given in extra.items() if given}
    if taken or extra:
        return {**record, "hsds": {"from": taken, "rows": extra}}
    return record


def _service_areas(package: Package, offers: dict, problems: list[Problem]) -> None:
    for r in package.table("service_areas.csv"):
        if r["service_id"] not in offers:
            if not package.has("services.csv", r["service_id"]):
                problems.append(
                    Problem("service_areas.csv", r["_row"], "service_id", "no such service")
                )
            continue
        if not hsds.is_municipality_code(r["extent"]):
            package.notices.append(
                Notice("service_areas.csv", r["_row"], "extent", "hsds_area_not_municipality")
            )
            continue
        offer, where = offers[r["service_id"]]
        offer["municipalities"].append(r["extent"])
        where.items["municipalities"].append(("service_areas.csv", r["_row"], "extent"))


def _tell_defaults(package: Package, details: dict, row: dict, service: dict | None) -> None:
    assumed = [k for k, v in DEFAULTS.items() if details.get(k) in (None, [])]
    assumed += [k for k in ("active_from", "agency_type") if not details.get(k)]
    if "programme_id" in details:
        assumed.remove("agency_type")
    if service is None:
        package.notices.append(Notice(row["_file"], row["_row"], "id", "hsds_no_service"))
    if assumed:
        package.notices.append(
            Notice(row["_file"], row["_row"], None, "hsds_defaults", {"fields": ", ".join(assumed)})
        )


def _offer(service: dict | None) -> tuple[dict, Where]:
    where = Where()
    offer: dict[str, Any] = {"municipalities": [], "needs": [], "eligible_groups": []}
    for field_, column in SERVICE_COLUMNS.items():
        value = service.get(column, "") if service else ""
        offer[field_] = value if value or field_ == "eligibility_text" else None
        if service:
            where.places[field_] = ("services.csv", service["_row"], column)
    return offer, where


def _attribute(
    r: dict, package: Package, offers: dict, organizations: dict, agency_types: dict
) -> list[Problem]:
    term = package.by_id.get("taxonomy_terms.csv", {}).get(r["taxonomy_term_id"])
    if term is None:
        return [Problem("attributes.csv", r["_row"], "taxonomy_term_id", "no such taxonomy term")]
    code = term["code"].rpartition(":")[2]  # our codes are "<taxonomy>:<code>"
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
        offer[code] = r.get("value") or None
        where.places[code] = place
    elif r["link_type"] in TERM_FIELDS:
        field_ = TERM_FIELDS[r["link_type"]]
        if field_ in LISTS:
            offer[field_].append(code)
            where.items[field_].append(place)
        else:
            offer[field_] = code
            where.places[field_] = place
    return []


def _load(schema, details: dict, where: Where, fallback, problems: list[Problem]) -> dict[str, Any]:
    details = {
        **{k: v for k, v in DEFAULTS.items() if not details.get(k)},
        **{k: v for k, v in details.items() if v not in (None, [])},
    }
    try:
        return schema().load(details)
    except ValidationError as exc:
        problems += where.problems(exc.messages, fallback)
        return {}
