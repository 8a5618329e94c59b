"""Rows with more cells than their table's header, put back under the right columns.

A row with one cell too many almost always holds a value with an unquoted delimiter in
it (a title with a comma the exporter did not quote, a stray tab): every cell after that
point sits one column to the right. Reading it as it stands shifts the language into
the PMID column and the PMID out of the record, silently. The two cells that belong
together cannot be told from the row alone, but from the rest of the table they can:
each column's cells have a typical shape (empty, a number, a year, a DOI, a link, short
or long text), and the join that makes the row's cells look most like their columns is
the likely one. When one join is clearly best the row is mended and a warning names it;
when several fit about as well, only the cells that no candidate join moves are kept
(those before the first candidate, and after the last one counted from the right), the
rest go into ``extra`` as "unaligned cells", and the warning says so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

_YEAR = re.compile(r"^(?:1[5-9]|20|21)\d\d$")
_MARGIN = 2.0  # log-likelihood units: a join must be ~7x likelier than the next one


def shape(cell: str) -> str:
    """The coarse kind of a cell's value."""
    value = cell.strip()
    if not value:
        return "empty"
    if value.isdigit():
        return "year" if _YEAR.match(value) else "number"
    lower = value[:8].casefold()
    if lower.startswith(("10.", "doi:", "https://doi")):
        return "doi"
    if lower.startswith(("http:", "https:", "www.")):
        return "link"
    if len(value) <= 30:
        return "short"
    return "medium" if len(value) <= 250 else "long"


_SHAPES = ("empty", "year", "number", "doi", "link", "short", "medium", "long")


@dataclass
class Profiles:
    """How often each shape occurs in each column of the well-formed rows."""

    width: int
    counts: list[dict[str, int]] = field(default_factory=list)
    rows: int = 0

    def __post_init__(self) -> None:
        self.counts = [{} for _ in range(self.width)]

    def add(self, row: list[str]) -> None:
        self.rows += 1
        for index in range(self.width):
            kind = shape(row[index]) if index < len(row) else "empty"
            column = self.counts[index]
            column[kind] = column.get(kind, 0) + 1

    def score(self, index: int, cell: str) -> float:
        column = self.counts[index]
        return math.log((column.get(shape(cell), 0) + 0.5) / (self.rows + 0.5 * len(_SHAPES)))


@dataclass(frozen=True)
class Alignment:
    """A long row fitted to the header: its cells, and what could not be placed."""

    cells: list[str]
    unaligned: list[str]
    joined_at: int | None  # the column whose value was split by a stray delimiter


def align(row: list[str], profiles: Profiles, delimiter: str) -> Alignment:
    """Fit ``row`` (longer than the header) to ``profiles.width`` columns."""
    width = profiles.width
    extra = len(row) - width
    left = [0.0] * (width + 1)  # left[k]: cells 0..k-1 in their own columns
    for index in range(width):
        left[index + 1] = left[index] + profiles.score(index, row[index])
    right = [0.0] * (width + 1)  # right[k]: columns k..width-1 from the row's end
    for index in range(width - 1, -1, -1):
        right[index] = right[index + 1] + profiles.score(index, row[index + extra])
    scores = []
    for k in range(width):
        joined = delimiter.join(row[k:k + extra + 1])
        scores.append(left[k] + profiles.score(k, joined) + right[k + 1])
    best = max(scores)
    close = [k for k, value in enumerate(scores) if value >= best - _MARGIN]
    if len(close) == 1:
        k = close[0]
        return Alignment(row[:k] + [delimiter.join(row[k:k + extra + 1])] + row[k + extra + 1:],
                         [], k)
    first, last = close[0], close[-1]
    cells = row[:first] + [""] * (last - first + 1) + row[last + extra + 1:]
    return Alignment(cells, [c for c in row[first:last + extra + 1] if c.strip()], None)
