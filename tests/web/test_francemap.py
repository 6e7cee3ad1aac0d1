"""The choropleth builder: the npm package's outlines, our region codes, the colour scale."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from poles.web import francemap


def test_every_metropolitan_region_of_the_package_maps_to_an_insee_code():
    _viewbox, shapes = francemap.shapes()
    assert {s.code for s in shapes} == set(francemap.SVG_ID_TO_INSEE.values())
    assert len(shapes) == 13


def test_render_links_each_region_and_fills_it_by_count():
    svg = francemap.render_svg({"84": 10, "53": 1}, {"84": "/clusters/?region=84"}, {"84": "ARA: 10"})
    assert '<a href="/clusters/?region=84"' in svg
    assert re.search(r'fill="#000091" data-region="84" data-count="10"', svg)
    assert re.search(rf'fill="{francemap.EMPTY}" data-region="11" data-count="0"', svg)
    assert "<title>ARA: 10</title>" in svg


def test_render_escapes_titles():
    svg = francemap.render_svg({}, {}, {"84": "<script>"})
    assert "<script>" not in svg and "&lt;script&gt;" in svg


@given(st.integers(min_value=1, max_value=500), st.data())
def test_colours_never_decrease_with_the_count(highest, data):
    low = data.draw(st.integers(min_value=0, max_value=highest))
    high = data.draw(st.integers(min_value=low, max_value=highest))
    order = [francemap.EMPTY, *francemap.PALETTE]
    assert order.index(francemap.colour_for(low, highest)) <= order.index(francemap.colour_for(high, highest))
    assert francemap.colour_for(highest, highest) == francemap.PALETTE[-1]


def test_legend_covers_every_count_once():
    legend = francemap.legend(11)
    assert legend[0] == (francemap.EMPTY, "0")
    assert legend[-1][1].endswith("11")
