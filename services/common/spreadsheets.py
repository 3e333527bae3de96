"""Tables as files people open: CSV (UTF-8 with a BOM, so Excel shows Greek right) and XLSX (a
sheet per table, its first line bold). Used by reporting's exports and the portal's downloads."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font


def as_csv(lines: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(lines)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(lines: list[list], title: str = "Ημερήσιο μητρώο") -> bytes:
    return as_xlsx_sheets([(title, lines)])


def as_xlsx_sheets(sheets: list[tuple[str, list[list]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, lines in sheets:
        # a sheet's name: at most 31 characters, none of []:*?/\ and unique in the book
        name = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "1"
        while name in book.sheetnames:
            name = f"{name[:26]}_{len(book.sheetnames)}"
        sheet = book.create_sheet(name)
        for line in lines:
            sheet.append(line)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
