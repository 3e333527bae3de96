"""The disclosure audit's solver: scipy's HiGHS, a minimisation and a maximisation per hidden cell
over what a reader knows (domain/disclosure.py builds the system)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from services.reporting.domain.disclosure import LinearSystem

UNBOUNDED = 3  # linprog's status


class HighsSolver:
    def intervals(
        self, system: LinearSystem, wanted: Mapping[str, bool]
    ) -> dict[str, tuple[float, float]]:
        index = {v: i for i, v in enumerate(system.variables)}
        equal = [c for c in system.constraints if c.exact]
        within = [c for c in system.constraints if not c.exact]
        a_eq, b_eq = _matrix(equal, index)
        a_ub, b_ub = _matrix(within, index)
        found = {}
        for variable, lower in wanted.items():
            objective = np.zeros(len(index))
            objective[index[variable]] = 1.0
            low = _solve(objective, a_ub, b_ub, a_eq, b_eq) if lower else 0.0
            high = -_solve(-objective, a_ub, b_ub, a_eq, b_eq)
            found[variable] = (low, high)
        return found


def _matrix(constraints, index):
    if not constraints:
        return None, None
    rows, columns, values = [], [], []
    for i, c in enumerate(constraints):
        for variable, coefficient in c.coefficients.items():
            rows.append(i)
            columns.append(index[variable])
            values.append(coefficient)
    shape = (len(constraints), len(index))
    return csr_matrix((values, (rows, columns)), shape=shape), np.array(
        [c.bound for c in constraints]
    )


def _solve(objective, a_ub, b_ub, a_eq, b_eq) -> float:
    answer = linprog(
        objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
    )
    if answer.status == UNBOUNDED:
        return -float("inf")
    if answer.status != 0:
        raise RuntimeError(f"disclosure audit: the LP failed ({answer.message})")
    return float(answer.fun)
