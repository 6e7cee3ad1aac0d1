"""Reports as of a date are reproducible: the same date gives the same figures, whatever the register became.

The world's rows are dated 1 June 2024; Alpha's 2024 report is validated on 1 December 2024 (frozen).
Reports at D = 15 January 2025 are generated, the register then changes (new members of Alpha and
Beta, a new funding of Beta's project, Gamma's budget grows by a new cluster year… nothing validated),
and the reports at D are generated again: every XLSX cell and the PDF text are the same. At today's
date the figures changed, except Alpha's 2024 members, which its validated report answers for.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import factories
import pytest
from django.utils import translation
from openpyxl import load_workbook

from poles.indicators import asof as A
from poles.indicators import engine
from poles.projects.models import Funding, Project, ProjectCluster
from poles.registry.models import Cluster, ClusterYear, Membership, OrganisationFigures
from poles.reports import documents as D
from poles.reports.pdf import unavailable_reason
from poles.reports.run import generate
from poles.survey import services
from poles.survey.models import Report

D_DAY = dt.date(2025, 1, 15)
BEFORE = dt.datetime(2024, 6, 1, 12, tzinfo=A.PARIS)
VALIDATED = dt.datetime(2024, 12, 1, 10, tzinfo=A.PARIS)


def _backdate() -> None:
    for model in (Cluster, Membership, ClusterYear, OrganisationFigures, Project, ProjectCluster, Funding):
        model.objects.update(created_at=BEFORE)


@pytest.fixture
def dated(world):
    """The world as it stood in 2024, with Alpha's 2024 report validated on 1 December 2024 (members declared: 9)."""
    _backdate()
    admin = factories.user("admin", is_superuser=True, is_staff=True)
    survey = services.open_survey(admin, 2024)
    report = Report.objects.get(survey=survey, cluster=world.alpha)
    services.save_figures(admin, report, {"members_total": "9", "staff_fte": "6,5"})
    services.transition(report, "submit", admin)
    services.transition(report, "validate", admin)
    Report.objects.filter(pk=report.pk).update(validated_at=VALIDATED)
    world.admin, world.report = admin, report
    return world


def _change_the_register(w) -> None:
    """New members of Alpha and Beta in 2024, a new funding of Beta's project: nothing validated."""
    for name, cluster in (("alpha", w.alpha), ("beta", w.beta)):
        for k in range(4):
            factories.membership(factories.organisation(f"Late {name} {k}"), cluster, 2024)
    beta_project = Project.objects.get(acronym="PBeta")
    factories.funding(beta_project, Decimal(333_333), funder="bpifrance", date=dt.date(2024, 6, 1), year=2024)


def _cells(path: Path) -> list[tuple[str, tuple[object, ...]]]:
    book = load_workbook(path)
    return [(ws.title, tuple(c.value for c in row)) for ws in book.worksheets for row in ws.iter_rows()]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())


def _generate(out: Path, as_of: dt.date | None, formats: tuple[str, ...]) -> dict[str, Path]:
    paths = generate(2024, out, formats=formats, as_of=as_of)
    return {p.name: p for p in paths}


def _key(path: Path, label: str) -> object:
    book = load_workbook(path)
    rows = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows(min_row=2)}
    return rows[label]


def test_reports_at_a_date_are_the_same_after_the_register_changes_and_differ_today(dated, tmp_path):
    formats = ("xlsx",) if unavailable_reason() else ("xlsx", "pdf")
    with translation.override("fr"):
        first = _generate(tmp_path / "first", D_DAY, formats)
        _change_the_register(dated)
        again = _generate(tmp_path / "again", D_DAY, formats)
        today = _generate(tmp_path / "today", None, formats)
    assert set(first) == set(again) and "2024-national.xlsx" in first and "2024-cluster-beta.xlsx" in first
    for name, path in first.items():
        if name.endswith(".xlsx"):
            assert _cells(path) == _cells(again[name]), name
        else:
            assert _pdf_text(path) == _pdf_text(again[name]), name
    # today the register's changes show: Beta's members and funding, the national totals
    assert _cells(today["2024-national.xlsx"]) != _cells(first["2024-national.xlsx"])
    assert _key(first["2024-cluster-beta.xlsx"], "Membres") == "6"
    assert _key(today["2024-cluster-beta.xlsx"], "Membres") == "10"
    # Alpha's 2024 figures are its validated report's, at D and today: 9 declared members, not 5 or 9 + 4
    assert _key(first["2024-cluster-alpha.xlsx"], "Membres") == "9"
    assert _key(today["2024-cluster-alpha.xlsx"], "Membres") == "9"
    assert _key(first["2024-cluster-alpha.xlsx"], "Équipe du pôle (ETP)") == "6,5"


def test_each_report_states_its_source_in_french_and_english(dated, tmp_path):
    with translation.override("fr"):
        data = D.Dataset.load(2024, as_of=D_DAY)
        alpha = D.cluster_report(data, next(c for c in data.clusters if c.id == dated.alpha.pk))
        beta = D.cluster_report(data, next(c for c in data.clusters if c.id == dated.beta.pk))
        national = D.national_report(data)
        assert alpha.source == "rapport annuel validé le 01/12/2024"
        assert beta.source == "registre au 15/01/2025"
        assert ["Cluster Alpha", "rapport annuel validé le 01/12/2024"] in national.sources
        assert ["Cluster Beta", "registre au 15/01/2025"] in national.sources
        assert national.source.startswith("1 pôles sur 3")
        html = D.to_html(alpha)
        assert "rapport annuel validé le 01/12/2024" in html and "registre au 15/01/2025" in html  # 2024, 2023
    with translation.override("en"):
        data = D.Dataset.load(2024, as_of=D_DAY)
        alpha = D.cluster_report(data, next(c for c in data.clusters if c.id == dated.alpha.pk))
        assert alpha.source == "annual report validated on 2024-12-01"
        assert ["2023", "register as of 2025-01-15"] in alpha.sources


def test_a_report_validated_after_the_date_does_not_answer_for_it(dated):
    before = engine.cluster_table([2024], ["members"], clusters=[dated.alpha.pk], as_of=dt.date(2024, 11, 30))
    after = engine.cluster_table([2024], ["members"], clusters=[dated.alpha.pk], as_of=dt.date(2024, 12, 1))
    assert before[(dated.alpha.pk, 2024)]["members"] == 5  # the register: 4 firms and a lab
    assert after[(dated.alpha.pk, 2024)]["members"] == 9  # the validated report


def test_rows_created_after_the_date_are_left_out_of_the_register_figures(dated):
    _change_the_register(dated)
    at_d = engine.cluster_table([2024], ["members", "funding_bpifrance"], clusters=[dated.beta.pk], as_of=D_DAY)
    now = engine.cluster_table([2024], ["members", "funding_bpifrance"], clusters=[dated.beta.pk])
    assert at_d[(dated.beta.pk, 2024)] == {"members": 6, "funding_bpifrance": Decimal("0.00")}
    assert now[(dated.beta.pk, 2024)] == {"members": 10, "funding_bpifrance": Decimal("333333.00")}


def test_national_totals_add_the_frozen_reports_to_the_register_of_the_other_clusters(dated):
    ids = [dated.alpha.pk, dated.beta.pk, dated.gamma.pk]
    live = engine.aggregate([2024], ["members", "staff_fte"], cluster_ids=ids)[2024]
    at_d = engine.aggregate([2024], ["members", "staff_fte"], cluster_ids=ids, as_of=D_DAY)[2024]
    assert live == {"members": 5 + 6 + 7, "staff_fte": Decimal("18.0")}
    assert at_d == {"members": 9 + 6 + 7, "staff_fte": Decimal("19.5")}  # Alpha: 9 members, 6.5 FTE declared


def test_a_cluster_created_after_the_date_is_in_no_report_of_that_date(dated, tmp_path):
    late = factories.cluster("Cluster Late")
    data = D.Dataset.load(2024, as_of=D_DAY)
    assert late.pk not in {c.id for c in data.clusters}
    assert late.pk in {c.id for c in D.Dataset.load(2024).clusters}
