"""The indicator engine's input errors in the reader's language (the engine raises them typed, in English)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from poles.core.i18n import in_every_language
from poles.indicators.engine import ScopeError

SCOPE_MESSAGES = {
    "kind": _("scope: expected one of %(kinds)s, found %(found)s"),
    "nation_key": _("scope: the nation takes no key, found %(found)s"),
    "no_key": _("scope: expected %(kind)s:KEY, found no key"),
    "empty": _("scope: no cluster in %(scope)s (check the %(kind)s key)"),
}


def scope_message(error: ScopeError) -> str:
    """The error in the active language."""
    return str(SCOPE_MESSAGES[error.problem]) % error.params


def scope_message_everywhere(error: ScopeError) -> str:
    """The error in every language, French first, on one line (the CLI: its reader's language is unknown)."""
    return in_every_language(lambda: scope_message(error), separator=" / ")
