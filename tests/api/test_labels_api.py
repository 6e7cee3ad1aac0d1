"""API of excellence labels and of the state of play: through the permission layer, with CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import body, send, text

from poles.core.models import AuditEntry
from poles.policy.models import Assessment
from poles.registry.models import Label

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
SCORES = {"policy_scope": 3, "continuity": 3, "evidence": 2, "instruments": 3}


def test_the_manager_records_a_label_through_the_api_and_anyone_lists_it(api_as, register):
    response = send(api_as("manager"), "post", f"/api/v1/labels/clusters/{register.cluster_a.pk}",
                    {"level": "gold", "issuer": "ESCA", "awarded": "2025-01-10", "expires": "2027-01-10"})
    assert response.status_code == 201, response.content
    created = body(response)
    assert (created["level"], created["cluster_slug"]) == ("gold", register.cluster_a.slug)
    assert AuditEntry.objects.filter(model="registry.Label", channel="api").exists()
    listed = body(api_as("anonymous").get("/api/v1/labels?level=gold"))
    assert [r["id"] for r in listed["results"]] == [created["id"]]
    assert "gold" in text(api_as("anonymous").get("/api/v1/labels/export.csv"))


def test_an_expiry_before_the_award_is_a_422_naming_the_field(api_as, register):
    response = send(api_as("manager"), "post", f"/api/v1/labels/clusters/{register.cluster_a.pk}",
                    {"level": "gold", "issuer": "ESCA", "awarded": "2025-01-10", "expires": "2024-01-10"})
    assert response.status_code == 422
    assert "expires" in response.content.decode()
    assert not Label.objects.exists()


def test_a_manager_may_not_write_another_clusters_label(api_as, register):
    response = send(api_as("manager"), "post", f"/api/v1/labels/clusters/{register.cluster_b.pk}",
                    {"level": "gold", "issuer": "ESCA", "awarded": "2025-01-10"})
    assert response.status_code == 403
    label = Label.objects.create(kind="excellence", name="x", level="bronze", issuer="ESCA",
                                 awarded=TODAY, cluster=register.cluster_b)
    assert send(api_as("manager"), "patch", f"/api/v1/labels/{label.pk}", {"level": "gold"}).status_code == 403
    assert send(api_as("manager"), "delete", f"/api/v1/labels/{label.pk}", {}).status_code == 403
    assert send(api_as("national"), "patch", f"/api/v1/labels/{label.pk}", {"level": "gold"}).status_code == 200


def test_the_follow_up_is_for_officers_and_comes_as_csv(api_as, register):
    Label.objects.create(kind="excellence", name="x", level="silver", issuer="ESCA", awarded=TODAY - dt.timedelta(days=700),
                         expires=TODAY + dt.timedelta(days=12), cluster=register.cluster_a)
    doc = body(api_as("national").get("/api/v1/labels/follow-up"))
    assert [(e["cluster_name"], e["days_left"]) for e in doc["expiring"]] == [("Cluster Alpha", 12)]
    assert api_as("manager").get("/api/v1/labels/follow-up").status_code == 403
    assert api_as("anonymous").get("/api/v1/labels/follow-up").status_code in (401, 403)
    text = api_as("regional").get("/api/v1/labels/follow-up?format=csv&list=expiring").content.decode()
    assert text.splitlines()[0].startswith("label,cluster") and "Cluster Alpha" in text


def test_the_framework_is_public_and_the_assessments_are_for_officers(api_as, register):
    framework = body(api_as("anonymous").get("/api/v1/state-of-play/framework"))
    assert [c["key"] for c in framework["criteria"]] == list(SCORES)
    assert api_as("anonymous").get("/api/v1/state-of-play").status_code in (401, 403)
    assert api_as("manager").get("/api/v1/state-of-play/FR").status_code == 403


def test_the_regional_officer_saves_versions_of_their_region_through_the_api(api_as, register):
    client = api_as("regional")
    assert send(client, "post", "/api/v1/state-of-play/84", {"year": 2024, "scores": SCORES}).status_code == 201
    second = send(client, "post", "/api/v1/state-of-play/84", {"year": 2024, "scores": {**SCORES, "evidence": 3}})
    assert body(second)["total"] == 12
    doc = body(client.get("/api/v1/state-of-play/84?year=2024"))
    assert [h["scores"]["evidence"] for h in doc["history"]] == [3, 2]
    assert send(client, "post", "/api/v1/state-of-play/FR", {"year": 2024, "scores": SCORES}).status_code == 403
    assert send(client, "post", "/api/v1/state-of-play/53", {"year": 2024, "scores": SCORES}).status_code == 403
    csv = client.get("/api/v1/state-of-play?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("territory,year,policy_scope") and len(csv.splitlines()) == 2


def test_invalid_scores_are_a_422_naming_the_criterion(api_as, register):
    response = send(api_as("national"), "post", "/api/v1/state-of-play/FR",
                    {"year": 2024, "scores": {**SCORES, "evidence": 9}})
    assert response.status_code == 422
    assert "evidence" in response.content.decode()
    assert not Assessment.objects.exists()
