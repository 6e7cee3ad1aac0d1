"""poles.observatory: cluster-mapping analytics (LQ, ECCP agglomerations, ecosystems, stars,
strong clusters, relatedness, economic complexity) on Ibis (DuckDB or Spark) and NumPy.

Plain Python: never imports Django. See docs/observatory.md.
"""

from __future__ import annotations

from poles.observatory.api import (
    Options,
    Result,
    agglomerations,
    complexity,
    ecosystems,
    location_quotients,
    relatedness,
    stars,
    strong_clusters,
    with_establishments,
)
from poles.observatory.ecosystems import load_mapping
from poles.observatory.errors import (
    InputFormatError,
    ObservatoryError,
    OptionError,
    SelectionError,
)
from poles.observatory.io import Panel, parse_eurostat, read_panel, read_tidy, select

__all__ = [
    "InputFormatError",
    "ObservatoryError",
    "OptionError",
    "Options",
    "Panel",
    "Result",
    "SelectionError",
    "agglomerations",
    "complexity",
    "ecosystems",
    "load_mapping",
    "location_quotients",
    "parse_eurostat",
    "read_panel",
    "read_tidy",
    "relatedness",
    "select",
    "stars",
    "strong_clusters",
    "with_establishments",
]
