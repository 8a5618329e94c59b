"""Replay the screening of a labelled review with the queue's own ranking code.

The labels are held by a :class:`LabelOracle`, which reveals one label per screened
record. The replay loop never sees the label table: it asks the oracle about a record
only when that record is screened, so the order up to any point cannot depend on labels
of records screened later (``tests/test_ranking_simulate.py`` checks this by poisoning
them).

Order of a replay:

1. Two prior records, one relevant and one irrelevant, drawn with the seed: the oracle
   walks a seeded random permutation of the records and takes the first relevant and
   the first irrelevant one (each is then a uniform draw from its class). Only the labels
   it walks past are read; :attr:`LabelOracle.peeked` lists them.
2. Then batches in the order :meth:`litsieve.ranking.ranker.Ranker.rank` proposes (the
   queue's ranker), retrained before each batch, with batch sizes from
   :func:`litsieve.ranking.schedule.batch_size` (the real queue's schedule).
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from litsieve.errors import ImportFormatError
from litsieve.fileio import CSV_FIELD_LIMIT
from litsieve.ranking.features import record_text
from litsieve.ranking.ranker import Ranker
from litsieve.ranking.schedule import batch_size

TRUE_VALUES = {"1", "1.0", "true", "yes", "include", "included"}
FALSE_VALUES = {"0", "0.0", "false", "no", "exclude", "excluded"}


class LabelOracle:
    """Holds the true labels and reveals them one screened record at a time."""

    def __init__(self, labels: Mapping[str, int]) -> None:
        self.__labels = dict(labels)
        self.screened: list[str] = []
        self.peeked: set[str] = set()

    def __len__(self) -> int:
        return len(self.__labels)

    def screen(self, record_id: str) -> int:
        """The label of ``record_id``, which counts as screened from now on."""
        if record_id in self.screened:
            raise ValueError(f"{record_id} screened twice")
        self.screened.append(record_id)
        return self.__labels[record_id]

    def draw_priors(self, record_ids: Sequence[str], seed: int) -> tuple[str, str]:
        """One relevant and one irrelevant record, drawn with ``seed`` (not yet screened)."""
        rng = np.random.default_rng(seed)
        relevant: str | None = None
        irrelevant: str | None = None
        for index in rng.permutation(len(record_ids)):
            record_id = record_ids[int(index)]
            self.peeked.add(record_id)
            if self.__labels[record_id] == 1:
                relevant = relevant or record_id
            else:
                irrelevant = irrelevant or record_id
            if relevant and irrelevant:
                return relevant, irrelevant
        raise ValueError("the data need at least one relevant and one irrelevant record")


@dataclass
class SimulationData:
    """A labelled data set: record ids, the text the ranker reads, and the labels (kept apart)."""

    record_ids: list[str]
    texts: list[str]
    labels: dict[str, int] = field(repr=False)


@dataclass(frozen=True)
class ScreeningStep:
    """One screened record: its label and how many decisions the ranking that chose it was trained on."""

    record_id: str
    label: int
    trained_on: int


def replay(record_ids: Sequence[str], texts: Sequence[str], oracle: LabelOracle, seed: int) -> list[ScreeningStep]:
    """Screen every record once, in the order the queue would have shown them."""
    ranker = Ranker(record_ids, texts)
    steps: list[ScreeningStep] = []
    decided_rows: list[int] = []
    decided_labels: list[int] = []

    def screen(row: int, trained_on: int) -> None:
        label = oracle.screen(record_ids[row])
        decided_rows.append(row)
        decided_labels.append(label)
        steps.append(ScreeningStep(record_ids[row], label, trained_on))

    for prior in oracle.draw_priors(record_ids, seed):
        screen(ranker.row_of[prior], 0)
    total = len(record_ids)
    while len(decided_rows) < total:
        trained_on = len(decided_rows)
        for row in ranker.rank(decided_rows, decided_labels)[: batch_size(trained_on)]:
            screen(int(row), trained_on)
    return steps


def _find_column(header: Sequence[str], wanted: Sequence[str]) -> int | None:
    lowered = [name.strip().lower() for name in header]
    for name in wanted:
        if name in lowered:
            return lowered.index(name)
    return None


def _parse_label(value: str, path: Path, row: int, column: str) -> int:
    text = value.strip().lower()
    if text in TRUE_VALUES:
        return 1
    if text in FALSE_VALUES:
        return 0
    raise ImportFormatError(f"label {value!r} is not 0 or 1", file=str(path), row=row, field=column,
                            hint="use 1 for relevant (included) and 0 for irrelevant")


def read_simulation_data(path: str | Path, label_column: str) -> SimulationData:
    """Read a labelled CSV (optionally gzipped): title and abstract, ids and labels.

    Column names match case-insensitively. ``record_id`` comes from a ``record_id`` or
    ``id`` column, else the data row number (1 = first row after the header). Rows are
    numbered as a spreadsheet shows them (header = row 1) in error messages.
    """
    source = Path(path)
    if not source.exists():
        raise ImportFormatError("file not found", file=str(source))
    raw = source.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(source),
                                hint="save the file as CSV UTF-8") from None
    csv.field_size_limit(CSV_FIELD_LIMIT)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ImportFormatError("empty file", file=str(source), hint="the first row must name the columns")
    header, body = rows[0], rows[1:]
    label_at = _find_column(header, [label_column.strip().lower()])
    if label_at is None:
        raise ImportFormatError(f"no column {label_column!r}; columns are {', '.join(header)}",
                                file=str(source), line=1, field=label_column)
    title_at = _find_column(header, ["title", "ti", "primary_title"])
    abstract_at = _find_column(header, ["abstract", "ab", "notes_abstract"])
    if title_at is None and abstract_at is None:
        raise ImportFormatError("no title or abstract column", file=str(source), line=1, field="title",
                                hint="name the columns 'title' and 'abstract'")
    id_at = _find_column(header, ["record_id", "id"])

    def cell(values: list[str], at: int | None) -> str:
        return values[at] if at is not None and at < len(values) else ""

    record_ids: list[str] = []
    texts: list[str] = []
    labels: dict[str, int] = {}
    for number, values in enumerate(body, start=2):
        if not any(v.strip() for v in values):
            continue
        record_id = cell(values, id_at).strip() if id_at is not None else str(number - 1)
        if not record_id:
            raise ImportFormatError("empty record id", file=str(source), row=number, field=header[id_at or 0])
        if record_id in labels:
            raise ImportFormatError(f"record id {record_id!r} appears twice", file=str(source), row=number,
                                    field=header[id_at or 0], hint="ids must be unique")
        labels[record_id] = _parse_label(cell(values, label_at), source, number, header[label_at])
        record_ids.append(record_id)
        texts.append(record_text(cell(values, title_at), cell(values, abstract_at)))
    if len(set(labels.values())) < 2:
        raise ImportFormatError("the labels need at least one relevant (1) and one irrelevant (0) record",
                                file=str(source), field=header[label_at])
    return SimulationData(record_ids, texts, labels)


def simulate(data: SimulationData, seed: int) -> list[ScreeningStep]:
    """Replay screening of ``data`` with ``seed``; the labels go into an oracle first."""
    return replay(data.record_ids, data.texts, LabelOracle(data.labels), seed)
