"""Annual reports: same date, same figures; rows after the date do not count; the PDF holds the charts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import factories
import pytest
from openpyxl import load_workbook

from poles.reports import documents as D
from poles.reports.pdf import unavailable_reason

needs_pango = pytest.mark.skipif(bool(unavailable_reason()), reason=unavailable_reason() or "Pango present")
DSFR_BLUE = b"0 0 0.568627 rg"  # #000091, the charts' first colour, as a PDF fill operator


def _report(w, name: str = "alpha", as_of: dt.date | None = None) -> D.Document:
    data = D.Dataset.load(2024, as_of)
    info = next(c for c in data.clusters if c.slug == f"cluster-{name}")
    return D.cluster_report(data, info)


def test_the_same_date_gives_the_same_figures_and_fingerprint(world):
    first, second = _report(world, as_of=dt.date(2024, 12, 31)), _report(world, as_of=dt.date(2024, 12, 31))
    assert first.fingerprint == second.fingerprint
    assert [k.value for k in first.key_figures] == [k.value for k in second.key_figures]


def test_a_project_started_after_the_date_does_not_count(world):
    before = _report(world, as_of=dt.date(2024, 6, 30))
    late = factories.project("LATE", clusters=(world.alpha,), start_date=dt.date(2024, 9, 1))
    factories.funding(late, Decimal(999_999), date=dt.date(2024, 9, 2), year=2024)
    again = _report(world, as_of=dt.date(2024, 6, 30))
    assert again.fingerprint == before.fingerprint
    assert _report(world, as_of=dt.date(2024, 12, 31)).fingerprint != before.fingerprint


def test_cluster_report_ranks_the_cluster_among_its_peers_with_their_median(world):
    doc = _report(world, "gamma")
    members = next(k for k in doc.key_figures if k.code == "members")
    assert members.raw == 7 and members.rank == "1 / 3" and members.median == "6"


def test_xlsx_report_holds_the_date_the_key_figures_and_each_charts_data(world):
    doc = _report(world)
    book = load_workbook(io.BytesIO(D.to_xlsx(doc)))
    about = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ["Register read at", "2024-12-31"] in about or any("2024-12-31" in map(str, r) for r in about)
    assert len(book.worksheets) == 2 + len(doc.charts)
    values = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert "2023" in values and doc.fingerprint in values


@needs_pango
def test_pdf_report_contains_the_charts_as_text_and_vector_drawings(world):
    from pypdf import PdfReader

    doc = _report(world)
    reader = PdfReader(io.BytesIO(D.to_pdf(doc)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for chart in doc.charts:
        assert chart.title in text
    assert "2024-12-31" in text and doc.fingerprint in text
    drawn = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert drawn.count(DSFR_BLUE) >= 3  # bars and lines filled in the charts' colour
    assert drawn.count(b" re\n") > 10  # rectangles: the bars


@needs_pango
def test_national_synthesis_pdf_holds_the_map_and_every_active_cluster(world):
    from pypdf import PdfReader

    data = D.Dataset.load(2024)
    doc = D.national_report(data)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(D.to_pdf(doc))).pages).split())
    for c in world.clusters:
        assert c.name in text
    assert doc.maps, "the map of France by region is drawn"
    assert "Members by region, 2024" in text or "Membres par région, 2024" in text
