"""E-mails of a campaign's events: one per recipient, French then English (Django's e-mail backend)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _
from django.utils.translation import override

from poles.access.models import Grant
from poles.access.roles import Role
from poles.certification.models import Campaign, Candidacy, Evaluation
from poles.certification.workflow import Audience
from poles.core.i18n import SEPARATOR
from poles.core.workflow import Transition, Workflow


def managers(cluster_ids: Iterable[int]) -> set[int]:
    """The active managers of these clusters."""
    return set(Grant.objects.filter(role=Role.MANAGER, status=Grant.Status.ACTIVE, cluster_id__in=sorted(set(cluster_ids)))
               .values_list("user_id", flat=True))


def officers() -> set[int]:
    """National programme officers and administrators holding an active grant."""
    return set(Grant.objects.filter(role__in=[Role.NATIONAL, Role.ADMIN], status=Grant.Status.ACTIVE)
               .values_list("user_id", flat=True))


def recipients(campaign: Campaign, transition: Transition, candidacy: Candidacy | None = None) -> set[int]:
    """Everyone the transition's audiences name, for one application or the whole campaign."""
    candidacies = [candidacy] if candidacy else list(campaign.candidacies.all())
    found: set[int] = set()
    if Audience.MANAGERS in transition.notify:
        found |= managers(c.cluster_id for c in candidacies)
    if Audience.EVALUATORS in transition.notify:
        found |= set(Evaluation.objects.filter(candidacy__in=[c.pk for c in candidacies])
                     .values_list("evaluator_id", flat=True))
    if Audience.OFFICERS in transition.notify:
        found |= officers()
    return found


def _text(workflow: Workflow, campaign: Campaign, transition: Transition, old: str, what: str,
          language: str) -> tuple[str, str]:
    index = 1 if language == "en" else 0
    with override(language):
        subject = _("Certification %(campaign)s: %(action)s") % {
            "campaign": campaign.title, "action": transition.label[index]}
        body = _("%(what)s moved from “%(old)s” to “%(new)s”.") % {
            "what": what, "old": workflow.labels[old][index], "new": workflow.labels[transition.target][index]}
        body += "\n\n" + _("Follow it on poles: %(url)s") % {"url": settings.SITE_URL.rstrip("/")}
    return subject, body


def send(workflow: Workflow, campaign: Campaign, transition: Transition, old: str, users: Iterable[int],
         what: tuple[str, str]) -> int:
    """E-mail the transition to `users` (French, then English); returns the number of messages."""
    ids = sorted(set(users))
    if not ids:
        return 0
    subject_fr, body_fr = _text(workflow, campaign, transition, old, what[0], "fr")
    subject_en, body_en = _text(workflow, campaign, transition, old, what[1], "en")
    addresses = get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="") \
        .values_list("email", flat=True)
    subject = subject_fr if subject_fr == subject_en else f"{subject_fr} / {subject_en}"
    messages = [EmailMessage(subject, body_fr + SEPARATOR + body_en, None, [address])
                for address in sorted(set(addresses))]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
