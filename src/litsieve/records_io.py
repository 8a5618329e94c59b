"""Read and write record-model CSV files (the files under ``results/records``).

These are litsieve's own files, so reading them is strict: a missing column is an error
naming the file, not a silently empty field.

A review's records file can hold a million records with abstracts of tens of thousands of
characters: several gigabytes as Python objects. :class:`RecordFile` reads such a file as
a sequence without holding it: one pass remembers where each row starts, and a record is
parsed again when it is asked for (deduplication needs every record once in order, then
only the members of clusters).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from array import array
from functools import partial
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence, overload

from litsieve.errors import ImportFormatError
from litsieve.fileio import iter_csv, unneutralise_cell, write_csv
from litsieve.record import EXTRA_COLUMN, LIST_FIELDS, RECORD_FIELDS, Record, parse_year, split_list

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


_HINT = "not a litsieve record file: write it with `litsieve import`"
_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(Record))


class _Plan:
    """What :meth:`Record.from_row` does with each column of one file's header, decided once.

    Columns by what they become: plain text fields, lists, the year, and (in file order,
    as later ones win) the ``extra`` JSON column (``None``) and unknown columns.
    """

    def __init__(self, columns: Sequence[str]) -> None:
        self.width = len(columns)
        self.plain: list[tuple[int, str]] = []
        self.lists: list[tuple[int, str]] = []
        self.years: list[tuple[int, str]] = []
        self.extra: list[tuple[int, str | None]] = []
        for i, column in enumerate(columns):
            if column in LIST_FIELDS:
                self.lists.append((i, column))
            elif column == "year":
                self.years.append((i, column))
            elif column == EXTRA_COLUMN:
                self.extra.append((i, None))
            elif column in _FIELD_NAMES:
                self.plain.append((i, column))
            else:
                self.extra.append((i, column))


class RecordFile(Sequence[Record]):
    """The records of a file written by :func:`write_records`, read on demand.

    Only the byte offset of each row is kept (8 bytes a record). Iterating parses the file
    from the start; ``records[i]`` seeks to row ``i``. The first iteration (or the first
    indexing) finds the offsets; the file must not change while the object is in use
    (litsieve replaces its files atomically, so an open file keeps its old content).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._offsets: array[int] | None = None
        self._columns: list[str] = []
        self._handle: IO[bytes] | None = None
        self._plan: _Plan | None = None

    def _lines(self, handle: IO[bytes], counted: list[int]) -> Iterator[str]:
        for raw in handle:
            counted[0] += len(raw)
            yield raw.decode("utf-8")

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        """(byte offset, cells) of every row, the header checked first."""
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            raise ImportFormatError("missing", file=str(self.path), hint=_HINT) from None
        with handle:
            counted = [0]
            reader = csv.reader(self._lines(handle, counted))
            columns = [unneutralise_cell(c) for c in next(reader, [])]
            missing = [c for c in RECORD_FIELDS if c not in columns]
            if missing:
                raise ImportFormatError(f"missing column(s) {', '.join(missing)}", file=str(self.path), line=1,
                                        field=missing[0], hint=_HINT)
            self._columns = columns
            start = counted[0]
            for cells in reader:
                if cells:
                    yield start, cells
                start = counted[0]

    def _record(self, cells: list[str]) -> Record:
        """:meth:`Record.from_row` of the row, column actions decided once per file (three times as fast)."""
        plan = self._plan
        if plan is None or plan.width != len(self._columns):
            plan = self._plan = _Plan(self._columns)
        if len(cells) < plan.width:
            cells = cells + [""] * (plan.width - len(cells))
        for value in cells:
            if value[:1] == "'":
                cells = [unneutralise_cell(v) if v[:1] == "'" else v for v in cells]
                break
        fields: dict[str, object] = {name: cells[i] for i, name in plan.plain}
        for i, name in plan.lists:
            value = cells[i]
            fields[name] = split_list(value) if value else []
        for i, name in plan.years:
            value = cells[i]
            fields[name] = parse_year(value) if value else None
        extra: dict[str, object] = {}
        for i, key in plan.extra:
            value = cells[i]
            if key is None:
                if value:
                    extra.update(json.loads(value))
            elif value != "":
                extra[key] = value
        record = Record(**fields)  # type: ignore[arg-type]
        record.extra = extra
        return record

    def __iter__(self) -> Iterator[Record]:
        offsets = array("q") if self._offsets is None else None
        for start, cells in self._rows():
            if offsets is not None:
                offsets.append(start)
            yield self._record(cells)
        if offsets is not None:
            self._offsets = offsets

    def lazily(self) -> Iterator[Callable[[], Record]]:
        """Each row's record as a call that builds it: a pass that builds only some rows' records
        costs the CSV parse for the others (a deduplication worker takes every other chunk)."""
        offsets = array("q") if self._offsets is None else None
        for start, cells in self._rows():
            if offsets is not None:
                offsets.append(start)
            yield partial(self._record, cells)
        if offsets is not None:
            self._offsets = offsets

    def estimated_length(self) -> int:
        """The number of records if known, else a guess from the file size (about a kilobyte a
        record with its abstract), without reading the file: enough to decide on workers."""
        return len(self._offsets) if self._offsets is not None else self.path.stat().st_size // 1000

    def _index(self) -> array[int]:
        if self._offsets is None:
            for _ in self._rows_only():
                pass
        assert self._offsets is not None
        return self._offsets

    def _rows_only(self) -> Iterator[None]:
        offsets: array[int] = array("q")
        for start, _ in self._rows():
            offsets.append(start)
            yield None
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._index())

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        offsets = self._index()
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(offsets)))]
        if self._handle is None:
            self._handle = open(self.path, "rb")
        self._handle.seek(offsets[index])
        cells = next(csv.reader(self._lines(self._handle, [0])))
        return self._record(cells)

    def close(self) -> None:
        """Close the file kept open for indexing (reopened when indexed again)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
