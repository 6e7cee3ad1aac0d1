"""Column headers as people write them, matched to the columns an import knows.

One normaliser (`normalise_header`) decides when two headers are the same column: typographic
apostrophes and quotes (’ ‘ ʼ ´ ` « » “ ”, as Word and Excel write them), non-breaking and thin
spaces, dashes, case and accents do not count; punctuation and spaces separate words. So
`Chiffre d’affaires`, `chiffre d'affaires` and `CHIFFRE D AFFAIRES` are one column. A header that
matches nothing is returned as unknown, never dropped without a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

APOSTROPHES = "\u2019\u2018\u02bc\u02bb\u02bd\u00b4`\u2032\u201b\u02b9\uff07\u0060"
"""Characters written for an apostrophe: right/left single quotes, modifier letters, acute, grave, prime."""
QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2039\u203a\u2033\uff02"
"""Characters written for a double quote: guillemets, curly double quotes, double prime."""
SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
"""Non-breaking, narrow and other fixed-width spaces."""
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Zero-width characters, the byte-order mark and the soft hyphen: nothing a reader sees."""
LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"}

TYPOGRAPHY = str.maketrans(
    {c: "'" for c in APOSTROPHES} | {c: '"' for c in QUOTES} | {c: " " for c in SPACES}
    | {c: "-" for c in DASHES} | {c: None for c in INVISIBLE} | LIGATURES
)
_SEPARATORS = re.compile(r"[\W_]+")


def fold_typography(text: str) -> str:
    """Typographic apostrophes, quotes, spaces and dashes as their plain ASCII forms."""
    return text.translate(TYPOGRAPHY)


def normalise_header(text: Any) -> str:
    """Case-, accent- and typography-free words joined by underscores: 'Chiffre d’affaires' → 'chiffre_d_affaires'."""
    value = fold_typography("" if text is None else str(text))
    value = unicodedata.normalize("NFKD", value.casefold())
    value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    return _SEPARATORS.sub("_", value).strip("_")


@dataclass
class HeaderMatch:
    """How a file's header was understood: each written header → its column, or why it is ignored."""

    mapping: dict[str, str] = field(default_factory=dict)
    """Written header → column key, for the headers used."""
    unknown: list[str] = field(default_factory=list)
    """Headers that name no known column, as written."""
    duplicates: dict[str, str] = field(default_factory=dict)
    """Written header → the earlier written header that already gives the same column."""

    @property
    def ignored(self) -> list[str]:
        """Every header not used, unknown or a second name for a column, in file order."""
        return self.unknown + [h for h in self.duplicates if h not in self.unknown]

    @property
    def written(self) -> dict[str, str]:
        """Column key → the header as the file writes it."""
        return {key: header for header, key in self.mapping.items()}


def match_headers(headers: Iterable[str], aliases: Mapping[str, Iterable[str]]) -> HeaderMatch:
    """Match written headers to column keys through their aliases (and the keys themselves)."""
    lookup: dict[str, str] = {}
    for column, names in aliases.items():
        for alias in (column, *names):
            lookup.setdefault(normalise_header(alias), column)
    match = HeaderMatch()
    first: dict[str, str] = {}
    for header in headers:
        if header is None or not str(header).strip():
            continue
        key = lookup.get(normalise_header(header))
        if key is None:
            match.unknown.append(header)
        elif key in first:
            match.duplicates[header] = first[key]
        else:
            first[key] = header
            match.mapping[header] = key
    return match
