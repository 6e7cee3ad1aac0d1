"""poles.observatory: cluster-mapping analytics (LQ, ECCP agglomerations, ecosystems, stars,
strong clusters, relatedness, economic complexity) on NumPy, Arrow and Ibis (DuckDB or Spark).

Plain Python: never imports Django. Names are imported on first use, so that the command line
starts without loading the engines it does not need. See docs/observatory.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "Options": "api",
    "Result": "api",
    "agglomerations": "api",
    "complexity": "api",
    "ecosystems": "api",
    "location_quotients": "api",
    "relatedness": "api",
    "stars": "api",
    "strong_clusters": "api",
    "with_establishments": "api",
    "load_mapping": "ecosystems",
    "InputFormatError": "errors",
    "ObservatoryError": "errors",
    "OptionError": "errors",
    "SelectionError": "errors",
    "Panel": "io",
    "parse_eurostat": "io",
    "read_panel": "io",
    "read_tidy": "io",
    "select": "io",
}

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


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'poles.observatory' has no attribute {name!r}")
    return getattr(import_module(f"poles.observatory.{home}"), name)
