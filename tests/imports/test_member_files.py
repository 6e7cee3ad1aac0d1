"""Member lists as people's tools write them, and broken ones: right text in, clear errors else."""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from poles.imports.base import ImportFailed
from poles.imports.members import MembersImporter
from poles.registry.models import Cluster, Organisation

pytestmark = pytest.mark.django_db

ROWS = [["Raison sociale", "Ville", "Cotisation"], ["Société Générale", "Paris", "1 500"],
        ["Œuvre d'Orient", "Lyon", "20"]]


@pytest.fixture
def cluster():
    return Cluster.objects.create(name="Pôle Fichiers", slug="pole-fichiers")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook_bytes(rows=ROWS) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rebuilt(change) -> bytes:
    """A copy of a good workbook with some of its ZIP members changed (None drops one)."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return buffer.getvalue()


def text_bytes(encoding: str, delimiter: str, bom: bool) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode(encoding)


def run(cluster, name: str, content: bytes):
    return MembersImporter(name, cluster=cluster, year=2025, content=content, name=name).run()


def failure(cluster, name: str, content: bytes) -> list:
    with pytest.raises(ImportFailed) as failed:
        run(cluster, name, content)
    assert not Organisation.objects.exists()
    return failed.value.report.errors


@pytest.mark.parametrize(
    "encoding, delimiter, bom",
    [("utf-16-le", "\t", True), ("utf-16-be", "\t", True), ("utf-16-le", "\t", False),
     ("utf-16-le", ";", True), ("utf-8", ";", True), ("utf-8", ",", False), ("cp1252", ";", False)],
)
def test_members_in_every_encoding_excel_writes_are_imported_with_their_accents(cluster, encoding, delimiter, bom):
    report = run(cluster, "membres.txt" if delimiter == "\t" else "membres.csv", text_bytes(encoding, delimiter, bom))
    assert report.created["organisations"] == 2
    assert set(Organisation.objects.values_list("name", "city")) == {("Société Générale", "Paris"),
                                                                      ("Œuvre d'Orient", "Lyon")}


def test_nul_characters_are_refused_with_row_and_column(cluster):
    content = b"Raison sociale;Ville\nAc\x00me;Lyon\nBon;Ly\x00on\n"
    errors = failure(cluster, "membres.csv", content)
    assert [(e.row, e.column) for e in errors] == [(2, "Raison sociale"), (3, "Ville")]
    assert all("NUL" in e.reason and "\x00" not in e.value for e in errors)


CORRUPT = {
    "truncated": (workbook_bytes()[:1500], "not the ZIP archive an .xlsx is"),
    "renamed pdf": (b"%PDF-1.7\n1 0 obj <<>> endobj\n", "this is a PDF document"),
    "zip not a workbook": (rebuilt(lambda n, d: None if n != "docProps/app.xml" else d), "without the parts of a spreadsheet"),
    "broken sheet xml": (rebuilt(lambda n, d: d[: len(d) // 2] if n.endswith("sheet1.xml") else d), "ParseError"),
    "nul in xml": (rebuilt(lambda n, d: d.replace(b"Lyon", b"Ly&#0;on")), "ParseError"),
    "no worksheet": (rebuilt(lambda n, d: None if n.endswith("sheet1.xml") else d), "has no worksheet"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Excel 97–2003"),
    "empty": (b"", "the file is empty"),
}


@pytest.mark.parametrize("case", CORRUPT)
def test_a_corrupt_workbook_says_what_is_wrong(cluster, case):
    content, detail = CORRUPT[case]
    (error,) = failure(cluster, "membres.xlsx", content)
    assert detail in error.reason and error.file == "membres.xlsx"
    if case != "empty":
        assert error.reason.startswith("not a readable XLSX workbook: ")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        ("nom;ville\n東京;大阪\n".encode("shift_jis"), "neither UTF-8, UTF-16 nor Windows-1252"),
        (b'nom;ville\n"Acme;Lyon\nB;C\n', "line 2: a quoted value starts here and is never closed"),
        (b"nom;ville;nom\nA;B;C\n", "the header names the column “nom” twice"),
        ((";".join(f"c{i}" for i in range(10_000)) + "\nx\n").encode(), "the header has 10000 columns"),
        (b"nom;ville\nAcme; SARL;Lyon\n", "this row has 3 cells but the header has 2 columns"),
    ],
)
def test_other_unreadable_member_lists_say_what_is_wrong(cluster, content, message):
    errors = failure(cluster, "membres.csv", content)
    assert message in " ".join(e.reason for e in errors)


def test_a_header_without_rows_is_refused(cluster):
    errors = failure(cluster, "membres.csv", b"nom;ville\n")
    assert "no rows below its header" in errors[0].reason


def test_the_command_reports_a_corrupt_workbook_with_exit_code_2(cluster, tmp_path):
    path = tmp_path / "membres.xlsx"
    path.write_bytes(workbook_bytes()[:1500])
    with pytest.raises(CommandError) as failed:
        call_command("import", "members", str(path), "--cluster", "pole-fichiers", "--year", "2025")
    assert failed.value.returncode == 2
    assert "membres.xlsx: not a readable XLSX workbook: the file is not the ZIP archive" in str(failed.value)
