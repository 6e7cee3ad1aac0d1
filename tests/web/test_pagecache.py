"""The anonymous page cache: one rendering served to many, each visitor with their own CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from poles.registry.models import Cluster
from poles.web.pagecache import PLACEHOLDER, forget_pages

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_second_anonymous_visitor_is_served_from_the_cache(register, django_assert_num_queries):
    Client().get(reverse("directory"))
    with django_assert_num_queries(0):
        response = Client().get(reverse("directory"))
    assert "Cluster Alpha" in response.content.decode()


def test_each_visitor_gets_a_working_csrf_token_not_the_placeholder(register):
    Client().get(reverse("directory"))
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get(reverse("directory")).content.decode()
    assert PLACEHOLDER not in body
    token = TOKEN.search(body).group(1)
    response = visitor.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_logged_in_users_are_never_served_a_cached_page(register, users):
    Client().get(reverse("cluster_profile", args=[register.cluster_a.slug]))
    manager = Client()
    manager.force_login(users["manager"])
    body = manager.get(reverse("cluster_profile", args=[register.cluster_a.slug])).content.decode()
    assert "54\u00a0322" in body


def test_a_write_from_the_pages_starts_a_new_generation(register):
    Client().get(reverse("directory"))
    Cluster.objects.filter(pk=register.cluster_a.pk).update(name="Cluster Renamed")
    forget_pages()
    assert "Cluster Renamed" in Client().get(reverse("directory")).content.decode()


def test_languages_are_cached_apart(register):
    assert "Annuaire des pôles" in Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("directory")).content.decode()
    assert "Cluster directory" in Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("directory")).content.decode()
