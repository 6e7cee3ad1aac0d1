"""Starting, editing and submitting a file: the live eligibility report, frozen versions, the deadline."""

import datetime as dt
from decimal import Decimal

import pytest
from calls.callworld import consortium
from django.core.exceptions import PermissionDenied, ValidationError

from poles.calls import submissions, transitions
from poles.calls.models import FrozenSubmission, Submission
from poles.calls.transitions import Refused, transition
from poles.core.models import AuditEntry


def test_only_a_representative_of_the_coordinator_starts_its_file(world):
    with pytest.raises(PermissionDenied):
        submissions.start_application(world.outsider, world.setup, world.coord, acronym="X", title="X")
    app = submissions.start_application(world.coordinator, world.setup, world.coord, acronym="ROBO", title="Robots")
    assert app.state == "draft" and app.project.status == "idea" and not app.project.is_public
    assert app.project.call == world.setup.call
    assert list(app.partners.values_list("organisation_id", "is_coordinator")) == [(world.coord.pk, True)]


def test_the_live_report_lists_every_failed_rule_with_its_reason(world):
    app = submissions.start_application(world.coordinator, world.setup, world.coord, acronym="ROBO", title="Robots")
    submissions.save_partner(world.coordinator, app, world.coord, costs={"staff": "100000"},
                             requested_aid=Decimal("60000"))
    failed = {o.rule: o.reason for o in submissions.eligibility_report(app) if not o.passed}
    assert set(failed) == {"min_companies", "min_research", "aid_within_rates", "duration"}
    assert "1 company(ies); at least 2 required" in failed["min_companies"].en
    assert "Small Robotics requests EUR 60,000.00 for a ceiling of EUR 45,000.00" in failed["aid_within_rates"].en
    assert "45\u202f000,00 €" in failed["aid_within_rates"].fr


def test_costs_outside_the_call_s_categories_or_negative_are_refused(world):
    app = submissions.start_application(world.coordinator, world.setup, world.coord, acronym="ROBO", title="Robots")
    with pytest.raises(ValidationError, match="travel"):
        submissions.save_partner(world.coordinator, app, world.coord, costs={"travel": "10"})
    with pytest.raises(ValidationError):
        submissions.save_partner(world.coordinator, app, world.coord, costs={"staff": "-5"})
    with pytest.raises(PermissionDenied):
        submissions.save_partner(world.outsider, app, world.coord, costs={"staff": "5"})


def test_submission_is_refused_while_a_rule_fails(world):
    app = consortium(world, world.setup, world.coordinator, world.coord, [world.lab], acronym="ROBO")
    with pytest.raises(Refused) as refused:
        transition(app, "submit", world.coordinator)
    assert "2 required" in str(refused.value) and not refused.value.forbidden
    app.refresh_from_db()
    assert app.state == "draft" and not Submission.objects.exists()


def test_a_submitted_version_is_frozen_and_a_new_version_is_a_new_row(world):
    app = consortium(world, world.setup, world.coordinator, world.coord, [world.lab, world.eti], acronym="ROBO")
    transition(app, "submit", world.coordinator)
    first = Submission.objects.get(application=app)
    assert first.version == 1 and app.state == "submitted"
    assert first.content["partners"][0]["aid_ceiling"] == "112500.00"  # small: 45 % of 250,000
    assert all(o["passed"] for o in first.eligibility if o["rule"] != "labelling")
    first.content["acronym"] = "CHANGED"
    with pytest.raises(FrozenSubmission):
        first.save()
    with pytest.raises(FrozenSubmission):
        first.delete()
    submissions.save_partner(world.coordinator, app, world.lab, costs={"staff": "300000"}, requested_aid=1000)
    transition(app, "resubmit", world.coordinator)
    assert list(app.submissions.values_list("version", "total_cost")) == [
        (1, Decimal("750000.00")), (2, Decimal("800000.00"))]
    assert Submission.objects.get(pk=first.pk).content["acronym"] == "ROBO"
    app.refresh_from_db()
    assert app.submission.version == 2 and app.project.status == "submitted"
    assert AuditEntry.objects.filter(model="calls.Application", object_pk=str(app.pk), action="update").count() == 2


def test_a_submission_one_second_after_closing_is_refused_on_server_time(world, monkeypatch):
    app = consortium(world, world.setup, world.coordinator, world.coord, [world.lab, world.eti], acronym="ROBO")
    closes = world.setup.rounds.get().closes_at
    monkeypatch.setattr(transitions, "server_time", lambda: closes + dt.timedelta(seconds=1))
    with pytest.raises(Refused) as refused:
        transition(app, "submit", world.coordinator)
    assert "The call closed on" in str(refused.value)
    assert "L’appel est clos" in refused.value.text("fr")
    monkeypatch.setattr(transitions, "server_time", lambda: closes)
    transition(app, "submit", world.coordinator)
    assert app.state == "submitted"


def test_the_deadline_of_a_round_closed_in_the_real_past_is_enforced(world):
    from calls.callworld import make_call
    from django.utils import timezone

    now = timezone.now()
    late_call = make_call(world.officer, code="LATE", opens=now - dt.timedelta(days=3),
                          closes=now - dt.timedelta(seconds=1))
    app = consortium(world, late_call, world.coordinator, world.coord, [world.lab, world.eti], acronym="LATE")
    with pytest.raises(Refused, match="The call closed"):
        transition(app, "submit", world.coordinator)
