"""One screening stage, run by the workflow: merge the queues, settle decisions, write the state.

For each stage (title/abstract, then full text) the rule:

1. reads and checks every file people edit for the stage (each screener's queue and the
   conflicts file) before anything is written, so a bad cell stops the run with
   nothing changed;
2. merges the freshly generated rows into each screener's queue
   (:func:`litsieve.personfile.update_person_file`: typed cells kept, new records appended,
   vanished ones moved to the orphans file);
3. combines the screeners' decisions (:mod:`litsieve.screening.decisions`), refreshes the
   conflicts file, and
4. writes ``results/screening/{stage}.csv``: one row per record with the final decision,
   reason, how it was reached, and each screener's decision (read by the report, the
   ranker and :mod:`litsieve.screening.status`).

A notice (an erratum, a retraction notice, a comment or a reply: :mod:`litsieve.studies`)
is not in any queue: the row of the report it is about says it has one, and the notice
takes that report's decision (basis ``with its study``). A row someone had already
decided stays in their file with what they typed, marked as following its report.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

from litsieve.logs import get_logger
from litsieve.personfile import (
    PersonFileSpec,
    PersonRow,
    PersonState,
    PersonTable,
    has_person_content,
    orphans_path,
    read_issued,
    read_person_file,
    read_person_state,
    update_person_file,
)
from litsieve.protocol import CriterionSpec
from litsieve.record import Record
from litsieve.records_io import read_records
from litsieve.screening.conflicts import conflict_rows, conflict_spec
from litsieve.screening.order import update_order
from litsieve.screening.reidentify import reidentified
from litsieve.screening.decisions import (
    INCLUDE,
    NOT_RETRIEVED,
    WITH_STUDY,
    Decision,
    Outcome,
    combine,
    read_decisions,
)
from litsieve.stagefiles import (
    ScreenerDecision,
    StageDecision,
    read_stage_decisions,
    read_suggestions,
    write_stage_decisions,
)
from litsieve.screening.queue import (
    FULL_TEXT,
    TITLE_ABSTRACT,
    aliases,
    labels_from,
    priority_order,
    queue_spec,
    reason_names,
    record_cells,
    record_sources,
    title_abstract_rows,
    undecided_first,
)
from litsieve.studies import Studies, read_studies

LOG = get_logger("screening")


def stage_decisions(outcomes: Sequence[Outcome]) -> list[StageDecision]:
    """The stage file's rows (:class:`litsieve.stagefiles.StageDecision`), by record id."""
    return [
        StageDecision(
            outcome.record_id, outcome.decision, outcome.reason, outcome.basis,
            {name: ScreenerDecision(decision.decision, decision.reason, outcome.order.get(name))
             for name, decision in outcome.by_screener.items()},
            outcome.resolution.decision,
        )
        for outcome in sorted(outcomes, key=lambda o: o.record_id)
    ]


def _aliased(decisions: Mapping[str, Decision], alias_map: Mapping[str, str]) -> dict[str, Decision]:
    return {alias_map.get(key, key): value for key, value in decisions.items()}


def _settles(resolution: Decision) -> tuple[str, str]:
    return resolution.decision, resolution.reason


def full_text_undecided_first(rows: list[PersonRow]) -> list[PersonRow]:
    def open_(row: PersonRow) -> bool:
        return not row.get("decision").strip() and row.get("retrieval").strip().casefold() != NOT_RETRIEVED

    return [r for r in rows if open_(r)] + [r for r in rows if not open_(r)]


def run_stage(
    stage: str,
    names: Sequence[str],
    policy: str,
    criteria: tuple[CriterionSpec, ...],
    people: Path,
    records: Sequence[Record],
    rows_for: Callable[[str, PersonTable, PersonFileSpec, Mapping[str, str]], list[dict[str, str]]],
    order: Callable[[list[PersonRow]], list[PersonRow]],
) -> list[Outcome]:
    """Steps 1-3 of the module docstring for one stage (``names``: its screeners;
    ``policy``: what a "maybe" does); returns every record's outcome. ``rows_for`` gives a
    screener's generated rows from their file as read and the id aliases."""
    reasons = reason_names(criteria)
    by_id = {r.record_id: r for r in records}
    specs = {name: queue_spec(stage, name, criteria) for name in names}
    cspec = conflict_spec(stage, names, criteria)

    states = {name: read_person_state(people, spec) for name, spec in specs.items()}
    cstate = read_person_state(people, cspec)
    for name, person in states.items():
        read_decisions(person.table.rows, specs[name], stage, reasons, path=str(person.table.path))
    read_decisions(cstate.table.rows, cspec, stage, reasons, decision_column="resolution", path=str(cstate.path))
    alias_map = stage_aliases(people, records, specs, states)

    by_screener: dict[str, dict[str, Decision]] = {}
    positions: dict[str, dict[str, int]] = {}
    for name, spec in specs.items():
        table = states[name].table
        merge = update_person_file(people, spec, rows_for(name, table, spec, alias_map),
                                   aliases=alias_map, order=order, state=states[name])
        by_screener[name] = read_decisions(merge.rows, spec, stage, reasons, path=str(spec.path(people)))
        decided = [key for key, decision in by_screener[name].items() if decision.decision]
        positions[name] = update_order(people, stage, name, table, decided, alias_map)

    record_ids = sorted(by_id)
    existing = {alias_map.get(r.key, r.key): r for r in cstate.table.rows}
    resolutions = _aliased(
        read_decisions(existing.values(), cspec, stage, reasons, decision_column="resolution"), alias_map
    )
    outcomes = combine(record_ids, names, by_screener, resolutions, policy)
    generated = conflict_rows(outcomes, by_id, existing, stage)
    merge = update_person_file(people, cspec, generated, aliases=alias_map, state=cstate)
    merged = read_decisions(merge.rows, cspec, stage, reasons, decision_column="resolution")
    if any(_settles(d) != _settles(resolutions.get(k, Decision())) for k, d in merged.items()):
        # A resolution came back from the orphans file: settle again with it.
        outcomes = combine(record_ids, names, by_screener, merged, policy)
        merge = update_person_file(people, cspec, conflict_rows(outcomes, by_id, merge.by_key(), stage),
                                   aliases=alias_map)
    for outcome in outcomes:
        outcome.order = {name: positions[name][outcome.record_id]
                         for name in names if outcome.record_id in positions[name]}
    return outcomes


def stage_aliases(people: Path, records: Sequence[Record], specs: Mapping[str, PersonFileSpec],
                  states: Mapping[str, PersonState]) -> dict[str, str]:
    """Old ids mapped onto the records that carry their decisions now: ids deduplication
    folded into a record, and records re-identified after a re-export
    (:mod:`litsieve.screening.reidentify`), which is said on the terminal."""
    alias_map = aliases(records)
    typed: list[PersonRow] = []
    seen: set[str] = set()
    for name, spec in specs.items():
        orphan_file = orphans_path(people, spec.relative)
        orphans = read_person_file(orphan_file, replace(spec, choices={}, help={})).rows if orphan_file.exists() else []
        rows = [*states[name].table.rows, *orphans]
        typed += [row for row in rows if has_person_content(row, spec.person_columns)]
        seen |= {row.key for row in rows} | read_issued(people, spec.relative)
    moved = reidentified(typed, records, seen, alias_map)
    for old, new in sorted(moved.items()):
        LOG.warning("decisions on %s now belong to %s: the same record (title, first author and year) came back "
                    "from its export under a new id (a detail such as its pages changed, and it has no database "
                    "id); if they are not the same work, clear them in %s's row", old, new, new)
    return {**alias_map, **moved}


def followed(outcomes: Sequence[Outcome], following: Mapping[str, str]) -> list[Outcome]:
    """The outcomes of the notices: each takes the decision of the report it follows."""
    by_id = {outcome.record_id: outcome for outcome in outcomes}
    return [Outcome(notice, by_id[head].decision, by_id[head].reason, WITH_STUDY)
            for notice, head in sorted(following.items()) if head in by_id]


def kept_notice_rows(table: PersonTable, spec: PersonFileSpec, alias_map: Mapping[str, str],
                     records: Mapping[str, Record], following: Mapping[str, str], studies: Studies,
                     cells: Callable[[Record], dict[str, str]]) -> list[dict[str, str]]:
    """Rows of notices someone had already decided: they stay in the file, with what was
    typed, and say which report the notice follows (nothing a person typed is moved away)."""
    rows = []
    for row in table.rows:
        key = alias_map.get(row.key, row.key)
        if key in following and key in records and has_person_content(row, spec.person_columns):
            rows.append({**cells(records[key]), "study": studies.follower_cell(key, following[key])})
    return rows


def screen_title_abstract(
    pool: str | os.PathLike[str],
    suggestions: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    screeners: Sequence[str],
    maybe: str,
    criteria: tuple[CriterionSpec, ...],
    ranked: bool,
    people: str,
    root: str | os.PathLike[str] = ".",
    clusters: str | os.PathLike[str] | None = None,
) -> list[Outcome]:
    """The title/abstract stage: queues from the pool, final decisions to ``output``.

    The protocol's parts it reads: the stage's ``screeners``, what a ``maybe`` does, the
    ``criteria`` (the exclusion reasons), whether the queue is ``ranked`` and ``paths.people``
    (under ``root``). ``clusters``: deduplication's clusters file, for the study links.
    """
    pooled = read_records(pool)
    suggested = read_suggestions(suggestions)
    studies = read_studies(clusters)
    following = studies.followers(r.record_id for r in pooled)
    records = [r for r in pooled if r.record_id not in following]
    by_id = {r.record_id: r for r in pooled}
    study_cells = studies.cells((r.record_id for r in records), following)
    policy = maybe

    def rows_for(name: str, table: PersonTable, spec: PersonFileSpec,
                 alias_map: Mapping[str, str]) -> list[dict[str, str]]:
        labels = labels_from(table, spec, alias_map, policy)
        order = priority_order(records, suggested, labels, ranked=ranked)
        rows = title_abstract_rows(records, suggested, order, study=study_cells.__getitem__)
        return rows + kept_notice_rows(table, spec, alias_map, by_id, following, studies, record_cells)

    outcomes = run_stage(TITLE_ABSTRACT, screeners, policy, criteria, Path(root) / people, records, rows_for,
                         undecided_first)
    outcomes += followed(outcomes, following)
    write_stage_decisions(output, stage_decisions(outcomes), screeners)
    _log_counts(TITLE_ABSTRACT, outcomes)
    return outcomes


def screen_full_text(
    title_abstract: str | os.PathLike[str],
    pool: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    screeners: Sequence[str],
    criteria: tuple[CriterionSpec, ...],
    people: str,
    root: str | os.PathLike[str] = ".",
    other_methods: str | os.PathLike[str] | None = None,
    clusters: str | os.PathLike[str] | None = None,
) -> list[Outcome]:
    """The full-text stage: every record included at title/abstract, and every work found
    by other methods only (``other_methods``: PRISMA 2020 sends those straight to retrieval),
    final decisions to ``output``. A notice is retrieved and assessed with the report it
    follows (``clusters``: the study links)."""
    included = {row.record_id for row in read_stage_decisions(title_abstract) if row.decision == INCLUDE}
    candidates = [r for r in read_records(pool) if r.record_id in included]
    if other_methods is not None:
        candidates += read_records(other_methods)
    studies = read_studies(clusters)
    following = studies.followers(r.record_id for r in candidates)
    records = [r for r in candidates if r.record_id not in following]
    by_id = {r.record_id: r for r in candidates}
    study_cells = studies.cells((r.record_id for r in records), following)

    def cells(record: Record) -> dict[str, str]:
        return {**record_cells(record), "sources": record_sources(record)}

    rows = [{**cells(r), "study": study_cells[r.record_id]} for r in sorted(records, key=lambda r: r.record_id)]

    def rows_for(name: str, table: PersonTable, spec: PersonFileSpec,
                 alias_map: Mapping[str, str]) -> list[dict[str, str]]:
        return rows + kept_notice_rows(table, spec, alias_map, by_id, following, studies, cells)

    outcomes = run_stage(FULL_TEXT, screeners, "include", criteria, Path(root) / people, records, rows_for,
                         full_text_undecided_first)
    outcomes += followed(outcomes, following)
    write_stage_decisions(output, stage_decisions(outcomes), screeners)
    _log_counts(FULL_TEXT, outcomes)
    return outcomes


def _log_counts(stage: str, outcomes: Sequence[Outcome]) -> None:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.decision] = counts.get(outcome.decision, 0) + 1
    LOG.info("%s: %d records: %s", stage, len(outcomes),
             ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
