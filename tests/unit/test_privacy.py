from services.reporting.domain.disclosure import HIDDEN, SMALL, suppress_small, suppress_table


def test_counts_of_one_to_four_are_shown_as_under_five_and_zero_stays():
    assert suppress_small({"a": 0, "b": 1, "c": 4, "d": 5}) == {
        "a": 0,
        "b": SMALL,
        "c": SMALL,
        "d": 5,
    }


def test_a_lone_small_cell_in_a_row_takes_a_second_cell_with_it():
    # Kalamata row: 3 (small) and 20; the row total 23 is shown, so 20 would give the 3 away
    published = suppress_table(
        {
            "KK-KALAMATA": {"roma": 3, "elderly": 20, "homeless": 40},
            "KK-SPARTI": {"roma": 12, "elderly": 30, "homeless": 50},
        }
    )
    assert published["rows"]["KK-KALAMATA"] == {"elderly": HIDDEN, "homeless": 40, "roma": SMALL}
    assert published["row_totals"] == {"KK-KALAMATA": 63, "KK-SPARTI": 92}


def test_secondary_suppression_runs_until_no_hidden_cell_can_be_derived():
    published = suppress_table({"A": {"x": 3, "y": 20, "z": 40}, "B": {"x": 12, "y": 30, "z": 50}})
    hidden = {
        (r, c)
        for r, cells in published["rows"].items()
        for c, v in cells.items()
        if v in (SMALL, HIDDEN)
    }
    # each row and each column holds no hidden cell, or at least two
    for r in ("A", "B"):
        assert len([c for (rr, c) in hidden if rr == r]) in (0, 2, 3)
    for c in ("x", "y", "z"):
        assert len([r for (r, cc) in hidden if cc == c]) in (0, 2)
    assert hidden == {("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")}


def test_small_totals_are_suppressed_too():
    published = suppress_table({"A": {"x": 2, "y": 0}})
    assert (
        published["row_totals"]["A"] == SMALL
        and published["total"] == SMALL
        and published["rows"]["A"]["y"] == 0
    )
