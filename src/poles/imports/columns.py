"""What an import's columns are: labels in each language, aliases, what is required, what goes together.

One description per import kind serves the header matching, the preview, the errors (a missing
column is named as the user's language names it, never by its internal key) and the template files
people download to fill in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from poles.imports.headers import HeaderMatch, match_headers


def quoted(text: str) -> str:
    """Text between the quotation marks of the interface's language (“x” / « x »)."""
    return str(_("“%(text)s”") % {"text": text})


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import file."""

    key: str
    label: Promise | str
    """The header written in the template, in the interface's language (lazy translation)."""
    help: Promise | str
    """What to write in it, for the template's explanations and the preview."""
    aliases: frozenset[str] = frozenset()
    """Other headers accepted (French or English), before normalisation."""
    required: bool = False
    example: Any = None


@dataclass(frozen=True)
class Together:
    """Columns that need another: any of `columns` given needs `needs` (e.g. headcount → year of the figures)."""

    columns: tuple[str, ...]
    needs: str


@dataclass(frozen=True)
class Problem:
    """A whole-file problem found from the header alone."""

    column: str
    """The column as the user wrote it, or as their language names it when missing."""
    message: str
    keys: tuple[str, ...] = ()
    """The column keys concerned."""


@dataclass
class ImportKind:
    """An import kind (the members list, …): its columns and rules on them."""

    slug: str
    title: Promise | str
    columns: tuple[ColumnSpec, ...]
    together: tuple[Together, ...] = ()
    by_key: dict[str, ColumnSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.columns}

    @cached_property
    def aliases(self) -> dict[str, set[str]]:
        """Every accepted header per column: its aliases and its label in every interface language."""
        names: dict[str, set[str]] = {c.key: set(c.aliases) for c in self.columns}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for column in self.columns:
                    names[column.key].add(str(column.label))
        return names

    def match(self, headers: Iterable[str]) -> HeaderMatch:
        """How the written headers map to this kind's columns."""
        return match_headers(headers, self.aliases)

    def label(self, key: str, written: dict[str, str] | None = None) -> str:
        """A column as the user sees it: the header they wrote, else its label in their language."""
        if written and key in written:
            return written[key]
        spec = self.by_key.get(key)
        return str(spec.label) if spec else key

    def required(self) -> list[ColumnSpec]:
        return [c for c in self.columns if c.required]

    def needs_of(self, key: str) -> list[str]:
        """The columns `key` needs beside it."""
        return [t.needs for t in self.together if key in t.columns]

    def header_problems(self, match: HeaderMatch) -> tuple[list[Problem], list[Problem]]:
        """(required columns missing, columns given without the column they need), named for the user."""
        present = set(match.mapping.values())
        written = match.written
        missing = [
            Problem(self.label(c.key), _("the column “%(column)s” is required: %(help)s")
                    % {"column": self.label(c.key), "help": c.help}, (c.key,))
            for c in self.required() if c.key not in present
        ]
        incomplete = []
        for rule in self.together:
            keys = tuple(k for k in rule.columns if k in present)
            if keys and rule.needs not in present:
                given = [self.label(k, written) for k in keys]
                incomplete.append(Problem(", ".join(given), ngettext(
                    "the column %(given)s needs the column “%(needs)s” beside it: %(help)s",
                    "the columns %(given)s need the column “%(needs)s” beside them: %(help)s", len(given))
                    % {"given": ", ".join(quoted(g) for g in given), "needs": self.label(rule.needs),
                       "help": self.by_key[rule.needs].help}, keys))
        return missing, incomplete
