"""Which ESF+ indicators one participant counts in (Reg. (EU) 2021/1057, Annex I): pure rules."""

from datetime import date

from services.reporting.domain.esf_indicators import INDICATORS, age_band, age_on, indicators_of

ENTRY = date(2026, 3, 2)


def participant(**changes) -> dict:
    base = {
        "education": "0-2",
        "labour_status": "inactive",
        "entered_on": ENTRY,
        "disability": False,
        "third_country": False,
        "foreign_background": False,
        "minority": False,
        "homeless": False,
        "rural": False,
        "situation_at_exit": None,
        "employed_6m": False,
        "improved_6m": False,
        "age_band": None,
    }
    return {**base, **changes}


def test_age_is_counted_on_the_day_of_entry_not_the_year():
    assert age_on(date(1970, 3, 3), ENTRY) == 55 and age_on(date(1970, 3, 2), ENTRY) == 56
    assert age_on(None, ENTRY) is None


def test_the_band_kept_is_that_of_the_age_on_the_day_of_entry():
    assert age_band(date(2008, 3, 3), ENTRY) == "below_18"
    assert age_band(date(2008, 3, 2), ENTRY) == "aged_18_29"
    assert age_band(date(1996, 3, 2), ENTRY) == "aged_30_54"
    assert age_band(date(1970, 3, 2), ENTRY) == "aged_55_and_over"
    assert age_band(None, ENTRY) is None


def test_a_long_term_unemployed_person_counts_as_unemployed_too():
    found = indicators_of(
        participant(
            labour_status="long_term_unemployed", age_band=age_band(date(1990, 1, 1), ENTRY)
        )
    )
    assert {
        "total_participants",
        "unemployed_incl_long_term",
        "long_term_unemployed",
        "isced_0_2",
    } <= found
    assert not {"below_18", "aged_18_29", "aged_55_and_over", "inactive"} & found


def test_the_age_bands_are_under_18_18_to_29_and_55_and_over():
    assert "below_18" in indicators_of(participant(age_band=age_band(date(2010, 1, 1), ENTRY)))
    assert "aged_18_29" in indicators_of(participant(age_band=age_band(date(1997, 1, 1), ENTRY)))
    assert "aged_55_and_over" in indicators_of(
        participant(age_band=age_band(date(1960, 1, 1), ENTRY))
    )


def test_flags_at_entry_and_results_at_exit_and_six_months_after_are_counted():
    found = indicators_of(
        participant(
            minority=True,
            homeless=True,
            disability=True,
            situation_at_exit="employed",
            employed_6m=True,
        )
    )
    assert {
        "minorities_incl_roma",
        "homeless_or_housing_exclusion",
        "with_disabilities",
        "employed_on_leaving",
        "employed_six_months_after",
    } <= found


def test_every_indicator_counted_has_greek_words_for_the_exports():
    everything = participant(
        labour_status="employed",
        disability=True,
        third_country=True,
        foreign_background=True,
        minority=True,
        homeless=True,
        rural=True,
        situation_at_exit="job_searching",
        employed_6m=True,
        improved_6m=True,
        age_band="aged_30_54",
    )
    assert indicators_of(everything) <= set(INDICATORS)
