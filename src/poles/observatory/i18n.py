"""The observatory's language: French first, English complete, with the standard library's gettext.

The catalogs ship inside the package (`locale/{fr,en}/LC_MESSAGES/observatory.po`, compiled to
`.mo` and committed like the Django catalogs); msgids are English. The language is, in order:
`activate(code)` (the command line's `--lang`), else `POLES_LANGUAGE`, else the first of
`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` that names French or English (`C`/`POSIX` name
neither), else French. A catalog is read once per language, on the first message (a small file:
well under a millisecond); `gettext` itself is already imported by argparse.

Only what people read goes through here: console tables, notes, help, progress and error
messages. Files written (CSV, Parquet, JSON) keep codes, keys and '.' decimals.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "observatory"
LANGUAGES = ("fr", "en")
DEFAULT = "fr"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENVIRONMENT = ("POLES_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

_active: str | None = None
_catalogs: dict[str, _gettext.NullTranslations] = {}


def language_from(environ: Mapping[str, str]) -> str:
    """The language the environment asks for: `fr` or `en` (French when nothing names either)."""
    for name in ENVIRONMENT:
        for entry in environ.get(name, "").split(":"):
            code = entry.strip().lower()[:2]
            if code in LANGUAGES and (len(entry) == 2 or entry[2:3] in ("_", "-", ".", "@")):
                return code
    return DEFAULT


def activate(code: str | None) -> str:
    """Use `code` (`fr`, `en`; None: the environment's choice) from now on; returns it."""
    global _active
    if code is not None and code not in LANGUAGES:
        raise ValueError(f"language must be fr or en; found {code!r}")
    _active = code or language_from(os.environ)
    return _active


def get_language() -> str:
    """The active language (chosen from the environment on first use)."""
    return _active if _active is not None else activate(None)


def _catalog() -> _gettext.NullTranslations:
    code = get_language()
    catalog = _catalogs.get(code)
    if catalog is None:
        # the file itself, not gettext.translation(): that one imports `locale` (1-2 ms)
        try:
            with (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
                catalog = _gettext.GNUTranslations(handle)
        except OSError:  # pragma: no cover - a broken install: the English msgids
            catalog = _gettext.NullTranslations()
        _catalogs[code] = catalog
    return catalog


def _(message: str) -> str:
    """`message` (an English msgid) in the active language."""
    return _catalog().gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the active language."""
    return _catalog().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a msgid for the catalog where it is defined; translated later with `_()`."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural msgid pair for the catalog; translated later with `ngettext()`."""
    return singular, plural


def number(value: float, digits: int = 0) -> str:
    """`1 234,5` in French (narrow no-break space, decimal comma), `1,234.5` in English."""
    text = f"{value:,.{digits}f}"
    if get_language() == "en":
        return text
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def decimal(value: float, digits: int = 2) -> str:
    """A ratio such as an LQ: `1,52` in French, `1.52` in English (no thousands separator)."""
    text = f"{value:.{digits}f}"
    return text if get_language() == "en" else text.replace(".", ",")


def percent(fraction: float, digits: int = 1) -> str:
    """A share as a percentage: `4,1 %` in French (no-break space), `4.1%` in English."""
    text = number(100 * fraction, digits)
    return f"{text}%" if get_language() == "en" else f"{text}{NBSP}%"


#: argparse's own messages (Python 3.11+), translated through this catalog while the command
#: line is parsed: usage, section titles, the errors it raises.
ARGPARSE = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
)
ARGPARSE_PLURALS = (N_plural("expected %s argument", "expected %s arguments"),)


@contextmanager
def argparse_messages() -> Iterator[None]:
    """argparse speaks the active language inside the block (its `_` and `ngettext` swapped)."""
    import argparse

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    setattr(argparse, "_", _)  # noqa: B010
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010
