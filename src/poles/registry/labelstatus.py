"""Excellence labels as the programme follows them: labels expiring soon, and clusters whose phase
requires a label they do not hold (rules in `poles.registry.labelrules`; pages, API and the
reminder command read these two lists)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from poles.registry.labelrules import (
    EXPIRY_WINDOW_DAYS,
    Held,
    best_level,
    check_date,
    days_left,
    is_expiring,
    meets,
)
from poles.registry.models import Certification, Cluster, Label

COUNTED = (Certification.Outcome.CERTIFIED, Certification.Outcome.CONDITIONAL, Certification.Outcome.PENDING)
"""The certifications that put a cluster in a phase (a refusal does not)."""


def held(label: Label) -> Held:
    return Held(label.level, label.awarded, label.expires)


@dataclass(frozen=True)
class Expiring:
    """A label in force that expires within the window."""

    label: Label
    cluster: Cluster
    days_left: int


@dataclass(frozen=True)
class Missing:
    """A cluster whose phase requires a label level it does not hold on the day checked."""

    cluster: Cluster
    phase_code: str
    required: str
    held: str
    checked_on: dt.date


def excellence_labels(cluster_ids: Iterable[int]):
    return (Label.objects.filter(kind=Label.Kind.EXCELLENCE, cluster_id__in=sorted(set(cluster_ids)))
            .select_related("cluster"))


def expiring_labels(cluster_ids: Iterable[int], today: dt.date, window: int = EXPIRY_WINDOW_DAYS) -> list[Expiring]:
    """The labels of these clusters in force today that expire within `window` days, soonest first."""
    horizon = today + dt.timedelta(days=window)
    rows = excellence_labels(cluster_ids).filter(expires__gte=today, expires__lte=horizon, awarded__lte=today)
    found = [Expiring(lb, lb.cluster, days_left(lb.expires, today)) for lb in rows if is_expiring(held(lb), today, window)]
    return sorted(found, key=lambda e: (e.days_left, e.cluster.name, e.label.pk))


def missing_requirements(cluster_ids: Iterable[int], today: dt.date) -> list[Missing]:
    """Clusters whose latest phase (certified, conditional or pending) requires a label they do not hold."""
    ids = sorted(set(cluster_ids))
    latest: dict[int, Certification] = {}
    for cert in (Certification.objects.filter(cluster_id__in=ids, outcome__in=COUNTED)
                 .select_related("phase", "cluster").order_by("cluster_id", "phase__number")):
        latest[cert.cluster_id] = cert
    labels: dict[int, list[Held]] = defaultdict(list)
    for label in excellence_labels(latest):
        labels[label.cluster_id].append(held(label))
    found = []
    for cluster_id, cert in latest.items():
        required = cert.phase.required_label
        if not required:
            continue
        on = check_date(cert.phase.start_year, cert.phase.end_year, cert.decision_date, today)
        if not meets(required, labels[cluster_id], on):
            found.append(Missing(cert.cluster, cert.phase.code, required, best_level(labels[cluster_id], on), on))
    return sorted(found, key=lambda m: m.cluster.name)
