"""One screener's queue behind the screening page: read, decide, undo, re-rank, over the files.

The screener's file (``<people>/<stage>/<screener>.csv``) is the truth. The session holds
it as last read or written (:class:`litsieve.personfile.Snapshot`) and writes each
decision into it with :func:`litsieve.personfile.merge_person_cells` before the page
shows the decision as saved, so stopping the server loses nothing it acknowledged.

Someone else may save the file meanwhile (the screener's spreadsheet, a workflow run).
The session notices (every request and every second) and merges: what was typed there
stays; every cell typed on the page in this session is written back if a save dropped
it; a cell typed differently in both places is not overwritten but shown as a conflict,
and the screener picks which one stands.

Everything else follows the workflow, with its own code:

- which records, and their order: the rows of the file the workflow wrote, ranked by
  :func:`litsieve.screening.queue.priority_order` (the ranker the workflow's queue uses,
  its features computed once in the background) and retrained on the ranking schedule
  (:func:`litsieve.ranking.batch_size` decisions after the last training);
- the order decisions were made in goes to the same log the workflow keeps for the
  stopping rule (:mod:`litsieve.screening.order`), one entry per decision as it is made;
- the stopping estimate is :func:`litsieve.ranking.stopping_for_protocol`, computed in
  the background (it takes up to a second on a long queue);
- the reasons are the protocol's (:func:`litsieve.screening.queue.reason_names`).

A screener sees only their own file: the other screener's file is read only for the
agreement figures, once both have finished the stage.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from markupsafe import Markup

from litsieve.errors import ScreeningFileError, ServeError
from litsieve.people import people_folder
from litsieve.personfile import (
    CellConflict,
    FileStamp,
    PersonRow,
    Snapshot,
    changed_on_disk,
    merge_person_cells,
    read_snapshot,
    settled,
)
from litsieve.protocol import Protocol
from litsieve.record import LIST_SEPARATOR, Record
from litsieve.records_io import read_records
from litsieve.screening.decisions import NOT_RETRIEVED, combine, read_decisions
from litsieve.screening.order import decision_order, forget_decision, log_decision, order_path
from litsieve.screening.queue import (
    FULL_TEXT,
    OTHER_REASON,
    STAGES,
    TITLE_ABSTRACT,
    aliases,
    labels_of,
    priority_order,
    queue_ranker,
    queue_spec,
    reason_names,
    record_sources,
)
from litsieve.serve.highlight import Highlight, marked, record_highlights
from litsieve.serve.links import Link, LinkedReport, StudyLinks, record_links, titles_from
from litsieve.serve.progress import Counts, Stopping
from litsieve.stagefiles import EVIDENCE_SEPARATOR, Suggestion, read_suggestions

#: What the page offers at each stage (at full text "not retrieved" fills ``retrieval``).
PAGE_DECISIONS: dict[str, tuple[str, ...]] = {
    TITLE_ABSTRACT: ("include", "exclude", "maybe"),
    FULL_TEXT: ("include", "exclude", NOT_RETRIEVED),
}
NOTE_LIMIT = 10_000
POLL_SECONDS = 1.0
# A spreadsheet may save in place: a file changed less than this long ago may be half written.
SETTLE_SECONDS = 1.0
STOPPING_IDLE_SECONDS = 0.5


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def reason_menu(protocol: Protocol) -> list[Choice]:
    """The protocol's exclusion reasons, then its inclusion criteria as "Not met: …", then ``other``."""
    names = reason_names(protocol.criteria)
    reasons = [Choice(c.id, names[c.id]) for c in protocol.criteria
               if c.id in names and not names[c.id].startswith("Not met: ")]
    unmet = [Choice(c.id, names[c.id]) for c in protocol.criteria
             if c.id in names and names[c.id].startswith("Not met: ")]
    return [*reasons, *unmet, Choice(OTHER_REASON, "other (say what in the note)")]


def menu_reason(protocol: Protocol, spec: Any, typed: str) -> str:
    """The menu value (a criterion id or ``other``) of a reason as typed in a file (its id
    or its reason text, any capitals)."""
    canonical = spec.choice("reason", typed) if typed else ""
    if not canonical or canonical == OTHER_REASON:
        return canonical
    names = reason_names(protocol.criteria)
    label = names.get(canonical, canonical)
    return next((c.id for c in protocol.criteria if names.get(c.id) == label), "")


@dataclass(frozen=True)
class Action:
    """One decision made on the page: the row's cells before and after (for undo)."""

    key: str
    before: dict[str, str]
    after: dict[str, str]


@dataclass(frozen=True)
class Pending:
    """A decision typed on the page that clashes with one typed in the file meanwhile."""

    key: str
    ours: dict[str, str]
    cells: tuple[CellConflict, ...]


@dataclass
class View:
    """Everything the page shows about one record."""

    key: str
    title: Markup
    abstract: Markup
    keywords: Markup
    authors: list[str]
    journal: str
    year: str
    links: list[Link]
    sources: str
    linked: list[LinkedReport]
    study_flags: str  # RETRACTED, EXPRESSION OF CONCERN: shown at the top of the page
    suggestion: str
    criteria: list[str]
    suggestion_reason: str
    why: str
    evidence: str
    highlights: dict[str, list[Highlight]]
    cells: dict[str, str]
    decided: bool
    rank: int | None
    undecided: int
    ranking: str
    previous: str | None
    next: str | None
    skipped: bool
    pending: Pending | None


@dataclass(frozen=True)
class Ack:
    """What the page says after a change: which record, what now stands, and how."""

    key: str
    cells: dict[str, str]
    what: str  # "saved", "undone", "conflict", "unchanged"


@dataclass
class _Ranking:
    ranker: Any = None
    order: list[str] | None = None
    trained_on: int | None = None
    since: int = 0
    trainings: int = 0
    message: str = ""


def relative_path(path: Path, root: Path) -> str:
    """``path`` as the screener knows it: under the review's folder when it is there."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


class ScreeningSession:
    """The queue of ``screener`` at ``stage`` in the review under ``root``."""

    def __init__(self, root: str | Path, protocol: Protocol, stage: str, screener: str) -> None:
        if stage not in STAGES:
            raise ServeError(f"unknown stage {stage!r}", hint=f"use one of: {', '.join(STAGES)}")
        names = protocol.screeners.of(stage)
        if screener not in names:
            raise ServeError(
                f"{screener!r} is not a {stage.replace('_', '/')} screener in the protocol",
                field="screeners", hint=f"use one of: {', '.join(names)} (screeners.{stage} in the protocol)")
        self.root = Path(root)
        self.protocol = protocol
        self.stage = stage
        self.screener = screener
        self.names = names
        self.policy = protocol.screeners.maybe if stage == TITLE_ABSTRACT else "include"
        self.people = people_folder(protocol.paths, self.root)
        self.results = self.root / "results"
        self.spec = queue_spec(stage, screener, protocol.criteria)
        self.path = self.spec.path(self.people)
        self.shown_path = relative_path(self.path, self.root)
        self.reasons = reason_menu(protocol)
        self.query = protocol.search.intended_query or protocol.search.query
        self.lock = threading.RLock()
        self.snapshot = self._first_read()
        # What each decided row holds, canonically spelled (include, exclude, maybe, not
        # retrieved), kept up to date row by row: everything the page counts and orders
        # is read from here, not from 10,000 rows on every request.
        self._outcome: dict[str, str] = {}
        self._version = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        self._reindex()
        # The pool, the suggestions and the study links: read by :meth:`load_details`, in
        # the background once the server runs, so the first page does not wait for them
        # (until then it shows what the queue file holds).
        self.records: dict[str, Record] = {}
        self._pool: list[Record] = []
        self.alias_map: dict[str, str] = {}
        self.suggestions: dict[str, Suggestion] = {}
        self.study_links = StudyLinks(None, lambda key: "")
        self._details = threading.Event()
        self._details_lock = threading.Lock()
        self._last_change = 0.0
        self.typed: dict[str, dict[str, str]] = {}
        self.pending: dict[str, Pending] = {}
        self.actions: list[Action] = []
        self.skipped: list[str] = []
        self.notices: list[str] = []
        self.file_error = ""
        self.last: Ack | None = None
        self.trail = self._read_trail()
        self._order_stamp = FileStamp.of(order_path(self.people, stage, screener))
        self._ranking = _Ranking()
        self._stopping: Stopping | None = None
        self._stopping_for = -1
        self._other: tuple[FileStamp | None, dict[str, Any]] | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        if stage == TITLE_ABSTRACT and protocol.ranking.enabled:
            self._ranking.message = "queue in the workflow's order until the ranker is ready"

    # ------------------------------------------------------------------ loading

    def _first_read(self) -> Snapshot:
        if not self.path.exists():
            raise ServeError("there is no queue file yet", file=str(self.path),
                             hint="run `snakemake` first: it writes every screener's queue")
        snapshot = read_snapshot(self.path, self.spec)
        if not snapshot.table.rows:
            raise ServeError("the queue has no records yet", file=str(self.path),
                             hint="run `snakemake` first: it fills the queue with the records to screen")
        return snapshot

    def load_details(self) -> None:
        """Read the pool, the suggestions and the study links, and set up the ranker (once)."""
        with self._details_lock:
            if self._details.is_set():
                return
            pool, records = self._read_records()
            path = self.results / "screening" / "suggestions.csv"
            suggestions = read_suggestions(path) if path.exists() else {}
            titles = titles_from(records, self.results / "dedup" / "records.csv")
            links = StudyLinks(self.results / "dedup" / "clusters.csv", titles)
            # Notices follow their report and are in no queue: the ranker leaves them out, as the workflow's does.
            following = links.studies.followers(r.record_id for r in pool)
            pool = [r for r in pool if r.record_id not in following]
            ranker = None
            if self.stage == TITLE_ABSTRACT and self.protocol.ranking.enabled and pool:
                ranker = queue_ranker(pool, suggestions)
            with self.lock:
                self._pool, self.records, self.suggestions, self.study_links = pool, records, suggestions, links
                self.alias_map = aliases(pool)
                self._ranking.ranker = ranker
                self._retrain(force=True)  # the stable order needs no features; a ranked one waits for them
            self._details.set()

    def _read_records(self) -> tuple[list[Record], dict[str, Record]]:
        """The pool as the workflow's rule reads it (the ranker's records), and the stage's
        records by id (at full text also the works found by other methods), for what the
        queue file does not hold."""
        path = self.results / "screening" / "pool.csv"
        pool = read_records(path) if path.exists() else []
        records = {r.record_id: r for r in pool}
        other = self.results / "screening" / "other_methods.csv"
        if self.stage == FULL_TEXT and other.exists():
            records.update({r.record_id: r for r in read_records(other)})
        return pool, records

    def _read_trail(self) -> list[str]:
        """Decided records in the order they were decided: those the order log does not
        know yet (typed in the spreadsheet since the last workflow run) first."""
        logged = decision_order(self.people, self.stage, self.screener)
        known = set(logged)
        unlogged = [r.key for r in self.snapshot.table.rows if r.key in self._outcome and r.key not in known]
        return unlogged + [key for key in logged if key in self._outcome]

    def _outcome_of(self, values: Mapping[str, str]) -> str:
        decision = self.spec.choice("decision", values.get("decision", ""))
        if decision:
            return decision
        if self.stage == FULL_TEXT and self.spec.choice("retrieval", values.get("retrieval", "")) == NOT_RETRIEVED:
            return NOT_RETRIEVED
        return ""

    def _reindex(self, keys: Sequence[str] | None = None) -> None:
        """Refresh :attr:`_outcome` from the snapshot: every row, or only ``keys``."""
        if keys is None:
            self._outcome = {}
            rows: Sequence[PersonRow] = self.snapshot.table.rows
        else:
            rows = [row for key in keys if (row := self.snapshot.row(key)) is not None]
        for row in rows:
            outcome = self._outcome_of(row.values)
            if outcome:
                self._outcome[row.key] = outcome
            else:
                self._outcome.pop(row.key, None)
        self._version += 1

    def _cached(self, name: str, compute: Any) -> Any:
        hit = self._cache.get(name)
        if hit is None or hit[0] != self._version:
            hit = (self._version, compute())
            self._cache[name] = hit
        return hit[1]

    # ------------------------------------------------------------------ background work

    def start(self) -> None:
        """Start the background thread: ranker features, file watching, stopping estimate."""
        if self._worker is None:
            self.snapshot.encode(self.spec)
            self._worker = threading.Thread(target=self._work, name="litsieve-session", daemon=True)
            self._worker.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=5)

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until the details are read and the ranker is prepared (benchmarks and tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ranker = self._ranking.ranker
            if self._details.is_set() and (ranker is None or (ranker.prepared and self._ranking.order is not None)):
                return True
            time.sleep(0.02)
        return False

    def _work(self) -> None:
        self.load_details()
        ranker = self._ranking.ranker
        if ranker is not None:
            ranker.prepare()
            with self.lock:
                self._retrain(force=True)
        while not self._stop.is_set():
            with self.lock:
                try:
                    self.refresh(wait=False)
                except Exception as exc:  # noqa: BLE001 - shown on the page, the thread goes on
                    self.file_error = str(exc)
                labels, total, count = self._stopping_input()
            # The estimate takes CPU the next page needs: computed once the screener pauses.
            idle = time.monotonic() - self._last_change >= STOPPING_IDLE_SECONDS
            if self.stage == TITLE_ABSTRACT and count != self._stopping_for and idle:
                estimate = self._estimate(labels, total)
                with self.lock:
                    self._stopping, self._stopping_for = estimate, count
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    # ------------------------------------------------------------------ the file

    def refresh(self, *, wait: bool = True) -> None:
        """Pick up a save made elsewhere, merging this session's decisions back in.

        A save younger than :data:`SETTLE_SECONDS` is waited for (``wait``) or left for
        the next call."""
        with self.lock:
            stamp = FileStamp.of(order_path(self.people, self.stage, self.screener))
            changed = changed_on_disk(self.snapshot, self.path)
            if changed and (wait or settled(self.path, SETTLE_SECONDS)):
                try:
                    result = self._merge()
                except ScreeningFileError as exc:
                    self.file_error = str(exc)
                    return
                self.file_error = ""
                if result.external:
                    kept = len(result.restored)
                    self.notices.append(
                        f"{time.strftime('%H:%M:%S')}: the file was saved elsewhere; its decisions are kept"
                        + (f", and {kept} decision(s) made here that the save dropped were written back" if kept else ""))
                    self._retrain(force=True)  # the workflow retrains on every run; so does a save
                    self.trail = self._read_trail()
                    self._order_stamp = stamp
            elif not changed:
                self.file_error = ""  # the file is as this session last wrote it
            if stamp != self._order_stamp:
                self._order_stamp = stamp
                self.trail = self._read_trail()

    def _merge(self) -> Any:
        result = merge_person_cells(self.people, self.spec, dict(self.typed), self.snapshot,
                                    settle=SETTLE_SECONDS)
        self.snapshot = result.snapshot
        clashes: dict[str, list[CellConflict]] = {}
        for conflict in result.conflicts:
            clashes.setdefault(conflict.key, []).append(conflict)
        for key, cells in clashes.items():
            ours = self.typed.pop(key, {})
            self.pending[key] = Pending(key, ours, tuple(cells))
        for key in result.gone:
            self.typed.pop(key, None)
        if result.gone:
            self.notices.append(f"{len(result.gone)} record(s) you decided here left the review in the last "
                                f"workflow run; their decisions are kept in the orphans file")
        if result.external:
            self._reindex()
        elif result.written:
            self._reindex(result.written)
        return result

    def spreadsheet_open(self) -> bool:
        """Whether LibreOffice or Excel has the file open (their lock files are beside it)."""
        folder, name = self.path.parent, self.path.name
        return (folder / f".~lock.{name}#").exists() or (folder / f"~${name}").exists()

    # ------------------------------------------------------------------ decisions

    def reason_value(self, typed: str) -> str:
        return menu_reason(self.protocol, self.spec, typed)

    def _decided(self, values: Mapping[str, str]) -> bool:
        return bool(self._outcome_of(values))

    def cells_for(self, decision: str, reason: str = "", note: str = "") -> dict[str, str]:
        """The person cells a decision on the page writes; checks what the protocol requires."""
        decision = " ".join(decision.replace("_", " ").split()).casefold()
        if decision not in PAGE_DECISIONS[self.stage]:
            raise ServeError(f"{decision!r} is not a decision at {self.stage.replace('_', '/')}",
                             hint=f"use one of: {', '.join(PAGE_DECISIONS[self.stage])}")
        note = note.replace("\x00", "").replace("\r\n", "\n").strip()
        if len(note) > NOTE_LIMIT:
            raise ServeError(f"the note is longer than {NOTE_LIMIT} characters", field="note")
        reason = reason.strip()
        if reason and not self.spec.choice("reason", reason):
            raise ServeError(f"{reason!r} is not one of the protocol's reasons", field="reason",
                             hint="pick one from the menu")
        reason = self.spec.choice("reason", reason) if reason else ""
        if decision != "exclude":
            reason = ""
        if decision == "exclude" and self.stage == FULL_TEXT and not reason:
            raise ServeError("an exclusion at full text needs a reason", field="reason",
                             hint="pick the protocol's reason from the menu (key r), then exclude again")
        if reason == OTHER_REASON and not note:
            raise ServeError("say what the other reason is in the note", field="note",
                             hint="write it in the note (key n), then exclude again")
        if self.stage == FULL_TEXT:
            if decision == NOT_RETRIEVED:
                return {"retrieval": NOT_RETRIEVED, "decision": "", "reason": "", "note": note}
            return {"retrieval": "retrieved", "decision": decision, "reason": reason, "note": note}
        return {"decision": decision, "reason": reason, "note": note}

    def _row(self, key: str) -> PersonRow:
        row = self.snapshot.row(key)
        if row is None:
            raise ServeError(f"record {key!r} is not in this queue", hint="go back to the queue and pick another")
        return row

    def _check_writable(self) -> None:
        if self.file_error:
            raise ServeError(f"the queue file cannot be read as it is on disk now: {self.file_error}",
                             hint="fix it in the spreadsheet and save (or restore it from .history); "
                                  "nothing was saved")

    def decide(self, key: str, decision: str, reason: str = "", note: str = "",
               *, seen: Mapping[str, str] | None = None) -> Ack:
        """Write one decision into the file; returns once it is on disk.

        ``seen`` are the row's cells as the page showed them: if the file holds other
        values now (typed in the spreadsheet since), the decision is not written but
        kept as a conflict for the screener to settle (:meth:`settle`)."""
        with self.lock:
            self.refresh()
            self._check_writable()
            cells = self.cells_for(decision, reason, note)
            before = {c: self._row(key).get(c) for c in cells}
            self.pending.pop(key, None)
            if seen is not None:
                clash = tuple(CellConflict(key, c, seen.get(c, ""), before[c], cells[c]) for c in cells
                              if before[c] != seen.get(c, "") and before[c] != cells[c])
                if clash:
                    self.pending[key] = Pending(key, cells, clash)
                    self.last = Ack(key, cells, "conflict")
                    return self.last
            if before == cells:
                self.last = Ack(key, cells, "unchanged")
                return self.last
            return self._apply(key, before, cells, record=True)

    def _apply(self, key: str, before: dict[str, str], cells: dict[str, str], *, record: bool) -> Ack:
        rank = self.rank(key)
        self.typed[key] = cells
        try:
            self._merge()
        except ScreeningFileError as exc:
            self.typed.pop(key, None)
            self.file_error = str(exc)
            self._check_writable()
        if key in self.pending:
            self.last = Ack(key, cells, "conflict")
            return self.last
        was, now = self._decided(before), self._decided(cells)
        if now and not was:
            log_decision(self.people, self.stage, self.screener, key, rank or 0)
            self.trail = [k for k in self.trail if k != key] + [key]
        elif was and not now:
            forget_decision(self.people, self.stage, self.screener, key)
            self.trail = [k for k in self.trail if k != key]
        self._order_stamp = FileStamp.of(order_path(self.people, self.stage, self.screener))
        if record:
            self.actions.append(Action(key, before, cells))
        if key in self.skipped:
            self.skipped.remove(key)
        self._ranking.since += 1
        self._retrain()
        self._last_change = time.monotonic()
        self.last = Ack(key, cells, "saved" if record else "undone")
        return self.last

    def undo(self) -> Ack | None:
        """Undo the last decision made on the page in this session (the row gets back what it had)."""
        with self.lock:
            self.refresh()
            self._check_writable()
            if not self.actions:
                return None
            action = self.actions.pop()
            self.pending.pop(action.key, None)
            return self._apply(action.key, action.after, action.before, record=False)

    def skip(self, key: str) -> None:
        """Put a record after every other undecided one for this session (the file is unchanged)."""
        with self.lock:
            self._row(key)
            if key in self.skipped:
                self.skipped.remove(key)
            self.skipped.append(key)
            self._version += 1

    def settle(self, key: str, keep: str) -> Ack:
        """Settle a clash between the page and the file: ``keep`` is ``file`` or ``page``."""
        with self.lock:
            pending = self.pending.get(key)
            if pending is None:
                raise ServeError(f"there is no conflict on record {key!r}")
            if keep == "file":
                del self.pending[key]
                self.last = Ack(key, {c: self._row(key).get(c) for c in pending.ours}, "saved")
                return self.last
            if keep != "page":
                raise ServeError("keep the file's decision or the page's")
            self.refresh()
            self._check_writable()
            del self.pending[key]
            before = {c: self._row(key).get(c) for c in pending.ours}
            return self._apply(key, before, dict(pending.ours), record=True)

    # ------------------------------------------------------------------ order

    def _retrain(self, *, force: bool = False) -> None:
        """Retrain when the schedule says so: after ``batch_size(trained_on)`` decisions."""
        from litsieve.ranking import batch_size

        ranking = self._ranking
        if ranking.ranker is None:
            return
        if not force and ranking.order is not None and ranking.trained_on is not None \
                and ranking.since < batch_size(ranking.trained_on):
            return
        labels = labels_of(self._outcome, self.alias_map, self.policy)
        can_learn = "include" in labels.values() and "exclude" in labels.values()
        if can_learn and not ranking.ranker.prepared:
            return  # the background thread prepares the features, then retrains
        ranking.order = priority_order(self._pool, self.suggestions, labels, ranked=True, ranker=ranking.ranker)
        ranking.trained_on = len(labels) if can_learn else 0
        ranking.since = 0
        ranking.trainings += can_learn
        self._version += 1
        if can_learn:
            more = batch_size(len(labels))
            ranking.message = (f"ranked on {len(labels)} decisions; retrained after "
                               f"{more} more decision{'s' if more > 1 else ''}")
        else:
            ranking.message = "stable order (suggested includes first) until there is one include and one exclude"

    def _file_order(self) -> list[str]:
        rows = self.snapshot.table.rows
        if self.stage == FULL_TEXT:
            return [r.key for r in rows]

        def priority(item: tuple[int, PersonRow]) -> tuple[int, int]:
            text = item[1].get("priority").strip().lstrip("'")
            return (int(text) if text.isdigit() else 10**9, item[0])

        return [row.key for _, row in sorted(enumerate(rows), key=priority)]

    def order(self) -> list[str]:
        """Every record of the file, in the freshest order (undecided ones in screening order)."""
        return list(self._cached("order", self._order))

    def _order(self) -> list[str]:
        ranked = self._ranking.order
        if ranked is None:
            return self._file_order()
        rows = self.snapshot.table.rows
        index = self.snapshot.index()
        present = [key for key in ranked if key in index]
        if len(present) != len(rows):
            seen = set(present)
            present += [r.key for r in rows if r.key not in seen]
        return present

    def undecided(self) -> list[str]:
        """Undecided records in screening order; skipped ones last."""
        return list(self._cached("undecided", self._undecided))

    def _undecided(self) -> list[str]:
        outcome = self._outcome
        keys = [key for key in self._cached("order", self._order) if key not in outcome]
        if not self.skipped:
            return keys
        skipped, open_ = set(self.skipped), set(keys)
        return [k for k in keys if k not in skipped] + [k for k in self.skipped if k in open_]

    def _positions(self) -> dict[str, int]:
        return self._cached("positions", lambda: {k: i for i, k in enumerate(self._cached("undecided", self._undecided))})

    def next_key(self, after: str | None = None) -> str | None:
        """The record to screen next (``after``: not this one)."""
        for key in self._cached("undecided", self._undecided)[:2]:
            if key != after:
                return key
        return None

    def rank(self, key: str) -> int | None:
        """1 for the next record to screen, and so on; ``None`` for a decided one."""
        position = self._positions().get(key)
        return None if position is None else position + 1

    # ------------------------------------------------------------------ what the page shows

    def view(self, key: str | None = None) -> View | None:
        """The record ``key`` (default: the next to screen), or ``None`` when all are decided."""
        if self._worker is None:
            self.load_details()  # not serving (tests, scripts): read them now
        with self.lock:
            if key is None:
                key = self.next_key()
                if key is None:
                    return None
            row = self._row(key)
            record = self.records.get(key)
            suggestion = self.suggestions.get(key)
            evidence = EVIDENCE_SEPARATOR.join(suggestion.evidence) if suggestion else row.get("evidence")
            keywords = LIST_SEPARATOR.join(record.keywords) if record else ""
            title = (record.title if record else "") or row.get("title")
            abstract = (record.abstract if record else "") or row.get("abstract")
            highlights = record_highlights({"title": title, "abstract": abstract, "keywords": keywords},
                                           evidence, self.query, record=record, protocol=self.protocol)
            undecided = self._cached("undecided", self._undecided)
            decided = key in self._outcome
            previous, following = self._neighbours(key, decided, undecided)
            authors = list(record.authors) if record else _split(row.get("authors"))
            year = (str(record.year) if record and record.year else "") or row.get("year")
            return View(
                key=key,
                title=marked(title, highlights["title"]),
                abstract=marked(abstract, highlights["abstract"]),
                keywords=marked(keywords, highlights["keywords"]),
                authors=authors,
                journal=(record.journal if record else "") or row.get("journal"),
                year=year,
                links=record_links(record, row.get("doi"), row.get("link")),
                sources=record_sources(record) if record else row.get("sources"),
                linked=self.study_links.reports(key),
                study_flags=self.study_links.flags(key),
                suggestion=(suggestion.suggestion if suggestion else "") or row.get("suggestion"),
                criteria=list(suggestion.criteria) if suggestion else _split(row.get("criteria")),
                suggestion_reason=suggestion.reason if suggestion else "",
                why=suggestion.why if suggestion else "",
                evidence=evidence,
                highlights=highlights,
                cells={c: row.get(c) for c in self.spec.person_columns},
                decided=decided,
                rank=self.rank(key),
                undecided=len(undecided),
                ranking=self._ranking.message,
                previous=previous,
                next=following,
                skipped=key in self.skipped,
                pending=self.pending.get(key),
            )

    def _neighbours(self, key: str, decided: bool, undecided: Sequence[str]) -> tuple[str | None, str | None]:
        trail = [k for k in self.trail if k in self._outcome]
        if decided and key in trail:
            index = trail.index(key)
            previous = trail[index - 1] if index > 0 else None
            following = trail[index + 1] if index + 1 < len(trail) else next(iter(undecided), None)
            return previous, following
        previous = trail[-1] if trail else None
        following = next((k for k in undecided if k != key), None)
        return previous, following

    def counts(self) -> Counts:
        with self.lock:
            tally = {"include": 0, "exclude": 0, "maybe": 0, NOT_RETRIEVED: 0}
            for outcome in self._outcome.values():
                tally[outcome] = tally.get(outcome, 0) + 1
            includes = tally["include"] + (tally["maybe"] if self.policy == "include" else 0)
            return Counts(len(self.snapshot.table.rows), len(self._outcome), includes, tally["maybe"],
                          tally["exclude"], tally[NOT_RETRIEVED])

    def curve_labels(self) -> list[int]:
        """1 for each relevant decision, 0 for each other, in the order they were made.

        As in the workflow's stopping rule, anything but an exclusion is relevant at
        title/abstract; at full text only an include is."""
        with self.lock:
            outcomes = [self._outcome[key] for key in self.trail if key in self._outcome]
            if self.stage == TITLE_ABSTRACT:
                return [0 if outcome == "exclude" else 1 for outcome in outcomes]
            return [1 if outcome == "include" else 0 for outcome in outcomes]

    def _stopping_input(self) -> tuple[list[int], int, int]:
        labels = self.curve_labels()
        return labels, len(self.snapshot.table.rows), hash((len(labels), tuple(labels[-200:]), sum(labels)))

    def _estimate(self, labels: list[int], total: int) -> Stopping | None:
        if not labels:
            return None
        from litsieve.ranking import stopping_for_protocol

        estimate = stopping_for_protocol(labels, total, self.protocol.ranking)
        return Stopping(len(labels), estimate.may_stop, estimate.message)

    def stopping(self) -> Stopping | None:
        """The latest stopping estimate (computed in the background; ``None`` until then)."""
        return self._stopping if self.stage == TITLE_ABSTRACT else None

    def agreement(self) -> dict[str, Any] | None:
        """Raw agreement and Cohen's kappa, once both screeners have finished the stage."""
        from litsieve.screening.agreement import agreement_summary

        with self.lock:
            if len(self.names) != 2 or self.counts().remaining:
                return None
            other = next(n for n in self.names if n != self.screener)
            spec = queue_spec(self.stage, other, self.protocol.criteria)
            path = spec.path(self.people)
            stamp = FileStamp.of(path)
            if self._other is not None and self._other[0] == stamp:
                return self._other[1] or None
            summary: dict[str, Any] = {}
            reasons = reason_names(self.protocol.criteria)
            try:
                table = read_snapshot(path, spec).table
                theirs = read_decisions(table.rows, spec, self.stage, reasons)
                mine = read_decisions(self.snapshot.table.rows, self.spec, self.stage, reasons)
            except ScreeningFileError:  # their file has a problem: the workflow will say so
                theirs, mine = {}, {}
            if theirs:
                if all(d.decision for d in theirs.values()):
                    keys = sorted(set(mine) | set(theirs))
                    outcomes = combine(keys, self.names, {self.screener: mine, other: theirs}, {}, self.policy)
                    summary = agreement_summary(outcomes, self.names, self.policy)
            self._other = (stamp, summary)
            return summary or None
