"""The full-text queue says which sources found each work, and adding that column to a
queue file people already filled in loses nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from litsieve.records_io import write_records
from litsieve.screening.stages import screen_full_text, screen_title_abstract

from screening_helpers import person_cells, protocol, read_rows, record, spreadsheet_edit, write_pool

FT = "screening/full_text/ana.csv"
FT_PERSON = ("retrieval", "decision", "reason", "note")


def _review(root: Path) -> dict:
    merged = record(1, extra={"dedup_cluster_id": "c1", "duplicate_ids": ["psycinfo:9"],
                              "dedup_source_ids": {"psycinfo": ["psycinfo:9"], "pubmed": ["pubmed:1"]}})
    write_pool(root, [merged, record(2), record(3)])
    write_records(root / "results/screening/other_methods.csv",
                  [record(7, record_id="citations:7", source="citations")])
    config = protocol(["ana"], ["ana"])
    _run(root, config)
    spreadsheet_edit(root / "screening/title_abstract/ana.csv",
                     {f"pubmed:{i}": {"decision": "include"} for i in (1, 2, 3)})
    _run(root, config)
    return config


def _run(root: Path, config) -> None:
    from litsieve.people import ensure_person_files

    ensure_person_files(config, root)
    results = root / "results/screening"
    people = config.paths.people
    screen_title_abstract(results / "pool.csv", results / "suggestions.csv", results / "title_abstract.csv",
                          screeners=config.screeners.title_abstract, maybe=config.screeners.maybe,
                          criteria=config.criteria, ranked=config.ranking.enabled, people=people, root=root)
    screen_full_text(results / "title_abstract.csv", results / "pool.csv", results / "full_text.csv",
                     screeners=config.screeners.full_text, criteria=config.criteria, people=people, root=root,
                     other_methods=results / "other_methods.csv")


def test_full_text_queue_names_every_source_that_found_the_work(tmp_path: Path) -> None:
    _review(tmp_path)
    header, rows, _ = read_rows(tmp_path / FT)
    assert header.index("retrieval") < header.index("sources") == header.index("link") + 1
    assert {r["record_id"]: r["sources"] for r in rows} == {
        "pubmed:1": "psycinfo; pubmed", "pubmed:2": "pubmed", "pubmed:3": "pubmed",
        "citations:7": "citations"}


def test_an_existing_queue_without_the_column_gains_it_and_keeps_every_typed_cell(tmp_path: Path) -> None:
    config = _review(tmp_path)
    path = tmp_path / FT
    spreadsheet_edit(path, {
        "pubmed:1": {"retrieval": "retrieved", "decision": "include", "note": "via library"},
        "pubmed:2": {"retrieval": "not retrieved", "note": "asked the authors"},
        "citations:7": {"retrieval": "retrieved", "decision": "exclude", "reason": "Children and young people",
                        "my notes": "check the appendix"},
    }, delimiter=";")
    # The file as an earlier litsieve wrote it: no sources column, saved by a spreadsheet.
    header, rows, _ = read_rows(path)
    old_header = [c for c in header if c != "sources"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(old_header)
    writer.writerows([[row[c] for c in old_header] for row in rows])
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    typed = person_cells(path, (*FT_PERSON, "my notes"))
    assert len(typed) == 3

    _run(tmp_path, config)
    header, rows, delimiter = read_rows(path)
    assert delimiter == ";"  # the screener's spreadsheet settings are kept
    assert header[-1] == "my notes" and "sources" in header
    assert person_cells(path, (*FT_PERSON, "my notes")) == typed
    assert {r["record_id"]: r["sources"] for r in rows}["pubmed:1"] == "psycinfo; pubmed"
    assert any((tmp_path / "screening/.history").rglob("*"))  # the previous version is kept
    with open(tmp_path / "results/screening/full_text.csv", newline="", encoding="utf-8") as handle:
        final = {r["record_id"]: r["decision"] for r in csv.DictReader(handle)}
    assert final == {"pubmed:1": "include", "pubmed:2": "not_retrieved", "pubmed:3": "awaiting",
                     "citations:7": "exclude"}
    before = path.read_bytes()
    _run(tmp_path, config)
    assert path.read_bytes() == before  # a rerun changes nothing


def test_ids_deduplication_folded_in_are_aliases_of_the_kept_record() -> None:
    from litsieve.screening.queue import aliases

    merged = record(1, extra={"dedup_source_ids": {"psycinfo": ["psycinfo:9"], "pubmed": ["pubmed:1"]}})
    # A decision typed against psycinfo:9 (kept before a rerun changed the kept record) follows the work.
    assert aliases([merged, record(2)]) == {"psycinfo:9": "pubmed:1"}
