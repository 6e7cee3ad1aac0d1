"""Load NUTS units, regions, départements, communes and postcodes from the installed packages."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from poles.territories import sources
from poles.territories.models import Commune, Departement, NutsRegion, Postcode, Region
from poles.territories.nuts import match_departements, match_regions
from poles.territories.upsert import (
    LoadCounts,
    ProgressCallback,
    no_progress,
    sync_pairs,
    upsert_by_pk,
)


def load_territories(progress: ProgressCallback = no_progress) -> dict[str, LoadCounts]:
    """Upsert every territory table in one transaction; re-running on the same packages writes nothing."""
    units = sources.read_nuts_2021()
    regions = sources.read_regions()
    departements = sources.read_departements()
    communes = sources.read_communes()
    region_nuts = match_regions([(r.code, r.name) for r in regions], units)
    departement_nuts = match_departements(
        [(d.code, d.name, d.region) for d in departements], region_nuts, units
    )
    counts: dict[str, LoadCounts] = {}
    with transaction.atomic():
        counts["nuts"] = upsert_by_pk(
            NutsRegion,
            [
                NutsRegion(
                    code=u.code,
                    name=u.name,
                    level=u.level,
                    country=u.country,
                    parent_id=u.parent_code,
                )
                for u in units
            ],
            ["name", "level", "country", "parent"],
            step="NUTS units",
            progress=progress,
        )
        counts["regions"] = upsert_by_pk(
            Region,
            [
                Region(
                    code=r.code,
                    name=r.name,
                    slug=slugify(r.name),
                    nuts_id=region_nuts.get(r.code),
                    overseas=r.overseas,
                )
                for r in regions
            ],
            ["name", "slug", "nuts", "overseas"],
            step="regions",
            progress=progress,
        )
        counts["departements"] = upsert_by_pk(
            Departement,
            [
                Departement(
                    code=d.code,
                    name=d.name,
                    region_id=d.region,
                    nuts_id=departement_nuts.get(d.code),
                )
                for d in departements
            ],
            ["name", "region", "nuts"],
            step="départements",
            progress=progress,
        )
        counts["communes"] = upsert_by_pk(
            Commune,
            [
                Commune(
                    code=c.code, name=c.name, departement_id=c.departement, population=c.population
                )
                for c in communes
            ],
            ["name", "departement", "population"],
            step="communes",
            progress=progress,
        )
        counts["postcodes"] = sync_pairs(
            Postcode,
            "code",
            "commune_id",
            {(postcode, c.code) for c in communes for postcode in c.postcodes},
            step="postcodes",
            progress=progress,
        )
    return counts
