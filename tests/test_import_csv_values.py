"""CSV cells that mean "missing", and author lists whose names run into each other."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from litsieve.importers import load


def _table(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_na_markers_are_cleared_from_bibliographic_fields_only(tmp_path: Path) -> None:
    path = _table(
        tmp_path, "record_id,author,title,abstract,year,journal,volume,number,pages,doi",
        "1,Smith J.,NA,N/A,NA,NA,NA,N/A,nan,NA",
        "2,Doe J.,Peer support,An abstract,nan,nan,N/A,NaN,n/a,na",
        "3,Roe K.,Open dialogue,Text,2016,J Ment Health,19,3,221-8,10.1000/x",
    )
    first, second, third = load(path)
    for record in (first, second):
        assert (record.year, record.journal, record.volume, record.issue, record.pages,
                record.doi) == (None, "", "", "", "", "")
    assert first.title == "NA" and first.abstract == "N/A"  # text is never cleared
    assert (third.journal, third.volume, third.issue, third.pages, third.doi) == (
        "J Ment Health", "19", "3", "221-8", "10.1000/x")


def test_na_in_first_column_falls_back_to_the_next_column(tmp_path: Path) -> None:
    path = _table(tmp_path, "Title,Journal,Source title,Year", "A title,NA,Psychiatr Serv,2001")
    assert load(path)[0].journal == "Psychiatr Serv"


@pytest.mark.parametrize(
    ("cell", "authors"),
    [
        ("Chen R.Wang J.Yan C.", ["Chen, R.", "Wang, J.", "Yan, C."]),
        ("Adeli K.Lewis G. F.", ["Adeli, K.", "Lewis, G. F."]),
        ("Crean D.O'Reilly M. E.McGillicuddy F. C.",
         ["Crean, D.", "O'Reilly, M. E.", "McGillicuddy, F. C."]),
        ("Goulet B.Abdel-Aal el S.Kim J.-P.", ["Goulet, B.", "Abdel-Aal el, S.", "Kim, J.-P."]),
        ("McDonald J.R.", ["McDonald, J.R."]),
        ("O'Brien K.", ["O'Brien, K."]),
        ("Smith J.A.", ["Smith, J.A."]),
        ("Smith J.A. Mary", ["Mary, Smith J.A."]),  # not the run-together shape: untouched
        ("Repper J, Carter T.", ["Repper, J", "Carter, T"]),
        ("Anonymous", ["Anonymous"]),
    ],
)
def test_run_together_authors_are_split_only_when_the_whole_cell_has_that_shape(
    tmp_path: Path, cell: str, authors: list[str]
) -> None:
    path = _table(tmp_path, "title,author,year", f'Peer support,"{cell}",2010')
    assert load(path)[0].authors == authors


def test_run_together_author_check_is_linear_on_long_cells(tmp_path: Path) -> None:
    cell = "Chen R. " * 4000 + "x" + "Wang J.Yan C." * 2000 + "Smith"
    path = _table(tmp_path, "title,author", f'A title,"{cell}"')
    started = time.perf_counter()
    assert len(load(path)[0].authors) == 1
    assert time.perf_counter() - started < 2
