"""The records that reach screening, and the ones that leave before anyone reads them.

After deduplication every work either goes to the screeners' pool or is removed before
screening, for one of the two reasons PRISMA 2020 counts separately:

* ``automation``: an ``automatic`` criterion of the protocol (year or language limits)
  fired, "records marked as ineligible by automation tools";
* ``other``: the protocol's intended query does not match the record's title and
  abstract, "records removed for other reasons". This happens when a database read an
  ambiguous search string differently from what the protocol intends (PubMed reads
  AND/OR left to right, EBSCOhost gives AND precedence), so the export holds records
  the review never meant to find.

Automatic criteria are checked first, so a record failing both is counted once, under
automation. Every removal names the criterion and the evidence, so the counts in the flow
diagram can be traced back to records.

A work found only by PRISMA 2020's "other methods" (sources of ``kind`` website,
organisation or citation_search: a reference list, a charity's report) is neither
screened at title/abstract nor removed here: PRISMA 2020 sends such records straight to
"reports sought for retrieval", and neither the search string nor the automatic limits
were ever applied to how they were found. They go to ``other_methods.csv`` and the
full-text stage. A work a database also found is screened with the database's records.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Collection

from litsieve.fileio import write_csv
from litsieve.logs import get_logger
from litsieve.query.match import Matcher
from litsieve.protocol import CriterionSpec, Search
from litsieve.query.protocol import protocol_query
from litsieve.record import Record
from litsieve.records_io import read_records, write_records
from litsieve.screening.criteria import compile_criteria
from litsieve.screening.highlight import search_evidence
from litsieve.screening.suggest import Suggestion, suggest_record, write_suggestions

AUTOMATION, OTHER = "automation", "other"
QUERY_CRITERION = "intended_query"
REMOVED_COLUMNS: tuple[str, ...] = ("record_id", "category", "criterion", "evidence")
LOG = get_logger("screening.pool")


@dataclass(frozen=True)
class Removal:
    """A record removed before screening, and why."""

    record_id: str
    category: str  # AUTOMATION or OTHER
    criterion: str
    evidence: str

    def to_row(self) -> dict[str, str]:
        return {"record_id": self.record_id, "category": self.category,
                "criterion": self.criterion, "evidence": self.evidence}


@dataclass(frozen=True)
class Pool:
    """The records for screeners, the removed ones, and the pool's suggestions."""

    records: list[Record]
    removed: list[Removal]
    suggestions: list[Suggestion]
    other_methods: list[Record] = field(default_factory=list)


def found_by(record: Record) -> set[str]:
    """The sources of every record merged into this work (deduplication keeps them in ``extra``)."""
    by_source = record.extra.get("dedup_source_ids")
    return set(by_source) if isinstance(by_source, dict) and by_source else {record.source}


def build_pool(records: list[Record], search: Search, criteria_specs: tuple[CriterionSpec, ...],
               other_sources: Collection[str] = ()) -> Pool:
    """Split deduplicated records into the screening pool and the removed ones
    (``other_sources``: names of the sources that are PRISMA 2020 other methods)."""
    matcher = Matcher(protocol_query(search), fields=search.fields)
    criteria = compile_criteria(criteria_specs)
    other_sources = set(other_sources)
    pool: list[Record] = []
    removed: list[Removal] = []
    suggestions: list[Suggestion] = []
    direct: list[Record] = []
    for record in records:
        if other_sources and found_by(record) <= other_sources:
            direct.append(record)
            continue
        suggestion = suggest_record(record, criteria)
        if suggestion.automatic:
            evidence = next((e for e in suggestion.evidence if e.startswith(f"{suggestion.automatic}:")), "")
            removed.append(Removal(record.record_id, AUTOMATION, suggestion.automatic, evidence))
            continue
        result = matcher.match(record)
        if not result.matched:
            removed.append(Removal(record.record_id, OTHER, QUERY_CRITERION,
                                   f"not matched by the intended query ({result.reason or 'query'})"))
            continue
        pool.append(record)
        suggestions.append(replace(suggestion, search_terms=search_evidence(record, matcher)))
    return Pool(pool, removed, suggestions, direct)


def screening_pool(
    records_path: str | os.PathLike[str],
    pool_path: str | os.PathLike[str],
    removed_path: str | os.PathLike[str],
    suggestions_path: str | os.PathLike[str],
    other_methods_path: str | os.PathLike[str] | None = None,
    *,
    search: Search,
    criteria: tuple[CriterionSpec, ...],
    other_sources: Collection[str] = (),
) -> Pool:
    """The ``screen_pool`` rule: read deduplicated records, write the three files (four
    with ``other_methods_path``: the works sent straight to full text)."""
    records = read_records(records_path)
    pool = build_pool(records, search, criteria, other_sources)
    if pool.other_methods and other_methods_path is None:
        raise ValueError("the protocol has other-method sources: pass other_methods_path")
    write_records(pool_path, pool.records)
    if other_methods_path is not None:
        write_records(other_methods_path, pool.other_methods)
    write_csv(removed_path, [r.to_row() for r in pool.removed], REMOVED_COLUMNS)
    write_suggestions(suggestions_path, pool.suggestions)
    by_category = {c: sum(r.category == c for r in pool.removed) for c in (AUTOMATION, OTHER)}
    by_suggestion = {k: sum(s.suggestion == k for s in pool.suggestions) for k in ("include", "exclude", "unsure")}
    LOG.info("%d records: %d to screen, %d removed by automation, %d removed for other reasons",
             len(records), len(pool.records), by_category[AUTOMATION], by_category[OTHER])
    if pool.other_methods:
        LOG.info("%d works found by other methods only go straight to full text", len(pool.other_methods))
    LOG.info("suggestions for the pool: %s",
             ", ".join(f"{n} {k}" for k, n in by_suggestion.items()))
    return pool
