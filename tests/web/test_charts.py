"""The chart component (pure) and its endpoint: SVG well formed, table and CSV equal to the data."""

from __future__ import annotations

import csv
import io
import xml.dom.minidom
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.core.tables import csv_text
from poles.web import charts
from poles.web.charts import Chart, Series

KINDS = ("bar", "column", "line", "scatter")


def _chart(kind: str, **fields) -> Chart:
    if kind == "scatter":
        series = (Series("Members", (10, 250, 40)), Series("Funding", (Decimal("1200000"), None, Decimal("5.5e6")), "meur"))
    else:
        series = (Series("Members", (10, 250, 40)), Series("Pending", (1, 0, 3)))
    return Chart(key=f"t-{kind}", kind=kind, title="Title <&>", description="What it shows",
                 categories=("Micro-entreprises", "ETI & <grandes>", "2025"), series=series,
                 category_label="Category", **fields)


def _parse(svg: str):
    return xml.dom.minidom.parseString(svg.encode("utf-8"))  # noqa: S318 — our own output, checked for well-formedness


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("stacked", [False, True])
def test_every_kind_is_well_formed_svg_with_its_title_and_description(kind, stacked):
    chart = _chart(kind, stacked=stacked and kind != "scatter")
    for standalone in (False, True):
        doc = _parse(charts.render_svg(chart, standalone=standalone))
        svg = doc.documentElement
        assert svg.tagName == "svg" and svg.getAttribute("role") == "img"
        assert doc.getElementsByTagName("title")[0].firstChild.data == "Title <&>"
        assert doc.getElementsByTagName("desc")[0].firstChild.data == "What it shows"
        assert svg.getAttribute("aria-labelledby") == f"chart-t-{kind}-svg-title chart-t-{kind}-svg-desc"


def test_labels_are_escaped_and_drawn():
    svg = charts.render_svg(_chart("bar"))
    assert "ETI &amp; &lt;grandes&gt;" in svg and "<grandes>" not in svg


def test_bars_are_as_long_as_their_values():
    chart = Chart("b", "bar", "t", "d", ("a", "b"), (Series("n", (50, 100)),))
    doc = _parse(charts.render_svg(chart))
    widths = [float(r.getAttribute("width")) for r in doc.getElementsByTagName("rect")]
    assert widths[1] == pytest.approx(2 * widths[0], rel=0.01)


def test_the_data_table_holds_every_value_formatted_and_the_extra_columns():
    chart = Chart("c", "bar", "t", "d", ("a", "b"), (Series("Members", (3, 1)),),
                  category_label="Category", extra=(Series("Share", (Decimal("0.75"), Decimal("0.25")), "share"),))
    headers, rows = charts.table_rows(chart)
    assert headers == ["Category", "Members", "Share"]
    assert rows == [["a", "3", "75 %"], ["b", "1", "25 %"]]


def test_the_csv_equals_the_data():
    chart = _chart("scatter", extra=(Series("Share", (Decimal("0.123456"), Decimal("0.5"), None), "share"),))
    headers, rows = charts.csv_rows(chart)
    parsed = list(csv.reader(io.StringIO(csv_text(headers, rows))))
    assert parsed[0] == ["Category", "Members", "Funding", "Share"]
    assert [row[0] for row in parsed[1:]] == list(chart.categories)
    for i, row in enumerate(parsed[1:]):
        for cell, series in zip(row[1:], (*chart.series, *chart.extra), strict=True):
            value = series.values[i]
            if value is None:
                assert cell == ""
            elif series.unit == "share":
                assert Decimal(cell) == Decimal(value).quantize(Decimal("0.0001"))
            else:
                assert Decimal(cell) == Decimal(value)


def test_series_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        Chart("x", "bar", "t", "d", ("a", "b", "c"), (Series("n", (1, 2)),))
    with pytest.raises(ValueError, match="two series"):
        Chart("x", "scatter", "t", "d", ("a",), (Series("n", (1,)),))


def test_an_all_zero_chart_is_empty():
    assert Chart("z", "column", "t", "d", ("2024",), (Series("n", (0,)),)).is_empty
    assert not _chart("line").is_empty


@given(st.floats(min_value=0.001, max_value=1e12, allow_nan=False))
def test_ticks_start_at_zero_cover_the_highest_value_in_equal_steps(high):
    ticks = charts.nice_ticks(high)
    assert ticks[0] == 0 and ticks[-1] >= high * (1 - 1e-9)
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and len(ticks) <= 12


values = st.one_of(st.none(), st.integers(min_value=0, max_value=10**7),
                   st.decimals(min_value=0, max_value=10**9, places=2))


@given(st.sampled_from(KINDS), st.booleans(), st.integers(min_value=1, max_value=12), st.data())
def test_any_data_gives_well_formed_svg_inside_the_frame(kind, stacked, n, data):
    count = 2 if kind == "scatter" else data.draw(st.integers(min_value=1, max_value=4))
    series = tuple(Series(f"s{i}", tuple(data.draw(values) for _ in range(n))) for i in range(count))
    chart = Chart("h", kind, "t", "d", tuple(data.draw(st.text(max_size=60)) for _ in range(n)), series,
                  stacked=stacked and kind != "scatter")
    doc = _parse(charts.render_svg(chart, standalone=True))
    for rect in doc.getElementsByTagName("rect"):
        x, width = float(rect.getAttribute("x") or 0), float(rect.getAttribute("width"))
        assert width >= 0 and x + width <= charts.WIDTH + 0.5
