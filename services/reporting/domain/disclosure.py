"""The one disclosure-control step: every figure that leaves a centre is a cell of a release that
went through `protect` (docs/disclosure-control.md has the rule in words).

A release is a set of cells (counts) and the relations between them that a reader knows: a total
is the sum of its parts (`exact`), or at least their sum (a subset, e.g. long-term unemployed
within the unemployed). Shared cells link tables: the contacts by channel and by municipality have
the same totals per site, and the audit sees them as one figure.

1. Primary suppression: a count below `threshold` is hidden, zero included. A zero shown beside
   hidden cells would tell that every hidden cell holds someone, and in a small group (the
   participants who did not state a gender) the pattern of zeros and hidden cells spells out that
   one person's attributes.
2. Secondary suppression, audited by linear programming as tau-ARGUS does: for each primary cell,
   the smallest and largest value consistent with every published cell and every relation of the
   release (non-negative counts) must reach down to 0 and up to `threshold`: a reader can tell a
   hidden cell neither from an empty one nor from one of 5. While a cell fails, the smallest
   published cell that shares a relation with it (a part before a total) is hidden too.

Hiding a cell only ever widens every interval (a known value becomes a variable), so a cell once
protected stays protected and the loop ends: at worst everything connected to it is hidden, and then
all-zero and arbitrarily large solutions are both consistent with what is shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

HIDDEN = "c"  # the one mark of a hidden cell, primary or secondary (Eurostat's flag: confidential)
TOLERANCE = 1e-6  # the LP solver's answers are floating point


@dataclass(frozen=True)
class Rule:
    threshold: int = 5  # a count below it is hidden; a hidden cell's interval must reach it

    def sensitive(self, n: int) -> bool:
        return n < self.threshold

    def protected(self, low: float, high: float) -> bool:
        return low <= TOLERANCE and high >= self.threshold - TOLERANCE

    def as_dict(self) -> dict:
        return {
            "threshold": self.threshold,
            "primary": f"every count below {self.threshold}, zero included",
            "protection": f"each such cell's LP interval contains [0, {self.threshold}]",
            "hidden_mark": HIDDEN,
        }


RULE = Rule()


@dataclass(frozen=True)
class Relation:
    total: str
    parts: tuple[str, ...]
    exact: bool = True  # total == sum(parts); otherwise sum(parts) <= total

    @property
    def members(self) -> tuple[str, ...]:
        return (*self.parts, self.total)


@dataclass(frozen=True)
class Constraint:
    """sum(coefficient * variable) == bound (or <= bound when not `exact`)."""

    coefficients: Mapping[str, float]
    bound: float
    exact: bool


@dataclass(frozen=True)
class LinearSystem:
    """What a reader knows about some hidden cells: the variables are those cells (each >= 0)."""

    variables: tuple[str, ...]
    constraints: tuple[Constraint, ...]


class Solver(Protocol):
    """The port to a linear-programming solver (adapters/linear_programming.py)."""

    def intervals(
        self, system: LinearSystem, wanted: Mapping[str, bool]
    ) -> dict[str, tuple[float, float]]:
        """For each wanted variable, its (min, max) over the system; the min only where asked
        (True), else 0; the max is inf when unbounded."""
        ...


@dataclass(frozen=True)
class Protection:
    hidden: frozenset[str]
    primary: frozenset[str]
    intervals: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # the audit's word

    def shown(self, cell: str, value: int) -> int | str:
        return HIDDEN if cell in self.hidden else value


class InconsistentTables(ValueError):
    """The figures break a relation they are said to keep: a bug in how a release was built."""


def protect(
    cells: Mapping[str, int], relations: Iterable[Relation], solver: Solver, rule: Rule = RULE
) -> Protection:
    relations = list(relations)
    _check(cells, relations)
    primary = frozenset(c for c, n in cells.items() if rule.sensitive(n))
    hidden = set(primary)
    by_cell: dict[str, list[Relation]] = {}
    for r in relations:
        for m in r.members:
            by_cell.setdefault(m, []).append(r)
    settled: dict[str, tuple[float, float]] = {}
    while True:
        _close_obvious_gaps(cells, relations, hidden, primary, rule)
        failing = _audit(cells, relations, by_cell, hidden, primary, settled, solver, rule)
        if not failing:
            return Protection(frozenset(hidden), primary, settled)
        touched: set[Relation] = set()
        added = 0
        for cell in failing:
            if any(r in touched for r in by_cell.get(cell, ())):
                continue  # a complement already hidden this round may be enough: audit again
            complement = _complement(cell, cells, relations, by_cell, hidden, solver, rule)
            if complement is not None:
                hidden.add(complement)
                touched.update(by_cell.get(complement, ()))
                added += 1
        if not added:
            raise InconsistentTables(f"{failing[0]}: nothing left to hide and still not protected")


def _check(cells: Mapping[str, int], relations: list[Relation]) -> None:
    for r in relations:
        parts, total = sum(cells[p] for p in r.parts), cells[r.total]
        if (parts != total) if r.exact else (parts > total):
            raise InconsistentTables(f"{r.total}: {total} against parts summing to {parts}")


def _close_obvious_gaps(cells, relations, hidden: set, primary, rule: Rule) -> None:
    """What needs no solver: a sum with one hidden member gives it away; hidden parts of a shown
    total whose room is below the threshold cannot reach it. Saves most rounds of LPs."""
    changed = True
    while changed:
        changed = False
        for r in relations:
            members = [m for m in r.members if m in hidden]
            if not members:
                continue
            lone = r.exact and len(members) == 1
            room = cells[r.total] - sum(cells[p] for p in r.parts if p not in hidden)
            cramped = (
                r.total not in hidden
                and room < rule.threshold
                and any(m in primary for m in members)
            )
            if lone or cramped:
                shown = [m for m in r.parts if m not in hidden] or (
                    [r.total] if r.total not in hidden else []
                )
                if shown:
                    hidden.add(min(shown, key=lambda m: (cells[m], m)))
                    changed = True


def _audit(cells, relations, by_cell, hidden, primary, settled, solver, rule) -> list[str]:
    """The primary cells whose interval is still too narrow; `settled` keeps the protected ones."""
    failing = []
    for component in _components(relations, hidden):
        todo = [c for c in component if c in primary and c not in settled]
        if not todo:
            continue
        if _nothing_shown_around(component, by_cell, hidden):
            settled.update((c, (0.0, float("inf"))) for c in todo)
            continue
        system = _system(component, cells, relations, by_cell, hidden)
        found = solver.intervals(system, {c: cells[c] > 0 for c in todo})
        for cell in sorted(todo):
            low, high = found[cell]
            if rule.protected(low, high):
                settled[cell] = (low, high)
            else:
                failing.append(cell)
    return failing


def _nothing_shown_around(component, by_cell, hidden) -> bool:
    return all(m in hidden for c in component for r in by_cell.get(c, ()) for m in r.members)


def _components(relations: list[Relation], hidden: set[str]) -> list[list[str]]:
    """Hidden cells linked through relations: each group is audited as one linear system."""
    parent = {c: c for c in hidden}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for r in relations:
        members = [m for m in r.members if m in hidden]
        for m in members[1:]:
            parent[root(m)] = root(members[0])
    groups: dict[str, list[str]] = {}
    for c in sorted(hidden):
        groups.setdefault(root(c), []).append(c)
    return list(groups.values())


def _system(component, cells, relations, by_cell, hidden) -> LinearSystem:
    involved = {r for c in component for r in by_cell.get(c, ())}
    constraints = []
    for r in relations:
        if r not in involved:
            continue
        coefficients: dict[str, float] = {}
        bound = 0.0
        for m, sign in [(p, 1.0) for p in r.parts] + [(r.total, -1.0)]:
            if m in hidden:
                coefficients[m] = coefficients.get(m, 0.0) + sign
            else:
                bound -= sign * cells[m]
        constraints.append(Constraint(coefficients, bound, r.exact))
    return LinearSystem(tuple(component), tuple(constraints))


def _complement(cell, cells, relations, by_cell, hidden: set[str], solver, rule) -> str | None:
    """The smallest shown cell sharing a relation with `cell` (parts before totals) that is enough
    to protect it, or else the smallest; failing any in its relations, one linked to it further
    away. None when everything linked is hidden already."""
    candidates = _candidates(cell, cells, by_cell, hidden)
    for candidate in candidates[:TRIES]:
        hidden.add(candidate)
        component = _component_of(cell, by_cell, hidden)
        system = _system(component, cells, relations, by_cell, hidden)
        low, high = solver.intervals(system, {cell: cells[cell] > 0})[cell]
        hidden.discard(candidate)
        if rule.protected(low, high):
            return candidate
    return candidates[0] if candidates else None


TRIES = 6  # complements tried, smallest first, before settling for the smallest


def _candidates(cell: str, cells, by_cell, hidden: set[str]) -> list[str]:
    seen, frontier = {cell}, [cell]
    while frontier:
        found = set()
        for c in frontier:
            for r in by_cell.get(c, ()):
                found |= {(0, cells[p], p) for p in r.parts if p not in hidden}
                if r.total not in hidden:
                    found.add((1, cells[r.total], r.total))
        if found:
            return [c for *_, c in sorted(found)]
        frontier = sorted(
            {m for c in frontier for r in by_cell.get(c, ()) for m in r.members} - seen
        )
        seen.update(frontier)
    return []


def _component_of(cell: str, by_cell, hidden: set[str]) -> list[str]:
    found, todo = {cell}, [cell]
    while todo:
        c = todo.pop()
        for r in by_cell.get(c, ()):
            for m in r.members:
                if m in hidden and m not in found:
                    found.add(m)
                    todo.append(m)
    return sorted(found)
