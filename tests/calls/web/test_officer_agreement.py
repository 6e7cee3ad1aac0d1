"""Award and follow-up: agreement with aid per partner, instalments, the first payment, reports, reminders, final acceptance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from calls.web.helpers import client_of, in_review, selected, submitted
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from poles.calls.models import Instalment, Notification, Report
from poles.projects.models import Funding

pytestmark = pytest.mark.django_db


def test_a_whole_follow_up_from_signature_to_the_final_report_in_the_register(world, mail):
    app = selected(world)
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_agreement", args=[app.pk])
    page = client.get(url)
    assert page.status_code == 200
    aid = page.context["aid"]
    assert aid > 0 and sum(p["aid"] for p in page.context["partners"]) == aid
    assert client.post(url, {"action": "sign"}).status_code == 302
    app.refresh_from_db()
    assert app.state == "agreement_signed"
    proposal = client.get(url).context["proposal"]
    assert [row["kind"] for row in proposal] == ["advance", "intermediate", "balance"]
    assert sum(row["amount"] for row in proposal) == aid
    body = {"action": "schedule"}
    for row in proposal:
        body |= {f"{row['kind']}_amount": str(row["amount"]), f"{row['kind']}_due": row["due_on"].isoformat(),
                 f"{row['kind']}_condition": row["condition"]}
    too_much = body | {"balance_amount": str(aid)}
    assert client.post(url, too_much).status_code == 400 and not Instalment.objects.filter(application=app).exists()
    assert client.post(url, body).status_code == 302
    advance = Instalment.objects.get(application=app, kind="advance")
    today = timezone.localdate()
    future = (today + dt.timedelta(days=3)).isoformat()
    assert client.post(url, {"action": "pay", "instalment": advance.pk, "paid_on": future}).status_code == 400
    assert client.post(url, {"action": "pay", "instalment": advance.pk, "paid_on": today.isoformat()}).status_code == 302
    app.refresh_from_db()
    assert app.state == "running"  # the first instalment starts the project
    late_due = (today - dt.timedelta(days=10)).isoformat()
    assert client.post(url, {"action": "report", "kind": "technical", "due_on": late_due, "final": "on"}).status_code == 302
    report = Report.objects.get(application=app)
    assert "late" in client.get(url).content.decode()
    mail.outbox.clear()
    call_command("calls_reminders")
    assert Notification.objects.filter(application=app, action="report_reminder", user=world.coordinator).exists()
    assert any("late" in m.subject for m in mail.outbox)
    call_command("calls_reminders")  # once a week at most
    assert Notification.objects.filter(application=app, action="report_reminder", user=world.coordinator).count() == 1
    assert client.post(url, {"action": "accept", "report": report.pk, "products": "1", "patents": "2",
                             "jobs": "3"}).status_code == 400  # not received yet
    client.post(url, {"action": "receive", "report": report.pk, "received_on": today.isoformat()})
    assert client.post(url, {"action": "accept", "report": report.pk, "products": "1", "patents": "2",
                             "jobs": "3"}).status_code == 302
    app.refresh_from_db()
    app.project.refresh_from_db()
    assert app.state == "final_report_accepted"
    assert (app.project.products_to_market, app.project.patents, app.project.jobs_created) == (1, 2, 3)
    funding = Funding.objects.get(project=app.project)
    assert funding.amount == aid and funding.funder == world.setup.call.funder


def test_the_agreement_page_waits_for_a_selection_and_is_for_officers_only(world):
    app = in_review(world, submitted(world))
    assert client_of(world.officer).get(reverse("calls_officer_agreement", args=[app.pk])).status_code == 302
    assert client_of(world.coordinator).get(reverse("calls_officer_agreement", args=[app.pk])).status_code == 403


def test_signing_from_the_file_page_is_sent_to_the_agreement_page(world):
    app = selected(world)
    page = client_of(world.officer).get(reverse("calls_officer_file", args=[app.pk]))
    assert reverse("calls_officer_agreement", args=[app.pk]) in page.content.decode()
    response = client_of(world.officer).post(reverse("calls_officer_file", args=[app.pk]), {"action": "sign_agreement"})
    assert response.status_code == 409
    assert Decimal(0) == sum(f.amount for f in Funding.objects.filter(project=app.project))
