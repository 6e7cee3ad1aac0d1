"""The search page, the public organisation page, the directory's text search, and the links to them."""

from __future__ import annotations

import factories
import pytest
from django.test import Client
from factories import SECRET_ACRONYM, SECRET_ADDRESS_A, SENTINEL_TURNOVER

from poles.registry.models import Organisation

pytestmark = pytest.mark.django_db


def get(client: Client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def valley(transactional_db):
    """Aerospace Valley with committed writes, so that the cluster index is written as in production."""
    from poles.territories.models import Region

    Region.objects.get_or_create(code="76", defaults={"name": "Occitanie", "slug": "occitanie"})
    return factories.cluster("Aerospace Valley", regions=("76",), slug="aerospace-valley",
                             themes=["aerospace"], industrial_sectors=["Aerospace Vehicles and Defense"])


@pytest.mark.parametrize("query", ["occitanie", "aero", "aeronautique", "Aéronautique"])
def test_the_search_page_finds_aerospace_valley(valley, query):
    page = get(Client(), f"/search/?q={query}")
    assert 'href="/clusters/aerospace-valley/"' in page
    assert "1 pôle" in page


def test_the_directory_searches_with_the_same_engine(valley):
    factories.cluster("Eurobiomed", regions=("84",), themes=["health"])
    page = get(Client(), "/clusters/?q=occitanie")
    assert "Aerospace Valley" in page and "Eurobiomed" not in page
    page = get(Client(), "/clusters/?q=sante")
    assert "Eurobiomed" in page and "Aerospace Valley" not in page


def test_organisations_page_through_their_hits(db):
    for n in range(45):
        factories.organisation(f"Atelier Numéro {n:02d}", city="Nantes")
    overview = get(Client(), "/search/?q=atelier")
    assert "45 organisations" in overview and "kind=organisation" in overview
    second = get(Client(), "/search/?q=atelier&kind=organisation&page=2")
    third = get(Client(), "/search/?q=atelier&kind=organisation&page=3")
    first = get(Client(), "/search/?q=atelier&kind=organisation")
    shown = [n for n in range(45) if any(f"Atelier Numéro {n:02d}<" in p for p in (first, second, third))]
    assert shown == list(range(45))


@pytest.mark.parametrize("url", ["/search/?q=" + "x" * 5000, "/search/?q=%22*)(&kind=nothing",
                                 "/search/?q=atelier&kind=organisation&page=abc", "/search/", "/search/?q=+"])
def test_odd_input_gets_a_page_never_a_traceback(db, url):
    get(Client(), url)


def test_anonymous_search_shows_public_fields_and_published_projects_only(register, users):
    anonymous = get(Client(), "/search/?q=project")
    assert SECRET_ACRONYM not in anonymous and "OPENPRJ" in anonymous
    manager = Client()
    manager.force_login(users["manager"])
    assert SECRET_ACRONYM in get(manager, "/search/?q=project")
    page = get(Client(), "/search/?q=alpha")
    assert "Alpha Other Member" in page
    assert SECRET_ADDRESS_A not in page and str(SENTINEL_TURNOVER) not in page


def test_the_organisation_page_shows_public_fields_and_what_the_reader_may_see(register, users):
    org = register.org_a
    Organisation.objects.filter(pk=org.pk).update(address=SECRET_ADDRESS_A, siret=org.siren + "00011")
    anonymous = get(Client(), f"/organisations/{org.pk}/")
    assert org.name in anonymous and org.siren in anonymous and "Grenoble" in anonymous
    assert SECRET_ADDRESS_A not in anonymous and org.siren + "00011" not in anonymous
    assert str(SENTINEL_TURNOVER) not in anonymous
    assert "Cluster Alpha" not in anonymous  # memberships are the cluster's data: its team and members
    assert "OPENPRJ" in anonymous and SECRET_ACRONYM not in anonymous
    manager = Client()
    manager.force_login(users["manager"])
    page = get(manager, f"/organisations/{org.pk}/")
    assert "Cluster Alpha" in page and SECRET_ACRONYM in page
    assert SECRET_ADDRESS_A not in page  # the page shows public fields only, whoever reads
    assert Client().get("/organisations/999999/").status_code == 404


def test_consortia_and_member_lists_link_to_organisation_pages(register, users):
    link = f'href="/organisations/{register.org_a.pk}/"'
    assert link in get(Client(), f"/projects/{register.public_project.pk}/")
    manager = Client()
    manager.force_login(users["manager"])
    assert link in get(manager, f"/clusters/{register.cluster_a.slug}/")
    assert link in get(manager, f"/workspace/{register.cluster_a.slug}/members/")


def test_hits_show_public_fields_only():
    from poles.access.fieldlevels import Level, fields_at
    from poles.search.results import MODELS
    from poles.web.views.search import SHOWN

    for kind, fields in SHOWN.items():
        assert set(fields) <= set(fields_at(MODELS[kind], Level.PUBLIC)), kind
