"""The complexity command from a file to a written result loads neither pandas nor SciPy:
together they take longer to import than the rest of the command on a million cells."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"

CODE = """
import sys
from poles.observatory.cli import main
code = main([{args}])
heavy = sorted(m for m in ("pandas", "scipy") if m in sys.modules)
print("heavy:", heavy)
sys.exit(code or 0)
"""


def _tidy_csv(folder: Path) -> Path:
    regions = ["FR10", "FR21", "FR22", "DE30", "DE40", "ITC1"]
    sectors = ["C10", "C11", "C20", "C21", "J62"]
    lines = ["region,sector,year,value"]
    for i, region in enumerate(regions):
        for j, sector in enumerate(sectors):
            for year in (2020, 2021):
                lines.append(f"{region},{sector},{year},{(i + 1) * (j + 2) % 7 + 1}")
    source = folder / "panel.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


@pytest.mark.parametrize(
    ("source", "options", "out"),
    [
        ("tidy", ("--nuts-level", "2", "--level", "division"), "out.parquet"),
        ("eurostat", ("--filter", "indic_sb=V16110", "--level", "division"), "out.csv"),
    ],
)
def test_complexity_command_imports_neither_pandas_nor_scipy(
    tmp_path: Path, source: str, options: tuple[str, ...], out: str
) -> None:
    path = _tidy_csv(tmp_path) if source == "tidy" else DATA / "sbs_small.tsv.gz"
    target = tmp_path / out
    argv = ("complexity", str(path), *options, "--out", str(target), "--limit", "0")
    done = subprocess.run(
        [sys.executable, "-c", CODE.format(args=", ".join(repr(a) for a in argv))],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert target.exists()
    assert "heavy: []" in done.stdout, done.stdout
