"""Notifications of the survey: an in-app row per recipient and one e-mail each, French then English.

The in-app rows are the programme's one notification table (`poles.calls.models.Notification`,
with no application); e-mails go through Django's e-mail backend.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from poles.access.models import Grant
from poles.access.roles import Role
from poles.calls.models import Notification
from poles.core.i18n import SEPARATOR
from poles.core.workflow import Transition
from poles.survey.models import Report
from poles.survey.workflow import STATE_LABELS, Audience, State


def managers(report: Report) -> set[int]:
    """The active managers of the report's cluster."""
    return set(Grant.objects.filter(role=Role.MANAGER, status=Grant.Status.ACTIVE, cluster_id=report.cluster_id)
               .values_list("user_id", flat=True))


def officers(report: Report) -> set[int]:
    """The national officers and the regional officers of the cluster's regions."""
    regions = report.cluster.regions.values("code")
    return set(Grant.objects.filter(status=Grant.Status.ACTIVE, role=Role.NATIONAL).values_list("user_id", flat=True)) | set(
        Grant.objects.filter(status=Grant.Status.ACTIVE, role=Role.REGIONAL, region_id__in=regions)
        .values_list("user_id", flat=True))


AUDIENCES = {Audience.MANAGERS: managers, Audience.OFFICERS: officers}


def _link(report: Report) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("workspace_report", kwargs={
        "slug": report.cluster.slug, "year": report.survey.year})


def _transition_texts(report: Report, transition: Transition, old: State, comment: str,
                      language: str) -> tuple[str, str]:
    index = 1 if language == "en" else 0
    with override(language):
        subject = _("Annual survey %(year)s, %(cluster)s: %(action)s") % {
            "year": report.survey.year, "cluster": report.cluster.name, "action": transition.label[index]}
        lines = [_("The %(year)s report of %(cluster)s moved from “%(old)s” to “%(new)s”.") % {
            "year": report.survey.year, "cluster": report.cluster.name,
            "old": STATE_LABELS[old][index], "new": STATE_LABELS[transition.target][index]}]
        if comment:
            lines.append(_("Comment: %(comment)s") % {"comment": comment})
        lines += ["", _("Open the report: %(url)s") % {"url": _link(report)}]
    return subject, "\n".join(lines)


def _reminder_texts(report: Report, language: str) -> tuple[str, str]:
    with override(language):
        subject = _("Reminder: annual survey %(year)s of %(cluster)s") % {
            "year": report.survey.year, "cluster": report.cluster.name}
        lines = [_("The %(year)s report of %(cluster)s has not been submitted yet.") % {
            "year": report.survey.year, "cluster": report.cluster.name}]
        if report.survey.deadline:
            lines.append(_("It is due by %(date)s.") % {"date": report.survey.deadline.isoformat()})
        lines += ["", _("Open the report: %(url)s") % {"url": _link(report)}]
    return subject, "\n".join(lines)


def deliver(report: Report, action: str, users: Iterable[int], texts) -> list[Notification]:
    """Write one in-app notification per user and e-mail each of them (`texts(language)` gives subject, body)."""
    ids = sorted(set(users))
    if not ids:
        return []
    subject_fr, body_fr = texts("fr")
    subject_en, body_en = texts("en")
    rows = Notification.objects.bulk_create([
        Notification(user_id=pk, action=f"survey:{action}", subject_fr=subject_fr[:300], subject_en=subject_en[:300],
                     body_fr=body_fr, body_en=body_en)
        for pk in ids
    ])
    addresses = get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="") \
        .values_list("email", flat=True)
    subject = subject_fr if subject_fr == subject_en else f"{subject_fr} / {subject_en}"
    messages = [EmailMessage(subject, body_fr + SEPARATOR + body_en, None, [a]) for a in sorted(set(addresses))]
    if messages:
        get_connection().send_messages(messages)
    return rows


def transitioned(report: Report, transition: Transition, old: State, comment: str = "") -> list[Notification]:
    """Tell the transition's audiences."""
    users: set[int] = set()
    for audience in transition.notify:
        users |= AUDIENCES[audience](report)
    return deliver(report, transition.action, users,
                   lambda language: _transition_texts(report, transition, old, comment, language))


def reminded(report: Report) -> list[Notification]:
    """Remind the cluster's managers that the report is due."""
    return deliver(report, "remind", managers(report), lambda language: _reminder_texts(report, language))
