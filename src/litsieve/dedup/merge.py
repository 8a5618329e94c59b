"""One record per work: keep the most complete record, fill its gaps from the others.

The kept record is the one a screener would want to read: it has an abstract, a DOI,
full author names rather than initials, and the most filled fields; ties go to the
smallest record id, so the choice never depends on input order. Fields the kept record
lacks are filled from the others (most complete first). Every merged record id and its
source stays in ``extra`` (``duplicate_ids``, ``dedup_source_ids``), so any record can be
traced back to every export it came from and PRISMA counts per source stay right.
"""

from __future__ import annotations

import copy
import dataclasses
import operator
import re
from typing import Sequence, overload

from litsieve.record import LIST_FIELDS, RECORD_FIELDS, Record

_FILLABLE = tuple(f for f in RECORD_FIELDS if f not in {"record_id", "source", "source_file"})
_fillable = operator.attrgetter(*_FILLABLE)
_FULL_GIVEN = re.compile(r",\s*\w{2,}(?<!\.)")
_INITIALS = re.compile(r",\s*[A-Z]{2,3}$")


def full_name_share(record: Record) -> float:
    """Share of authors written with a given name rather than initials (``Smith, John``)."""
    if not record.authors:
        return 0.0
    full = sum(1 for a in record.authors if _FULL_GIVEN.search(a) and not _INITIALS.search(a))
    return full / len(record.authors)


def completeness(record: Record) -> tuple[object, ...]:
    """Sort key: larger is more complete (abstract, DOI, full names, filled fields)."""
    values = _fillable(record)
    filled = len(values) - values.count("") - values.count(None) - values.count([])  # not in ("", None, [])
    return (
        bool(record.abstract.strip()),
        bool(record.doi.strip()),
        round(full_name_share(record), 2),
        filled,
        len(record.abstract),
    )


def completeness_code(record: Record) -> int:
    """:func:`completeness` as one integer that orders records the same way (larger: more complete).

    Eight bytes a record, so deduplication keeps every record's code from its one pass over
    the records and chooses the kept record of a cluster without reading its members again.
    Fields from the most significant bits: abstract, DOI, full-name share in hundredths (7
    bits), filled fields (6 bits), abstract length (48 bits).
    """
    abstract, doi, share, filled, length = completeness(record)
    return ((bool(abstract) << 62) | (bool(doi) << 61) | (round(float(share) * 100) << 54)  # type: ignore[arg-type]
            | (int(filled) << 48) | min(int(length), (1 << 48) - 1))  # type: ignore[call-overload]


def _rank(record: Record) -> tuple[int, str]:
    """Sort key putting the most complete record first, ties by smallest id."""
    return (-completeness_code(record), record.record_id)


def choose_kept(records: Sequence[Record]) -> Record:
    """The most complete record; ties broken by the smallest record id."""
    if len(records) == 1:
        return records[0]
    return min(records, key=_rank)


def kept_member(members: Sequence[int], codes: Sequence[int], ids: Sequence[str]) -> int:
    """:func:`choose_kept` of a cluster's members from their :func:`completeness_code` values."""
    return min(members, key=lambda i: (-codes[i], ids[i]))


def merge_cluster(records: Sequence[Record], cluster_id: str) -> Record:
    """The kept record, gaps filled from the others, with every source id in ``extra``."""
    if len(records) == 1:
        return records[0]
    ranked = sorted(records, key=_rank)
    kept, others = ranked[0], ranked[1:]
    merged = dataclasses.replace(kept, authors=list(kept.authors), keywords=list(kept.keywords),
                                 publication_types=list(kept.publication_types), extra=copy.deepcopy(kept.extra))
    filled_from: dict[str, str] = {}
    for name in _FILLABLE:
        if getattr(merged, name) not in ("", None, []):
            continue
        for other in others:
            value = getattr(other, name)
            if value not in ("", None, []):
                setattr(merged, name, list(value) if name in LIST_FIELDS else value)
                filled_from[name] = other.record_id
                break
    by_source: dict[str, list[str]] = {}
    for record in records:
        by_source.setdefault(record.source or "", []).append(record.record_id)
    merged.extra["dedup_cluster_id"] = cluster_id
    merged.extra["duplicate_ids"] = sorted(r.record_id for r in others)
    merged.extra["dedup_source_ids"] = {s: sorted(ids) for s, ids in sorted(by_source.items())}
    if filled_from:
        merged.extra["dedup_filled_from"] = dict(sorted(filled_from.items()))
    return merged


class MergedWorks(Sequence[Record]):
    """One merged record per work, in record id order, built when asked for.

    Holding a million merged records (abstracts and all) costs gigabytes, and the workflow
    only streams them to a file, so each work is merged again from its members when read
    (:func:`merge_cluster` depends on the members alone, so every read gives the same record).
    ``works`` holds, per work, the merged record's id, the cluster id and the member indices
    into ``records``; the records themselves may be a :class:`litsieve.records_io.RecordFile`.
    """

    def __init__(self, records: Sequence[Record], works: list[tuple[str, str, tuple[int, ...]]]) -> None:
        self._records = records
        self._works = sorted(works)

    def __len__(self) -> int:
        return len(self._works)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._works)))]
        _, cluster_id, members = self._works[index]
        return merge_cluster([self._records[i] for i in members], cluster_id)
