"""The one chart component: data → server-rendered SVG, its data table and its CSV rows.

Pure functions over a `Chart` (no database, no request): the pages and the chart download endpoint
build a `Chart` from the same figure functions and hand it here, so what is drawn, what the table
says and what the CSV holds are one data set. Colours are the State design system's (DSFR)
illustrative colours; the SVG carries them as presentation attributes, which the
Content-Security-Policy allows (no inline style), and stands alone when downloaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Literal

Number = int | float | Decimal
Kind = Literal["bar", "column", "line", "scatter"]
Unit = Literal["count", "eur", "meur", "share"]

# DSFR illustrative colours ("couleurs illustratives", main tint), in the order dsfr-chart uses them.
DSFR_COLOURS: dict[str, str] = {
    "blue-france": "#000091",
    "green-menthe": "#009081",
    "orange-terre-battue": "#E4794A",
    "purple-glycine": "#A558A0",
    "yellow-tournesol": "#C8AA39",
    "blue-ecume": "#465F9D",
    "pink-tuile": "#CE614A",
    "green-bourgeon": "#68A532",
    "brown-caramel": "#C08C65",
    "blue-cumulus": "#417DC4",
    "green-emeraude": "#00A95F",
    "pink-macaron": "#E18B76",
}
PALETTE = tuple(DSFR_COLOURS.values())
TEXT = "#161616"  # DSFR grey-50 (text)
MUTED = "#3a3a3a"  # DSFR grey-200 (mention text)
GRID = "#dddddd"  # DSFR grey-900 (borders)
FONT = "Marianne, arial, sans-serif"  # downloads only: inline charts take the page's font

WIDTH = 720
CHAR = 6.6  # average advance of a 12 px glyph, for label widths
MAX_LABEL = 42


@dataclass(frozen=True)
class Series:
    """One named row of values, aligned on the chart's categories; None is a value not published."""

    label: str
    values: tuple[Number | None, ...]
    unit: Unit = "count"


@dataclass(frozen=True)
class Chart:
    """What a chart says: title, description, categories, series; how it is drawn (`kind`)."""

    key: str
    kind: Kind
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    category_label: str = ""
    stacked: bool = False
    note: str = ""
    extra: tuple[Series, ...] = ()
    colours: tuple[str, ...] = field(default=PALETTE)

    def __post_init__(self) -> None:
        for s in (*self.series, *self.extra):
            if len(s.values) != len(self.categories):
                raise ValueError(f"series {s.label!r} has {len(s.values)} values for {len(self.categories)} categories")
        if self.kind == "scatter" and len(self.series) != 2:
            raise ValueError("a scatter chart takes two series: x then y")

    @property
    def is_empty(self) -> bool:
        """True when no value at all is published (the page says so instead of an empty frame)."""
        return all(v is None or v == 0 for s in self.series for v in s.values)


Formatter = Callable[[Number | None, Unit], str]


def plain_format(value: Number | None, unit: Unit) -> str:
    """A language-neutral formatter (tests, and the default when no page formatter is given)."""
    if value is None:
        return "s"
    if unit == "share":
        return f"{Decimal(value) * 100:.0f} %"
    if unit == "meur":
        return f"{Decimal(value) / 1_000_000:.1f} M€"
    if unit == "eur":
        return f"{Decimal(value):.0f} €"
    return f"{Decimal(value):.0f}" if Decimal(value) == Decimal(value).to_integral() else f"{value}"


def table_rows(chart: Chart, fmt: Formatter = plain_format) -> tuple[list[str], list[list[str]]]:
    """The chart's data table: a header line and one formatted line per category (extra columns too)."""
    columns = (*chart.series, *chart.extra)
    headers = [chart.category_label, *(s.label for s in columns)]
    rows = [
        [category, *(fmt(s.values[i], s.unit) for s in columns)]
        for i, category in enumerate(chart.categories)
    ]
    return headers, rows


def csv_rows(chart: Chart) -> tuple[list[str], list[list[object]]]:
    """The chart's data as typed values for CSV/XLSX: amounts in euros, shares as fractions."""
    columns = (*chart.series, *chart.extra)
    headers = [chart.category_label, *(s.label for s in columns)]
    rows: list[list[object]] = [
        [category, *(_typed(s.values[i], s.unit) for s in columns)] for i, category in enumerate(chart.categories)
    ]
    return headers, rows


def _typed(value: Number | None, unit: Unit) -> Number | None:
    """A share to four decimals (62.35 % → 0.6235), other values as they are."""
    if value is None or unit != "share":
        return value
    return Decimal(value).quantize(Decimal("0.0001"))


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least `high` (steps of 1, 2 or 5 times a power of ten)."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    top = math.ceil(high / step - 1e-9) * step
    return [round(i * step, 10) for i in range(int(round(top / step)) + 1)]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: object) -> str:
    """Text escaped for XML, without the characters XML 1.0 cannot hold (control codes, lone surrogates)."""
    return escape(_NOT_XML.sub("", str(text)), quote=True)


def _short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12, colour: str = TEXT,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{colour}"'
            f'{" font-weight=" + chr(34) + weight + chr(34) if weight != "normal" else ""}>{_x(text)}</text>')


def _number(value: Number | None) -> float:
    return float(value) if value is not None else 0.0


def _legend(chart: Chart, y: float) -> tuple[list[str], float]:
    """Colour keys for charts with several series, wrapped over lines; returns parts and height."""
    if len(chart.series) < 2 or chart.kind == "scatter":
        return [], 0.0
    parts, x, line = [], 10.0, 0
    for i, s in enumerate(chart.series):
        width = 24 + len(s.label) * CHAR + 16
        if x + width > WIDTH - 10 and x > 10:
            x, line = 10.0, line + 1
        top = y + line * 20
        parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="14" height="14" fill="{chart.colours[i % len(chart.colours)]}"/>')
        parts.append(_text(x + 20, top + 11, s.label))
        x += width
    return parts, (line + 1) * 20 + 6


def _bar(chart: Chart, fmt: Formatter) -> tuple[list[str], float]:
    """Horizontal bars: categories down the left, values along the axis (grouped or stacked)."""
    unit = chart.series[0].unit
    label_w = min(MAX_LABEL * CHAR, max((len(_short(c)) for c in chart.categories), default=4) * CHAR) + 12
    plot_x, plot_w = label_w, WIDTH - label_w - 90
    groups = 1 if chart.stacked or len(chart.series) == 1 else len(chart.series)
    bar_h = 20 if groups == 1 else 12
    band = groups * bar_h + 12
    legend, legend_h = _legend(chart, 8)
    top = 8 + legend_h + 18
    totals = [sum(_number(s.values[i]) for s in chart.series) for i in range(len(chart.categories))]
    high = max(totals if chart.stacked else [_number(v) for s in chart.series for v in s.values], default=0)
    ticks = nice_ticks(high)
    scale = plot_w / ticks[-1]
    parts = list(legend)
    for t in ticks:
        x = plot_x + t * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" y2="{top + band * len(chart.categories):.1f}" stroke="{GRID}"/>')
        parts.append(_text(x, top - 8, fmt(t, unit), "middle", 11, MUTED))
    for i, category in enumerate(chart.categories):
        y = top + i * band + 6
        parts.append(_text(plot_x - 8, y + (groups * bar_h) / 2 + 4, _short(category), "end"))
        offset = 0.0
        for j, s in enumerate(chart.series):
            value = s.values[i]
            colour = chart.colours[j % len(chart.colours)]
            width = _number(value) * scale
            if chart.stacked:
                parts.append(f'<rect x="{plot_x + offset:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar_h}" fill="{colour}"/>')
                offset += width
                continue
            by = y + j * bar_h
            parts.append(f'<rect x="{plot_x:.1f}" y="{by:.1f}" width="{width:.1f}" height="{bar_h - 2}" fill="{colour}"/>')
            parts.append(_text(plot_x + width + 4, by + bar_h / 2 + 3, fmt(value, s.unit), "start", 11, MUTED))
        if chart.stacked:
            parts.append(_text(plot_x + offset + 4, y + bar_h / 2 + 4, fmt(totals[i], unit), "start", 11, MUTED))
    return parts, top + band * len(chart.categories) + 8


def _column(chart: Chart, fmt: Formatter, line: bool = False) -> tuple[list[str], float]:
    """Vertical columns (grouped or stacked) or a line per series over ordered categories (years)."""
    unit = chart.series[0].unit
    legend, legend_h = _legend(chart, 8)
    top, height = 8 + legend_h + 10, 220
    plot_x, plot_w = 78.0, WIDTH - 78 - 16
    n = max(len(chart.categories), 1)
    band = plot_w / n
    totals = [sum(_number(s.values[i]) for s in chart.series) for i in range(len(chart.categories))]
    high = max(totals if chart.stacked and not line else [_number(v) for s in chart.series for v in s.values],
               default=0)
    ticks = nice_ticks(high)
    scale = height / ticks[-1]
    base = top + height
    parts = list(legend)
    for t in ticks:
        y = base - t * scale
        parts.append(f'<line x1="{plot_x:.1f}" y1="{y:.1f}" x2="{plot_x + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(plot_x - 6, y + 4, fmt(t, unit), "end", 11, MUTED))
    for i, category in enumerate(chart.categories):
        parts.append(_text(plot_x + band * (i + 0.5), base + 18, _short(category, 14), "middle"))
    if line:
        for j, s in enumerate(chart.series):
            colour = chart.colours[j % len(chart.colours)]
            points = [(plot_x + band * (i + 0.5), base - _number(v) * scale)
                      for i, v in enumerate(s.values) if v is not None]
            if len(points) > 1:
                d = " ".join(f"{'M' if k == 0 else 'L'}{x:.1f},{y:.1f}" for k, (x, y) in enumerate(points))
                parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
            for x, y in points:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
            if len(chart.series) == 1:
                for (x, y), v in zip(points, [v for v in s.values if v is not None], strict=True):
                    parts.append(_text(x, y - 9, fmt(v, s.unit), "middle", 11, MUTED))
        return parts, base + 30
    groups = 1 if chart.stacked or len(chart.series) == 1 else len(chart.series)
    inner = band * 0.7
    width = inner / groups
    for i in range(len(chart.categories)):
        x0 = plot_x + band * i + (band - inner) / 2
        stack = 0.0
        for j, s in enumerate(chart.series):
            colour = chart.colours[j % len(chart.colours)]
            h = _number(s.values[i]) * scale
            if chart.stacked:
                stack += h
                parts.append(f'<rect x="{x0:.1f}" y="{base - stack:.1f}" width="{inner:.1f}" height="{h:.1f}" fill="{colour}"/>')
            else:
                x = x0 + j * width
                parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{max(width - 2, 1):.1f}" height="{h:.1f}" fill="{colour}"/>')
                if groups == 1:
                    parts.append(_text(x + width / 2, base - h - 5, fmt(s.values[i], s.unit), "middle", 11, MUTED))
        if chart.stacked:
            parts.append(_text(x0 + inner / 2, base - stack - 5, fmt(totals[i], unit), "middle", 11, MUTED))
    return parts, base + 30


def _scatter(chart: Chart, fmt: Formatter) -> tuple[list[str], float]:
    """Points (x = first series, y = second), each labelled when there are few of them."""
    xs, ys = chart.series
    top, height = 16.0, 300
    plot_x, plot_w = 90.0, WIDTH - 90 - 24
    xt, yt = nice_ticks(max((_number(v) for v in xs.values), default=0)), nice_ticks(
        max((_number(v) for v in ys.values), default=0))
    sx, sy = plot_w / xt[-1], height / yt[-1]
    base = top + height
    parts = []
    for t in yt:
        y = base - t * sy
        parts.append(f'<line x1="{plot_x:.1f}" y1="{y:.1f}" x2="{plot_x + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(plot_x - 6, y + 4, fmt(t, ys.unit), "end", 11, MUTED))
    for t in xt:
        x = plot_x + t * sx
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{base:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x, base + 16, fmt(t, xs.unit), "middle", 11, MUTED))
    parts.append(_text(plot_x + plot_w / 2, base + 36, xs.label, "middle", 12, TEXT, "bold"))
    parts.append(f'<text x="16" y="{top + height / 2:.1f}" text-anchor="middle" font-size="12" fill="{TEXT}" '
                 f'font-weight="bold" transform="rotate(-90 16 {top + height / 2:.1f})">{_x(ys.label)}</text>')
    few = len(chart.categories) <= 15
    for i, label in enumerate(chart.categories):
        if xs.values[i] is None or ys.values[i] is None:
            continue
        x, y = plot_x + _number(xs.values[i]) * sx, base - _number(ys.values[i]) * sy
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{chart.colours[0]}" fill-opacity="0.8"/>')
        if few:
            anchor = "end" if x > plot_x + plot_w * 0.75 else "start"
            parts.append(_text(x + (-8 if anchor == "end" else 8), y + 4, _short(label, 24), anchor, 11))
    return parts, base + 46


def render_svg(chart: Chart, fmt: Formatter = plain_format, *, standalone: bool = False) -> str:
    """The chart as one SVG element (a well-formed XML document when `standalone`)."""
    if chart.kind == "bar":
        parts, height = _bar(chart, fmt)
    elif chart.kind == "scatter":
        parts, height = _scatter(chart, fmt)
    else:
        parts, height = _column(chart, fmt, line=chart.kind == "line")
    ident = f"chart-{chart.key}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" class="chart-svg" '
        f'role="img" aria-labelledby="{ident}-svg-title {ident}-svg-desc">'
        f'<title id="{ident}-svg-title">{_x(chart.title)}</title><desc id="{ident}-svg-desc">{_x(chart.description)}</desc>'
    )
    if standalone:
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                + head.replace(' class="chart-svg"', f' font-family="{FONT}"')
                + f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>')
    return head + "".join(parts) + "</svg>"

