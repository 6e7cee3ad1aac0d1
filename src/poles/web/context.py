"""Context processors of the layout: the main navigation, the brand, and whether the register is a demo."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from poles.web.pagecache import generational
from poles.web.spaces import spaces_of

BRANDS = ("neutral", "state")

# URL names of the pages that belong to each public section (the tab is current on any of them).
SECTIONS: dict[str, set[str]] = {
    "home": {"home"},
    "directory": {"directory", "cluster_profile"},
    "map": {"map"},
    "projects": {"projects", "project_detail"},
    "calls": {"calls"},
    "programme": {"programme", "programme_compare"},
}


@dataclass(frozen=True)
class NavItem:
    """One tab of the main navigation: its text, address and whether the page belongs to it."""

    key: str
    label: str
    url: str
    current: bool = False


def _current_name(request: HttpRequest) -> tuple[str, dict]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", {}
    return match.url_name or "", match.kwargs


def build_nav_items(request: HttpRequest) -> list[NavItem]:
    """The tabs of the main navigation for this request's user, the current one marked."""
    name, kwargs = _current_name(request)
    items = [
        NavItem(key, str(label), reverse(key), name in SECTIONS.get(key, {key}))
        for key, label in (
            ("home", _("Home")),
            ("directory", _("Cluster directory")),
            ("map", _("Map")),
            ("projects", _("Projects")),
            ("calls", _("Calls for projects")),
        )
    ]
    spaces = spaces_of(getattr(request, "user", None))
    for cluster in spaces.clusters:
        current = name.startswith("workspace") and kwargs.get("slug") == cluster.slug
        items.append(NavItem(f"workspace:{cluster.slug}",
                             f"{_('Workspace')} · {cluster.short_name or cluster.name}",
                             reverse("workspace", kwargs={"slug": cluster.slug}), current))
    if spaces.programme:
        items.append(NavItem("programme", str(_("Programme")), reverse("programme"),
                             name in SECTIONS["programme"]))
    return items


def nav_items(request: HttpRequest) -> dict:
    """`nav_items`: the main navigation's tabs, computed only when a template shows them."""
    return {"nav_items": SimpleLazyObject(lambda: build_nav_items(request))}


def is_demo_register() -> bool:
    """True when the register holds generated clusters (built by `poles demo`): its figures are not facts."""
    from poles.registry.models import Cluster

    try:
        key = generational("web:demo-register")
        known = cache.get(key)
        if known is None:
            known = Cluster.objects.filter(is_generated=True).exists()
            cache.set(key, known, 600)
    except DatabaseError:  # a busy database: the 503 page still renders, without the banner
        return False
    return bool(known)


def brand() -> str:
    """The configured brand: "state" (Marianne block and font, State-run sites only) or "neutral"."""
    value = getattr(settings, "POLES_BRAND", "neutral")
    return value if value in BRANDS else "neutral"


def layout(request: HttpRequest) -> dict:
    """`brand` and `demo_register` for the layout (the demo flag is read lazily, once per generation)."""
    return {"brand": brand(), "demo_register": SimpleLazyObject(is_demo_register)}
