"""The map of France by region: open outlines (`poles.observatory.francegeo`), coloured server-side.

Regions are filled by a figure (clusters, members, projects, funding), each a link to the
directory filtered on it; the five overseas regions are insets; cluster seats are points at the
centre of their head office's département. The text alternative is the table beside the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from poles.env import node_modules
from poles.observatory import francegeo
from poles.observatory.francegeo import OutlinesUnavailable

MapUnavailable = OutlinesUnavailable

# DSFR blue-france tints, light to dark (975, 925, 850, main-525, sun-113).
PALETTE = ("#f5f5fe", "#cacafb", "#8585f6", "#6a6af4", "#000091")
EMPTY = "#f6f6f6"  # DSFR grey-975
SEAT = "#E4794A"  # DSFR orange-terre-battue (illustrative)
STEPS = len(PALETTE)

Value = int | Decimal | None


@dataclass(frozen=True)
class Seat:
    """Clusters whose head office is in one département: where to draw them and what to say."""

    departement: str
    count: int
    title: str
    name: str = ""
    clusters: tuple[str, ...] = ()


def outlines() -> francegeo.FranceOutlines:
    """The outlines from the installed npm packages (built once per process)."""
    return francegeo.outlines(node_modules())


def colour_for(value: Value, highest: Value) -> str:
    """The fill for a value: grey for zero or unpublished, else one of five steps up to the highest."""
    if value is None or highest is None or value <= 0 or highest <= 0:
        return EMPTY
    step = min(STEPS - 1, int((Decimal(value) * STEPS - Decimal("0.000001")) // Decimal(highest)))
    return PALETTE[step]


def legend(highest: Value, fmt: Callable[[Decimal], str] = str, whole: bool = True) -> list[tuple[str, str]]:
    """(colour, range text) pairs from the same scale as the map: 0, then up to five steps.

    Whole numbers (counts) get the exact ranges each colour covers; amounts get five equal steps.
    """
    rows = [(EMPTY, fmt(Decimal(0)))]
    if highest is None or highest <= 0:
        return rows
    if whole:
        seen: dict[str, list[int]] = {}
        for count in range(1, int(highest) + 1):
            seen.setdefault(colour_for(count, highest), []).append(count)
        for colour in PALETTE:
            if colour in seen:
                low, high = seen[colour][0], seen[colour][-1]
                rows.append((colour, fmt(Decimal(low)) if low == high else f"{fmt(Decimal(low))}–{fmt(Decimal(high))}"))
        return rows
    top = Decimal(highest)
    for step, colour in enumerate(PALETTE):
        rows.append((colour, f"{fmt(top * step / STEPS)} – {fmt(top * (step + 1) / STEPS)}"))
    return rows


def render_svg(values: dict[str, Value], links: dict[str, str], titles: dict[str, str],
               seats: list[Seat] | tuple[Seat, ...] = ()) -> str:
    """The map as inline SVG: each region a link filled by its value, insets framed, seats as points."""
    shape = outlines()
    highest = max((v for v in values.values() if v is not None), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {shape.width:.0f} {shape.height:.0f}" '
        'class="map-svg" role="group" aria-labelledby="map-title">'
    ]
    for inset in shape.insets:
        x, y, w, h = inset.box
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="none" '
                     'stroke="#dddddd"/>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{y + h + 14:.1f}" text-anchor="middle" font-size="11" '
                     f'fill="#3a3a3a" aria-hidden="true">{escape(inset.name)}</text>')
    for code in shape.regions:
        value = values.get(code, 0)
        title = titles.get(code, shape.region_names.get(code, code))
        parts.append(
            f'<a href="{escape(links.get(code, "#"))}" class="map-region">'
            f"<title>{escape(title)}</title>"
            f'<path d="{shape.region_path(code)}" fill="{colour_for(value, highest)}" fill-rule="evenodd" '
            f'data-region="{code}" data-value="{"" if value is None else value}"/></a>'
        )
    parts.append(f'<path d="{shape.departement_borders}" class="map-borders" fill="none" stroke="#ffffff" '
                 'stroke-width="0.5" stroke-opacity="0.7" pointer-events="none"/>')
    parts.append(f'<path d="{shape.region_borders}" class="map-borders" fill="none" stroke="#ffffff" '
                 'stroke-width="1.4" pointer-events="none"/>')
    centres = {d.code: d.centre for d in shape.departements}
    for seat in seats:
        if seat.departement not in centres:
            continue
        cx, cy = centres[seat.departement]
        radius = 3 + 2 * (seat.count ** 0.5)
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{SEAT}" fill-opacity="0.9" '
                     f'stroke="#ffffff" stroke-width="1" class="map-seat" pointer-events="none" '
                     f'data-departement="{escape(seat.departement)}" data-count="{seat.count}">'
                     f"<title>{escape(seat.title)}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
