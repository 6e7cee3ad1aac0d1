"""A campaign through /api/v1/certification: the pages' services, scores kept to their evaluator and
the officers, evidence files through the permission layer, decisions public once published."""

from __future__ import annotations

import json

import pytest
from certification.certworld import STATEMENT
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from poles.certification import services
from poles.certification.models import Candidacy
from poles.core.models import AuditEntry


def client(user=None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if user is not None:
        c.force_login(user)
    return c


def call(c: Client, method: str, url: str, data=None, language: str = "fr"):
    if method == "get":
        return c.get("/api/v1/certification" + url, HTTP_ACCEPT_LANGUAGE=language)
    return getattr(c, method)("/api/v1/certification" + url, data=json.dumps(data or {}),
                              content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


def upload(c: Client, candidacy: Candidacy, name: str, content: bytes):
    return c.post(f"/api/v1/certification/applications/{candidacy.pk}/files",
                  {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def campaign(world):
    campaign = services.create_campaign(world.officer, phase=world.phase, title="Campagne 2026")
    return campaign


def test_a_campaign_runs_through_the_api(world, campaign, mailoutbox, settings):
    officer, manager = client(world.officer), client(world.manager_a)
    assert call(officer, "post", f"/campaigns/{campaign.pk}/transitions", {"action": "open"}).json()["state"] == "open"
    a = Candidacy.objects.get(campaign=campaign, cluster=world.cluster_a)
    detail = call(manager, "get", f"/campaigns/{campaign.pk}").json()
    assert [x["id"] for x in detail["applications"]] == [a.pk] and detail["steps"] == []
    keys = [c["key"] for c in detail["criteria"]]
    refused = call(manager, "post", f"/applications/{a.pk}/submit", language="en")
    assert refused.status_code == 409 and refused.json()["reasons"]
    saved = call(manager, "patch", f"/applications/{a.pk}", {"statements": {k: STATEMENT for k in keys}})
    assert saved.status_code == 200 and saved.json()["submit_refusals"] == []
    # evidence files: an accepted kind within the size limit, through Django's storage
    assert upload(manager, a, "script.html", b"<script>").status_code == 409
    settings.POLES_EVIDENCE_MAX_BYTES = 10
    too_big = upload(manager, a, "big.pdf", b"%PDF-1.4 far too long")
    assert too_big.status_code == 409 and "plus grande taille" in too_big.json()["detail"]
    settings.POLES_EVIDENCE_MAX_BYTES = 1000
    added = upload(manager, a, "comptes.pdf", b"%PDF-1.4 comptes")
    assert added.status_code == 201, added.content
    file_url = added.json()["url"]
    assert call(manager, "post", f"/applications/{a.pk}/submit").json()["state"] == "submitted"
    assigned = call(officer, "post", f"/applications/{a.pk}/evaluators", {"evaluator": world.evaluator_1.pk})
    assert assigned.status_code == 201
    # the file: the cluster's managers, the officer and the assigned evaluator; nobody else
    for user, status in ((world.manager_a, 200), (world.officer, 200), (world.evaluator_1, 200),
                         (world.evaluator_3, 404), (world.manager_b, 404), (world.reviewer, 404)):
        response = client(user).get(file_url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 comptes"
            assert response["Content-Disposition"].startswith("attachment")
    assert client().get(file_url).status_code in (401, 404)
    assert call(officer, "post", f"/campaigns/{campaign.pk}/transitions", {"action": "close_applications"}).status_code == 200
    evaluation = assigned.json()["id"]
    scored = call(client(world.evaluator_1), "put", f"/evaluations/{evaluation}",
                  {"scores": dict.fromkeys(keys, 4), "comments": dict.fromkeys(keys, "Solide"), "submit": True})
    assert scored.status_code == 200 and scored.json()["submitted_at"]
    # the scores: the evaluator and the officer; not the cluster, not another evaluator
    assert call(manager, "get", f"/applications/{a.pk}").json()["evaluations"] == []
    assert call(client(world.evaluator_3), "get", f"/evaluations/{evaluation}").status_code == 404
    assert call(manager, "get", f"/evaluations/{evaluation}").status_code == 404
    assert call(officer, "get", f"/applications/{a.pk}").json()["evaluations"][0]["comments"][keys[0]] == "Solide"
    assert call(manager, "get", f"/campaigns/{campaign.pk}/consolidation").status_code == 403
    consolidation = call(officer, "get", f"/campaigns/{campaign.pk}/consolidation").json()
    assert consolidation[0]["evaluators"] == ["Eve Rhône"]
    early = call(officer, "post", f"/applications/{a.pk}/decision", {"outcome": "certified", "duration": 4})
    assert early.status_code == 409 and early.json()["detail"] == "Les décisions se prennent en délibération."
    assert call(officer, "post", f"/campaigns/{campaign.pk}/transitions", {"action": "deliberate"}).status_code == 200
    decided = call(officer, "post", f"/applications/{a.pk}/decision",
                   {"outcome": "certified", "duration": 4, "conditions": "Revoir la gouvernance"})
    assert decided.json()["decision"]["conditions"] == "Revoir la gouvernance"
    assert call(manager, "get", f"/applications/{a.pk}").json()["decision"] is None
    assert client().get(f"/api/v1/certification/campaigns/{campaign.pk}/decisions").status_code == 404
    assert call(officer, "post", f"/campaigns/{campaign.pk}/transitions", {"action": "publish"}).status_code == 200
    public = client().get(f"/api/v1/certification/campaigns/{campaign.pk}/decisions").json()
    assert [(d["cluster_name"], d["outcome"], d["duration_years"], d["conditions"]) for d in public] == [
        ("Cluster Alpha", "certified", 4, None)]
    own = call(manager, "get", f"/campaigns/{campaign.pk}/decisions").json()
    assert own[0]["conditions"] == "Revoir la gouvernance"
    assert call(manager, "get", f"/applications/{a.pk}").json()["decision"]["outcome"] == "certified"
    channels = set(AuditEntry.objects.filter(model__startswith="certification.").values_list("channel", flat=True))
    assert "api" in channels


def test_only_officers_move_a_campaign_and_an_unknown_action_is_named(world, campaign):
    assert call(client(world.manager_a), "post", f"/campaigns/{campaign.pk}/transitions",
                {"action": "open"}).status_code in (403, 404)
    assert call(client(world.officer), "post", f"/campaigns/{campaign.pk}/transitions",
                {"action": "fly"}).status_code == 422


def test_the_officer_exports_scores_and_decisions(world, campaign):
    officer = client(world.officer)
    page = officer.get(f"/certification/campaigns/{campaign.pk}/")
    assert f"/certification/campaigns/{campaign.pk}/export/scores/?format=xlsx" in page.content.decode()
    decisions = officer.get(f"/certification/campaigns/{campaign.pk}/export/decisions/?format=csv")
    assert decisions.content.decode("utf-8-sig").splitlines()[0].startswith("pôle;état;note moyenne")
    assert officer.get(f"/certification/campaigns/{campaign.pk}/export/scores/?format=xlsx").status_code == 200
    assert client(world.manager_a).get(f"/certification/campaigns/{campaign.pk}/export/scores/").status_code == 403


def test_the_managers_attach_and_remove_files_on_the_page(world, campaign):
    services.transition_campaign(campaign, "open", world.officer)
    a = Candidacy.objects.get(campaign=campaign, cluster=world.cluster_a)
    manager = client(world.manager_a)
    page = manager.get(f"/certification/applications/{a.pk}/")
    assert 'enctype="multipart/form-data"' in page.content.decode()
    manager.post(f"/certification/applications/{a.pk}/files/", {"file": SimpleUploadedFile("plan.pdf", b"%PDF")})
    (row,) = a.files.all()
    assert manager.get(f"/certification/applications/{a.pk}/files/{row.pk}/").status_code == 200
    assert client(world.manager_b).post(f"/certification/applications/{a.pk}/files/{row.pk}/remove/").status_code == 403 \
        or a.files.exists()
    manager.post(f"/certification/applications/{a.pk}/files/{row.pk}/remove/")
    assert not a.files.exists()
