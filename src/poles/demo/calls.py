"""Demo calls for projects at every stage of the workflow, made through the real calls services.

After the generated register is written, `add_call_workflows` sets up four calls whose files reach
every state: a regional call open today in the region with the most SMEs (drafts and a submission), an i-Démo-like France 2030 call
closed and being examined (submitted, eligible, ineligible with the officer's reason, labelled, in review
with submitted and draft reviews), an ANR-like call decided (exact selection confirmed: selected,
waitlisted, rejected; an agreement signed with its schedule, a project running with its advance paid
and a technical report late) and an older regional call finished (instalments paid, mid-term and final
reports received, final reports accepted with their outcomes, one file closed with its balance paid;
the `Funding` and `Participation` rows written to the register).

Everything goes through `calls.submissions`, `calls.reviewing`, `calls.deciding`, `calls.followup` and
`calls.transitions` (permissions, audit, in-app notifications; e-mails muted), with the server's
clock replayed inside each round (`transitions.replaying`), so the files are as consistent as
real ones. Deterministic by seed: organisations are drawn in key order, scores from the seed. The
calls, their projects and fundings are marked generated; the demo's people are accounts named
`demo.*` with `@demo.invalid` addresses and no usable password.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from poles.access.models import Grant
from poles.access.roles import Role
from poles.calls import deciding, followup, notify, reviewing, submissions
from poles.calls.models import (
    Application,
    Assignment,
    CallSetup,
    Decision,
    LabellingRequest,
    Submission,
)
from poles.calls.rounds import PARIS
from poles.calls.transitions import replaying, transition
from poles.projects.models import Call, Project
from poles.registry.models import Cluster, Organisation
from poles.territories.models import Region

DEMO_DOMAIN = "demo.invalid"
PREFIX = "demo:workflow-"
GRID = [
    {"key": "excellence", "label_fr": "Excellence scientifique et technique", "label_en": "Scientific and technical excellence",
     "weight": 3, "low": 0, "high": 5, "comment_below": 2},
    {"key": "impact", "label_fr": "Impact économique", "label_en": "Economic impact", "weight": 2, "low": 0, "high": 5},
    {"key": "consortium", "label_fr": "Qualité du consortium", "label_en": "Quality of the consortium",
     "weight": 1, "low": 0, "high": 5},
]
FORM = [{"key": "summary", "kind": "text", "label_fr": "Résumé", "label_en": "Summary", "max_length": 3000}]
NOTE = "(données de démonstration générées / generated demo data)"


def _people(rng: random.Random):
    """The demo's officer, reviewers and coordinators' accounts (no usable password)."""
    model = get_user_model()

    def person(name: str, *grants: dict):
        user = model(username=f"demo.{name}", email=f"{name}@{DEMO_DOMAIN}")
        user.set_unusable_password()
        user.save()
        Grant.objects.bulk_create([Grant(user=user, **g) for g in grants])
        return user

    officer = person("officer", {"role": Role.NATIONAL})
    reviewers = [person(f"reviewer{i}", {"role": Role.REVIEWER}) for i in range(1, 7)]
    return officer, reviewers, person


def _orgs(region: str | None = None) -> tuple[list[Organisation], list[Organisation]]:
    """Generated companies of known size and research organisations (in a region when given), in key order."""
    base = (Organisation.objects.filter(is_generated=True, commune__isnull=False)
            .select_related("commune__departement").order_by("key"))
    if region:
        base = base.filter(commune__departement__region_id=region)
    companies = list(base.filter(kind="company", size_category__in=["small", "medium", "eti", "large"])[:400])
    labs = list(base.filter(kind="research")[:100])
    return companies, labs


def _call(officer, code: str, *, funder: str, programme: str, title: str, envelope: int, rules: list,
          opens: dt.datetime, closes: dt.datetime, **fields) -> CallSetup:
    call = Call.objects.create(code=f"{PREFIX}{code}", funder=funder, programme=programme, title=title,
                               description=f"Appel à projets {NOTE}.", source="demo", is_generated=True)
    setup = CallSetup.objects.create(call=call, envelope=Decimal(envelope), eligibility=rules, grid=GRID, form=FORM,
                                     **fields)
    with replaying(opens - dt.timedelta(days=15)):
        deciding.add_round(officer, setup, opens, closes)
        deciding.publish(officer, setup)
    return setup


class Files:
    """Consortia for one call, drawn deterministically; each file's coordinator gets a demo account."""

    def __init__(self, rng: random.Random, person, companies, labs, acronyms: set[str]) -> None:
        self.rng, self.person, self.companies, self.labs, self.acronyms = rng, person, companies, labs, acronyms

    def acronym(self) -> str:
        syllables = ["NO", "VA", "TEC", "LUM", "AQUA", "BIO", "SEN", "OR", "MA", "TI", "HY", "DRO", "XEL", "ON"]
        while True:
            word = "".join(self.rng.choices(syllables, k=self.rng.randint(2, 3)))
            if word not in self.acronyms:
                self.acronyms.add(word)
                return word

    def draft(self, setup: CallSetup, *, lab: bool = True, companies: int = 2, region_first: list | None = None):
        """A complete draft: costs by category, aid at 25 % of costs (within every rate), a summary."""
        pool = [c for c in (region_first or self.companies) if c.size_category in ("small", "medium", "eti")]
        coordinator = self.rng.choice(pool or self.companies)  # an SME or ETI leads, as the rules want
        others = [c for c in self.rng.sample(self.companies, companies + 2) if c.pk != coordinator.pk][:companies - 1]
        partners = [coordinator, *others]
        if lab and self.labs:
            partners.append(self.rng.choice(self.labs))
        acronym = self.acronym()
        cluster = Cluster.objects.filter(memberships__organisation=coordinator).order_by("slug").first()
        user = self.person(f"coord.{acronym.lower()}",
                           {"role": Role.MEMBER, "organisation": coordinator, "cluster": cluster})
        app = submissions.start_application(user, setup, coordinator, acronym=acronym,
                                            title=f"Projet {acronym} {NOTE}", duration_months=self.rng.choice([24, 30, 36]))
        app.answers = {"summary": f"{acronym} : projet collaboratif de R&D {NOTE}."}
        app.save(update_fields=["answers"])
        for org in partners:
            staff = Decimal(self.rng.randrange(120, 900) * 1000)
            equipment = Decimal(self.rng.randrange(10, 200) * 1000)
            submissions.save_partner(user, app, org, costs={"staff": str(staff), "equipment": str(equipment)},
                                     staff_months=self.rng.randrange(6, 60),
                                     requested_aid=((staff + equipment) / 4).quantize(Decimal(1)))
        app.demo_user, app.demo_cluster = user, cluster
        return app


def _review_all(setup: CallSetup, officer, rng: random.Random, *, leave_drafts: int = 0) -> None:
    """Assign the call's files automatically, then each reviewer scores (some drafts left open)."""
    reviewing.assign_automatically(officer, setup)
    rows = list(Assignment.objects.filter(application__setup=setup, application__state="in_review")
                .select_related("application", "reviewer").order_by("pk"))
    for k, assignment in enumerate(rows):
        quality = 2 + (assignment.application_id * 7 + k) % 4
        scores = {c["key"]: min(5, max(0, quality + rng.choice([-1, 0, 0, 1]))) for c in GRID}
        comments = {c["key"]: f"Appréciation {NOTE}." for c in GRID}
        reviewing.save_review(assignment.reviewer, assignment, scores, comments, submit=k >= leave_drafts)


def _envelope(setup: CallSetup, share: Decimal) -> None:
    """The call's envelope as a share of the aid its reviewed files may receive (rounded to 10,000 euros)."""
    asked = sum(Submission.objects.filter(application__setup=setup, application__state="in_review")
                .values_list("fundable_aid", flat=True), Decimal(0))
    setup.envelope = max(Decimal(10_000), (asked * share / 10_000).quantize(Decimal(1)) * 10_000)
    setup.save(update_fields=["envelope", "updated_at"])
    deciding.sync_register_call(setup)


@transaction.atomic
def add_call_workflows(*, seed: int, today: dt.date) -> dict[str, int]:
    """The four demo calls and their files at every stage; returns counts by state."""
    rng = random.Random(f"{seed}:call-workflows")  # noqa: S311 — demo data is reproducible from a seed
    noon = dt.datetime.combine(today, dt.time(12), PARIS)
    with notify.muted():
        officer, reviewers, person = _people(rng)
        companies, labs = _orgs()
        acronyms: set[str] = set()
        files = Files(rng, person, companies, labs, acronyms)
        common = [{"kind": "min_companies", "n": 2}, {"kind": "min_sme_or_eti", "n": 1},
                  {"kind": "cost_categories", "allowed": ["staff", "equipment"]}, {"kind": "aid_within_rates"},
                  {"kind": "duration", "min_months": 12, "max_months": 48}]

        # 1. a regional call open today: two drafts and one submitted file
        regions = [c.commune.departement.region_id for c in companies if c.size_category in ("small", "medium", "eti")]
        region = max(sorted(set(regions)), key=regions.count) if regions else "84"  # where SMEs are most numerous
        local, _labs = _orgs(region)
        region_name = Region.objects.filter(code=region).values_list("name", flat=True).first() or region
        regional = _call(officer, f"region-{region}-{today.year}", funder="region", programme="Pack Ambition R&D",
                         title=f"Pack Ambition R&D {today.year} — {region_name} {NOTE}", envelope=3_000_000,
                         rules=[*common, {"kind": "partner_regions", "codes": [region], "who": "coordinator"}],
                         opens=noon - dt.timedelta(days=20), closes=noon + dt.timedelta(days=25), reviews_per_file=2)
        with replaying(noon):
            for k in range(3):
                app = files.draft(regional, region_first=local or None)
                if k == 2:
                    transition(app, "submit", app.demo_user)

        # 2. an i-Démo-like France 2030 call, closed and being examined
        idemo = _call(officer, f"idemo-{today.year}", funder="bpifrance", programme="France 2030 — i-Démo",
                      title=f"i-Démo {today.year} — projets structurants de R&D {NOTE}", envelope=20_000_000,
                      rules=[*common, {"kind": "min_research", "n": 1}, {"kind": "labelling", "n": 1}],
                      opens=noon - dt.timedelta(days=120), closes=noon - dt.timedelta(days=60), reviews_per_file=3)
        examined = []
        with replaying(noon - dt.timedelta(days=90)):
            for _ in range(7):
                app = files.draft(idemo)
                transition(app, "submit", app.demo_user)
                examined.append(app)
        with replaying(noon - dt.timedelta(days=50)):
            transition(examined[1], "declare_ineligible", officer,
                       reason="Le projet ne relève pas du périmètre thématique de l’appel (relevé à l’instruction). / "
                              "The project is outside the call's thematic scope (found on examination).")
            for app in examined[2:]:
                transition(app, "declare_eligible", officer)
            for app in examined[3:]:
                if app.demo_cluster is not None:
                    request = reviewing.ask_label(app.demo_user, app, app.demo_cluster)
                    manager = person(f"manager.{app.acronym.lower()}", {"role": Role.MANAGER, "cluster": app.demo_cluster})
                    reviewing.decide_label(manager, request, "labelled")
        with replaying(noon - dt.timedelta(days=30)):
            for app in examined[4:]:
                app.refresh_from_db()
                if app.state == "labelled":
                    transition(app, "start_review", officer)
            _review_all(idemo, officer, rng, leave_drafts=2)

        # 3. an ANR-like call decided: the exact selection confirmed, one agreement signed, one running
        anr = _call(officer, f"anr-prce-{today.year - 1}", funder="anr", programme="ANR — PRCE",
                    title=f"Projets de recherche collaborative – Entreprises {today.year - 1} {NOTE}",
                    envelope=6_000_000, rules=[*common, {"kind": "min_research", "n": 1}],
                    opens=noon - dt.timedelta(days=330), closes=noon - dt.timedelta(days=270), reviews_per_file=2,
                    waitlist_size=1, caps=[{"dimension": "region", "max_files": 3}])
        with replaying(noon - dt.timedelta(days=300)):
            decided = [files.draft(anr) for _ in range(8)]
            for app in decided:
                transition(app, "submit", app.demo_user)
        with replaying(noon - dt.timedelta(days=250)):
            for app in decided:
                transition(app, "declare_eligible", officer)
                transition(app, "start_review", officer)
            _review_all(anr, officer, rng)
        with replaying(noon - dt.timedelta(days=200)):
            _envelope(anr, Decimal("0.45"))  # the envelope funds about half of what was asked
            selection = deciding.propose(officer, anr)
            deciding.confirm(officer, selection)
            chosen = list(Application.objects.filter(setup=anr, state="selected").order_by("pk"))
            for k, app in enumerate(chosen[:2]):
                deciding.sign_agreement(officer, app)
                advance, *_later = _follow_up(officer, app, (noon - dt.timedelta(days=200)).date())
                if k == 1:  # the advance paid starts the project; a technical report is late
                    followup.record_payment(officer, advance, (noon - dt.timedelta(days=190)).date())
                    followup.add_report(officer, app, "technical", (noon - dt.timedelta(days=20)).date())

        # 4. an older regional call finished: final reports accepted, files closed, fundings in the register
        older = _call(officer, f"region-53-{today.year - 3}", funder="region", programme="Programme régional d’innovation",
                      title=f"Appel régional innovation collaborative {today.year - 3} — Bretagne {NOTE}",
                      envelope=2_000_000, rules=common, reviews_per_file=2,
                      opens=noon - dt.timedelta(days=1100), closes=noon - dt.timedelta(days=1040))
        with replaying(noon - dt.timedelta(days=1070)):
            done = [files.draft(older, lab=False) for _ in range(2)]
            for app in done:
                transition(app, "submit", app.demo_user)
        with replaying(noon - dt.timedelta(days=1000)):
            for app in done:
                transition(app, "declare_eligible", officer)
                transition(app, "start_review", officer)
            _review_all(older, officer, rng)
            _envelope(older, Decimal("1.1"))  # enough for both files
            selection = deciding.propose(officer, older)
            deciding.confirm(officer, selection)
        for k, app in enumerate(Application.objects.filter(setup=older, state="selected").order_by("pk")):
            signed = (noon - dt.timedelta(days=960)).date()
            with replaying(noon - dt.timedelta(days=960)):
                deciding.sign_agreement(officer, app)
                instalments = _follow_up(officer, app, signed)
                followup.record_payment(officer, instalments[0], signed + dt.timedelta(days=10))
            with replaying(noon - dt.timedelta(days=500)):
                followup.record_payment(officer, instalments[1], signed + dt.timedelta(days=460))
                midterm = followup.add_report(officer, app, "technical", signed + dt.timedelta(days=420))
                followup.receive_report(officer, midterm, signed + dt.timedelta(days=440))
            with replaying(noon - dt.timedelta(days=60)):
                final = followup.add_report(officer, app, "financial", (noon - dt.timedelta(days=90)).date(), final=True)
                followup.receive_report(officer, final, (noon - dt.timedelta(days=75)).date())
                followup.accept_final_report(officer, final, products=1 + k, patents=k, jobs=3 + 2 * k)
                if k == 0:  # the balance paid and the file closed; the other waits for both
                    followup.record_payment(officer, instalments[2], (noon - dt.timedelta(days=50)).date())
                    transition(app, "close", officer)

    setups = [regional, idemo, anr, older]
    Project.objects.filter(application__setup__in=setups).update(is_generated=True)
    funded = ["agreement_signed", "running", "final_report_accepted", "closed"]
    for setup, signed in ((anr, noon - dt.timedelta(days=200)), (older, noon - dt.timedelta(days=960))):
        Project.objects.filter(application__setup=setup, application__state__in=funded).update(
            start_date=(signed + dt.timedelta(days=30)).date())  # a month after the agreement
    counts: dict[str, int] = {}
    for state in Application.objects.filter(setup__in=setups).values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def _follow_up(officer, app: Application, signed: dt.date) -> list:
    """The usual schedule (30 % advance, 40 % at mid-term, 30 % balance) of a signed agreement, through the
    follow-up service the agreement page uses."""
    rows = followup.default_schedule(followup.decided_aid(app), signed, app.duration_months or 24)
    return followup.schedule(officer, app, rows)


def delete_call_workflows() -> None:
    """Remove the demo calls' files, selections and people (before the generated calls and projects go)."""
    apps = Application.objects.filter(setup__call__code__startswith=PREFIX)
    Decision.objects.filter(application__in=apps).delete()
    apps.update(submission=None)
    Submission.objects.filter(application__in=apps).delete()
    LabellingRequest.objects.filter(application__in=apps).delete()
    apps.delete()
    CallSetup.objects.filter(call__code__startswith=PREFIX).delete()
    get_user_model().objects.filter(username__startswith="demo.", email__endswith=f"@{DEMO_DOMAIN}").delete()
