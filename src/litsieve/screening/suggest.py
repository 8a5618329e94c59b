"""Suggestions for screeners: include, exclude or unsure, and why.

A suggestion never decides anything; it tells the screener which criteria fired and
shows the words that made them fire. It is deliberately conservative, because a wrong
"exclude" costs a study while a wrong "unsure" costs a minute:

* ``exclude`` only when an exclusion criterion fires on a record with an abstract (or on
  metadata such as publication type, year or language, which needs no abstract);
* ``include`` only when every inclusion criterion is met and no exclusion fired;
* ``unsure`` otherwise: no abstract, or an inclusion criterion without evidence.

Criteria marked ``automatic`` (year and language limits) are reported separately in
:attr:`Suggestion.automatic`: those records leave before screening, counted in PRISMA as
"marked as ineligible by automation tools". The screening queue and ``litsieve suggest``
both call :func:`suggest_records`, so they always agree.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from litsieve.protocol import CriterionSpec, Search
from litsieve.record import Record
from litsieve.screening.criteria import Criterion, Outcome, compile_criteria, evaluate_all
from litsieve.screening.highlight import search_evidence, search_matcher
from litsieve.stagefiles import Suggestion, write_suggestions

__all__ = ["Suggestion", "suggest_record", "suggest_records", "write_suggestions"]

INCLUDE, EXCLUDE, UNSURE = "include", "exclude", "unsure"


def suggest_record(record: Record, criteria: Sequence[Criterion]) -> Suggestion:
    """Apply every criterion to one record and turn the outcomes into a suggestion."""
    return suggestion_of(record, evaluate_all(record, criteria))


def suggestion_of(record: Record, outcomes: Sequence[Outcome]) -> Suggestion:
    """The suggestion the criteria's outcomes make, and why."""
    criteria = [o.criterion for o in outcomes]
    has_abstract = bool(record.abstract.strip())
    automatic = [o for o in outcomes if o.fired and o.criterion.automatic]
    exclusions = [o for o in outcomes if o.fired and o.criterion.kind == "exclusion" and not o.criterion.automatic]
    clear = [o for o in exclusions if has_abstract or o.decisive]
    flags = [o for o in outcomes if o.fired and o.criterion.kind == "flag"]
    met = [o for o in outcomes if o.fired and o.criterion.kind == "inclusion"]
    unmet = tuple(o.criterion.id for o in outcomes if not o.fired and o.criterion.kind == "inclusion")
    fired = [*automatic, *exclusions, *flags, *met]
    criteria_ids = tuple(o.criterion.id for o in fired)
    evidence = tuple(_render(o) for o in fired if o.evidence)

    if automatic:
        first = automatic[0].criterion
        return Suggestion(record.record_id, EXCLUDE, criteria_ids, evidence, automatic=first.id,
                          reason=first.reason, unmet=unmet,
                          why=f"removed by automation: {first.reason}", excluded_by=first.id)
    if clear:
        first = clear[0].criterion
        names = ", ".join(o.criterion.id for o in clear)
        return Suggestion(record.record_id, EXCLUDE, criteria_ids, evidence, reason=first.reason,
                          unmet=unmet, why=f"exclusion criteria fired: {names}", excluded_by=first.id)
    if not has_abstract:
        why = "no abstract: read the full record"
        if exclusions:
            why += f" (title suggests {', '.join(o.criterion.id for o in exclusions)})"
        return Suggestion(record.record_id, UNSURE, criteria_ids, evidence, unmet=unmet, why=why)
    if flags:
        return Suggestion(record.record_id, UNSURE, criteria_ids, evidence, unmet=unmet,
                          why="check: " + "; ".join(o.criterion.label for o in flags))
    countered = [o.criterion.id for o in outcomes if o.criterion.kind != "inclusion" and o.countered]
    if unmet:
        why = f"no evidence for: {', '.join(unmet)}"
        if countered:
            why += f"; {', '.join(countered)} countered by other words"
        return Suggestion(record.record_id, UNSURE, criteria_ids, evidence, unmet=unmet, why=why)
    if not any(c.kind == "inclusion" for c in criteria):
        return Suggestion(record.record_id, UNSURE, criteria_ids, evidence,
                          why="the protocol has no inclusion criteria to check")
    why = "every inclusion criterion met, no exclusion fired"
    if countered:
        why += f" ({', '.join(countered)} countered by other words)"
    return Suggestion(record.record_id, INCLUDE, criteria_ids, evidence, why=why)


def _render(outcome: Outcome) -> str:
    return f"{outcome.criterion.id}: " + " / ".join(e.render() for e in outcome.evidence)


def suggest_records(records: Iterable[Record], specs: tuple[CriterionSpec, ...],
                    search: Search | None = None) -> list[Suggestion]:
    """Suggestions for ``records`` (in their order) under the protocol's criteria; with
    ``search``, each also shows where the search string's terms occur."""
    criteria = compile_criteria(specs)
    suggestions = [suggest_record(record, criteria) for record in records]
    if search is None:
        return suggestions
    matcher = search_matcher(search.without_limits())
    return [replace(s, search_terms=search_evidence(r, matcher)) for r, s in zip(records, suggestions)]
