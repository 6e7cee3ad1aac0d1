"""Annual reports: figures from the indicator engine, a stated date and fingerprint, the charts inside the PDF."""

from __future__ import annotations

import io
from decimal import Decimal

import factories
import pytest
from openpyxl import load_workbook

from poles.indicators import engine
from poles.reports import documents as D
from poles.reports.pdf import unavailable_reason

needs_pango = pytest.mark.skipif(bool(unavailable_reason()), reason=unavailable_reason() or "Pango present")
DSFR_BLUE = b"0 0 0.568627 rg"  # #000091, the charts' first colour, as a PDF fill operator


def _report(name: str = "alpha") -> D.Document:
    data = D.Dataset.load(2024)
    info = next(c for c in data.clusters if c.slug == f"cluster-{name}")
    return D.cluster_report(data, info)


def test_the_same_register_gives_the_same_figures_and_fingerprint(world):
    first, second = _report(), _report()
    assert first.fingerprint == second.fingerprint
    assert [k.value for k in first.key_figures] == [k.value for k in second.key_figures]


def test_a_change_to_the_register_changes_the_fingerprint(world):
    before = _report()
    late = factories.project("LATE", clusters=(world.alpha,), start_date=world.start)
    factories.funding(late, Decimal(999_999), year=2024)
    assert _report().fingerprint != before.fingerprint


def test_report_figures_are_the_indicator_engines(world):
    doc = _report("beta")
    members = next(k for k in doc.key_figures if k.code == "members")
    [value] = [v for v in engine.compute(2024, engine.Scope("cluster", "cluster-beta"), ["members"])]
    assert members.raw == value.value == 6


def test_cluster_report_ranks_the_cluster_among_its_peers_with_their_median(world):
    doc = _report("gamma")
    members = next(k for k in doc.key_figures if k.code == "members")
    assert members.raw == 7 and members.rank == "1 / 3" and members.median == "6"


def test_xlsx_report_holds_the_date_the_key_figures_and_each_charts_data(world):
    doc = _report()
    book = load_workbook(io.BytesIO(D.to_xlsx(doc)))
    assert len(book.worksheets) == 2 + len(doc.charts) + 1  # about, key figures, the charts' data, the sources
    values = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert "2023" in values and doc.fingerprint in values and doc.read_on.isoformat() in values
    assert f"registre au {doc.read_on:%d/%m/%Y}" in values  # the figures' source, as of today


@needs_pango
def test_pdf_report_contains_the_charts_as_text_and_vector_drawings(world):
    from pypdf import PdfReader

    doc = _report()
    reader = PdfReader(io.BytesIO(D.to_pdf(doc)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for chart in doc.charts:
        assert chart.title in text
    assert doc.read_on.isoformat() in text and doc.fingerprint in text
    drawn = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert drawn.count(DSFR_BLUE) >= 3  # bars and lines filled in the charts' colour
    assert drawn.count(b" re\n") > 10  # rectangles: the bars


@needs_pango
def test_national_synthesis_pdf_holds_the_map_and_every_active_cluster(world):
    from pypdf import PdfReader

    doc = D.national_report(D.Dataset.load(2024))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(D.to_pdf(doc))).pages).split())
    for c in world.clusters:
        assert c.name in text
    assert doc.maps, "the map of France by region is drawn"
    assert "Members by region, 2024" in text or "Membres par région, 2024" in text
