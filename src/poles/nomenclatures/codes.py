"""Pure rules for NACE and NAF codes: our NACE key convention and tolerant NAF parsing.

NACE keys carry their section letter so that every level is unique and sorts under its section:
section "C", division "C26", group "C26.1", class "C26.11". NAF sub-classes keep INSEE's form
"26.11Z"; their NACE class is the key of their first four digits ("C26.11").
"""

from __future__ import annotations

import re

_NACE_NUMBER = re.compile(r"^[0-9]{2}(\.[0-9]{1,2})?$")
_NAF_TEXT = re.compile(r"^\s*([0-9]{2})[.\s]?([0-9]{2})\s*([A-Za-z])\s*$")


def nace_key(number: str, section: str) -> str:
    """Our key for a NACE item: the section letter, then the division/group/class digits."""
    if not re.fullmatch(r"[A-U]", section):
        raise ValueError(f"section must be one letter A–U, found {section!r}")
    if number == section:
        return section
    if not _NACE_NUMBER.match(number):
        raise ValueError(
            f"NACE division, group or class expected (26, 26.1, 26.11), found {number!r}"
        )
    return f"{section}{number}"


def nace_level(key: str) -> int:
    """1 for a section key (C), 2 division (C26), 3 group (C26.1), 4 class (C26.11)."""
    if re.fullmatch(r"[A-U]", key):
        return 1
    match = re.fullmatch(r"[A-U][0-9]{2}(?:\.([0-9]{1,2}))?", key)
    if not match:
        raise ValueError(f"not a NACE key (C, C26, C26.1, C26.11): {key!r}")
    return 2 if match.group(1) is None else 2 + len(match.group(1))


def nace_parent(key: str) -> str | None:
    """The key one level up (C26.11 → C26.1 → C26 → C), None for a section."""
    level = nace_level(key)
    if level == 1:
        return None
    if level == 2:
        return key[0]
    if level == 3:
        return key[:-2]
    return key[:-1]


def normalise_naf(text: str) -> str | None:
    """A NAF rév.2 sub-class as sources write it (2611Z, 26.11z, ' 26.11 Z') → '26.11Z', else None."""
    match = _NAF_TEXT.match(text or "")
    if not match:
        return None
    return f"{match.group(1)}.{match.group(2)}{match.group(3).upper()}"
