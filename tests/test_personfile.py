"""Person files: whatever a spreadsheet saved is read, and merging never loses a typed cell."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from litsieve.errors import ScreeningFileError
from litsieve.people import ensure_person_files
from protocols import minimal_mapping, protocol
from litsieve.personfile import (
    PersonFileSpec,
    merge_rows,
    orphans_path,
    read_person_file,
    update_person_file,
)

SPEC = PersonFileSpec(
    relative="title_abstract/ana.csv",
    columns=("record_id", "title", "decision", "reason", "note"),
    person_columns=("decision", "reason", "note"),
    choices={"decision": ("include", "exclude", "maybe")},
)


def generated(*ids: str, prefix: str = "Title") -> list[dict[str, str]]:
    return [{"record_id": i, "title": f"{prefix} {i}"} for i in ids]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_written_file_is_utf8_bom_crlf_and_neutralises_database_cells(tmp_path: Path) -> None:
    rows = [{"record_id": "r1", "title": "=HYPERLINK(\"http://x\")"}, {"record_id": "r2", "title": "Søren's"}]
    update_person_file(tmp_path, SPEC, rows)
    data = SPEC.path(tmp_path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 3
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "Søren's" in text


@pytest.mark.parametrize(
    "delimiter,encoding,newline,bom",
    [(",", "utf-8", "\n", ""), (";", "utf-8", "\r\n", "\ufeff"), ("\t", "utf-16", "\r\n", ""),
     (";", "cp1252", "\r\n", ""), (",", "utf-8", "\r\n", "\ufeff")],
)
def test_reads_what_spreadsheets_save(tmp_path: Path, delimiter: str, encoding: str, newline: str, bom: str) -> None:
    lines = [["record_id", "title", "decision", "reason", "note", "My column"],
             ["r2", "Title r2", "Exclude ", "", "café; \"quoted\"", "x"],
             ["r1", "Title r1", "include", "", "", ""],
             ["", "", "", "", "", ""]]
    def cell(c: str) -> str:
        return f'"{c.replace(chr(34), chr(34) * 2)}"' if any(ch in c for ch in f'{delimiter}"') else c
    text = bom + newline.join(delimiter.join(cell(c) for c in row) for row in lines) + newline
    path = write(tmp_path / "a.csv", text, encoding)
    table = read_person_file(path, SPEC)
    assert table.delimiter == delimiter
    rows = table.by_key()
    assert set(rows) == {"r1", "r2"}
    assert rows["r2"].get("note") == 'café; "quoted"'
    assert rows["r2"].get("My column") == "x"
    assert SPEC.choice("decision", rows["r2"].get("decision")) == "exclude"
    assert rows["r1"].line == 3


def test_cp1252_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path / "a.csv", "record_id,title,decision\r\nr1,Café,include\r\n", "cp1252")
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        table = read_person_file(path, SPEC)
    assert table.rows[0].get("title") == "Café"
    assert table.encoding == "cp1252"
    assert "Windows-1252" in caplog.text


@pytest.mark.parametrize(
    "body,row,field,words",
    [("record_id,decision\nr1,yes\n", 2, "decision", "not a valid decision"),
     ("record_id,decision\nr1,include\nr2,\nr1,exclude\n", 4, "record_id", "appears twice"),
     ("title,decision\nx,include\n", 1, "record_id", "no 'record_id' column"),
     ("record_id,decision\n,include\n", 2, "record_id", "no record id"),
     ("record_id,decision,Decision\nr1,include,include\n", 1, "decision", "twice")],
)
def test_errors_name_file_row_and_column(tmp_path: Path, body: str, row: int, field: str, words: str) -> None:
    path = write(tmp_path / "a.csv", body)
    with pytest.raises(ScreeningFileError) as info:
        read_person_file(path, SPEC)
    assert info.value.location.row == row
    assert info.value.location.field == field
    assert info.value.location.file == str(path)
    assert words in str(info.value)


def test_unknown_record_id_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    path = SPEC.path(tmp_path)
    text = path.read_text(encoding="utf-8-sig").replace("r2,Title r2,,,", "r2x,Title r2,exclude,,typo")
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ScreeningFileError) as info:
        update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    assert info.value.location.row == 3 and info.value.location.field == "record_id"
    assert "r2x" in str(info.value)
    assert path.read_bytes() == before


def test_merge_keeps_person_cells_refreshes_generated_and_appends(tmp_path: Path) -> None:
    update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3"))
    path = SPEC.path(tmp_path)
    # The screener sorts descending, switches to semicolons, adds a column and types.
    path.write_text(
        "record_id;title;decision;reason;note;Second look\r\n"
        "r3;Title r3;;;;\r\n"
        "r2;Title r2;Exclude;wrong population;=1+1 is my note;yes\r\n"
        "r1;Title r1;include;;;\r\n",
        encoding="utf-8",
    )
    merge = update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3", "r4", prefix="New"))
    assert merge.appended == ["r4"]
    table = read_person_file(path, SPEC)
    assert table.delimiter == ";"
    assert table.columns == ["record_id", "title", "decision", "reason", "note", "Second look"]
    rows = table.by_key()
    assert [r.key for r in table.rows] == ["r1", "r2", "r3", "r4"]
    assert rows["r2"].get("decision") == "Exclude"
    assert rows["r2"].get("note") == "=1+1 is my note"  # typed text round-trips, not neutralised
    assert rows["r2"].get("Second look") == "yes"
    assert rows["r1"].get("title") == "New r1"
    assert rows["r4"].get("decision") == ""


def test_rerun_with_same_rows_does_not_touch_the_file(tmp_path: Path) -> None:
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    path = SPEC.path(tmp_path)
    stamp = path.stat().st_mtime_ns
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    assert path.stat().st_mtime_ns == stamp


def test_previous_version_is_kept(tmp_path: Path) -> None:
    update_person_file(tmp_path, SPEC, generated("r1"))
    first = SPEC.path(tmp_path).read_bytes()
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    kept = list((tmp_path / ".history" / "title_abstract").glob("ana.*.csv"))
    assert [p.read_bytes() for p in kept] == [first]


def test_vanished_records_go_to_orphans_and_come_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3"))
    path = SPEC.path(tmp_path)
    path.write_text("record_id,title,decision,note\nr1,T,include,\nr2,T,exclude,gone soon\nr3,T,,\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        update_person_file(tmp_path, SPEC, generated("r1"))
    assert "orphans" in caplog.text
    orphans = read_person_file(orphans_path(tmp_path, SPEC.relative), SPEC).by_key()
    assert set(orphans) == {"r2"}  # r3 had nothing typed in it
    assert orphans["r2"].get("note") == "gone soon"
    assert set(read_person_file(path, SPEC).by_key()) == {"r1"}
    merge = update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3"))
    assert merge.restored == ["r2"]
    rows = read_person_file(path, SPEC).by_key()
    assert rows["r2"].get("decision") == "exclude" and rows["r2"].get("note") == "gone soon"
    assert read_person_file(orphans_path(tmp_path, SPEC.relative), SPEC).rows == []


def test_decision_follows_its_work_when_the_dedup_representative_changes(tmp_path: Path) -> None:
    update_person_file(tmp_path, SPEC, generated("pubmed:1"))
    path = SPEC.path(tmp_path)
    path.write_text("record_id,title,decision\npubmed:1,T,include\n", encoding="utf-8")
    merge = update_person_file(tmp_path, SPEC, generated("psycinfo:9"), aliases={"pubmed:1": "psycinfo:9"})
    assert merge.rekeyed == {"pubmed:1": "psycinfo:9"}
    rows = read_person_file(path, SPEC).by_key()
    assert rows["psycinfo:9"].get("decision") == "include"
    assert not orphans_path(tmp_path, SPEC.relative).exists()


def test_merge_rows_order_is_the_generated_order() -> None:
    merge = merge_rows(SPEC, None, generated("b", "a", "c"))
    assert [r.key for r in merge.rows] == ["b", "a", "c"]


def test_ensure_person_files_creates_headers_and_never_touches_existing(tmp_path: Path) -> None:
    other = PersonFileSpec("duplicates.csv", ("record_id", "pair", "same"), ("same",))
    config = protocol(minimal_mapping(paths={"people": "people"}))
    created = ensure_person_files(config, tmp_path, [SPEC, other])
    assert sorted(p.name for p in created) == ["ana.csv", "duplicates.csv"]
    assert (tmp_path / "people/duplicates.csv").read_bytes() == b"\xef\xbb\xbfrecord_id,pair,same\r\n"
    (tmp_path / "people/duplicates.csv").write_text("mine", encoding="utf-8")
    assert ensure_person_files(config, tmp_path, [SPEC, other]) == []
    assert (tmp_path / "people/duplicates.csv").read_text(encoding="utf-8") == "mine"


def test_a_file_that_is_not_text_is_an_error_naming_the_line(tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252 and invalid UTF-8: not a text file litsieve can read.
    path = write(tmp_path / "a.csv", "record_id,decision\r\nr1,include\r\n")
    path.write_bytes(path.read_bytes() + b"r2,\x81\x81\r\n")
    with pytest.raises(ScreeningFileError) as info:
        read_person_file(path, SPEC)
    assert info.value.location.line == 3
    assert "CSV UTF-8" in str(info.value)


def test_utf16_without_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("record_id\tdecision\r\nr1\tinclude\r\n".encode("utf-16-le"))
    table = read_person_file(path, SPEC)
    assert table.delimiter == "\t" and table.rows[0].get("decision") == "include"


def test_a_deleted_row_comes_back_with_its_decision_and_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 16.10: deleting a row silently un-included a study (warned only in a log)."""
    update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3"))
    path = SPEC.path(tmp_path)
    path.write_text("record_id,title,decision,note\r\nr1,T,include,\r\nr2,T,exclude,my note\r\nr3,T,,\r\n",
                    encoding="utf-8")
    update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3"))
    path.write_text("record_id,title,decision\r\nr1,T,include\r\n", encoding="utf-8")  # r2, r3 deleted
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        merge = update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3"))
    rows = read_person_file(path, SPEC).by_key()
    assert rows["r2"].get("decision") == "exclude" and rows["r2"].get("note") == "my note"
    assert set(rows) == {"r1", "r2", "r3"} and merge.appended == ["r3"]
    assert "1 row(s) with typed cells were missing (deleted in the spreadsheet?) and are put back" in caplog.text
    assert "empty its cell instead of deleting the row" in caplog.text
    # A decision the screener clears is cleared: only deleted rows come back.
    path.write_text(path.read_text(encoding="utf-8-sig").replace("exclude", ""), encoding="utf-8")
    update_person_file(tmp_path, SPEC, generated("r1", "r2", "r3"))
    assert read_person_file(path, SPEC).by_key()["r2"].get("decision") == ""


def test_a_deleted_queue_file_comes_back_with_its_decisions_said_on_the_terminal(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 16.8: deleting a queue file reset its decisions (they survived only in .history)."""
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    path = SPEC.path(tmp_path)
    path.write_text("record_id,title,decision\r\nr1,T,include\r\nr2,T,maybe\r\n", encoding="utf-8")
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    path.unlink()
    ensure_person_files(protocol(minimal_mapping()), tmp_path, specs=[SPEC])  # the Snakefile recreates it
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    assert {k: r.get("decision") for k, r in read_person_file(path, SPEC).by_key().items()} == {
        "r1": "include", "r2": "maybe"}
    assert "was deleted or emptied since the last run: its 2 row(s) with typed cells are put back" in caplog.text


def test_a_renamed_decision_column_stops_the_run_naming_both_columns(tmp_path: Path) -> None:
    """Issue 16.10: `decision` renamed `Entscheidung` silently reset the screener."""
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    path = SPEC.path(tmp_path)
    path.write_text("record_id,title,decision\r\nr1,T,include\r\nr2,T,exclude\r\n", encoding="utf-8")
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    before = path.read_bytes()
    path.write_text("record_id,title,Entscheidung\r\nr1,T,include\r\nr2,T,exclude\r\n", encoding="utf-8")
    with pytest.raises(ScreeningFileError) as caught:
        update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    assert caught.value.location.row == 1 and caught.value.location.field == "decision"
    assert "rename 'Entscheidung' back to 'decision'" in str(caught.value)
    assert path.read_text(encoding="utf-8").startswith("record_id,title,Entscheidung")  # nothing changed
    # A deleted column (no new one in its place) comes back with its cells.
    path.write_bytes(before.replace(b",decision", b"").replace(b",include", b"").replace(b",exclude", b""))
    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    assert read_person_file(path, SPEC).by_key()["r2"].get("decision") == "exclude"


def test_stray_empty_columns_are_dropped_but_unnamed_typed_ones_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "record_id,decision,,\r\nr1,include,,\r\nr2,exclude,,typed without a header\r\n")
    table = read_person_file(path, SPEC)
    assert table.columns == ["record_id", "decision", "column D"]
    assert table.by_key()["r2"].get("column D") == "typed without a header"


def test_choices_ignore_case_spacing_and_underscores() -> None:
    spec = PersonFileSpec(relative="full_text/ana.csv", columns=("record_id", "retrieval", "reason"),
                          person_columns=("retrieval", "reason"),
                          choices={"retrieval": ("retrieved", "not retrieved"), "reason": ("not_mental_health",)})
    # "not_retrieved" is how results/screening/full_text.csv spells it; screeners copy that.
    assert [spec.choice("retrieval", v) for v in ("Not_Retrieved", " not  retrieved", "not-retrieved")] == [
        "not retrieved", "not retrieved", ""]
    assert spec.choice("reason", "Not mental health") == "not_mental_health"


def test_formula_like_record_ids_survive_an_edit_and_a_rerun(tmp_path: Path) -> None:
    """Issue 16.5: the id was read with its guard on, so after any edit the next run refused the file."""
    ids = ['=HYPERLINK("http://evil.example","click")', "@SUM(A1)", "-1+1"]
    update_person_file(tmp_path, SPEC, generated(*ids))
    path = SPEC.path(tmp_path)
    text = path.read_bytes().decode("utf-8-sig")
    assert "\"'=HYPERLINK" in text and "\r\n'@SUM(A1)," in text and "\r\n'-1+1," in text
    # The screener decides every row and saves (the guards stay as the spreadsheet shows them).
    lines = text.split("\r\n")
    path.write_text("\r\n".join([lines[0]] + [line.replace(",,,", ",include,,") for line in lines[1:]]),
                    encoding="utf-8")
    table = read_person_file(path, SPEC)
    assert [row.key for row in table.rows] == ids
    merge = update_person_file(tmp_path, SPEC, generated(*ids))
    assert {row.key: row.get("decision") for row in merge.rows} == dict.fromkeys(ids, "include")
    assert not orphans_path(tmp_path, SPEC.relative).exists()


def test_a_file_saved_while_it_is_merged_is_not_overwritten(tmp_path: Path) -> None:
    """A spreadsheet saving during a run (or a screening page's stale copy) must not lose that save."""
    from litsieve.personfile import read_person_state

    update_person_file(tmp_path, SPEC, generated("r1", "r2"))
    path = SPEC.path(tmp_path)
    state = read_person_state(tmp_path, SPEC)
    path.write_text("record_id,title,decision\r\nr1,T,include\r\nr2,T,exclude\r\n", encoding="utf-8")
    saved = path.read_bytes()
    with pytest.raises(ScreeningFileError, match="was saved while litsieve was merging it"):
        update_person_file(tmp_path, SPEC, generated("r1", "r2"), state=state)
    assert path.read_bytes() == saved
    merge = update_person_file(tmp_path, SPEC, generated("r1", "r2"))  # the next run merges it
    assert {r.key: r.get("decision") for r in merge.rows} == {"r1": "include", "r2": "exclude"}
