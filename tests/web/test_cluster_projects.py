"""The workspace's projects: every project of the cluster, with consortium and funding."""

from __future__ import annotations

import pytest
from django.urls import reverse
from factories import SECRET_ACRONYM, SECRET_ACRONYM_B

pytestmark = pytest.mark.django_db


def test_workspace_projects_include_unpublished_ones_with_funding(client_for, register):
    response = client_for("manager").get(reverse("workspace_projects", args=[register.cluster_a.slug]))
    acronyms = {row["project"].acronym for row in response.context["rows"]}
    assert acronyms == {"OPENPRJ", SECRET_ACRONYM}
    funded = {row["project"].acronym: row["funding"] for row in response.context["rows"]}
    assert funded["OPENPRJ"] == register.funding_a.amount
    assert SECRET_ACRONYM_B not in response.content.decode()


def test_workspace_projects_list_the_consortium(client_for, register):
    rows = client_for("national").get(reverse("workspace_projects", args=[register.cluster_a.slug])).context["rows"]
    partners = {row["project"].acronym: [p.organisation.name for p in row["partners"]] for row in rows}
    assert partners["OPENPRJ"] == ["Alpha Other Member"]
