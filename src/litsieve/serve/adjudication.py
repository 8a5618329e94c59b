"""The third person's page: every disagreement of a stage, both decisions, and the resolution.

Disagreements are computed live from the two screeners' files with the workflow's own
rules (:func:`litsieve.screening.decisions.combine`: a "maybe" is an include when maybes
move on), so a disagreement shows up as soon as both have saved, before the next
workflow run lists it. A resolution is written into the stage's conflicts file
(``<people>/conflicts/<stage>.csv``) with :func:`litsieve.personfile.merge_person_cells`:
into its row when the workflow has listed it, else as a new row the workflow keeps
(a row with a resolution always stays). The workflow then settles the record with it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litsieve.errors import ScreeningFileError, ServeError
from litsieve.people import people_folder
from litsieve.personfile import CellConflict, FileStamp, PersonTable, Snapshot, merge_person_cells, read_snapshot
from litsieve.protocol import Protocol
from litsieve.record import Record
from litsieve.records_io import read_records
from litsieve.screening.agreement import agreement_summary
from litsieve.screening.conflicts import conflict_rows, conflict_spec
from litsieve.screening.decisions import Decision, Outcome, combine, read_decisions
from litsieve.screening.queue import FULL_TEXT, STAGES, TITLE_ABSTRACT, queue_spec, reason_names
from litsieve.serve.links import Link, record_links
from litsieve.serve.session import Choice, relative_path, menu_reason, reason_menu


@dataclass(frozen=True)
class Disagreement:
    """One record the screeners disagree on (or that has a resolution), as the page lists it."""

    key: str
    title: str
    links: list[Link]
    decisions: dict[str, Decision]
    resolution: dict[str, str]
    open: bool
    clash: tuple[CellConflict, ...] = ()


class ConflictSession:
    """The disagreements of ``stage`` in the review under ``root``."""

    def __init__(self, root: str | Path, protocol: Protocol, stage: str) -> None:
        if stage not in STAGES:
            raise ServeError(f"unknown stage {stage!r}", hint=f"use one of: {', '.join(STAGES)}")
        self.names = protocol.screeners.of(stage)
        if len(self.names) != 2:
            raise ServeError(f"{stage.replace('_', '/')} has one screener: there are no conflicts to resolve",
                             field="screeners", hint="a third person is needed only with two screeners")
        self.root = Path(root)
        self.protocol = protocol
        self.stage = stage
        self.policy = protocol.screeners.maybe if stage == TITLE_ABSTRACT else "include"
        self.people = people_folder(protocol.paths, self.root)
        self.specs = {name: queue_spec(stage, name, protocol.criteria) for name in self.names}
        self.spec = conflict_spec(stage, self.names, protocol.criteria)
        self.path = self.spec.path(self.people)
        self.shown_path = relative_path(self.path, self.root)
        self.reasons = reason_menu(protocol)
        self.resolutions: tuple[Choice, ...] = tuple(Choice(v, v) for v in self.spec.choices["resolution"])
        self.lock = threading.RLock()
        self.snapshot: Snapshot = read_snapshot(self.path, self.spec)
        self._tables: dict[str, tuple[FileStamp | None, PersonTable | None]] = {}
        self.records = self._read_records()
        self.clashes: dict[str, tuple[CellConflict, ...]] = {}
        self.problem = ""

    def _read_records(self) -> dict[str, Record]:
        results = self.root / "results" / "screening"
        records: dict[str, Record] = {}
        for name in ("pool.csv", "other_methods.csv") if self.stage == FULL_TEXT else ("pool.csv",):
            if (results / name).exists():
                records.update({r.record_id: r for r in read_records(results / name)})
        return records

    def reason_value(self, typed: str) -> str:
        return menu_reason(self.protocol, self.spec, typed)

    def start(self) -> None:
        """Nothing runs in the background: the files are read on every request."""

    def stop(self) -> None:
        """See :meth:`start`."""

    def _table(self, name: str) -> PersonTable | None:
        spec = self.specs[name]
        path = spec.path(self.people)
        stamp = FileStamp.of(path)
        cached = self._tables.get(name)
        if cached is None or cached[0] != stamp:
            cached = (stamp, read_snapshot(path, spec).table if stamp is not None else None)
            self._tables[name] = cached
        return cached[1]

    def _outcomes(self) -> tuple[list[Outcome], dict[str, Record]]:
        reasons = reason_names(self.protocol.criteria)
        by_screener: dict[str, dict[str, Decision]] = {}
        titles: dict[str, Record] = {}
        for name in self.names:
            table = self._table(name)
            rows = table.rows if table is not None else []
            by_screener[name] = read_decisions(rows, self.specs[name], self.stage, reasons, path=str(table.path) if table else "")
            for row in rows:
                titles.setdefault(row.key, self.records.get(row.key)
                                  or Record(record_id=row.key, title=row.get("title"), doi=row.get("doi")))
        if self.snapshot.stamp != FileStamp.of(self.path):
            self.snapshot = read_snapshot(self.path, self.spec)
        resolutions = read_decisions(self.snapshot.table.rows, self.spec, self.stage, reasons,
                                     decision_column="resolution", path=str(self.path))
        keys = sorted(titles)
        return combine(keys, self.names, by_screener, resolutions, self.policy), titles

    def disagreements(self) -> list[Disagreement]:
        """Open ones first, then resolved ones, each by record id."""
        with self.lock:
            try:
                outcomes, titles = self._outcomes()
                self.problem = ""
            except ScreeningFileError as exc:
                self.problem = str(exc)
                return []
            items = []
            for outcome in outcomes:
                row = self.snapshot.row(outcome.record_id)
                typed = {c: row.get(c) if row else "" for c in self.spec.person_columns}
                if not (outcome.disagreement or any(v.strip() for v in typed.values())):
                    continue
                record = titles[outcome.record_id]
                items.append(Disagreement(
                    outcome.record_id, record.title, record_links(record), outcome.by_screener, typed,
                    outcome.disagreement and not outcome.resolution.decision,
                    self.clashes.get(outcome.record_id, ())))
            items.sort(key=lambda d: (not d.open, d.key))
            return items

    def resolve(self, key: str, resolution: str, reason: str = "", note: str = "") -> str:
        """Write the third person's resolution of ``key`` into the conflicts file."""
        with self.lock:
            resolution = " ".join(resolution.replace("_", " ").split()).casefold()
            if resolution and not self.spec.choice("resolution", resolution):
                raise ServeError(f"{resolution!r} is not a resolution here",
                                 hint=f"use one of: {', '.join(c.value for c in self.resolutions)}")
            reason = reason.strip()
            if reason and not self.spec.choice("reason", reason):
                raise ServeError(f"{reason!r} is not one of the protocol's reasons", field="reason")
            reason = self.spec.choice("reason", reason) if resolution == "exclude" and reason else ""
            if resolution == "exclude" and self.stage == FULL_TEXT and not reason:
                raise ServeError("an exclusion at full text needs a reason", field="reason",
                                 hint="pick the protocol's reason from the menu")
            note = note.replace("\x00", "").replace("\r\n", "\n").strip()
            outcomes, titles = self._outcomes()
            outcome = next((o for o in outcomes if o.record_id == key), None)
            if outcome is None:
                raise ServeError(f"record {key!r} is in neither screener's queue")
            existing = {r.key: r for r in self.snapshot.table.rows}
            generated = conflict_rows([outcome], titles, existing, self.stage)
            templates = {row["record_id"]: row for row in generated}
            if key not in templates:
                raise ServeError(f"the screeners agree on record {key!r}: there is nothing to resolve")
            cells = {"resolution": resolution, "reason": reason, "note": note}
            result = merge_person_cells(self.people, self.spec, {key: cells}, self.snapshot, templates=templates)
            self.snapshot = result.snapshot
            if result.conflicts:
                self.clashes[key] = tuple(result.conflicts)
                return "conflict"
            self.clashes.pop(key, None)
            return "saved"

    def agreement(self) -> dict[str, Any] | None:
        """Raw agreement and kappa once both screeners have decided every record."""
        with self.lock:
            try:
                outcomes, _ = self._outcomes()
            except ScreeningFileError:
                return None
            if not outcomes or any(not d.decision for o in outcomes for d in o.by_screener.values()):
                return None
            return agreement_summary(outcomes, self.names, self.policy)

