"""Profiles' mission and themes in French and English, with a marked fallback."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from poles.registry.content import assign, detect_language, localized
from poles.registry.models import Cluster

AV_EN = ("Created in 2005, with today 854 members from both industry and academia, Aerospace Valley is "
         "the most significant innovation cluster in France in the field of aeronautics and space.")
AV_FR = ("Créé en 2005, Aerospace Valley est le premier pôle de compétitivité français dans les domaines "
         "de l’aéronautique, de l’espace et des systèmes embarqués.")


@pytest.mark.parametrize("text, language", [
    (AV_EN, "en"), (AV_FR, "fr"), ("Aéronautique ; Numérique", None), ("", None),
    ("Public mission of Alpha", None), ("Les entreprises et la recherche", "fr"), ("The cluster and its members", "en"),
])
def test_detect_language(text, language):
    assert detect_language(text) == language


class Profile:
    mission_fr = ""
    mission_en = ""


def test_the_reader_gets_their_language_else_the_other_marked_not_translated():
    profile = Profile()
    assert assign(profile, "mission", AV_EN) == "en"
    with translation.override("fr"):
        shown = localized(profile, "mission")
    assert (shown.value, shown.language, shown.translated) == (AV_EN, "en", False)
    with translation.override("en"):
        assert localized(profile, "mission").translated
    profile.mission_fr = AV_FR
    with translation.override("fr"):
        assert localized(profile, "mission") .value == AV_FR


@pytest.mark.django_db
def test_the_model_stores_text_in_its_language_and_reads_in_the_readers(register):
    cluster = register.cluster_a
    cluster.mission = AV_EN
    cluster.themes = ["Aéronautique", "Numérique"]
    cluster.save()
    cluster.refresh_from_db()
    assert (cluster.mission_fr, cluster.mission_en, cluster.themes_fr) == ("", AV_EN, ["Aéronautique", "Numérique"])
    with translation.override("fr"):
        assert cluster.mission == AV_EN
    assert Cluster.objects.filter(mission_en__contains="Aerospace").count() == 1


@pytest.mark.django_db
def test_migration_moves_english_text_to_the_english_field(register):
    Cluster.objects.filter(pk=register.cluster_a.pk).update(mission_fr=AV_EN, mission_en="", themes_fr=["Aerospace and the space"])
    Cluster.objects.filter(pk=register.cluster_b.pk).update(mission_fr=AV_FR, mission_en="")
    step = importlib.import_module("poles.registry.migrations.0005_bilingual_content")
    step.sort_by_language(apps, None)
    a, b = Cluster.objects.get(pk=register.cluster_a.pk), Cluster.objects.get(pk=register.cluster_b.pk)
    assert (a.mission_fr, a.mission_en, a.themes_fr, a.themes_en) == ("", AV_EN, [], ["Aerospace and the space"])
    assert (b.mission_fr, b.mission_en) == (AV_FR, "")


@pytest.mark.django_db
def test_profile_page_marks_a_mission_not_translated(client, register, users):
    client.force_login(users["admin"])  # pages for a logged-in reader are never served from the page cache
    Cluster.objects.filter(pk=register.cluster_a.pk).update(mission_fr="", mission_en=AV_EN)
    url = reverse("cluster_profile", args=[register.cluster_a.slug])
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Non traduit : en anglais" in french and f'<p lang="en">{AV_EN}</p>' in french
    Cluster.objects.filter(pk=register.cluster_a.pk).update(mission_fr=AV_FR)
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert AV_FR[:40] in french
    assert "Non traduit" not in french.split('id="mission"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_api_exposes_both_languages(api_as, register):
    Cluster.objects.filter(pk=register.cluster_a.pk).update(mission_fr=AV_FR, mission_en=AV_EN)
    url = f"/api/v1/clusters/{register.cluster_a.pk}"
    french = api_as("anonymous").get(url, HTTP_ACCEPT_LANGUAGE="fr").json()
    english = api_as("anonymous").get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (french["mission_fr"], french["mission_en"]) == (AV_FR, AV_EN)
    assert (french["mission"], french["mission_language"]) == (AV_FR, "fr")
    assert (english["mission"], english["mission_language"]) == (AV_EN, "en")
