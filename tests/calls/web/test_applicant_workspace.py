"""The applicant's workspace: start a file, invite partners, costs per partner, the live eligibility
report, submission refused with reasons (rules, deadline), frozen versions, withdrawal, and no file
of another consortium ever opens."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal

import factories
import pytest
from calls.callworld import consortium
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from poles.access.roles import Role
from poles.calls.models import Application, Partner, PartnerInvitation, Submission

pytestmark = pytest.mark.django_db


def as_user(user, lang: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.cookies["django_language"] = lang
    client.force_login(user)
    return client


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def lab_rep(world):
    return factories.user("lab-rep", {"role": Role.MEMBER, "organisation": world.lab, "cluster": world.cluster_a},
                          email="lab-rep@example.org")


@pytest.fixture
def draft(world):
    """A draft of the coordinator with only its own partner row (nothing entered)."""
    client = as_user(world.coordinator)
    response = client.post(reverse("calls_start", args=[world.setup.call_id]), {
        "organisation": world.coord.pk, "acronym": "ROBOT", "title": "Robots that help", "duration_months": 24})
    app = Application.objects.get(acronym="ROBOT")
    assert response.status_code == 302 and response["Location"] == reverse("calls_application", args=[app.pk])
    return app


def test_a_representative_starts_a_file_and_their_organisation_coordinates_it(world, draft):
    assert draft.coordinator == world.coord and draft.state == "draft"
    assert list(draft.partners.values_list("organisation_id", "is_coordinator")) == [(world.coord.pk, True)]


def test_someone_who_represents_no_organisation_cannot_start_a_file(world):
    response = as_user(world.outsider).get(reverse("calls_start", args=[world.setup.call_id]))
    assert response.status_code == 403


def test_an_invitation_creates_nothing_until_a_representative_accepts_it(world, draft, lab_rep, mail):
    client = as_user(world.coordinator)
    client.post(reverse("calls_invite", args=[draft.pk]), {"email": "lab-rep@example.org"})
    assert PartnerInvitation.objects.filter(application=draft).count() == 1
    assert draft.partners.count() == 1
    assert mail.outbox[-1].to == ["lab-rep@example.org"]
    link = re.search(r"https?://\S+/invitations/(\S+)/", mail.outbox[-1].body)
    token = link.group(1)
    assert token not in PartnerInvitation.objects.get().digest  # only the digest is stored
    invitee = as_user(lab_rep)
    assert "Lab of Lyon" in page(invitee.get(reverse("calls_invitation_accept", args=[token])))
    response = invitee.post(reverse("calls_invitation_accept", args=[token]), {"organisation": world.lab.pk})
    assert response.status_code == 302
    assert draft.partners.filter(organisation=world.lab, is_coordinator=False).exists()
    # a token works once
    assert invitee.get(reverse("calls_invitation_accept", args=[token])).status_code == 404


def test_an_invitation_cannot_be_accepted_for_an_organisation_one_does_not_represent(world, draft, mail):
    as_user(world.coordinator).post(reverse("calls_invite", args=[draft.pk]), {"email": "x@example.org"})
    token = re.search(r"/invitations/(\S+)/", mail.outbox[-1].body).group(1)
    response = as_user(world.outsider).post(reverse("calls_invitation_accept", args=[token]),
                                            {"organisation": world.lab.pk})
    assert response.status_code == 403  # they represent no organisation
    assert draft.partners.count() == 1


def test_a_partner_enters_its_own_costs_but_not_another_partners(world, draft, lab_rep):
    Partner.objects.create(application=draft, organisation=world.lab)
    client = as_user(lab_rep)
    url = reverse("calls_partner", args=[draft.pk, world.lab.pk])
    response = client.post(url, {"cost_staff": "100000", "cost_equipment": "20000", "staff_months": "12",
                                 "requested_aid": "40000"})
    assert response.status_code == 302
    row = draft.partners.get(organisation=world.lab)
    assert row.costs == {"equipment": "20000.00", "overheads": "0.00", "staff": "100000.00"}
    assert row.requested_aid == Decimal("40000.00")
    assert client.get(reverse("calls_partner", args=[draft.pk, world.coord.pk])).status_code == 403


def test_the_partner_page_shows_the_aid_ceiling_from_the_register_size_category(world, draft):
    client = as_user(world.coordinator, "en")
    client.post(reverse("calls_partner", args=[draft.pk, world.coord.pk]),
                {"cost_staff": "100000", "staff_months": "10", "requested_aid": "10000"})
    text = page(client.get(reverse("calls_application", args=[draft.pk])))
    assert "45,000" in text  # small enterprise: 45 % of 100,000


@pytest.mark.parametrize("organisation", ["²", "٣", "99999999999999999999"])
def test_the_live_report_takes_a_malformed_organisation_as_none_given(world, draft, organisation):
    url = reverse("calls_eligibility", args=[draft.pk])
    response = as_user(world.coordinator, "en").post(url + "?format=json", {"organisation": organisation,
                                                                            "duration_months": "²"})
    assert response.status_code == 200
    assert {k: Decimal(v) for k, v in json.loads(response.content)["aid_ceilings"].items()} == {
        str(world.coord.pk): 0}


def test_the_edit_page_lists_every_failed_rule_with_its_reason(world, draft):
    text = page(as_user(world.coordinator, "en").get(reverse("calls_application", args=[draft.pk])))
    assert "The consortium has 0 research organisation(s); at least 1 required." in text
    assert "The consortium has 1 company(ies); at least 2 required." in text
    assert "rules fail" in text
    assert "'Summary': an answer is required." in text


def test_the_live_report_recomputes_with_unsaved_values(world, draft):
    client = as_user(world.coordinator, "en")
    url = reverse("calls_eligibility", args=[draft.pk])
    saved = json.loads(client.get(url + "?format=json").content)
    assert {k: Decimal(v) for k, v in saved["aid_ceilings"].items()} == {str(world.coord.pk): 0}
    unsaved = client.post(url + "?format=json", {"organisation": world.coord.pk, "cost_staff": "200000",
                                                 "requested_aid": "999999", "duration_months": "60"})
    data = json.loads(unsaved.content)
    assert data["aid_ceilings"] == {str(world.coord.pk): "90000.00"}
    failed = {r["rule"] for r in data["rules"] if not r["passed"]}
    assert {"aid_within_rates", "max_aid_per_partner", "duration"} <= failed
    assert draft.partners.get().requested_aid == 0  # nothing saved
    fragment = page(client.post(url, {"organisation": world.coord.pk, "cost_staff": "200000"}))
    assert 'id="eligibility-report"' in fragment and "<html" not in fragment
    assert "'Summary': an answer is required." in fragment
    typed = page(client.post(url, {"title": "Robots", "duration_months": "24", "q_summary": "Typed, not saved."}))
    assert "'Summary': an answer is required." not in typed


def test_submit_is_refused_with_the_reasons_on_screen_when_a_rule_fails(world, draft):
    client = as_user(world.coordinator, "en")
    response = client.post(reverse("calls_submit", args=[draft.pk]), follow=True)
    text = page(response)
    assert "The file was not submitted" in text
    assert "'Summary': an answer is required." in text
    draft.refresh_from_db()
    assert draft.state == "draft" and not Submission.objects.filter(application=draft).exists()


def _complete(world):
    return consortium(world, world.setup, world.coordinator, world.coord, [world.eti, world.lab], acronym="FULL")


def test_submit_freezes_a_version_and_a_resubmission_is_a_new_row(world):
    app = _complete(world)
    client = as_user(world.coordinator, "en")
    client.post(reverse("calls_submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.state == "submitted" and app.submission.version == 1
    client.post(reverse("calls_save_details", args=[app.pk]), {"title": "Renamed", "duration_months": 30,
                                                               "q_summary": "Better summary."})
    client.post(reverse("calls_submit", args=[app.pk]))
    versions = list(Submission.objects.filter(application=app).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].content["answers"] == {"summary": "What FULL does."}
    assert versions[1].content["answers"] == {"summary": "Better summary."}
    text = page(client.get(reverse("calls_version", args=[app.pk, 1])))
    assert "What FULL does." in text and "A later version replaces it." in text
    listing = page(client.get(reverse("calls_application", args=[app.pk])))
    assert reverse("calls_version", args=[app.pk, 1]) in listing and reverse("calls_version", args=[app.pk, 2]) in listing


def test_submission_one_second_after_the_closing_is_refused_on_server_time(world, monkeypatch):
    app = _complete(world)
    closes = world.setup.rounds.get().closes_at
    monkeypatch.setattr("poles.calls.transitions.server_time", lambda: closes + dt.timedelta(seconds=1))
    text = page(as_user(world.coordinator, "en").post(reverse("calls_submit", args=[app.pk]), follow=True))
    assert "The call closed on" in text and "server time" in text
    app.refresh_from_db()
    assert app.state == "draft"


def test_withdraw_before_a_decision(world):
    app = _complete(world)
    client = as_user(world.coordinator, "en")
    client.post(reverse("calls_withdraw", args=[app.pk]), {"reason": "Partner left"})
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_a_partner_cannot_submit_or_withdraw_for_the_coordinator(world):
    app = _complete(world)
    client = as_user(world.coordinator_b)  # represents the ETI, a partner
    assert client.get(reverse("calls_application", args=[app.pk])).status_code == 200
    assert client.post(reverse("calls_submit", args=[app.pk])).status_code == 403
    assert client.post(reverse("calls_withdraw", args=[app.pk])).status_code == 403
    app.refresh_from_db()
    assert app.state == "draft"


def test_no_page_of_a_file_opens_to_another_consortium(world, draft):
    other = factories.user("other-rep", {"role": Role.MEMBER, "organisation": world.other, "cluster": world.cluster_a})
    client = as_user(other)
    for url in (reverse("calls_application", args=[draft.pk]), reverse("calls_eligibility", args=[draft.pk]),
                reverse("calls_partner", args=[draft.pk, world.coord.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("calls_invite", args=[draft.pk]), {"email": "a@example.org"}).status_code == 404
    assert "ROBOT" not in page(client.get(reverse("calls_my_applications")))


def test_my_applications_lists_the_files_of_my_organisations_and_the_open_calls(world, draft):
    text = page(as_user(world.coordinator, "en").get(reverse("calls_my_applications")))
    assert "ROBOT" in text and "i-Démo 2026" in text


def test_notifications_page_lists_the_users_notifications_and_marks_them_read(world):
    app = _complete(world)
    client = as_user(world.coordinator, "en")
    client.post(reverse("calls_submit", args=[app.pk]))
    text = page(client.get(reverse("calls_notifications")))
    assert "File FULL" in text and "1 unread notification" in text
    note = world.coordinator.notifications.get()
    assert as_user(world.coordinator_b).post(reverse("calls_notification_read", args=[note.pk])).status_code == 404
    client.post(reverse("calls_notification_read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None and note.read_at <= timezone.now()
    text = page(client.get(reverse("calls_notifications")))
    assert "File FULL" in text and "unread notification" not in text  # kept, read
