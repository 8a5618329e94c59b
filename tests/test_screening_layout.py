"""What a screener sees: what to type where, accepted the way litsieve reports it, in CSV or a workbook."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from litsieve.errors import ScreeningFileError
from litsieve.personfile import HELP_KEY, read_person_state
from litsieve.screening.queue import queue_spec
from screening_helpers import person_cells, protocol, read_rows, record, run, spreadsheet_edit, state, write_pool

TA = "screening/title_abstract"
CONFIG = protocol(["ana", "ben"])


@pytest.fixture
def review(tmp_path: Path) -> Path:
    write_pool(tmp_path, [record(i) for i in range(1, 7)])
    run(tmp_path, CONFIG)
    return tmp_path


def test_the_queue_says_what_to_type_and_why_a_record_is_unsure(review: Path) -> None:
    """Issue 16.11: decision, reason, note right after id and title; allowed values where the
    screener looks (row 2); an unsure suggestion says what it found missing."""
    header, rows, _ = read_rows(review / TA / "ana.csv", records_only=False)
    assert header[:5] == ["record_id", "title", "decision", "reason", "note"]
    assert header.index("abstract") > header.index("why") > header.index("suggestion")
    help_row = rows[0]
    assert help_row["record_id"] == HELP_KEY and help_row["decision"] == "include, exclude or maybe (empty: not screened yet)"
    assert "not_mental_health" in help_row["reason"] and "other (say what in note)" in help_row["reason"]
    assert "peer_support" in help_row["reason"]  # an inclusion criterion not met
    unsure = [r for r in rows[1:] if r["suggestion"] == "unsure"]
    assert unsure and all(r["why"] for r in unsure)
    # The help row is no record: it is skipped, and edits to it are said, not kept.
    spreadsheet_edit(review / TA / "ana.csv", {HELP_KEY: {"decision": "include"}})
    assert HELP_KEY not in {r.key for r in read_person_state(review / "screening", queue_spec(
        "title_abstract", "ana", CONFIG.criteria)).table.rows}


def test_the_reason_litsieve_reports_is_accepted_when_typed_back(review: Path) -> None:
    """Issue 16.11: "Not met: ..." (as in results/) was refused when a screener typed it."""
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "exclude",
                                                             "reason": "Not met: peer support is the intervention or topic"}})
    run(review, CONFIG)
    row = state(review / "results/screening/title_abstract.csv")["pubmed:1"]
    assert row["reason_ana"] == "Not met: Peer support is the intervention or topic"


def test_the_title_abstract_conflicts_file_carries_the_abstract(review: Path) -> None:
    """Issue 16.11: the third person had only the title to decide from."""
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "include"}})
    spreadsheet_edit(review / TA / "ben.csv", {"pubmed:1": {"decision": "exclude"}})
    run(review, CONFIG)
    header, rows, _ = read_rows(review / "screening/conflicts/title_abstract.csv")
    assert header[:6] == ["record_id", "status", "title", "resolution", "reason", "note"]
    assert rows[0]["abstract"].startswith("Adults using mental health services")


def test_a_queue_in_the_previous_layout_is_read_and_rewritten_with_everything_typed(review: Path) -> None:
    """Person files from before this layout (decision last, no help row) keep every cell."""
    old = ["record_id", "priority", "title", "abstract", "authors", "year", "journal", "doi", "link",
           "suggestion", "criteria", "evidence", "decision", "reason", "note", "my tags"]
    _, rows, _ = read_rows(review / TA / "ana.csv")
    lines = [",".join(old)] + [",".join([r["record_id"], r["priority"], "T", "", "", "", "", "", "", "", "", "",
                                         "include" if r["record_id"] == "pubmed:2" else "", "", "",
                                         "mine" if r["record_id"] == "pubmed:2" else ""]) for r in rows]
    (review / TA / "ana.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    run(review, CONFIG)
    header, _, _ = read_rows(review / TA / "ana.csv")
    assert header[:5] == ["record_id", "title", "decision", "reason", "note"] and header[-1] == "my tags"
    assert person_cells(review / TA / "ana.csv", ("decision", "my tags"))["pubmed:2"] == {
        "decision": "include", "my tags": "mine"}


def _save_workbook(path: Path, csv_path: Path, edits: dict[str, dict[str, str]]) -> None:
    header, rows, _ = read_rows(csv_path, records_only=False)
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        row.update(edits.get(row["record_id"], {}))
        sheet.append([row.get(c, "") for c in header])
    book.save(path)


def test_a_workbook_saved_beside_the_queue_is_read_and_said(review: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 16.11: a queue saved as .xlsx (beside or instead of the CSV) was ignored."""
    queue = review / TA / "ana.csv"
    workbook = queue.with_suffix(".xlsx")
    _save_workbook(workbook, queue, {"pubmed:3": {"decision": "exclude", "reason": "children"}})
    later = queue.stat().st_mtime + 5
    os.utime(workbook, (later, later))
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        run(review, CONFIG)
    assert person_cells(queue)["pubmed:3"]["decision"] == "exclude"
    assert state(review / "results/screening/title_abstract.csv")["pubmed:3"]["decision_ana"] == "exclude"
    assert "ana.xlsx was saved after" in caplog.text and "keep working in ana.csv" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        run(review, CONFIG)  # the same workbook again: read once, said once
    assert "ana.xlsx" not in caplog.text
    # Saved instead of the CSV: the CSV deleted (the workflow recreates it empty).
    queue.unlink()
    _save_workbook(workbook, review / TA / "ben.csv", {})
    _save_workbook(workbook, review / TA / "ben.csv", {"pubmed:4": {"decision": "include"}})
    run(review, CONFIG)
    assert person_cells(queue)["pubmed:4"]["decision"] == "include"


def test_a_spreadsheet_format_litsieve_cannot_read_stops_the_run_naming_it(review: Path) -> None:
    queue = review / TA / "ana.csv"
    ods = queue.with_suffix(".ods")
    ods.write_bytes(b"PK\x03\x04 an OpenDocument spreadsheet")
    later = queue.stat().st_mtime + 5
    os.utime(ods, (later, later))
    with pytest.raises(ScreeningFileError) as caught:
        run(review, CONFIG)
    assert caught.value.location.file == str(ods)
    assert "save it as 'Text CSV'" in str(caught.value)
