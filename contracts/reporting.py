"""Contracts of the reporting service's own store: the releases of the figures that leave a
centre, each recorded once and never revised (docs/disclosure-control.md)."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts.base import EventContract, StrictSchema
from contracts.names import RELEASE_PUBLISHED

SOURCE = "reporting"
FAMILIES = ("regional", "esf")  # the monthly regional figures, the yearly ESF+ indicators


class ReleasePublishedV1(StrictSchema):
    family = fields.String(required=True, validate=validate.OneOf(FAMILIES))
    period = fields.String(required=True, metadata={"description": "2026-11, 2026-Q4 or 2026"})
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    rule = fields.Dict(required=True, metadata={"description": "the disclosure rule's parameters"})
    # table -> {rows, row_totals[, column_totals, total, group_totals]}: counts, or the hidden mark
    tables = fields.Dict(required=True)
    extras = fields.Dict(load_default=dict)  # figures over released cells (medians of >= 5)
    cells = fields.Integer(required=True)
    hidden = fields.Integer(required=True)


EVENTS = [
    EventContract(
        RELEASE_PUBLISHED,
        SOURCE,
        1,
        ReleasePublishedV1,
        "The figures of one period as they left reporting, after disclosure control: recorded"
        " once, and what every later request for that period is answered with.",
    ),
]
COMMANDS: list = []
