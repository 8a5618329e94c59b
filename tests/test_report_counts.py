"""PRISMA numbers from the stage files, and the conservation rules that stop a wrong diagram."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litsieve.errors import ConservationError
from litsieve.report.conservation import check_conservation
from litsieve.report.counts import FlowFiles, compute_counts, read_flow_inputs
from litsieve.report.prisma import PrismaOutputs, checked_counts, write_prisma
from protocols import minimal_mapping, protocol, source_entry
from report_helpers import POOL, stage_row, write_results

CONFIG = protocol(minimal_mapping(review={"title": "Test review"},
                                  sources=[{"name": "pubmed", "database": "pubmed"},
                                           {"name": "psycinfo", "database": "psycinfo"}]))

COMPLETE_TA = [
    stage_row("pubmed:1", "include"), stage_row("pubmed:2", "include"), stage_row("pubmed:4", "include"),
    stage_row("pubmed:5", "exclude", "Children and young people"), stage_row("pubmed:6", "exclude", "other"),
    stage_row("psycinfo:4", "include"),
]
COMPLETE_FT = [
    stage_row("pubmed:1", "include"),
    stage_row("pubmed:2", "exclude", "Peer support not about mental health"),
    stage_row("pubmed:4", "not_retrieved", a="not retrieved", b="not retrieved"),
    stage_row("psycinfo:4", "exclude", "Children and young people"),
]


def counts_of(results: Path):
    inputs = read_flow_inputs(FlowFiles.under(results))
    return inputs, compute_counts(inputs, CONFIG.sources)


def test_complete_review_counts_every_box(tmp_path: Path) -> None:
    inputs, counts = counts_of(write_results(tmp_path, COMPLETE_TA, COMPLETE_FT))
    check_conservation(inputs, counts)
    assert [(s.label, s.records) for s in counts.sources] == [("PubMed", 6), ("APA PsycInfo", 4)]
    assert (counts.identified, counts.duplicates, counts.automation, counts.other_reasons) == (10, 2, 1, 1)
    assert (counts.screened, counts.records_excluded, counts.sought) == (6, 2, 4)
    assert (counts.not_retrieved, counts.assessed, counts.reports_excluded) == (1, 3, 2)
    assert counts.exclusion_reasons == {"Children and young people": 1, "Peer support not about mental health": 1}
    assert (counts.studies_included, counts.reports_included) == (1, 1)
    assert not counts.in_progress and counts.to_json()["status"] == "complete"


def test_interim_state_is_counted_as_waiting(tmp_path: Path) -> None:
    ta = [stage_row(r, "awaiting") for r in POOL]
    ta[0] = stage_row("pubmed:1", "include")
    ta[1] = stage_row("pubmed:2", "include")
    ta[2] = stage_row("pubmed:4", "conflict", a="include", b="exclude")
    ft = [stage_row("pubmed:1", "awaiting", a="include", b=""), stage_row("pubmed:2", "awaiting", a="", b="")]
    inputs, counts = counts_of(write_results(tmp_path, ta, ft))
    check_conservation(inputs, counts)
    assert (counts.screening_awaiting, counts.screening_conflicts, counts.sought) == (3, 1, 2)
    assert (counts.assessment_awaiting, counts.retrieval_awaiting, counts.assessed) == (1, 1, 1)
    assert counts.in_progress
    assert counts.waiting == {"records awaiting screening": 3, "screening conflicts awaiting resolution": 1,
                              "reports awaiting retrieval": 1, "reports awaiting an eligibility decision": 1}


def test_decision_on_a_removed_duplicate_stops_the_diagram(tmp_path: Path) -> None:
    ta = [*COMPLETE_TA, stage_row("psycinfo:1", "include")]
    results = write_results(tmp_path, ta, COMPLETE_FT)
    outputs = PrismaOutputs.under(tmp_path / "prisma")
    with pytest.raises(ConservationError) as error:
        write_prisma(FlowFiles.under(results), CONFIG.review, CONFIG.sources, outputs)
    message = str(error.value)
    assert "psycinfo:1 (removed as a duplicate in cluster pubmed:1)" in message
    assert "records screened 6 != records excluded 2 + reports sought for retrieval 5" in message
    assert not any(path.exists() for path in vars(outputs).values())


def test_full_text_decision_on_a_record_excluded_at_title_abstract(tmp_path: Path) -> None:
    ft = [*COMPLETE_FT, stage_row("pubmed:5", "include")]
    with pytest.raises(ConservationError, match=r"pubmed:5 \(exclude at title/abstract\)"):
        checked_counts(FlowFiles.under(write_results(tmp_path, COMPLETE_TA, ft)), CONFIG.sources)


def test_failed_sum_is_shown_with_its_terms(tmp_path: Path) -> None:
    results = write_results(tmp_path, COMPLETE_TA, COMPLETE_FT)
    dedup = results / "dedup" / "counts.json"
    data = json.loads(dedup.read_text())
    data["duplicates_removed"] = 3
    dedup.write_text(json.dumps(data))
    with pytest.raises(ConservationError) as error:
        checked_counts(FlowFiles.under(results), CONFIG.sources)
    assert ("records identified 10 != duplicates removed 3 + marked ineligible by automation 1 + "
            "removed for other reasons 1 + records screened 6 = 11") in str(error.value)


def test_record_left_out_of_the_pool_is_reported(tmp_path: Path) -> None:
    results = write_results(tmp_path, COMPLETE_TA, COMPLETE_FT)
    removed = results / "screening" / "removed_before_screening.csv"
    removed.write_text(removed.read_text().splitlines()[0] + "\npubmed:3,automation,x,\n")
    with pytest.raises(ConservationError, match=r"neither screened nor removed before screening: psycinfo:3"):
        checked_counts(FlowFiles.under(results), CONFIG.sources)


def test_missing_stage_file_names_it(tmp_path: Path) -> None:
    results = write_results(tmp_path)
    (results / "screening" / "full_text.csv").unlink()
    with pytest.raises(ConservationError, match="full_text.csv: missing"):
        checked_counts(FlowFiles.under(results), CONFIG.sources)


def test_registers_are_counted_apart(tmp_path: Path) -> None:
    config = [source_entry(name="pubmed", database="pubmed"), source_entry(name="psycinfo", database="ClinicalTrials.gov")]
    inputs = read_flow_inputs(FlowFiles.under(write_results(tmp_path)))
    counts = compute_counts(inputs, config)
    assert (counts.databases, counts.registers) == (6, 4)
