"""Notifications of a file's events: an in-app row per recipient and one e-mail each, French then English."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _
from django.utils.translation import override

from poles.access.models import Grant
from poles.access.roles import Role
from poles.calls.models import Application, LabellingRequest, Notification
from poles.calls.reasons import Reason
from poles.calls.workflow import STATE_LABELS, Audience, State, Transition
from poles.core.i18n import SEPARATOR


def consortium(application: Application) -> set[int]:
    """The file's creator and the active representatives of its partner organisations."""
    users = set(Grant.objects.filter(
        role=Role.MEMBER, status=Grant.Status.ACTIVE,
        organisation_id__in=application.partners.values("organisation_id"),
    ).values_list("user_id", flat=True))
    if application.created_by_id:
        users.add(application.created_by_id)
    return users


def officers() -> set[int]:
    """National programme officers and administrators holding an active grant."""
    return set(Grant.objects.filter(role__in=[Role.NATIONAL, Role.ADMIN], status=Grant.Status.ACTIVE)
               .values_list("user_id", flat=True))


def cluster_managers(application: Application) -> set[int]:
    """The managers of the clusters the file asked for a label."""
    return set(Grant.objects.filter(
        role=Role.MANAGER, status=Grant.Status.ACTIVE,
        cluster_id__in=LabellingRequest.objects.filter(application=application).values("cluster_id"),
    ).values_list("user_id", flat=True))


AUDIENCES = {Audience.CONSORTIUM: consortium, Audience.OFFICERS: lambda a: officers(),
             Audience.LABELLING_CLUSTERS: cluster_managers}


def recipients(application: Application, transition: Transition) -> set[int]:
    """Everyone the transition's audiences name."""
    found: set[int] = set()
    for audience in transition.notify:
        found |= AUDIENCES[audience](application)
    return found


def _texts(application: Application, transition: Transition, old: State, reason: Reason | str | None,
           language: str) -> tuple[str, str]:
    index = 1 if language == "en" else 0
    with override(language):
        subject = _("File %(acronym)s: %(action)s") % {
            "acronym": application.acronym, "action": transition.label[index]}
        lines = [
            _("The file %(acronym)s (%(title)s) of the call “%(call)s” moved from “%(old)s” to “%(new)s”.") % {
                "acronym": application.acronym, "title": application.title, "call": application.setup.call.title,
                "old": STATE_LABELS[old][index], "new": STATE_LABELS[transition.target][index]},
        ]
        if reason:
            text = reason.text(language) if isinstance(reason, Reason) else reason
            lines.append(_("Reason: %(reason)s") % {"reason": text})
        lines += ["", _("Follow it on poles: %(url)s") % {"url": settings.SITE_URL.rstrip("/")}]
    return subject, "\n".join(lines)


_MUTED: list[bool] = []


@contextmanager
def muted() -> Iterator[None]:
    """In-app notifications only, no e-mail (the demo register replays a call's history: nobody to tell)."""
    _MUTED.append(True)
    try:
        yield
    finally:
        _MUTED.pop()


def send(application: Application, transition: Transition, old: State, reason: Reason | str | None = None,
         users: Iterable[int] | None = None) -> list[Notification]:
    """Write the notifications of one transition and e-mail them (Django's e-mail backend)."""
    ids = sorted(set(users) if users is not None else recipients(application, transition))
    if not ids:
        return []
    subject_fr, body_fr = _texts(application, transition, old, reason, "fr")
    subject_en, body_en = _texts(application, transition, old, reason, "en")
    rows = Notification.objects.bulk_create([
        Notification(user_id=pk, application=application, action=transition.action, subject_fr=subject_fr,
                     subject_en=subject_en, body_fr=body_fr, body_en=body_en)
        for pk in ids
    ])
    addresses = get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="") \
        .values_list("email", flat=True)
    subject = subject_fr if subject_fr == subject_en else f"{subject_fr} / {subject_en}"
    body = body_fr + SEPARATOR + body_en
    messages = [EmailMessage(subject, body, None, [address]) for address in sorted(set(addresses))]
    if messages and not _MUTED:
        get_connection().send_messages(messages)
    return rows
