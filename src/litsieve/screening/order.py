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

from litsieve.fileio import atomic_write_text, csv_line, csv_text, iter_csv, neutralise_cell
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
    log: dict[str, Seen] = {}
    for row in iter_csv(path, required=("record_id", "run", "priority")):
        try:
            log[row["record_id"]] = Seen(row["record_id"], int(row["run"]), int(row["priority"]))
        except (TypeError, ValueError):
            continue  # a line cut short by a crash while it was appended (log_decision)
    return log


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
    ordered = _write_order(path, log)
    return {seen.record_id: position for position, seen in enumerate(ordered, start=1)}


def _ordered(log: Mapping[str, Seen]) -> list[Seen]:
    return sorted(log.values(), key=lambda s: (s.run, s.priority, s.record_id))


def _write_order(path: Path, log: Mapping[str, Seen]) -> list[Seen]:
    ordered = _ordered(log)
    text = csv_text([{"record_id": s.record_id, "run": s.run, "priority": s.priority} for s in ordered], COLUMNS)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)
    return ordered


def decision_order(people: Path, stage: str, screener: str) -> list[str]:
    """The record ids of the logged decisions, first made first."""
    return [seen.record_id for seen in _ordered(read_order(order_path(people, stage, screener)))]


def log_decision(people: Path, stage: str, screener: str, record_id: str, priority: int) -> None:
    """Log one decision the moment it is made (the screening page), after every one logged
    so far: the page knows the exact order, so each decision is a run of its own. A
    record already logged keeps its place (a changed decision was still made then).

    The line is appended (the next workflow run rewrites the log sorted): one small write
    per decision instead of rewriting the log. A line cut short by a crash is skipped
    when read, and the workflow logs that decision on its next run."""
    path = order_path(people, stage, screener)
    log = read_order(path)
    if record_id in log:
        return
    run = max((seen.run for seen in log.values()), default=0) + 1
    header = "" if path.exists() and path.stat().st_size else csv_line(COLUMNS)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8", newline="") as handle:  # guarded as read_order expects
        handle.write(header + csv_line([neutralise_cell(record_id), str(run), str(priority)]))


def forget_decision(people: Path, stage: str, screener: str, record_id: str) -> None:
    """Drop a decision from the log (undone on the screening page)."""
    path = order_path(people, stage, screener)
    log = read_order(path)
    if log.pop(record_id, None) is not None:
        _write_order(path, log)
