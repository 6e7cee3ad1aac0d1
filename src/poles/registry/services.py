"""Register services that keep derived fields true to the rules (size categories)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from poles.core.bulk import chunks
from poles.registry.categories import (
    Figures,
    Holding,
    Links,
    SizeCategory,
    enterprise_figures,
    size_category,
)
from poles.registry.models import Organisation, OrganisationFigures


def register_links() -> Links:
    """Every holding the register records (`group_head` with its `group_share`), in one query."""
    return Links(
        Holding(holder=head, held=pk, share=share)
        for pk, head, share in Organisation.objects.filter(group_head__isnull=False)
        .values_list("pk", "group_head_id", "group_share")
    )


def refresh_size_categories(organisation_ids: Iterable[int]) -> int:
    """Recompute the stored size category of these organisations and of every one they enter; returns changes.

    Any organisation with figures gets one (2003/361 art. 1: an enterprise is any entity
    engaged in an economic activity, whatever its legal form), as the web form and the demo do.
    The latest year with figures of the organisation is used; its whole group (every enterprise
    linked to it through control holdings, up to the head and down every branch) counts in full
    and its partner groups (25–50 % holdings) pro rata, for that same year
    (`poles.registry.categories`). One of them without figures for that year makes the category
    UNKNOWN (2003/361 art. 6: never a guess). Three reads and one write per category and year
    changed, whatever the number of organisations.
    """
    ids = set(organisation_ids)
    if not ids:
        return 0
    links = register_links()
    affected = set().union(*(links.measured_with(pk) for pk in ids))
    needed = set().union(*(links.measured_with(pk) for pk in affected))
    figures: dict[int, dict[int, Figures]] = defaultdict(dict)
    for pk, year, staff, turnover, balance_sheet in OrganisationFigures.objects.filter(
        organisation_id__in=needed
    ).values_list("organisation_id", "year", "staff", "turnover", "balance_sheet"):
        figures[pk][year] = Figures(staff=staff, turnover=turnover, balance_sheet=balance_sheet)
    updates: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for pk, stored, stored_year in Organisation.objects.filter(pk__in=affected).values_list(
        "pk", "size_category", "size_year"
    ):
        own = figures.get(pk, {})
        category, year = SizeCategory.UNKNOWN, None
        if own:
            year = max(own)
            of_year = {other: figures[other][year] for other in links.measured_with(pk)
                       if year in figures.get(other, {})}
            category = size_category(enterprise_figures(pk, of_year, links))
        if stored != category.value or stored_year != year:
            updates[category.value, year].append(pk)
    for (category_value, year), pks in updates.items():  # one statement per category and year
        for chunk in chunks(sorted(pks), 5000):
            Organisation.objects.filter(pk__in=chunk).update(size_category=category_value, size_year=year)
    return sum(len(pks) for pks in updates.values())
