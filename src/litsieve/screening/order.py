"""The order in which each screener made their decisions, for the stopping criterion.

A spreadsheet does not say when a cell was filled, but the workflow sees each decision
appear on the first run after it was typed, and knows the priority the row had in the
file the screener was working through. Decisions are therefore ordered by that run, then
by that priority (screeners work from the top). The log lives beside the file's history
(``<people>/.history/{stage}/{screener}.order.csv``), not under ``results/``, because it
cannot be rebuilt once lost. A decision cleared later drops out of the order; typed again,
it counts from its new run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from litsieve.fileio import atomic_write_text, csv_text, iter_csv
from litsieve.personfile import PersonTable, history_dir

COLUMNS = ("record_id", "run", "priority")


@dataclass(frozen=True)
class Seen:
    record_id: str
    run: int
    priority: int


def order_path(people: Path, stage: str, screener: str) -> Path:
    return history_dir(people, f"{stage}/{screener}.csv") / f"{screener}.order.csv"


def read_order(path: Path) -> dict[str, Seen]:
    if not path.exists():
        return {}
    return {row["record_id"]: Seen(row["record_id"], int(row["run"]), int(row["priority"]))
            for row in iter_csv(path, required=("record_id", "run", "priority"))}


def _priority(value: str) -> int:
    try:
        return int(value.strip().lstrip("'"))
    except ValueError:
        return 10**9  # a row without a priority (the person typed over it): last in its run


def update_order(
    people: Path,
    stage: str,
    screener: str,
    table: PersonTable | None,
    decided: Iterable[str],
    alias_map: Mapping[str, str],
) -> dict[str, int]:
    """Log decisions seen for the first time; returns each decided record's 1-based position.

    ``table`` is the screener's file as they saved it (its ``priority`` column is what they
    saw), ``decided`` the ids decided now (after aliasing).
    """
    path = order_path(people, stage, screener)
    log = read_order(path)
    decided = set(decided)
    log = {k: v for k, v in log.items() if k in decided}
    run = max((seen.run for seen in log.values()), default=0) + 1
    priorities = {alias_map.get(row.key, row.key): _priority(row.get("priority")) for row in (table.rows if table else [])}
    for record_id in sorted(decided - set(log)):
        log[record_id] = Seen(record_id, run, priorities.get(record_id, 10**9))
    ordered = sorted(log.values(), key=lambda s: (s.run, s.priority, s.record_id))
    text = csv_text([{"record_id": s.record_id, "run": s.run, "priority": s.priority} for s in ordered], COLUMNS)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)
    return {seen.record_id: position for position, seen in enumerate(ordered, start=1)}
