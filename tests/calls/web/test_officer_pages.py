"""The officer's pages of a call: setup and publication, files, transitions, workflow diagram, exports."""

from __future__ import annotations

import io
import json
import re

import pytest
from calls.web.helpers import client_of, in_review, submitted
from django.urls import reverse
from openpyxl import load_workbook

from poles.calls.models import Application, CallSetup
from poles.core.models import AuditEntry
from poles.projects.models import Call

pytestmark = pytest.mark.django_db


def test_an_officer_opens_a_call_sets_it_up_adds_a_round_and_publishes_it(world):
    client = client_of(world.officer)
    response = client.post(reverse("calls_officer_index"), {
        "action": "new", "code": "ADEME-TEST", "funder": "ademe", "programme": "Transition", "title": "Green call",
        "envelope": "500000"})
    setup = CallSetup.objects.get(call__code="ADEME-TEST")
    assert response.status_code == 302 and setup.status == "draft"
    url = reverse("calls_officer_setup", args=[setup.pk])
    page = client.get(url)
    form = page.context["form"]
    body = {name: form.initial.get(name, "") for name in form.fields}
    body.update({"action": "save", "envelope": "600000", "objective": "score", "reviews_per_file": "3",
                 "waitlist_size": "2", "exclude_cluster_reviewers": "",
                 "grid": json.dumps([{"key": "q", "label_fr": "Qualité", "label_en": "Quality", "weight": 1}]),
                 "eligibility": json.dumps([{"kind": "min_companies", "n": 2}])})
    body = {k: v for k, v in body.items() if v != ""}
    assert client.post(url, body).status_code == 302
    setup.refresh_from_db()
    assert setup.envelope == 600000 and setup.eligibility == [{"kind": "min_companies", "n": 2}]
    refused = client.post(reverse("calls_officer_publish", args=[setup.pk]), {"confirm": "publish"}, follow=True)
    assert "The call has no round." in refused.content.decode() or "L’appel n’a pas de relève." in refused.content.decode()
    client.post(reverse("calls_officer_rounds", args=[setup.pk]),
                {"opens_at": "2026-01-05T09:00", "closes_at": "2026-03-31T12:00"})
    assert setup.rounds.count() == 1
    client.post(reverse("calls_officer_publish", args=[setup.pk]), {"confirm": "publish"})
    setup.refresh_from_db()
    assert setup.status == "published"
    assert Call.objects.get(code="ADEME-TEST").closes.isoformat() == "2026-03-31"
    # once published, the rules applicants rely on are frozen on the page
    assert client.get(url).context["form"].fields["eligibility"].disabled


def test_bad_rules_are_refused_with_the_parser_reason_on_the_field(world):
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_setup", args=[world.setup.pk])
    world.setup.status = "draft"
    world.setup.save()
    form = client.get(url).context["form"]
    body = {name: form.initial.get(name, "") for name in form.fields}
    body = {k: v for k, v in body.items() if v is not False and v != ""}
    response = client.post(url, {**body, "action": "save", "eligibility": '[{"kind": "min_companies", "n": 2}'})
    assert response.status_code == 400
    assert "Not valid JSON" in response.context["form"].errors["eligibility"][0]
    response = client.post(url, {**body, "action": "save", "grid": "[]"})
    assert response.status_code == 400
    assert "at least one criterion is expected" in response.context["form"].errors.get("grid", [""])[0], response.context["form"].errors
    response = client.post(url, {**body, "action": "save", "eligibility": '[{"kind": "min_companies", "m": 2}]'})
    assert "min_companies" in response.context["form"].errors["eligibility"][0]
    world.setup.refresh_from_db()
    assert world.setup.grid and world.setup.eligibility[0] == {"kind": "min_companies", "n": 2}


def test_the_files_list_shows_state_and_failed_rules_with_their_reasons(world):
    submitted(world, "GOOD")
    bad = submitted(world, "SOLO")
    # a file whose frozen report says a rule failed (as an officer would see after a rule change)
    report = [dict(o) for o in bad.submission.eligibility]
    report[0] = {**report[0], "passed": False, "reason": {"fr": "Trop peu d’entreprises.", "en": "Too few companies."}}
    from poles.calls.models import Submission
    Submission.objects.filter(pk=bad.submission_id).update(eligibility=report)
    page = client_of(world.officer, "en").get(reverse("calls_officer_files", args=[world.setup.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "GOOD" in body and "SOLO" in body and "every rule holds" in body and "Too few companies." in body
    only = client_of(world.officer).get(reverse("calls_officer_files", args=[world.setup.pk]) + "?state=eligible")
    assert "GOOD" not in only.content.decode()


def test_transition_buttons_are_offered_only_when_allowed_and_an_illegal_one_is_refused_with_the_reason(world):
    app = in_review(world, submitted(world))
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_file", args=[app.pk])
    page = client.get(url)
    offered = {t["action"]: t for t in page.context["transitions"]}
    assert offered["select"]["problems"] == ["The file was never reviewed: no review has been submitted."]
    assert 'data-action="select"' not in page.content.decode()
    response = client.post(url, {"action": "select"})
    assert response.status_code == 409
    assert "The file was never reviewed" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "in_review"
    # a state the action does not leave from
    assert "not possible for a file in state" in client.post(url, {"action": "start"}).content.decode()


def test_an_officer_declares_a_file_eligible_from_its_page_audited(world):
    app = submitted(world)
    client = client_of(world.officer)
    response = client.post(reverse("calls_officer_file", args=[app.pk]), {"action": "declare_eligible"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "eligible"
    assert AuditEntry.objects.filter(model="calls.Application", object_pk=str(app.pk),
                                     changes__action=[None, "declare_eligible"]).exists()
    refused = client.post(reverse("calls_officer_file", args=[app.pk]), {"action": "declare_ineligible"})
    assert refused.status_code == 409  # wrong state now, and no reason anyway


def test_a_coordinator_or_reviewer_never_reaches_the_officer_pages(world):
    app = submitted(world)
    for user in (world.coordinator, world.rev_conflict, world.manager_a, world.outsider):
        client = client_of(user)
        for url in (reverse("calls_officer_index"), reverse("calls_officer_files", args=[world.setup.pk]),
                    reverse("calls_officer_file", args=[app.pk]), reverse("calls_officer_panel", args=[world.setup.pk])):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("calls_officer_file", args=[app.pk]), {"action": "declare_eligible"}).status_code == 403
    app.refresh_from_db()
    assert app.state == "submitted"


def test_the_workflow_page_draws_every_state_from_the_one_table(world):
    from poles.calls.workflow import STATE_LABELS, State

    page = client_of(None, "en").get(reverse("calls_workflow"))
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body
    assert not re.search(r'<script[^>]+src="(https?:)?//', body)  # drawn on the server: no script from elsewhere
    for state in State:
        assert f'data-state="{state.value}"' in body
        assert STATE_LABELS[state][1] in body
    assert "stateDiagram-v2" in body


def test_exports_are_xlsx_and_neutralise_formulas(world):
    app = submitted(world, "=HYPERLINK")
    Application.objects.filter(pk=app.pk).update(title="=cmd|' /C calc'!A0")
    client = client_of(world.officer)
    for kind in ("files", "reviews", "decisions"):
        response = client.get(reverse("calls_officer_export", args=[world.setup.pk, kind]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(io.BytesIO(response.content))
        cells = [c for row in book.active.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        planted = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
        assert all(c.data_type == "s" and c.quotePrefix for c in planted)
        if kind == "files":
            assert len(planted) == 2  # the acronym and the title, kept as text
    assert client.get(reverse("calls_officer_export", args=[world.setup.pk, "other"])).status_code == 404
    assert client_of(world.coordinator).get(reverse("calls_officer_export", args=[world.setup.pk, "files"])).status_code == 403
