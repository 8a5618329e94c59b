"""Property: no sequence of screener edits, reruns, forced runs, deleted results, changed
exports, deleted rows and files, and runs killed with SIGKILL loses a typed decision.

Every case replays a random sequence against a small review on disk, running the three
screening stages in this process (the rules' own functions) and, for a SIGKILL, in a
forked process killed at a random moment. After every completed run each cell a person
typed (and did not clear) must be where it belongs: in its file, under the record's
current id, or in the orphans file if the record left the review. The sequences are
seeded (``derandomize``) and bounded; ``make soak`` runs many more
(``LITSIEVE_SOAK_EXAMPLES``) and tests/test_soak_workflow.py replays real ``snakemake`` runs.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import random
import shutil
import signal
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litsieve.personfile import HELP_KEY
from screening_helpers import protocol, read_rows, record, run, write_pool

EXAMPLES = int(os.environ.get("LITSIEVE_SOAK_EXAMPLES", "15"))
CONFIG = protocol(["ana", "ben"], ["ana"])
FILES = {
    "ta_ana": ("title_abstract/ana.csv", ("decision", "reason", "note", "my col")),
    "ta_ben": ("title_abstract/ben.csv", ("decision", "reason", "note", "my col")),
    "ft_ana": ("full_text/ana.csv", ("retrieval", "decision", "reason", "note", "my col")),
    "cf_ta": ("conflicts/title_abstract.csv", ("resolution", "reason", "note", "my col")),
}
TA_CELLS = st.one_of(
    st.tuples(st.just("decision"), st.sampled_from(["include", "Include ", "exclude", "maybe", ""])),
    st.tuples(st.just("reason"), st.sampled_from(["", "children", "Children and young people", "other",
                                                  "Not met: Peer support is the intervention or topic"])),
)
FT_CELLS = st.sampled_from([{"retrieval": "retrieved", "decision": "include", "reason": ""},
                            {"retrieval": "retrieved", "decision": "exclude", "reason": "children"},
                            {"retrieval": "not retrieved", "decision": "", "reason": ""},
                            {"retrieval": "", "decision": "", "reason": ""}])
NOTE = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")) | st.sampled_from(",;\"'=+-@\n\t"),
               min_size=1, max_size=10).filter(lambda s: s.strip() and s.strip() != HELP_KEY)
index = st.integers(0, 40)
operations = st.lists(st.one_of(
    st.tuples(st.just("type"), st.sampled_from(["ta_ana", "ta_ben"]), index, TA_CELLS),
    st.tuples(st.just("type"), st.just("ft_ana"), index, FT_CELLS),
    st.tuples(st.just("type"), st.just("cf_ta"), index, st.sampled_from(
        [{"resolution": "include"}, {"resolution": "exclude", "reason": "children"}, {"resolution": ""}])),
    st.tuples(st.just("type"), st.sampled_from(sorted(FILES)), index, st.tuples(
        st.sampled_from(["note", "my col"]), NOTE)),
    st.tuples(st.just("save"), st.sampled_from(sorted(FILES)), st.sampled_from([",", ";", "\t"]), st.booleans(),
              st.booleans(), st.sampled_from(["utf-8", "utf-16"]), st.integers(0, 3)),
    st.tuples(st.just("delete row"), st.sampled_from(sorted(FILES)), index),
    st.tuples(st.just("delete file"), st.sampled_from(sorted(FILES))),
    st.tuples(st.just("export"), st.sampled_from(["add", "remove", "re-identify"]), index),
    st.tuples(st.sampled_from(["rerun", "forceall", "rm -rf results"])),
    st.tuples(st.just("SIGKILL"), st.floats(0.0, 0.25)),
), min_size=3, max_size=16)


class Review:
    """The review on disk and what its people typed, as the model expects it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.people = root / "screening"
        self.records = {f"pubmed:{i}": record(i) for i in range(1, 9)}
        self.next = 9
        self.expected: dict[str, dict[str, dict[str, str]]] = {name: {} for name in FILES}
        self.at_last_run: dict[str, dict[str, dict[str, str]]] = {name: {} for name in FILES}
        self.renamed: dict[str, str] = {}  # re-identified records: old id -> new id

    def current(self, record_id: str) -> str:
        """The id a row's typed cells will be under after the next run."""
        while record_id in self.renamed:
            record_id = self.renamed[record_id]
        return record_id

    def path(self, name: str) -> Path:
        return self.people / FILES[name][0]

    def write_pool(self) -> None:
        write_pool(self.root, list(self.records.values()))

    def run(self) -> None:
        run(self.root, CONFIG)
        self.check()
        self.at_last_run = {name: {k: dict(v) for k, v in cells.items()} for name, cells in self.expected.items()}

    def killed_run(self, delay: float) -> None:
        child = multiprocessing.get_context("fork").Process(target=run, args=(self.root, CONFIG))
        child.start()
        time.sleep(delay)
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
        child.join()

    def table(self, path: Path) -> tuple[list[str], list[dict[str, str]]]:
        if not path.exists():
            return [], []
        header, rows, _ = read_rows(path, records_only=False)
        return header, rows

    def save(self, name: str, header: list[str], rows: list[dict[str, str]], delimiter: str = ",",
             bom: bool = True, crlf: bool = True, encoding: str = "utf-8", shuffle: int = 0) -> None:
        rows = list(rows)
        random.Random(shuffle).shuffle(rows)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
        writer.writerow(header)
        writer.writerows([[row.get(c, "") for c in header] for row in rows])
        text = buffer.getvalue()
        data = text.encode("utf-16") if encoding == "utf-16" else (("\ufeff" if bom else "") + text).encode()
        self.path(name).write_bytes(data)

    def type(self, name: str, at: int, cells: dict[str, str]) -> None:
        header, rows = self.table(self.path(name))
        records = [row for row in rows if row.get("record_id") != HELP_KEY]
        if not records:
            return
        row = records[at % len(records)]
        for column, value in cells.items():
            if column not in header:
                header.append(column)
            row[column] = value
            typed = self.expected[name].setdefault(self.current(row["record_id"]), {})
            if value.strip():
                typed[column] = value
            else:
                typed.pop(column, None)
        self.save(name, header, rows)

    def delete_row(self, name: str, at: int) -> None:
        header, rows = self.table(self.path(name))
        records = [row for row in rows if row.get("record_id") != HELP_KEY]
        if not records:
            return
        gone = records[at % len(records)]
        self.save(name, header, [row for row in rows if row is not gone])
        # What the last run saw of it comes back; what was typed since is lost with the row.
        record_id = self.current(gone["record_id"])
        self.expected[name][record_id] = dict(self.at_last_run[name].get(record_id, {}))

    def delete_file(self, name: str) -> None:
        if self.path(name).exists():
            self.path(name).unlink()
            self.expected[name] = {k: dict(v) for k, v in self.at_last_run[name].items()}

    def export(self, change: str, at: int) -> None:
        ids = sorted(self.records)
        if change == "add" or not ids:
            self.records[f"pubmed:{self.next}"] = record(self.next)
            self.next += 1
        elif change == "remove" and len(ids) > 1:
            del self.records[ids[at % len(ids)]]
        elif change == "re-identify":
            old = ids[at % len(ids)]
            new = f"psycinfo:h{self.next:012x}"
            self.next += 1
            self.records[new] = record(int(old.split(":")[1], 16) if old.startswith("psycinfo") else
                                       int(old.split(":")[1]), record_id=new)
            del self.records[old]
            self.renamed[old] = new
            for name in FILES:  # the decisions follow the record (docs/screening.md)
                for cells in (self.expected[name], self.at_last_run[name]):
                    if old in cells:
                        cells[new] = cells.pop(old)

    def check(self) -> None:
        for name, (relative, columns) in FILES.items():
            where = {}
            for path in (self.people / "orphans" / relative, self.path(name)):  # the file wins
                for row in self.table(path)[1]:
                    if row.get("record_id") != HELP_KEY:
                        where[row["record_id"]] = {c: row[c] for c in columns if row.get(c, "").strip()}
            for record_id, typed in self.expected[name].items():
                if typed:
                    assert where.get(record_id) == typed, (name, record_id, typed, where.get(record_id))


def play(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        review = Review(Path(folder))
        review.write_pool()
        review.run()
        for op in ops:
            kind = op[0]
            if kind == "type":
                review.type(op[1], op[2], dict([op[3]]) if isinstance(op[3], tuple) else op[3])
            elif kind == "save":
                header, rows = review.table(review.path(op[1]))
                if header:
                    review.save(op[1], header, rows, *op[2:])
            elif kind == "delete row":
                review.delete_row(op[1], op[2])
            elif kind == "delete file":
                review.delete_file(op[1])
            elif kind == "export":
                review.export(op[1], op[2])
                review.write_pool()
            elif kind == "rm -rf results":
                shutil.rmtree(review.root / "results")
                review.write_pool()
                review.run()
            elif kind == "forceall":
                review.write_pool()  # every rule again, from the same inputs
                review.run()
            elif kind == "SIGKILL":
                review.killed_run(op[1])
                review.run()  # the reviewer runs again after the crash
            else:
                review.run()
        review.run()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(operations)
def test_no_sequence_of_edits_runs_and_crashes_loses_a_typed_decision(ops: list[tuple]) -> None:
    play(ops)
