"""Profile text in French and English: which language a text is in, and which version a reader gets.

Bilingual content fields come in pairs (`mission_fr` / `mission_en`); sources give a profile in
one language, so a reader may get the other one, marked as not translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

LANGUAGES = ("fr", "en")
DEFAULT = "fr"
_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüœ’']+")
_MARKERS = {
    "fr": frozenset(
        ["le", "la", "les", "des", "du", "un", "une", "et", "est", "sont", "dans", "pour", "par", "sur", "avec", "au", "aux", "ce", "cette", "ses", "son", "sa", "qui", "que", "il", "elle", "ils", "en", "pôle", "pôles", "entreprises", "recherche", "été", "d’", "l’", "d'", "l'"]
    ),
    "en": frozenset(
        ["the", "and", "of", "to", "is", "are", "in", "for", "with", "by", "on", "its", "it", "this", "that", "which", "from", "as", "at", "an", "be", "has", "have", "cluster", "clusters", "companies", "research"]
    ),
}


def detect_language(text: str) -> str | None:
    """'fr' or 'en' by counting each language's common words; None for text too short to tell."""
    words = _WORD.findall(text.lower())
    scores = {code: sum(1 for w in words if w in markers) for code, markers in _MARKERS.items()}
    scores["fr"] += sum(1 for w in words if w.startswith(("d’", "l’", "d'", "l'", "qu’", "qu'")))
    best = max(scores, key=lambda code: scores[code])
    if scores[best] < 2 or list(scores.values()).count(scores[best]) > 1:
        return None
    return best


def text_of(value: Any) -> str:
    """The text of a content value: a string, or a list of strings joined."""
    if isinstance(value, list | tuple):
        return " ; ".join(str(v) for v in value)
    return str(value or "")


@dataclass(frozen=True)
class Localized:
    """One version of a bilingual field: its value, its language, and whether it is the reader's."""

    value: Any
    language: str
    translated: bool

    def __str__(self) -> str:
        return text_of(self.value)


def reader_language() -> str:
    """The active language reduced to one of LANGUAGES (French when unknown)."""
    code = (get_language() or DEFAULT)[:2]
    return code if code in LANGUAGES else DEFAULT


def localized(obj: Any, name: str, language: str | None = None) -> Localized:
    """`obj.<name>_<language>`, or the other language's version (not translated) when it is empty."""
    wanted = language or reader_language()
    for code in (wanted, *[c for c in LANGUAGES if c != wanted]):
        value = getattr(obj, f"{name}_{code}")
        if value:
            return Localized(value, code, code == wanted)
    return Localized(getattr(obj, f"{name}_{wanted}"), wanted, True)


def assign(obj: Any, name: str, value: Any, language: str | None = None) -> str:
    """Store `value` in the field of its language (given, else detected, else French); returns it."""
    code = language or detect_language(text_of(value)) or DEFAULT
    setattr(obj, f"{name}_{code}", value)
    return code


def bilingual(name: str, doc: str) -> property:
    """A model property reading `name` in the reader's language; setting it stores the text in its own
    language and empties the other (a new text from one source replaces both versions)."""

    def get(obj: Any) -> Any:
        return localized(obj, name).value

    def put(obj: Any, value: Any) -> None:
        code = assign(obj, name, value)
        for other in LANGUAGES:
            if other != code:
                setattr(obj, f"{name}_{other}", type(value)() if isinstance(value, list | str) else None)

    return property(get, put, doc=doc)
