"""Cluster labelling from the applicant's request to the cluster's decision and the project's page."""

from __future__ import annotations

import pytest
from calls.callworld import consortium
from django.test import Client
from django.urls import reverse

from poles.calls.models import LabellingRequest
from poles.core.models import AuditEntry
from poles.projects.models import Project, ProjectCluster

pytestmark = pytest.mark.django_db


def as_user(user, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.cookies["django_language"] = lang
    client.force_login(user)
    return client


@pytest.fixture
def asked(world):
    app = consortium(world, world.setup, world.coordinator, world.coord, [world.eti, world.lab], acronym="LBL")
    as_user(world.coordinator).post(reverse("calls_ask_label", args=[app.pk]), {"cluster": world.cluster_a.pk})
    return LabellingRequest.objects.get(application=app, cluster=world.cluster_a)


def test_the_coordinator_asks_a_cluster_and_its_manager_sees_the_file_in_the_queue(world, asked):
    client = as_user(world.manager_a)
    text = client.get(reverse("calls_labelling_queue", args=[world.cluster_a.slug])).content.decode()
    assert "LBL" in text
    workspace = client.get(reverse("workspace", args=[world.cluster_a.slug])).content.decode()
    assert reverse("calls_labelling_queue", args=[world.cluster_a.slug]) in workspace
    assert world.manager_a.notifications.filter(application=asked.application).exists()


def test_a_manager_of_another_cluster_reaches_neither_the_queue_nor_the_file(world, asked):
    client = as_user(world.manager_b)
    assert client.get(reverse("calls_labelling_queue", args=[world.cluster_a.slug])).status_code == 403
    assert client.get(reverse("calls_labelling_decide", args=[world.cluster_a.slug, asked.pk])).status_code == 403
    # through their own cluster's address, the request of another cluster is not found
    assert client.get(reverse("calls_labelling_decide", args=[world.cluster_b.slug, asked.pk])).status_code == 404
    assert client.get(reverse("calls_application", args=[asked.application_id])).status_code == 404


def test_labelling_records_the_project_cluster_link_and_shows_on_the_project_page(world, asked):
    client = as_user(world.manager_a)
    response = client.post(reverse("calls_labelling_decide", args=[world.cluster_a.slug, asked.pk]),
                           {"status": "conditional", "text": "Add an SME from the region."})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "conditional" and asked.decided_at is not None
    link = ProjectCluster.objects.get(project=asked.application.project, cluster=world.cluster_a)
    assert link.role == ProjectCluster.Role.LABELLED and link.year == asked.decided_at.year
    assert AuditEntry.objects.filter(object_pk=str(asked.pk)).exists()
    Project.objects.filter(pk=asked.application.project_id).update(is_public=True)
    text = as_user(world.officer).get(reverse("project_detail", args=[asked.application.project_id])).content.decode()
    assert "Cluster Alpha" in text and "with conditions, on" in text
    # the coordinator sees the decision on the file
    assert "Add an SME from the region." in as_user(world.coordinator).get(
        reverse("calls_application", args=[asked.application_id])).content.decode()


def test_declining_needs_a_reason_and_removes_no_existing_label(world, asked):
    client = as_user(world.manager_a)
    url = reverse("calls_labelling_decide", args=[world.cluster_a.slug, asked.pk])
    response = client.post(url, {"status": "declined", "text": ""})
    assert response.status_code == 200 and "Say the conditions or why the label is declined." in response.content.decode()
    client.post(url, {"status": "declined", "text": "Out of our themes."})
    asked.refresh_from_db()
    assert asked.status == "declined" and asked.text == "Out of our themes."
    assert not ProjectCluster.objects.filter(project=asked.application.project, cluster=world.cluster_a).exists()


def test_an_eligible_file_moves_to_labelled_through_the_transition_service(world, asked):
    from poles.calls.transitions import transition

    app = asked.application
    transition(app, "submit", world.coordinator)
    transition(app, "declare_eligible", world.officer)
    as_user(world.manager_a).post(reverse("calls_labelling_decide", args=[world.cluster_a.slug, asked.pk]),
                                  {"status": "labelled", "text": ""})
    app.refresh_from_db()
    assert app.state == "labelled"
    assert AuditEntry.objects.filter(object_pk=str(app.pk), changes__action=[None, "label"]).exists()
