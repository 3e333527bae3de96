"""A person's rights, answered by the DPO: everything the platform holds about them (GDPR Art. 15,
right of access) and who read their file, when, from where and why. Both are reads of a personal
file, so each is audited before it is answered (the DPO's own reads are on the report too)."""

from __future__ import annotations

from services.portal_gateway.adapters import timeline

ALL_FIELDS = ["identity", "contacts", "referrals", "special_category", "audit"]
EXPORT_PURPOSE = "subject_access_request"  # GDPR Art. 15
REPORT_PURPOSE = "access_report"


class NoSuchPerson(LookupError):
    pass


def export(backends, principal, beneficiary_id: str) -> dict:
    records = _person(backends, beneficiary_id)
    backends.audit.record_viewed(principal, records[0], ALL_FIELDS, EXPORT_PURPOSE, False)
    return {
        "beneficiary_id": records[0],
        "records": records,
        "registry": [backends.registries.beneficiary(r) for r in records],
        "case": backends.intake.case_summary(records[0], records[1:]),
        "case_history": backends.intake.case_record_of(records),
        "referrals": backends.referrals.referrals_of(records),
        "timeline": timeline.path(backends.timeline_db, records),
        "reporting": backends.reporting.held_about(records),
        "emergency_access": backends.emergency.all(records),
        "access_report": _report(backends, records),
    }


def access_report(backends, principal, beneficiary_id: str) -> list[dict]:
    records = _person(backends, beneficiary_id)
    backends.audit.record_viewed(principal, records[0], ["audit"], REPORT_PURPOSE, False)
    return _report(backends, records)


def _person(backends, beneficiary_id: str) -> list[str]:
    """Every record of the person in the region: merged ones, and the records other centres made
    when the person turned up there (linked by their number, each centre's file its own)."""
    records = backends.registries.all_records(str(beneficiary_id))
    if backends.registries.beneficiary(records[0]) is None:
        raise NoSuchPerson(beneficiary_id)
    return records


def _report(backends, records: list[str]) -> list[dict]:
    """Every entry of the audit about these records (views, refusals, whatever the audit holds of
    them) and every emergency grant on them, oldest first."""
    found = [
        {
            "what": e.type,
            "who": e.payload.get("viewer") or e.metadata.get("actor"),
            "role": e.payload.get("role"),
            "site": e.payload.get("site"),
            "purpose": e.payload.get("reason"),
            "break_glass": bool(e.payload.get("break_glass")),
            "categories": e.payload.get("categories", []),
            "at": e.recorded_at.isoformat(),
        }
        for r in records
        for e in backends.audit.store.read_stream(f"audit-{r}", 1, 100_000)
    ]
    found += [
        {
            "what": "EmergencyAccessGranted",
            "who": g["holder"],
            "role": g["role"],
            "site": g["site"],
            "purpose": g["reason"],
            "details": g.get("details"),
            "break_glass": True,
            "categories": [],
            "at": g["granted_at"],
            "until": g["expires_at"],
            "reviews": g["reviews"],
        }
        for g in backends.emergency.all(records)
    ]
    return sorted(found, key=lambda entry: entry["at"])
