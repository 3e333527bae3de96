"""Small-cell suppression for every aggregate that leaves a centre (regional, national, exports).
A count of 1 to 4 could point at a person: it is shown as "<5" (primary suppression). Where a
table also shows its totals, one hidden cell in a row or column could be derived by subtraction,
so a second cell of that row or column is hidden too (secondary suppression), until no hidden
cell can be derived from what is shown."""

from __future__ import annotations

SMALL = "<5"
HIDDEN = "x"  # a cell hidden only to protect another (secondary)


def small(n: int) -> bool:
    return 0 < n < 5


def suppress_small(counts: dict[str, int]) -> dict[str, int | str]:
    return {k: (SMALL if small(v) else v) for k, v in counts.items()}


def suppress_table(table: dict[str, dict[str, int]]) -> dict:
    """`table[row][column] = count` -> the table as published: cells, row totals, column totals
    and the grand total, with primary and secondary suppression applied."""
    rows = sorted(table)
    columns = sorted({c for r in table.values() for c in r})
    value = {(r, c): table[r].get(c, 0) for r in rows for c in columns}
    hidden = {cell: SMALL for cell, n in value.items() if small(n)}
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in columns] for r in rows] + [
            [(r, c) for r in rows] for c in columns
        ]
        for line in lines:
            if sum(1 for cell in line if cell in hidden) == 1:
                # one hidden cell in a line whose total is shown: hide the smallest other non-zero one
                candidates = sorted(
                    (value[cell], cell) for cell in line if cell not in hidden and value[cell] > 0
                )
                if candidates:
                    hidden[candidates[0][1]] = HIDDEN
                    changed = True
    shown = {r: {c: hidden.get((r, c), value[(r, c)]) for c in columns} for r in rows}
    row_totals = {r: _total(sum(value[(r, c)] for c in columns)) for r in rows}
    column_totals = {c: _total(sum(value[(r, c)] for r in rows)) for c in columns}
    return {
        "rows": shown,
        "row_totals": row_totals,
        "column_totals": column_totals,
        "total": _total(sum(value.values())),
    }


def _total(n: int) -> int | str:
    return SMALL if small(n) else n
