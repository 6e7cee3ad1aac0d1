"""`poles observatory …`: outputs by extension, JSON on stdout, exit 2 with one clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from poles.observatory.cli import main
from poles.observatory.plots import MAP_PACKAGE

PROJECT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json"])
def test_lq_writes_the_output_format_of_the_extension(
    small_tsv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    out = tmp_path / f"lq{suffix}"
    code, printed, _ = run(
        capsys, "lq", str(small_tsv), "--filter", "indic_sb=V16110", "--out", str(out)
    )
    assert code == 0 and "wrote" in printed
    if suffix == ".csv":
        frame = pd.read_csv(out)
    elif suffix == ".parquet":
        frame = pd.read_parquet(out)
    else:
        payload = json.loads(out.read_text())
        assert payload["notes"]["missing_cells"] == 2
        frame = pd.DataFrame(payload["rows"])
    for column in (
        "region",
        "sector",
        "year",
        "value",
        "region_total",
        "share",
        "lq",
        "agglomeration",
        "relevant",
    ):
        assert column in frame.columns


def test_json_flag_prints_machine_readable_output_only(
    small_tsv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed, _ = run(
        capsys,
        "agglomerations",
        str(small_tsv),
        "--filter",
        "indic_sb=V16110",
        "--year",
        "2013",
        "--json",
    )
    assert code == 0
    payload = json.loads(printed)
    assert payload["command"] == "agglomerations"
    assert {row["region"] for row in payload["table"]} == {"FR10", "FR21", "DE11"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lq", "{bad}"], "line 3: has 2 tab-separated fields"),
        (["lq", "{small}", "--filter", "unit=NR"], "unknown filter dimension 'unit'"),
        (["lq", "{small}", "--filter", "indic_sb=V16110", "--year", "1999"], "year 1999 is not in"),
        (
            ["lq", "{small}", "--filter", "indic_sb=V16110", "--country", "IT"],
            "no region of NUTS level 2 in country IT",
        ),
        (
            ["lq", "{small}", "--filter", "indic_sb=V16110", "--out", "x.xlsx"],
            "must end with .csv, .parquet or .json",
        ),
        (
            ["lq", "{small}", "--filter", "indic_sb=V16110", "--plot", "x.pdf"],
            "--plot must end with .svg or .png",
        ),
        (["lq", "{small}", "--nuts-level", "7"], "argument --nuts-level: invalid choice"),
        (["lq", "{small}", "--year", "soon"], "--year takes years"),
        (["strong", "{small}", "--filter", "indic_sb=V16110"], "--establishments"),
        (["nope", "{small}"], "invalid choice: 'nope'"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(
    small_tsv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("nace_r2,geo\\time\t2014 \t2013 \nC10,FR10\t1 \t2 \nC11,FR10\t3 \n")
    args = [a.format(small=small_tsv, bad=bad) for a in argv]
    code, printed, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert printed == ""


def test_strong_reads_establishments_from_the_same_dump(
    small_tsv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed, _ = run(
        capsys,
        "strong",
        str(small_tsv),
        "--filter",
        "indic_sb=V16110",
        "--establishments",
        "indic_sb=V11210",
        "--year",
        "2013",
        "--reference",
        "input",
        "--json",
    )
    assert code == 0
    strong = {(r["region"], r["sector"]) for r in json.loads(printed)["rows"] if r["strong"]}
    assert strong == {("FR21", "C10"), ("FR10", "J62")}


@pytest.mark.parametrize("command", ["stars", "relatedness", "complexity", "ecosystems"])
def test_every_command_prints_a_table_and_notes(
    small_tsv: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, printed, _ = run(
        capsys, command, str(small_tsv), "--filter", "indic_sb=V16110", "--country", "FR"
    )
    assert code == 0
    assert "notes" in printed


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_heatmap_and_share_bars_are_drawn(
    small_tsv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    heat = tmp_path / f"heat{suffix}"
    bars = tmp_path / f"bars{suffix}"
    assert (
        run(capsys, "lq", str(small_tsv), "--filter", "indic_sb=V16110", "--plot", str(heat))[0]
        == 0
    )
    assert (
        run(
            capsys,
            "ecosystems",
            str(small_tsv),
            "--filter",
            "indic_sb=V16110",
            "--country",
            "FR",
            "--plot",
            str(bars),
        )[0]
        == 0
    )
    assert heat.stat().st_size > 1000 and bars.stat().st_size > 1000


@pytest.mark.skipif(
    not (PROJECT / MAP_PACKAGE).exists(), reason="npm map package not installed (run make setup)"
)
def test_map_of_france_colours_the_regions(
    small_tsv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    picture = tmp_path / "map.svg"
    code, _, err = run(
        capsys,
        "lq",
        str(small_tsv),
        "--filter",
        "indic_sb=V16110",
        "--plot",
        str(picture),
        "--plot-kind",
        "map",
        "--sector",
        "C10",
    )
    assert code == 0, err
    text = picture.read_text()
    assert text.count("<path") >= 13
    assert "LQ of C10" in text or "C10" in text
