"""Clustering, merging, outputs, determinism and the duplicate review file."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from litsieve.cli import main
from litsieve.dedup import deduplicate
from litsieve.dedup.review import SPEC, pair_id, read_decisions
from litsieve.protocol import DedupSettings
from litsieve.dedup.workflow import run_dedup
from litsieve.errors import DedupError, ScreeningFileError
from litsieve.personfile import HELP_KEY, read_person_file
from litsieve.record import Record
from litsieve.records_io import read_records, write_records

from test_dedup_rules import ABSTRACT, TITLE, article


def review_set() -> list[Record]:
    """Three sources; one work found three times, one twice, an uncertain pair, and singles."""
    return [
        article("pubmed:1", pmid="1", source="pubmed", authors=["Smith JA", "Okafor C", "Larsen M"]),
        article("psycinfo:a", source="psycinfo", abstract="", doi=""),
        article("embase:x", source="embase", doi="https://doi.org/10.1192/BJP.BP.114.150000", pages="221-8"),
        Record(record_id="pubmed:2", source="pubmed", title="Open dialogue in first-episode psychosis: a cohort study",
               authors=["Seikkula, Jaakko"], year=2011, journal="Psychosis", volume="3", issue="3",
               pages="192-204", doi="10.1080/17522439.2011.595819"),
        Record(record_id="psycinfo:b", source="psycinfo", title="Open dialogue in first episode psychosis - a cohort study",
               authors=["Seikkula, J"], year=2011, journal="Psychosis", volume="3", issue="3", pages="192-204"),
        # Same title, nothing else to go on: a person decides.
        Record(record_id="psycinfo:c", source="psycinfo", title="Peer mentoring for people leaving psychiatric hospital",
               authors=["Brown, Ann"], year=2013),
        Record(record_id="embase:y", source="embase", title="Peer mentoring for people leaving psychiatric hospital",
               year=2013, journal="Psychiatric Services"),
        Record(record_id="embase:z", source="embase", title="Mental wellbeing of peer support workers",
               authors=["Lee, K"], year=2016, journal="J Ment Health", volume="25", pages="1-7"),
    ]


def by_id(result) -> dict[str, dict[str, str]]:
    return {row["record_id"]: row for row in result.clusters}


def test_clusters_kept_record_and_counts():
    result = deduplicate(review_set())
    rows = by_id(result)
    assert rows["pubmed:1"]["cluster_id"] == rows["psycinfo:a"]["cluster_id"] == rows["embase:x"]["cluster_id"]
    assert rows["pubmed:2"]["cluster_id"] == rows["psycinfo:b"]["cluster_id"]
    assert rows["psycinfo:c"]["cluster_id"] != rows["embase:y"]["cluster_id"]
    # The kept record has an abstract, a DOI and full author names.
    assert rows["embase:x"]["kept"] == "true"
    assert rows["pubmed:1"]["kept"] == rows["psycinfo:a"]["kept"] == "false"
    assert rows["pubmed:1"]["rule"] and rows["embase:z"]["rule"] == "unique"
    counts = result.counts
    assert counts["records_in"] == 8 and counts["works_out"] == 5 and counts["duplicates_removed"] == 3
    per_source = counts["per_source"]
    assert sum(s["records"] for s in per_source.values()) == 8
    assert sum(s["duplicates_removed"] for s in per_source.values()) == 3
    assert per_source["pubmed"] == {"records": 2, "kept": 1, "duplicates_removed": 1}


def test_merged_record_fills_gaps_and_keeps_every_source_id():
    result = deduplicate(review_set())
    merged = {r.record_id: r for r in result.records}
    assert len(merged) == 5
    work = merged["embase:x"]
    assert work.pmid == "1"  # filled from the PubMed record
    assert work.extra["duplicate_ids"] == ["psycinfo:a", "pubmed:1"]
    assert work.extra["dedup_source_ids"] == {"embase": ["embase:x"], "psycinfo": ["psycinfo:a"], "pubmed": ["pubmed:1"]}
    assert work.extra["dedup_filled_from"]["pmid"] == "pubmed:1"
    # A merged record with no DOI of its own keeps none made up: psycinfo:b gets the DOI from pubmed:2.
    assert merged["pubmed:2"].doi == "10.1080/17522439.2011.595819"


def test_the_same_records_in_any_order_give_the_same_result():
    records = review_set()
    first = deduplicate(records)
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        again = deduplicate(shuffled)
        assert again.clusters == first.clusters
        assert [r.to_row() for r in again.records] == [r.to_row() for r in first.records]
        assert again.review_rows == first.review_rows


def test_uncertain_pairs_are_listed_not_merged():
    result = deduplicate(review_set())
    pairs = {row["pair_id"]: row for row in result.review_rows}
    key = pair_id("psycinfo:c", "embase:y")
    assert key in pairs
    assert pairs[key]["title_a"] == pairs[key]["title_b"]
    assert result.counts["pairs_awaiting_review"] == len(pairs)


def test_duplicate_record_ids_are_refused():
    with pytest.raises(DedupError) as error:
        deduplicate([article("a"), article("a")])
    assert error.value.location.field == "record_id" and error.value.location.row == 2


def run(tmp_path: Path, records: list[Record]) -> tuple[Path, Path]:
    inputs = tmp_path / "all.csv"
    write_records(inputs, records)
    people = tmp_path / "screening"
    out = tmp_path / "results"
    run_dedup(inputs, people, out / "records.csv", out / "clusters.csv", out / "counts.json")
    return people, out


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file, without a person file's row 2 (what to type)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return [row for row in csv.DictReader(handle) if next(iter(row.values()), "") != HELP_KEY]


def read_review(path: Path) -> list[dict[str, str]]:
    """The review file as a spreadsheet left it (any delimiter)."""
    return [row.values for row in read_person_file(path, SPEC).rows]


def test_review_file_round_trip(tmp_path):
    people, out = run(tmp_path, review_set())
    review = people / "duplicates.csv"
    rows = read_rows(review)
    key = pair_id("psycinfo:c", "embase:y")
    assert key in {r["pair_id"] for r in rows}
    counts = json.loads((out / "counts.json").read_text())
    assert counts["works_out"] == 5

    # A person says "same" (with a note, in a spreadsheet that re-saved with semicolons).
    for row in rows:
        if row["pair_id"] == key:
            row["decision"] = " Same"
            row["note"] = "checked the full text; 1 typo"
    with open(review, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    run_dedup(tmp_path / "all.csv", people, out / "records.csv", out / "clusters.csv", out / "counts.json")
    counts = json.loads((out / "counts.json").read_text())
    assert counts["works_out"] == 4 and counts["duplicates_removed_by_person"] == 1
    clusters = {r["record_id"]: r for r in read_rows(out / "clusters.csv")}
    assert clusters["psycinfo:c"]["cluster_id"] == clusters["embase:y"]["cluster_id"]
    kept_row = next(r for r in read_review(review) if r["pair_id"] == key)
    assert kept_row["decision"] == " Same" and kept_row["note"] == "checked the full text; 1 typo"
    assert (people / ".history").is_dir()

    # A person may add a row for a pair the rules merged automatically: "different" splits it.
    merged_pair = pair_id("pubmed:2", "psycinfo:b")
    rows = read_review(review)
    rows.append({**{c: "" for c in rows[0]}, "pair_id": merged_pair, "decision": "different"})
    with open(review, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    run_dedup(tmp_path / "all.csv", people, out / "records.csv", out / "clusters.csv", out / "counts.json")
    clusters = {r["record_id"]: r for r in read_rows(out / "clusters.csv")}
    assert clusters["pubmed:2"]["cluster_id"] != clusters["psycinfo:b"]["cluster_id"]
    added = next(r for r in read_review(review) if r["pair_id"] == merged_pair)
    assert added["decision"] == "different" and added["title_a"]  # generated cells filled in


def test_person_different_splits_an_automatic_merge():
    records = review_set()
    result = deduplicate(records, {("psycinfo:b", "pubmed:2"): "different"})
    rows = by_id(result)
    assert rows["pubmed:2"]["cluster_id"] != rows["psycinfo:b"]["cluster_id"]


def test_invalid_decision_names_row_and_column(tmp_path):
    people, _ = run(tmp_path, review_set())
    review = people / "duplicates.csv"
    rows = read_rows(review)
    rows[0]["decision"] = "probably"
    with open(review, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ScreeningFileError) as error:
        run(tmp_path, review_set())
    assert error.value.location.row == 2 and error.value.location.field == "decision"


def test_review_file_row_two_says_what_to_type(tmp_path):
    people, _ = run(tmp_path, review_set())
    with open(people / "duplicates.csv", newline="", encoding="utf-8-sig") as handle:
        header, second = list(csv.reader(handle))[:2]
    assert second[0] == HELP_KEY
    decision = second[header.index("decision")]
    assert "same study" in decision and "different" in decision
    assert read_decisions(people) == {}  # the row is no pair


def test_outputs_are_byte_identical_on_rerun(tmp_path):
    _, out = run(tmp_path, review_set())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _, out = run(tmp_path, list(reversed(review_set())))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert len(read_records(out / "records.csv")) == 5


def test_cli_writes_one_row_per_input_record(tmp_path, capsys):
    source = tmp_path / "export.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "TI", "AU", "PY", "journal", "volume", "number", "pages", "DO", "AB"])
        writer.writerow(["r1", TITLE, "Smith, Jane A; Okafor, Chidi", "2015", "Br J Psychiatry", "207", "3", "221-8",
                         "10.1192/bjp.bp.114.150000", ABSTRACT])
        writer.writerow(["r2", TITLE.upper(), "Smith JA; Okafor C", "2015", "British Journal of Psychiatry", "207",
                         "3", "221-228", "", ""])
        writer.writerow(["r3", "Open dialogue for psychosis", "Seikkula, J", "2011", "Psychosis", "3", "3",
                         "192-204", "", ""])
    clusters = tmp_path / "clusters.csv"
    assert main(["dedup", str(source), "--clusters", str(clusters)]) == 0
    rows = read_rows(clusters)
    assert list(rows[0])[:2] == ["record_id", "cluster_id"]
    assignment = {r["record_id"]: r["cluster_id"] for r in rows}
    assert set(assignment) == {"r1", "r2", "r3"}
    assert assignment["r1"] == assignment["r2"] != assignment["r3"]
    assert "3 records, 2 works" in capsys.readouterr().err


def test_cli_reports_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "nothing.txt"
    bad.write_text("not an export\n", encoding="utf-8")
    assert main(["dedup", str(bad), "--clusters", str(tmp_path / "c.csv")]) != 0
    assert "nothing.txt" in capsys.readouterr().err


def test_review_file_spec_is_a_person_file():
    assert SPEC.relative == "duplicates.csv"
    assert SPEC.person_columns == ("decision", "note")


def test_review_can_be_switched_off(tmp_path):
    inputs = tmp_path / "all.csv"
    write_records(inputs, review_set())
    people = tmp_path / "screening"
    out = tmp_path / "results"
    run_dedup(inputs, people, out / "records.csv", out / "clusters.csv", out / "counts.json",
              DedupSettings(review=False))
    assert not (people / "duplicates.csv").exists()
    assert json.loads((out / "counts.json").read_text())["works_out"] == 5
