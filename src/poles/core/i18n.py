"""Text for readers whose language is unknown (e-mails): every configured language, French first."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import override

SEPARATOR = "\n\n— — —\n\n"


def in_every_language(render: Callable[[], str], separator: str = SEPARATOR) -> str:
    """`render()` once per language of settings.LANGUAGES (the default first), joined by `separator`."""
    codes = [settings.LANGUAGE_CODE] + [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    texts = []
    for code in codes:
        with override(code):
            texts.append(render())
    return separator.join(dict.fromkeys(texts))
