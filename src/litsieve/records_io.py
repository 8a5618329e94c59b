"""Read and write record-model CSV files (the files under ``results/records``).

These are litsieve's own files, so reading them is strict: a missing column is an error
naming the file, not a silently empty field.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Iterable, Iterator

from litsieve.errors import ImportFormatError
from litsieve.fileio import unneutralise_cell, write_csv
from litsieve.record import EXTRA_COLUMN, RECORD_FIELDS, Record

RECORD_COLUMNS: tuple[str, ...] = (*RECORD_FIELDS, EXTRA_COLUMN)
# Text that came from a database: neutralised against spreadsheet formulas on the way out.
DATABASE_TEXT_COLUMNS: tuple[str, ...] = tuple(
    c for c in RECORD_COLUMNS if c not in {"record_id", "year", EXTRA_COLUMN}
)


def write_records(path: str | os.PathLike[str], records: Iterable[Record]) -> int:
    """Write records in the record model's column order; returns how many were written."""
    count = 0

    def rows() -> Iterator[dict[str, str]]:
        nonlocal count
        for record in records:
            count += 1
            yield record.to_row()

    write_csv(path, rows(), RECORD_COLUMNS, neutralise=DATABASE_TEXT_COLUMNS)
    return count


def iter_records(path: str | os.PathLike[str]) -> Iterator[Record]:
    """Yield the records of a file written by :func:`write_records`."""
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in RECORD_FIELDS if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFormatError(
                f"not a litsieve record file: missing column(s) {', '.join(missing)}",
                file=str(path), line=1, hint="write it with `litsieve import`",
            )
        for row in reader:
            yield Record.from_row(
                {k: unneutralise_cell(v) if k in DATABASE_TEXT_COLUMNS else v for k, v in row.items()}
            )


def read_records(path: str | os.PathLike[str]) -> list[Record]:
    """All records of a record-model CSV file."""
    return list(iter_records(Path(path)))
