"""The report pages of the regional coordinator and the heads of centre: the regional overview,
the ESF+ indicators, coverage per 1,000 residents, targets against the time elapsed, the referral
flow, staffing and caseloads, and a head's daily register. Each page calls the API's own route
(the same checks, the same suppression) and shows its figures as tables, with names instead of
codes, a chart where one reads faster than a table (Chart.js, drawn by /static/charts.js from the
chart's data- attribute: no inline script) and the same tables as a CSV or XLSX download (the
page's address with `format=`, so the session cookie is all it needs).

A hidden cell (reporting's "c") is shown with the hidden mark, is never drawn as a number and
makes any sum it is part of hidden too."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from contracts.directory import NEEDS
from contracts.geography import municipalities, regional_units
from services.common.spreadsheets import as_csv, as_xlsx_sheets
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.web.i18n import WORDS, labeller
from services.portal_gateway.entrypoints.web.names import day

HIDDEN = "c"  # how reporting marks a hidden cell (services/reporting/domain/disclosure.py)
FILES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OUTCOMES = ("accepted", "rejected", "pending", "expired", "withdrawn")  # as a release counts them
GENDERS = ("woman", "man", "non_binary", "unknown")
ESF_ORDER = {key: n for n, key in enumerate(k for k in WORDS if k.startswith("esf_"))}
TREND_MONTHS = 6  # the released months the overview's trend goes back


@dataclass
class Column:
    title: str
    kind: str = "count"  # text, count, rate, percent, days, day


@dataclass
class Table:
    """One table of a report: what the page shows, what the chart draws, what a download holds."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    chart: dict | None = None  # columns (indexes) to draw, and how: see chart_spec
    note: str | None = None

    def chart_spec(self) -> str:
        """The chart's JSON for its data- attribute: the first column labels each row; a hidden
        or unknown value is null, a gap rather than a number."""
        chart = self.chart or {}
        drawn = chart.get("columns", [])
        spec = {
            "type": chart.get("type", "bar"),
            "horizontal": chart.get("horizontal", False),
            "stacked": chart.get("stacked", False),
            "percent": self.columns[drawn[0]].kind == "percent" if drawn else False,
            "integers": all(self.columns[i].kind == "count" for i in drawn),  # people: no 0,5
            "max": chart.get("max"),
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {"label": self.columns[i].title, "data": [_plotted(row[i]) for row in self.rows]}
                for i in drawn
            ],
        }
        return json.dumps(spec, ensure_ascii=False)

    def drawable(self) -> bool:
        """Whether the chart would draw anything: where every figure is hidden, a note says so
        instead of an empty chart."""
        drawn = (self.chart or {}).get("columns", [])
        return any(_plotted(row[i]) is not None for row in self.rows for i in drawn)

    def chart_height(self) -> int:
        """Room for every bar of a horizontal chart (municipalities, centres), in rem."""
        chart = self.chart or {}
        return max(16, round(2.5 * len(self.rows)) + 4) if chart.get("horizontal") else 18

    def lines(self, mark: str) -> list[list]:
        """The table as a file's lines: a hidden cell written as the mark, an unknown one empty."""
        return [[c.title for c in self.columns]] + [
            [mark if v == HIDDEN else ("" if v is None else v) for v in row] for row in self.rows
        ]


def _regulation_order(indicator: str) -> int:
    """The ESF+ indicators in the regulation's order: the order of their words in the catalogue
    (the answer's own order is lost on the way, JSON objects being unordered)."""
    return ESF_ORDER.get(f"esf_{indicator}", len(ESF_ORDER))


def _plotted(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def total(values) -> Any:
    """A sum of cells as released: hidden if any part is hidden (it would give that part back)."""
    values = list(values)
    return HIDDEN if HIDDEN in values else sum(v for v in values if v is not None)


def share(value) -> float | None:
    """A share (0.46) as the percentage people read (46.0)."""
    return None if value is None or value == HIDDEN else round(100 * value, 1)


def number(value, kind: str, lang: str) -> str:
    """A figure as people read it: 1.234,5 in Greek, 1,234.5 in English; a date as dd/mm/yyyy."""
    if value is None or value == "":
        return "—"
    if kind == "day":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if kind == "text" or not isinstance(value, (int, float)):
        return str(value)
    decimals = {"rate": 2, "percent": 0 if value == 0 or abs(value) >= 10 else 1, "days": 1}.get(
        kind, 0
    )
    text = f"{value:,.{decimals}f}"
    if lang == "el":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{text} %" if kind == "percent" else text


class ReportPages:
    """Mixed into pages.Page, whose plumbing these are."""

    request: Any
    principal: Any
    lang: str
    t: Any
    api: Any
    render: Any
    names: Any

    # --- names -------------------------------------------------------------------------------
    def _network(self) -> dict[str, dict]:
        """The network's sites by code (the registry's, public): names instead of codes."""
        if not hasattr(self, "_sites"):
            _, body = self.api("GET", "/network")
            self._sites = {s["site"]: s for s in body.get("sites", [])}
        return self._sites

    def _site(self, code: str | None) -> str:
        return self.names().site(code) if code else self.t("whole_region")

    def _municipality(self, code: str) -> str:
        found = municipalities().get(code)
        if found is None:
            return code
        return found.name_el if self.lang == "el" else found.name_en

    def _regional_unit(self, code: str) -> str:
        found = regional_units().get(code)
        if found is None:
            return code
        return found.name_el if self.lang == "el" else found.name_en

    # --- the page and its files ----------------------------------------------------------------
    def _query(self, *keys: str) -> dict:
        return {k: v for k, v in self.request.args.items() if k in keys and v}

    def _report(self, title: str, status: int, body: dict, tables: list[Table], **extra):
        fmt = self.request.args.get("format")
        if fmt in FILES and status == 200:
            return self._file(title, tables, fmt)
        if fmt and fmt not in FILES:
            status, body = 400, {"error": self.t("unknown_format")}
        query = {k: v for k, v in self.request.args.items() if k not in ("format", "lang")}
        mark = self.t("hidden_mark")
        extra["facts"] = [(k, mark if v == HIDDEN else v) for k, v in extra.get("facts", [])]
        return self.render(
            "report.html",
            status,
            title=title,
            tables=tables if status == 200 else [],
            error=body.get("error"),
            hidden=HIDDEN,
            show=lambda value, kind: number(value, kind, self.lang),
            downloads={f: "?" + urlencode({**query, "format": f}) for f in FILES},
            reports=self._reports(),
            request_path=self.request.path,
            request_args=self.request.args,
            **extra,
        )

    def _file(self, title: str, tables: list[Table], fmt: str):
        mark = self.t("hidden_mark")
        legend = [[mark, self.t("hidden_means")]]
        if fmt == "xlsx":
            content = as_xlsx_sheets([(t.title, t.lines(mark) + [[], *legend]) for t in tables])
        else:
            lines: list[list] = [[title]]
            for t in tables:
                lines += [[], [t.title], *t.lines(mark)]
            content = as_csv(lines + [[], *legend])
        stem = self.request.path.strip("/").replace("/", "-") or "report"
        parts = [self.request.args.get(k) for k in ("site", "period", "year")]
        # only letters, digits and dashes from the address go into the header's file name
        name = re.sub(r"[^A-Za-z0-9-]", "", "-".join([stem, *(p for p in parts if p)])) + f".{fmt}"
        headers = {
            "Content-Type": FILES[fmt],
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        }
        return 200, headers, content

    def _reports(self) -> list[tuple[str, str]]:
        """The report pages this person may open, for the pages' own menu."""
        me, found = self.principal, []
        if access.see_regional_overview(me):
            found.append(("/overview", self.t("overview")))
        if access.see_regional_figures(me):
            found += [
                ("/reports/esf", self.t("esf_indicators")),
                ("/reports/coverage", self.t("coverage")),
                ("/reports/targets", self.t("targets")),
                ("/reports/referral-flow", self.t("referral_flow")),
                ("/reports/staffing", self.t("staffing")),
            ]
        if access.see_site_figures(me, me.site) and not access.figures_leave_the_centre(me):
            found.append(("/daily", self.t("daily_register")))
        return found

    # --- the pages ----------------------------------------------------------------------------
    def overview(self):
        """The region's released month: every site and municipality by name (a site with no
        activity too), and the trend of the last released months."""
        status, body = self.api("GET", "/overview", query=self._query("period"))
        if status != 200:
            return self._report(self.t("overview"), status, body, [])
        sites = sorted(
            self._network().values(),
            key=lambda s: (s.get("parent_centre") or s["site"], s["kind"] != "centre"),
        )
        by_site = Table(
            "sites",
            self.t("by_site"),
            [
                Column(self.t("site"), "text"),
                Column(self.t("new_beneficiaries")),
                Column(self.t("contacts")),
                Column(self.t("referrals")),
            ],
            [
                [
                    s["name"],
                    body["new_beneficiaries_by_site"].get(s["site"], HIDDEN),
                    body["contacts_by_site"].get(s["site"], HIDDEN),
                    body["referrals_by_site"].get(s["site"], HIDDEN),
                ]
                for s in sites
            ],
            chart={"columns": [1, 2, 3], "horizontal": True},
        )
        by_place = Table(
            "municipalities",
            self.t("contacts_by_municipality"),
            [
                Column(self.t("municipality"), "text"),
                Column(self.t("regional_unit"), "text"),
                Column(self.t("contacts")),
            ],
            [
                [
                    self._municipality(code),
                    self._regional_unit(m.regional_unit),
                    body["contacts_by_municipality"].get(code, HIDDEN),
                ]
                for code, m in sorted(
                    municipalities().items(), key=lambda kv: (kv[1].regional_unit, kv[1].name_el)
                )
            ],
            chart={"columns": [2], "horizontal": True},
        )
        trend = Table(
            "trend",
            self.t("trend_by_month"),
            [
                Column(self.t("period"), "text"),
                Column(self.t("new_beneficiaries")),
                Column(self.t("contacts")),
                Column(self.t("referrals")),
            ],
            self._trend(body),
            chart={"columns": [1, 2, 3], "type": "line"},
            note=self.t("trend_note"),
        )
        median = body["response_times"].get("median_days_to_response")
        facts = [
            (self.t("period"), body["period"]),
            (self.t("released_at"), day(body["released_at"])),
            (self.t("referrals"), body["referrals"]),
            (self.t("response_times"), number(median, "days", self.lang)),
        ]
        return self._report(
            self.t("overview"),
            status,
            body,
            [trend, by_site, by_place],
            facts=facts,
            period="month",
        )

    def _trend(self, latest: dict) -> list[list]:
        """The region's totals in the last released months, oldest first (a month is released
        whole or not at all: the first not released ends the look back)."""
        months, found = [latest], latest
        for _ in range(TREND_MONTHS - 1):
            first = date.fromisoformat(found["period"] + "-01")
            previous = (first - timedelta(days=1)).strftime("%Y-%m")
            status, found = self.api("GET", "/overview", query={"period": previous})
            if status != 200:
                break
            months.append(found)
        return [
            [
                m["period"],
                m.get("totals", {}).get("new_beneficiaries", HIDDEN),
                m.get("totals", {}).get("contacts", HIDDEN),
                m["referrals"],
            ]
            for m in reversed(months)
        ]

    def reports_esf(self):
        me = self.principal
        query = self._query("year")
        if not access.figures_leave_the_centre(me):  # a head reads their own operation
            query["operation"] = me.site or ""
        status, body = self.api("GET", "/reports/esf", query=query)
        tables: list[Table] = []
        if status == 200:
            tables = self._esf_tables(body)
        facts = [(self.t("period"), body["period"])] if body.get("period") else []
        return self._report(
            self.t("esf_indicators"), status, body, tables, facts=facts, period="year"
        )

    def _esf_tables(self, body: dict) -> list[Table]:
        released = body["suppressed"]
        genders = [Column(self.t(f"gender_{g}")) for g in GENDERS]
        overview = Table(
            "participants",
            self.t("participants_by_gender"),
            [Column(self.t("operation"), "text"), *genders, Column(self.t("total"))],
            chart={"columns": [1, 2, 3, 4], "horizontal": True, "stacked": True},
        )
        tables = [overview]
        for site, table in sorted(body["operations"].items()):
            mis = body["operation_mis"].get(site)
            title = f"{self._site(site)} · MIS {mis}" if mis else self._site(site)
            rows: list[list] = []
            participants: list = [None] * (len(GENDERS) + 1)
            cells_of = table["rows"] if released else table
            for indicator in sorted(cells_of, key=_regulation_order):
                cells = cells_of[indicator]
                values = [cells.get(g, HIDDEN if released else 0) for g in GENDERS]
                whole = table["row_totals"].get(indicator, HIDDEN) if released else sum(values)
                rows.append([self.t(f"esf_{indicator}"), *values, whole])
                if indicator == "total_participants":
                    participants = [*values, whole]
            tables.append(
                Table(
                    f"esf-{site}",
                    title,
                    [Column(self.t("indicator"), "text"), *genders, Column(self.t("total"))],
                    rows,
                )
            )
            overview.rows.append([self._site(site), *participants])
        return tables

    def reports_coverage(self):
        status, body = self.api("GET", "/reports/coverage", query=self._query("period"))
        tables = []
        if status == 200:
            rows = sorted(body["municipalities"], key=lambda m: (m["regional_unit"], m["name_el"]))
            tables.append(
                Table(
                    "coverage",
                    self.t("coverage_by_municipality"),
                    [
                        Column(self.t("municipality"), "text"),
                        Column(self.t("regional_unit"), "text"),
                        Column(self.t("population_2021")),
                        Column(self.t("new_beneficiaries")),
                        Column(self.t("per_1000_residents"), "rate"),
                        Column(self.t("mobile_unit_contacts")),
                    ],
                    [
                        [
                            self._municipality(m["municipality_code"]),
                            self._regional_unit(m["regional_unit"]),
                            m["population_2021"],
                            m["new_beneficiaries"],
                            m["per_1000_residents"],
                            m["mobile_unit_contacts"],
                        ]
                        for m in rows
                    ],
                    chart={"columns": [4], "horizontal": True},
                    note=self.t("coverage_note"),
                )
            )
        return self._report(
            self.t("coverage"), status, body, tables, facts=self._released(body), period="month"
        )

    def _released(self, body: dict) -> list[tuple[str, Any]]:
        if not body.get("period"):
            return []
        return [
            (self.t("period"), body["period"]),
            (self.t("released_at"), day(body["released_at"])),
        ]

    def reports_targets(self):
        status, body = self.api("GET", "/reports/targets", query=self._query("period"))
        tables, sentences = [], []
        if status == 200:
            table = Table(
                "targets",
                self.t("targets_progress"),
                [
                    Column(self.t("site"), "text"),
                    Column(self.t("operation_period"), "text"),
                    Column(self.t("target")),
                    Column(self.t("new_beneficiaries")),
                    Column(self.t("share_of_target"), "percent"),
                    Column(self.t("period_elapsed"), "percent"),
                ],
                chart={"columns": [4, 5], "horizontal": True, "max": 100},
            )
            for op in body["operations"]:
                name = self._site(op["site"])
                reached, elapsed = share(op["share_of_target"]), share(op.get("period_elapsed"))
                shown, reached_text = op["new_beneficiaries"], number(reached, "percent", self.lang)
                if shown == HIDDEN and op["target"]:
                    # a month hidden: only what the shown months add up to, a lower bound (given
                    # in words, never drawn as if it were the figure)
                    least = op["new_beneficiaries_at_least"]
                    shown = self.t("at_least").format(n=least)
                    reached = reached_text = self.t("at_least").format(
                        n=number(share(least / op["target"]), "percent", self.lang)
                    )
                start, end = (
                    number(op[k], "day", self.lang) for k in ("period_start", "period_end")
                )
                period = f"{start} – {end}"
                table.rows.append([name, period, op["target"], shown, reached, elapsed])
                sentences.append(
                    self.t("target_sentence").format(
                        site=name,
                        reached=reached_text,
                        elapsed=number(elapsed, "percent", self.lang),
                    )
                )
            tables.append(table)
        facts = []
        if body.get("released_through"):
            facts.append((self.t("released_through"), body["released_through"]))
        return self._report(
            self.t("targets"),
            status,
            body,
            tables,
            facts=facts,
            sentences=sentences,
            # a head's own are live: no month to choose
            period="month" if access.figures_leave_the_centre(self.principal) else None,
        )

    def reports_referral_flow(self):
        status, body = self.api("GET", "/reports/referral-flow", query=self._query("period"))
        tables = []
        if status == 200:
            tables = self._flow_tables(body)
        return self._report(
            self.t("referral_flow"),
            status,
            body,
            tables,
            facts=self._released(body),
            period="month",
        )

    def _flow_tables(self, body: dict) -> list[Table]:
        label = labeller(self.lang)
        totals = body.get("totals") or {}
        accepted, rejected = totals.get("accepted", HIDDEN), totals.get("rejected", HIDDEN)
        funnel = Table(
            "funnel",
            self.t("referral_funnel"),
            [Column(self.t("stage"), "text"), Column(self.t("referrals"))],
            [
                [self.t("funnel_sent"), totals.get("sent", HIDDEN)],
                [self.t("funnel_answered"), total([accepted, rejected])],
                [self.t("funnel_accepted"), accepted],
                [self.t("funnel_rejected"), rejected],
                [self.t("funnel_pending"), totals.get("pending", HIDDEN)],
                [self.t("funnel_expired"), totals.get("expired", HIDDEN)],
                [self.t("funnel_withdrawn"), totals.get("withdrawn", HIDDEN)],
            ],
            chart={"columns": [1], "horizontal": True},
            note=self.t("funnel_note"),
        )
        columns = [
            Column(self.t("recipient"), "text"),
            Column(self.t("need"), "text"),
            Column(self.t("funnel_sent")),
            *(Column(self.t(f"outcome_{o}")) for o in OUTCOMES),
            Column(self.t("acceptance_rate"), "percent"),
            Column(self.t("median_days_to_response"), "days"),
            Column(self.t("median_days_to_outcome"), "days"),
        ]
        registry = Table(
            "recipients",
            self.t("by_recipient"),
            columns,
            chart={"columns": [3, 4, 5], "horizontal": True, "stacked": True},
        )
        others = Table(
            "others",
            self.t("recipients_outside_registry"),
            list(columns),
            note=self.t("others_note"),
        )
        for row in body["flow"]:
            name, _, need = row["recipient_and_need"].rpartition(" · ")
            code = row.get("recipient_id") or name
            known = name != code or code in self._network()  # the directory or the network named it
            line = [
                self._site(code) if code in self._network() else name,
                label(need) if need in NEEDS else need,
                row["sent"],
                *(row.get(o, HIDDEN) for o in OUTCOMES),
                share(row.get("acceptance_rate")),
                row.get("median_days_to_response"),
                row.get("median_days_to_outcome"),
            ]
            (registry if known else others).rows.append(line)
        for table in (registry, others):  # by the names people read, not by codes
            table.rows.sort(key=lambda line: (str(line[0]), str(line[1])))
        return [funnel, registry, others] if others.rows else [funnel, registry]

    def reports_staffing(self):
        status, body = self.api("GET", "/network/staffing")
        tables = []
        if status == 200:
            sites = self._network()
            rows = []
            for s in body["sites"]:
                roles = [m["role"] for m in sites.get(s["site"], {}).get("staff", [])]
                rows.append(
                    [
                        self._site(s["site"]),
                        self.t(f"kind_{s['kind']}"),
                        s["population"],
                        s["staff"],
                        ", ".join(
                            f"{self.t('role_' + r)} {roles.count(r)}" for r in sorted(set(roles))
                        ),
                        " · ".join(s["warnings"]),
                    ]
                )
            tables.append(
                Table(
                    "staffing",
                    self.t("staff_by_site"),
                    [
                        Column(self.t("site"), "text"),
                        Column(self.t("kind"), "text"),
                        Column(self.t("lead_population")),
                        Column(self.t("staff_members")),
                        Column(self.t("staff_by_role"), "text"),
                        Column(self.t("staffing_warnings"), "text"),
                    ],
                    rows,
                    chart={"columns": [3], "horizontal": True},
                )
            )
            if not access.figures_leave_the_centre(self.principal):
                tables.append(self._caseload())
        return self._report(self.t("staffing"), status, body, tables)

    def _caseload(self) -> Table:
        """A head's own network: each staff member's distinct beneficiaries (never leaves it)."""
        names = self.names()  # an account's display name first, as everywhere
        table = Table(
            "caseload",
            self.t("caseload"),
            [
                Column(self.t("staff_member"), "text"),
                Column(self.t("site"), "text"),
                Column(self.t("beneficiaries")),
            ],
            chart={"columns": [2], "horizontal": True},
        )
        for site in sorted(self.principal.network):
            _, body = self.api("GET", "/reports/caseload", query={"site": site})
            for row in body.get("caseload", []):
                table.rows.append(
                    [
                        names.person(row["staff_id"]),
                        self._site(row["site"]),
                        row["beneficiaries"],
                    ]
                )
        return table

    def daily(self):
        """Day by day for the head of the site's centre (by week in the chart); from outside, its
        released month."""
        me = self.principal
        site = self.request.args.get("site") or me.site or ""
        status, body = self.api("GET", f"/sites/{site}/daily-register", query=self._query("period"))
        title = f"{self.t('daily_register')} · {self._site(site)}"
        # a head: the sites of their centre's network; the coordinator: every site of the region
        codes = sorted(me.network) if me.network else sorted(self._network())
        choices = [(code, self._site(code)) for code in codes]
        tables: list[Table] = []
        if status == 200 and body.get("released"):
            tables = self._released_register(body["released"], site)
        elif status == 200:
            tables = self._days(body.get("days", []))
        facts = self._released(body["released"]) if body.get("released") else []
        outside = access.figures_leave_the_centre(me)  # a released month; a head's own: live
        return self._report(
            title,
            status,
            body,
            tables,
            facts=facts,
            sites=choices,
            site=site,
            period="month" if outside else None,
        )

    def _days(self, days: list[dict]) -> list[Table]:
        label = labeller(self.lang)
        kinds = sorted({d["event_type"] for d in days})
        weeks: dict[str, dict[str, int]] = {}
        for d in days:
            on = date.fromisoformat(d["day"])
            monday = (on - timedelta(days=on.weekday())).isoformat()
            weeks.setdefault(monday, {})
            weeks[monday][d["event_type"]] = weeks[monday].get(d["event_type"], 0) + d["events"]
        by_week = Table(
            "weeks",
            self.t("by_week"),
            [Column(self.t("week_of"), "text"), *(Column(label(k)) for k in kinds)],
            [
                [number(monday, "day", self.lang), *(counts.get(k, 0) for k in kinds)]
                for monday, counts in sorted(weeks.items())
            ],
            chart={"columns": list(range(1, len(kinds) + 1)), "stacked": True},
        )
        by_day = Table(
            "days",
            self.t("by_day"),
            [
                Column(self.t("when"), "day"),
                Column(self.t("what"), "text"),
                Column(self.t("events")),
            ],
            [[d["day"], label(d["event_type"]), d["events"]] for d in days],
        )
        return [by_week, by_day]

    def _released_register(self, released: dict, site: str) -> list[Table]:
        label = labeller(self.lang)
        tables = []
        for name, table in released["tables"].items():
            rows = [
                [
                    self._municipality(row) if row in municipalities() else label(row),
                    cells.get(site, HIDDEN),
                ]
                for row, cells in sorted(table["rows"].items())
            ]
            rows.append([self.t("total"), table["column_totals"].get(site, HIDDEN)])
            tables.append(
                Table(
                    name,
                    self.t(name),
                    [Column(self.t("category"), "text"), Column(self.t("count"))],
                    rows,
                )
            )
        return tables
