"""Excellence labels: recorded from the workspace, followed by the programme, reminded by e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from poles.core.models import AuditEntry
from poles.registry.models import Certification, Label, LabelReminder, Phase

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def label(cluster, level="bronze", awarded=None, expires=None, **fields):
    awarded = awarded or TODAY - dt.timedelta(days=400)
    return Label.objects.create(kind=Label.Kind.EXCELLENCE, name="Cluster Management Excellence Label",
                                level=level, issuer="ESCA", awarded=awarded, expires=expires, cluster=cluster, **fields)


def phase(code="V", number=5, start=None, end=None, required=""):
    start = start or TODAY.year - 1
    return Phase.objects.create(code=code, number=number, start_year=start, end_year=end or start + 3,
                                required_label=required)


def test_manager_records_a_label_and_it_is_audited_and_shown_on_the_profile(client_for, register):
    url = reverse("workspace_labels", kwargs={"slug": register.cluster_a.slug})
    response = client_for("manager").post(url, {"level": "silver", "issuer": "ESCA", "awarded": "2025-03-01",
                                                "expires": "2027-03-01"})
    assert response.status_code == 302
    saved = Label.objects.get(cluster=register.cluster_a)
    assert (saved.level, saved.expires, saved.kind) == ("silver", dt.date(2027, 3, 1), Label.Kind.EXCELLENCE)
    assert AuditEntry.objects.filter(model="registry.Label", action="create", cluster_id=register.cluster_a.pk).exists()
    profile = client_for("anonymous").get(reverse("cluster_profile", kwargs={"slug": register.cluster_a.slug}))
    assert "ESCA" in profile.content.decode()


def test_the_form_refuses_an_expiry_before_the_award_and_an_unknown_level(client_for, register):
    url = reverse("workspace_labels", kwargs={"slug": register.cluster_a.slug})
    response = client_for("manager").post(url, {"level": "platinum", "issuer": "ESCA", "awarded": "2025-03-01",
                                                "expires": "2025-02-01"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "level" in form.errors and "expires" in form.errors
    assert not Label.objects.exists()


def test_the_model_refuses_an_expiry_on_the_award_day():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        Label(kind=Label.Kind.EXCELLENCE, name="x", level="gold", issuer="ESCA",
              awarded=dt.date(2025, 1, 1), expires=dt.date(2025, 1, 1)).clean()
    assert "expires" in error.value.message_dict


def test_the_regional_officer_reads_the_labels_but_may_not_record_one(client_for, register):
    url = reverse("workspace_labels", kwargs={"slug": register.cluster_a.slug})
    assert client_for("regional").get(url).status_code == 200
    assert client_for("regional").post(url, {"level": "gold", "issuer": "ESCA", "awarded": "2025-01-01"}).status_code == 403
    assert not Label.objects.exists()


def test_a_manager_of_another_cluster_cannot_edit_this_label(client_for, register):
    lb = label(register.cluster_b)
    url = reverse("workspace_label_edit", kwargs={"slug": register.cluster_b.slug, "pk": lb.pk})
    assert client_for("manager").post(url, {"level": "gold", "issuer": "x", "awarded": "2025-01-01"}).status_code in (403, 404)
    lb.refresh_from_db()
    assert lb.level == "bronze"


def test_manager_corrects_then_removes_a_label(client_for, register):
    lb = label(register.cluster_a)
    client = client_for("manager")
    edit = reverse("workspace_label_edit", kwargs={"slug": register.cluster_a.slug, "pk": lb.pk})
    assert client.post(edit, {"level": "gold", "issuer": "ESCA", "awarded": "2025-01-01", "expires": ""}).status_code == 302
    lb.refresh_from_db()
    assert (lb.level, lb.expires) == ("gold", None)
    client.post(reverse("workspace_label_delete", kwargs={"slug": register.cluster_a.slug, "pk": lb.pk}))
    assert not Label.objects.filter(pk=lb.pk).exists()
    assert AuditEntry.objects.filter(model="registry.Label", action="delete").exists()


def test_the_programme_page_lists_labels_expiring_within_90_days_soonest_first(client_for, register):
    soon = label(register.cluster_a, expires=TODAY + dt.timedelta(days=10))
    later = label(register.cluster_b, "gold", expires=TODAY + dt.timedelta(days=80))
    label(register.cluster_b, expires=TODAY + dt.timedelta(days=200))
    label(register.cluster_a, expires=TODAY - dt.timedelta(days=1))
    response = client_for("national").get(reverse("programme_labels"))
    assert [e.label.pk for e in response.context["expiring"]] == [soon.pk, later.pk]
    assert [e.days_left for e in response.context["expiring"]] == [10, 80]
    # the regional officer sees the clusters of their region only
    regional = client_for("regional").get(reverse("programme_labels"))
    assert [e.label.pk for e in regional.context["expiring"]] == [soon.pk]


def test_the_programme_page_lists_clusters_missing_the_label_their_phase_requires(client_for, register):
    current = phase(required="silver")
    Certification.objects.create(cluster=register.cluster_a, phase=current, outcome="certified")
    Certification.objects.create(cluster=register.cluster_b, phase=current, outcome="certified")
    label(register.cluster_a, "bronze")  # bronze does not meet silver
    label(register.cluster_b, "gold")
    response = client_for("national").get(reverse("programme_labels"))
    missing = response.context["missing"]
    assert [(m.cluster.name, m.required, m.held) for m in missing] == [("Cluster Alpha", "silver", "bronze")]


def test_a_refused_certification_puts_no_requirement_on_the_cluster(client_for, register):
    Certification.objects.create(cluster=register.cluster_a, phase=phase(required="bronze"), outcome="refused")
    assert client_for("national").get(reverse("programme_labels")).context["missing"] == []


@pytest.mark.parametrize("role", ["manager", "member", "outsider", "reviewer"])
def test_the_programme_labels_page_is_for_officers(client_for, register, role):
    assert client_for(role).get(reverse("programme_labels")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_expiring_list_exports(client_for, register, fmt):
    label(register.cluster_a, expires=TODAY + dt.timedelta(days=5))
    response = client_for("national").get(reverse("programme_labels_export"), {"format": fmt, "list": "expiring"})
    assert response.status_code == 200
    if fmt == "csv":
        assert "Cluster Alpha" in response.content.decode("utf-8-sig")


def test_the_missing_list_exports_as_csv(client_for, register):
    Certification.objects.create(cluster=register.cluster_a, phase=phase(required="bronze"), outcome="certified")
    text = client_for("national").get(reverse("programme_labels_export"), {"list": "missing"}).content.decode("utf-8-sig")
    assert "Cluster Alpha" in text and "Cluster Beta" not in text


def test_reminders_go_once_per_milestone_to_the_managers_in_both_languages(register, users):
    label(register.cluster_a, "silver", expires=TODAY + dt.timedelta(days=25))
    call_command("labels_reminders")
    to_manager = [m for m in mail.outbox if m.to == [users["manager"].email]]
    assert len(to_manager) == 1
    body = to_manager[0].body
    assert "expire" in body and "Cluster Alpha" in body
    assert "expire dans" in body or "expire le" in body  # French first, then English
    assert any(m.to == [users["national"].email] for m in mail.outbox)
    assert set(LabelReminder.objects.values_list("days_before", flat=True)) == {90, 30}
    mail.outbox.clear()
    call_command("labels_reminders")
    assert mail.outbox == []


def test_reminder_command_refuses_a_bad_date(register):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("labels_reminders", "--date", "tomorrow")
    assert error.value.returncode == 2


def test_the_workspace_shows_the_labels_tab(client_for, register):
    response = client_for("manager").get(reverse("workspace", kwargs={"slug": register.cluster_a.slug}))
    assert reverse("workspace_labels", kwargs={"slug": register.cluster_a.slug}) in response.content.decode()


def test_the_public_profile_shows_the_level_and_marks_an_expired_label(client_for, register):
    label(register.cluster_a, "gold", expires=TODAY + dt.timedelta(days=300))
    label(register.cluster_a, "bronze", awarded=TODAY - dt.timedelta(days=2000), expires=TODAY - dt.timedelta(days=900))
    response = client_for("anonymous").get(reverse("cluster_profile", kwargs={"slug": register.cluster_a.slug}))
    current = response.context["current_labels"]
    assert [lb.level for lb in current] == ["gold"]
    assert "fr-badge--yellow-tournesol" in response.content.decode()
