"""The tables of a release as cells and relations (the input of domain/disclosure.py), and back
as what is published: every row and column a table can have is listed, zeros included, because a
row left out would say that it is zero.

A table has cells (row, column), a total per row (over the columns), and, when the columns add up
to something meaningful, a total per column and a grand total. Tables that count the same thing
share their totals (`totals_of`), some rows are the sum of, or hold at most, other rows in every
column (`row_relations`), and some columns add up to a group (a centre with its mobile unit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from services.reporting.domain.disclosure import RULE, Protection, Relation, Rule, Solver, protect

TOTAL = "*"


@dataclass(frozen=True)
class RowRelation:
    total: str
    parts: tuple[str, ...]
    exact: bool = True  # the total row is the sum of the part rows; otherwise at least it


@dataclass(frozen=True)
class Table:
    name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: Mapping[tuple[str, str], int]  # (row, column) -> count; missing means 0
    column_totals: bool = True
    totals_of: str | None = None  # another table counting the same things: the same totals
    column_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    row_relations: tuple[RowRelation, ...] = ()

    def cell(self, row: str, column: str) -> str:
        return f"{self.name}|{row}|{column}"

    def column_total(self, column: str) -> str:
        return f"{self.totals_of or self.name}|{TOTAL}|{column}"

    def group_total(self, group: str) -> str:
        return f"{self.totals_of or self.name}|{TOTAL}|group:{group}"

    def figures(self) -> tuple[dict[str, int], list[Relation]]:
        cells: dict[str, int] = {}
        relations: list[Relation] = []
        for r in self.rows:
            for c in self.columns:
                cells[self.cell(r, c)] = self.counts.get((r, c), 0)
            cells[self.cell(r, TOTAL)] = sum(self.counts.get((r, c), 0) for c in self.columns)
            relations.append(
                Relation(self.cell(r, TOTAL), tuple(self.cell(r, c) for c in self.columns))
            )
        if self.column_totals:
            for c in (*self.columns, TOTAL):
                cells[self.column_total(c)] = sum(cells[self.cell(r, c)] for r in self.rows)
                relations.append(
                    Relation(self.column_total(c), tuple(self.cell(r, c) for r in self.rows))
                )
            relations.append(
                Relation(
                    self.column_total(TOTAL), tuple(self.column_total(c) for c in self.columns)
                )
            )
            for group, members in self.column_groups.items():
                cells[self.group_total(group)] = sum(cells[self.column_total(c)] for c in members)
                relations.append(
                    Relation(self.group_total(group), tuple(self.column_total(c) for c in members))
                )
        for rr in self.row_relations:
            for c in (*self.columns, TOTAL):
                relations.append(
                    Relation(
                        self.cell(rr.total, c), tuple(self.cell(p, c) for p in rr.parts), rr.exact
                    )
                )
        return cells, relations

    def published(self, cells: Mapping[str, int], protection: Protection) -> dict:
        def shown(cell: str) -> int | str:
            return protection.shown(cell, cells[cell])

        found: dict = {
            "rows": {r: {c: shown(self.cell(r, c)) for c in self.columns} for r in self.rows},
            "row_totals": {r: shown(self.cell(r, TOTAL)) for r in self.rows},
        }
        if self.column_totals:
            found["column_totals"] = {c: shown(self.column_total(c)) for c in self.columns}
            found["total"] = shown(self.column_total(TOTAL))
            if self.column_groups:
                found["group_totals"] = {g: shown(self.group_total(g)) for g in self.column_groups}
        return found


def publish(tables: Iterable[Table], solver: Solver, rule: Rule = RULE) -> dict:
    """Every table of a release through the one disclosure-control step, together: what may be
    published, and how much was hidden."""
    tables = list(tables)
    cells: dict[str, int] = {}
    relations: list[Relation] = []
    for t in tables:
        found, related = t.figures()
        for cell, n in found.items():
            if cells.setdefault(cell, n) != n:
                raise ValueError(f"{cell}: two tables say {cells[cell]} and {n}")
        relations += related
    protection = protect(cells, relations, solver, rule)
    return {
        "tables": {t.name: t.published(cells, protection) for t in tables},
        "cells": len(cells),
        "hidden": len(protection.hidden),
        "primary": len(protection.primary),
    }
