"""What a screener's decisions survive: re-exports that change ids, symbolic links, deleted files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from screening_helpers import person_cells, protocol, record, run, spreadsheet_edit, state, write_pool

TA = "screening/title_abstract"


def _review(tmp_path: Path, records: list) -> Path:
    write_pool(tmp_path, records)
    run(tmp_path, protocol(["ana"]))
    return tmp_path


def test_a_record_re_identified_after_a_re_export_keeps_its_decision(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 16.7: a record without a database id whose pages changed got a new id; its decision
    went to the orphans file and the record showed as undecided."""
    records = [record(i, record_id=f"psycinfo:h{i:012x}", doi="") for i in range(1, 6)]
    review = _review(tmp_path, records)
    spreadsheet_edit(review / TA / "ana.csv", {"psycinfo:h000000000002": {"decision": "include", "note": "RCT"}})
    run(review, protocol(["ana"]))
    moved = [record(i, record_id=f"psycinfo:h{i:012x}", doi="") for i in (1, 3, 4, 5)]
    moved.append(record(2, record_id="psycinfo:hfeedfacecafe", doi="", pages="101-109"))
    write_pool(review, moved)
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        run(review, protocol(["ana"]))
    assert person_cells(review / TA / "ana.csv")["psycinfo:hfeedfacecafe"] == {
        "decision": "include", "reason": "", "note": "RCT"}
    assert state(review / "results/screening/title_abstract.csv")["psycinfo:hfeedfacecafe"]["decision_ana"] == "include"
    assert not (review / "screening/orphans/title_abstract/ana.csv").exists()
    assert "decisions on psycinfo:h000000000002 now belong to psycinfo:hfeedfacecafe" in caplog.text


def test_two_records_that_look_alike_are_not_guessed_between(tmp_path: Path) -> None:
    """Re-identification is one to one: an ambiguous match leaves the row in the orphans file."""
    records = [record(i, record_id=f"psycinfo:h{i:012x}", doi="") for i in range(1, 4)]
    review = _review(tmp_path, records)
    spreadsheet_edit(review / TA / "ana.csv", {"psycinfo:h000000000002": {"decision": "exclude"}})
    run(review, protocol(["ana"]))
    twins = [record(2, record_id=f"psycinfo:htwin{n}", doi="") for n in (1, 2)]
    write_pool(review, [records[0], records[2], *twins])
    run(review, protocol(["ana"]))
    assert "psycinfo:h000000000002" in person_cells(review / "screening/orphans/title_abstract/ana.csv")
    assert not {"psycinfo:htwin1", "psycinfo:htwin2"} & set(person_cells(review / TA / "ana.csv"))


def test_a_queue_that_is_a_symbolic_link_is_updated_where_it_points(tmp_path: Path) -> None:
    """Issue 16.6: the link was replaced by a real file; later edits at its target were ignored."""
    review = _review(tmp_path, [record(i) for i in range(1, 4)])
    queue = review / TA / "ana.csv"
    shared = tmp_path / "shared_drive" / "ana.csv"
    shared.parent.mkdir()
    queue.rename(shared)
    queue.symlink_to(shared)
    spreadsheet_edit(shared, {"pubmed:1": {"decision": "include"}})
    run(review, protocol(["ana"]))
    assert queue.is_symlink() and queue.resolve() == shared.resolve()
    spreadsheet_edit(shared, {"pubmed:2": {"decision": "exclude"}})
    run(review, protocol(["ana"]))
    decided = state(review / "results/screening/title_abstract.csv")
    assert (decided["pubmed:1"]["decision_ana"], decided["pubmed:2"]["decision_ana"]) == ("include", "exclude")
    assert queue.is_symlink()
