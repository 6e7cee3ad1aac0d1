"""Natural keys for organisations that sources give without an identifier.

ANR partners come as a name typed by applicants and a city. The key is the normalised name and
city: case, accents, punctuation, blanks, "Cedex" and arrondissement numbers do not count. Two
spellings that differ in words (acronym vs full name) stay two organisations: we do not guess.

Folding is Unicode case folding, not lower-casing, applied before and after the NFKD
decomposition that strips accents, so that every capitalisation of a name gives one key
("Großostheim", "GROSSOSTHEIM" and "Grossostheim" alike). Latin letters that NFKD does not
decompose (œ, æ, ø, ł, đ, þ, dotless ı…) are spelt out; letters of other scripts are kept.
Plain ASCII names keep the keys earlier versions stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

KEY_MAX = 255
_NON_WORD = re.compile(r"[\W_]+")
_CEDEX = re.compile(r"\bcedex\b.*$")
_ARRONDISSEMENT = re.compile(r"\b[0-9]{1,2}(e|er|eme)?\b")
# Case-folded Latin letters without a canonical decomposition, as French writes them in ASCII.
_LATIN = str.maketrans({
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ɨ": "i",
})


def _strip_marks(text: str) -> str:
    """NFKD without combining marks: 'é' → 'e', 'ﬁ' → 'fi', '²' → '2'."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _ascii_digits(text: str) -> str:
    """Decimal digits of any script as ASCII digits ('٣' → '3')."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                   for ch in text)


def fold(text: str) -> str:
    """Case-folded words without accents separated by single spaces; the same for any capitalisation."""
    folded = _strip_marks((text or "").casefold().translate(_LATIN))
    folded = _strip_marks(folded.casefold().translate(_LATIN))
    folded = _ascii_digits(folded).replace("&", " et ")
    return _NON_WORD.sub(" ", folded).strip()


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
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"{key[:KEY_MAX - 17]}~{digest}"
