"""Files from start to frozen submission: the facts the rules read, the live eligibility report, versions.

The facts come from the register (organisation kind, size category, region through the commune,
country) and from what the consortium declared (costs by category, staff effort, requested aid);
each partner's aid ceiling is computed from its size category and the call's rates. A submission
freezes all of it, with the eligibility report, as a new `Submission` row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from poles.calls import permissions
from poles.calls.aid import AidRates, aid_ceiling
from poles.calls.eligibility import PartnerFacts, ProjectFacts, evaluate
from poles.calls.models import Application, CallSetup, LabellingRequest, Partner, Round, Submission
from poles.calls.reasons import Outcome
from poles.core import audit
from poles.projects.models import Project
from poles.registry.categories import SizeCategory
from poles.registry.models import Organisation

CENT = Decimal("0.01")


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: _("“%(value)s” is not an amount in euros.") % {"value": value}}) from error
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


def partner_facts(application: Application, rates: AidRates) -> list[PartnerFacts]:
    """Each partner as the rules read it, with its aid ceiling, in one query."""
    rows = application.partners.select_related("organisation", "organisation__commune__departement")
    facts = []
    for p in rows:
        org = p.organisation
        costs = {k: Decimal(str(v)) for k, v in (p.costs or {}).items()}
        category = SizeCategory(org.size_category)
        region = org.commune.departement.region_id if org.commune_id else None
        ceiling = aid_ceiling(org.kind, category, costs, rates)
        facts.append(PartnerFacts(
            organisation_id=org.pk, name=org.name, kind=org.kind, size_category=category,
            region_code=region, country=org.country, costs=costs, requested_aid=p.requested_aid,
            is_coordinator=p.is_coordinator, aid_ceiling=ceiling.amount,
        ))
    return facts


def labelling_clusters(application: Application) -> frozenset[int]:
    """The clusters that labelled the project (with or without conditions)."""
    return frozenset(LabellingRequest.objects.filter(
        application=application,
        status__in=[LabellingRequest.Status.LABELLED, LabellingRequest.Status.CONDITIONAL],
    ).values_list("cluster_id", flat=True))


def project_facts(application: Application, rates: AidRates | None = None) -> ProjectFacts:
    """The application as the rules read it."""
    rates = rates or application.setup.aid_rates()
    return ProjectFacts(
        partners=tuple(partner_facts(application, rates)),
        duration_months=application.duration_months,
        labelling_cluster_ids=labelling_clusters(application),
    )


def eligibility_report(application: Application, *, at_review: bool = False) -> list[Outcome]:
    """Every rule's outcome on the current draft: what the page shows live while editing."""
    return evaluate(application.setup.rules(), project_facts(application), at_review=at_review)


@transaction.atomic
def start_application(user, setup: CallSetup, coordinator: Organisation, *, acronym: str, title: str,
                      duration_months: int | None = None, channel: str = "page") -> Application:
    """A new draft for a published call, its unpublished project in the register, the coordinator as first partner."""
    permissions.check(permissions.can_start_application(user, coordinator.pk))
    if setup.status != CallSetup.Status.PUBLISHED:
        raise ValidationError(_("This call is not published."))
    if not acronym.strip() or not title.strip():
        raise ValidationError(_("A file needs an acronym and a title."))
    project = Project.objects.create(
        key=f"call:{setup.call.code}:{Application.objects.filter(setup=setup).count() + 1}:{acronym}"[:80],
        acronym=acronym.strip(), title=title.strip(), status=Project.Status.IDEA, is_public=False,
        call=setup.call, programme=setup.call.programme,
    )
    application = Application.objects.create(
        setup=setup, project=project, acronym=acronym.strip(), title=title.strip(), coordinator=coordinator,
        created_by=user if getattr(user, "is_authenticated", False) else None, duration_months=duration_months,
    )
    Partner.objects.create(application=application, organisation=coordinator, is_coordinator=True)
    audit.record(user, "create", application, audit.diff({}, audit.snapshot(application)), channel)
    return application


@transaction.atomic
def save_partner(user, application: Application, organisation: Organisation, *, costs: dict,
                 staff_months=0, requested_aid=0, channel: str = "page") -> Partner:
    """Write one partner's costs by category, staff effort and requested aid on the draft.

    The coordinator side writes any partner (and adds one); a partner's representatives their own row.
    """
    permissions.check(permissions.can_edit_partner(user, application, organisation.pk))
    if application.state not in ("draft", "submitted"):
        raise ValidationError(_("A file is edited only before its eligibility is decided."))
    allowed = _cost_categories(application.setup)
    clean_costs = {}
    for category, value in (costs or {}).items():
        if allowed and category not in allowed:
            raise ValidationError({"costs": _("Unknown cost category “%(category)s”; allowed: %(allowed)s.")
                                   % {"category": category, "allowed": ", ".join(sorted(allowed))}})
        clean_costs[str(category)] = str(_money(value, f"costs.{category}"))
    partner, _created = Partner.objects.get_or_create(application=application, organisation=organisation)
    before = audit.snapshot(partner)
    partner.costs = clean_costs
    partner.staff_months = _money(staff_months, "staff_months").quantize(Decimal("0.1"))
    partner.requested_aid = _money(requested_aid, "requested_aid")
    partner.save()
    audit.record(user, "update", partner, audit.diff(before, audit.snapshot(partner)), channel)
    return partner


def _cost_categories(setup: CallSetup) -> set[str]:
    for rule in setup.eligibility or []:
        if rule.get("kind") == "cost_categories":
            return set(rule.get("allowed") or ())
    return set()


def freeze(application: Application, user, round_: Round | None, now: dt.datetime) -> Submission:
    """A new frozen version of the application as it stands, with its eligibility report."""
    setup = application.setup
    rates = setup.aid_rates()
    facts = project_facts(application, rates)
    outcomes = evaluate(setup.rules(), facts)
    by_org = {p.organisation_id: p for p in application.partners.all()}
    partners = []
    fundable = Decimal(0)
    region = ""
    for p in facts.partners:
        ceiling = aid_ceiling(p.kind, p.size_category, p.costs, rates)
        fundable += min(p.requested_aid, ceiling.amount)
        if p.is_coordinator:
            region = p.region_code or ""
        partners.append({
            "organisation_id": p.organisation_id, "name": p.name, "kind": p.kind,
            "size_category": p.size_category.value, "region": p.region_code, "country": p.country,
            "is_coordinator": p.is_coordinator, "costs": {k: str(v) for k, v in p.costs.items()},
            "staff_months": str(by_org[p.organisation_id].staff_months), "requested_aid": str(p.requested_aid),
            "aid_ceiling": str(ceiling.amount), "aid_reason": ceiling.reason.as_dict(),
        })
    version = (application.submissions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    submission = Submission.objects.create(
        application=application, version=version, round=round_, submitted_at=now,
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
        content={"answers": application.answers, "duration_months": application.duration_months,
                 "acronym": application.acronym, "title": application.title, "partners": partners},
        eligibility=[o.as_dict() for o in outcomes],
        total_cost=facts.total_cost, requested_aid=facts.requested_aid, fundable_aid=fundable, region_code=region,
    )
    application.submission = submission
    return submission
