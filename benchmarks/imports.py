"""Import speed on the real files: ANR (projects + partners) and CORDIS H2020 participations.

    .venv/bin/python benchmarks/imports.py [--peer-rows 20000]

Into a fresh SQLite database (benchmarks/out/imports.sqlite3, reference data loaded first and not
timed). Prints seconds and rows per second for a first import and for a re-run (which must change
nothing), and, measured in the same run, the peer: the same CORDIS rows upserted one by one with
Django's `update_or_create` (the usual way), on the first --peer-rows rows, rolled back.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
SHARED = ROOT.parent / "shared" / "data"
ANR = SHARED / "anr" / "anr-dgpie-depuis-2010-projets-finances-20220512-{}.xlsx"
CORDIS = SHARED / "cordis" / "h2020-participations.csv.gz"


def setup_django() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "imports.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poles.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from poles.nomenclatures.loaders import load_nomenclatures
    from poles.territories.loaders import load_territories

    load_territories()
    load_nomenclatures()


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def naive_cordis(rows: list[dict[str, str]]) -> None:
    """The peer: one update_or_create per row and per table, as a first version would do."""
    from django.db import transaction

    from poles.imports.values import parse_date, parse_money
    from poles.projects.models import Participation, Project
    from poles.registry.models import Organisation

    with transaction.atomic():
        for row in rows:
            project, _ = Project.objects.update_or_create(
                key=f"peer:{row['rcn']}",
                defaults={"acronym": f"H2020 {row['rcn']}", "title": row["rcn"],
                          "start_date": parse_date(row["start_date"]), "end_date": parse_date(row["end_date"]),
                          "total_cost": parse_money(row["total_cost"])},
            )
            organisation, _ = Organisation.objects.update_or_create(
                key=f"peerpic:{row['pic']}", defaults={"name": f"PIC {row['pic']}", "country": row["country"]},
            )
            Participation.objects.update_or_create(
                project=project, organisation=organisation,
                defaults={"source_role": row["role"], "aid": parse_money(row["contribution"])},
            )
        transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer-rows", type=int, default=20000)
    args = parser.parse_args()
    if not CORDIS.exists():
        sys.exit(f"needs the real data in {SHARED}")
    setup_django()
    from poles.imports.anr import AnrImporter
    from poles.imports.cordis import CordisImporter

    projects, partners = ANR.with_name(ANR.name.format("projets")), ANR.with_name(ANR.name.format("partenaires"))
    anr, anr_first = timed(lambda: AnrImporter(projects, partners).run())
    _, anr_again = timed(lambda: AnrImporter(projects, partners).run())
    anr_rows = 1379 + 7581
    cordis_rows = 144726
    cordis, cordis_first = timed(lambda: CordisImporter(CORDIS).run())
    again, cordis_again = timed(lambda: CordisImporter(CORDIS).run())
    assert not again.changed, "a re-run must change nothing"
    with gzip.open(CORDIS, "rt") as handle:
        sample = [row for _, row in zip(range(args.peer_rows), csv.DictReader(handle), strict=False)]
    _, peer = timed(lambda: naive_cordis(sample))
    peer_rate = len(sample) / peer
    ours_rate = cordis_rows / cordis_first
    print(f"ANR import (1,379 projects, 7,581 partner rows): first {anr_first:.1f} s "
          f"({anr_rows / anr_first:,.0f} rows/s), re-run {anr_again:.1f} s (changes nothing)")
    print(f"CORDIS import (144,726 participations): first {cordis_first:.1f} s ({ours_rate:,.0f} rows/s), "
          f"re-run {cordis_again:.1f} s ({cordis_rows / cordis_again:,.0f} rows/s, changes nothing)")
    print(f"peer, update_or_create row by row on {len(sample):,} CORDIS rows: {peer:.1f} s ({peer_rate:,.0f} rows/s)")
    print(f"ratio ours / peer (rows per second): {ours_rate / peer_rate:.1f}x")


if __name__ == "__main__":
    main()
