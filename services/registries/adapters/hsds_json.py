"""HSDS 3.0's JSON objects (what its API answers: an organization, a service, a
service_at_location, a location, a taxonomy or taxonomy_term, or a paginated list of them with
`contents`) turned into the tabular package's CSV texts, so that hsds_import.read_package reads
them with its usual checks and notices: one importer, two spellings of the same data.

Each nested object becomes a row of its table. A list (a service's `phones`) is the child's: its
rows get the parent's id in `<parent>_id` (attributes and metadata: `link_id`/`resource_id` and the
parent's kind). A single object (a service's `organization`) is the parent's: the parent's row
gets `<child>_id`. A row met twice (the same id) is kept once. What is not an HSDS column stays a
column, so that read_package tells it as unknown, never drops it silently."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from services.registries.adapters import hsds
from services.registries.adapters.hsds import PackageRejected, Problem

# property -> the table of the object(s) it holds: the `$ref`s of HSDS 3.0's JSON Schemas
# (schema/*.json, held together with this map by tests/unit/test_hsds_json.py), plus the two
# back-references its API adds in the examples: an organization's `services` and a
# service_at_location's `service`. HSDS names each property after its table, except these.
NESTED = {
    "accessibility": "accessibility.csv",
    "addresses": "addresses.csv",
    "attributes": "attributes.csv",
    "contacts": "contacts.csv",
    "cost_options": "cost_options.csv",
    "funding": "funding.csv",
    "languages": "languages.csv",
    "location": "locations.csv",
    "locations": "locations.csv",
    "metadata": "metadata.csv",
    "organization": "organizations.csv",
    "organization_identifiers": "organization_identifiers.csv",
    "phones": "phones.csv",
    "program": "programs.csv",
    "programs": "programs.csv",
    "required_documents": "required_documents.csv",
    "schedules": "schedules.csv",
    "service": "services.csv",
    "service_areas": "service_areas.csv",
    "service_at_locations": "service_at_location.csv",
    "services": "services.csv",
    "taxonomy_detail": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
}
# tables that hang from any kind of row: (its id's column, its kind's column)
POLYMORPHIC = {
    "attributes.csv": ("link_id", "link_entity"),
    "metadata.csv": ("resource_id", "resource_type"),
}
SUFFIXES = ("_full", "_list")


def kind(path: str) -> str:
    """organizations.csv -> organization: HSDS's name for a table's object."""
    return str(hsds.tables()[path]["name"])


def tabular_files(files: dict[str, str]) -> dict[str, str]:
    """The package with each JSON file (but datapackage.json) turned into the tables it holds,
    merged with the CSV files given beside it; raises PackageRejected when a JSON file is not
    read."""
    documents = {n: t for n, t in files.items() if n.endswith(".json") and n != "datapackage.json"}
    if not documents:
        return files
    tables = Tables()
    problems: list[Problem] = []
    for name, text in files.items():
        if name not in documents and hsds.ALIASES.get(name, name) in hsds.tables():
            for row in csv.DictReader(io.StringIO(text)):
                tables.add(hsds.ALIASES.get(name, name), {k: v for k, v in row.items() if k})
    for name, text in documents.items():
        path = _table_of(name)
        try:
            document = json.loads(text)
        except ValueError as exc:
            problems.append(Problem(name, None, None, f"not JSON: {exc}"))
            continue
        if path is None:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "name the file after the HSDS object it holds (service.json, "
                    "organization_list.json, ...)",
                )
            )
            continue
        if isinstance(document, dict) and isinstance(document.get("contents"), list):
            document = document["contents"]  # a page of HSDS's API
        for item in document if isinstance(document, list) else [document]:
            if not isinstance(item, dict):
                problems.append(Problem(name, None, None, f"not an HSDS {kind(path)} object"))
                continue
            tables.object(path, item, None)
    if problems:
        raise PackageRejected(problems)
    kept = {n: t for n, t in files.items() if n not in documents and not tables.holds(n)}
    return {**kept, **tables.texts()}


def _table_of(name: str) -> str | None:
    """service_full.json, service_list.json, services.json -> services.csv."""
    stem = name.rsplit("/", 1)[-1].removesuffix(".json")
    for suffix in SUFFIXES:
        stem = stem.removesuffix(suffix)
    by_kind = {kind(path): path for path in hsds.tables()}
    if stem in by_kind:
        return by_kind[stem]
    path = hsds.ALIASES.get(f"{stem}.csv", f"{stem}.csv")
    return path if path in hsds.tables() else None


class Tables:
    """table -> id -> row (column -> text), in the order met."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, dict[str, str]]] = {}

    def add(self, path: str, row: dict[str, str]) -> None:
        rows = self.rows.setdefault(path, {})
        key = row.get("id") or f"_no_id_{len(rows)}"  # read_package tells the missing id
        if key not in rows:
            rows[key] = row
            return
        known = rows[key]
        for column, value in row.items():  # the same row again: it may tell more, never less
            if value and not known.get(column):
                known[column] = value

    def object(self, path: str, given: dict, parent: tuple[str, dict[str, str]] | None) -> None:
        nested = {k: v for k, v in given.items() if k in NESTED and _objects(v)}
        empty = {k for k, v in given.items() if k in NESTED and v in (None, [])}
        row = {k: _cell(v) for k, v in given.items() if k not in nested and k not in empty}
        columns = hsds.columns(path)
        for key, child in nested.items():  # a single object: its id is this row's reference
            if isinstance(child, dict) and child.get("id"):
                column = f"{kind(NESTED[key])}_id"
                if not row.get(column):
                    row[column] = str(child["id"])
        if parent is not None:
            parent_path, parent_row = parent
            if path in POLYMORPHIC:
                id_column, kind_column = POLYMORPHIC[path]
                row[id_column] = row.get(id_column) or parent_row.get("id", "")
                row[kind_column] = row.get(kind_column) or kind(parent_path)
            column = f"{kind(parent_path)}_id"
            if column in columns and not row.get(column):
                row[column] = parent_row.get("id", "")
        self.add(path, row)
        for key, child in nested.items():
            for item in [child] if isinstance(child, dict) else child:
                inherited = row.get("organization_id")
                if isinstance(child, dict) and inherited and not item.get("organization_id"):
                    # a service's program belongs to the service's organization: HSDS's JSON
                    # leaves the nested program's organization_id out
                    if "organization_id" in hsds.columns(NESTED[key]):
                        item = {**item, "organization_id": inherited}
                self.object(NESTED[key], item, (path, row))

    def holds(self, name: str) -> bool:
        return hsds.ALIASES.get(name, name) in self.rows

    def texts(self) -> dict[str, str]:
        """Each table as CSV: HSDS's columns in its order (all of them, empty where not given),
        then those it does not know."""
        texts = {}
        for path, rows in self.rows.items():
            known = hsds.columns(path)
            extra = [c for r in rows.values() for c in r if c not in known]
            header = known + list(dict.fromkeys(extra))
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows.values())
            texts[path] = out.getvalue()
        return texts


def _objects(value: Any) -> bool:
    """An object, or a list of them: rows of another table."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, dict) for v in value)
    return isinstance(value, dict)


def _cell(value: Any) -> str:
    """A JSON value as a CSV cell, as HSDS's tabular package writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
