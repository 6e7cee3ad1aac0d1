"""The anonymous page cache: one rendering served to many, each visitor with their own CSRF token."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from workers import run_worker

from poles.core.changes import register_changed
from poles.projects.models import Project
from poles.registry.models import Cluster, Membership
from poles.web.pagecache import GENERATION_KEY, PLACEHOLDER, forget_pages

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


def _unpublish(client, project) -> None:
    response = client.patch(f"/api/v1/projects/{project.pk}", data=json.dumps({"is_public": False}),
                            content_type="application/json")
    assert response.status_code == 200, response.content


def test_an_api_write_hides_the_project_from_the_cached_public_page(
    register, users, django_assert_num_queries, django_capture_on_commit_callbacks,
):
    assert "OPENPRJ" in Client().get(reverse("projects")).content.decode()
    with django_assert_num_queries(0):
        assert "OPENPRJ" in Client().get(reverse("projects")).content.decode()  # from the cache
    manager = Client()
    manager.force_login(users["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        _unpublish(manager, register.public_project)
    assert "OPENPRJ" not in Client().get(reverse("projects")).content.decode()


def test_a_token_write_hides_the_project_as_well(register, users, django_capture_on_commit_callbacks):
    manager = Client()
    manager.force_login(users["manager"])
    created = manager.post("/api/v1/tokens", data=json.dumps({"name": "crm"}), content_type="application/json")
    secret = json.loads(created.content)["token"]
    Client().get(reverse("projects"))
    with django_capture_on_commit_callbacks(execute=True):
        _unpublish(Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), register.public_project)
    assert "OPENPRJ" not in Client().get(reverse("projects")).content.decode()


def generation():
    """The stored page generation (None before the first page or write)."""
    return cache.get(GENERATION_KEY)


PAGE_IN_WORKER = """
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from poles.web.pagecache import lookup
request = RequestFactory().get({path!r})
request.user = AnonymousUser()
with translation.override("fr"):
    _key, _generation, stored = lookup(request)
print("miss" if stored is None else "OPENPRJ" in stored[0].decode())
"""


@pytest.mark.django_db(transaction=True)
def test_a_write_through_one_worker_stops_every_worker_serving_the_old_page(register, users, tmp_path):
    path = reverse("projects")
    lookup = PAGE_IN_WORKER.format(path=path)
    scratch = tmp_path / "worker.sqlite3"
    assert "OPENPRJ" in Client(HTTP_ACCEPT_LANGUAGE="fr").get(path).content.decode()
    assert run_worker(lookup, scratch) == "True"  # the other worker serves this worker's rendering
    manager = Client()
    manager.force_login(users["manager"])
    _unpublish(manager, register.public_project)
    assert run_worker(lookup, scratch) == "miss"  # …and no longer once the write is committed
    assert "OPENPRJ" not in Client(HTTP_ACCEPT_LANGUAGE="fr").get(path).content.decode()
    assert run_worker(lookup, scratch) == "False"


@pytest.mark.django_db(transaction=True)
def test_a_page_this_process_keeps_is_dropped_when_another_process_starts_a_generation(register, tmp_path):
    directory = reverse("directory")
    assert "Cluster Alpha" in Client().get(directory).content.decode()
    Cluster.objects.filter(pk=register.cluster_a.pk).update(name="Cluster Renamed")  # announces nothing
    assert "Cluster Alpha" in Client().get(directory).content.decode()
    run_worker("from poles.web.pagecache import forget_pages\nforget_pages()\n", tmp_path / "worker.sqlite3")
    assert "Cluster Renamed" in Client().get(directory).content.decode()


def test_an_import_starts_a_new_generation_and_its_dry_run_does_not(
    register, tmp_path, django_capture_on_commit_callbacks,
):
    from poles.imports.members import MembersImporter

    path = tmp_path / "members.csv"
    path.write_text("Raison sociale;Code postal;Ville;Statut\nAtelier Nouveau;69007;Lyon;membre\n",
                    encoding="utf-8")
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        MembersImporter(path, cluster=register.cluster_a.slug, year=2024).run(dry_run=True)
    assert generation() == before
    with django_capture_on_commit_callbacks(execute=True):
        MembersImporter(path, cluster=register.cluster_a.slug, year=2024).run()
    assert generation() != before


def test_an_admin_deletion_starts_a_new_generation(register, users, django_capture_on_commit_callbacks):
    admin = Client()
    admin.force_login(users["admin"])
    membership = register.membership_b
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("admin:registry_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    assert generation() != before


def test_a_rolled_back_write_keeps_the_pages(register, django_capture_on_commit_callbacks):
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Project.objects.filter(pk=register.public_project.pk).get().save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert generation() == before


def test_many_saves_in_one_transaction_start_one_generation(register, django_capture_on_commit_callbacks):
    seen = []

    def listener(**kwargs):
        seen.append(kwargs)

    register_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for project in Project.objects.all():
                project.save()
    finally:
        register_changed.disconnect(listener)
    assert len(seen) == 1
