"""Context processors of the layout: the main navigation, the brand, and whether the register is a demo."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from poles.web.navigation import nav_for, tools_for
from poles.web.pagecache import PLACEHOLDER, generational

BRANDS = ("neutral", "state")

@dataclass(frozen=True)
class NavItem:
    """One tab of the main navigation: its text, address and whether the page belongs to it."""

    key: str
    label: str
    url: str
    current: bool = False


def _links(items, request: HttpRequest) -> list[NavItem]:
    return [NavItem(i.key, i.text, i.url, i.is_current(request)) for i in items]


def build_nav_items(request: HttpRequest) -> list[NavItem]:
    """The tabs of the main navigation for this request's user (`navigation.nav_for`), the current one marked."""
    return _links(nav_for(getattr(request, "user", None)), request)


def nav_items(request: HttpRequest) -> dict:
    """`nav_items`: the main tabs; `nav_tools`: the user's own pages — computed only when shown.

    Both come from `poles.web.navigation`, which asks the permission layer: a tab is offered exactly
    when its page opens for the user.
    """
    user = getattr(request, "user", None)
    return {
        "nav_items": SimpleLazyObject(lambda: build_nav_items(request)),
        "nav_tools": SimpleLazyObject(lambda: _links(tools_for(user), request)),
    }


def cached_csrf(request: HttpRequest) -> dict:
    """While a page is rendered for the page cache, every `{% csrf_token %}` writes the placeholder
    that each reader's own token replaces when the page is served (`poles.web.pagecache`)."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, "_poles_page_cache", False) else {}


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
