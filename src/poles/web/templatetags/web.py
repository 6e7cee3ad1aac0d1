"""Template helpers: sortable headers, page links, localised figures (the navigation is `poles.web.context`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from poles.web.querystring import with_params

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, field: str, text: str, numeric: bool = False) -> str:
    """A column header that links to the list sorted by it (toggling the direction)."""
    request = context["request"]
    current = context.get("sort", "")
    ascending = current == field
    descending = current == f"-{field}"
    target = f"-{field}" if ascending else field
    href = with_params(request, sort=target, page=None)
    cls = mark_safe(' class="num"') if numeric else ""  # a constant attribute, no user text
    if ascending or descending:
        return format_html(
            '<th scope="col"{} aria-sort="{}"><a href="{}">{} <span aria-hidden="true">{}</span></a></th>',
            cls, "ascending" if ascending else "descending", href, text,
            "▲" if ascending else "▼",
        )
    return format_html('<th scope="col"{}><a href="{}">{}</a></th>', cls, href, text)


@register.simple_tag(takes_context=True)
def page_url(context, page: int) -> str:
    """This list's URL at another page, other parameters kept."""
    return with_params(context["request"], page=page)


def _number(value, decimals: int) -> str:
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def num(value, decimals: int = 0) -> str:
    """A number with the language's grouping and decimal separator; a dash when unknown."""
    if value in (None, ""):
        return "—"
    return _number(Decimal(value), int(decimals))


@register.filter
def eur(value, decimals: int = 0) -> str:
    """An amount in euros written as the language writes money (1 234 € / €1,234)."""
    if value in (None, ""):
        return "—"
    figure = _number(Decimal(value), int(decimals))
    if (get_language() or "fr").startswith("en"):
        return f"€{figure}"
    return f"{figure}\u00a0€"


@register.filter
def meur(value) -> str:
    """An amount in millions of euros with one decimal (12,3 M€ / €12.3m)."""
    if value in (None, ""):
        return "—"
    figure = _number(Decimal(value) / Decimal(1_000_000), 1)
    if (get_language() or "fr").startswith("en"):
        return f"€{figure}m"
    return f"{figure}\u00a0M€"


@register.filter
def pct(value, decimals: int = 0) -> str:
    """A share (0–1) as a percentage in the language's format."""
    if value in (None, ""):
        return "—"
    figure = _number(Decimal(value) * 100, int(decimals))
    if (get_language() or "fr").startswith("fr"):
        return f"{figure}\u00a0%"
    return f"{figure}%"


@register.filter
def get(mapping, key):
    """mapping[key] in a template, None when absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def level_name(value: str) -> str:
    """An excellence-label level in the reader's language."""
    from poles.registry.models import Label

    return str(dict(Label.Level.choices).get(value or "", value))


@register.filter
def size_name(value: str) -> str:
    """A size category in the reader's language."""
    from poles.web.forms import SIZE_LABELS

    return str(SIZE_LABELS.get(value, value))


@register.simple_tag
def account_url(name: str) -> str:
    """An account page's URL, whether the accounts URLs are namespaced or not."""
    from django.urls import NoReverseMatch

    for candidate in (f"accounts:{name}", name):
        try:
            return reverse(candidate)
        except NoReverseMatch:
            continue
    return f"/accounts/{name}/"


@register.simple_tag(takes_context=True)
def layout_csrf_token(context) -> str:
    """The CSRF token of the layout (a placeholder when the page is rendered for the page cache)."""
    from poles.web.pagecache import csrf_placeholder_or_token

    return csrf_placeholder_or_token(context["request"])


def _field_kind(field) -> str:
    from django import forms

    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "upload"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "choices"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def field_kind(field) -> str:
    """Which DSFR form group a bound field takes: input, select, upload, checkbox or choices."""
    return _field_kind(field)


@register.simple_tag
def dsfr_control(field) -> str:
    """The field's widget with DSFR's class, pointing at its hint and error messages."""
    kind = _field_kind(field)
    css = {"input": "fr-input", "select": "fr-select", "upload": "fr-upload"}.get(kind, "")
    attrs: dict[str, str] = {}
    if css:
        attrs["class"] = f"{css} {css}--error" if field.errors else css
    described = ([f"{field.auto_id}_helptext"] if field.help_text else []) + (
        [f"{field.auto_id}_error"] if field.errors else [])
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


LABEL_BADGES = {"gold": "fr-badge--yellow-tournesol", "silver": "fr-badge--blue-cumulus",
                "bronze": "fr-badge--brown-caramel"}


@register.filter
def label_badge(level: str) -> str:
    """The DSFR badge colour of an excellence-label level (gold, silver, bronze)."""
    return LABEL_BADGES.get(level or "", "")


@register.filter
def import_summary(report) -> list[str]:
    """An import report's counts as sentences in the reader's language, one per table."""
    from poles.imports.base import summary

    return summary(report or {})


@register.filter
def label_title(label) -> str:
    """A label's name and level in the reader's language: the ESCA label's name is translated."""
    from poles.registry.models import Label

    name = label.name
    if label.kind == Label.Kind.EXCELLENCE and name.strip().lower() == EXCELLENCE_LABEL.lower():
        name = _("Cluster Management Excellence Label")
    if not label.level:
        return name
    return _("%(name)s, %(level)s level") % {"name": name, "level": level_name(label.level)}


EXCELLENCE_LABEL = "Cluster Management Excellence Label"
"""The ESCA label's name as the sources write it (in English)."""


@register.filter
def localized(obj, name: str):
    """A bilingual field (`<name>_fr` / `<name>_en`) in the reader's language, else the other one."""
    from poles.registry.content import localized as pick

    return pick(obj, name)


@register.filter
def pad(count: int, width: int) -> range:
    """The empty cells that fill a row of `count` cells up to `width` (for `{% for %}`)."""
    return range(max(0, int(width) - int(count or 0)))
