"""`poles demo` writes calls for projects at every stage through the real calls services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from poles.calls.models import Application, CallSetup, Decision, Review, Submission
from poles.core.models import AuditEntry
from poles.projects.models import Funding, Project

TODAY = "2026-11-22"
SMALL = ["--scale", "0.02", "--today", TODAY]
EVERY_STAGE = {"draft", "submitted", "eligible", "ineligible", "labelled", "in_review", "selected", "waitlisted",
               "rejected", "agreement_signed", "running", "final_report_accepted", "closed"}


def demo(*args: str) -> None:
    call_command("demo", *args, stdout=StringIO(), stderr=StringIO())


def states() -> list[tuple[str, str, str]]:
    return sorted(Application.objects.values_list("setup__call__code", "acronym", "state"))


@pytest.mark.django_db
def test_the_demo_holds_calls_with_files_at_every_stage_made_through_the_services():
    demo(*SMALL)
    assert {s for _, _, s in states()} == EVERY_STAGE
    assert CallSetup.objects.filter(call__is_generated=True).count() == 4
    # the services left their traces: frozen submissions, reviews, decisions with reasons, audit entries
    assert Submission.objects.count() >= Application.objects.exclude(state="draft").count()
    assert Review.objects.filter(status="submitted").exists() and Review.objects.filter(status="draft").exists()
    assert all(d.reasons for d in Decision.objects.all())
    assert AuditEntry.objects.filter(model="calls.Application", changes__action__1="submit").count() >= 10
    # awards reach the register: a funding per signed agreement, the projects marked generated
    funded = Application.objects.filter(state__in=["agreement_signed", "running", "final_report_accepted", "closed"])
    assert Funding.objects.filter(project__application__in=funded).count() == funded.count() > 0
    assert not Project.objects.filter(is_generated=False).exists()


@pytest.mark.django_db
def test_the_demo_calls_are_the_same_for_the_same_seed_and_replaced_cleanly():
    demo(*SMALL)
    first = states()
    demo(*SMALL, "--replace")
    assert states() == first
    assert Application.objects.count() == len(first)


@pytest.mark.django_db
def test_the_demo_agreements_have_instalments_and_reports_for_the_follow_up_pages():
    """The agreement pages show data on `make run`: schedules, payments, reports due, late, received and accepted."""
    from poles.calls.models import Instalment, Report

    demo(*SMALL)
    followed = Application.objects.filter(state__in=["agreement_signed", "running", "final_report_accepted", "closed"])
    assert followed.exists()
    for app in followed:
        instalments = list(app.instalments.all())
        assert len(instalments) == 3 and sum(i.amount for i in instalments) > 0
    assert Instalment.objects.filter(paid_on__isnull=False).exists()
    assert Instalment.objects.filter(paid_on__isnull=True).exists()
    assert Report.objects.filter(accepted_on__isnull=False, final=True).exists()
    assert Report.objects.filter(received_on__isnull=True).exists()  # one late technical report
    for app in Application.objects.filter(state__in=["final_report_accepted", "closed"]):
        assert app.project.jobs_created is not None
