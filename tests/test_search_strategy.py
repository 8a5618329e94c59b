"""Exports checked against the query, and the PRISMA-S documentation built from files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from protocols import demo_mapping, protocol
from litsieve.errors import QueryError
from litsieve.fileio import file_sha256
from litsieve.record import Record
from litsieve.records_io import write_records
from litsieve.search.check import check_export
from litsieve.search.strategy import write_lint_and_translations, write_search_strategy

REPO = Path(__file__).resolve().parents[1]


def _mapping(tmp_path: Path) -> dict:
    config = demo_mapping()
    export = tmp_path / "psycinfo.ris"
    export.write_text("TY  - JOUR\nER  - \n", encoding="utf-8")
    config["sources"] = [{"name": "psycinfo", "database": "APA PsycInfo", "platform": "ebsco",
                          "method": "export", "files": [str(export)], "searched_on": "2017-11-20"}]
    return config


def _config(tmp_path: Path):
    return protocol(_mapping(tmp_path))


def _records(path: Path, export: str) -> None:
    write_records(path, [
        Record(record_id="psycinfo:1", source="psycinfo", source_file=export, year=2012, language="English",
               title="Peer support workers in community mental health teams"),
        Record(record_id="psycinfo:2", source="psycinfo", source_file=export, year=1985, language="English",
               title="Peer mentoring and mental well-being among inpatients"),
        Record(record_id="psycinfo:3", source="psycinfo", source_file=export, year=2010, language="English",
               title="Mental wellbeing of nursing staff", abstract="A survey of stress at work."),
        Record(record_id="psycinfo:4", source="psycinfo", source_file=export, year=2014, language="English",
               title="Open dialogue for first-episode psychosis"),
    ])


def test_an_export_is_checked_against_the_intended_query_and_documented(tmp_path: Path) -> None:
    config = _config(tmp_path)
    export = config.sources[0].files[0]
    records = tmp_path / "records.csv"
    _records(records, export)
    match = tmp_path / "match.csv"
    totals = check_export(records, config.search, match)
    rows = {r["record_id"]: r for r in csv.DictReader(match.open(encoding="utf-8"))}
    assert rows["psycinfo:1"]["matched"] == "true"
    assert rows["psycinfo:2"]["matched"] == "false" and rows["psycinfo:2"]["failed_on"] == "year"
    # Found by every database's reading of the unparenthesised string (`... OR Mental well*`),
    # but not by the reading the protocol intends.
    assert rows["psycinfo:3"]["matched"] == "false" and rows["psycinfo:3"]["failed_on"] == "query"
    assert rows["psycinfo:4"]["matched"] == "false" and rows["psycinfo:4"]["failed_on"] == "query"
    assert totals["not matched"] == 3

    md, js = tmp_path / "strategy.md", tmp_path / "strategy.json"
    write_search_strategy(config.review, config.search, config.sources, {"psycinfo": str(records)}, {"psycinfo": str(match)}, {}, md, js)
    doc = json.loads(js.read_text(encoding="utf-8"))
    source = doc["sources"][0]
    assert source["date_searched"] == "2017-11-20" and source["records"] == 4
    assert source["files"] == [{"path": export, "sha256": file_sha256(export), "records": 4}]
    assert source["query_check"]["not_matching"] == 3
    assert source["query_check"]["failed_on_year"] == 1 and source["query_check"]["failed_on_query"] == 2
    assert source["string"].startswith('(((TI "peer support" OR AB "peer support")')
    assert "Published Date: January 1990 to December 2017" in source["limits"]
    assert any(f["code"] == "precedence" for f in doc["query"]["lint_written"])
    assert doc["query"]["lint_intended"] == []
    text = md.read_text(encoding="utf-8")
    assert "| psycinfo | APA PsycInfo | EBSCOhost | export | 2017-11-20 | 4 | 4 | 3 |" in text
    assert file_sha256(export) in text and "(query: 2, year: 1)" in text
    first = md.read_bytes(), js.read_bytes()
    write_search_strategy(config.review, config.search, config.sources, {"psycinfo": str(records)}, {"psycinfo": str(match)}, {}, md, js)
    assert (md.read_bytes(), js.read_bytes()) == first


def test_lint_and_translations_are_written_and_an_ambiguous_protocol_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path)
    write_lint_and_translations(config.search, tmp_path / "lint.txt", tmp_path / "translations")
    lint = (tmp_path / "lint.txt").read_text(encoding="utf-8")
    assert "warning [precedence]" in lint and "No problems found." in lint
    assert "1990:2017[dp]" in (tmp_path / "translations" / "pubmed.txt").read_text(encoding="utf-8")
    assert {p.name for p in (tmp_path / "translations").iterdir()} == {
        "pubmed.txt", "europepmc.txt", "ebsco.txt", "ovid.txt"}
    with pytest.raises(QueryError, match="intended_query"):
        write_lint_and_translations(config.search._replace(intended_query=""), tmp_path / "lint2.txt",
                                    tmp_path / "t2")
    assert not (tmp_path / "lint2.txt").exists()


def test_end_of_run_summary_names_the_documentation_and_unmatched_counts(tmp_path) -> None:
    from litsieve.search.strategy import summary_lines

    assert summary_lines(tmp_path) == []  # nothing before the search rules have run
    folder = tmp_path / "search"
    folder.mkdir()
    (folder / "search_strategy.json").write_text(json.dumps({"sources": [
        {"name": "psycinfo", "query_check": {"not_matching": 23, "records": 98}},
        {"name": "europepmc"},  # a live source: nothing to check
    ]}))
    (line,) = summary_lines(tmp_path)
    assert "search_strategy.md" in line
    assert line.endswith("does not match: psycinfo 23 of 98")


def test_a_citation_search_is_documented_as_another_method_without_a_query_check(tmp_path: Path) -> None:
    from litsieve.search.strategy import summary_lines

    mapping = _mapping(tmp_path)
    psycinfo_export = mapping["sources"][0]["files"][0]
    refs = tmp_path / "reference_lists.ris"
    refs.write_text("TY  - JOUR\nER  - \n", encoding="utf-8")
    mapping["sources"].append({"name": "citations", "database": "Reference lists of included studies",
                               "kind": "citation_search", "method": "export", "files": [str(refs)],
                               "searched_on": "2018-02-01"})
    config = protocol(mapping)
    psycinfo, citations = tmp_path / "psycinfo.csv", tmp_path / "citations.csv"
    _records(psycinfo, psycinfo_export)
    # Found in a bibliography: out of the protocol's years, and not matched by the string.
    write_records(citations, [Record(record_id="citations:1", source="citations", source_file=str(refs),
                                     year=1985, title="Mutual aid among former patients")])
    match, citations_match = tmp_path / "match.csv", tmp_path / "citations_match.csv"
    check_export(psycinfo, config.search, match)
    check_export(citations, config.search, citations_match)  # the workflow checks every export
    md, js = tmp_path / "strategy.md", tmp_path / "strategy.json"
    write_search_strategy(config.review, config.search, config.sources, {"psycinfo": str(psycinfo), "citations": str(citations)},
                          {"psycinfo": str(match), "citations": str(citations_match)}, {}, md, js)
    doc = json.loads(js.read_text(encoding="utf-8"))
    psycinfo_entry, other = doc["sources"]
    assert psycinfo_entry["kind"] == "database" and psycinfo_entry["query_check"]["not_matching"] == 3
    assert other == {
        "name": "citations", "kind": "citation_search", "method": "Citation searching",
        "searched": "Reference lists of included studies",
        "database": "Reference lists of included studies", "date_searched": "2018-02-01", "records": 1,
        "files": [{"path": str(refs), "sha256": file_sha256(refs), "records": 1}],
    }
    assert doc["total_records"] == 5
    text = md.read_text(encoding="utf-8")
    sources_table = text.split("## Sources")[1].split("## Other methods")[0]
    assert "citations" not in sources_table
    assert ("| citations | Citation searching | Reference lists of included studies | 2018-02-01 | 1 |"
            in text)
    section = text.split("## citations")[1].split("\n## ")[0]
    assert "String as run" not in section and "Checked against the query" not in section
    assert "Method: Citation searching (other methods; no search string)" in section
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_strategy.json").write_text(js.read_text(encoding="utf-8"))
    (line,) = summary_lines(tmp_path)
    assert line.endswith("does not match: psycinfo 3 of 4")


def _one_record_documented(tmp_path: Path, title: str) -> tuple[Path, Path, dict]:
    """The search documentation of an export holding one record with this title."""
    config = _config(tmp_path)
    export = config.sources[0].files[0]
    records = tmp_path / "records.csv"
    write_records(records, [Record(record_id="psycinfo:1", source="psycinfo", source_file=export, year=2012,
                                   language="English", title=title)])
    match = tmp_path / "match.csv"
    check_export(records, config.search, match)
    folder = tmp_path / "results" / "search"
    md, js = folder / "search_strategy.md", folder / "search_strategy.json"
    write_search_strategy(config.review, config.search, config.sources, {"psycinfo": str(records)},
                          {"psycinfo": str(match)}, {}, md, js)
    return md, js, json.loads(js.read_text(encoding="utf-8"))["sources"][0]


def test_a_perfect_export_is_documented_with_zero_unmatched_and_the_run_ends_cleanly(tmp_path: Path) -> None:
    """Issue 16.1: every record of a source matches the query (a count that would be 0)."""
    from litsieve.search.strategy import summary_lines

    md, js, source = _one_record_documented(tmp_path, "Peer support workers in community mental health teams")
    assert source["query_check"]["not_matching"] == 0
    assert "| 1 | 1 | 0 |" in md.read_text(encoding="utf-8")
    (line,) = summary_lines(tmp_path / "results")
    assert line.endswith("does not match: psycinfo 0 of 1")


def test_a_source_whose_every_record_misses_the_query_is_warned_about(tmp_path: Path, caplog) -> None:
    """Issue 16.12: an export that is not the documented search (every record unmatched)."""
    with caplog.at_level("WARNING", logger="litsieve"):
        _, _, source = _one_record_documented(tmp_path, "Nurses' stress at work")
    warning = source["warning"]
    assert "none of the 1 records of this source is matched by the protocol's query" in warning
    assert "source 'psycinfo': none of the 1 records" in caplog.text
