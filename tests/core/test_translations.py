"""Every user-visible string exists in French and English, and none bypasses gettext.

Four checks, each failing with the list of offending strings and how to fix them:
1. the msgids Django's `makemessages` extracts from code and templates all have a non-empty,
   non-fuzzy entry in the French and English catalogs;
2. templates show no text outside {% translate %} / {% blocktranslate %};
3. the messages that reach users from Python (API problems, permission refusals, import row
   errors, form errors, filter errors) are never plain literals or f-strings;
4. a sample of those messages, produced under French, reads as the French catalog says.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "poles"
CATALOGS = {code: SRC / "locale" / code / "LC_MESSAGES" / "django.po" for code in ("fr", "en")}
HOW_TO_FIX = (
    "Fix: wrap the text in gettext (`_()` / `ngettext()` in Python, {% translate %} / "
    "{% blocktranslate %} in templates), then add an entry at the END of "
    "src/poles/locale/fr/LC_MESSAGES/django.po (French msgstr) and "
    "src/poles/locale/en/LC_MESSAGES/django.po (English msgstr), and run "
    "`.venv/bin/poles compilemessages`."
)
WORD = re.compile(r"[^\W\d_]{2,}")


def translated(entry: polib.POEntry | None) -> bool:
    """True for an entry with every msgstr filled and no fuzzy flag."""
    if entry is None or entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def missing(extracted: polib.POFile, catalog: polib.POFile) -> list[str]:
    """The extracted msgids the catalog lacks or leaves empty or fuzzy."""
    known = {(e.msgctxt, e.msgid): e for e in catalog}
    return [e.msgid for e in extracted if e.msgid and not translated(known.get((e.msgctxt, e.msgid)))]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The msgids of src/poles, as `makemessages` extracts them, in a copy of the tree."""
    root = tmp_path_factory.mktemp("extract") / "poles"
    shutil.copytree(SRC, root, ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "data"))
    # the observatory never imports Django: its messages are in its own catalog
    # (src/poles/observatory/locale, checked by tests/observatory/test_i18n.py)
    shutil.rmtree(root / "observatory")
    (root / "locale").mkdir()
    here = Path.cwd()
    try:
        os.chdir(root)
        call_command("makemessages", locale=["xx"], no_location=True, no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    return polib.pofile(str(root / "locale" / "xx" / "LC_MESSAGES" / "django.po"))


def test_extraction_finds_the_apps_strings(extracted):
    assert len(extracted) > 500
    assert any(e.msgid == "Audit trail" for e in extracted)


@pytest.mark.parametrize("code", ["fr", "en"])
def test_every_extracted_msgid_is_translated(extracted, code):
    absent = missing(extracted, polib.pofile(str(CATALOGS[code])))
    assert not absent, (
        f"{len(absent)} msgid(s) have no {code} translation (absent, empty or fuzzy):\n"
        + "\n".join(f"  {m!r}" for m in absent) + "\n" + HOW_TO_FIX
    )


def test_the_check_fails_on_a_removed_translation(extracted):
    catalog = polib.pofile(str(CATALOGS["fr"]))
    before = set(missing(extracted, catalog))
    entry = catalog.find("Audit trail")
    assert entry is not None and "Audit trail" not in before
    entry.msgstr = ""
    assert set(missing(extracted, catalog)) - before == {"Audit trail"}
    entry.msgstr, entry.flags = "Journal", ["fuzzy"]
    assert set(missing(extracted, catalog)) - before == {"Audit trail"}
    entry.flags, entry.obsolete = [], True
    assert set(missing(extracted, catalog)) - before == {"Audit trail"}


# -- templates ----------------------------------------------------------------------------------

HOLE = "\f"
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription"}
TEMPLATE_ALLOWED = {
    # the language switcher names each language in itself; formats and the product's name
    "Français", "English", "FR", "EN", "CSV", "XLSX", "SVG", "PNG", "poles",
    # the State's brand block (DSFR) reads "République française" in every language
    "République", "Française",
}
BILINGUAL_TEMPLATES = {"500.html"}
"""Rendered without the i18n machinery (server error), so written in both languages."""
_ENTITY = re.compile(r"&[#\w]+;")


def flatten(source: str) -> str:
    """The template's literal text, with every tag, variable and translated block as a hole."""
    out: list[str] = []
    until = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT and until is None:
            out.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if until is not None and name == until:
                until = None
            elif until is None and name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                until = "end" + name
        out.append(HOLE)
    return "".join(out)


class _VisibleText(HTMLParser):
    """Collects text a reader sees or hears: element text and the visible attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self.raw = 0

    def handle_starttag(self, tag, attrs):
        self.raw += tag in ("script", "style")
        for key, value in attrs:
            if key in VISIBLE_ATTRIBUTES and value:
                self.check(value)

    def handle_endtag(self, tag):
        self.raw -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.raw:
            self.check(data)

    def check(self, text: str) -> None:
        for part in text.split(HOLE):
            words = " ".join(_ENTITY.sub(" ", part).split())
            if WORD.search(words) and words not in TEMPLATE_ALLOWED:
                self.found.append(words)


def untranslated_text(source: str) -> list[str]:
    """The visible text of a template written outside the translation tags."""
    parser = _VisibleText()
    parser.feed(flatten(source))
    parser.close()
    return parser.found


def test_the_template_scan_sees_bare_text():
    assert untranslated_text('<p title="Open">{% translate "Yes" %} Members</p>') == ["Open", "Members"]
    assert untranslated_text('<td{% if x %} class="num"{% endif %}>{{ v }} · —</td>') == []
    assert untranslated_text("{% blocktranslate %}Hello {{ n }}{% endblocktranslate %}<script>var a;</script>") == []


def test_templates_show_no_text_outside_translation_tags():
    found = [
        f"{path.relative_to(SRC)}: {text!r}"
        for path in sorted(SRC.rglob("templates/**/*"))
        if path.suffix in (".html", ".txt") and path.name not in BILINGUAL_TEMPLATES
        for text in untranslated_text(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Visible text outside {% translate %}:\n" + "\n".join(found) + "\n" + HOW_TO_FIX


# -- Python messages ----------------------------------------------------------------------------

MESSAGE_ARGUMENT = {
    # callable name → position of the message a user reads
    "Problem": 1, "problem": 2, "PermissionDenied": 0, "Http404": 0, "HttpError": 1,
    "AuthenticationError": 0, "FilterError": 0, "ValidationError": 0, "InvalidIdentifier": 0,
    "RowError": 2, "error": 2, "add_error": 1, "ImportFailed": 0,
}
MESSAGE_KEYWORDS = {"detail", "reason", "message"}
USER_VALUE_ERRORS = ("imports/",)
"""Where a ValueError's text becomes a row error a user reads (elsewhere it is a programming error)."""
NOT_USER_FACING = ("observatory/", "demo/", "migrations/", "management/", "cli.py", "settings.py", "env.py")
LOGGERS = {"log", "logger", "logging"}


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def bare(node: ast.expr) -> bool:
    """True for text built without gettext: a literal, an f-string, `%`/`+`/.format on a literal."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and WORD.search(node.value) is not None
    if isinstance(node, ast.JoinedStr):
        return any(bare(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return bare(node.left) or (isinstance(node.op, ast.Add) and bare(node.right))
    if isinstance(node, ast.BoolOp):
        return any(bare(v) for v in node.values)
    if isinstance(node, ast.IfExp):
        return bare(node.body) or bare(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return bare(node.func.value)
    return False


def bare_messages(source: str, relative: str) -> list[str]:
    """`file:line: call: text` for each user message built without gettext in a module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if isinstance(node.func, ast.Attribute) and _name(node.func.value) in LOGGERS:
            continue
        if name == "ValueError" and relative.startswith(USER_VALUE_ERRORS):
            position = 0
        elif name in ("success", "info", "warning") and _name(getattr(node.func, "value", None)) == "messages":
            position = 1
        elif name in MESSAGE_ARGUMENT:
            position = MESSAGE_ARGUMENT[name]
        else:
            continue
        candidates = node.args[position:position + 1] + [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
        found += [f"{relative}:{node.lineno}: {name}: {ast.unparse(a)[:120]}" for a in candidates if bare(a)]
    return found


def test_the_python_scan_sees_bare_messages():
    source = (
        "raise Problem(404, 'no such thing')\n"
        "raise Problem(404, _('no such thing'))\n"
        "self.error(3, 'pic', f'expected {n} digits')\n"
        "self.error(3, 'pic', _('expected %(n)s digits') % {'n': n})\n"
        "log.warning('not for users %s', x)\n"
        "raise ValueError('expected a number')\n"
    )
    assert [line.split(":")[1] for line in bare_messages(source, "imports/x.py")] == ["1", "3", "6"]
    assert len(bare_messages(source, "core/x.py")) == 2


def test_python_messages_to_users_go_through_gettext():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if any(part in relative for part in NOT_USER_FACING):
            continue
        found += bare_messages(path.read_text(encoding="utf-8"), relative)
    assert not found, "Messages shown to users but built without gettext:\n" + "\n".join(found) + "\n" + HOW_TO_FIX


# -- messages as users receive them ------------------------------------------------------------


def _in(code: str, make):
    with translation.override(code):
        return make()


def _error_of(parse, value) -> str:
    try:
        parse(value)
    except ValueError as error:
        return str(error)
    raise AssertionError(f"{value!r} parsed")


def _samples():
    """(what, producer) pairs: each producer returns a message a user reads."""
    from poles.api.problems import title, validation_detail
    from poles.imports import values
    from poles.imports.base import ImportFailed, ImportReport, RowError, summary
    from poles.registry.identifiers import clean_siren

    report = ImportReport(source="members")
    report.add_error(RowError(3, "effectif", "x", "abc"))
    return [
        ("number", lambda: _error_of(values.parse_decimal, "abc")),
        ("whole number", lambda: _error_of(values.parse_int, "1.5")),
        ("date", lambda: _error_of(values.parse_date, "yesterday")),
        ("Luhn", lambda: _error_of(clean_siren, "123456780")),
        ("row error", lambda: str(RowError(3, "effectif", _error_of(values.parse_decimal, "abc"), "abc"))),
        ("import failed", lambda: str(ImportFailed(report))),
        ("summary", lambda: " / ".join(summary({"created": {"organisations": 2}, "updated": {"memberships": 1}}))),
        ("problem title", lambda: title(404)),
        ("validation", lambda: validation_detail([{"loc": ["query", "year"], "msg": "x", "type": "int_parsing"}])),
    ]


@pytest.mark.parametrize("index", range(9))
def test_messages_read_in_french_under_french(index):
    what, make = _samples()[index]
    french, english = _in("fr", make), _in("en", make)
    assert french != english, f"{what}: the same text in French and English: {french!r}\n{HOW_TO_FIX}"


def test_import_summary_uses_plural_forms():
    from poles.imports.base import summary

    counts = {"created": {"organisations": 2, "memberships": 1}}
    assert _in("fr", lambda: summary(counts)) == ["Organisations : 2 lignes créées", "Adhésions : 1 ligne créée"]
    assert _in("en", lambda: summary(counts)) == ["Organisations: 2 rows created", "Memberships: 1 row created"]


@pytest.mark.django_db
def test_permission_reasons_and_api_problems_are_french(api_as, register):
    from poles.access.permissions import can

    allowed, reason = can(None, "change", register.cluster_a)
    assert not allowed
    assert _in("fr", lambda: str(reason)) != _in("en", lambda: str(reason))
    answers = {
        "fr": api_as("anonymous").get("/api/v1/audit", HTTP_ACCEPT_LANGUAGE="fr").json(),
        "en": api_as("anonymous").get("/api/v1/audit", HTTP_ACCEPT_LANGUAGE="en").json(),
    }
    assert answers["fr"]["title"] == "Connexion requise" and answers["en"]["title"] == "Login required"
    assert answers["fr"]["detail"].startswith("Connectez-vous")
    bad = api_as("manager").get("/api/v1/organisations?ordering=nope", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert "champ « nope » inconnu" in bad["detail"], bad
