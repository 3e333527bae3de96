"""The network directory: sites and who works where, kept in the append's transaction so a mobile
unit's new partner municipality is answered from the moment it is stored (intake keeps the answers
until the relay publishes the change: services/common/registry_facts.py)."""

from __future__ import annotations

import json

from contracts.geography import municipality
from contracts.names import (
    CENTRE_REGISTERED,
    MOBILE_UNIT_REGISTERED,
    PARTNER_MUNICIPALITIES_CHANGED,
    STAFF_MEMBER_ASSIGNED,
    STAFF_MEMBER_LEFT,
)
from services.registries.domain.network import staffing_warnings


class NetworkDirectory:
    def __call__(self, cur, events) -> None:
        for e in events:
            d = e.data
            if e.type == CENTRE_REGISTERED:
                cur.execute(
                    "INSERT INTO network_site VALUES (%s, 'centre', %s)", (d["site"], json.dumps(d))
                )
            elif e.type == MOBILE_UNIT_REGISTERED:
                cur.execute(
                    "INSERT INTO network_site VALUES (%s, 'mobile_unit', %s)",
                    (d["site"], json.dumps(d)),
                )
            elif e.type == PARTNER_MUNICIPALITIES_CHANGED:
                cur.execute(
                    "UPDATE network_site SET detail = detail"
                    " || jsonb_build_object('partner_municipalities', %s::jsonb) WHERE site = %s",
                    (json.dumps(d["partner_municipalities"]), d["site"]),
                )
            elif e.type == STAFF_MEMBER_ASSIGNED:
                cur.execute(
                    "INSERT INTO network_staff VALUES (%s, %s, %s, %s, %s)",
                    (d["staff_id"], d["site"], d["name"], d["role"], d["since"]),
                )
            elif e.type == STAFF_MEMBER_LEFT:
                cur.execute(
                    "DELETE FROM network_staff WHERE staff_id = %s AND site = %s",
                    (d["staff_id"], d["site"]),
                )

    @staticmethod
    def sites(db) -> list[dict]:
        with db.transaction() as cur:
            cur.execute(
                "SELECT s.kind, s.detail, coalesce(json_agg(json_build_object('staff_id', t.staff_id,"
                " 'name', t.name, 'role', t.role, 'since', t.since) ORDER BY t.staff_id)"
                " FILTER (WHERE t.staff_id IS NOT NULL), '[]')"
                " FROM network_site s LEFT JOIN network_staff t USING (site) GROUP BY s.site ORDER BY s.site"
            )
            return [
                {**detail, "kind": kind, "staff": staff} for kind, detail, staff in cur.fetchall()
            ]

    @staticmethod
    def site(db, site: str) -> dict | None:
        with db.transaction() as cur:
            cur.execute("SELECT kind, detail FROM network_site WHERE site = %s", (site,))
            row = cur.fetchone()
        return {**row[1], "kind": row[0]} if row else None

    @classmethod
    def staff_of_network(cls, db, site: str) -> list[str] | None:
        """Who works now at a site of `site`'s network (a centre with its mobile units): whoever
        may record a contact or a service there. None: the registry has no such site."""
        sites = cls.sites(db)
        found = next((s for s in sites if s["site"] == site), None)
        if found is None:
            return None
        centre = found.get("parent_centre") or site
        network = [s for s in sites if centre in (s["site"], s.get("parent_centre"))]
        return sorted({t["staff_id"] for s in network for t in s["staff"]})

    @classmethod
    def staffing(cls, db) -> list[dict]:
        """Each site against the staffing rule: warnings for a head of centre, never a refusal."""
        report = []
        for s in cls.sites(db):
            lead = municipality(s["lead_municipality_code"]) if s["kind"] == "centre" else None
            population = lead.population_2021 if lead else None
            roles = [t["role"] for t in s["staff"]]
            report.append(
                {
                    "site": s["site"],
                    "kind": s["kind"],
                    "staff": len(roles),
                    "population": population,
                    "warnings": staffing_warnings(s["kind"], population, roles),
                }
            )
        return report
