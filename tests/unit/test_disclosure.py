"""The one disclosure-control step (services/reporting/domain/disclosure.py and tables.py) with
the real LP solver, and the fixed periods figures are released for (domain/periods.py)."""

from __future__ import annotations

from datetime import date

import pytest

from services.reporting.adapters.linear_programming import HighsSolver
from services.reporting.domain.disclosure import (
    HIDDEN,
    InconsistentTables,
    Relation,
    Rule,
    protect,
)
from services.reporting.domain.periods import (
    BadPeriod,
    NotReleased,
    containing,
    latest_releasable,
    parse,
    requested,
)
from services.reporting.domain.tables import RowRelation, Table, publish
from tests.support.attacker import attack

SOLVER = HighsSolver()


def hidden_cells(table: dict) -> set[tuple[str, str]]:
    return {(r, c) for r, cells in table["rows"].items() for c, v in cells.items() if v == HIDDEN}


def test_counts_below_five_are_hidden_zero_included_and_five_is_shown():
    published = publish(
        [Table("t", ("a",), ("x", "y", "z", "w"), {("a", "y"): 4, ("a", "z"): 5, ("a", "w"): 30})],
        SOLVER,
    )
    row = published["tables"]["t"]["rows"]["a"]
    assert row["x"] == HIDDEN and row["y"] == HIDDEN and row["w"] == 30
    # 0 and 4 alone would be 39 - 5 - 30 = 4 together: a shown cell is hidden with them
    assert row["z"] == HIDDEN


def test_a_lone_small_cell_in_a_row_takes_the_smallest_other_cell_with_it():
    table = Table(
        "homes",
        ("KK-KALAMATA", "KK-SPARTI"),
        ("roma", "elderly", "homeless"),
        {
            ("KK-KALAMATA", "roma"): 3,
            ("KK-KALAMATA", "elderly"): 20,
            ("KK-KALAMATA", "homeless"): 40,
            ("KK-SPARTI", "roma"): 12,
            ("KK-SPARTI", "elderly"): 30,
            ("KK-SPARTI", "homeless"): 50,
        },
    )
    published = publish([table], SOLVER)["tables"]["homes"]
    assert hidden_cells(published) == {
        ("KK-KALAMATA", "roma"),
        ("KK-KALAMATA", "elderly"),
        ("KK-SPARTI", "roma"),
        ("KK-SPARTI", "elderly"),
    }
    assert published["row_totals"] == {"KK-KALAMATA": 63, "KK-SPARTI": 92}


def test_every_small_cell_keeps_an_interval_from_zero_to_five_against_an_lp_attack():
    counts = {(r, c): (r * 7 + c * 3) % 9 for r in range(8) for c in range(6)}
    table = Table(
        "t",
        tuple(str(r) for r in range(8)),
        tuple(str(c) for c in range(6)),
        {(str(r), str(c)): n for (r, c), n in counts.items()},
    )
    release = publish([table], SOLVER)
    bounds = attack([release], HIDDEN)
    for (r, c), n in counts.items():
        if n < 5:
            low, high = bounds[f"t/{r}/{c}"]
            assert low <= 1e-6 and high >= 5 - 1e-6, (r, c, n, low, high)


def test_linked_tables_are_audited_together():
    """Two tables of the same contacts share their totals per site: what one hides, the other
    must not give away."""
    by_place = Table(
        "contacts",
        ("9254", "9256"),
        ("KK", "MU"),
        {("9254", "KK"): 30, ("9254", "MU"): 2, ("9256", "KK"): 6, ("9256", "MU"): 40},
    )
    by_channel = Table(
        "contacts_by_channel",
        ("centre", "phone"),
        ("KK", "MU"),
        {("centre", "KK"): 33, ("centre", "MU"): 39, ("phone", "KK"): 3, ("phone", "MU"): 3},
        totals_of="contacts",
    )
    release = publish([by_place, by_channel], SOLVER)
    bounds = attack([release], HIDDEN)
    assert bounds["contacts/9254/MU"][1] >= 5 and bounds["contacts_by_channel/phone/KK"][1] >= 5
    assert (
        release["tables"]["contacts_by_channel"]["column_totals"]
        == release["tables"]["contacts"]["column_totals"]
    )


def test_rows_that_bound_others_are_part_of_what_a_reader_knows():
    rows = ("total", "a", "b", "subset")
    counts = {
        ("total", "w"): 20,
        ("a", "w"): 17,
        ("b", "w"): 3,
        ("subset", "w"): 2,
        ("total", "m"): 30,
        ("a", "m"): 10,
        ("b", "m"): 20,
        ("subset", "m"): 9,
    }
    table = Table(
        "esf",
        rows,
        ("w", "m"),
        counts,
        column_totals=False,
        row_relations=(
            RowRelation("total", ("a", "b")),
            RowRelation("b", ("subset",), exact=False),
        ),
    )
    release = publish([table], SOLVER)
    analyst = attack([release], HIDDEN)
    low, high = analyst["esf/b/w"]  # "total = a + b" in each column: a hidden b needs company
    assert low <= 1e-6 and high >= 5


def test_figures_that_break_their_own_totals_are_refused():
    with pytest.raises(InconsistentTables):
        protect({"a": 1, "b": 2, "t": 4}, [Relation("t", ("a", "b"))], SOLVER)
    with pytest.raises(InconsistentTables):
        protect({"a": 6, "t": 4}, [Relation("t", ("a",), exact=False)], SOLVER)


def test_a_higher_threshold_hides_more():
    cells = {"a": 6, "b": 9, "t": 15}
    assert protect(cells, [Relation("t", ("a", "b"))], SOLVER).hidden == frozenset()
    assert protect(cells, [Relation("t", ("a", "b"))], SOLVER, Rule(threshold=7)).hidden == {
        "a",
        "b",
    }


def test_periods_are_months_quarters_or_years_never_a_window():
    assert parse("2026-11", "month") == containing(date(2026, 11, 17), "month")
    assert parse("2026-Q4", "quarter").start == date(2026, 10, 1)
    assert parse("2026-Q4", "quarter").end == date(2026, 12, 31)
    assert parse("2026", "year").label == "2026"
    for bad, kind in (("2026-11-03", "month"), ("2026-13", "month"), ("2026-11", "year")):
        with pytest.raises(BadPeriod):
            parse(bad, kind)


def test_a_period_is_released_a_week_after_it_ends_and_not_before():
    assert latest_releasable("month", date(2026, 12, 3)).label == "2026-10"
    assert latest_releasable("month", date(2026, 12, 8)).label == "2026-11"
    assert latest_releasable("year", date(2026, 12, 3)).label == "2025"
    with pytest.raises(NotReleased):
        requested("2026-11", "month", date(2026, 12, 3))
    assert requested(None, "month", date(2026, 12, 3)).label == "2026-10"
