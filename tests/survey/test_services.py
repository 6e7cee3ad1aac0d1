"""The survey's writes: opening, filling, the transitions with their audit and notifications, freezing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from poles.calls.models import Notification
from poles.core.models import AuditEntry
from poles.registry.models import Cluster, ClusterYear
from poles.survey import services
from poles.survey.models import Report, Survey


def test_opening_a_survey_gives_every_active_cluster_a_draft_report(register, users):
    Cluster.objects.filter(pk=register.cluster_b.pk).update(status="inactive")
    survey = services.open_survey(users["national"], 2024)
    assert [(r.cluster.name, r.state) for r in survey.reports.all()] == [("Cluster Alpha", "draft")]
    assert AuditEntry.objects.filter(model="survey.Survey", action="create").count() == 1


def test_only_the_programme_opens_a_survey_once_for_a_past_or_current_year(register, users):
    for role in ("regional", "manager", "member"):
        with pytest.raises(PermissionDenied):
            services.open_survey(users[role], 2024)
    services.open_survey(users["national"], 2024)
    with pytest.raises(ValidationError, match="déjà ouverte"):
        services.open_survey(users["admin"], 2024)
    with pytest.raises(ValidationError, match="dans le futur"):
        services.open_survey(users["admin"], 2999)
    assert Survey.objects.count() == 1


def test_a_bad_figure_saves_nothing_and_says_which(survey, users, register):
    report = survey.reports.get(cluster=register.cluster_a)
    errors = services.save_figures(users["manager"], report, {"staff_fte": "9.5", "patents": "two"})
    assert list(errors) == ["patents"]
    report.refresh_from_db()
    assert report.declared == {}


def test_the_whole_cycle_is_audited_and_notified_in_both_languages(survey, users, register, mailoutbox):
    report = survey.reports.get(cluster=register.cluster_a)
    manager, national = users["manager"], users["national"]
    assert services.save_figures(manager, report, {"staff_fte": "9,5", "patents": "2"}) == {}
    services.transition(report, "submit", manager)
    assert {m.to[0] for m in mailoutbox} == {"national@example.org", "regional@example.org", "manager@example.org"}
    mailoutbox.clear()
    services.transition(report, "send_back", national, comment="Les brevets : lesquels ?")
    (mail,) = mailoutbox
    assert mail.to == ["manager@example.org"]
    assert "renvoyé pour correction" in mail.body and "sent back" in mail.body
    assert "Les brevets : lesquels ?" in mail.body
    assert Notification.objects.filter(user=manager, action="survey:send_back").exists()
    report.refresh_from_db()
    assert report.state == "sent_back" and report.comment == "Les brevets : lesquels ?"
    services.save_figures(manager, report, {"staff_fte": "9,5", "patents": "3"})
    services.transition(report, "submit", manager)
    services.transition(report, "validate", users["regional"])
    report.refresh_from_db()
    assert report.state == "validated"
    assert [h["action"] for h in report.history] == ["submit", "send_back", "submit", "validate"]
    states = [e.changes["state"] for e in AuditEntry.objects.filter(model="survey.Report", changes__has_key="state")
              .order_by("pk")]
    assert states == [["draft", "submitted"], ["submitted", "sent_back"], ["sent_back", "submitted"],
                      ["submitted", "validated"]]


def test_sending_back_without_a_comment_is_refused_with_the_reason(survey, users, register):
    report = survey.reports.get(cluster=register.cluster_a)
    services.transition(report, "submit", users["manager"])
    with pytest.raises(services.Refused) as refused:
        services.transition(report, "send_back", users["national"], comment="  ")
    assert not refused.value.forbidden
    assert "comment is required" in refused.value.text("en")


def test_a_regional_officer_of_another_region_and_a_manager_cannot_validate(survey, users, register):
    report_b = survey.reports.get(cluster=register.cluster_b)
    services.transition(report_b, "submit", users["admin"])
    for role in ("regional", "manager"):
        with pytest.raises(services.Refused) as refused:
            services.transition(report_b, "validate", users[role])
        assert refused.value.forbidden
    assert Report.objects.get(pk=report_b.pk).state == "submitted"


def test_a_validated_report_keeps_its_figures_when_the_register_changes(survey, users, register):
    report = survey.reports.get(cluster=register.cluster_a)
    services.save_figures(users["manager"], report, {"international_fte": "2"})
    services.transition(report, "submit", users["manager"])
    services.transition(report, "validate", users["national"])
    report.refresh_from_db()
    snapshot = report.snapshot
    assert snapshot["figures"]["staff_fte"] == {"register": "8", "declared": None, "value": "8", "corrected": False}
    assert snapshot["figures"]["international_fte"]["value"] == "2"
    assert snapshot["validated_by"]["username"] == "national" and snapshot["submitted_by"]["username"] == "manager"
    ClusterYear.objects.filter(cluster=register.cluster_a, year=2024).update(staff_fte=Decimal("12"))
    assert services.register_values(report)["staff_fte"] == "8"
    report.refresh_from_db()
    assert report.snapshot == snapshot
    with pytest.raises(PermissionDenied):
        services.save_figures(users["manager"], report, {"staff_fte": "12"})


def test_reminders_go_to_the_managers_of_reports_not_submitted(survey, users, register, mailoutbox):
    a = survey.reports.get(cluster=register.cluster_a)
    b = survey.reports.get(cluster=register.cluster_b)
    services.transition(b, "submit", users["admin"])
    mailoutbox.clear()
    assert services.remind(users["national"], [a, b]) == 1
    (mail,) = mailoutbox
    assert mail.to == ["manager@example.org"] and "Rappel" in mail.subject and "Reminder" in mail.subject
    with pytest.raises(PermissionDenied):
        services.remind(users["regional"], [b])
