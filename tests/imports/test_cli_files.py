"""`poles import members` on broken or unusual files: exit 2 with one clear message, never a traceback.

The console script runs in the default language (French), as a user would see it.
"""

import io
import os
import subprocess
import sys

import openpyxl
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated SQLite database holding one cluster, shared by the module's commands."""
    folder = tmp_path_factory.mktemp("cli-files")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'cli.sqlite3'}", "POLES_VAR_DIR": str(folder)}
    for args in (["migrate", "-v", "0"],
                 ["shell", "-c", "from poles.registry.models import Cluster; "
                                 "Cluster.objects.create(name='Pôle CLI', slug='pole-cli')"]):
        done = subprocess.run([sys.executable, "-m", "poles.cli", *args], env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    return folder, env


def import_members(database, name: str, content: bytes) -> subprocess.CompletedProcess:
    folder, env = database
    path = folder / name
    path.write_bytes(content)
    return subprocess.run([sys.executable, "-m", "poles.cli", "import", "members", str(path),
                           "--cluster", "pole-cli", "--year", "2025", "--dry-run"],
                          env=env, capture_output=True, text=True, timeout=300)


def workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["nom", "ville"])
    book.active.append(["Acme", "Lyon"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("tronque.xlsx", workbook_bytes()[:1500],
         "tronque.xlsx : classeur XLSX illisible : le fichier n’est pas l’archive ZIP qu’est un .xlsx"),
        ("document.xlsx", b"%PDF-1.7\n", "document.xlsx : classeur XLSX illisible : c’est un document PDF"),
        ("vide.csv", b"", "vide.csv : le fichier est vide"),
        ("nul.csv", b"nom;ville\nAc\x00me;Lyon\n", "nul.csv, ligne 2, colonne « nom » : contient un caractère NUL"),
        ("japonais.csv", "nom;ville\n東京;大阪\n".encode("shift_jis"),
         "ni en UTF-8, ni en UTF-16, ni en Windows-1252"),
        ("guillemet.csv", b'nom;ville\n"Acme;Lyon\nB;C\n', "ligne 2 : une valeur entre guillemets"),
        ("large.csv", (";".join(f"c{i}" for i in range(10_000)) + "\nx\n").encode(), "l’en-tête a 10000 colonnes"),
    ],
)
def test_unreadable_member_lists_exit_2_with_a_clear_message(database, name, content, message):
    done = import_members(database, name, content)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "unexpected" not in done.stderr


def test_a_utf16_tab_separated_list_is_read(database):
    content = "\ufeffRaison sociale\tVille\nSociété Générale\tParis\n".encode("utf-16-le")
    done = import_members(database, "unicode.txt", content)
    assert done.returncode == 0, done.stderr
    assert "organisations" in done.stdout
