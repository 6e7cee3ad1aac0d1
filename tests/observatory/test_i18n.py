"""`poles observatory` is French first and English complete, through its own gettext catalog.

1. every msgid marked in src/poles/observatory (`_`, `gettext`, `N_`, `ngettext`, `N_plural`)
   has a non-empty, non-fuzzy French and English entry, and the committed .mo say the same;
2. no error message of the package is built without gettext;
3. the language comes from --lang, POLES_LANGUAGE, LANGUAGE/LC_ALL/LC_MESSAGES/LANG, else French;
4. the command prints French or English tables, notes, help and errors, numbers in the reader's
   format, while the files it writes are the same byte for byte in both languages.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import importlib.util
import json
from pathlib import Path

import polib
import pytest

from poles.observatory import i18n
from poles.observatory.cli import main

PACKAGE = Path(i18n.__file__).resolve().parent
CATALOGS = {code: PACKAGE / "locale" / code / "LC_MESSAGES" / "observatory" for code in ("fr", "en")}
HOW_TO_FIX = (
    "Fix: add the entry at the END of src/poles/observatory/locale/fr/LC_MESSAGES/observatory.po "
    "(French msgstr) and of …/en/LC_MESSAGES/observatory.po (English msgstr), then "
    "`msgfmt -c -o observatory.mo observatory.po` in both folders."
)
SINGULAR = {"_", "gettext", "N_"}
PLURAL = {"ngettext", "N_plural"}


def _name(func: ast.expr | None) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def marked(source: str) -> set[tuple[str, ...]]:
    """The msgids (a 1-tuple, or singular and plural) marked with literal strings in a module."""
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _name(node.func) not in SINGULAR | PLURAL:
            continue
        n = 2 if _name(node.func) in PLURAL else 1
        args = node.args[:n]
        texts = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(texts) == n:
            found.add(tuple(texts))
    return found


@pytest.fixture(scope="module")
def msgids() -> set[tuple[str, ...]]:
    return {m for path in sorted(PACKAGE.rglob("*.py")) for m in marked(path.read_text("utf-8"))}


def untranslated(msgids: set[tuple[str, ...]], catalog: polib.POFile) -> list[str]:
    entries = {e.msgid: e for e in catalog if not e.obsolete}
    absent = []
    for key in sorted(msgids):
        entry = entries.get(key[0])
        if entry is None or entry.fuzzy:
            ok = False
        elif len(key) == 2:
            ok = entry.msgid_plural == key[1] and all(entry.msgstr_plural.values())
        else:
            ok = bool(entry.msgstr)
        if not ok:
            absent.append(key[0])
    return absent


def test_the_scan_finds_the_marked_strings(msgids: set[tuple[str, ...]]) -> None:
    assert len(msgids) > 150
    assert ("regions with no data",) in msgids
    assert ("wrote {n} row to {path}", "wrote {n} rows to {path}") in msgids
    assert marked("x = _(f'{a}')\ny = N_('one')\nz = ngettext('a', 'b', 2)") == {("one",), ("a", "b")}


@pytest.mark.parametrize("code", ["fr", "en"])
def test_every_marked_msgid_has_an_entry(msgids: set[tuple[str, ...]], code: str) -> None:
    absent = untranslated(msgids, polib.pofile(str(CATALOGS[code].with_suffix(".po"))))
    assert not absent, (
        f"{len(absent)} msgid(s) have no {code} entry:\n"
        + "\n".join(f"  {m!r}" for m in absent)
        + "\n"
        + HOW_TO_FIX
    )


def test_the_check_fails_on_a_removed_translation(msgids: set[tuple[str, ...]]) -> None:
    catalog = polib.pofile(str(CATALOGS["fr"].with_suffix(".po")))
    entry = catalog.find("regions with no data")
    assert entry is not None and not untranslated(msgids, catalog)
    entry.msgstr = ""
    assert untranslated(msgids, catalog) == ["regions with no data"]
    entry.msgstr, entry.flags = "régions sans données", ["fuzzy"]
    assert untranslated(msgids, catalog) == ["regions with no data"]


@pytest.mark.parametrize("code", ["fr", "en"])
def test_the_compiled_catalog_matches_its_source(code: str) -> None:
    with CATALOGS[code].with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in polib.pofile(str(CATALOGS[code].with_suffix(".po"))):
        if entry.obsolete or entry.fuzzy:
            continue
        if entry.msgid_plural:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 5)]
            want = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
        else:
            got, want = [compiled.gettext(entry.msgid)], [entry.msgstr]
        if got != want:
            stale.append(entry.msgid)
    assert not stale, f"observatory.mo ({code}) is older than its .po for {stale}\n{HOW_TO_FIX}"


def test_french_entries_differ_from_english_where_words_differ() -> None:
    fr = polib.pofile(str(CATALOGS["fr"].with_suffix(".po")))
    same = [e.msgid for e in fr if e.msgstr == e.msgid and len(e.msgid) > 12]
    assert not same, f"French entries left in English: {same}"


# -- messages built without gettext --------------------------------------------------------------

ERRORS = {
    "OptionError": 0,
    "SelectionError": 0,
    "ObservatoryError": 0,
    "OutlinesUnavailable": 0,
    "ArgumentTypeError": 0,
    "InputFormatError": 2,
}


def bare(node: ast.expr) -> bool:
    """Text built without gettext: a literal with words, an f-string, or .format on a literal."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and bare(v) for v in node.values)
    if isinstance(node, ast.Call) and _name(node.func) == "format":
        return isinstance(node.func, ast.Attribute) and bare(node.func.value)
    return False


def test_error_messages_go_through_gettext() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in ERRORS:
                args = node.args[ERRORS[_name(node.func)] :][:1]  # type: ignore[index]
                found += [f"{path.name}:{node.lineno}" for a in args if bare(a)]
    assert not found, f"error messages built without gettext: {found}"
    assert bare(ast.parse("f'found {x}'").body[0].value)  # type: ignore[attr-defined]
    assert not bare(ast.parse("_('found {x}').format(x=1)").body[0].value)  # type: ignore[attr-defined]


# -- the language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "code"),
    [
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "POSIX"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANGUAGE": "de:en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"POLES_LANGUAGE": "fr", "LANG": "en_US.UTF-8"}, "fr"),
        ({"POLES_LANGUAGE": "en"}, "en"),
        ({"LANG": "english"}, "fr"),
    ],
)
def test_the_language_comes_from_the_environment_else_french(
    environ: dict[str, str], code: str
) -> None:
    assert i18n.language_from(environ) == code


def test_numbers_are_written_as_the_reader_writes_them() -> None:
    i18n.activate("fr")
    assert i18n.number(1234567) == "1\u202f234\u202f567"
    assert i18n.number(1234.5, 1) == "1\u202f234,5"
    assert i18n.decimal(1.5) == "1,50"
    assert i18n.percent(0.041) == "4,1\u00a0%"
    i18n.activate("en")
    assert i18n.number(1234567) == "1,234,567"
    assert i18n.decimal(1.5) == "1.50"
    assert i18n.percent(0.041) == "4.1%"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr or en"):
        i18n.activate("de")


# -- the command in both languages ----------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


LQ = ("lq", "{small}", "--filter", "indic_sb=V16110", "--limit", "3")


def test_the_tables_and_notes_read_in_french_by_default(
    small_tsv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in i18n.ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    code, printed, _ = run(capsys, *(a.format(small=small_tsv) for a in LQ))
    assert code == 0
    assert "Quotients de localisation les plus élevés" in printed
    assert "nom de la région" in printed and "20,0\u00a0%" in printed and "2,000" in printed
    assert "… 15 lignes de plus (--out les écrit toutes)" in printed
    assert "notes — cellules\u00a0: 18; cellules manquantes\u00a0: 2" in printed
    assert "Highest" not in printed


def test_the_tables_and_notes_read_in_english_with_lang_en(
    small_tsv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLES_LANGUAGE", "fr")
    code, printed, _ = run(capsys, *(a.format(small=small_tsv) for a in LQ), "--lang", "en")
    assert code == 0
    assert "Highest location quotients" in printed
    assert "region name" in printed and "20.0%" in printed and "2.000" in printed
    assert "… 15 more rows (--out writes them all)" in printed
    assert "notes — cells: 18; missing cells: 2" in printed


def test_lang_before_the_command_and_lang_environment_variables(
    small_tsv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = [a.format(small=small_tsv) for a in LQ]
    code, printed, _ = run(capsys, "--lang=fr", *argv)
    assert code == 0 and "Quotients de localisation" in printed
    monkeypatch.delenv("POLES_LANGUAGE")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    code, printed, _ = run(capsys, *argv)
    assert code == 0 and "Highest location quotients" in printed


def test_agglomerations_summary_and_regions_with_no_data_in_french(
    small_tsv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed, _ = run(
        capsys,
        *("agglomerations", str(small_tsv), "--filter", "indic_sb=V16110", "--year", "2013"),
        *("--top", "2", "--lang", "fr"),
    )
    assert code == 0
    assert "Agglomérations sectorielles régionalement pertinentes (QL > 1,5" in printed
    assert "Agglomération 1" in printed and "Nb d’aggl." in printed
    assert "(QL 2,00, 20,0\u00a0%)" in printed
    assert "agglomérations pertinentes\u00a0:" in printed


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "poles observatory : erreur : l’année 1999 n’est pas dans"),
        ("en", "poles observatory: error: year 1999 is not in"),
    ],
)
def test_errors_in_both_languages_exit_2_on_one_line(
    small_tsv: Path, capsys: pytest.CaptureFixture[str], lang: str, line: str
) -> None:
    code, printed, err = run(
        capsys, "lq", str(small_tsv), "--filter", "indic_sb=V16110", "--year", "1999", "--lang", lang
    )
    assert code == 2 and printed == ""
    assert err.startswith(line) and err.count("\n") == 1


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "--engine spark demande PySpark, une dépendance optionnelle"),
        ("en", "--engine spark needs PySpark, an optional extra"),
    ],
)
def test_spark_without_pyspark_is_one_line_in_both_languages(
    small_tsv: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    text: str,
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a)
    )
    code, _, err = run(capsys, "lq", str(small_tsv), "--engine", "spark", "--lang", lang)
    assert code == 2 and text in err and err.count("\n") == 1


def test_argparse_speaks_french_and_is_restored(capsys: pytest.CaptureFixture[str]) -> None:
    code, printed, _ = run(capsys, "lq", "--help", "--lang", "fr")
    assert code == 0
    assert printed.startswith("utilisation : poles observatory lq")
    assert "afficher ce message d’aide et quitter" in printed
    assert "garder une valeur d’une dimension Eurostat" in printed
    code, _, err = run(capsys, "nope", "x", "--lang", "fr")
    assert code == 2 and "choix invalide : 'nope'" in err
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    code, _, err = run(capsys, "lq", "--lang", "en")
    assert code == 2 and "the following arguments are required: input" in err


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_files_written_are_the_same_in_both_languages(
    small_tsv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    written = {}
    for lang in ("fr", "en"):
        out = tmp_path / f"{lang}{suffix}"
        table = tmp_path / f"{lang}-table{suffix}"
        args = ["agglomerations", str(small_tsv), "--filter", "indic_sb=V16110"]
        code, printed, _ = run(
            capsys, *args, "--out", str(out), "--table-out", str(table), "--lang", lang
        )
        assert code == 0
        written[lang] = (out.read_bytes(), table.read_bytes())
        assert ("lignes écrites dans" if lang == "fr" else "rows to") in printed
    assert written["fr"] == written["en"]
    if suffix == ".json":
        assert "relevant_agglomerations" in json.loads(written["fr"][0])["notes"]


def test_json_on_stdout_is_the_same_in_both_languages(
    small_tsv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["ecosystems", str(small_tsv), "--filter", "indic_sb=V16110", "--json"]
    _, french, _ = run(capsys, *args, "--lang", "fr")
    _, english, _ = run(capsys, *args, "--lang", "en")
    assert french == english and json.loads(french)["command"] == "ecosystems"
