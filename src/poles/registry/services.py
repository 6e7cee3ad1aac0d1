"""Register services that keep derived fields true to the rules (size categories)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from poles.registry.categories import Figures, SizeCategory, aggregate_group, size_category
from poles.registry.models import Organisation, OrganisationFigures


def _figures(row: OrganisationFigures) -> Figures:
    return Figures(staff=row.staff, turnover=row.turnover, balance_sheet=row.balance_sheet)


def refresh_size_categories(organisation_ids: Iterable[int]) -> int:
    """Recompute the stored size category of these organisations and their group; returns changes.

    Any organisation with figures gets one (2003/361 art. 1: an enterprise is any entity
    engaged in an economic activity, whatever its legal form), as the web form and the demo do.
    The latest year with figures of the organisation is used; its group (head and the head's
    other members, linked > 50 %) counts in full for that same year, and a group member without
    figures for that year makes the category UNKNOWN (2003/361 art. 6: never a guess).
    """
    ids = set(organisation_ids)
    if not ids:
        return 0
    heads = set(
        Organisation.objects.filter(pk__in=ids, group_head__isnull=False).values_list("group_head_id", flat=True)
    )
    heads |= set(Organisation.objects.filter(pk__in=ids, group_members__isnull=False).values_list("pk", flat=True))
    group_of: dict[int, int] = {}
    if heads:
        for pk, head in Organisation.objects.filter(Q(pk__in=heads) | Q(group_head__in=heads)).values_list("pk", "group_head_id"):
            group_of[pk] = head or pk
            ids.add(pk)
    members: dict[int, set[int]] = defaultdict(set)
    for pk, head in group_of.items():
        members[head].add(pk)
    figures: dict[int, dict[int, Figures]] = defaultdict(dict)
    for row in OrganisationFigures.objects.filter(organisation_id__in=ids):
        figures[row.organisation_id][row.year] = _figures(row)
    updates = []
    for organisation in Organisation.objects.filter(pk__in=ids).only("pk", "size_category", "size_year"):
        own = figures.get(organisation.pk, {})
        category, year = SizeCategory.UNKNOWN, None
        if own:
            year = max(own)
            group = members.get(group_of.get(organisation.pk, organisation.pk), {organisation.pk})
            linked = [figures.get(pk, {}).get(year, Figures()) for pk in group if pk != organisation.pk]
            category = size_category(aggregate_group(own[year], linked))
        if organisation.size_category != category.value or organisation.size_year != year:
            organisation.size_category, organisation.size_year = category.value, year
            updates.append(organisation)
    Organisation.objects.bulk_update(updates, ["size_category", "size_year"], batch_size=1000)
    return len(updates)
