"""The ESF+ common indicators for participants (Regulation (EU) 2021/1057, Annex I, points 1.1
and 1.2, with the immediate and longer-term results): which indicators one participant counts in.
Pure rules, no storage: the reporting projection (adapters/projections/esf.py) applies them. The
indicator names are the regulation's words; the Commission's codes are not used until checked
against the text (domain.md)."""

from __future__ import annotations

from datetime import date

EU = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "EL",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "AUT",
    "BEL",
    "BGR",
    "HRV",
    "CYP",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "IRL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
}
INDICATORS = {  # name -> its words in Greek, as the exports print them
    "total_participants": "Σύνολο συμμετεχόντων",
    "unemployed_incl_long_term": "Άνεργοι, συμπεριλαμβανομένων των μακροχρόνια ανέργων",
    "long_term_unemployed": "Μακροχρόνια άνεργοι",
    "inactive": "Οικονομικά μη ενεργοί",
    "employed_incl_self_employed": "Απασχολούμενοι, συμπεριλαμβανομένων των αυτοαπασχολούμενων",
    "below_18": "Παιδιά κάτω των 18 ετών",
    "aged_18_29": "Νέοι 18-29 ετών",
    "aged_55_and_over": "55 ετών και άνω",
    "isced_0_2": "Κατώτερη δευτεροβάθμια ή χαμηλότερη (ISCED 0-2)",
    "isced_3_4": "Ανώτερη δευτεροβάθμια ή μεταδευτεροβάθμια (ISCED 3-4)",
    "isced_5_8": "Τριτοβάθμια (ISCED 5-8)",
    "with_disabilities": "Συμμετέχοντες με αναπηρία",
    "third_country_nationals": "Υπήκοοι τρίτων χωρών",
    "foreign_background": "Συμμετέχοντες αλλοδαπής καταγωγής",
    "minorities_incl_roma": "Μειονότητες (συμπεριλαμβανομένων των Ρομά)",
    "homeless_or_housing_exclusion": "Άστεγοι ή πληττόμενοι από στεγαστικό αποκλεισμό",
    "from_rural_areas": "Από αγροτικές περιοχές",
    "job_searching_on_leaving": "Αναζητούν εργασία κατά την αποχώρηση",
    "in_education_or_training_on_leaving": "Σε εκπαίδευση ή κατάρτιση κατά την αποχώρηση",
    "gained_qualification_on_leaving": "Απέκτησαν προσόντα κατά την αποχώρηση",
    "employed_on_leaving": "Σε απασχόληση κατά την αποχώρηση",
    "employed_six_months_after": "Σε απασχόληση έξι μήνες μετά την αποχώρηση",
    "improved_situation_six_months_after": "Με βελτιωμένη θέση στην αγορά εργασίας έξι μήνες μετά",
}
EXIT = {
    "job_searching": "job_searching_on_leaving",
    "in_education_or_training": "in_education_or_training_on_leaving",
    "gained_qualification": "gained_qualification_on_leaving",
    "employed": "employed_on_leaving",
}
GENDERS = ("woman", "man", "non_binary", "unknown")


# The age bands of the indicators, and the one between them that no indicator counts: what the
# read model keeps of a participant's age at entry, instead of their birth date.
AGE_BANDS = ("below_18", "aged_18_29", "aged_30_54", "aged_55_and_over")


def age_on(born: date | None, on: date) -> int | None:
    return (
        None
        if born is None
        else on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    )


def age_band(born: date | None, on: date) -> str | None:
    """The band of the age on the day of entry (None when the birth date is not known)."""
    age = age_on(born, on)
    if age is None:
        return None
    return (
        "below_18"
        if age < 18
        else "aged_18_29"
        if age <= 29
        else "aged_55_and_over"
        if age >= 55
        else "aged_30_54"
    )


def indicators_of(p: dict) -> set[str]:
    """Which indicators one participant counts in: their situation at entry, then at exit."""
    found = {"total_participants", f"isced_{p['education'].replace('-', '_')}"}
    status = p["labour_status"]
    if status in ("unemployed", "long_term_unemployed"):
        found.add("unemployed_incl_long_term")
    found |= {"long_term_unemployed"} if status == "long_term_unemployed" else set()
    found |= {"inactive"} if status == "inactive" else set()
    found |= {"employed_incl_self_employed"} if status == "employed" else set()
    if p["age_band"] in INDICATORS:  # aged 30-54 is no indicator of its own
        found.add(p["age_band"])
    flags = {
        "disability": "with_disabilities",
        "third_country": "third_country_nationals",
        "foreign_background": "foreign_background",
        "minority": "minorities_incl_roma",
        "homeless": "homeless_or_housing_exclusion",
        "rural": "from_rural_areas",
    }
    found |= {name for flag, name in flags.items() if p[flag]}
    if p["situation_at_exit"] in EXIT:
        found.add(EXIT[p["situation_at_exit"]])
    found |= {"employed_six_months_after"} if p["employed_6m"] else set()
    found |= {"improved_situation_six_months_after"} if p["improved_6m"] else set()
    return found


# How the indicators of one gender column (and of their totals) bound each other: what anyone who
# reads the regulation knows, and so what the disclosure audit gives the reader it guards against.
# (total row, part rows, exact): exact when the parts add up to the total, else they hold at most it
PARTITIONS = (
    ("total_participants", ("isced_0_2", "isced_3_4", "isced_5_8"), True),
    (
        "total_participants",
        ("unemployed_incl_long_term", "inactive", "employed_incl_self_employed"),
        True,
    ),
    ("unemployed_incl_long_term", ("long_term_unemployed",), False),
    ("total_participants", ("below_18", "aged_18_29", "aged_55_and_over"), False),
    *(
        ("total_participants", (flag,), False)
        for flag in (
            "with_disabilities",
            "third_country_nationals",
            "foreign_background",
            "minorities_incl_roma",
            "homeless_or_housing_exclusion",
            "from_rural_areas",
            "employed_six_months_after",
            "improved_situation_six_months_after",
        )
    ),
    ("total_participants", tuple(EXIT.values()), False),  # one situation on leaving each
)
