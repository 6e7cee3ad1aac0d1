"""The table work as Ibis expressions: the same expression runs on DuckDB and on PySpark.

Input: a panel table `region, sector, year, value[, establishments]`. Every function returns an
unexecuted `ibis.Table`; `engine.execute` runs it. Definitions are in docs/observatory.md.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import ibis
import ibis.expr.types as ir

from poles.observatory.codes import (
    AGGLOMERATION_LQ,
    EXTRA_REGIO_PATTERN,
    NOT_A_REGION_PATTERN,
    NUTS_PATTERN,
    RELEVANT_SHARE,
    SECTOR_PATTERNS,
    Reference,
)


def prepare(panel: ir.Table) -> ir.Table:
    """Add `nuts` (NUTS level or null), `country` and `kind` (NACE level); NaN becomes null."""
    region = panel.region
    is_region = (
        region.re_search(NUTS_PATTERN)
        & ~region.re_search(NOT_A_REGION_PATTERN)
        & ~region.re_search(EXTRA_REGIO_PATTERN)
    )
    value = panel.value.cast("float64")
    kind = ibis.cases(
        *(
            (panel.sector.re_search(pattern), ibis.literal(name))
            for name, pattern in SECTOR_PATTERNS.items()
        ),
        else_=ibis.null("string"),
    )
    columns = {
        "value": value.isnan().ifelse(ibis.null("float64"), value),
        "nuts": is_region.ifelse(region.length().cast("int64") - 2, ibis.null("int64")),
        "country": region.substr(0, 2),
        "kind": kind,
    }
    if "establishments" in panel.columns:
        est = panel.establishments.cast("float64")
        columns["establishments"] = est.isnan().ifelse(ibis.null("float64"), est)
    return panel.mutate(**columns)


def totals(cells: ir.Table, total_rows: ir.Table) -> ir.Table:
    """`region, year, region_total, region_cells, region_missing` per region and year.

    The TOTAL sector's value when the region has a TOTAL row, else the sum of its cells (missing
    cells left out; a region whose cells are all missing has no total).
    """
    sums = cells.group_by(["region", "year"]).aggregate(
        cell_sum=cells.value.sum(),
        region_cells=cells.count(),
        region_missing=cells.value.isnull().cast("int64").sum(),
    )
    given = total_rows.select(
        t_region=total_rows.region,
        t_year=total_rows.year,
        given_total=total_rows.value,
        has_total=ibis.literal(1),
    )
    joined = sums.left_join(given, (sums.region == given.t_region) & (sums.year == given.t_year))
    return joined.select(
        region=joined.region,
        year=joined.year,
        region_total=joined.has_total.isnull().ifelse(joined.cell_sum, joined.given_total),
        region_cells=joined.region_cells,
        region_missing=joined.region_missing,
    )


def roll_up(cells: ir.Table, mapping: ir.Table) -> ir.Table:
    """Sum division cells into the sectors of `mapping` (`nace_division, ecosystem_code`).

    Divisions outside the mapping are left out; `parts_missing` counts the mapped divisions
    whose value is missing (their sum is of the others).
    """
    joined = cells.join(mapping, cells.sector == mapping.nace_division)
    grouped = joined.group_by(
        [joined.region, joined.country, joined.nuts, joined.year, joined.ecosystem_code]
    ).aggregate(
        value=joined.value.sum(),
        parts_missing=joined.value.isnull().cast("int64").sum(),
    )
    return grouped.select(
        region=grouped.region,
        country=grouped.country,
        nuts=grouped.nuts,
        sector=grouped.ecosystem_code,
        year=grouped.year,
        value=grouped.value,
        parts_missing=grouped.parts_missing,
    )


def location_quotients(
    panel: ir.Table,
    *,
    nuts_level: int = 2,
    level: str = "division",
    reference: Reference = "country",
    members: Collection[str] = (),
    mapping: ir.Table | None = None,
    sources: Sequence[str] | None = None,
) -> ir.Table:
    """LQ per region × sector × year (before any country filter).

    Columns: region, country, sector, year, value, region_total, share, reference_value,
    reference_total, lq, agglomeration, relevant (+ establishments, parts_missing when present).
    With `mapping`, division cells are first rolled up into the mapping's sectors (ecosystems);
    region totals stay those of the divisions. With `sources` as well (a standard breakdown such
    as A*10), the cells are those codes, rolled up, and the totals are the groups' sums.
    """
    p = prepare(panel)
    base_level = "division" if mapping is not None else level

    def level_cells(nuts: ir.BooleanValue) -> ir.Table:
        if sources is not None:
            return p.filter(nuts & p.sector.isin(list(sources)))
        return p.filter(nuts & (p.kind == base_level))

    cells = level_cells(p.nuts == nuts_level)
    total_rows = p.filter((p.nuts == nuts_level) & (p.kind == "total"))
    if mapping is not None:
        if sources is None:
            region_totals = totals(cells, total_rows)
            cells = roll_up(cells, mapping)
        else:
            cells = roll_up(cells, mapping)
            region_totals = totals(cells, total_rows)
    else:
        region_totals = totals(cells, total_rows)

    if reference == "input":
        ref = cells.group_by(["sector", "year"]).aggregate(reference_value=cells.value.sum())
        ref_tot = region_totals.group_by("year").aggregate(
            reference_total=region_totals.region_total.sum()
        )
        ref_keys: Sequence[str] = ()
    else:
        nat = level_cells(p.nuts == 0)
        nat_total_rows = p.filter((p.nuts == 0) & (p.kind == "total"))
        if reference == "eu":
            wanted = sorted(members)
            nat = nat.filter(nat.region.isin(wanted))
            nat_total_rows = nat_total_rows.filter(nat_total_rows.region.isin(wanted))
        if mapping is not None and sources is not None:
            nat = roll_up(nat, mapping)
            nat_totals = totals(nat, nat_total_rows)
        else:
            nat_totals = totals(nat, nat_total_rows)
            if mapping is not None:
                nat = roll_up(nat, mapping)
        if reference == "country":
            ref = nat.select(
                country=nat.region, sector=nat.sector, year=nat.year, reference_value=nat.value
            )
            ref_tot = nat_totals.select(
                country=nat_totals.region,
                year=nat_totals.year,
                reference_total=nat_totals.region_total,
            )
            ref_keys = ("country",)
        else:
            ref = nat.group_by(["sector", "year"]).aggregate(reference_value=nat.value.sum())
            ref_tot = nat_totals.group_by("year").aggregate(
                reference_total=nat_totals.region_total.sum()
            )
            ref_keys = ()

    keep = ["region", "country", "sector", "year", "value"]
    for extra in ("flag", "establishments", "parts_missing"):
        if extra in cells.columns:
            keep.append(extra)
    c = cells.select(*keep)
    c = c.join(region_totals, ["region", "year"])
    r1 = ref.rename(r_sector="sector", r_year="year", **{f"r_{k}": k for k in ref_keys})
    cond = (c.sector == r1.r_sector) & (c.year == r1.r_year)
    for k in ref_keys:
        cond = cond & (c[k] == r1[f"r_{k}"])
    c = c.left_join(r1, cond)
    c = c.select(*[col for col in c.columns if not col.startswith("r_")])
    r2 = ref_tot.rename(t_year="year", **{f"t_{k}": k for k in ref_keys})
    cond = c.year == r2.t_year
    for k in ref_keys:
        cond = cond & (c[k] == r2[f"t_{k}"])
    c = c.left_join(r2, cond)
    c = c.select(*[col for col in c.columns if not col.startswith("t_")])

    share = c.value / c.region_total.nullif(0)
    ref_share = c.reference_value / c.reference_total.nullif(0)
    lq = share / ref_share.nullif(0)
    c = c.mutate(share=share, lq=lq)
    agglomeration = (c.lq > AGGLOMERATION_LQ).fill_null(False)
    relevant = (agglomeration & (c.share >= RELEVANT_SHARE)).fill_null(False)
    return c.mutate(agglomeration=agglomeration, relevant=relevant)


def rank_agglomerations(lq: ir.Table, *, min_value: float = 0.0) -> ir.Table:
    """Add `n_relevant` (regionally relevant agglomerations of the region that year) and `rank`
    (1 = highest LQ among them; null for cells that are not regionally relevant). Cells whose
    value is below `min_value` are left out of the ranking and the count."""
    ranked = lq.relevant & (lq.value >= min_value).fill_null(False)
    flag = ranked.cast("int64")
    w = ibis.window(
        group_by=[lq.region, lq.year], order_by=[ibis.desc(flag), ibis.desc(lq.lq), lq.sector]
    )
    position = ibis.row_number().over(w) + 1
    n_relevant = flag.sum().over(ibis.window(group_by=[lq.region, lq.year]))
    return lq.mutate(
        n_relevant=n_relevant,
        rank=ranked.ifelse(position.cast("int64"), ibis.null("int64")),
    )


def filter_country(expr: ir.Table, country: str | None) -> ir.Table:
    """Keep one country's regions (the report filter, applied after every comparison)."""
    if country is None:
        return expr
    return expr.filter(expr.country == country)


def stars(lq: ir.Table, *, top: float = 0.10, specialisation: float = 2.0) -> ir.Table:
    """European Cluster Observatory stars per region × sector (cells with a value only).

    size: the region's employment in the sector ranks in the top 10% of regions; focus: the
    sector's share of the region's employment ranks in the top 10%; specialisation: LQ ≥ 2.
    Ranks are taken over the regions of the level with a value, ties share the best rank.
    """
    v = lq.filter(lq.value.notnull() & lq.share.notnull())
    group = [v.sector, v.year]
    n = v.count().over(ibis.window(group_by=group))
    size_rank = ibis.rank().over(ibis.window(group_by=group, order_by=ibis.desc(v.value)))
    focus_rank = ibis.rank().over(ibis.window(group_by=group, order_by=ibis.desc(v.share)))
    per_mille = int(round(top * 1000))
    v = v.mutate(
        size_star=(size_rank * 1000 < n * per_mille),
        focus_star=(focus_rank * 1000 < n * per_mille),
        specialisation_star=(v.lq >= specialisation).fill_null(False),
    )
    return v.mutate(
        stars=v.size_star.cast("int64")
        + v.focus_star.cast("int64")
        + v.specialisation_star.cast("int64")
    )


def strong_clusters(lq: ir.Table) -> ir.Table:
    """US Cluster Mapping strong clusters per region × sector (cells with value, LQ and establishments).

    strong when the LQ's percentile rank among the level's regions is ≥ 0.75 and LQ ≥ 1, and the
    employment's and establishments' percentile ranks are > 0.25.
    """
    v = lq.filter(lq.value.notnull() & lq.lq.notnull() & lq.establishments.notnull())
    group = [v.sector, v.year]
    lq_pct = ibis.percent_rank().over(ibis.window(group_by=group, order_by=v.lq))
    value_pct = ibis.percent_rank().over(ibis.window(group_by=group, order_by=v.value))
    est_pct = ibis.percent_rank().over(ibis.window(group_by=group, order_by=v.establishments))
    v = v.mutate(lq_pct=lq_pct, value_pct=value_pct, establishments_pct=est_pct)
    return v.mutate(
        strong=(v.lq_pct >= 0.75)
        & (v.lq >= 1)
        & (v.value_pct > 0.25)
        & (v.establishments_pct > 0.25)
    )


def ecosystem_shares(panel: ir.Table, *, mapping: ir.Table, members: Collection[str]) -> ir.Table:
    """Figure 1: each country's and the EU's employment by ecosystem over the 14 ecosystems' sum.

    Columns: country, sector (ecosystem), year, value, share, eu_value, eu_share.
    """
    p = prepare(panel)
    nat = roll_up(p.filter((p.nuts == 0) & (p.kind == "division")), mapping)
    nat = nat.mutate(
        share=nat.value
        / nat.value.sum().over(ibis.window(group_by=[nat.region, nat.year])).nullif(0)
    )
    eu = nat.filter(nat.region.isin(sorted(members)))
    eu = eu.group_by(["sector", "year"]).aggregate(eu_value=eu.value.sum())
    eu = eu.mutate(
        eu_share=eu.eu_value / eu.eu_value.sum().over(ibis.window(group_by=eu.year)).nullif(0)
    )
    eu = eu.rename(e_sector="sector", e_year="year")
    j = nat.left_join(eu, (nat.sector == eu.e_sector) & (nat.year == eu.e_year))
    return j.select(
        country=j.region,
        sector=j.sector,
        year=j.year,
        value=j.value,
        share=j.share,
        eu_value=j.eu_value,
        eu_share=j.eu_share,
    )


def cells(panel: ir.Table, *, nuts_level: int, level: str) -> ir.Table:
    """The region × sector cells of one NUTS level and one NACE level: region, country, sector, year, value."""
    p = prepare(panel)
    c = p.filter((p.nuts == nuts_level) & (p.kind == level))
    return c.select("region", "country", "sector", "year", "value")


def establishments_panel(
    establishments: ir.Table, communes: ir.Table, *, naf_digits: int = 2
) -> ir.Table:
    """Aggregate an establishment file (`establishment, commune, naf, employees`) into a panel.

    `communes` maps `commune` to `region`; the sector is the NAF code's first `naf_digits`
    digits (a NACE division). Returns region, sector, value (employees), establishments.
    """
    j = establishments.join(communes, "commune")
    j = j.mutate(sector=j.naf.substr(0, naf_digits))
    return j.group_by(["region", "sector"]).aggregate(
        value=j.employees.sum().cast("float64"), establishments=j.count().cast("float64")
    )


def plain_lq(panel: ir.Table) -> ir.Table:
    """LQ of a `region, sector, value` table against the sum of its own regions (no levels)."""
    region_total = panel.value.sum().over(ibis.window(group_by=panel.region))
    sector_total = panel.value.sum().over(ibis.window(group_by=panel.sector))
    grand_total = panel.value.sum().over(ibis.window())
    share = panel.value / region_total.nullif(0)
    return panel.mutate(
        region_total=region_total,
        share=share,
        lq=share / (sector_total / grand_total.nullif(0)).nullif(0),
    )
