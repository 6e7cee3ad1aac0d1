"""The member list templates: headers in the page's language, explained, and importable as filled in."""

from __future__ import annotations

import io
from pathlib import Path

import factories
import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from poles.imports.members import MEMBERS, MembersImporter

pytestmark = pytest.mark.django_db


def template(client, cluster, fmt, language):
    return client.get(reverse("workspace_import_template", args=[cluster.slug, fmt]), HTTP_ACCEPT_LANGUAGE=language)


def test_the_french_csv_template_opens_in_columns_in_french_excel(client_for, register):
    response = template(client_for("manager"), register.cluster_a, "csv", "fr")
    assert response.status_code == 200
    assert 'filename="modele-membres.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffnom;SIREN;SIRET;type;effectif;chiffre d’affaires (€);")
    assert "année des chiffres" in text and text.count("\r\n") == 1


def test_the_english_csv_template_has_english_headers_and_commas(client_for, register):
    text = template(client_for("manager"), register.cluster_a, "csv", "en").content.decode("utf-8")
    assert text.startswith("\ufeffname,SIREN,SIRET,kind,headcount,turnover (EUR),")


@pytest.mark.parametrize(("language", "effectif", "needs", "yes"), [
    ("fr", "effectif", "année des chiffres", "oui"), ("en", "headcount", "year of the figures", "yes")])
def test_the_xlsx_template_explains_each_column_on_a_second_sheet(client_for, register, language, effectif,
                                                                   needs, yes):
    response = template(client_for("manager"), register.cluster_a, "xlsx", language)
    book = load_workbook(io.BytesIO(response.content))
    first, readme = book.worksheets
    headers = [c.value for c in first[1]]
    assert effectif in headers and first.max_row == 1
    rows = {r[0]: r for r in readme.iter_rows(min_row=2, values_only=True)}
    assert rows[effectif][2] == needs
    assert rows[headers[0]][1] == yes
    assert len(rows) == len(MEMBERS.columns)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filled_in_template_imports(client_for, register, tmp_path, language, fmt):
    content = template(client_for("manager"), register.cluster_a, fmt, language).content
    values = {"name": "Modèle Rempli", "siren": factories.siren(808080), "staff": 7, "figures_year": 2024,
              "city": "Lyon", "fee_invoiced": 150}
    keys = [c.key for c in MEMBERS.columns]
    if fmt == "csv":
        separator = ";" if language == "fr" else ","
        content += (separator.join(str(values.get(k, "")) for k in keys) + "\r\n").encode()
    else:
        book = load_workbook(io.BytesIO(content))
        book.worksheets[0].append([values.get(k) for k in keys])
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    with translation.override(language):
        report = MembersImporter(Path(f"t.{fmt}"), cluster=register.cluster_a, year=2025, content=content).run()
    assert report.created["organisations"] == 1 and report.created["organisation figures"] == 1
    assert not report.notes or "ignored" not in " ".join(report.notes)


def test_the_import_page_links_the_templates_and_explains_required_together_columns(client_for, register):
    page = client_for("manager").get(reverse("workspace_import", args=[register.cluster_a.slug]),
                                     HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert reverse("workspace_import_template", args=[register.cluster_a.slug, "xlsx"]) in page
    assert reverse("workspace_import_template", args=[register.cluster_a.slug, "csv"]) in page
    assert "<th scope=\"row\">effectif</th><td>non</td><td>année des chiffres</td>" in page


@pytest.mark.parametrize("role", ["member", "national", "outsider"])
def test_only_those_who_import_get_templates(client_for, register, role):
    assert template(client_for(role), register.cluster_a, "csv", "fr").status_code in (403, 404)


def test_an_unknown_template_format_is_not_found(client_for, register):
    assert template(client_for("manager"), register.cluster_a, "pdf", "fr").status_code == 404
