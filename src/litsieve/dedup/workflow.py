"""The dedup rule's function, and the files it writes.

Order matters: the person's review file is read (and validated) first, so a bad edit
stops the run with nothing changed; it is rewritten next; the ``results/`` outputs come
last, so they are newer than the review file and ``snakemake -n`` stays quiet.
"""

from __future__ import annotations

import csv
import os
from typing import Iterable, Sequence

from litsieve.dedup.pipeline import CLUSTER_COLUMNS, DedupResult, deduplicate
from litsieve.dedup.review import read_decisions, write_review_file
from litsieve.fileio import write_csv, write_json
from litsieve.logs import get_logger
from litsieve.protocol import DedupSettings
from litsieve.record import Record
from litsieve.records_io import RECORD_COLUMNS, RecordFile, read_records, write_records

LOG = get_logger("dedup")
PathLike = str | os.PathLike[str]


def write_outputs(result: DedupResult, *, clusters: PathLike, records: PathLike | None = None,
                  counts: PathLike | None = None) -> None:
    """Write clusters.csv, and the merged records and counts when asked for."""
    if records is not None:
        write_records(records, result.records)
    if counts is not None:
        write_json(counts, result.counts)
    write_csv(clusters, result.clusters, CLUSTER_COLUMNS)


def run_dedup(
    records_path: PathLike,
    people: PathLike,
    out_records: PathLike,
    out_clusters: PathLike,
    out_counts: PathLike,
    settings: DedupSettings | None = None,
) -> DedupResult:
    """Deduplicate the review's records, applying and updating the duplicate review file
    (``settings``: the protocol's ``dedup`` section; without it, as its defaults say)."""
    records = RecordFile(records_path)  # read on demand: a million records with abstracts do not fit twice
    decisions = read_decisions(people)
    result = deduplicate(records, decisions)
    if settings is None or settings.review:
        write_review_file(people, result.review_rows)
    write_outputs(result, clusters=out_clusters, records=out_records, counts=out_counts)
    counts = result.counts
    LOG.info("field weights estimated from these records (docs/dedup.md):\n  %s", "\n  ".join(result.weights.lines()))
    LOG.info("%d records in, %d works out, %d duplicates removed (%d by a person's decision); "
             "%d pair(s) await a person in the duplicate review file",
             counts["records_in"], counts["works_out"], counts["duplicates_removed"],
             counts["duplicates_removed_by_person"], counts["pairs_awaiting_review"])
    return result


def load_inputs(paths: Iterable[PathLike]) -> Sequence[Record]:
    """Records from any file ``litsieve import`` reads.

    A litsieve record file (``litsieve import`` output, ``results/records/all.csv``) is read
    as it is, keeping its record ids and sources; anything else goes through the importers.
    A single record file is read on demand (:class:`RecordFile`), as the workflow reads it.
    """
    from litsieve.importers import load_many

    paths = list(paths)
    if len(paths) == 1 and is_record_file(paths[0]):
        return RecordFile(paths[0])
    records: list[Record] = []
    exports: list[PathLike] = []
    for path in paths:
        if is_record_file(path):
            records.extend(read_records(path))
        else:
            exports.append(path)
    if exports:
        records.extend(load_many(exports))
    return records


def is_record_file(path: PathLike) -> bool:
    """Whether ``path`` is a CSV whose header has every record-model column."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            header = next(csv.reader([handle.readline()]), [])
    except (OSError, UnicodeDecodeError):
        return False
    return set(RECORD_COLUMNS) <= set(header)
