"""The France regions choropleth: the npm package's SVG, read at run time, coloured server-side.

@svg-maps/france.regions names each metropolitan region by a three-letter id; our Region rows use
INSEE codes. Overseas regions are not drawn on that map; the text table beside it lists them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape

from poles.env import node_modules

SVG_PATH = ("@svg-maps", "france.regions", "france.regions.svg")

SVG_ID_TO_INSEE: dict[str, str] = {
    "ara": "84", "bfc": "27", "bre": "53", "cvl": "24", "cor": "94", "ges": "44", "hdf": "32",
    "idf": "11", "nor": "28", "naq": "75", "occ": "76", "pdl": "52", "pac": "93",
}

# Five steps of blue, light to dark (the darkest three carry white-contrast labels only in the table).
PALETTE = ("#eeeef8", "#cacafb", "#8585f6", "#4a4ae8", "#000091")
EMPTY = "#f6f6f6"

_PATH = re.compile(r'<path\s+id="(?P<id>[a-z]+)"\s+aria-label="(?P<label>[^"]*)"\s+d="(?P<d>[^"]+)"\s*/?>')
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')


class MapUnavailable(RuntimeError):
    """The map package is not installed (run `make setup`)."""


@dataclass(frozen=True)
class Shape:
    """One region's outline from the package, keyed by its INSEE code."""

    code: str
    label: str
    d: str


def svg_file() -> Path:
    """Where the installed package keeps the SVG."""
    return node_modules().joinpath(*SVG_PATH)


@lru_cache(maxsize=1)
def shapes() -> tuple[str, tuple[Shape, ...]]:
    """The viewBox and the region outlines, parsed once per process."""
    path = svg_file()
    if not path.exists():
        raise MapUnavailable(f"{path} is missing: install the npm packages (make setup)")
    text = path.read_text(encoding="utf-8")
    viewbox = _VIEWBOX.search(text)
    outlines = tuple(
        Shape(SVG_ID_TO_INSEE[m["id"]], m["label"], m["d"])
        for m in _PATH.finditer(text)
        if m["id"] in SVG_ID_TO_INSEE
    )
    return (viewbox.group(1) if viewbox else "0 0 600 600"), outlines


def colour_for(count: int, highest: int) -> str:
    """The fill for a count: an empty grey for zero, else one of five steps scaled to the highest."""
    if count <= 0 or highest <= 0:
        return EMPTY
    step = min(len(PALETTE) - 1, (count * len(PALETTE) - 1) // highest)
    return PALETTE[step]


def legend(highest: int) -> list[tuple[str, str]]:
    """(colour, range text) pairs for the legend, from the same scale as the map."""
    if highest <= 0:
        return [(EMPTY, "0")]
    rows = [(EMPTY, "0")]
    seen: dict[str, list[int]] = {}
    for count in range(1, highest + 1):
        seen.setdefault(colour_for(count, highest), []).append(count)
    for colour in PALETTE:
        if colour in seen:
            low, high = seen[colour][0], seen[colour][-1]
            rows.append((colour, str(low) if low == high else f"{low}–{high}"))
    return rows


def render_svg(counts: dict[str, int], links: dict[str, str], titles: dict[str, str]) -> str:
    """The map as inline SVG: each region a link (to `links[code]`) filled by its count."""
    viewbox, outlines = shapes()
    highest = max(counts.values(), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{escape(viewbox)}" class="map" '
        'role="group" aria-labelledby="map-title">'
    ]
    for shape in outlines:
        count = counts.get(shape.code, 0)
        title = titles.get(shape.code, shape.label)
        parts.append(
            f'<a href="{escape(links.get(shape.code, "#"))}" class="map-region">'
            f"<title>{escape(title)}</title>"
            f'<path d="{shape.d}" fill="{colour_for(count, highest)}" data-region="{shape.code}" '
            f'data-count="{count}"/></a>'
        )
    parts.append("</svg>")
    return "".join(parts)
