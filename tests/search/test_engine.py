"""The index on the real database (SQLite or PostgreSQL): what it finds, how it ranks, how it stays current."""

from __future__ import annotations

import string
from decimal import Decimal

import factories
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poles.access.fieldlevels import Level, fields_at
from poles.core.bulk import insert_rows
from poles.nomenclatures.models import NafCode
from poles.projects.models import Project
from poles.registry.models import Cluster, Organisation, OrganisationFigures
from poles.search import engine, index, schema

pytestmark = pytest.mark.django_db


def names(kind: str, query: str) -> list[str]:
    model = {"cluster": Cluster, "organisation": Organisation, "project": Project}[kind]
    ids = engine.ranked_ids(kind, query, limit=50)
    found = model.objects.in_bulk(ids)
    return [str(found[pk]) for pk in ids]


# --- words --------------------------------------------------------------------------------------

def test_terms_fold_case_accents_and_punctuation():
    assert engine.terms("  Aéronautique, ÎLE-de-France  aéronautique ") == ["aeronautique", "ile", "de", "france"]
    assert engine.terms("'\"*)(") == []
    assert len(engine.terms(" ".join(f"w{i}" for i in range(30)))) == engine.MAX_TERMS


def test_fts5_expression_quotes_every_word_and_keeps_one_letter_words_whole():
    assert engine.fts5_match(["aero", "a"]) == '"aero"* "a"'


@given(st.text(max_size=60))
def test_any_query_becomes_safe_words(query):
    for word in engine.terms(query):
        assert word and all(ch.isalnum() for ch in word)


# --- clusters -------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["aero", "AÉRO", "aeronautique", "Aéronautique", "occitanie", "Occitanie",
                                   "aerospace valley", "aérospatiale", "défense", "photonique", "aquitaine"])
def test_aerospace_valley_is_found_by_name_theme_sector_region_and_ecosystem(aerospace, query):
    assert names("cluster", query)[0] == "Aerospace Valley"


def test_accents_do_not_matter_in_either_direction(aerospace):
    assert names("cluster", "sante") == names("cluster", "santé") == ["Eurobiomed"]
    assert names("cluster", "pole mer") == ["Pôle Mer Bretagne"]


def test_every_word_must_match(aerospace):
    assert names("cluster", "aero bretagne") == []
    assert names("cluster", "") == []


def test_a_cluster_change_reaches_the_index_in_its_transaction(db):
    """Saves, many-to-many changes from either side and deletions re-index the cluster at once."""
    valley = factories.cluster("Aerospace Valley", regions=("84",), themes=["aerospace"])
    other = factories.cluster("Pôle Mer Bretagne", regions=("53",), themes=["maritime"])
    assert names("cluster", "aeronautique") == ["Aerospace Valley"]
    valley.themes = ["nuclear"]
    valley.save()
    assert names("cluster", "nucleaire") == ["Aerospace Valley"]
    assert names("cluster", "aeronautique") == []
    region = valley.regions.get(code="84")
    valley.regions.remove(region)
    assert names("cluster", "auvergne") == []
    region.clusters.add(other)
    assert names("cluster", "auvergne") == ["Pôle Mer Bretagne"]
    Cluster.objects.filter(pk=other.pk).delete()
    assert names("cluster", "bretagne") == []


def test_bulk_writers_announce_and_the_clusters_follow_at_commit(transactional_db):
    """A write without signals (an update()) reaches the index when its writer announces it."""
    from poles.core.changes import announce

    valley = factories.cluster("Aerospace Valley", regions=("84",), themes=["aerospace"])
    Cluster.objects.filter(pk=valley.pk).update(short_name="Zéphyrine")
    assert names("cluster", "zephyrine") == []
    announce()  # outside a transaction: sent at once, as after the importers' commit
    assert names("cluster", "zephyrine") == ["Aerospace Valley"]


# --- organisations ------------------------------------------------------------------------------

@pytest.fixture
def companies(db):
    naf = NafCode.objects.update_or_create(code="30.30Z", defaults={"label": "Construction aéronautique et spatiale"})[0]
    return {
        "airbus": factories.organisation("Airbus Opérations", city="Toulouse", postcode="31060",
                                         naf=naf, siren="383474814"),
        "lab": factories.organisation("Laboratoire d'Analyse et d'Architecture des Systèmes", city="Toulouse",
                                      kind=Organisation.Kind.RESEARCH, siren=None, key="name:laas"),
        "bakery": factories.organisation("Boulangerie Aérienne", city="Lyon", region_name="Auvergne-Rhône-Alpes"),
    }


@pytest.mark.parametrize(("query", "expected"), [
    ("airbus", "Airbus Opérations"),
    ("operations", "Airbus Opérations"),
    ("383474814", "Airbus Opérations"),
    ("38347", "Airbus Opérations"),
    ("30.30Z", "Airbus Opérations"),
    ("3030z", "Airbus Opérations"),
    ("construction aeronautique", "Airbus Opérations"),
    ("31060", "Airbus Opérations"),
    ("laboratoire toulouse", "Laboratoire d'Analyse et d'Architecture des Systèmes"),
    ("recherche", "Laboratoire d'Analyse et d'Architecture des Systèmes"),  # the kind, in French
    ("research", "Laboratoire d'Analyse et d'Architecture des Systèmes"),  # and in English
    ("rhone", "Boulangerie Aérienne"),
])
def test_organisations_are_found_by_name_siren_naf_city_and_kind(companies, query, expected):
    assert names("organisation", query)[0] == expected


def test_a_name_hit_ranks_before_a_hit_elsewhere(companies):
    factories.organisation("Toulouse Ingénierie", city="Blagnac")
    assert names("organisation", "toulouse")[0] == "Toulouse Ingénierie"


def test_writes_of_every_kind_keep_the_organisation_index(companies):
    airbus = companies["airbus"]
    airbus.name = "Airbus Atlantic"
    airbus.save()
    assert names("organisation", "atlantic") == ["Airbus Atlantic"]
    assert names("organisation", "operations") == []
    Organisation.objects.filter(pk=airbus.pk).update(city="Méaulte")
    assert names("organisation", "meaulte") == ["Airbus Atlantic"]
    # the importers' raw inserts send no signal: the trigger indexes them all the same
    insert_rows(Organisation, [{"name": "Inserted Without Signals", "key": "name:raw", "city": "Pau"}])
    assert names("organisation", "inserted signals") == ["Inserted Without Signals"]
    Organisation.objects.filter(pk=airbus.pk).delete()
    assert names("organisation", "airbus") == []


def test_a_rebuild_gives_the_same_index(companies):
    before = names("organisation", "toulouse")
    counts = index.rebuild()
    assert counts["organisation"] == Organisation.objects.count()
    assert names("organisation", "toulouse") == before
    assert index.sizes()["organisation"] == (Organisation.objects.count(), Organisation.objects.count())


def test_broad_queries_rank_name_hits_first_and_page_through_everything(db, monkeypatch):
    for n in range(12):
        factories.organisation(f"Atelier {n}", city="Nantes" if n % 3 else "Atelier-sur-Mer")
    monkeypatch.setattr(engine, "RANK_LIMIT", 5)
    search = engine.Search("organisation", "atelier")
    assert search.total == 12
    pages = [search.ids(offset, 5) for offset in (0, 5, 10)]
    everything = [pk for page in pages for pk in page]
    assert sorted(everything) == sorted(Organisation.objects.values_list("pk", flat=True))


# --- the rule: public fields only ---------------------------------------------------------------

def test_indexed_fields_are_public_fields():
    from django.apps import apps

    for label, fields in schema.INDEXED.items():
        public = set(fields_at(apps.get_model(label), Level.PUBLIC))
        assert set(fields) <= public, f"{label}: {set(fields) - public} are not public"


def _index_text() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            rows = [r for t in schema.TABLES.values() for r in cursor.execute(f"SELECT * FROM {t}").fetchall()]  # noqa: S608
        else:
            rows = []
            for table in schema.TABLES.values():
                cursor.execute(f"SELECT document::text FROM {table}")  # noqa: S608
                rows += cursor.fetchall()
    return " ".join(str(v) for row in rows for v in row).lower()


def test_the_index_never_holds_confidential_or_members_only_values(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        org = factories.organisation("Secretive Works", city="Brest", siret="38347481400019",
                                     address="Zyxwvu Hidden Street", description="",
                                     identifiers={"qwertz": "Hiddenident"})
        OrganisationFigures.objects.create(organisation=org, year=2024, turnover=Decimal("987654321"), staff=7)
        factories.cluster("Open Cluster")
    text = _index_text()
    assert "secretive" in text
    for secret in ("38347481400019", "zyxwvu", "hiddenident", "987654321"):
        assert secret not in text


# --- accents and capitals, any variant ----------------------------------------------------------

ACCENTED = {"a": "àâä", "e": "éèêë", "i": "îï", "o": "ôö", "u": "ùûü", "c": "ç", "y": "ÿ"}


@st.composite
def variant(draw, word: str) -> str:
    """The word with any letter capitalised or accented."""
    out = []
    for ch in word:
        ch = draw(st.sampled_from([ch, *ACCENTED.get(ch, "")]))
        out.append(ch.upper() if draw(st.booleans()) else ch)
    return "".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), word=st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=12))
def test_any_accent_or_case_variant_of_an_indexed_word_finds_the_row(db, data, word):
    stored = data.draw(variant(word))
    org = factories.organisation(f"Zz {stored} Corp", key=f"name:{factories.siren()}-{stored}", siren=None)
    within = Organisation.objects.filter(pk=org.pk)
    typed = data.draw(variant(word))
    assert engine.count("organisation", typed, within=within) == 1
    prefix = typed[: data.draw(st.integers(min_value=2, max_value=len(typed)))]
    assert engine.count("organisation", prefix, within=within) == 1
