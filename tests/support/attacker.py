"""An outside analyst with a linear-programming solver: given every table published for a period
(as the API hands them out), the smallest and largest value each hidden cell can take. Written
from the published tables and public knowledge only (rows add up to their totals, columns to
theirs, a centre's total is its sites', two tables counting the same contacts have the same
totals, and how the ESF+ indicators bound each other, from the regulation): it imports nothing
from the disclosure step it attacks."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

# how the ESF+ indicators relate in every gender column (Reg. (EU) 2021/1057, Annex I, read anew)
ESF_KNOWLEDGE = [
    ("total_participants", ["isced_0_2", "isced_3_4", "isced_5_8"], "=="),
    (
        "total_participants",
        ["unemployed_incl_long_term", "inactive", "employed_incl_self_employed"],
        "==",
    ),
    ("unemployed_incl_long_term", ["long_term_unemployed"], ">="),
    ("total_participants", ["below_18", "aged_18_29", "aged_55_and_over"], ">="),
    ("total_participants", ["with_disabilities"], ">="),
    ("total_participants", ["third_country_nationals"], ">="),
    ("total_participants", ["foreign_background"], ">="),
    ("total_participants", ["minorities_incl_roma"], ">="),
    ("total_participants", ["homeless_or_housing_exclusion"], ">="),
    ("total_participants", ["from_rural_areas"], ">="),
    ("total_participants", ["employed_six_months_after"], ">="),
    ("total_participants", ["improved_situation_six_months_after"], ">="),
    (
        "total_participants",
        [
            "job_searching_on_leaving",
            "in_education_or_training_on_leaving",
            "gained_qualification_on_leaving",
            "employed_on_leaving",
        ],
        ">=",
    ),
]
SAME_TOTALS = {"contacts_by_channel": "contacts", "referrals_by_site": "referrals_by_recipient"}


class Attack:
    def __init__(self, hidden_mark):
        self.hidden = hidden_mark
        self.known: dict[str, float] = {}
        self.unknown: set[str] = set()
        self.equal: list[tuple[list[str], str]] = []  # sum(parts) == total
        self.at_most: list[tuple[list[str], str]] = []  # sum(parts) <= total

    def _name(self, key: str, value) -> str:
        if value == self.hidden:
            self.unknown.add(key)
        else:
            self.known[key] = float(value)
        return key

    def read_table(self, name: str, t: dict, groups: dict | None = None) -> None:
        """A table as published: rows, row totals, column totals, grand total, group totals."""
        totals = SAME_TOTALS.get(name, name)
        columns = sorted({c for cells in t["rows"].values() for c in cells})
        for row, cells in t["rows"].items():
            parts = [self._name(f"{name}/{row}/{c}", v) for c, v in cells.items()]
            if "row_totals" in t:
                self.equal.append((parts, self._name(f"{name}/{row}/*", t["row_totals"][row])))
        if "column_totals" in t:
            for c in columns:
                parts = [f"{name}/{row}/{c}" for row in t["rows"]]
                self.equal.append((parts, self._name(f"{totals}/*/{c}", t["column_totals"][c])))
            grand = self._name(f"{totals}/*/*", t["total"])
            self.equal.append(([f"{totals}/*/{c}" for c in columns], grand))
            self.equal.append(([f"{name}/{row}/*" for row in t["rows"]], grand))
            for centre, n in t.get("group_totals", {}).items():
                sites = [s for s, c in (groups or {}).items() if c == centre and s in columns]
                self.equal.append(
                    ([f"{totals}/*/{s}" for s in sites], self._name(f"{name}/group/{centre}", n))
                )

    def read_esf(self, name: str, t: dict) -> None:
        self.read_table(name, t)
        for total, parts, how in ESF_KNOWLEDGE:
            for c in [*sorted(next(iter(t["rows"].values()))), "*"]:
                relation = ([f"{name}/{p}/{c}" for p in parts], f"{name}/{total}/{c}")
                (self.equal if how == "==" else self.at_most).append(relation)

    def read_release(self, release: dict) -> None:
        groups = release.get("extras", {}).get("centre_of", {})
        for name, table in release["tables"].items():
            if name.startswith("esf:"):
                self.read_esf(name, table)
            else:
                self.read_table(name, table, groups)

    def bounds(self) -> dict[str, tuple[float, float]]:
        """For every hidden cell: (min, max) over everything published."""
        variables = sorted(self.unknown)
        index = {v: i for i, v in enumerate(variables)}

        def rows(relations):
            a, b = [], []
            for parts, total in relations:
                line, rhs = np.zeros(len(variables)), 0.0
                for key, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
                    if key in index:
                        line[index[key]] += sign
                    else:
                        rhs -= sign * self.known[key]
                if line.any():
                    a.append(line)
                    b.append(rhs)
            return (np.array(a), np.array(b)) if a else (None, None)

        a_eq, b_eq = rows(self.equal)
        a_ub, b_ub = rows(self.at_most)
        found = {}
        for v in variables:
            objective = np.zeros(len(variables))
            objective[index[v]] = 1.0
            ends = []
            for sign in (1.0, -1.0):
                answer = linprog(
                    sign * objective,
                    A_ub=a_ub,
                    b_ub=b_ub,
                    A_eq=a_eq,
                    b_eq=b_eq,
                    bounds=(0, None),
                    method="highs",
                )
                ends.append(float("inf") if answer.status == 3 else sign * float(answer.fun))
            found[v] = (ends[0], ends[1])
        return found


def attack(releases: list[dict], hidden_mark) -> dict[str, tuple[float, float]]:
    """Every release of one period at once."""
    analyst = Attack(hidden_mark)
    for release in releases:
        analyst.read_release(release)
    return analyst.bounds()
