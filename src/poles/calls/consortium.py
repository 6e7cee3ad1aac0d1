"""The applicant's side of a file: its details and answers, partner invitations, the live report.

- An invitation is a one-time link e-mailed by the coordinator; it creates nothing (no account, no
  grant, no partner) until a representative of a member organisation opens it, logged in, and
  names the organisation they represent: that organisation becomes a partner of the file. Only the
  token's digest is stored.
- `preview_report` evaluates the eligibility rules as if one partner's figures, or the file's
  duration, were already saved: what the edit pages show while the applicant types.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from poles.access.roles import scope_of
from poles.calls import permissions
from poles.calls.aid import aid_ceiling
from poles.calls.eligibility import evaluate
from poles.calls.models import Application, Notification, Partner, PartnerInvitation
from poles.calls.questions import Question
from poles.calls.reasons import Outcome
from poles.calls.submissions import _cost_categories, _money, project_facts
from poles.calls.workflow import Actor, State
from poles.core import audit
from poles.core.i18n import SEPARATOR
from poles.registry.models import Organisation

EDITABLE = (State.DRAFT, State.SUBMITTED)
"""A file's figures change only before its eligibility is decided (a submitted one takes a new version)."""


def digest(token: str) -> str:
    """The stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_editable(application: Application) -> bool:
    return application.state in EDITABLE


def _require_coordinator(user, application: Application) -> None:
    permissions.check(permissions.can_edit_application(user, application))


@transaction.atomic
def save_details(user, application: Application, *, title: str, duration_months: int | None,
                 answers: dict, questions: list[Question], channel: str = "page") -> Application:
    """The coordinator writes the title, the duration and the answers of the draft (incomplete is fine)."""
    _require_coordinator(user, application)
    if not is_editable(application):
        raise ValidationError(_("A file is edited only before its eligibility is decided."))
    if not title.strip():
        raise ValidationError({"title": _("A file needs a title.")})
    before = audit.snapshot(application)
    keys = {q.key for q in questions if q.kind != "file"}
    documents = {q.key for q in questions if q.kind == "file"}  # answered by an upload (calls.documents) only
    kept = {k: v for k, v in (application.answers or {}).items() if k in documents}
    application.title = title.strip()
    application.duration_months = duration_months
    application.answers = {**{k: v for k, v in answers.items() if k in keys and v not in (None, "")}, **kept}
    application.save(update_fields=["title", "duration_months", "answers", "updated_at"])
    audit.record(user, "update", application, audit.diff(before, audit.snapshot(application)), channel)
    return application


def invitation_link(token: str) -> str:
    """The accept page under SITE_URL (never the request's Host header)."""
    return settings.SITE_URL.rstrip("/") + reverse("calls_invitation_accept", kwargs={"token": token})


@transaction.atomic
def invite_partner(user, application: Application, email: str, *, channel: str = "page") -> tuple[PartnerInvitation, str]:
    """The coordinator invites a partner by e-mail; returns the invitation and its one-time link."""
    _require_coordinator(user, application)
    if not is_editable(application):
        raise ValidationError(_("Partners join a file only before its eligibility is decided."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    token = secrets.token_urlsafe(32)
    invitation = PartnerInvitation.objects.create(application=application, email=email, digest=digest(token),
                                                  invited_by=user)
    audit.record(user, "create", invitation, {"email": [None, email]}, channel)
    link = invitation_link(token)
    texts = []
    for language in ("fr", "en"):
        with override(language):
            texts.append((
                _("Invitation to join the file %(acronym)s") % {"acronym": application.acronym},
                _("%(who)s invites your organisation to join the consortium of %(acronym)s (%(title)s), a file "
                  "for the call “%(call)s”.\n\nLog in as a representative of your organisation and open this "
                  "link to accept (nothing is recorded until you do):\n%(link)s") % {
                    "who": user.get_full_name() or user.get_username(), "acronym": application.acronym,
                    "title": application.title, "call": application.setup.call.title, "link": link},
            ))
    (subject_fr, body_fr), (subject_en, body_en) = texts
    send_mail(f"{subject_fr} / {subject_en}", body_fr + SEPARATOR + body_en, None, [email])
    return invitation, link


def find_invitation(token: str) -> PartnerInvitation | None:
    """The open invitation this token opens, if any."""
    found = PartnerInvitation.objects.select_related("application__setup__call", "application__coordinator") \
        .filter(digest=digest(token or "")).first()
    return found if found is not None and found.is_open else None


def organisations_to_accept_with(user, invitation: PartnerInvitation) -> list[Organisation]:
    """The organisations the user represents that are not yet partners of the file."""
    scope = scope_of(user)
    taken = set(invitation.application.partners.values_list("organisation_id", flat=True))
    return list(Organisation.objects.filter(pk__in=sorted(scope.organisation_ids - taken)).order_by("name"))


@transaction.atomic
def accept_invitation(user, token: str, organisation_id: int, *, channel: str = "page") -> Partner:
    """A representative accepts: their organisation joins the file as a partner (and only then)."""
    invitation = PartnerInvitation.objects.select_for_update().filter(digest=digest(token or "")).first()
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid: ask the coordinator for a new one."))
    scope = scope_of(user)
    if not scope.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    if organisation_id not in scope.organisation_ids:
        raise PermissionDenied(_("You may accept only for an organisation you represent."))
    application = invitation.application
    if not is_editable(application):
        raise ValidationError(_("Partners join a file only before its eligibility is decided."))
    if application.partners.filter(organisation_id=organisation_id).exists():
        raise ValidationError(_("This organisation is already a partner of the file."))
    partner = Partner.objects.create(application=application, organisation_id=organisation_id)
    invitation.accepted_at, invitation.accepted_by, invitation.partner = timezone.now(), user, partner
    invitation.save(update_fields=["accepted_at", "accepted_by", "partner"])
    audit.record(user, "create", partner, audit.diff({}, audit.snapshot(partner)), channel)
    if invitation.invited_by_id:
        name = partner.organisation.name
        texts = {}
        for language in ("fr", "en"):
            with override(language):
                texts[language] = (
                    _("%(organisation)s joined %(acronym)s") % {"organisation": name, "acronym": application.acronym},
                    _("%(organisation)s accepted the invitation and is now a partner of %(acronym)s.")
                    % {"organisation": name, "acronym": application.acronym})
        Notification.objects.create(
            user_id=invitation.invited_by_id, application=application, action="partner_joined",
            subject_fr=texts["fr"][0], subject_en=texts["en"][0], body_fr=texts["fr"][1], body_en=texts["en"][1])
    return partner


@transaction.atomic
def cancel_invitation(user, invitation: PartnerInvitation, *, channel: str = "page") -> None:
    """The coordinator withdraws an invitation not yet accepted."""
    _require_coordinator(user, invitation.application)
    if not invitation.is_open:
        raise ValidationError(_("This invitation was already accepted or cancelled."))
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    audit.record(user, "update", invitation, {"cancelled_at": [None, str(invitation.cancelled_at)]}, channel)


@transaction.atomic
def remove_partner(user, application: Application, partner: Partner, *, channel: str = "page") -> None:
    """The coordinator removes a partner (never the coordinator itself) from a draft."""
    _require_coordinator(user, application)
    if application.state != State.DRAFT:
        raise ValidationError(_("Partners are removed only from a draft."))
    if partner.is_coordinator:
        raise ValidationError(_("The coordinator stays in its own file."))
    audit.record(user, "delete", partner, audit.diff(audit.snapshot(partner), {}), channel)
    partner.delete()


def preview_report(application: Application, *, organisation_id: int | None = None, costs: dict | None = None,
                   requested_aid=None, duration_months: int | None = None,
                   duration_given: bool = False) -> tuple[list[Outcome], dict[int, Decimal]]:
    """The eligibility report as if these unsaved values were saved, and each partner's aid ceiling.

    Bad amounts are left as saved (the form says what is wrong when it is sent).
    """
    setup = application.setup
    rates = setup.aid_rates()
    facts = project_facts(application, rates)
    partners = list(facts.partners)
    if organisation_id is not None:
        allowed = _cost_categories(setup)
        for index, p in enumerate(partners):
            if p.organisation_id != organisation_id:
                continue
            new_costs = dict(p.costs)
            if costs is not None:
                new_costs = {}
                for category, value in costs.items():
                    if allowed and category not in allowed:
                        continue
                    try:
                        new_costs[category] = _money(value or 0, category)
                    except ValidationError:
                        new_costs[category] = p.costs.get(category, Decimal(0))
            aid = p.requested_aid
            if requested_aid is not None:
                with contextlib.suppress(ValidationError):
                    aid = _money(requested_aid or 0, "requested_aid")
            ceiling = aid_ceiling(p.kind, p.size_category, new_costs, rates).amount
            partners[index] = dataclasses.replace(p, costs=new_costs, requested_aid=aid, aid_ceiling=ceiling)
    facts = dataclasses.replace(facts, partners=tuple(partners))
    if duration_given:
        facts = dataclasses.replace(facts, duration_months=duration_months)
    ceilings = {p.organisation_id: p.aid_ceiling or Decimal(0) for p in facts.partners}
    return evaluate(setup.rules(), facts), ceilings


def is_coordinator(user, application: Application) -> bool:
    return Actor.COORDINATOR in permissions.actors_for(user, application)
