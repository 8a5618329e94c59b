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
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from litsieve.fileio import write_csv
from litsieve.logs import get_logger
from litsieve.query.match import Matcher
from litsieve.query.protocol import protocol_query
from litsieve.record import Record
from litsieve.records_io import read_records, write_records
from litsieve.screening.criteria import load_criteria
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


def build_pool(records: list[Record], config: dict[str, Any]) -> Pool:
    """Split deduplicated records into the screening pool and the removed ones."""
    search = config["search"]
    matcher = Matcher(protocol_query(search), fields=str(search.get("fields") or "tiab"))
    criteria = load_criteria(config)
    pool: list[Record] = []
    removed: list[Removal] = []
    suggestions: list[Suggestion] = []
    for record in records:
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
        suggestions.append(suggestion)
    return Pool(pool, removed, suggestions)


def screening_pool(
    records_path: str | os.PathLike[str],
    pool_path: str | os.PathLike[str],
    removed_path: str | os.PathLike[str],
    suggestions_path: str | os.PathLike[str],
    config: dict[str, Any],
) -> Pool:
    """The ``screening_pool`` rule: read deduplicated records, write the three files."""
    records = read_records(records_path)
    pool = build_pool(records, config)
    write_records(pool_path, pool.records)
    write_csv(removed_path, [r.to_row() for r in pool.removed], REMOVED_COLUMNS,
              neutralise=("evidence",))
    write_suggestions(suggestions_path, pool.suggestions)
    by_category = {c: sum(r.category == c for r in pool.removed) for c in (AUTOMATION, OTHER)}
    by_suggestion = {k: sum(s.suggestion == k for s in pool.suggestions) for k in ("include", "exclude", "unsure")}
    LOG.info("%d records: %d to screen, %d removed by automation, %d removed for other reasons",
             len(records), len(pool.records), by_category[AUTOMATION], by_category[OTHER])
    LOG.info("suggestions for the pool: %s",
             ", ".join(f"{n} {k}" for k, n in by_suggestion.items()))
    return pool
