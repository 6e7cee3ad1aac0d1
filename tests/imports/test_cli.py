"""The `poles` console script itself: input mistakes exit with code 2 and one message, no traceback."""

import os
import subprocess
import sys

import pytest


def poles(*args, tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
           "POLES_VAR_DIR": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "poles.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "anr", "--projects", "missing.xlsx", "--partners", "missing2.xlsx"], "fichier introuvable"),
        (["import", "cordis", "missing.csv.gz"], "fichier introuvable"),
        (["load", "no-such-dir"], "dossier introuvable"),
    ],
)
def test_input_mistakes_exit_2_without_traceback(args, message, tmp_path):
    if args[0] == "load":
        assert poles("migrate", "-v", "0", tmp_path=tmp_path).returncode == 0
    done = poles(*args, tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_unknown_subcommand_is_a_usage_error(tmp_path):
    done = poles("import", "excel", tmp_path=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "members" in done.stderr
