"""The conflicts file of a stage: where a third person settles disagreements.

``screening/conflicts/{stage}.csv`` lists every record on which the screeners disagree,
with each screener's decision, reason and note side by side, and a ``resolution`` column
for the third person. A row stays in the file once a resolution is typed in it, even if
the screeners later come to agree, so an adjudication is never dropped; its ``status``
column says how things stand.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from litsieve.personfile import PersonFileSpec, PersonRow
from litsieve.protocol import CriterionSpec
from litsieve.record import Record
from litsieve.screening.decisions import NOT_RETRIEVED, Outcome
from litsieve.screening.queue import FULL_TEXT, HELP_TITLE, link, reason_help, reason_names

OPEN = "open"
RESOLVED = "resolved"
AGREE_NOW = "resolved; the screeners now agree"
CONFLICT_PERSON = ("resolution", "reason", "note")


def screener_columns(name: str, stage: str) -> tuple[str, ...]:
    columns = (f"{name} decision", f"{name} reason", f"{name} note")
    return (f"{name} retrieval", *columns) if stage == FULL_TEXT else columns


def conflict_spec(stage: str, names: Sequence[str], criteria: tuple[CriterionSpec, ...]) -> PersonFileSpec:
    # What the third person types comes first after the title, then what each screener
    # said, then the link and (at title/abstract) the abstract they decide from.
    columns = ["record_id", "status", "title", *CONFLICT_PERSON]
    for name in names:
        columns += screener_columns(name, stage)
    columns += ["link", *(["abstract"] if stage != FULL_TEXT else [])]
    resolutions = ("include", "exclude", NOT_RETRIEVED) if stage == FULL_TEXT else ("include", "exclude")
    return PersonFileSpec(
        relative=f"conflicts/{stage}.csv",
        columns=tuple(columns),
        person_columns=CONFLICT_PERSON,
        choices={"resolution": resolutions, "reason": tuple(reason_names(criteria))},
        description=f"{stage.replace('_', '/')} disagreements for a third person",
        help={"title": HELP_TITLE, "resolution": " or ".join(resolutions) + " (it decides the record)",
              "reason": reason_help(criteria, required=stage == FULL_TEXT), "note": "anything you like"},
    )


def conflict_rows(
    outcomes: Sequence[Outcome],
    records: Mapping[str, Record],
    existing: Mapping[str, PersonRow],
    stage: str,
    person_columns: Sequence[str] = CONFLICT_PERSON,
) -> list[dict[str, str]]:
    """Rows for every disagreement, and for every record someone already resolved.

    Open conflicts come first, then resolved ones, each by record id.
    """
    rows = []
    for outcome in outcomes:
        typed = existing.get(outcome.record_id)
        has_resolution = typed is not None and any(typed.get(c).strip() for c in person_columns)
        if not (outcome.disagreement or has_resolution):
            continue
        if outcome.resolution.decision:
            status = RESOLVED if outcome.disagreement else AGREE_NOW
        else:
            status = OPEN if outcome.disagreement else "waiting for the screeners"
        record = records[outcome.record_id]
        row = {"record_id": outcome.record_id, "status": status, "title": record.title,
               "abstract": record.abstract, "link": link(record)}
        for name, decision in outcome.by_screener.items():
            retrieval, decision_text = "", decision.decision
            if decision.decision == NOT_RETRIEVED:
                retrieval, decision_text = NOT_RETRIEVED, ""
            values = dict(zip(screener_columns(name, stage)[-3:], (decision_text, decision.reason, decision.note)))
            if stage == FULL_TEXT:
                values[f"{name} retrieval"] = retrieval
            row.update(values)
        rows.append(row)
    rows.sort(key=lambda r: (r["status"] != OPEN, r["record_id"]))
    return rows
