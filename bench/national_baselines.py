"""The region-wide reports as they were read before the reporting model kept totals (issue 17,
2026-12-04): every person's row grouped on each call; and search as it read the identity index
before registries_009, every row of each typed word grouped. Timed in the same run as what
replaced them, on the same rows, so that the national bench prints each new figure beside its
baseline. Not used by the services."""

from __future__ import annotations

from collections import Counter

import psycopg2

from contracts.registries import SEARCH_LIMIT
from services.common.eventstore.setup import service_role
from services.registries.adapters.identity_index import (
    NAME_PREFIX,
    NAME_WORD,
    IdentityIndex,
    typed_words,
)
from services.reporting.adapters.projections.esf import COUNTED_BY
from services.reporting.domain.esf_indicators import GENDERS, indicators_of
from services.reporting.domain.periods import Period


def caseload_of_every_site(cur) -> list:
    cur.execute(
        "SELECT staff_id, site, count(*) FROM caseload GROUP BY staff_id, site ORDER BY site, staff_id"
    )
    return cur.fetchall()


def targets(cur) -> list:
    cur.execute(
        "SELECT o.site, count(h.pseudonym) FILTER"
        " (WHERE h.registered_on BETWEEN o.period_start AND o.period_end)"
        " FROM operation o LEFT JOIN site_centre s ON s.centre = o.site"
        " LEFT JOIN beneficiary_home h ON h.site = s.site GROUP BY o.site ORDER BY o.site"
    )
    return cur.fetchall()


def register_of_a_period(cur, period: Period) -> list:
    cur.execute(
        "SELECT measure, key, site, sum(n) FROM register_count WHERE day BETWEEN %s AND %s"
        " GROUP BY 1, 2, 3",
        (period.start, period.end),
    )
    return cur.fetchall()


def every_referral(cur) -> list:
    cur.execute(
        "SELECT recipient_kind, recipient_id, need, from_site, state, sent_on,"
        " first_response_on, closed_on FROM referral_flow"
    )
    return cur.fetchall()


def esf_year(cur, year: int) -> dict:
    columns = ", ".join(f"p.{c}" for c in COUNTED_BY)
    cur.execute(
        f"SELECT {columns}, e.gender, count(*) FROM esf_participant p LEFT JOIN esf_person e"
        " USING (pseudonym) WHERE p.entered_on >= make_date(%s, 1, 1)"
        " AND p.entered_on < make_date(%s + 1, 1, 1)"
        f" GROUP BY {columns}, e.gender",
        (year, year),
    )
    counts: dict[str, Counter] = {}
    for *situation, gender, n in cur.fetchall():
        p = dict(zip(COUNTED_BY, situation, strict=True))
        gender = gender if gender in GENDERS else "unknown"
        for indicator in indicators_of(p):
            counts.setdefault(p["operation"], Counter())[(indicator, gender)] += n
    return counts


def keep_search_rows(admin_url: str, schema: str) -> None:
    """The identity index's name rows as they were (one per key and person, under the primary
    key's B-tree), rebuilt once from `name_keys` (each key once per row: a set when written, an
    array_agg(DISTINCT) when migrated): the same keys, as bigints where they were hex
    (which only flatters the baseline)."""
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT to_regclass(%s)", (f"{schema}.search_rows_before",))
            if cur.fetchone()[0] is None:  # the key built once, after the rows, not row by row
                cur.execute(
                    f"CREATE TABLE {schema}.search_rows_before AS"
                    f" SELECT unnest(keys) AS key, beneficiary_id FROM {schema}.name_keys"
                )
                cur.execute(
                    f"ALTER TABLE {schema}.search_rows_before ADD PRIMARY KEY (key, beneficiary_id)"
                )
            cur.execute(f"GRANT SELECT ON {schema}.search_rows_before TO {service_role(schema)}")
    finally:
        conn.close()


def search_before(cur, index: IdentityIndex, text: str) -> list[dict]:
    """The query search_names ran before registries_009: which typed words each person matches,
    as bits, over every row of every typed word (prefix or whole), grouped by person."""
    typed = typed_words(text)
    if not typed:
        return []
    keys, whole, order = [], [], []
    for n, word in enumerate(typed):
        for kind in (NAME_WORD, NAME_PREFIX):
            keys.append(index.search_key_of(kind, word))
            whole.append(kind == NAME_WORD)
            order.append(n)
    cur.execute(
        "SELECT beneficiary_id::text,"
        " length(replace(whole::bit(64)::text, '0', '')) AS exact"
        " FROM (SELECT r.beneficiary_id, bit_or(1::bigint << q.n) AS words,"
        "  bit_or(CASE WHEN q.whole THEN 1::bigint << q.n ELSE 0 END) AS whole"
        "  FROM unnest(%s::bigint[], %s::bool[], %s::int[]) AS q(key, whole, n)"
        "  JOIN search_rows_before r ON r.key = q.key"
        "  GROUP BY r.beneficiary_id) matched"
        " WHERE words = %s ORDER BY 2 DESC, 1 LIMIT %s",
        (keys, whole, order, (1 << len(typed)) - 1, SEARCH_LIMIT),
    )
    return [{"beneficiary_id": b, "exact": exact} for b, exact in cur.fetchall()]


def report_search_differences(db, index: IdentityIndex, names: list[str]) -> None:
    """How many of these searches the baseline answers otherwise than search_names (none, or
    the baseline times another query than the one it stands for)."""
    differ = 0
    for text in names:
        with db.transaction() as cur:
            differ += index.search_names(db, text) != search_before(cur, index, text)
    print(f"search: {differ} of {len(names)} names answered otherwise by the baseline", flush=True)
