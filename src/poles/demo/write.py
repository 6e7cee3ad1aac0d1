"""Writing the generated rows in one transaction with bulk inserts, and removing them again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError

from poles.core.bulk import chunks
from poles.core.changes import announce
from poles.demo.reference import DemoError
from poles.demo.rows import Register
from poles.projects.models import Call, Funding, Participation, Project, ProjectCluster
from poles.registry.models import (
    Certification,
    Cluster,
    ClusterContact,
    ClusterEUProject,
    ClusterYear,
    Label,
    Membership,
    Organisation,
    OrganisationFigures,
    Phase,
)

BATCH = 2000
Advance = Callable[[int], None]
OnTable = Callable[[str, int], Advance]

# Register attribute → model, in the order that satisfies foreign keys.
TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("clusters", Cluster),
    ("cluster_regions", Cluster.regions.through),
    ("cluster_ecosystems", Cluster.ecosystems.through),
    ("cluster_years", ClusterYear),
    ("contacts", ClusterContact),
    ("eu_projects", ClusterEUProject),
    ("certifications", Certification),
    ("calls", Call),
    ("organisations", Organisation),
    ("figures", OrganisationFigures),
    ("memberships", Membership),
    ("labels", Label),
    ("projects", Project),
    ("project_clusters", ProjectCluster),
    ("participations", Participation),
    ("fundings", Funding),
)
# `<name>_ix` fields point into these tables; their primary keys replace the index.
REFERENCED = {"cluster": "clusters", "organisation": "organisations", "call": "calls",
              "project": "projects", "supplied_by": "clusters"}
GENERATED = (Project, Call, Organisation, Cluster)  # deletion order


def _instance(model: type[models.Model], row: dict[str, Any], pks: dict[str, list[int]]):
    values: dict[str, Any] = {}
    for name, value in row.items():
        if name.startswith("_"):
            continue
        if name.endswith("_ix"):
            base = name[:-3]
            values[f"{base}_id"] = None if value is None else pks[REFERENCED[base]][value]
        else:
            values[name] = value
    return model(**values)


def _nothing(_table: str, _total: int) -> Advance:
    return lambda _n: None


def write_register(register: Register, *, on_table: OnTable = _nothing) -> dict[str, int]:
    """Insert every row in one transaction; returns the rows written per table."""
    written: dict[str, int] = {}
    pks: dict[str, list[int]] = {}
    with transaction.atomic():
        known = set(Phase.objects.values_list("code", flat=True))
        phases = [Phase(**row) for row in register.phases if row["code"] not in known]
        Phase.objects.bulk_create(phases)
        written["phases"] = len(phases)
        for name, model in TABLES:
            rows = getattr(register, name)
            advance = on_table(name, len(rows))
            objects = [_instance(model, row, pks) for row in rows]
            for chunk in chunks(objects, BATCH):
                model.objects.bulk_create(chunk)
                advance(len(chunk))
            if name in REFERENCED.values():
                pks[name] = [obj.pk for obj in objects]
            written[name] = len(objects)
        announce()
    return written


def delete_generated() -> dict[str, int]:
    """Delete the generated clusters, organisations, projects and calls with what hangs on them."""
    deleted: dict[str, int] = {}
    try:
        with transaction.atomic():
            from poles.demo.calls import delete_call_workflows

            delete_call_workflows()
            for model in GENERATED:
                _total, per_model = model.objects.filter(is_generated=True).delete()
                for label, count in per_model.items():
                    deleted[label] = deleted.get(label, 0) + count
            announce()
    except ProtectedError as error:
        raise DemoError(
            "generated organisations take part in projects that are not generated; "
            "delete those participations first, then run `poles demo --replace` again"
        ) from error
    return deleted


def register_is_empty() -> bool:
    """True when no cluster, organisation, project or call is in the register."""
    return not any(model.objects.exists() for model in GENERATED)


def clashes(register: Register) -> list[str]:
    """Natural keys of generated rows that rows already in the register hold."""
    found: list[str] = []
    slugs = {row["slug"] for row in register.clusters}
    names = {row["name"] for row in register.clusters}
    found += [f"cluster {s}" for s in Cluster.objects.filter(slug__in=slugs).values_list("slug", flat=True)]
    found += [f"cluster {n}" for n in Cluster.objects.filter(name__in=names).values_list("name", flat=True)]
    sirens = {row["siren"] for row in register.organisations}
    taken = Organisation.objects.filter(siren__startswith="00").values_list("siren", flat=True)
    found += [f"SIREN {s}" for s in taken if s in sirens]
    keys = {row["key"] for row in register.projects}
    found += [f"project {k}" for k in Project.objects.filter(key__startswith="demo:").values_list("key", flat=True) if k in keys]
    codes = {row["code"] for row in register.calls}
    found += [f"call {c}" for c in Call.objects.filter(code__startswith="demo:").values_list("code", flat=True) if c in codes]
    return found
