"""Load NACE Rev.2, NAF rév.2 (with the concordance) and the 14 EU industrial ecosystems."""

from __future__ import annotations

from django.db import transaction

from poles.nomenclatures import sources
from poles.nomenclatures.models import Ecosystem, NaceCode, NafCode
from poles.territories.upsert import (
    LoadCounts,
    ProgressCallback,
    no_progress,
    sync_pairs,
    upsert_by_pk,
)


def load_nomenclatures(progress: ProgressCallback = no_progress) -> dict[str, LoadCounts]:
    """Upsert NACE, NAF and ecosystems in one transaction; re-running on the same packages writes nothing."""
    nace = sources.read_nace()
    naf = sources.read_naf(nace)
    ecosystems = sources.read_ecosystems(nace)
    counts: dict[str, LoadCounts] = {}
    with transaction.atomic():
        counts["nace"] = upsert_by_pk(
            NaceCode,
            [NaceCode(code=n.code, level=n.level, label=n.label, parent_id=n.parent) for n in nace],
            ["level", "label", "parent"],
            step="NACE codes",
            progress=progress,
        )
        counts["naf"] = upsert_by_pk(
            NafCode,
            [NafCode(code=n.code, label=n.label, nace_id=n.nace) for n in naf],
            ["label", "nace"],
            step="NAF codes",
            progress=progress,
        )
        counts["ecosystems"] = upsert_by_pk(
            Ecosystem,
            [Ecosystem(code=e.code, name_en=e.name_en, name_fr=e.name_fr) for e in ecosystems],
            ["name_en", "name_fr"],
            step="ecosystems",
            progress=progress,
        )
        counts["ecosystem_divisions"] = sync_pairs(
            Ecosystem.nace_divisions.through,
            "ecosystem_id",
            "nacecode_id",
            {(e.code, division) for e in ecosystems for division in e.divisions},
            step="ecosystem divisions",
            progress=progress,
        )
    return counts
