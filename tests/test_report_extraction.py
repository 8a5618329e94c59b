"""The extraction table: pre-filled values against the demo's intended answers, reviewer edits
that survive every rerun, and a workbook that is the same bytes for the same table."""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path

import pytest

from conftest import REPO
from litsieve.importers import load
from litsieve.report.extraction import update_extraction, xlsx_bytes, table_columns
from litsieve.report.prefill import prefill
from litsieve.records_io import write_records
from litsieve.fileio import write_csv
from protocols import demo_protocol
from screening_helpers import read_rows, record, spreadsheet_edit, write_clusters

FIELDS = demo_protocol().extraction.fields
NAMES = [f.name for f in FIELDS]

DEMO = REPO / "resources" / "demo"
# Least share of the demo's included studies whose pre-filled value must equal the intended
# answer (measured: design 38/39, sample 39/39, age 39/39, setting 34/39, country 37/39,
# model 32/39, delivery 34/39, outcomes 34/39). Countries the abstract does not name cannot
# be pre-filled; the rest is what a reader of the abstract disagrees on.
THRESHOLDS = {"study_design": 0.9, "sample_size": 0.95, "age_group": 0.95, "setting": 0.8, "country": 0.9,
              "peer_support_model": 0.8, "delivery": 0.8, "outcomes": 0.8}


@pytest.fixture(scope="module")
def demo_records() -> dict:
    records = load(DEMO / "psycinfo_ebscohost.ris", source="psycinfo") + load(DEMO / "pubmed_medline.txt", source="pubmed")
    return {r.record_id: r for r in records}


@pytest.fixture(scope="module")
def intended() -> list[dict[str, str]]:
    with open(DEMO / "intended_extraction.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def tags(value: str) -> set[str]:
    """Tags without the intended file's explanations in parentheses ("mentoring (peer mentors)")."""
    return {re.sub(r"\s*\(.*?\)", "", t).strip().casefold() for t in value.split(";") if t.strip()}


def agrees(field: str, wanted: str, got: str) -> bool:
    if field in ("sample_size", "country", "age_group"):
        return wanted.strip().casefold() == got.strip().casefold()
    return tags(wanted) == tags(got)


def test_prefilled_values_match_the_demo_intended_answers(demo_records: dict, intended: list) -> None:
    agreement = {field: 0 for field in THRESHOLDS}
    for row in intended:
        values = prefill(demo_records[row["record_id"]], FIELDS)
        assert values["population"].value, row["record_id"]
        for field in THRESHOLDS:
            agreement[field] += agrees(field, row[field], values[field].value)
    shares = {field: n / len(intended) for field, n in agreement.items()}
    assert all(shares[f] >= THRESHOLDS[f] for f in THRESHOLDS), shares


def test_every_prefilled_value_names_the_phrase_it_came_from(demo_records: dict, intended: list) -> None:
    for row in intended:
        record = demo_records[row["record_id"]]
        text = " ".join(f"{record.title}. {record.abstract}".split())
        for field, value in prefill(record, FIELDS).items():
            assert len(value.tags) == len(value.phrases)
            for phrase in value.phrases:
                assert phrase in text, (row["record_id"], field, phrase)


def test_negation_and_comparison_words_are_read_as_such(demo_records: dict) -> None:
    blended = prefill(demo_records["pubmed:99900066"], FIELDS)  # "Unlike online-only programmes, blended ..."
    assert {"blended", "face-to-face", "group"} <= set(blended["delivery"].tags)
    telephone = prefill(demo_records["pubmed:99900050"], FIELDS)  # "It is not an online intervention"
    assert "online" not in telephone["delivery"].tags and "telephone" in telephone["delivery"].tags
    assert telephone["age_group"].value == "adults (mean 44.6)"
    older = prefill(demo_records["pubmed:99900042"], FIELDS)
    assert older["age_group"].value == "older adults (65+)" and older["country"].value == "Canada"


def sheet_rows(path: Path) -> list[dict[str, str]]:
    return read_rows(path)[1]


def test_reviewer_edits_survive_reruns_and_win_over_the_prefill(tmp_path: Path, demo_records: dict) -> None:
    ids = ["pubmed:99900007", "pubmed:99900050", "psycinfo:2013-55529-273"]
    pool = tmp_path / "results/screening/pool.csv"
    write_records(pool, [demo_records[i] for i in ids])
    full_text = tmp_path / "results/screening/full_text.csv"
    write_csv(full_text, [{"record_id": i, "decision": "include"} for i in ids[:2]] +
              [{"record_id": ids[2], "decision": "exclude"}], ["record_id", "decision"])
    out_csv, out_xlsx = tmp_path / "results/extraction.csv", tmp_path / "results/extraction.xlsx"

    def run(**kwargs) -> dict[str, dict[str, str]]:
        update_extraction(full_text, pool, out_csv, out_xlsx, fields=FIELDS, people="people", root=tmp_path, **kwargs)
        with open(out_csv, newline="", encoding="utf-8") as handle:
            return {row["record_id"]: row for row in csv.DictReader(handle)}

    table = run()
    assert sorted(table) == ids[:2]
    assert table["pubmed:99900007"]["country_source"] == "prefilled"
    assert table["pubmed:99900007"]["country"] == "Netherlands"

    # A reviewer corrects two cells and adds a note, saving from Excel with semicolons.
    sheet = tmp_path / "people/extraction.csv"
    rows = sheet_rows(sheet)
    for row in rows:
        if row["record_id"] == "pubmed:99900007":
            row["country"], row["sample_size"], row["notes"] = "Netherlands (north)", "none", "checked; full text p. 3"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(reversed(rows))
    sheet.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))

    for _ in range(2):  # and again: nothing changes on a rerun
        table = run()
        edited = table["pubmed:99900007"]
        assert (edited["country"], edited["country_source"], edited["country_evidence"]) == (
            "Netherlands (north)", "reviewer", "")
        assert (edited["sample_size"], edited["sample_size_source"]) == ("", "reviewer")
        assert edited["notes"] == "checked; full text p. 3"
        assert edited["setting_source"] == "prefilled"

    # The results are deleted: the edits are still in the sheet.
    out_csv.unlink()
    out_xlsx.unlink()
    assert run()["pubmed:99900007"]["country"] == "Netherlands (north)"

    # The study stops being included: its row (with the edits) waits in the orphans file ...
    table = run(ids=[ids[1]])
    assert list(table) == [ids[1]]
    orphans = sheet_rows(tmp_path / "people/orphans/extraction.csv")
    assert orphans[0]["country"] == "Netherlands (north)"
    # ... and comes back with them when it is included again.
    assert run()["pubmed:99900007"]["country"] == "Netherlands (north)"


def test_workbook_is_byte_identical_and_text_stays_text(demo_records: dict) -> None:
    from litsieve.report.extraction import extraction_rows

    rows = extraction_rows([demo_records["pubmed:99900007"]], FIELDS, {"pubmed:99900007": {"notes": "=1+1"}})
    first = xlsx_bytes(rows, table_columns(FIELDS))
    assert first == xlsx_bytes(rows, table_columns(FIELDS))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(first)).active
    header = [c.value for c in sheet[1]]
    assert header == table_columns(FIELDS)
    assert sheet.cell(row=2, column=header.index("notes") + 1).value == "=1+1"
    assert sheet.cell(row=2, column=header.index("notes") + 1).data_type == "s"
    assert all(f"{field}_source" in header for field in NAMES)


def test_a_control_character_in_a_title_does_not_stop_the_workbook(demo_records: dict) -> None:
    """Issue 16.2: a \\x01 in an included study's title stopped the extraction rule (openpyxl refuses it)."""
    from dataclasses import replace

    from openpyxl import load_workbook

    from litsieve.report.extraction import extraction_rows

    record = replace(demo_records["pubmed:99900007"], title="Peer\x01 support\x0b groups")
    data = xlsx_bytes(extraction_rows([record], FIELDS, {}), table_columns(FIELDS))
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("title") + 1).value == "Peer support groups"


REALISTIC = {
    # Wording of real abstracts, not of the demo: N = with thousands, "mean age was", bed days.
    "trial": ("Peer-delivered self-management for serious mental illness: a cluster randomised trial. Participants "
              "(N = 1,245) were recruited from 12 community mental health teams in Birmingham, England; mean age "
              "was 41.3 years (SD 11.2). Peer facilitators ran weekly face-to-face groups. The primary outcome was "
              "personal recovery (QPR); secondary outcomes included hope, wellbeing and bed days."),
    "interviews": ("Background: We conducted 32 semi-structured interviews with women aged between 19 and 45 who "
                   "attended a perinatal peer support service in Ontario. Data were analysed thematically."),
    "cohort": ("Methods: A retrospective cohort of 2,310 veterans (n=2310) enrolled in a telephone-based peer "
               "support program at VA medical centers. Outcomes were psychiatric readmissions and suicide attempts."),
}


@pytest.mark.parametrize("name, expected", [
    ("trial", {"study_design": "quantitative; RCT", "sample_size": "1245", "age_group": "adults (mean 41.3)",
               "setting": "community", "country": "UK", "delivery": "group; face-to-face",
               "outcomes": "wellbeing; recovery; hope; hospital use"}),
    ("interviews", {"study_design": "qualitative; interviews", "sample_size": "32", "population": "women",
                    "age_group": "adults (19-45)", "country": "Canada"}),
    ("cohort", {"study_design": "quantitative; cohort", "sample_size": "2310", "population": "veterans",
                "country": "USA", "delivery": "telephone", "outcomes": "hospital use"}),
])
def test_prefill_reads_realistic_abstracts(name: str, expected: dict[str, str]) -> None:
    from litsieve.record import Record

    values = prefill(Record(record_id=name, title="", abstract=REALISTIC[name]), FIELDS)
    assert {field: values[field].value for field in expected} == expected


def test_one_row_per_included_study_and_edits_move_with_their_report(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 10: the table lists each study's reports; an edit typed on a report that is now
    part of a study moves to the study's row, or waits in the orphans file: never lost."""
    ids = [f"pubmed:{i}" for i in (1, 2, 4, 5, 6)]
    pool = tmp_path / "results/screening/pool.csv"
    write_records(pool, [record(int(i.split(":")[1])) for i in ids])
    full_text = tmp_path / "results/screening/full_text.csv"
    write_csv(full_text, [{"record_id": i, "decision": "include"} for i in ids], ["record_id", "decision"])
    out_csv, out_xlsx = tmp_path / "results/extraction.csv", tmp_path / "results/extraction.xlsx"
    clusters = tmp_path / "results/dedup/clusters.csv"
    sheet = tmp_path / "people/extraction.csv"

    def run() -> dict[str, dict[str, str]]:
        update_extraction(full_text, pool, out_csv, out_xlsx, fields=FIELDS, people="people", root=tmp_path,
                          clusters=clusters)
        with open(out_csv, newline="", encoding="utf-8") as handle:
            return {row["study_id"]: row for row in csv.DictReader(handle)}

    assert sorted(run()) == ids  # no links yet: one study per record
    # Typed on the conference abstract, on the full paper, and on a report that turns out
    # to be a second report of the same study.
    spreadsheet_edit(sheet, {"pubmed:4": {"country": "Spain"}, "pubmed:5": {"notes": "the full paper"},
                             "pubmed:6": {"notes": "my own note"}})

    write_clusters(tmp_path, {"pubmed:2": ("pubmed:1", "erratum of", "pubmed:1"),
                              "pubmed:4": ("pubmed:5", "conference abstract of", "pubmed:5"),
                              "pubmed:6": ("pubmed:5", "same study as", "pubmed:5")},
                   [f"pubmed:{i}" for i in range(1, 7)], {"pubmed:1": "retracted"})
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        table = run()
    assert sorted(table) == ["pubmed:1", "pubmed:5"]
    assert table["pubmed:1"]["reports"] == "pubmed:1 (main report); pubmed:2 (erratum of pubmed:1)"
    assert table["pubmed:1"]["study_flags"] == "RETRACTED"
    assert table["pubmed:5"]["reports"] == ("pubmed:4 (conference abstract of pubmed:5); pubmed:5 (main report); "
                                           "pubmed:6 (same study as pubmed:5)")
    assert table["pubmed:5"]["record_id"] == "pubmed:5" and table["pubmed:5"]["study_flags"] == ""
    # The study's own row keeps its edits; those typed on its other reports wait in the orphans file.
    assert (table["pubmed:5"]["notes"], table["pubmed:5"]["country"]) == ("the full paper", "")
    kept = {row["record_id"]: row for row in sheet_rows(tmp_path / "people/orphans/extraction.csv")}
    assert kept["pubmed:4"]["country"] == "Spain" and kept["pubmed:6"]["notes"] == "my own note"
    assert any("RETRACTED: 1 included study is retracted (pubmed:1)" in r.getMessage() for r in caplog.records)
    assert run() == table  # a rerun changes nothing


def test_an_edit_on_a_report_moves_to_its_study_row(tmp_path: Path) -> None:
    pool = tmp_path / "results/screening/pool.csv"
    write_records(pool, [record(4), record(5)])
    full_text = tmp_path / "results/screening/full_text.csv"
    write_csv(full_text, [{"record_id": "pubmed:4", "decision": "include"},
                          {"record_id": "pubmed:5", "decision": "exclude"}], ["record_id", "decision"])
    out_csv, clusters = tmp_path / "results/extraction.csv", tmp_path / "results/dedup/clusters.csv"

    def run() -> dict[str, dict[str, str]]:
        update_extraction(full_text, pool, out_csv, None, fields=FIELDS, people="people", root=tmp_path,
                          clusters=clusters)
        with open(out_csv, newline="", encoding="utf-8") as handle:
            return {row["study_id"]: row for row in csv.DictReader(handle)}

    run()
    spreadsheet_edit(tmp_path / "people/extraction.csv", {"pubmed:4": {"country": "Spain"}})
    # Only the abstract is included; its study's main report (excluded) is the study's key.
    write_clusters(tmp_path, {"pubmed:4": ("pubmed:5", "conference abstract of", "pubmed:5")},
                   ["pubmed:4", "pubmed:5"])
    table = run()
    assert list(table) == ["pubmed:5"]
    row = table["pubmed:5"]
    assert (row["record_id"], row["reports"]) == ("pubmed:4", "pubmed:4 (conference abstract of pubmed:5)")
    assert (row["country"], row["country_source"]) == ("Spain", "reviewer")
    assert not (tmp_path / "people/orphans/extraction.csv").exists()
