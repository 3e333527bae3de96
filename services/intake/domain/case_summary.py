"""What the record page shows of a case, folded from its events: the version the next command must
state, whether the case is closed, the open action plan with its steps, and the latest needs
assessment. Pure: the application reads the streams, this folds them, so neither the gateway nor a
template has to rebuild a plan or guess a version."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from contracts.names import (
    ACTION_PLAN_CLOSED,
    ACTION_PLAN_OPENED,
    ACTION_STEP_ADDED,
    ACTION_STEP_DONE,
    CASE_CLOSED,
    CASE_REOPENED,
    NEEDS_ASSESSED,
)


def summarize(events: Iterable[Any]) -> dict[str, Any]:
    """One case stream's events, in order -> {version, closed, plan, assessment}."""
    summary: dict[str, Any] = {"version": 0, "closed": False, "plan": None, "assessment": None}
    for event in events:
        summary["version"] = event.version
        data = event.payload
        if event.type == CASE_CLOSED:
            summary["closed"] = True
        elif event.type == CASE_REOPENED:
            summary["closed"] = False
        elif event.type == ACTION_PLAN_OPENED:
            summary["plan"] = {
                "plan_id": str(data["plan_id"]),
                "goals": data.get("goals"),
                "opened_on": data.get("opened_on"),
                "steps": [],
            }
        elif event.type == ACTION_PLAN_CLOSED:
            summary["plan"] = None
        elif event.type == ACTION_STEP_ADDED and summary["plan"]:
            summary["plan"]["steps"].append(
                {
                    "step_id": data["step_id"],
                    "description": data.get("description"),
                    "due_on": data.get("due_on"),
                    "done": False,
                }
            )
        elif event.type == ACTION_STEP_DONE and summary["plan"]:
            for step in summary["plan"]["steps"]:
                step["done"] = step["done"] or step["step_id"] == data["step_id"]
        elif event.type == NEEDS_ASSESSED:
            recorded = event.recorded_at.astimezone(UTC)  # one clock for every record compared
            summary["assessment"] = {**data, "assessed_at": recorded.isoformat()}
    return summary


def latest_assessment(summaries: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """A person with merged records: the most recently recorded assessment of any of them."""
    found = [s["assessment"] for s in summaries if s["assessment"]]
    return max(found, key=lambda a: datetime.fromisoformat(a["assessed_at"])) if found else None
