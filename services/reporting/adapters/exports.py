"""The reports as files, in Greek: CSV (UTF-8 with a BOM, so Excel shows Greek right) and XLSX.
A centre's own register and indicators are written as counted; a file that leaves the centre is
written from a frozen release, hidden cells marked `εμπ.` and the mark explained at the end."""

from __future__ import annotations

from services.reporting.domain.disclosure import HIDDEN
from services.reporting.domain.esf_indicators import GENDERS, INDICATORS

MEASURES = {
    "new_beneficiaries": "Νέοι ωφελούμενοι",
    "contacts_by_channel": "Επαφές ανά τρόπο",
    "contacts_by_municipality": "Επαφές ανά δήμο",
    "services_by_type": "Υπηρεσίες ανά είδος",
    "referrals_sent": "Παραπομπές που στάλθηκαν",
    "referrals_answered": "Απαντήσεις σε παραπομπές",
}
TOTAL = "Σύνολο"
RELEASED = {
    "new_beneficiaries": "Νέοι ωφελούμενοι ανά δήμο κατοικίας",
    "contacts": "Επαφές ανά δήμο",
    "contacts_by_channel": "Επαφές ανά τρόπο",
    "services": "Υπηρεσίες ανά είδος",
}
HIDDEN_EL = "εμπ."  # εμπιστευτικό: how a hidden cell reads in Greek files and pages
HIDDEN_MEANS_EL = (
    "εμπ. = εμπιστευτικό: λιγότερα από 5 άτομα (ή κανένα), ή κρυμμένο ώστε να μη συναχθεί"
    " άλλο κελί από τα σύνολα"
)


def register_table(rows: list[dict]) -> list[list]:
    """A centre's own register (never leaves it): header, one line per measure and category, and
    the totals line."""
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        line = f"{r['measure']}\t{r['key']}"
        table.setdefault(line, {})
        table[line][r["site"]] = table[line].get(r["site"], 0) + r["n"]
    sites = sorted({r["site"] for r in rows})
    lines = [["Μέτρο", "Κατηγορία", *sites, TOTAL]]
    for line in sorted(table, key=lambda k: (list(MEASURES).index(k.split("\t")[0]), k)):
        measure, key = line.split("\t")
        values = table[line]
        lines.append(
            [MEASURES[measure], key, *(values.get(s, 0) for s in sites), sum(values.values())]
        )
    totals = [sum(v.get(s, 0) for v in table.values()) for s in sites]
    lines.append([TOTAL, "", *totals, sum(totals)])
    return lines


def released_register_table(view: dict) -> list[list]:
    """A month's released register (application/published.register): each table with its
    totals, hidden cells marked, and what the mark means."""
    lines: list[list] = [[f"Περίοδος {view['period']}", f"δημοσιεύθηκε {view['released_at']}"]]
    for name, table in view["tables"].items():
        columns = sorted(table["column_totals"])  # a release's JSON keeps no order
        lines.append([RELEASED[name], "Κατηγορία", *columns, TOTAL])
        for row, cells in sorted(table["rows"].items()):
            total = table.get("row_totals", {}).get(row, "")
            lines.append(["", row, *(_mark(cells[c]) for c in columns), _mark(total)])
        lines.append(
            [
                "",
                TOTAL,
                *(_mark(table["column_totals"][c]) for c in columns),
                _mark(table.get("total", "")),
            ]
        )
    lines.append([HIDDEN_EL, HIDDEN_MEANS_EL])
    return lines


GENDER_LABELS = {
    "woman": "Γυναίκες",
    "man": "Άνδρες",
    "non_binary": "Μη δυαδικά άτομα",
    "unknown": "Δεν δηλώθηκε",
}


def esf_table(
    indicators: dict, mis: dict[str, str] | None = None, released: bool = False
) -> list[list]:
    """One block per operation: the indicators down, women / men / non-binary / not recorded
    across, with each indicator's total. `indicators` is the live count (a centre's own) or,
    `released`, a year's release (application/published.esf), hidden cells marked."""
    lines = [["Πράξη", "Δείκτης", *(GENDER_LABELS[g] for g in GENDERS), TOTAL]]
    for operation, table in indicators.items():
        label = f"MIS {mis[operation]} · {operation}" if mis and operation in mis else operation
        for indicator, name in INDICATORS.items():
            if released:
                cells, total = table["rows"][indicator], table["row_totals"][indicator]
            else:
                cells, total = table[indicator], sum(table[indicator].values())
            lines.append([label, name, *(_mark(cells.get(g, 0)) for g in GENDERS), _mark(total)])
    if released:
        lines.append([HIDDEN_EL, HIDDEN_MEANS_EL])
    return lines


def _mark(value):
    return HIDDEN_EL if value == HIDDEN else value
