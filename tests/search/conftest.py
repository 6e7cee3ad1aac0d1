"""Search fixtures: Aerospace Valley as the register describes it, and organisations to find."""

from __future__ import annotations

import pytest


@pytest.fixture
def aerospace(db, django_capture_on_commit_callbacks):
    """Aerospace Valley (Occitanie and Nouvelle-Aquitaine, theme aerospace) and two other clusters."""
    import factories

    from poles.nomenclatures.models import Ecosystem
    from poles.territories.models import Region

    occitanie = Region.objects.get_or_create(code="76", defaults={"name": "Occitanie", "slug": "occitanie"})[0]
    aquitaine = Region.objects.get_or_create(
        code="75", defaults={"name": "Nouvelle-Aquitaine", "slug": "nouvelle-aquitaine"})[0]
    aero = Ecosystem.objects.update_or_create(
        code="AERO", defaults={"name_en": "Aerospace & Defence", "name_fr": "Aérospatiale et défense"})[0]
    with django_capture_on_commit_callbacks(execute=True):
        valley = factories.cluster(
            "Aerospace Valley", regions=("76",), short_name="Aerospace Valley", slug="aerospace-valley",
            themes=["aerospace", "digital"], industrial_sectors=["Aerospace Vehicles and Defense"],
            technology_fields=["Smart Systems", "Photonique"], mission="Aeronautics, space and embedded systems.",
        )
        valley.regions.add(aquitaine)
        valley.ecosystems.add(aero)
        health = factories.cluster("Eurobiomed", regions=("93",), themes=["health"],
                                   mission="Santé et biotechnologies en Provence")
        other = factories.cluster("Pôle Mer Bretagne", regions=("53",), themes=["maritime"])
    return {"valley": valley, "health": health, "other": other, "occitanie": occitanie}
