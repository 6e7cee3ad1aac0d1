"""The project showcase (published projects only) and the project page with its consortium."""

from __future__ import annotations

import pytest
from django.urls import reverse
from factories import SECRET_ACRONYM

pytestmark = pytest.mark.django_db


def acronyms(response) -> set[str]:
    return {p.acronym for p in response.context["page"].object_list}


@pytest.mark.parametrize("role", ["anonymous", "manager", "admin"])
def test_showcase_lists_published_projects_only_whoever_reads(client_for, register, role):
    assert acronyms(client_for(role).get(reverse("projects"))) == {"OPENPRJ", "OPENBPRJ"}


def test_showcase_filters_by_cluster(client, register):
    response = client.get(reverse("projects"), {"cluster": register.cluster_b.slug})
    assert acronyms(response) == {"OPENBPRJ"}


def test_showcase_answers_htmx_with_the_results_only(client, register):
    body = client.get(reverse("projects"), {"q": "OPENB"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and "OPENBPRJ" in body and "OPENPRJ<" not in body


def test_unpublished_project_is_404_for_the_public_and_shown_to_its_manager(client_for, register):
    url = reverse("project_detail", args=[register.hidden_project.pk])
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    response = client_for("manager").get(url)
    assert response.status_code == 200 and SECRET_ACRONYM in response.content.decode()


def test_project_page_shows_the_consortium_without_amounts_to_the_public(client_for, register):
    body = client_for("anonymous").get(reverse("project_detail", args=[register.public_project.pk])).content.decode()
    assert "Alpha Other Member" in body
    assert "76\u00a0543" not in body and "87\u00a0654" not in body


def test_project_page_shows_aid_and_funding_amounts_to_the_manager(client_for, register):
    body = client_for("manager").get(reverse("project_detail", args=[register.public_project.pk])).content.decode()
    assert "76\u00a0543" in body and "87\u00a0654" in body
