"""From what screeners typed to one final decision per record.

A record moves on only when every screener of the stage has decided and they agree, or
when the third person has resolved the disagreement in the conflicts file (a resolution
always wins, so a deliberate adjudication is never silently overridden). Until then it is
``awaiting`` (someone has not decided) or ``conflict`` (they disagree).

At title/abstract a "maybe" counts as an include (``screeners.maybe: include``, the
default: unclear records go on to full text) or always goes to the third person
(``screeners.maybe: conflict``). At full text a report the team could not obtain is
``not retrieved`` (counted apart in PRISMA), and every exclusion needs a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from litsieve.errors import ScreeningFileError
from litsieve.personfile import PersonFileSpec, PersonRow
from litsieve.screening.queue import FULL_TEXT

NOT_RETRIEVED = "not retrieved"
# Final decisions in results/screening/{stage}.csv.
INCLUDE, EXCLUDE, AWAITING, CONFLICT, NOT_RETRIEVED_FINAL = (
    "include", "exclude", "awaiting", "conflict", "not_retrieved",
)
FINAL_DECISIONS = (INCLUDE, EXCLUDE, NOT_RETRIEVED_FINAL, CONFLICT, AWAITING)
#: The ``basis`` of a notice's decision: it takes the decision of the report it is about
#: (:mod:`litsieve.studies`), nobody screens it on its own.
WITH_STUDY = "with its study"


@dataclass(frozen=True)
class Decision:
    """One person's decision on one record, canonically spelled."""

    decision: str = ""  # include / exclude / maybe / not retrieved, or "" when undecided
    reason: str = ""    # the reported label of the exclusion reason
    note: str = ""


@dataclass
class Outcome:
    """The final state of one record at one stage."""

    record_id: str
    decision: str
    reason: str = ""
    basis: str = ""  # agreement / single screener / resolution
    by_screener: dict[str, Decision] = field(default_factory=dict)
    resolution: Decision = Decision()
    disagreement: bool = False  # the screeners' decisions differ (resolved or not)
    order: dict[str, int] = field(default_factory=dict)  # screener -> when they decided it (1 = first)


def read_decisions(
    rows: Iterable[PersonRow],
    spec: PersonFileSpec,
    stage: str,
    reasons: Mapping[str, str],
    *,
    decision_column: str = "decision",
    path: str = "",
) -> dict[str, Decision]:
    """Canonical decisions by record id; rejects a full-text exclusion without a reason.

    Raises :class:`ScreeningFileError` naming the file, the spreadsheet row and the column,
    before anything is written, so nothing typed is lost by the error.
    """
    decisions: dict[str, Decision] = {}
    for row in rows:
        decision = spec.choice(decision_column, row.get(decision_column))
        reason_text = spec.choice("reason", row.get("reason"))
        reason = reasons.get(reason_text, reason_text)
        if stage == FULL_TEXT:
            retrieval = spec.choice("retrieval", row.get("retrieval")) if "retrieval" in spec.columns else ""
            if retrieval == NOT_RETRIEVED:
                if decision and decision != NOT_RETRIEVED:
                    raise ScreeningFileError(
                        f"record {row.key} is marked 'not retrieved' but has the decision '{decision}'",
                        file=path, row=row.line, field="retrieval",
                        hint="a report that was not retrieved cannot be assessed: clear one of the two",
                    )
                decision = NOT_RETRIEVED
            if decision == "exclude" and not reason:
                raise ScreeningFileError(
                    f"record {row.key} is excluded at full text without a reason",
                    file=path, row=row.line, field="reason",
                    hint="give one of the protocol's exclusion reasons (docs/screening.md lists them); "
                         "nothing you typed has been changed",
                )
        decisions[row.key] = Decision(decision, reason, row.get("note"))
    return decisions


def category(decision: str, policy: str) -> str:
    """What a decision means for moving on: a "maybe" is an include unless a third person decides."""
    if decision == "maybe" and policy == "include":
        return INCLUDE
    return decision


def final_value(decision: str) -> str:
    return NOT_RETRIEVED_FINAL if decision == NOT_RETRIEVED else decision


def combine(
    record_ids: Sequence[str],
    screeners: Sequence[str],
    by_screener: Mapping[str, Mapping[str, Decision]],
    resolutions: Mapping[str, Decision],
    policy: str = "include",
) -> list[Outcome]:
    """The final decision of every record (see the module docstring for the rules)."""
    outcomes = []
    for record_id in record_ids:
        mine = {s: by_screener.get(s, {}).get(record_id, Decision()) for s in screeners}
        categories = [category(d.decision, policy) for d in mine.values()]
        decided = all(categories)
        disagreement = decided and (len(set(categories)) > 1 or "maybe" in categories)
        resolution = resolutions.get(record_id, Decision())
        outcome = Outcome(record_id, AWAITING, by_screener=mine, resolution=resolution,
                          disagreement=disagreement)
        if resolution.decision:
            outcome.decision = final_value(category(resolution.decision, "include"))
            outcome.reason = resolution.reason or _first_reason(mine.values(), resolution.decision)
            outcome.basis = "resolution"
        elif disagreement:
            outcome.decision = CONFLICT
        elif decided:
            outcome.decision = final_value(categories[0])
            outcome.reason = _first_reason(mine.values(), categories[0]) if categories[0] == EXCLUDE else ""
            outcome.basis = "agreement" if len(screeners) > 1 else "single screener"
        outcomes.append(outcome)
    return outcomes


def _first_reason(decisions: Iterable[Decision], decision: str) -> str:
    for item in decisions:
        if item.decision == decision and item.reason:
            return item.reason
    return ""
