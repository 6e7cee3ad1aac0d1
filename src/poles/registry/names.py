"""Natural keys for organisations that sources give without an identifier.

ANR partners come as a name typed by applicants and a city. The key is the normalised name and
city: case, accents, punctuation, blanks, "Cedex" and arrondissement numbers do not count. Two
spellings that differ in words (acronym vs full name) stay two organisations: we do not guess.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

KEY_MAX = 255
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CEDEX = re.compile(r"\bcedex\b.*$")
_ARRONDISSEMENT = re.compile(r"\b\d{1,2}(e|er|eme)?\b")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    ascii_text = ascii_text.lower().replace("&", " et ")
    return _NON_WORD.sub(" ", ascii_text).strip()


def fold_city(city: str) -> str:
    """A city name without Cedex, postcodes or arrondissement numbers: 'Paris Cedex 13' → 'paris'."""
    text = _CEDEX.sub("", fold(city))
    text = _ARRONDISSEMENT.sub(" ", text)
    text = re.sub(r"\b(st)\b", "saint", text)
    text = re.sub(r"\b(ste)\b", "sainte", text)
    return " ".join(text.split())


def name_key(name: str, city: str = "") -> str:
    """`name:<folded name>|<folded city>`, hashed at the tail when longer than the key column."""
    key = f"name:{fold(name)}|{fold_city(city)}"
    if len(key) <= KEY_MAX:
        return key
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return f"{key[:KEY_MAX - 17]}~{digest}"
