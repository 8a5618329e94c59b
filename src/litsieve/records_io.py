"""Read and write record-model CSV files (the files under ``results/records``).

These are litsieve's own files, so reading them is strict: a missing column is an error
naming the file, not a silently empty field.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from litsieve.errors import ImportFormatError
from litsieve.fileio import iter_csv, write_csv
from litsieve.record import EXTRA_COLUMN, RECORD_FIELDS, Record

RECORD_COLUMNS: tuple[str, ...] = (*RECORD_FIELDS, EXTRA_COLUMN)


def write_records(path: str | os.PathLike[str], records: Iterable[Record]) -> int:
    """Write records in the record model's column order; returns how many were written."""
    count = 0

    def rows() -> Iterator[dict[str, str]]:
        nonlocal count
        for record in records:
            count += 1
            yield record.to_row()

    write_csv(path, rows(), RECORD_COLUMNS)
    return count


def iter_records(path: str | os.PathLike[str]) -> Iterator[Record]:
    """Yield the records of a file written by :func:`write_records`."""
    for row in iter_csv(path, required=RECORD_FIELDS, error=ImportFormatError,
                        hint="not a litsieve record file: write it with `litsieve import`"):
        yield Record.from_row(row)


def read_records(path: str | os.PathLike[str]) -> list[Record]:
    """All records of a record-model CSV file."""
    return list(iter_records(Path(path)))
