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

A notice about another report (an erratum, a retraction notice, a comment or a reply:
:mod:`litsieve.studies`) is screened with that report, not on its own: when the report
reaches the pool, the notice joins the pool with it whatever the limits or the query say
of the notice itself (an erratum has no abstract for the query to match), and takes the
report's decisions at each stage. A notice whose report does not reach the pool is
treated like any other record.
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
from litsieve.studies import Studies, read_studies

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
               other_sources: Collection[str] = (), studies: Studies | None = None) -> Pool:
    """Split deduplicated records into the screening pool and the removed ones
    (``other_sources``: names of the sources that are PRISMA 2020 other methods;
    ``studies``: the study links, so that notices join the pool with their report)."""
    matcher = Matcher(protocol_query(search), fields=search.fields)
    criteria = compile_criteria(criteria_specs)
    other_sources = set(other_sources)
    studies = studies or Studies()
    ids = {record.record_id for record in records}
    pooled: dict[str, Suggestion] = {}
    removed: dict[str, Removal] = {}
    direct: list[Record] = []
    waiting: dict[str, Record] = {}  # notices whose report's fate is not known yet

    def screen(record: Record) -> None:
        suggestion = suggest_record(record, criteria)
        if suggestion.automatic:
            evidence = next((e for e in suggestion.evidence if e.startswith(f"{suggestion.automatic}:")), "")
            removed[record.record_id] = Removal(record.record_id, AUTOMATION, suggestion.automatic, evidence)
            return
        result = matcher.match(record)
        if not result.matched:
            removed[record.record_id] = Removal(record.record_id, OTHER, QUERY_CRITERION,
                                                f"not matched by the intended query ({result.reason or 'query'})")
            return
        pooled[record.record_id] = replace(suggestion, search_terms=search_evidence(record, matcher))

    for record in records:
        report = studies.report(record.record_id)
        if other_sources and found_by(record) <= other_sources:
            direct.append(record)
        elif report.is_notice and report.related_to in ids:
            waiting[record.record_id] = record
        else:
            screen(record)
    while waiting:
        # A notice joins the pool with its report; one whose report was removed, or went
        # straight to full text, is screened on its own; a circle of notices too.
        ready = {key: record for key, record in waiting.items()
                 if studies.report(key).related_to not in waiting}
        for key, record in (ready or {min(waiting): waiting[min(waiting)]}).items():
            del waiting[key]
            if studies.report(key).related_to in pooled:
                pooled[key] = replace(suggest_record(record, criteria), search_terms=search_evidence(record, matcher))
            else:
                screen(record)
    pool = [record for record in records if record.record_id in pooled]
    return Pool(pool, [removed[r.record_id] for r in records if r.record_id in removed],
                [pooled[r.record_id] for r in pool], direct)


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
    clusters: str | os.PathLike[str] | None = None,
) -> Pool:
    """The ``screen_pool`` rule: read deduplicated records, write the three files (four
    with ``other_methods_path``: the works sent straight to full text); ``clusters``:
    deduplication's clusters file, with the study links when it has them."""
    records = read_records(records_path)
    studies = read_studies(clusters)
    pool = build_pool(records, search, criteria, other_sources, studies)
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
    following = studies.followers(r.record_id for r in pool.records)
    if following:
        LOG.info("%d notices (errata, retraction notices, comments, replies) are screened with the report they are "
                 "about, not on their own", len(following))
    if pool.other_methods:
        LOG.info("%d works found by other methods only go straight to full text", len(pool.other_methods))
    LOG.info("suggestions for the pool: %s",
             ", ".join(f"{n} {k}" for k, n in by_suggestion.items()))
    return pool
