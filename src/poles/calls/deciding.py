"""Calls published, files selected under the envelope, decisions confirmed, agreements written to the register.

- `publish`: a call's setup checked (rules, rates, grid, form, rounds) and published; the register
  call's dates and budget follow its rounds and envelope, so the public pages show them.
- `propose`: every reviewed file as a candidate (score: the panel's consensus or the mean of the
  reviews; cost: the aid requested within each partner's ceiling; keys: the coordinator's region,
  the labelling clusters, the partners), ranked and selected exactly (`poles.calls.selection`),
  written as one `Selection` with a `Decision` per file and its reasons. Not-selected files take the
  waitlist places in rank order, the others are rejected.
- `what_if`: the same for another envelope, nothing written.
- `confirm`: each decision run through the transition service (select / waitlist / reject).
- `sign_agreement`: the transition, then the project's `Funding` (the funder's amount) and each
  partner's `Participation` (budget, aid) in the register.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poles.calls import permissions
from poles.calls.models import (
    Application,
    CallSetup,
    Decision,
    LabellingRequest,
    Partner,
    Round,
    Selection,
)
from poles.calls.reasons import CallDataError, Reason
from poles.calls.rounds import PARIS, check_rounds
from poles.calls.selection import Candidate, Cap, what_if
from poles.calls.selection import select as solve
from poles.calls.transitions import Refused, transition
from poles.calls.workflow import State
from poles.core import audit
from poles.projects.models import Funding, Participation
from poles.registry.models import Cluster, Organisation
from poles.territories.models import Region

CANDIDATE_STATES = (State.IN_REVIEW, State.SHORTLISTED, State.WAITLISTED)
ACTIONS = {Decision.Outcome.SELECTED: "select", Decision.Outcome.WAITLISTED: "waitlist",
           Decision.Outcome.REJECTED: "reject"}


# --- calls --------------------------------------------------------------------------------------

def sync_register_call(setup: CallSetup) -> None:
    """The register call's dates (Paris days of the first opening and last closing) and budget (the envelope)."""
    rounds = list(setup.rounds.all())
    call = setup.call
    call.opens = min(r.opens_at for r in rounds).astimezone(PARIS).date() if rounds else None
    call.closes = max(r.closes_at for r in rounds).astimezone(PARIS).date() if rounds else None
    call.budget = setup.envelope
    call.save(update_fields=["opens", "closes", "budget", "updated_at"])


@transaction.atomic
def add_round(user, setup: CallSetup, opens_at, closes_at, *, channel: str = "page") -> Round:
    """A new round, refused when it overlaps another (times are aware; naive ones read as Paris time)."""
    permissions.check(permissions.can_manage_calls(user))
    opens_at = opens_at if opens_at.tzinfo else opens_at.replace(tzinfo=PARIS)
    closes_at = closes_at if closes_at.tzinfo else closes_at.replace(tzinfo=PARIS)
    number = (setup.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    row = Round(setup=setup, number=number, opens_at=opens_at, closes_at=closes_at)
    row.full_clean()
    row.save()
    audit.record(user, "create", row, audit.diff({}, audit.snapshot(row)), channel)
    sync_register_call(setup)
    return row


@transaction.atomic
def publish(user, setup: CallSetup, *, channel: str = "page") -> CallSetup:
    """Check everything the call declares and publish it."""
    permissions.check(permissions.can_manage_calls(user))
    setup.full_clean()
    problems = check_rounds(setup.windows())
    if not setup.rounds.exists():
        problems.append(Reason("L’appel n’a pas de relève.", "The call has no round."))
    if problems:
        raise Refused(problems)
    before = audit.snapshot(setup)
    setup.status, setup.published_at = CallSetup.Status.PUBLISHED, timezone.now()
    setup.save()
    sync_register_call(setup)
    audit.record(user, "update", setup, audit.diff(before, audit.snapshot(setup)), channel)
    return setup


# --- selection ----------------------------------------------------------------------------------

def parse_caps(data: list) -> list[Cap]:
    """The call's caps from its JSON, each limit checked and named after its region, cluster or partner."""
    caps = []
    names = {
        "region": dict(Region.objects.values_list("code", "name")),
        "cluster": {str(k): v for k, v in Cluster.objects.values_list("pk", "short_name")},
    }
    for item in data or []:
        try:
            max_files = item.get("max_files")
            max_amount = item.get("max_amount")
            key = item.get("key")
            cap = Cap(str(item["dimension"]), None if key is None else str(key),
                      None if max_files is None else int(max_files),
                      None if max_amount is None else Decimal(str(max_amount)))
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            raise CallDataError(Reason(f"Plafond illisible : {item}.", f"Unreadable cap: {item}.")) from error
        name = names.get(cap.dimension, {}).get(cap.key or "", "") if cap.key else ""
        if cap.dimension == "partner" and cap.key:
            name = Organisation.objects.filter(pk=cap.key).values_list("name", flat=True).first() or ""
        caps.append(Cap(cap.dimension, cap.key, cap.max_files, cap.max_amount, name))
    return caps


def candidates(setup: CallSetup) -> tuple[list[Candidate], dict[int, Application]]:
    """The reviewed files of the call as selection candidates, in three joined reads (no list of ids sent back)."""
    scope = {"setup": setup, "state__in": CANDIDATE_STATES, "submission__isnull": False}
    rows = list(Application.objects.filter(**scope).order_by()
                .values_list("pk", "score", "consensus_score", "submission__fundable_aid", "submission__region_code"))
    joined = {f"application__{k}": v for k, v in scope.items()}
    partners: dict[int, set[str]] = {}
    for app_id, org_id in Partner.objects.filter(**joined).order_by().values_list("application_id", "organisation_id"):
        partners.setdefault(app_id, set()).add(str(org_id))
    clusters: dict[int, set[str]] = {}
    for app_id, cluster_id in LabellingRequest.objects.filter(
            **joined, status__in=[LabellingRequest.Status.LABELLED, LabellingRequest.Status.CONDITIONAL]
    ).order_by().values_list("application_id", "cluster_id"):
        clusters.setdefault(app_id, set()).add(str(cluster_id))
    pool = []
    empty: frozenset[str] = frozenset()
    for pk, score, consensus, fundable, region in rows:
        score = consensus if consensus is not None else score
        if score is None:
            continue
        pool.append(Candidate(pk, score, fundable, {
            "region": frozenset((region,)) if region else empty,
            "cluster": frozenset(clusters.get(pk, empty)),
            "partner": frozenset(partners.get(pk, empty)),
        }))
    return pool, {}


@transaction.atomic
def propose(user, setup: CallSetup, *, envelope: Decimal | None = None, objective: str | None = None,
            caps: list | None = None, channel: str = "page", timings: dict[str, float] | None = None) -> Selection:
    """Rank and select the reviewed files exactly; write the selection and each file's decision and reasons.

    `timings`, when given, receives the seconds spent reading, solving and writing (the benchmark's sections).
    """
    permissions.check(permissions.can_manage_calls(user))
    clock = time.perf_counter()
    envelope = setup.envelope if envelope is None else Decimal(envelope)
    objective = objective or setup.objective
    caps_data = setup.caps if caps is None else caps
    pool, _apps = candidates(setup)
    limits = parse_caps(caps_data)
    read = time.perf_counter()
    result = solve(pool, envelope, objective=objective, caps=limits)
    solved = time.perf_counter()
    cost = {c.id: c.cost for c in pool}
    selection = Selection.objects.create(setup=setup, envelope=envelope, objective=objective, caps=caps_data,
                                         total_score=result.total_score, total_aid=result.total_cost, created_by=user)
    waiting = setup.waitlist_size
    rows = []
    for place in result.ranking:
        verdict = result.verdicts[place.id]
        if verdict.selected:
            outcome = Decision.Outcome.SELECTED
        elif waiting > 0:
            outcome, waiting = Decision.Outcome.WAITLISTED, waiting - 1
        else:
            outcome = Decision.Outcome.REJECTED
        rows.append((selection.pk, place.id, outcome.value, place.rank, place.position, str(place.score),
                     str(cost[place.id] if verdict.selected else Decimal(0)),
                     json.dumps([r.as_dict() for r in (*verdict.reasons, place.reason)], ensure_ascii=False)))
    _insert_decisions(rows)
    audit.record(user, "create", selection, {"envelope": [None, str(envelope)], "objective": [None, objective],
                                             "selected": [None, len(result.selected)]}, channel)
    if timings is not None:
        timings.update(read=read - clock, solve=solved - read, write=time.perf_counter() - solved)
    return selection


DECISION_COLUMNS = ("selection_id", "application_id", "outcome", "rank", "position", "score", "aid", "reasons")


def _insert_decisions(rows: list[tuple]) -> None:
    """Many decisions (tuples in `DECISION_COLUMNS` order) in a few multi-row statements: Django's
    bulk_create spends its time building model instances and SQL, and one statement per row costs a
    round trip each on PostgreSQL."""
    table = Decision._meta.db_table
    row = f"({', '.join(['%s'] * len(DECISION_COLUMNS))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(DECISION_COLUMNS)}) VALUES {', '.join([row] * len(chunk))}",  # noqa: S608 — the model's table and columns; values are parameters
                [value for r in chunk for value in r],
            )


def what_if_envelope(user, setup: CallSetup, other_envelope: Decimal):
    """The selection for another envelope beside the call's, nothing written."""
    permissions.check(permissions.can_manage_calls(user))
    pool, _apps = candidates(setup)
    return what_if(pool, setup.envelope, Decimal(other_envelope), objective=setup.objective,
                   caps=parse_caps(setup.caps))


@transaction.atomic
def confirm(user, selection: Selection, *, channel: str = "page") -> Selection:
    """The officer confirms: each file moves to selected, waitlisted or rejected, with its reason, notified."""
    permissions.check(permissions.can_manage_calls(user))
    if selection.confirmed_at is not None:
        raise ValidationError(_("This selection is already confirmed."))
    selection.confirmed_at, selection.confirmed_by = timezone.now(), user
    selection.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record(user, "update", selection, {"confirmed_at": [None, selection.confirmed_at.isoformat()]}, channel)
    for decision in selection.decisions.select_related("application").order_by("position"):
        application = decision.application
        if application.state == ACTIONS_TARGET[decision.outcome]:
            continue
        first = decision.reasons[0]
        transition(application, ACTIONS[decision.outcome], user, reason=Reason(first["fr"], first["en"]),
                   channel=channel)
    return selection


ACTIONS_TARGET = {Decision.Outcome.SELECTED: State.SELECTED, Decision.Outcome.WAITLISTED: State.WAITLISTED,
                  Decision.Outcome.REJECTED: State.REJECTED}


# --- award --------------------------------------------------------------------------------------

@transaction.atomic
def sign_agreement(user, application: Application, *, channel: str = "page") -> Funding:
    """Sign the agreement: the transition, then the funder's amount and each partner's aid in the register."""
    application = transition(application, "sign_agreement", user, channel=channel)
    decision = Decision.objects.filter(application=application, outcome=Decision.Outcome.SELECTED,
                                       selection__confirmed_at__isnull=False).latest("selection__created_at")
    call = application.setup.call
    today = timezone.localdate()
    funding, _created = Funding.objects.update_or_create(
        project_id=application.project_id, funder=call.funder, funder_detail=call.programme[:150],
        instrument=Funding.Instrument.GRANT,
        defaults={"amount": decision.aid, "date": today, "year": today.year},
    )
    submitted = {p["organisation_id"]: p for p in application.submission.content["partners"]}
    for org_id, p in submitted.items():
        Participation.objects.update_or_create(
            project_id=application.project_id, organisation_id=org_id,
            defaults={
                "role": Participation.Role.COORDINATOR if p["is_coordinator"] else Participation.Role.PARTNER,
                "budget": sum((Decimal(v) for v in p["costs"].values()), Decimal(0)),
                "aid": min(Decimal(p["requested_aid"]), Decimal(p["aid_ceiling"])),
            },
        )
    project = application.project
    project.total_cost = application.submission.total_cost
    project.is_public = True  # funders publish the projects they fund
    project.save(update_fields=["total_cost", "is_public", "updated_at"])
    audit.record(user, "create", funding, audit.diff({}, audit.snapshot(funding)), channel)
    return funding
