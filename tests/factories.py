"""Plain functions creating register rows for tests, and the shared world of the role tests.

Confidential values are distinctive sentinels, so that a test can search any response for them.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from poles.access.models import Grant
from poles.access.roles import Role
from poles.projects.models import Call, Funding, Participation, Project, ProjectCluster
from poles.registry.identifiers import luhn_ok
from poles.registry.models import (
    Cluster,
    ClusterContact,
    ClusterYear,
    Membership,
    Organisation,
    OrganisationFigures,
)
from poles.territories.models import Region

SENTINEL_FEE = Decimal("98765.43")
SENTINEL_BUDGET = Decimal("87654.32")
SENTINEL_AID = Decimal("76543.21")
SENTINEL_TURNOVER = Decimal("65432.19")
SENTINEL_STATE_BUDGET = Decimal("54321.98")
SENTINEL_FEE_B = Decimal("91234.56")
SENTINEL_BUDGET_B = Decimal("81234.56")
SENTINEL_AID_B = Decimal("71234.56")
SENTINEL_TURNOVER_B = Decimal("61234.56")
SENTINEL_OWN_FEE = Decimal("13579.24")
SECRET_ACRONYM = "SECRETPRJ"
SECRET_ACRONYM_B = "HIDDENBPRJ"
SECRET_EMAIL = "hidden-contact@example.org"
SENTINELS = {
    "fee": "98765.43", "budget": "87654.32", "aid": "76543.21", "turnover": "65432.19",
    "state_budget": "54321.98", "acronym": SECRET_ACRONYM, "acronym_b": SECRET_ACRONYM_B,
    "email": SECRET_EMAIL,
}
# who may read each confidential value: cluster_a's data, cluster_b's data, the member's own fee
ENTITLED = {
    **{value: {"admin", "national", "regional", "manager"} for value in (
        "98765.43", "87654.32", "76543.21", "65432.19", "54321.98", SECRET_ACRONYM, SECRET_EMAIL)},
    **{value: {"admin", "national"} for value in (
        "91234.56", "81234.56", "71234.56", "61234.56", SECRET_ACRONYM_B)},
    "13579.24": {"admin", "national", "regional", "manager", "member"},
}

REGIONS = {
    "84": ("Auvergne-Rhône-Alpes", "auvergne-rhone-alpes"),
    "53": ("Bretagne", "bretagne"),
    "11": ("Île-de-France", "ile-de-france"),
}

_counter = itertools.count(1)


def siren(n: int | None = None) -> str:
    """A valid SIREN (Luhn) derived from `n`, distinct for distinct `n`."""
    base = f"{(n if n is not None else next(_counter)) % 10**8:08d}"
    return next(base + str(d) for d in range(10) if luhn_ok(base + str(d)))


def region(code: str = "84") -> Region:
    name, slug = REGIONS.get(code, (f"Region {code}", f"region-{code}"))
    return Region.objects.get_or_create(code=code, defaults={"name": name, "slug": slug})[0]


def cluster(name: str | None = None, *, regions: tuple[str, ...] = ("84",), **fields) -> Cluster:
    n = next(_counter)
    name = name or f"Cluster {n}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    created = Cluster.objects.create(name=name, **fields)
    created.regions.set([region(code) for code in regions])
    return created


def organisation(name: str | None = None, **fields) -> Organisation:
    n = next(_counter)
    name = name or f"Organisation {n}"
    fields.setdefault("siren", siren(n * 7919))
    fields.setdefault("key", f"siren:{fields['siren']}" if fields["siren"] else f"name:{name.lower()}")
    fields.setdefault("kind", Organisation.Kind.COMPANY)
    return Organisation.objects.create(name=name, **fields)


def membership(org: Organisation, of: Cluster, year: int = 2025, **fields) -> Membership:
    return Membership.objects.create(organisation=org, cluster=of, year=year, **fields)


def project(acronym: str | None = None, *, clusters: tuple[Cluster, ...] = (), **fields) -> Project:
    n = next(_counter)
    acronym = acronym or f"PRJ{n}"
    fields.setdefault("key", f"test:{acronym.lower()}")
    fields.setdefault("title", f"Project {acronym}")
    created = Project.objects.create(acronym=acronym, **fields)
    for linked in clusters:
        ProjectCluster.objects.create(project=created, cluster=linked, year=2024)
    return created


def participation(of: Project, org: Organisation, **fields) -> Participation:
    return Participation.objects.create(project=of, organisation=org, **fields)


def funding(of: Project, amount: Decimal, **fields) -> Funding:
    fields.setdefault("funder", "anr")
    return Funding.objects.create(project=of, amount=amount, **fields)


def call(code: str | None = None, **fields) -> Call:
    code = code or f"CALL-{next(_counter)}"
    fields.setdefault("funder", "bpifrance")
    fields.setdefault("title", f"Call {code}")
    return Call.objects.create(code=code, **fields)


def user(username: str, *grants: dict, password: str | None = None, **fields):
    """A user holding the given grants (dicts of Grant fields); unusable password unless given."""
    model = get_user_model()
    fields.setdefault("email", f"{username}@example.org")
    created = model(username=username, **fields)
    if password:
        created.set_password(password)
    else:
        created.set_unusable_password()
    created.save()
    for grant in grants:
        Grant.objects.create(user=created, **grant)
    return created


def build_register() -> SimpleNamespace:
    """Two clusters in two regions, members with fees, public and unpublished projects.

    Each cluster supplied its own members' records (`supplied_by`), as a page or an import would.
    """
    w = SimpleNamespace()
    w.cluster_a = cluster("Cluster Alpha", regions=("84",), mission="Public mission of Alpha")
    w.cluster_b = cluster("Cluster Beta", regions=("53",), mission="Public mission of Beta")
    w.org_member = organisation("Member Rep Org", city="Lyon", supplied_by=w.cluster_a)
    w.org_a = organisation("Alpha Other Member", city="Grenoble", supplied_by=w.cluster_a)
    w.org_b = organisation("Beta Member", city="Rennes", supplied_by=w.cluster_b)
    w.membership_member = membership(w.org_member, w.cluster_a, fee_invoiced=SENTINEL_OWN_FEE)
    w.membership_a = membership(w.org_a, w.cluster_a, fee_invoiced=SENTINEL_FEE, fee_paid=SENTINEL_FEE)
    w.membership_b = membership(w.org_b, w.cluster_b, fee_invoiced=SENTINEL_FEE_B)
    OrganisationFigures.objects.create(organisation=w.org_a, year=2024, staff=40, turnover=SENTINEL_TURNOVER)
    OrganisationFigures.objects.create(organisation=w.org_b, year=2024, staff=40, turnover=SENTINEL_TURNOVER_B)
    w.public_project = project(
        "OPENPRJ", clusters=(w.cluster_a,), total_cost=SENTINEL_BUDGET, is_public=True
    )
    w.hidden_project = project(SECRET_ACRONYM, clusters=(w.cluster_a,), is_public=False)
    w.hidden_project_b = project(SECRET_ACRONYM_B, clusters=(w.cluster_b,), is_public=False)
    w.public_project_b = project("OPENBPRJ", clusters=(w.cluster_b,), total_cost=SENTINEL_BUDGET_B)
    w.participation_a = participation(w.public_project, w.org_a, budget=SENTINEL_BUDGET, aid=SENTINEL_AID)
    w.participation_b = participation(w.public_project_b, w.org_b, aid=SENTINEL_AID_B)
    w.participation_hidden = participation(w.hidden_project, w.org_a)
    w.funding_a = funding(w.public_project, SENTINEL_AID)
    w.funding_b = funding(w.public_project_b, SENTINEL_AID)  # tests/web/test_home.py sums both
    ClusterContact.objects.create(cluster=w.cluster_a, role="Director", name="Published Person",
                                  email="director@example.org", published=True)
    ClusterContact.objects.create(cluster=w.cluster_a, role="Finance", name="Hidden Person",
                                  email=SECRET_EMAIL, published=False)
    ClusterYear.objects.create(cluster=w.cluster_a, year=2024, staff_fte=8,
                               budget_state=SENTINEL_STATE_BUDGET)
    w.call = call("ANR-2025-TEST", title="Open call for tests")
    return w


ROLES = ("admin", "national", "regional", "manager", "member", "reviewer", "outsider", "anonymous")


def build_users(w: SimpleNamespace) -> dict:
    """One user per role of the permission matrix, scoped to `cluster_a`; None is anonymous."""
    return {
        "admin": user("admin", is_superuser=True, is_staff=True),
        "national": user("national", {"role": Role.NATIONAL}),
        "regional": user("regional", {"role": Role.REGIONAL, "region": region("84")}),
        "manager": user("manager", {"role": Role.MANAGER, "cluster": w.cluster_a}),
        "member": user("member", {"role": Role.MEMBER, "organisation": w.org_member,
                                  "cluster": w.cluster_a}),
        "reviewer": user("reviewer", {"role": Role.REVIEWER}),
        "outsider": user("outsider"),
        "anonymous": None,
    }


def spellings(value: Decimal | str) -> set[str]:
    """Every way a page, an export or the API may write an amount: raw, French, English, rounded.

    A search for a confidential value must find it however it was formatted (87654.32, 87654,32,
    87 654,32 with any space, 87,654.32, 87 654 €, 87.7 k€ is not exact and is left out).
    """
    amount = Decimal(str(value))
    whole = int(amount)
    grouped = f"{whole:,}"
    cents = f"{amount:.2f}".split(".")[1]
    forms = {f"{amount:.2f}", f"{whole}.{cents}", f"{whole},{cents}", f"{grouped}.{cents}"}
    for space in (" ", "\u00a0", "\u202f"):
        french = grouped.replace(",", space)
        forms |= {f"{french},{cents}", f"{french}{space}€", f"{french} €", french}
    if whole >= 10_000:
        forms.add(grouped)
    return forms
