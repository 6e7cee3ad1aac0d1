"""The complexity command from a CSV to a Parquet file loads neither pandas nor SciPy: together
they take longer to import than the rest of the command on a panel of a million cells."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from poles.observatory.cli import main
code = main([{args}])
heavy = sorted(m for m in ("pandas", "scipy") if m in sys.modules)
print("heavy:", heavy)
sys.exit(code or 0)
"""


def test_complexity_from_csv_to_parquet_imports_neither_pandas_nor_scipy(tmp_path) -> None:
    regions = ["FR10", "FR21", "FR22", "DE30", "DE40", "ITC1"]
    sectors = ["C10", "C11", "C20", "C21", "J62"]
    lines = ["region,sector,year,value"]
    for i, region in enumerate(regions):
        for j, sector in enumerate(sectors):
            for year in (2020, 2021):
                lines.append(f"{region},{sector},{year},{(i + 1) * (j + 2) % 7 + 1}")
    source = tmp_path / "panel.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    args = ", ".join(
        repr(a)
        for a in ("complexity", str(source), "--nuts-level", "2", "--level", "division",
                  "--out", str(out), "--limit", "0")
    )
    done = subprocess.run(
        [sys.executable, "-c", CODE.format(args=args)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()
    assert "heavy: []" in done.stdout, done.stdout
