"""Records that came back from a re-export under a new id: their decisions follow them.

A record without a database identifier (PMID, accession number) is known by a hash of its
content (:func:`litsieve.record.assign_ids`), so a re-export that changes one detail (the
pages of an article that was in press) gives it a new id. Its row would go to the orphans
file and the record would wait as undecided, as if nobody had screened it. Before merging,
a stage matches the rows whose records left the review to the records new to it, on what
the rows show of the work: the same title, first author and year (folded: case, accents,
punctuation do not matter) and no two different DOIs. Only a one-to-one match counts: if
two rows or two records share those, nothing is carried (the rows go to the orphans file,
as before), because attaching a decision to the wrong record is worse than asking again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Collection, Iterable, Mapping, Sequence

from litsieve.personfile import PersonRow
from litsieve.record import LIST_SEPARATOR, Record
from litsieve.text.fold import fold

# Titles this short ("Editorial", "Letter to the editor") name no work on their own.
MIN_TITLE_WORDS = 4


def _identity(title: str, first_author: str, year: str) -> tuple[str, str, str] | None:
    words = re.sub(r"\W+", " ", fold(title)).split()
    if len(words) < MIN_TITLE_WORDS:
        return None
    surname = re.sub(r"\W+", " ", fold(first_author.split(",")[0])).strip()
    return " ".join(words), surname, year.strip()


def _row_identity(row: PersonRow) -> tuple[str, str, str] | None:
    return _identity(row.get("title"), row.get("authors").split(LIST_SEPARATOR)[0], row.get("year"))


def _record_identity(record: Record) -> tuple[str, str, str] | None:
    return _identity(record.title, record.authors[0] if record.authors else "",
                     "" if record.year is None else str(record.year))


def reidentified(rows: Iterable[PersonRow], records: Sequence[Record], seen: Collection[str],
                 aliases: Mapping[str, str]) -> dict[str, str]:
    """Old id -> new id for rows (with something typed) whose record now has another id.

    ``rows``: the stage's queue and orphan rows as people left them; ``seen``: every id
    those files ever held (a record among them is not new); ``aliases``: ids
    deduplication already maps (they follow their work anyway).
    """
    current = {r.record_id for r in records}
    gone: dict[tuple[str, str, str], list[PersonRow]] = defaultdict(list)
    for row in rows:
        if row.key in current or row.key in aliases:
            continue
        identity = _row_identity(row)
        if identity is not None and all(row.key != other.key for other in gone[identity]):
            gone[identity].append(row)
    fresh: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for record in records:
        identity = _record_identity(record)
        if record.record_id not in seen and identity in gone:
            fresh[identity].append(record)
    mapping: dict[str, str] = {}
    for identity, candidates in fresh.items():
        (row, *others), (record, *more) = gone[identity], candidates
        if others or more:
            continue  # not one to one: unsure
        doi = row.get("doi").strip().casefold()
        if doi and record.doi and doi != record.doi.casefold():
            continue
        mapping[row.key] = record.record_id
    return mapping
