"""The map's outlines (open data from npm packages) and the choropleth builder."""

from __future__ import annotations

import json
import math
import re
import xml.dom.minidom
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from poles.env import node_modules
from poles.observatory import francegeo
from poles.web import francemap

OVERSEAS_REGIONS = {"01", "02", "03", "04", "06"}


def _insee_departements() -> list[dict]:
    path = node_modules().joinpath(*francegeo.DEPARTEMENTS)
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_departement_of_the_101_is_drawn_once_with_its_insee_code_and_region():
    shape = francemap.outlines()
    codes = [d.code for d in shape.departements]
    assert len(codes) == len(set(codes)) == 101
    insee = {d["code"]: d["region"] for d in _insee_departements() if d["zone"] in ("metro", "drom")}
    assert set(codes) == set(insee)
    assert all(d.region == insee[d.code] for d in shape.departements)


def test_all_eighteen_regions_are_drawn_and_the_five_overseas_ones_are_insets():
    shape = francemap.outlines()
    assert len(shape.regions) == 18
    assert {i.region for i in shape.insets} == OVERSEAS_REGIONS
    assert [i.name for i in shape.insets] == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    for inset in shape.insets:
        x, y, w, h = inset.box
        (dep,) = [d for d in shape.departements if d.region == inset.region]
        points = [p for ring in dep.rings for p in ring]
        assert all(x - 0.1 <= px <= x + w + 0.1 and y - 0.1 <= py <= y + h + 0.1 for px, py in points)


def test_outlines_stay_in_the_viewbox_and_are_simplified():
    shape = francemap.outlines()
    points = [p for d in shape.departements for ring in d.rings for p in ring]
    assert all(0 <= x <= shape.width and 0 <= y <= shape.height for x, y in points)
    assert len(points) < 10_000  # the package's arcs hold 13,000 points, each shared border once
    assert shape.region_borders and shape.departement_borders


def test_neighbouring_departements_share_their_border_points_after_simplification():
    shape = francemap.outlines()
    rhone = {p for ring in next(d for d in shape.departements if d.code == "69").rings for p in ring}
    ain = {p for ring in next(d for d in shape.departements if d.code == "01").rings for p in ring}
    assert len(rhone & ain) >= 3


def test_render_links_each_region_fills_it_by_value_and_draws_the_insets_and_seats():
    svg = francemap.render_svg(
        {"84": 10, "53": 1, "04": 3}, {"84": "/clusters/?region=84", "04": "/clusters/?region=04"},
        {"84": "ARA: 10"}, [francemap.Seat("63", 2, "Puy-de-Dôme: 2")],
    )
    xml.dom.minidom.parseString(svg)  # noqa: S318 — our own output, checked for well-formedness
    assert '<a href="/clusters/?region=84"' in svg and '<a href="/clusters/?region=04"' in svg
    assert re.search(r'fill="#000091" fill-rule="evenodd" data-region="84" data-value="10"', svg)
    assert re.search(rf'fill="{francemap.EMPTY}" fill-rule="evenodd" data-region="11" data-value="0"', svg)
    assert "<title>ARA: 10</title>" in svg
    assert all(f'data-region="{code}"' in svg for code in OVERSEAS_REGIONS)
    assert 'data-departement="63" data-count="2"' in svg and "<title>Puy-de-Dôme: 2</title>" in svg


def test_render_escapes_titles():
    svg = francemap.render_svg({}, {}, {"84": "<script>"})
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_an_unpublished_value_is_drawn_as_empty():
    svg = francemap.render_svg({"84": None, "53": Decimal(5)}, {}, {})
    assert re.search(rf'fill="{francemap.EMPTY}" fill-rule="evenodd" data-region="84" data-value=""', svg)


@given(st.integers(min_value=1, max_value=500), st.data())
def test_colours_never_decrease_with_the_value(highest, data):
    low = data.draw(st.integers(min_value=0, max_value=highest))
    high = data.draw(st.integers(min_value=low, max_value=highest))
    order = [francemap.EMPTY, *francemap.PALETTE]
    assert order.index(francemap.colour_for(low, highest)) <= order.index(francemap.colour_for(high, highest))
    assert francemap.colour_for(highest, highest) == francemap.PALETTE[-1]


@given(st.integers(min_value=1, max_value=300))
def test_legend_of_counts_covers_every_count_once(highest):
    legend = francemap.legend(highest)
    assert legend[0] == (francemap.EMPTY, "0")
    covered = []
    for _colour, text in legend[1:]:
        low, _dash, high = text.partition("–")
        covered += list(range(int(low), int(high or low) + 1))
    assert covered == list(range(1, highest + 1))


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=2, max_size=60),
       st.floats(0.01, 5))
def test_simplification_keeps_the_ends_and_every_dropped_point_near_the_line(points, tolerance):
    kept = francegeo.simplify(points, tolerance)
    assert kept[0] == points[0] and kept[-1] == points[-1]
    assert all(p in points for p in kept)
    if len(points) > 2 and points[0] != points[-1]:
        (ax, ay), (bx, by) = points[0], points[-1]
        if len(kept) == 2:
            length = math.hypot(bx - ax, by - ay)
            for px, py in points:
                assert abs((by - ay) * (px - ax) - (bx - ax) * (py - ay)) / length <= tolerance + 1e-6


def test_a_missing_package_names_the_file_to_install(tmp_path):
    try:
        francegeo.outlines(tmp_path)
    except francegeo.OutlinesUnavailable as error:
        assert "fra.topo.json" in str(error) and "make setup" in str(error)
    else:  # pragma: no cover
        raise AssertionError("expected OutlinesUnavailable")
