"""The ECCP country factsheet's tables (seed 002): Table 1 (regionally relevant sectoral
agglomerations, top 5 by region), Table 2 (ecosystem agglomerations, top 2) and Figure 1 (the
country's and the EU's employment shares of the 14 industrial ecosystems), as plain rows.

Computed by `agglomerations` and `ecosystems` (docs/observatory.md); this module only shapes their
results into rows a page or a report writes, and finds the rows of one French region whatever the
NUTS version of the data (the SBS file uses NUTS 2010/2013 codes: Occitanie is FR62 + FR81).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

# INSEE region code → the map id of data/fr_regions_map.csv (metropolitan regions).
INSEE_TO_MAP_ID: dict[str, str] = {
    "84": "ara", "27": "bfc", "53": "bre", "24": "cvl", "94": "cor", "44": "ges", "32": "hdf",
    "11": "idf", "28": "nor", "75": "naq", "76": "occ", "52": "pdl", "93": "pac",
}
# The overseas regions under each NUTS version (2010: FR9x, 2013: FRAx, 2016/2021: FRYx).
OVERSEAS: dict[str, tuple[str, ...]] = {
    "01": ("FR91", "FRA1", "FRY1"), "02": ("FR92", "FRA2", "FRY2"), "03": ("FR93", "FRA3", "FRY3"),
    "04": ("FR94", "FRA4", "FRY4"), "06": ("FRA5", "FRY5"),
}


@lru_cache(maxsize=1)
def _map_ids() -> dict[str, str]:
    text = resources.files("poles.observatory").joinpath("data/fr_regions_map.csv").read_text("utf-8")
    return {row["nuts_code"]: row["map_id"] for row in csv.DictReader(text.splitlines()) if row["map_id"]}


def nuts_codes_of(insee: str) -> frozenset[str]:
    """The NUTS codes (levels 1 and 2, versions 2010 to 2021) that make up a French region."""
    if insee in OVERSEAS:
        return frozenset(OVERSEAS[insee])
    map_id = INSEE_TO_MAP_ID.get(insee)
    if map_id is None:
        return frozenset()
    return frozenset(code for code, mid in _map_ids().items() if mid == map_id)


@dataclass(frozen=True)
class Agglomeration:
    """One of a region's top agglomerations: sector (or ecosystem) code, label, LQ, share of employment."""

    code: str
    label: str
    lq: float
    share: float


@dataclass(frozen=True)
class RegionRow:
    """A row of Table 1 or Table 2: the region, its number of agglomerations, the top ones."""

    region: str
    region_name: str
    count: int
    top: tuple[Agglomeration, ...]


@dataclass(frozen=True)
class Share:
    """A bar pair of Figure 1: an ecosystem's share of the 14 ecosystems' employment, country and EU."""

    code: str
    label: str
    value: float
    share: float
    eu_share: float


@dataclass(frozen=True)
class Factsheet:
    """The three tables for one country and year, with the data's notes."""

    country: str
    year: int
    reference: str
    table1: tuple[RegionRow, ...]
    table2: tuple[RegionRow, ...]
    figure1: tuple[Share, ...]
    notes: dict[str, Any] = field(default_factory=dict)

    def for_region(self, insee: str) -> Factsheet:
        """The same factsheet keeping only the rows of one French region (all its NUTS codes)."""
        codes = nuts_codes_of(insee)
        return replace(self, table1=tuple(r for r in self.table1 if r.region in codes),
                       table2=tuple(r for r in self.table2 if r.region in codes))


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _rows(frame: Any, year: int, top: int) -> tuple[RegionRow, ...]:
    rows = []
    for record in frame[frame["year"] == year].to_dict("records"):
        best = []
        for i in range(1, top + 1):
            code = record.get(f"sector_{i}")
            lq = _number(record.get(f"lq_{i}"))
            if not isinstance(code, str) or lq is None:
                continue
            best.append(Agglomeration(code, str(record.get(f"label_{i}") or code), lq,
                                      _number(record.get(f"share_{i}")) or 0.0))
        rows.append(RegionRow(str(record["region"]), str(record["region_name"]), int(record["n_relevant"]),
                              tuple(best)))
    return tuple(rows)


def build(panel: Any, *, country: str = "FR", year: int | None = None, reference: str = "eu",
          nuts_level: int = 2) -> Factsheet:
    """Table 1, Table 2 and Figure 1 of `country` for `year` (default: the panel's latest with data)."""
    from poles.observatory.api import Options, agglomerations, ecosystems
    from poles.observatory.errors import OptionError
    from poles.observatory.i18n import _

    options = Options(country=country, reference=reference, nuts_level=nuts_level)  # type: ignore[arg-type]
    sectors = agglomerations(panel, options=options, top=5)
    systems = ecosystems(panel, options=options)
    table1 = sectors.tables["table"]
    years = sorted(int(y) for y in table1["year"].unique())
    if not years:
        raise OptionError(
            _("country {country!r}: no region of the data has a value").format(country=country)
        )
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise OptionError(
            _("year must be one of {choices}; found {value!r}").format(
                choices=", ".join(map(str, years)), value=year
            )
        )
    shares = systems.tables["shares"]
    shares = shares[(shares["country"] == country) & (shares["year"] == chosen)]
    figure = tuple(
        Share(str(r["sector"]), str(r["label"]), float(r["value"]), float(r["share"]), float(r["eu_share"]))
        for r in shares.to_dict("records")
    )
    notes = {"regions_without_data": list(sectors.notes.get("regions_without_data", [])),
             "relevant_agglomerations": int(sectors.notes.get("relevant_agglomerations", 0)),
             "years": years}
    return Factsheet(country, chosen, reference, _rows(table1, chosen, 5),
                     _rows(systems.tables["table"], chosen, 2), figure, notes)
