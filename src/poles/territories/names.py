"""Pure normalisers of French place names, so sources match the reference lists however written."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE"}
_ORDINAL = re.compile(r"^[0-9]+(E|ER|ERE|EME|ME|EM)?$")
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Upper-case ASCII words separated by single spaces: no accents, hyphens or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", ascii_text.upper()).strip()


def normalise_city(text: str) -> str:
    """A city as written in a source (`St-Étienne Cedex 2`, `PARIS 13`) folded to its commune key."""
    words = [_ABBREVIATIONS.get(word, word) for word in fold(text).split()]
    if "CEDEX" in words:
        words = words[: words.index("CEDEX")]
    while len(words) > 1 and (words[-1] == "ARRONDISSEMENT" or _ORDINAL.match(words[-1])):
        words.pop()
    return " ".join(words)


def clean_postcode(text: str | int | None) -> str | None:
    """A French postcode as five ASCII digits (spreadsheets drop the leading 0 of 01400), else None."""
    written = str(text or "")
    if any(ch.isdigit() and ch not in "0123456789" for ch in written):
        return None
    digits = re.sub(r"[^0-9]", "", written)
    if len(digits) == 4:
        digits = "0" + digits
    return digits if len(digits) == 5 else None


def postcode_departements(postcode: str) -> tuple[str, ...]:
    """The département codes a postcode's prefix points to (20 → Corse's 2A and 2B; 97x overseas)."""
    code = postcode.strip()
    if not re.fullmatch(r"[0-9]{5}", code):
        return ()
    if code.startswith("20"):
        return ("2A", "2B")
    if code.startswith("97") or code.startswith("98"):
        return (code[:3],)
    return (code[:2],)


# Region names as sources write them, folded, → the INSEE code of today's region (2016 reform).
REGION_ALIASES: dict[str, str] = {
    fold(name): code
    for code, names in {
        "01": ["Guadeloupe"],
        "02": ["Martinique"],
        "03": ["Guyane", "Guyane française", "French Guiana"],
        "04": ["La Réunion", "Réunion", "Reunion Island"],
        "06": ["Mayotte"],
        "11": ["Île-de-France", "IDF", "Paris Region", "Région parisienne"],
        "24": ["Centre-Val de Loire", "Centre", "Région Centre"],
        "27": ["Bourgogne-Franche-Comté", "Bourgogne", "Franche-Comté", "Burgundy"],
        "28": ["Normandie", "Basse-Normandie", "Haute-Normandie", "Normandy"],
        "32": [
            "Hauts-de-France",
            "Nord-Pas-de-Calais",
            "Picardie",
            "Nord-Pas-de-Calais-Picardie",
            "Nord-Pas-de-Calais Picardie",
        ],
        "44": [
            "Grand Est",
            "Alsace",
            "Champagne-Ardenne",
            "Lorraine",
            "Alsace-Champagne-Ardenne-Lorraine",
            "ACAL",
        ],
        "52": ["Pays de la Loire"],
        "53": ["Bretagne", "Brittany"],
        "75": [
            "Nouvelle-Aquitaine",
            "Aquitaine",
            "Limousin",
            "Poitou-Charentes",
            "Aquitaine-Limousin-Poitou-Charentes",
            "ALPC",
        ],
        "76": [
            "Occitanie",
            "Languedoc-Roussillon",
            "Midi-Pyrénées",
            "Languedoc-Roussillon-Midi-Pyrénées",
            "LRMP",
        ],
        "84": ["Auvergne-Rhône-Alpes", "Auvergne", "Rhône-Alpes", "AURA"],
        "93": ["Provence-Alpes-Côte d'Azur", "PACA", "Région Sud", "Sud", "Provence"],
        "94": ["Corse", "Corsica", "Collectivité de Corse"],
    }.items()
    for name in names
}


def region_code_for_name(name: str) -> str | None:
    """The INSEE code of today's region for a current or pre-2016 region name, or None."""
    key = fold(name)
    if key.startswith("REGION ") and key not in REGION_ALIASES:
        key = key.removeprefix("REGION ")
    return REGION_ALIASES.get(key)
