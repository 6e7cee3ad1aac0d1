"""GET /api/v1/search: the site search's engine and permission layer, public fields only."""

from __future__ import annotations

import pytest
from django.test import Client
from factories import SECRET_ACRONYM, SECRET_ADDRESS_A

from poles.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_anonymous_callers_get_public_fields_of_visible_rows(register):
    Organisation.objects.filter(pk=register.org_a.pk).update(address=SECRET_ADDRESS_A)
    body = Client().get("/api/v1/search?q=alpha").json()
    assert body["query"] == "alpha"
    assert [o["name"] for o in body["organisation"]["results"]] == ["Alpha Other Member"]
    assert "address" not in body["organisation"]["results"][0]
    assert SECRET_ADDRESS_A not in str(body)
    projects = Client().get("/api/v1/search?q=project&kind=project").json()
    assert "cluster" not in projects or projects["cluster"] is None
    acronyms = {p["acronym"] for p in projects["project"]["results"]}
    assert "OPENPRJ" in acronyms and SECRET_ACRONYM not in acronyms
    assert projects["project"]["count"] == len(acronyms)


def test_a_clusters_team_finds_its_unpublished_projects(register, users):
    client = Client()
    client.force_login(users["manager"])
    body = client.get("/api/v1/search?q=project&kind=project&page_size=100").json()
    assert SECRET_ACRONYM in {p["acronym"] for p in body["project"]["results"]}


@pytest.mark.parametrize("query", ["", "q=&kind=cluster", "q=x&kind=nothing", "q=x&page=0", "q=x&page_size=1000"])
def test_bad_parameters_are_problems(db, query):
    response = Client().get(f"/api/v1/search?{query}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_pages_follow_one_another(db):
    import factories

    for n in range(7):
        factories.organisation(f"Forge {n}")
    seen = []
    for page in (1, 2, 3, 4):
        body = Client().get(f"/api/v1/search?q=forge&kind=organisation&page_size=2&page={page}").json()
        assert body["organisation"]["count"] == 7
        seen += [o["name"] for o in body["organisation"]["results"]]
    assert sorted(seen) == [f"Forge {n}" for n in range(7)]
