"""The layout on the State's design system: brand setting, navigation from the context, demo banner, header search."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from poles.registry.models import Cluster
from poles.web.context import build_nav_items

pytestmark = pytest.mark.django_db


def test_the_neutral_brand_shows_no_marianne_block_and_no_state_favicon(client, register):
    html = client.get("/").content.decode()
    assert 'class="poles-brand-neutral"' in html
    assert "fr-logo" not in html and "République" not in html
    assert "dsfr/favicon" not in html
    assert "static/dsfr/dsfr.min.css" in html and "static/dsfr/dsfr.module.min.js" in html


def test_the_state_brand_shows_the_marianne_block(client, register, settings):
    settings.POLES_BRAND = "state"
    html = client.get("/").content.decode()
    assert 'class="poles-brand-state"' in html
    assert re.search(r'<p class="fr-logo">République<br>Française</p>', html)
    assert "This site is not a State-run service" not in html and "n’est pas un service" not in html


def test_an_unknown_brand_falls_back_to_neutral(client, register, settings):
    settings.POLES_BRAND = "marianne-please"
    assert 'class="poles-brand-neutral"' in client.get("/").content.decode()


def test_the_header_search_is_a_get_form_to_the_search_page(client, register):
    html = client.get("/clusters/").content.decode()
    form = re.search(r'<form class="fr-search-bar"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'method="get"' in form and 'action="/search/"' in form
    assert re.search(r'<label class="fr-label" for="header-search-input">Rechercher</label>', form)
    assert 'name="q"' in form and 'id="header-search-input"' in form


def test_the_demo_banner_shows_on_every_page_of_a_demo_register_only(client, register):
    pages = ["/", "/clusters/", "/map/", "/projects/", "/calls/", "/accessibility/", "/accounts/login/"]
    for path in pages:
        assert 'data-testid="demo-banner"' not in client.get(path).content.decode(), path
    Cluster.objects.filter(pk=register.cluster_a.pk).update(is_generated=True)
    cache.clear()
    for path in pages:
        html = client.get(path).content.decode()
        assert 'data-testid="demo-banner"' in html, path
        assert "Registre de démonstration" in html


def test_navigation_tabs_follow_the_user_and_mark_the_current_section(users, register):
    factory = RequestFactory()
    from django.urls import resolve

    def tabs(user, path):
        request = factory.get(path)
        request.user = user
        request.resolver_match = resolve(path)
        return build_nav_items(request)

    from django.contrib.auth.models import AnonymousUser

    public = tabs(AnonymousUser(), f"/clusters/{register.cluster_a.slug}/")
    assert [t.key for t in public] == ["home", "directory", "map", "projects", "calls", "dashboard"]
    assert [t.key for t in public if t.current] == ["directory"]
    manager = tabs(users["manager"], f"/workspace/{register.cluster_a.slug}/members/")
    assert [t.key for t in manager if t.current] == [f"workspace:{register.cluster_a.slug}"]
    national = tabs(users["national"], "/programme/")
    assert [t.key for t in national if t.current] == ["programme"]
    assert "programme_reports" in [t.key for t in national]
    assert "programme_reports" not in [t.key for t in tabs(users["regional"], "/programme/")]


def test_the_menu_renders_the_context_tabs_with_aria_current(client_for, register):
    html = client_for("manager").get(f"/workspace/{register.cluster_a.slug}/").content.decode()
    nav = re.search(r'<nav class="fr-nav" id="main-nav".*?</nav>', html, re.S).group(0)
    current = re.findall(r'<a class="fr-nav__link" href="([^"]+)" aria-current="page">', nav)
    assert current == [f"/workspace/{register.cluster_a.slug}/"]

