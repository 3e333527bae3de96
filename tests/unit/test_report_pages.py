"""The report pages' tables (web/report_pages.py): figures as Greek readers write them, a hidden
cell never drawn or summed as a number, the same table as a file; and what reporting adds for
them (services/reporting/application/published.py): how much of an operation's period had passed
by the last released month, and the referral flow's released totals."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from services.common.spreadsheets import as_csv, as_xlsx_sheets
from services.portal_gateway.entrypoints.web.i18n import WORDS, translator
from services.portal_gateway.entrypoints.web.names import Names
from services.portal_gateway.entrypoints.web.report_pages import (
    ESF_ORDER,
    HIDDEN,
    Column,
    ReportPages,
    Table,
    number,
    share,
    total,
)
from services.reporting.application import published


def test_figures_read_as_greek_readers_write_them_and_english_on_request():
    assert number(72906, "count", "el") == "72.906"
    assert number(72906, "count", "en") == "72,906"
    assert number(2.345, "rate", "el") == "2,35"
    assert number(46.0, "percent", "el") == "46 %" and number(0.2, "percent", "el") == "0,2 %"
    assert number("2026-10-31", "day", "el") == "31/10/2026"
    assert number(None, "count", "el") == "—"


def test_a_hidden_cell_is_a_gap_in_the_chart_and_hides_any_sum_it_is_part_of():
    table = Table(
        "sites",
        "Ανά δομή",
        [Column("Δομή", "text"), Column("Νέοι ωφελούμενοι")],
        [["Κινητή Μονάδα Καλαμάτα", 12], ["Κέντρο Σπάρτη", HIDDEN]],
        chart={"columns": [1], "horizontal": True},
    )
    spec = json.loads(table.chart_spec())
    assert spec["labels"] == ["Κινητή Μονάδα Καλαμάτα", "Κέντρο Σπάρτη"]
    assert spec["datasets"] == [{"label": "Νέοι ωφελούμενοι", "data": [12, None]}]
    assert spec["integers"] and not spec["percent"]
    assert total([12, HIDDEN]) == HIDDEN and total([12, 3]) == 15
    assert share(HIDDEN) is None and share(0.463) == 46.3


def test_the_download_holds_the_table_as_shown_with_the_mark_explained():
    table = Table(
        "sites",
        "Ανά δομή",
        [Column("Δομή", "text"), Column("Νέοι ωφελούμενοι")],
        [["Κινητή Μονάδα Καλαμάτα", 12], ["Κέντρο Σπάρτη", HIDDEN]],
    )
    lines = table.lines("εμπ.")
    assert lines == [
        ["Δομή", "Νέοι ωφελούμενοι"],
        ["Κινητή Μονάδα Καλαμάτα", 12],
        ["Κέντρο Σπάρτη", "εμπ."],
    ]
    assert as_csv(lines).decode("utf-8-sig").splitlines()[2] == "Κέντρο Σπάρτη,εμπ."
    book = load_workbook(io.BytesIO(as_xlsx_sheets([("Ανά δομή", lines), ("Ανά δομή", lines)])))
    assert len(book.sheetnames) == 2 and book.worksheets[0]["B2"].value == 12


def test_the_esf_indicators_keep_the_regulations_order_whatever_order_they_arrive_in():
    from services.reporting.domain.esf_indicators import INDICATORS

    arrived = sorted(INDICATORS)  # as a JSON object may bring them
    assert sorted(arrived, key=lambda i: ESF_ORDER[f"esf_{i}"]) == list(INDICATORS)
    assert all(f"esf_{i}" in WORDS for i in INDICATORS)


def _month(period: str, end: str, kalamata) -> dict:
    return {
        "period": period,
        "period_start": f"{period}-01",
        "period_end": end,
        "tables": {"new_beneficiaries": {"group_totals": {"KK-KALAMATA": kalamata}}},
    }


OPERATION = {
    "site": "KK-KALAMATA",
    "operation_mis": "5000001",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "target": 100,
}


def test_released_targets_say_how_much_of_the_period_had_passed_by_the_last_released_month():
    months = [_month("2026-09", "2026-09-30", 20), _month("2026-10", "2026-10-31", 26)]
    (found,) = published.targets(months, [OPERATION])["operations"]
    assert found["share_of_target"] == 0.46
    assert found["period_elapsed"] == round(303 / 364, 3)  # 1 Jan to 31 Oct of 1 Jan to 31 Dec
    hidden = [_month("2026-10", "2026-10-31", HIDDEN)]
    (unknown,) = published.targets(hidden, [OPERATION])["operations"]
    assert (
        unknown["share_of_target"] is None and unknown["period_elapsed"] == found["period_elapsed"]
    )


def test_the_referral_flow_carries_the_regions_released_totals():
    release = {
        "period": "2026-10",
        "released_at": "2026-11-08T00:00:00+00:00",
        "rule": {},
        "tables": {
            "referrals_by_recipient": {
                "rows": {"A · employment": {"accepted": 6, "rejected": HIDDEN}},
                "row_totals": {"A · employment": 9},
                "column_totals": {"accepted": 6, "rejected": HIDDEN},
                "total": 9,
            }
        },
        "extras": {"referral_medians": {}},
    }
    flow = published.referral_flow(release, {"A": "ΔΥΠΑ Καλαμάτας"})
    assert flow["totals"] == {"sent": 9, "accepted": 6, "rejected": HIDDEN}


def test_the_static_folder_serves_its_scripts_and_nothing_outside_it():
    from services.portal_gateway.entrypoints.web import static_files

    assert static_files.serve("charts.js").status_code == 200
    for wrong in ("../report_pages.py", "../templates/base.html", "/etc/passwd", "missing.js"):
        assert static_files.serve(wrong).status_code == 404, wrong


class _Page(ReportPages):
    """The report pages' own logic, the network as the registry would answer it."""

    def __init__(self):
        self.lang, self.t = "el", translator("el")
        self._sites = {"KK-SPARTI": {"site": "KK-SPARTI", "name": "Κέντρο Κοινότητας Σπάρτη"}}

    def names(self) -> Names:  # the page's names, as pages.Page asks the registries for them
        return Names(self.lang, sites=lambda: list(self._sites.values()))


def test_the_referral_flow_names_registry_recipients_and_keeps_free_text_ones_apart():
    body = {
        "flow": [
            {
                "recipient_and_need": "ΔΥΠΑ Καλαμάτας · employment",
                "recipient_id": "3b86",
                "sent": 9,
                "accepted": 6,
                "rejected": HIDDEN,
                "pending": HIDDEN,
                "expired": HIDDEN,
                "withdrawn": HIDDEN,
                "acceptance_rate": None,
            },
            {
                "recipient_and_need": "KK-SPARTI · counselling",
                "recipient_id": "KK-SPARTI",
                "sent": 7,
                "accepted": 7,
                "rejected": HIDDEN,
                "pending": HIDDEN,
                "expired": HIDDEN,
                "withdrawn": HIDDEN,
            },
            {
                "recipient_and_need": "Σύλλογος γειτονιάς · food",
                "recipient_id": "Σύλλογος γειτονιάς",
                "sent": HIDDEN,
                "accepted": HIDDEN,
                "rejected": HIDDEN,
                "pending": HIDDEN,
                "expired": HIDDEN,
                "withdrawn": HIDDEN,
            },
        ],
        "totals": {"sent": 21, "accepted": 13, "rejected": HIDDEN, "pending": HIDDEN},
    }
    funnel, registry, others = _Page()._flow_tables(body)
    assert funnel.rows[0][1] == 21 and funnel.rows[1][1] == HIDDEN  # answered: a hidden part
    assert [r[:3] for r in registry.rows] == [
        ["ΔΥΠΑ Καλαμάτας", "Απασχόληση", 9],
        ["Κέντρο Κοινότητας Σπάρτη", "Συμβουλευτική", 7],
    ]
    assert [r[:2] for r in others.rows] == [["Σύλλογος γειτονιάς", "Τρόφιμα"]]
