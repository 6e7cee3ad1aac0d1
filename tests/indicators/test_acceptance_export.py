"""Acceptance: `poles indicators --scope nation` equals, to the unit, plain SQL over `poles export` CSVs in DuckDB.

The demo register is built at national size, exported, and every national indicator of the latest
year is computed again with DuckDB from the CSV files alone (no Django, no engine code), then
compared with what the command prints as JSON: counts and FTE exactly, euros to the cent, shares
and ratios from the same numerator and denominator.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command

from poles.indicators import definitions as d
from poles.registry.programme import current_year

TODAY = "2026-11-22"
MONEY = "DECIMAL(16,2)"


def _tables(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Views over the exported CSV files, every column read as text then cast here."""
    casts = {
        "memberships": f"CAST(organisation_id AS INT) org, CAST(cluster_id AS INT) cluster, CAST(year AS INT) yr,"
                       f" status, CAST(fee_invoiced AS {MONEY}) fee_invoiced, CAST(fee_paid AS {MONEY}) fee_paid",
        "organisations": "CAST(id AS INT) id, kind, size_category",
        "organisation_figures": "CAST(organisation_id AS INT) org, CAST(year AS INT) yr, CAST(staff AS DECIMAL(9,1)) staff",
        "projects": f"CAST(id AS INT) id, status, CAST(start_date AS DATE) start_date,"
                    f" CAST(total_cost AS {MONEY}) total_cost, CAST(rd_expenditure AS {MONEY}) rd,"
                    " CAST(products_to_market AS INT) products, CAST(patents AS INT) patents,"
                    " CAST(jobs_created AS INT) jobs",
        "project_clusters": "CAST(project_id AS INT) project, CAST(cluster_id AS INT) cluster, role",
        "fundings": f"CAST(project_id AS INT) project, funder, instrument, CAST(amount AS {MONEY}) amount",
        "cluster_years": "CAST(cluster_id AS INT) cluster, CAST(year AS INT) yr,"
                         " CAST(staff_fte AS DECIMAL(6,1)) staff_fte, CAST(international_fte AS DECIMAL(6,1)) international_fte, "
                         + ", ".join(f"CAST({name} AS {MONEY}) {name}" for name, *_r in d.BUDGET_PARTS),
    }
    for name, select in casts.items():
        path = folder / f"{name}.csv"
        con.execute(f"CREATE VIEW {name} AS SELECT {select} FROM read_csv('{path}', header=true, all_varchar=true)")


def _one(con: duckdb.DuckDBPyConnection, sql: str, **params: object) -> dict:
    cursor = con.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def _ratio(top: object, bottom: object) -> Decimal | None:
    if top is None or not bottom:
        return None
    return (Decimal(top) / Decimal(bottom)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)


def independent(folder: Path) -> tuple[int, dict[str, object]]:
    """The latest year and every national indicator, from the CSV files with DuckDB SQL."""
    con = duckdb.connect()
    _tables(con, folder)
    y = con.execute("SELECT max(yr) FROM memberships WHERE status = 'member' AND yr <= ?",
                    [current_year()]).fetchone()[0]
    out: dict[str, object] = {}
    categories = ", ".join(
        f"count(DISTINCT m.org) FILTER (WHERE (CASE WHEN o.kind = 'company' THEN o.size_category ELSE o.kind END)"
        f" = '{code}') AS members_{code}"
        for code, _fr, _en in d.MEMBER_CATEGORIES
    )
    out |= _one(con, f"""
        SELECT count(DISTINCT m.cluster) AS clusters, count(DISTINCT m.org) AS members, count(*) AS memberships,
               {categories}
        FROM memberships m JOIN organisations o ON o.id = m.org
        WHERE m.yr = $y AND m.status = 'member'""", y=y)
    out |= _one(con, """
        SELECT sum(fee_invoiced) AS fees_invoiced, sum(fee_paid) AS fees_paid FROM memberships WHERE yr = $y""", y=y)
    out |= _one(con, """
        SELECT
          (SELECT count(DISTINCT org) FROM memberships WHERE yr = $y AND status = 'member'
             AND org NOT IN (SELECT org FROM memberships WHERE yr = $y - 1 AND status = 'member')) AS members_new,
          (SELECT count(DISTINCT org) FROM memberships WHERE yr = $y - 1 AND status = 'member'
             AND org NOT IN (SELECT org FROM memberships WHERE yr = $y AND status = 'member')) AS members_leaving""",
        y=y)
    out |= _one(con, """
        WITH latest AS (
          SELECT org, staff FROM organisation_figures WHERE staff IS NOT NULL
          QUALIFY row_number() OVER (PARTITION BY org ORDER BY yr DESC) = 1
        )
        SELECT sum(l.staff) AS member_employment
        FROM (SELECT DISTINCT org FROM memberships WHERE yr = $y AND status = 'member') m
        JOIN latest l USING (org)""", y=y)
    con.execute("""CREATE TEMP TABLE cohort AS SELECT * FROM projects
                   WHERE year(start_date) = $y AND id IN (SELECT project FROM project_clusters)""", {"y": y})
    out |= _one(con, """
        SELECT count(*) AS projects,
               count(*) FILTER (WHERE id IN (SELECT project FROM project_clusters WHERE role = 'labelled'))
                 AS projects_labelled,
               count(*) FILTER (WHERE status = 'submitted') AS projects_submitted,
               count(*) FILTER (WHERE status IN ('funded', 'running', 'completed')) AS projects_funded,
               count(*) FILTER (WHERE status = 'completed') AS projects_completed,
               sum(total_cost) AS projects_total_cost, sum(rd) AS rd_expenditure,
               sum(products) AS products_to_market, sum(patents) AS patents, sum(jobs) AS jobs_created
        FROM cohort""")
    funders = ", ".join(f"coalesce(sum(amount) FILTER (WHERE funder = '{c}'), 0) AS funding_{c}" for c, *_r in d.FUNDERS)
    instruments = ", ".join(
        f"coalesce(sum(amount) FILTER (WHERE instrument = '{c}'), 0) AS "
        f"{'funding_equity' if c == 'equity' else f'funding_{c}s'}" for c, *_r in d.INSTRUMENTS)
    out |= _one(con, f"""
        SELECT sum(f.amount) AS funding_total, {funders}, {instruments},
               sum(f.amount) FILTER (WHERE f.instrument IN ('grant', 'advance') AND f.funder <> 'other') AS public_aid,
               sum(f.amount) FILTER (WHERE f.funder = 'eu') AS eu_funding,
               count(DISTINCT f.project) FILTER (WHERE f.funder = 'eu') AS eu_projects
        FROM fundings f JOIN cohort p ON p.id = f.project""")
    lever = _one(con, """
        WITH aided AS (SELECT DISTINCT project FROM fundings WHERE instrument IN ('grant', 'advance') AND funder <> 'other')
        SELECT (SELECT sum(rd) FROM cohort WHERE id IN (SELECT project FROM aided)) AS rd,
               (SELECT sum(f.amount) FROM fundings f JOIN cohort p ON p.id = f.project
                 WHERE f.instrument IN ('grant', 'advance') AND f.funder <> 'other' AND p.rd IS NOT NULL) AS aid""")
    out["leverage"] = _ratio(lever["rd"], lever["aid"])
    parts = ", ".join(f"sum({name}) AS {name}" for name, *_r in d.BUDGET_PARTS)
    out |= _one(con, f"SELECT sum(staff_fte) AS staff_fte, sum(international_fte) AS international_fte, {parts}"
                     " FROM cluster_years WHERE yr = $y", y=y)
    out["budget_total"] = sum(out[name] for name, *_r in d.BUDGET_PARTS)
    out["budget_private"] = out["budget_membership_fees"] + out["budget_services"]
    out["private_share"] = _ratio(out["budget_private"], out["budget_total"])
    out["members_sme"] = out["members_small"] + out["members_medium"]
    out["members_eti_large"] = out["members_eti"] + out["members_large"]
    out["share_micro"] = _ratio(out["members_micro"], out["members"])
    out["share_sme"] = _ratio(out["members_sme"], out["members"])
    out["share_research"] = _ratio(out["members_research"], out["members"])
    out["share_eti_large"] = _ratio(out["members_eti_large"], out["members"])
    return y, out


def _as_printed(value: object) -> object:
    """A DuckDB value in the command's JSON spelling (decimals as strings, ints as ints)."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


@pytest.mark.django_db
def test_national_figures_printed_equal_plain_sql_over_the_export(tmp_path):
    call_command("demo", "--today", TODAY, stdout=StringIO(), stderr=StringIO())
    call_command("export", "--out", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    year, expected = independent(tmp_path)
    printed = StringIO()
    call_command("indicators", "--year", str(year), "--scope", "nation", "--format", "json", stdout=printed)
    payload = json.loads(printed.getvalue())
    got = {row["code"]: row["value"] for row in payload["indicators"]}
    assert payload["year"] == year and payload["scope"] == "nation"
    assert set(got) == set(d.CODES) == set(expected)
    differing = {code: (got[code], _as_printed(expected[code])) for code in d.CODES
                 if got[code] != _as_printed(expected[code])}
    assert differing == {}
    assert got["members"] > 15_000 and Decimal(got["private_share"]) >= Decimal("0.5")
