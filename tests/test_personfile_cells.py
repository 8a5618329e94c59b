"""One process writing single cells into a person file a spreadsheet also saves (the screening page).

merge_person_cells must never write over what was typed elsewhere, must put back what a
stale save dropped, and must write exactly the bytes a full rewrite would.
"""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import pytest

from litsieve.errors import ScreeningFileError
from litsieve.personfile import (
    FileStamp,
    changed_on_disk,
    merge_person_cells,
    orphans_path,
    person_csv_bytes,
    person_file_lock,
    read_issued,
    read_person_file,
    read_snapshot,
    update_person_file,
)
from screening_helpers import person_cells, spreadsheet_edit
from test_personfile import SPEC


def setup(tmp_path: Path, n: int = 4) -> Path:
    rows = [{"record_id": f"r{i}", "title": f"=Title {i}, \"quoted\"\nline"} for i in range(1, n + 1)]
    update_person_file(tmp_path, SPEC, rows)
    return SPEC.path(tmp_path)


def cells(path: Path) -> dict[str, dict[str, str]]:
    return person_cells(path, SPEC.person_columns)


def test_one_cell_is_written_as_a_full_rewrite_would_write_it(tmp_path: Path) -> None:
    path = setup(tmp_path)
    base = read_snapshot(path, SPEC)
    result = merge_person_cells(tmp_path, SPEC, {"r2": {"decision": "include", "note": "=mine"}}, base)
    assert result.written == ["r2"] and not result.conflicts and not result.external
    table = read_person_file(path, SPEC)
    assert path.read_bytes() == person_csv_bytes(table.columns, table.rows, generated=SPEC.generated_columns)
    assert cells(path) == {"r2": {"decision": "include", "reason": "", "note": "=mine"}}
    assert result.snapshot.ours and result.snapshot.data == path.read_bytes()
    # The next write reuses the encoded rows and still matches a full rewrite.
    again = merge_person_cells(tmp_path, SPEC, {"r3": {"decision": "exclude"}}, result.snapshot)
    table = read_person_file(path, SPEC)
    assert path.read_bytes() == person_csv_bytes(table.columns, table.rows, generated=SPEC.generated_columns)
    assert set(cells(path)) == {"r2", "r3"} and again.written == ["r3"]


def test_a_spreadsheet_save_in_between_is_merged_not_overwritten(tmp_path: Path) -> None:
    path = setup(tmp_path)
    base = read_snapshot(path, SPEC)
    first = merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include"}}, base)
    # The spreadsheet saves with semicolons, its own decision on r4 and an added column.
    spreadsheet_edit(path, {"r4": {"decision": "exclude", "my tags": "x"}}, delimiter=";", bom=False)
    assert changed_on_disk(first.snapshot, path)
    second = merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include"}, "r2": {"decision": "maybe"}},
                                first.snapshot)
    assert second.external and not second.conflicts
    assert {k: v["decision"] for k, v in cells(path).items()} == {"r1": "include", "r2": "maybe", "r4": "exclude"}
    table = read_person_file(path, SPEC)
    assert table.delimiter == ";" and "my tags" in table.columns
    assert table.by_key()["r4"].get("my tags") == "x"


def test_a_stale_save_that_drops_a_decision_gets_it_back(tmp_path: Path) -> None:
    path = setup(tmp_path)
    opened = path.read_bytes()  # the spreadsheet opens the file now
    base = read_snapshot(path, SPEC)
    written = merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include"}}, base)
    path.write_bytes(opened)  # ... and saves its old copy later, with r2 decided there
    spreadsheet_edit(path, {"r2": {"decision": "exclude"}})
    result = merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include"}}, written.snapshot)
    assert result.restored == ["r1"] and result.external
    assert {k: v["decision"] for k, v in cells(path).items()} == {"r1": "include", "r2": "exclude"}


def test_a_different_decision_typed_elsewhere_is_kept_and_reported(tmp_path: Path) -> None:
    path = setup(tmp_path)
    base = read_snapshot(path, SPEC)
    spreadsheet_edit(path, {"r1": {"decision": "exclude", "reason": "typed there"}})
    before = path.read_bytes()
    result = merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include", "reason": "", "note": "n"}}, base)
    assert [(c.key, c.column, c.disk, c.ours) for c in result.conflicts] == [
        ("r1", "decision", "exclude", "include"), ("r1", "reason", "typed there", "")]
    assert result.written == [] and path.read_bytes() == before  # nothing of the row was written


def test_a_row_deleted_in_the_spreadsheet_comes_back_with_everything_typed(tmp_path: Path) -> None:
    path = setup(tmp_path)
    base = read_snapshot(path, SPEC)
    written = merge_person_cells(tmp_path, SPEC, {"r3": {"decision": "include", "note": "keep"}}, base)
    text = path.read_bytes().decode("utf-8-sig")
    path.write_text("\r\n".join(line for line in text.split("\r\n") if not line.startswith("r3,")), encoding="utf-8")
    result = merge_person_cells(tmp_path, SPEC, {"r3": {"decision": "include", "note": "keep"}}, written.snapshot)
    assert result.restored == ["r3"]
    row = read_person_file(path, SPEC).by_key()["r3"]
    assert row.get("note") == "keep" and row.get("title").startswith("=Title 3")


def test_a_new_row_from_a_template_is_added_to_the_issued_ids(tmp_path: Path) -> None:
    path = setup(tmp_path, 2)
    base = read_snapshot(path, SPEC)
    merge_person_cells(tmp_path, SPEC, {"r9": {"decision": "exclude"}}, base, templates={"r9": {"title": "Nine"}})
    assert "r9" in read_issued(tmp_path, SPEC.relative)
    # The workflow accepts the row (it was issued) and keeps what was typed in it.
    update_person_file(tmp_path, SPEC, [{"record_id": "r1", "title": "x"}, {"record_id": "r9", "title": "Nine"}])
    assert cells(path)["r9"]["decision"] == "exclude"
    with pytest.raises(ValueError, match="no template"):
        merge_person_cells(tmp_path, SPEC, {"nope": {"decision": "include"}}, read_snapshot(path, SPEC))


def test_versions_saved_elsewhere_are_kept_in_the_history_ours_are_not_piled_up(tmp_path: Path) -> None:
    path = setup(tmp_path)
    history = tmp_path / ".history" / "title_abstract"
    before = set(history.glob("ana.*.csv"))
    snapshot = read_snapshot(path, SPEC)
    for i in range(1, 4):
        snapshot = merge_person_cells(tmp_path, SPEC, {f"r{i}": {"decision": "include"}}, snapshot).snapshot
    assert len(set(history.glob("ana.*.csv")) - before) == 1  # the version the session started from
    spreadsheet_edit(path, {"r4": {"decision": "exclude"}})
    merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "maybe"}}, snapshot)
    assert len(set(history.glob("ana.*.csv")) - before) == 2  # and the spreadsheet's version


def test_bad_values_and_unreadable_files_write_nothing(tmp_path: Path) -> None:
    path = setup(tmp_path)
    base = read_snapshot(path, SPEC)
    with pytest.raises(ValueError, match="not a valid decision"):
        merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "perhaps"}}, base)
    with pytest.raises(ValueError, match="not a person column"):
        merge_person_cells(tmp_path, SPEC, {"r1": {"title": "x"}}, base)
    spreadsheet_edit(path, {"r2": {"decision": "inclde"}})
    before = path.read_bytes()
    with pytest.raises(ScreeningFileError, match="row"):
        merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include"}}, base)
    assert path.read_bytes() == before


def test_the_lock_keeps_a_workflow_write_and_a_page_write_apart(tmp_path: Path) -> None:
    path = setup(tmp_path)
    base = read_snapshot(path, SPEC)
    done = threading.Event()

    def page() -> None:
        merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include"}}, base)
        done.set()

    with person_file_lock(tmp_path, SPEC.relative):
        thread = threading.Thread(target=page)
        thread.start()
        time.sleep(0.3)
        assert not done.is_set()  # waits for the lock
        spreadsheet_edit(path, {"r2": {"decision": "exclude"}})  # what the holder wrote meanwhile
    thread.join(5)
    assert {k: v["decision"] for k, v in cells(path).items()} == {"r1": "include", "r2": "exclude"}


def test_changed_on_disk_ignores_a_save_with_the_same_content(tmp_path: Path) -> None:
    path = setup(tmp_path)
    snapshot = read_snapshot(path, SPEC)
    assert not changed_on_disk(snapshot, path)
    path.unlink()
    path.write_bytes(snapshot.data)  # saved again with the same bytes: a new file, no edit
    assert FileStamp.of(path) != snapshot.stamp
    assert not changed_on_disk(snapshot, path)
    spreadsheet_edit(path, {"r1": {"note": "x"}})
    assert changed_on_disk(snapshot, path)


def test_a_row_the_workflow_orphaned_is_not_brought_back(tmp_path: Path) -> None:
    path = setup(tmp_path, 3)
    base = read_snapshot(path, SPEC)
    written = merge_person_cells(tmp_path, SPEC, {"r3": {"decision": "include"}}, base)
    # A workflow run: r3's record left the review, so its row went to the orphans file.
    update_person_file(tmp_path, SPEC, [{"record_id": "r1", "title": "x"}, {"record_id": "r2", "title": "y"}])
    result = merge_person_cells(tmp_path, SPEC, {"r3": {"decision": "include"}, "r1": {"decision": "exclude"}},
                                written.snapshot)
    assert result.gone == ["r3"] and "r3" not in cells(path)
    assert cells(path)["r1"]["decision"] == "exclude"
    assert cells(orphans_path(tmp_path, SPEC.relative)) == {"r3": {"decision": "include", "reason": "", "note": ""}}


def test_a_file_caught_empty_mid_save_is_waited_for_and_never_merged_into(tmp_path: Path) -> None:
    import os

    from litsieve.personfile import read_settled

    path = setup(tmp_path)
    base = read_snapshot(path, SPEC)
    full = path.read_bytes()
    old = time.time() - 60
    # A program saving in place has truncated the file; here the truncation kept the old time stamp.
    path.write_bytes(b"")
    os.utime(path, (old, old))
    with pytest.raises(ScreeningFileError, match="empty"):
        merge_person_cells(tmp_path, SPEC, {"r1": {"decision": "include"}}, base)
    assert path.read_bytes() == b""  # nothing was written into it

    def finish() -> None:
        time.sleep(0.3)
        path.write_bytes(full)

    writer = threading.Thread(target=finish)
    writer.start()
    data, _ = read_settled(path, 0.05, timeout=10)
    writer.join()
    assert data == full


def test_a_page_decision_lost_from_the_file_before_the_next_run_comes_back(tmp_path: Path) -> None:
    """A decision written by the page is in the ledger: deleting its row (or the whole file)
    in a spreadsheet before the next workflow run does not lose it; clearing it does."""
    path = setup(tmp_path)
    result = merge_person_cells(tmp_path, SPEC, {"r2": {"decision": "include", "note": "page"}},
                                read_snapshot(path, SPEC))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        kept = [row for row in csv.reader(handle) if row[:1] != ["r2"]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(kept)  # the row deleted in a spreadsheet
    update_person_file(tmp_path, SPEC, [{"record_id": f"r{i}", "title": "T"} for i in range(1, 5)])
    assert cells(path) == {"r2": {"decision": "include", "reason": "", "note": "page"}}
    merge_person_cells(tmp_path, SPEC, {"r2": {"decision": "", "note": ""}}, read_snapshot(path, SPEC))
    path.unlink()
    update_person_file(tmp_path, SPEC, [{"record_id": f"r{i}", "title": "T"} for i in range(1, 5)])
    assert cells(path) == {}
    assert result.written == ["r2"]
