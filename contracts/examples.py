"""An example payload of every event, built from its contract: a value per field name where the
name says what it is (a site code, an AMKA with its check digit), else one per field type. The
published documents show them; a unit test loads each with its own contract, so an example that
stops being valid fails the build instead of misleading an integrator."""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import Schema, fields, validate

_IDS = uuid.UUID("5a0e6a8e-6f0c-4c38-9f5e-2c4b7e0d1a11")  # fixed: the examples never drift
DAY = "2026-11-20"
MOMENT = "2026-11-20T10:30:00+02:00"
CENTRE, MOBILE_UNIT = "KK-KALAMATA", "MU-KALAMATA"
KALAMATA = "9254"  # contracts/data/municipalities.csv

# values by field name: what the name means, valid under every contract that uses the name
BY_NAME: dict[str, Any] = {
    "site": CENTRE,
    "to_site": "KK-SPARTI",
    "from_site": CENTRE,
    "parent_centre": CENTRE,
    "municipality_code": KALAMATA,
    "lead_municipality_code": KALAMATA,
    "municipalities": [KALAMATA],
    "partner_municipalities": [KALAMATA],
    "regional_unit": "messinia",
    "staff_id": "m.papadopoulou",
    "by": "m.papadopoulou",
    "decided_by": "m.papadopoulou",
    "requested_by": "dpo",
    "recipient": "KK-SPARTI",
    "recipient_id": "KK-SPARTI",
    "consent_recipient": "KK-SPARTI",
    "recipient_kind": "centre",
    "recipient_name": "Κέντρο Κοινότητας Σπάρτης",
    "given_name": "Ελένη",
    "family_name": "Κωνσταντίνου",
    "amka": "15038501233",
    "afm": "094123405",
    "paaypa": "AB1234567",
    "phone": "+30 27210 12345",
    "email": "info@example.gr",
    "website": "https://example.gr",
    "address": "Αριστομένους 10, 241 00 Καλαμάτα",
    "name": "Κέντρο Κοινότητας Καλαμάτας",
    "description": "Στήριξη για την αίτηση ελάχιστου εγγυημένου εισοδήματος.",
    "eligibility_text": "Δημότες και κάτοικοι του δήμου.",
    "notes": "Ήρθε με την κόρη της· χρειάζεται βοήθεια με τα δικαιολογητικά.",
    "reason": "Μετακόμισε στη Σπάρτη.",
    "purpose": "Παραπομπή για ψυχοκοινωνική στήριξη",
    "details": "Απειλή αυτοτραυματισμού· χρειάζεται άμεσα το ιστορικό της.",
    "goals": "Εγγραφή στο πρόγραμμα κατάρτισης έως τον Μάρτιο.",
    "outcome": "Ολοκληρώθηκε η εγγραφή.",
    "step_id": "step-1",
    "citizenship": "GR",
    "housing": "rented",
    "operation_mis": "6001234",
    "budget_eur": "250000.00",
    "household_size": 3,
    "min_age": 18,
    "max_age": 64,
    "minutes": 60,
    "response_days": 10,
}
# where one contract's name means something narrower than the others'
BY_TYPE_AND_NAME: dict[tuple[str, str], Any] = {
    ("MobileUnitRegistered", "site"): MOBILE_UNIT,
    ("MobileUnitRegistered", "name"): "Κινητή Μονάδα Καλαμάτας",
    ("PartnerMunicipalitiesChanged", "site"): MOBILE_UNIT,
    ("AgencyRegistered", "name"): "ΔΥΠΑ Καλαμάτας",
    ("AgencyDetailsChanged", "name"): "ΔΥΠΑ Καλαμάτας",
    ("ProgrammeRegistered", "name"): "Κατάρτιση ανέργων 2026",
    ("ProgrammeDetailsChanged", "name"): "Κατάρτιση ανέργων 2026",
    ("StaffMemberAssigned", "name"): "Μαρία Παπαδοπούλου",
    ("NeedsAssessed", "needs"): ["Βοήθεια με τη στέγαση"],
}


def example_id(name: str) -> str:
    return str(uuid.uuid5(_IDS, name))


def example(type_: str, schema: type[Schema]) -> dict[str, Any]:
    """Every field of the contract, optional ones included, so the example shows them all."""
    return {name: _value(type_, name, f) for name, f in schema._declared_fields.items()}


def _value(type_: str, name: str, f: fields.Field) -> Any:
    if (type_, name) in BY_TYPE_AND_NAME:
        return BY_TYPE_AND_NAME[(type_, name)]
    choices = next((list(v.choices) for v in f.validators if isinstance(v, validate.OneOf)), None)
    if choices:  # a name's usual value, when this contract's list has it
        return BY_NAME[name] if BY_NAME.get(name) in choices else choices[0]
    if name in BY_NAME:
        return BY_NAME[name]
    return _by_type(type_, name, f)


def _by_type(type_: str, name: str, f: fields.Field) -> Any:
    if isinstance(f, fields.UUID):
        return example_id(name)
    if isinstance(f, fields.DateTime):
        return MOMENT
    if isinstance(f, fields.Date):
        return DAY
    if isinstance(f, fields.Boolean):
        return True
    if isinstance(f, fields.Integer):
        low = next((v.min for v in f.validators if isinstance(v, validate.Range)), None)
        return low if low is not None else 1
    if isinstance(f, fields.List):
        return [_value(type_, name, f.inner)]
    if isinstance(f, fields.Dict):
        return {}
    return name.replace("_", " ")
