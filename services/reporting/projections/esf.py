"""The ESF+ common indicators for participants (Regulation (EU) 2021/1057, Annex I, points 1.1
and 1.2, with the immediate and longer-term results): who entered each operation, counted once,
broken down by gender. The indicator names are the regulation's words; the Commission's codes
are not used until checked against the text (domain.md)."""
from __future__ import annotations

from collections import Counter
from datetime import date

from contracts.names import (
    BENEFICIARY_REGISTERED,
    CASE_CLOSED,
    FOLLOW_UP_RECORDED,
    NEEDS_ASSESSED,
    PERSONAL_DATA_ERASED,
)
from services.common.consumer import SourceEvent

EU = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV", "LT",
      "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK",
      "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU",
      "SVK", "SVN", "ESP", "SWE"}
INDICATORS = {  # name -> its words in Greek, as the exports print them
    "total_participants": "Σύνολο συμμετεχόντων",
    "unemployed_incl_long_term": "Άνεργοι, συμπεριλαμβανομένων των μακροχρόνια ανέργων",
    "long_term_unemployed": "Μακροχρόνια άνεργοι", "inactive": "Οικονομικά μη ενεργοί",
    "employed_incl_self_employed": "Απασχολούμενοι, συμπεριλαμβανομένων των αυτοαπασχολούμενων",
    "below_18": "Παιδιά κάτω των 18 ετών", "aged_18_29": "Νέοι 18-29 ετών", "aged_55_and_over": "55 ετών και άνω",
    "isced_0_2": "Κατώτερη δευτεροβάθμια ή χαμηλότερη (ISCED 0-2)",
    "isced_3_4": "Ανώτερη δευτεροβάθμια ή μεταδευτεροβάθμια (ISCED 3-4)", "isced_5_8": "Τριτοβάθμια (ISCED 5-8)",
    "with_disabilities": "Συμμετέχοντες με αναπηρία", "third_country_nationals": "Υπήκοοι τρίτων χωρών",
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
EXIT = {"job_searching": "job_searching_on_leaving", "in_education_or_training": "in_education_or_training_on_leaving",
        "gained_qualification": "gained_qualification_on_leaving", "employed": "employed_on_leaving"}
GENDERS = ("woman", "man", "non_binary", "unknown")


def age_on(born: date | None, on: date) -> int | None:
    return None if born is None else on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def indicators_of(p: dict, born: date | None) -> set[str]:
    """Which indicators one participant counts in: their situation at entry, then at exit."""
    found = {"total_participants", f"isced_{p['education'].replace('-', '_')}"}
    status = p["labour_status"]
    if status in ("unemployed", "long_term_unemployed"):
        found.add("unemployed_incl_long_term")
    found |= {"long_term_unemployed"} if status == "long_term_unemployed" else set()
    found |= {"inactive"} if status == "inactive" else set()
    found |= {"employed_incl_self_employed"} if status == "employed" else set()
    age = age_on(born, p["entered_on"])
    if age is not None:
        found.add("below_18" if age < 18 else "aged_18_29" if age <= 29 else "aged_55_and_over" if age >= 55 else "")
    flags = {"disability": "with_disabilities", "third_country": "third_country_nationals",
             "foreign_background": "foreign_background", "minority": "minorities_incl_roma",
             "homeless": "homeless_or_housing_exclusion", "rural": "from_rural_areas"}
    found |= {name for flag, name in flags.items() if p[flag]}
    if p["situation_at_exit"] in EXIT:
        found.add(EXIT[p["situation_at_exit"]])
    found |= {"employed_six_months_after"} if p["employed_6m"] else set()
    found |= {"improved_situation_six_months_after"} if p["improved_6m"] else set()
    return found - {""}


def apply_esf(cur, events: list[SourceEvent]) -> None:
    for e in events:
        person, d = e.personal or {}, e.data
        if e.type == BENEFICIARY_REGISTERED:
            cur.execute("INSERT INTO esf_person VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        (d["beneficiary_id"], person.get("gender"), person.get("birth_date")))
        elif e.type == PERSONAL_DATA_ERASED:
            cur.execute("DELETE FROM esf_person WHERE beneficiary_id = %s", (d["beneficiary_id"],))
            cur.execute("DELETE FROM esf_participant WHERE beneficiary_id = %s", (d["beneficiary_id"],))
        elif e.type == NEEDS_ASSESSED and person:
            cur.execute(
                "INSERT INTO esf_participant (beneficiary_id, operation, entered_on, labour_status, education,"
                " disability, third_country, foreign_background, minority, homeless, rural)"
                " SELECT %s, coalesce((SELECT centre FROM site_centre WHERE site = %s), %s), %s, %s, %s, %s, %s, %s,"
                " %s, %s, %s ON CONFLICT DO NOTHING",  # the first entry counts: a participant who comes back, once
                (d["beneficiary_id"], e.metadata.get("site"), e.metadata.get("site"), d["assessed_on"],
                 person["labour_status"], person["education"], person["disability"],
                 person["citizenship"].upper() not in EU, person["foreign_background"],
                 "roma" in person["groups"], "homeless" in person["groups"], person["rural"]))
        elif e.type == CASE_CLOSED and person.get("situation_at_exit"):
            cur.execute("UPDATE esf_participant SET left_on = %s, situation_at_exit = %s WHERE beneficiary_id = %s",
                        (d["closed_on"], person["situation_at_exit"], d["beneficiary_id"]))
        elif e.type == FOLLOW_UP_RECORDED and person:
            cur.execute("UPDATE esf_participant SET employed_6m = %s, improved_6m = %s WHERE beneficiary_id = %s",
                        (person["employed"], person["improved_situation"], d["beneficiary_id"]))


def reset_esf(cur) -> None:
    cur.execute("DELETE FROM esf_participant; DELETE FROM esf_person")


def esf_indicators(cur, operation: str | None = None, year: int | None = None) -> dict:
    """operation -> indicator -> gender -> participants (entered in `year`, when given)."""
    cur.execute("SELECT p.*, e.gender, e.birth_date FROM esf_participant p LEFT JOIN esf_person e"
                " USING (beneficiary_id) WHERE (%s::text IS NULL OR p.operation = %s)"
                " AND (%s::int IS NULL OR extract(year FROM p.entered_on) = %s)", (operation, operation, year, year))
    names = [c.name for c in cur.description]
    counts: dict[str, Counter] = {}
    for row in cur.fetchall():
        p = dict(zip(names, row, strict=True))
        gender = p["gender"] if p["gender"] in GENDERS else "unknown"
        for indicator in indicators_of(p, p["birth_date"]):
            counts.setdefault(p["operation"], Counter())[(indicator, gender)] += 1
    return {op: {i: {g: c[(i, g)] for g in GENDERS} for i in INDICATORS} for op, c in sorted(counts.items())}


def operation_codes(cur) -> dict[str, str]:
    """The centre's site -> its operation's MIS code (from the network's events)."""
    cur.execute("SELECT site, operation_mis FROM operation")
    return dict(cur.fetchall())
