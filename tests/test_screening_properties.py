"""Property: no sequence of spreadsheet edits, reruns and record changes loses or alters a decision."""

from __future__ import annotations

import csv
import io
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litsieve.personfile import orphans_path, read_person_file, update_person_file
from litsieve.screening.queue import queue_spec, undecided_first

from screening_helpers import protocol

SPEC = queue_spec("title_abstract", "ana", protocol(["ana"]).criteria)
PERSON = ("decision", "reason", "note", "my column")
DECISIONS = ("include", "Include", " exclude", "MAYBE", "")
REASONS = ("", "children", "Children and young people", "other")
ID_POOL = [f"pubmed:{i}" for i in range(12)]

note_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\t,;\"'=+-@"),
    min_size=1, max_size=12,
).filter(lambda s: s.strip() and s == s.strip("\ufeff"))

edit = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 50), st.just("decision"), st.sampled_from(DECISIONS)),
    st.tuples(st.just("edit"), st.integers(0, 50), st.just("reason"), st.sampled_from(REASONS)),
    st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from(["note", "my column"]), note_text),
)
save = st.tuples(st.just("save"), st.sampled_from([",", ";", "\t"]), st.booleans(), st.booleans(),
                 st.sampled_from(["utf-8", "utf-16"]), st.integers(0, 3))
change = st.tuples(st.just("records"), st.sets(st.sampled_from(ID_POOL), min_size=1, max_size=12))
rerun = st.tuples(st.just("rerun"))
# Deduplication picks another record of the same work as its representative.
rekey = st.tuples(st.just("rekey"), st.integers(0, 50))
operations = st.lists(st.one_of(edit, save, change, rerun, rekey), min_size=1, max_size=25)


def generated(ids: set[str], round_: int) -> list[dict[str, str]]:
    return [{"record_id": i, "title": f"=title {i} v{round_}", "abstract": "-x", "priority": str(n)}
            for n, i in enumerate(sorted(ids), start=1)]


def load(path: Path) -> tuple[list[str], list[list[str]]]:
    table = read_person_file(path, SPEC)
    return table.columns, [[row.get(c) for c in table.columns] for row in table.rows]


def save_as(path: Path, columns: list[str], rows: list[list[str]], delimiter: str, bom: bool, crlf: bool,
            encoding: str, shuffle: int) -> None:
    rows = list(rows)
    random.Random(shuffle).shuffle(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(columns)
    writer.writerows(rows)
    text = buffer.getvalue()
    path.write_bytes(text.encode("utf-16") if encoding == "utf-16" else (("\ufeff" if bom else "") + text).encode())


def typed_cells(columns: list[str], row: list[str]) -> dict[str, str]:
    return {c: v for c, v in zip(columns, row) if c in PERSON and v.strip()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_no_sequence_of_edits_reruns_and_record_changes_loses_a_decision(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        people = Path(folder)
        path = SPEC.path(people)
        ids = set(ID_POOL[:6])
        expected: dict[str, dict[str, str]] = {}  # what the person typed last, by record id
        round_ = 0
        update_person_file(people, SPEC, generated(ids, round_), order=undecided_first)
        columns, rows = load(path)
        for op in ops:
            if op[0] == "edit" and rows:
                _, index, column, value = op
                if column not in columns:
                    columns.append(column)
                    rows = [row + [""] for row in rows]
                row = rows[index % len(rows)]
                row[columns.index(column)] = value
                expected[row[0]] = typed_cells(columns, row)
            elif op[0] == "save":
                save_as(path, columns, rows, *op[1:])
                columns, rows = load(path)
            elif op[0] == "records":
                ids = set(op[1])
            elif op[0] in ("rerun", "rekey"):
                save_as(path, columns, rows, ",", True, True, "utf-8", 0)
                round_ += 1
                aliases = {}
                present = sorted(ids & {row[0] for row in rows})
                if op[0] == "rekey" and present:
                    old = present[op[1] % len(present)]
                    new = f"{old}~r{round_}"
                    ids = (ids - {old}) | {new}
                    aliases = {old: new}
                    if old in expected:
                        expected[new] = expected.pop(old)
                update_person_file(people, SPEC, generated(ids, round_), order=undecided_first, aliases=aliases)
                columns, rows = load(path)
                assert {row[0] for row in rows} == ids
                in_file = {row[0]: typed_cells(columns, row) for row in rows}
                orphan_file = orphans_path(people, SPEC.relative)
                orphans = {}
                if orphan_file.exists():
                    o_columns, o_rows = load(orphan_file)
                    orphans = {row[0]: typed_cells(o_columns, row) for row in o_rows}
                for record_id, cells in expected.items():
                    if not cells:
                        continue
                    where = in_file if record_id in ids else orphans
                    assert where.get(record_id) == cells, (record_id, cells, where.get(record_id))
                for row in rows:  # generated cells are fresh and formula-safe on disk
                    assert row[columns.index("title")] == f"=title {row[0]} v{round_}"
                assert "'=title" in path.read_text(encoding="utf-8-sig")
