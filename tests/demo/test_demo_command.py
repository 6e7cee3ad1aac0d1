"""`poles demo`: the register it writes, its determinism and its refusals."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum
from django.utils import translation

from poles.projects.models import Call, Funding, Participation, Project
from poles.registry.categories import Figures, size_category
from poles.registry.identifiers import LA_POSTE_SIREN, is_valid_siren, is_valid_siret
from poles.registry.models import Cluster, Label, Membership, Organisation, OrganisationFigures
from poles.territories.models import Commune, Departement, Postcode, Region

TODAY = "2026-11-22"
SMALL = ["--scale", "0.02", "--today", TODAY]


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict:
    """Counts, sums and natural keys of what the demo wrote; no primary keys or timestamps."""
    return {
        "clusters": sorted(Cluster.objects.values_list("slug", "name", "head_office_id", "mission_fr", "mission_en")),
        "organisations": sorted(Organisation.objects.values_list(
            "key", "name", "kind", "size_category", "naf_id", "commune_id", "postcode")),
        "memberships": sorted(Membership.objects.values_list(
            "organisation__key", "cluster__slug", "year", "status", "fee_invoiced", "fee_paid")),
        "projects": sorted(Project.objects.values_list(
            "key", "acronym", "title", "status", "start_date", "rd_expenditure", "call__code")),
        "participations": sorted(Participation.objects.values_list(
            "project__key", "organisation__key", "role", "budget", "aid")),
        "fundings": Funding.objects.aggregate(n=Count("id"), total=Sum("amount")),
        "calls": sorted(Call.objects.values_list("code", "opens", "closes", "budget")),
        "labels": Label.objects.count(),
    }


@pytest.mark.django_db
def test_demo_writes_the_55_clusters_marked_generated():
    demo(*SMALL)
    assert Cluster.objects.count() == 55
    assert not Cluster.objects.filter(is_generated=False).exists()
    assert not Organisation.objects.filter(is_generated=False).exists()
    assert not Project.objects.filter(is_generated=False).exists()
    assert all("demo data" in fr + en for fr, en in Cluster.objects.values_list("mission_fr", "mission_en"))
    assert Cluster.objects.filter(regions__isnull=True).count() == 0


@pytest.mark.django_db
def test_same_seed_rebuilds_an_identical_register():
    demo(*SMALL, "--seed", "7")
    first = snapshot()
    demo(*SMALL, "--seed", "7", "--replace")
    assert snapshot() == first


@pytest.mark.django_db
def test_another_seed_gives_another_register():
    demo(*SMALL, "--seed", "7")
    first = snapshot()
    demo(*SMALL, "--seed", "8", "--replace")
    second = snapshot()
    assert second["organisations"] != first["organisations"]
    assert second["clusters"] == first["clusters"]  # the clusters' identity is fact, not chance


@pytest.mark.django_db
def test_every_member_has_a_membership():
    demo(*SMALL)
    assert Organisation.objects.count() > 300
    assert not Organisation.objects.filter(memberships__isnull=True).exists()


@pytest.mark.django_db
def test_stored_size_category_is_the_rule_applied_to_the_stored_figures():
    demo(*SMALL)
    figures = {f.organisation_id: f for f in OrganisationFigures.objects.all()}
    for org in Organisation.objects.all():
        f = figures[org.pk]
        expected = size_category(Figures(f.staff, f.turnover, f.balance_sheet))
        assert org.size_category == expected.value, org.name
        assert f.source == "demo" and f.year == org.size_year


@pytest.mark.django_db
def test_generated_sirens_are_valid_unique_and_never_la_poste():
    demo(*SMALL)
    sirens = list(Organisation.objects.values_list("siren", flat=True))
    assert len(sirens) == len(set(sirens))
    assert all(is_valid_siren(s) and s != LA_POSTE_SIREN for s in sirens)
    sirets = Organisation.objects.exclude(siret="").values_list("siren", "siret")
    assert sirets and all(is_valid_siret(t) and t.startswith(s) for s, t in sirets)


@pytest.mark.django_db
def test_organisations_sit_in_a_commune_of_their_region_with_its_postcode():
    demo(*SMALL)
    for org in Organisation.objects.select_related("commune__departement__region")[:200]:
        assert Postcode.objects.filter(code=org.postcode, commune=org.commune).exists()
        assert org.region_name == org.commune.departement.region.name


@pytest.mark.django_db
def test_seed_profiles_keep_their_published_facts():
    demo(*SMALL)
    av = Cluster.objects.get(slug="aerospace-valley")
    assert set(av.regions.values_list("code", flat=True)) == {"75", "76"}
    assert av.head_office.name == "Toulouse"
    assert av.labels.filter(level="gold").exists()
    assert av.contacts.get().name == "Fabienne DAVERAN"
    assert av.eu_projects.count() == 11
    safe = Cluster.objects.get(slug="safe")
    assert list(safe.regions.values_list("code", flat=True)) == ["93"]
    assert safe.labels.order_by("-awarded").first().level == "bronze"
    others = Cluster.objects.exclude(slug__in=["aerospace-valley", "safe"])
    assert all(c.contacts.get().email.endswith(".example.org") for c in others)


@pytest.mark.django_db
def test_some_calls_are_open_on_the_reference_date_and_projects_answer_past_ones():
    demo(*SMALL)
    assert Call.objects.filter(opens__lte=TODAY, closes__gt=TODAY).count() >= 3
    # files still in a call (the demo's workflow calls) have no start date yet
    linked = Project.objects.filter(call__isnull=False, start_date__isnull=False).select_related("call")
    assert linked.exists()
    assert all(p.call.closes < p.start_date for p in linked)


@pytest.mark.django_db
def test_cluster_budgets_are_at_least_half_private():
    demo(*SMALL)
    years = list(Cluster.objects.get(slug="minalogic").years.all())
    assert len(years) == 7
    assert all(y.private_share >= Decimal("0.5") for y in years)


@pytest.mark.django_db
def test_if_empty_leaves_a_register_that_holds_clusters():
    demo(*SMALL)
    before = snapshot()
    out = demo(*SMALL, "--seed", "99", "--if-empty")
    assert "registre de démonstration non chargé" in out  # the command speaks French first
    with translation.override("en"):
        assert "demo register not loaded" in demo(*SMALL, "--seed", "99", "--if-empty")
    assert snapshot() == before


@pytest.mark.django_db
def test_demo_refuses_a_non_empty_register_without_a_flag():
    Cluster.objects.create(name="Pôle réel", slug="pole-reel")
    with pytest.raises(CommandError) as failure:
        demo(*SMALL)
    assert failure.value.returncode == 2
    assert "--replace" in str(failure.value)
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_replace_deletes_only_generated_rows():
    real = Cluster.objects.create(name="Pôle réel", slug="pole-reel")
    kept = Organisation.objects.create(name="Entreprise réelle", key="siren:552100554",
                                       siren="552100554")
    Membership.objects.create(organisation=kept, cluster=real, year=2024)
    demo(*SMALL, "--replace")
    generated = Organisation.objects.filter(is_generated=True).count()
    demo(*SMALL, "--replace")
    assert Organisation.objects.filter(is_generated=True).count() == generated
    assert Cluster.objects.filter(pk=real.pk).exists()
    assert Membership.objects.filter(organisation=kept, cluster=real).exists()
    assert Cluster.objects.count() == 56


@pytest.mark.django_db
def test_demo_asks_for_reference_data_when_regions_are_empty():
    for model in (Postcode, Commune, Departement, Region):
        model.objects.all()._raw_delete(model.objects.db)
    with pytest.raises(CommandError) as failure:
        demo(*SMALL)
    assert failure.value.returncode == 2
    assert "poles load_reference" in str(failure.value)


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["--scale", "0"], ["--scale", "11"], ["--today", "tomorrow"]])
def test_demo_rejects_bad_options_with_exit_code_2(args):
    with pytest.raises(CommandError) as failure:
        demo(*args)
    assert failure.value.returncode == 2
    assert Cluster.objects.count() == 0


@pytest.mark.django_db
def test_demo_holds_validated_surveys_for_past_years_and_the_latest_year_in_progress():
    import datetime as dt

    from poles.indicators import engine
    from poles.survey.models import Report, Survey

    demo(*SMALL)
    years = sorted(Survey.objects.values_list("year", flat=True))
    assert years == [2022, 2023, 2024, 2025]
    past = Report.objects.filter(survey__year__lt=2025)
    validated = past.filter(state="validated", snapshot__isnull=False)
    assert validated.count() > 0.7 * past.count()
    assert all(r.validated_at.date() <= dt.date(2026, 11, 22) and r.snapshot["figures"]["members_total"]["value"]
               for r in validated[:20])
    latest = set(Report.objects.filter(survey__year=2025).values_list("state", flat=True))
    assert {"submitted", "sent_back"} <= latest and "validated" not in latest
    sources = engine.sources([2024], None, dt.date(2026, 11, 22))
    assert sum(1 for s in sources.values() if s.frozen) > 0.7 * len(sources)
    count = Report.objects.count()
    demo(*SMALL, "--replace")
    assert Report.objects.count() == count and Survey.objects.count() == 4
