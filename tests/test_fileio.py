"""Spreadsheet-safe CSV: only what a spreadsheet evaluates is guarded, every reader undoes it exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litsieve.fileio import csv_line, iter_csv, neutralise_cell, unneutralise_cell, write_csv
from litsieve.record import Record
from litsieve.records_io import read_records, write_records


@pytest.mark.parametrize("value", ["-5", "+1.5e3", "-12%", "-omics", "-based", "- see note", "+44 20 7946 0000",
                                   "-A title starting with a dash", "'-5", "peer support", ""])
def test_values_a_spreadsheet_shows_as_they_are_get_no_guard(value: str) -> None:
    """Issue 16.15: a number or a word after a sign is not a formula (Excel reads -5 as a number)."""
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "-1+1", "+1+1", "-A1",
                                   "-A1:A9", "+cmd|' /C calc'!A0", "-HYPERLINK(\"x\")", "\t=1", "\r=1", "'=1"])
def test_what_a_spreadsheet_evaluates_is_guarded(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@given(st.text(max_size=30))
def test_the_guard_round_trips_exactly(value: str) -> None:
    assert unneutralise_cell(neutralise_cell(value)) == value


def test_a_semicolon_or_tab_cell_is_quoted_whatever_the_delimiter() -> None:
    """Issue 16.5: Excel in a semicolon locale splits an unquoted `a;=1+1` into a formula cell."""
    line = csv_line(["a;=1+1", "b\tc", "plain", "x,y"])
    assert line == '"a;=1+1","b\tc",plain,"x,y"\n'
    for delimiter in (",", ";", "\t"):
        assert next(csv.reader(io.StringIO(csv_line(["a;=1+1", "b"], delimiter)), delimiter=delimiter)) == [
            "a;=1+1", "b"]


def test_every_column_of_a_results_file_is_guarded_and_read_back_exactly(tmp_path: Path) -> None:
    """Issue 16.5: formula-like record ids were written unguarded in all.csv, pool.csv, clusters.csv."""
    ids = ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "'=already", "-5"]
    path = tmp_path / "all.csv"
    write_records(path, [Record(record_id=i, source="csv", title="t") for i in ids])
    raw = path.read_text(encoding="utf-8")
    assert "\n\"'=HYPERLINK" in raw and "\n'@SUM(A1)," in raw and "\n''=already," in raw and "\n-5," in raw
    assert [r.record_id for r in read_records(path)] == ids
    other = tmp_path / "clusters.csv"
    write_csv(other, [{"record_id": i, "cluster_id": "=c1"} for i in ids], ["record_id", "cluster_id"])
    assert [(row["record_id"], row["cluster_id"]) for row in iter_csv(other)] == [(i, "=c1") for i in ids]
