"""Parsers: Eurostat TSV dumps and tidy files; clear errors with line and reason."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.observatory.errors import InputFormatError, SelectionError
from poles.observatory.io import parse_cells, parse_eurostat, read_panel, read_tidy, select


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_eurostat_dump_reads_dimensions_years_values_and_flags(small_tsv: Path) -> None:
    source = parse_eurostat(small_tsv)
    assert source.dimensions == ("nace_r2", "indic_sb", "geo")
    assert source.sector_dimension == "nace_r2"
    panel = select(source, filters=["indic_sb=V16110"], years=[2013])
    rows = {(r["region"], r["sector"]): r for r in panel.table.to_pylist()}
    assert rows[("FR21", "C10")]["value"] == 250.0
    assert rows[("FR21", "C10")]["flag"] == "b"
    assert rows[("FR10", "C11")]["value"] is None
    assert rows[("FR10", "C11")]["flag"] == "c"
    assert panel.years == [2013]


def test_gzipped_dump_reads_like_the_plain_one(small_tsv: Path) -> None:
    plain = select(parse_eurostat(small_tsv), filters=["indic_sb=V16110"])
    zipped = select(parse_eurostat(small_tsv.with_suffix(".tsv.gz")), filters=["indic_sb=V16110"])
    assert plain.table.equals(zipped.table)


def test_missing_cells_are_null_never_zero(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "m.tsv", "nace_r2,geo\\time\t2013 \nC10,FR10\t: \nC11,FR10\t: c\nJ62,FR10\t0 \n"
    )
    table = select(parse_eurostat(path)).table.to_pylist()
    assert [r["value"] for r in table] == [None, None, 0.0]


def test_row_with_a_missing_field_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "bad.tsv", "nace_r2,geo\\time\t2014 \t2013 \nC10,FR10\t1 \t2 \nC11,FR10\t3 \n"
    )
    with pytest.raises(
        InputFormatError, match=r"line 3: has 2 tab-separated fields, the header has 3"
    ):
        parse_eurostat(path)


def test_cell_that_is_not_a_number_is_reported_with_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.tsv", "nace_r2,geo\\time\t2013 \nC10,FR10\t1 \nC11,FR10\tlots \n")
    with pytest.raises(
        InputFormatError, match=r"line 3: column '2013': 'lots' is neither a number"
    ):
        parse_eurostat(path)


def test_key_with_too_few_dimensions_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.tsv", "nace_r2,indic_sb,geo\\time\t2013 \nC10,FR10\t1 \n")
    with pytest.raises(
        InputFormatError, match=r"line 2: key 'C10,FR10' has 2 comma-separated parts"
    ):
        parse_eurostat(path)


def test_file_that_is_not_a_eurostat_dump_is_rejected_at_line_1(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.tsv", "region\tsector\n")
    with pytest.raises(InputFormatError, match=r"line 1: first header cell"):
        parse_eurostat(path)


def test_quarterly_time_columns_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "q.tsv", "nace_r2,geo\\time\t2013Q1 \nC10,FR10\t1 \n")
    with pytest.raises(InputFormatError, match="only annual data"):
        parse_eurostat(path)


def test_broken_gzip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv.gz"
    path.write_bytes(gzip.compress(b"nace_r2,geo\\time\t2013\n")[:-6])
    with pytest.raises(InputFormatError, match="gzip"):
        parse_eurostat(path)


def test_unknown_filter_dimension_names_the_dimensions(small_tsv: Path) -> None:
    with pytest.raises(
        SelectionError, match=r"unknown filter dimension 'unit'.*nace_r2, indic_sb, geo"
    ):
        read_panel(small_tsv, filters=["unit=NR"])


def test_filter_value_absent_lists_the_values(small_tsv: Path) -> None:
    with pytest.raises(
        SelectionError, match=r"indic_sb=V99 matches no row; values of indic_sb: V11210, V16110"
    ):
        read_panel(small_tsv, filters=["indic_sb=V99"])


def test_unfiltered_indicator_dimension_asks_for_a_filter(small_tsv: Path) -> None:
    with pytest.raises(SelectionError, match=r"--filter indic_sb=VALUE"):
        read_panel(small_tsv)


def test_absent_year_is_an_empty_selection(small_tsv: Path) -> None:
    with pytest.raises(SelectionError, match=r"year 1999 is not in .*years present: 2013, 2014"):
        read_panel(small_tsv, filters=["indic_sb=V16110"], years=[1999])


def test_malformed_filter_is_explained(small_tsv: Path) -> None:
    with pytest.raises(SelectionError, match="DIMENSION=VALUE"):
        read_panel(small_tsv, filters=["indic_sb"])


def test_tidy_csv_reads_empty_values_as_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "region,sector,year,value\nFR10,C10,2013,5\nFR10,C11,2013,\n")
    rows = read_tidy(path).table.to_pylist()
    assert [r["value"] for r in rows] == [5.0, None]


def test_tidy_csv_bad_year_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "region,sector,year,value\nFR10,C10,2013,5\nFR10,C11,13x,1\n")
    with pytest.raises(InputFormatError, match=r"line 3: column 'year': '13x' is not a year"):
        read_tidy(path)


def test_tidy_csv_bad_value_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "region,sector,year,value\nFR10,C10,2013,five\n")
    with pytest.raises(InputFormatError, match=r"line 2: column 'value': 'five'"):
        read_tidy(path)


def test_tidy_csv_without_the_columns_lists_what_it_found(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "geo,nace,year,value\nFR10,C10,2013,5\n")
    with pytest.raises(
        InputFormatError, match=r"lacks the column\(s\) region, sector.*found geo, nace"
    ):
        read_tidy(path)


def test_tidy_parquet_reads_like_csv(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(
        pa.table({"region": ["FR10"], "sector": ["C10"], "year": [2013], "value": [5.5]}), path
    )
    assert read_panel(path).table.column("value").to_pylist() == [5.5]


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="does not exist"):
        read_panel(tmp_path / "nope.tsv.gz")


numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: f"{x:.3f}"),
)
flags = st.text(alphabet="bcdeipsuz", max_size=3)


@given(number=numbers, flag=flags, pad=st.sampled_from(["", " ", "  "]))
def test_any_number_with_flags_parses_to_that_number(number: str, flag: str, pad: str) -> None:
    cell = f"{number}{' ' if flag else ''}{flag}{pad}"
    values, parsed = parse_cells(pa.array([cell]), path="x", lines=pa.array([2]), column="2013")
    assert math.isclose(values[0].as_py(), float(number), rel_tol=0, abs_tol=0)
    assert parsed[0].as_py() == flag


@given(flag=flags)
def test_colon_with_any_flag_is_missing(flag: str) -> None:
    values, parsed = parse_cells(
        pa.array([f": {flag}"]), path="x", lines=pa.array([2]), column="2013"
    )
    assert values[0].as_py() is None
    assert parsed[0].as_py() == flag


@given(text=st.text(alphabet="abxyz!?#", min_size=1, max_size=6))
def test_words_are_never_numbers(text: str) -> None:
    with pytest.raises(InputFormatError, match="line 7"):
        parse_cells(pa.array([f"x{text}"]), path="x", lines=pa.array([7]), column="2013")
