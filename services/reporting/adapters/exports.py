"""The daily register as a file, in Greek: CSV (UTF-8 with a BOM, so Excel shows Greek right) and
XLSX. Measures down, sites across, with totals; a file that leaves the centre is suppressed
(primary and secondary: services/reporting/domain/disclosure.py)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from services.reporting.domain.disclosure import suppress_table
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


def register_table(rows: list[dict], external: bool) -> list[list]:
    """Header, one line per measure and category, and the totals line."""
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        line = f"{r['measure']}\t{r['key']}"
        table.setdefault(line, {})
        table[line][r["site"]] = table[line].get(r["site"], 0) + r["n"]
    sites = sorted({r["site"] for r in rows})
    if external:
        published = suppress_table(table)
        cells, row_totals, column_totals, total = (
            published["rows"],
            published["row_totals"],
            published["column_totals"],
            published["total"],
        )
    else:
        cells = {line: {s: values.get(s, 0) for s in sites} for line, values in table.items()}
        row_totals = {line: sum(values.values()) for line, values in table.items()}
        column_totals = {s: sum(v.get(s, 0) for v in table.values()) for s in sites}
        total = sum(row_totals.values())
    lines = [["Μέτρο", "Κατηγορία", *sites, TOTAL]]
    for line in sorted(table, key=lambda k: (list(MEASURES).index(k.split("\t")[0]), k)):
        measure, key = line.split("\t")
        lines.append(
            [MEASURES[measure], key, *(cells[line].get(s, 0) for s in sites), row_totals[line]]
        )
    lines.append([TOTAL, "", *(column_totals[s] for s in sites), total])
    return lines


def as_csv(lines: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(lines)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(lines: list[list], title: str = "Ημερήσιο μητρώο") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for line in lines:
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def esf_table(indicators: dict, external: bool, mis: dict[str, str] | None = None) -> list[list]:
    """One block per operation: the indicators down, women / men / non-binary / not recorded across,
    with totals; suppressed (primary and secondary) when it leaves the centre."""
    labels = {
        "woman": "Γυναίκες",
        "man": "Άνδρες",
        "non_binary": "Μη δυαδικά άτομα",
        "unknown": "Δεν δηλώθηκε",
    }
    lines = [["Πράξη", "Δείκτης", *(labels[g] for g in GENDERS), TOTAL]]
    for operation, table in indicators.items():
        published = (
            suppress_table({INDICATORS[i]: table[i] for i in INDICATORS}) if external else None
        )
        for indicator in INDICATORS:
            name = INDICATORS[indicator]
            cells = published["rows"][name] if published else table[indicator]
            total = published["row_totals"][name] if published else sum(table[indicator].values())
            label = f"MIS {mis[operation]} · {operation}" if mis and operation in mis else operation
            lines.append([label, name, *(cells.get(g, 0) for g in GENDERS), total])
    return lines
