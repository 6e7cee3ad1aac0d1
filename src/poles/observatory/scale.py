"""Matrices of panels larger than memory: Spark aggregates, the driver collects one year at a time.

`read_spark` opens a Parquet panel (a file, a directory of files or a glob) as a Spark
DataFrame: nothing is read into the driver. `year_matrices` keeps the regions and sectors of
the level in Spark, sums each region × sector × year cell there, counts each year's distinct
regions and sectors, refuses a year whose dense matrix (and the algebra's working copies) would
not fit in the memory allowed (`POLES_MATRIX_MEMORY`, default half the machine's memory), and only
then collects the years one by one as Arrow tables of at most regions × sectors rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from poles.observatory import cube, i18n
from poles.observatory.codes import (
    BREAKDOWNS,
    EXTRA_REGIO_PATTERN,
    NOT_A_REGION_PATTERN,
    NUTS_PATTERN,
    SECTOR_PATTERNS,
    breakdown_map,
)
from poles.observatory.errors import InputFormatError, ObservatoryError, SelectionError

#: Dense float64 matrices the complexity algebra holds at once for one year (values, RCA, M,
#: density, COG, their products and the output columns): the factor of the memory estimate.
WORKING_COPIES = 12


@dataclass(frozen=True)
class SparkPanel:
    """A panel that stays in Spark: a DataFrame with `region, sector, year, value`."""

    frame: Any
    source: str


def read_spark(path: str, spark: Any, *, years: list[int] | None = None) -> SparkPanel:
    """Open a Parquet panel (file, directory or glob) in Spark without reading it here."""
    try:
        frame = spark.read.parquet(path)
    except Exception as exc:  # noqa: BLE001 - Spark raises its own analysis errors
        raise InputFormatError(
            path, None, i18n._("is not a readable Parquet panel ({error})").format(error=exc)
        ) from None
    missing = [c for c in ("region", "sector", "year", "value") if c not in frame.columns]
    if missing:
        raise InputFormatError(
            path,
            1,
            i18n._(
                "lacks the column(s) {missing} (expected region, sector, year, value; "
                "found {found})"
            ).format(missing=", ".join(missing), found=", ".join(frame.columns)),
        )
    if years:
        frame = frame.filter(frame["year"].isin(years))
    return SparkPanel(frame=frame, source=path)


def memory_limit() -> int:
    """Bytes one year's matrices may take: `POLES_MATRIX_MEMORY` (e.g. `8G`), else half the RAM."""
    text = os.environ.get("POLES_MATRIX_MEMORY")
    if text:
        units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
        text = text.strip().upper().removesuffix("B")
        factor = units.get(text[-1:], 1)
        number = text[:-1] if text[-1:] in units else text
        try:
            return int(float(number) * factor)
        except ValueError:
            raise ObservatoryError(
                i18n._("POLES_MATRIX_MEMORY must read like 8G or 512M; found {text!r}").format(
                    text=text
                )
            ) from None
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2)


def _sizes(count: int) -> str:
    return f"{count / 2**30:.1f} GiB" if count >= 2**30 else f"{count / 2**20:.0f} MiB"


def year_matrices(
    panel: SparkPanel,
    *,
    nuts: int,
    level: str,
    years: list[int] | None = None,
    notes: dict[str, Any] | None = None,
) -> Iterator[cube.YearMatrix]:
    """Each year's matrix of the level, aggregated in Spark and collected one year at a time."""
    from pyspark.sql import functions as F  # noqa: N812 - Spark's own spelling

    df = panel.frame.select(
        F.col("region").cast("string").alias("region"),
        F.col("sector").cast("string").alias("sector"),
        F.col("year").cast("long").alias("year"),
        F.col("value").cast("double").alias("value"),
    )
    region = F.trim(F.col("region"))
    df = df.withColumn("region", region).withColumn("sector", F.trim(F.col("sector")))
    df = df.filter(
        F.col("region").rlike(NUTS_PATTERN)
        & ~F.col("region").rlike(NOT_A_REGION_PATTERN)
        & ~F.col("region").rlike(EXTRA_REGIO_PATTERN)
        & (F.length("region") == 2 + nuts)
    )
    if years:
        df = df.filter(F.col("year").isin(years))
    grouped = False
    if level in BREAKDOWNS:
        codes = [r[0] for r in df.select("sector").distinct().collect()]
        groups = breakdown_map(level, codes)
        if not groups:
            raise SelectionError(
                i18n._("{source} has no sector code that builds {level}").format(
                    source=panel.source, level=level.upper()
                )
            )
        mapping = panel.frame.sparkSession.createDataFrame(
            list(groups.items()), "sector string, target string"
        )
        df = df.join(F.broadcast(mapping), "sector").drop("sector")
        df = df.withColumnRenamed("target", "sector")
        grouped = True
    else:
        df = df.filter(F.col("sector").rlike(SECTOR_PATTERNS[level]))  # type: ignore[index]
    cells = df.groupBy("year", "region", "sector").agg(
        F.sum("value").alias("value"), F.count(F.lit(1)).alias("rows")
    )
    cells = cells.persist()
    stats = cells.groupBy("year").agg(
        F.countDistinct("region").alias("regions"),
        F.countDistinct("sector").alias("sectors"),
        F.max("rows").alias("rows"),
    )
    shapes = sorted(
        (int(r.year), int(r.regions), int(r.sectors), int(r.rows)) for r in stats.collect()
    )
    if not shapes:
        cells.unpersist()
        raise SelectionError(
            i18n._(
                "the selection is empty: no {level} cell at NUTS level {nuts} in {source}"
            ).format(level=level, nuts=nuts, source=panel.source)
        )
    limit = memory_limit()
    for year, n_r, n_s, rows in shapes:
        need = n_r * n_s * 8 * WORKING_COPIES
        if need > limit:
            cells.unpersist()
            raise ObservatoryError(
                i18n._(
                    "{year}: the {regions} regions × {sectors} sectors matrix needs about {need} "
                    "for the algebra, more than the {limit} allowed (POLES_MATRIX_MEMORY); "
                    "choose a coarser --level or --nuts-level, or fewer --year"
                ).format(
                    year=year,
                    regions=i18n.number(n_r),
                    sectors=i18n.number(n_s),
                    need=_sizes(need),
                    limit=_sizes(limit),
                )
            )
        if rows > 1 and not grouped:
            cells.unpersist()
            raise InputFormatError(
                panel.source,
                None,
                i18n._("some region × sector cell appears {n} times in {year}").format(
                    n=rows, year=year
                ),
            )
    collected = 0
    try:
        for year, _, _, _ in shapes:
            part = cells.filter(F.col("year") == year).select("region", "sector", "year", "value")
            table = _to_arrow(part)
            collected += table.num_rows
            if notes is not None:
                notes["rows_collected"] = collected
            year_codes = cube.encode(table)
            yield from cube.matrices(
                year_codes, nuts=nuts, sectors=lambda code: code, source=panel.source
            )
            del table, year_codes
    finally:
        cells.unpersist()


def _to_arrow(frame: Any) -> pa.Table:
    """A (small) Spark DataFrame as an Arrow table: `toArrow` on Spark 4, pandas on Spark 3.5."""
    if hasattr(frame, "toArrow"):
        table: pa.Table = frame.toArrow()
        return table
    return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)
