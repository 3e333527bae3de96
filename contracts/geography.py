"""The Peloponnese region as seed data (Kallikratis, Law 3852/2010): its five regional units and
26 municipalities with the Ministry of Interior codes and ELSTAT's 2021 census populations (the
sources are in contracts/data/SOURCES.md). Only the standard library here: contracts, deciders and
read sides all look municipalities up in this one place."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data"
REGION = {"code": "EL65", "name_el": "Περιφέρεια Πελοποννήσου", "name_en": "Peloponnese"}


@dataclass(frozen=True)
class Municipality:
    code: str
    name_el: str
    official_name_el: str
    name_en: str
    regional_unit: str
    population_2021: int | None


@dataclass(frozen=True)
class RegionalUnit:
    code: str
    name_el: str
    name_en: str
    seat_municipality: str


def _rows(name: str) -> list[dict]:
    with open(_DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def municipalities() -> dict[str, Municipality]:
    return {
        r["code"]: Municipality(
            **{**r, "population_2021": int(r["population_2021"]) if r["population_2021"] else None}
        )
        for r in _rows("municipalities.csv")
    }


@cache
def regional_units() -> dict[str, RegionalUnit]:
    return {r["code"]: RegionalUnit(**r) for r in _rows("regional_units.csv")}


def municipality(code: str) -> Municipality | None:
    return municipalities().get(code)


def known_municipality(code: str) -> Municipality:
    """A code the contract has already checked (contracts refuse unknown ones): its municipality."""
    found = municipalities().get(code)
    if found is None:
        raise KeyError(f"not a municipality code of the region: {code}")
    return found


def in_regional_unit(unit: str) -> list[str]:
    return [m.code for m in municipalities().values() if m.regional_unit == unit]
