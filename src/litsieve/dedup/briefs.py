"""Every record of a review, without its abstract, kept compact in memory for the study links.

Linking reports into studies (:mod:`litsieve.dedup.studies`) looks at every record several
times: its title and publication types (a notice?), journal and URL (a registry entry?),
PMID, DOI and stated links. When the records are read on demand from the record file
(:class:`litsieve.records_io.RecordFile`), reading each one back several times costs more
than the rest of deduplication; holding every full record costs gigabytes at a million
records, most of it abstracts. So each record is kept as one ``marshal`` string of its
fields with the abstract and keywords left out (a few hundred bytes), and rebuilt when
asked for. The registration numbers an abstract or keywords name are kept in ``extra``
under :data:`litsieve.importers.registry.REGISTRY_KEY`, so
:func:`~litsieve.importers.registry.record_registry_ids` gives the same list for the brief
record as for the full one.
"""

from __future__ import annotations

import dataclasses
import marshal
import pickle
from typing import Iterator, Sequence, overload

from litsieve.importers.registry import REGISTRY_KEY, record_registry_ids
from litsieve.record import Record

_FIELDS = tuple(f.name for f in dataclasses.fields(Record))
_ABSTRACT = _FIELDS.index("abstract")
_KEYWORDS = _FIELDS.index("keywords")
_EXTRA = _FIELDS.index("extra")
_PICKLED = b"\x00"  # marshal's output never starts with a zero byte
_RECENT = 64  # records rebuilt lately, kept: the study links ask for one cluster's records in a row


def brief(record: Record) -> bytes:
    """``record`` without abstract and keywords, its registration numbers kept, as one string."""
    values = [getattr(record, name) for name in _FIELDS]
    values[_ABSTRACT] = ""
    values[_KEYWORDS] = []
    registry = record_registry_ids(record)
    if registry:
        values[_EXTRA] = {**record.extra, REGISTRY_KEY: registry}
    try:
        return marshal.dumps(tuple(values))
    except ValueError:  # an extra value marshal cannot write (records from an importer, not a file)
        return _PICKLED + pickle.dumps(tuple(values))


class BriefRecords(Sequence[Record]):
    """Records as :func:`brief` keeps them, rebuilt (as new objects) when read."""

    def __init__(self, briefs: list[bytes]) -> None:
        self._briefs = briefs
        self._recent: dict[int, Record] = {}

    def __len__(self) -> int:
        return len(self._briefs)

    def _rebuild(self, index: int) -> Record:
        data = self._briefs[index]
        values = pickle.loads(data[1:]) if data[:1] == _PICKLED else marshal.loads(data)
        return Record(*values)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._briefs)))]
        if index < 0:
            index += len(self._briefs)
        found = self._recent.get(index)
        if found is None:
            if len(self._recent) >= _RECENT:
                self._recent.clear()
            found = self._recent[index] = self._rebuild(index)
        return found

    def __iter__(self) -> Iterator[Record]:
        for index in range(len(self._briefs)):
            yield self._rebuild(index)
