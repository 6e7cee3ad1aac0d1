"""A reason in French and English: what every pure rule returns beside pass or fail.

Pure modules import no Django, so they cannot use gettext; each reason is written in both
languages where it is made, and the page or e-mail picks the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One sentence in French and in English."""

    fr: str
    en: str

    def text(self, language: str = "fr") -> str:
        """The sentence in `language` (French unless the code starts with "en")."""
        return self.en if language.lower().startswith("en") else self.fr

    def as_dict(self) -> dict[str, str]:
        """JSON form, as stored in submissions and decisions."""
        return {"fr": self.fr, "en": self.en}
