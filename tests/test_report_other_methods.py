"""PRISMA 2020's second column: studies identified via other methods (citation searching).

A small results folder (tests/report_helpers.py) gets a citation-search source of four
records: one is a work a database found too (a duplicate, screened with the database's
records), two are one work (a duplicate within other methods), one stands alone. The two
works found only by citation searching skip title/abstract and go straight to full text.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Sequence

import pytest

from litsieve.errors import ConservationError
from litsieve.fileio import write_csv, write_json
from litsieve.record import Record
from litsieve.records_io import read_records, write_records
from litsieve.report.counts import FlowFiles
from litsieve.report.diagram import layout, overflows, render
from litsieve.report.prisma import PrismaOutputs, checked_counts, write_prisma
from litsieve.report.prisma_csv import prisma2020_rows
from litsieve.screening.pool import build_pool
from protocols import minimal_mapping, protocol, search_section
from report_helpers import POOL, TA_COLUMNS, record, stage_row, write_results

CITATIONS = {"citations:1": "pubmed:4", "citations:3": "citations:2"}  # duplicate -> kept in its cluster
DIRECT = ["citations:2", "citations:4"]
CONFIG = protocol(minimal_mapping(
    review={"title": "Peer support"},
    sources=[{"name": "pubmed", "database": "pubmed"}, {"name": "psycinfo", "database": "psycinfo"},
             {"name": "citations", "database": "citation_search", "kind": "citation_search",
              "label": "Citation searching of included studies"}]))
TA_ALL_INCLUDED = [stage_row(r, "include") for r in POOL]
FT_COMPLETE = ([stage_row(r, "exclude", "Children and young people") for r in POOL[:3]]
               + [stage_row(r, "include") for r in POOL[3:]]
               + [stage_row("citations:2", "include"), stage_row("citations:4", "exclude", "Not about mental health")])


def add_citation_search(results: Path, ft: Sequence[dict[str, str]] = FT_COMPLETE,
                        direct: Sequence[str] = DIRECT) -> Path:
    """Add the citation-search source to every stage file, as the workflow would write them."""
    counts_tsv = results / "records" / "counts.tsv"
    counts_tsv.write_text(counts_tsv.read_text(encoding="utf-8") + "citations\t1\t4\n", encoding="utf-8")
    with open(results / "dedup" / "clusters.csv", newline="", encoding="utf-8") as handle:
        clusters = list(csv.DictReader(handle))
    for number in range(1, 5):
        record_id = f"citations:{number}"
        clusters.append({"record_id": record_id, "cluster_id": CITATIONS.get(record_id, record_id),
                         "kept": "false" if record_id in CITATIONS else "true", "source": "citations"})
    write_csv(results / "dedup" / "clusters.csv", clusters, ["record_id", "cluster_id", "kept", "source"])
    dedup = json.loads((results / "dedup" / "counts.json").read_text(encoding="utf-8"))
    dedup["records_in"] += 4
    dedup["duplicates_removed"] += 2
    dedup["per_source"]["citations"] = {"records": 4, "duplicates_removed": 2, "kept": 2}
    write_json(results / "dedup" / "counts.json", dedup)
    write_records(results / "screening" / "other_methods.csv", [record(r) for r in direct])
    write_csv(results / "screening" / "full_text.csv", list(ft), TA_COLUMNS)
    return results


@pytest.fixture
def complete(tmp_path: Path) -> Path:
    return add_citation_search(write_results(tmp_path, TA_ALL_INCLUDED))


def test_second_column_counts_and_sums(complete: Path) -> None:
    counts = checked_counts(FlowFiles.under(complete), CONFIG.sources)
    other = counts.other
    assert other is not None
    assert [(s.label, s.kind, s.records) for s in other.sources] == [
        ("Citation searching of included studies", "citation_search", 4)]
    assert (other.identified, other.duplicates, other.sought) == (4, 2, 2)
    assert (other.not_retrieved, other.assessed, other.reports_excluded, other.included) == (0, 2, 1, 1)
    assert other.exclusion_reasons == {"Not about mental health": 1}
    # The first column is the databases' alone: their records, their duplicates, their reports.
    assert [s.name for s in counts.sources] == ["pubmed", "psycinfo"]
    assert (counts.identified, counts.duplicates, counts.screened, counts.sought) == (10, 2, 6, 6)
    assert (counts.assessed, counts.reports_excluded, counts.dbr_included) == (6, 3, 3)
    # Both columns feed "studies included".
    assert counts.studies_included == counts.reports_included == 4
    assert not counts.in_progress
    data = counts.to_json()
    assert data["other_methods"]["sought"] == 2 and data["studies_included"] == 4


def test_review_without_other_methods_has_no_second_column(tmp_path: Path) -> None:
    results = write_results(tmp_path, TA_ALL_INCLUDED, FT_COMPLETE[:6])
    counts = checked_counts(FlowFiles.under(results), CONFIG.sources[:2])
    assert counts.other is None and "other_methods" not in counts.to_json()
    drawing = layout(counts)
    assert not [box.key for box in drawing.boxes if box.key.startswith("other_")]
    rows = {row["data"]: row["n"] for row in prisma2020_rows(counts)}
    assert [rows[k] for k in ("website_results", "citations_results", "other_sought_reports",
                              "other_assessed", "other_excluded")] == ["0", "0", "0", "0", ""]


def test_diagram_draws_the_second_column_and_boxes_fit(complete: Path, tmp_path: Path) -> None:
    counts = checked_counts(FlowFiles.under(complete), CONFIG.sources)
    drawing = layout(counts, "Peer support")
    assert overflows(drawing) == []
    text = {box.key: [line.text for line in box.lines] for box in drawing.boxes}
    assert text["other_header"] == ["Identification of studies via other methods"]
    assert text["other_identified"] == ["Records identified from:",
                                        "Citation searching of included studies (n = 4)",
                                        "Duplicates of records already identified (n = 2)"]
    assert text["other_sought"] == ["Reports sought for retrieval (n = 2)"]
    assert text["other_not_retrieved"] == ["Reports not retrieved (n = 0)"]
    assert text["other_assessed"] == ["Reports assessed for eligibility (n = 2)"]
    assert text["other_reports_excluded"] == ["Reports excluded (n = 1):", "Not about mental health (n = 1)"]
    assert text["included"] == ["Studies included in review (n = 4)", "Reports of included studies (n = 4)"]
    # Placed right of the first column, in the rows PRISMA 2020 puts them in, none overlapping.
    box = drawing.box
    assert box("other_identified").x > box("removed").right
    assert box("other_identified").y < box("screened").y < box("other_sought").y
    assert box("other_not_retrieved").x > box("other_sought").right
    assert box("other_assessed").y == pytest.approx(box("assessed").y + (box("assessed").height
                                                                         - box("other_assessed").height) / 2)
    assert drawing.width >= box("other_reports_excluded").right
    # One elbow arrow runs from "reports assessed" (other methods) into "studies included".
    elbows = [a for a in drawing.arrows if a.via]
    assert len(elbows) == 1
    assert elbows[0].start[1] == pytest.approx(box("other_assessed").bottom)
    assert elbows[0].end[0] == pytest.approx(box("included").right)
    svg = render(drawing, "svg").decode("utf-8")
    for phrase in ("Identification of studies via other methods", "Citation searching of included studies (n = 4)",
                   "Studies included in review (n = 4)"):
        assert phrase in svg


def test_prisma2020_csv_fills_the_other_methods_nodes(complete: Path) -> None:
    counts = checked_counts(FlowFiles.under(complete), CONFIG.sources)
    rows = {row["data"]: row for row in prisma2020_rows(counts)}
    assert {k: rows[k]["n"] for k in ("website_results", "organisation_results", "citations_results",
                                      "other_sought_reports", "other_notretrieved_reports", "other_assessed",
                                      "other_excluded", "new_studies", "total_studies", "dbr_assessed")} == {
        "website_results": "0", "organisation_results": "0", "citations_results": "4",
        "other_sought_reports": "2", "other_notretrieved_reports": "0", "other_assessed": "2",
        "other_excluded": "Not about mental health, 1", "new_studies": "4", "total_studies": "4",
        "dbr_assessed": "6"}
    assert rows["other_sought_reports"]["node"] == "node18" and rows["other_excluded"]["box"] == "box15"


def test_outputs_are_written_and_byte_identical_on_rerun(complete: Path, tmp_path: Path) -> None:
    first, second = PrismaOutputs.under(tmp_path / "a"), PrismaOutputs.under(tmp_path / "b")
    write_prisma(FlowFiles.under(complete), CONFIG.review, CONFIG.sources, first)
    write_prisma(FlowFiles.under(complete), CONFIG.review, CONFIG.sources, second)
    for name in ("svg", "pdf", "png", "counts", "csv"):
        assert getattr(first, name).read_bytes() == getattr(second, name).read_bytes(), name


def test_interim_second_column_counts_what_waits(tmp_path: Path) -> None:
    ft = FT_COMPLETE[:6] + [stage_row("citations:2", "awaiting", a="", b=""),
                            stage_row("citations:4", "conflict", a="include", b="exclude")]
    results = add_citation_search(write_results(tmp_path, TA_ALL_INCLUDED), ft)
    counts = checked_counts(FlowFiles.under(results), CONFIG.sources)
    assert counts.other is not None
    assert (counts.other.retrieval_awaiting, counts.other.assessed, counts.other.assessment_conflicts) == (1, 1, 1)
    assert counts.waiting == {"reports awaiting retrieval": 1, "eligibility conflicts awaiting resolution": 1}
    drawing = layout(counts)
    assert [line.text for line in drawing.box("other_sought").lines] == [
        "Reports sought for retrieval (n = 2)", "Awaiting retrieval (n = 1)"]
    assert overflows(drawing) == []


@pytest.mark.parametrize("change, message", [
    ("screened", r"works sent straight to full text that are also in the screening pool .*citations:2"),
    ("missing", r"works found by other methods only that were not sent straight to full text: citations:4"),
    ("database", r"works sent straight to full text that a database or register also found .*pubmed:4"),
    ("no_row", r"works found by other methods \(sent straight to full text\) without a row: citations:4"),
    ("sum", r"other methods: records identified 5 != duplicate records removed 2 \+ reports sought "
            r"for retrieval 2 = 4"),
])
def test_impossible_second_column_stops_with_the_sums(tmp_path: Path, change: str, message: str) -> None:
    results = write_results(tmp_path, TA_ALL_INCLUDED)
    direct, ft = list(DIRECT), list(FT_COMPLETE)
    if change == "missing":
        direct = ["citations:2"]
        ft = ft[:-1]
    elif change == "database":
        direct = [*DIRECT, "pubmed:4"]
    elif change == "no_row":
        ft = ft[:-1]
    add_citation_search(results, ft, direct)
    if change == "screened":
        pool = results / "screening" / "pool.csv"
        write_records(pool, [*read_records(pool), record("citations:2")])
    if change == "sum":
        counts_tsv = results / "records" / "counts.tsv"
        counts_tsv.write_text(counts_tsv.read_text(encoding="utf-8").replace("citations\t1\t4", "citations\t1\t5"),
                              encoding="utf-8")
    with pytest.raises(ConservationError, match=message):
        checked_counts(FlowFiles.under(results), CONFIG.sources)


def test_pool_sends_works_found_only_by_other_methods_to_full_text() -> None:
    alone = Record(record_id="citations:9", source="citations", title="Mutual aid in 1985", year=1985)
    both = Record(record_id="pubmed:9", source="pubmed", title="Peer support in mental health",
                  abstract="Peer support for adults with psychosis.", year=2010,
                  extra={"dedup_source_ids": {"citations": ["citations:8"], "pubmed": ["pubmed:9"]}})
    kept_from_citations = Record(record_id="citations:7", source="citations", title="Peer support for adults",
                                 abstract="Peer support.", year=2010,
                                 extra={"dedup_source_ids": {"citations": ["citations:7"], "psycinfo": ["psycinfo:7"]}})
    pool = build_pool([alone, both, kept_from_citations], search_section(query='"peer support"'), (),
                      [s.name for s in CONFIG.sources if s.other_method])
    # Not matched by the query and outside the years, yet not removed: it was never searched for.
    assert [r.record_id for r in pool.other_methods] == ["citations:9"]
    assert not pool.removed
    # A work a database found too is screened with the database's records, whichever record was kept.
    assert [r.record_id for r in pool.records] == ["pubmed:9", "citations:7"]


# --------------------------------------------------------------------------- the workflow

CITATION_RIS = """TY  - JOUR
ID  - cs1
AU  - Marsh, Delia R
AU  - Fontaine, Gregory P
AU  - Whitcombe, Ann
TI  - Peer support in a peer-run crisis respite for adults in mental health crisis: A matched cohort study
JO  - Community Mental Health Journal
PY  - 2015
VL  - 51
SP  - 688
EP  - 697
DO  - 10.5555/cmhj.2015.0688
ER  - 

TY  - JOUR
ID  - cs2
AU  - Okafor, Ngozi
AU  - Lindqvist, Per
TI  - Peer-led recovery education for adults with serious mental illness: a qualitative study of graduates
JO  - Psychiatric Rehabilitation Journal
PY  - 2012
VL  - 35
SP  - 101
EP  - 108
DO  - 10.5555/prj.2012.0101
AB  - We interviewed 18 adults with serious mental illness who completed a peer-led recovery education course in Leeds, UK, delivered face-to-face in groups by trained peer educators.
ER  - 

TY  - JOUR
ID  - cs3
AU  - Brandt, Helga
TI  - Self-help groups of former psychiatric patients
JO  - Social Psychiatry
PY  - 1986
VL  - 21
SP  - 33
EP  - 40
ER  - 
"""

CITATION_SOURCE = """  - name: citations
    database: citation_search
    kind: citation_search
    label: Citation searching (reference lists of included studies)
    files: [resources/citation_search.ris]
    searched_on: "2017-12-01"

# Who screens."""


def set_full_text(queue: Path, decisions: dict[str, tuple[str, str]]) -> None:
    """Type full-text decisions the way a spreadsheet saves the file (BOM, CRLF)."""
    import io

    rows = list(csv.DictReader(io.StringIO(queue.read_bytes().decode("utf-8-sig"), newline="")))
    for row in rows:
        if row["record_id"] in decisions:
            row["decision"], row["reason"] = decisions[row["record_id"]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    queue.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


@pytest.mark.slow
def test_workflow_with_a_citation_search_source(workflow_dir: Path) -> None:
    from conftest import run_snakemake

    review = workflow_dir
    (review / "resources" / "citation_search.ris").write_text(CITATION_RIS, encoding="utf-8")
    config_file = review / "config" / "config.yaml"
    text = config_file.read_text(encoding="utf-8")
    assert text.count("\n# Who screens.") == 1
    config_file.write_text(text.replace("\n# Who screens.", "\n" + CITATION_SOURCE, 1), encoding="utf-8")
    targets = ("results/prisma/flow.svg", "results/extraction/extraction.csv", "results/exports/included.ris")
    run_snakemake(review, *targets)

    screening = review / "results" / "screening"
    direct = sorted(r.record_id for r in read_records(screening / "other_methods.csv"))
    assert direct == ["citations:cs2", "citations:cs3"]
    with open(screening / "title_abstract.csv", newline="", encoding="utf-8") as handle:
        assert not any(row["record_id"].startswith("citations:") for row in csv.DictReader(handle))
    for screener in ("screener_a", "screener_b"):
        with open(review / "screening" / "full_text" / f"{screener}.csv", newline="", encoding="utf-8-sig") as handle:
            assert {row["record_id"] for row in csv.DictReader(handle)} >= set(direct)
    counts = json.loads((review / "results" / "prisma" / "counts.json").read_text(encoding="utf-8"))
    other = counts["other_methods"]
    assert (other["identified"], other["duplicates"], other["sought"], other["retrieval_awaiting"]) == (3, 1, 2, 2)
    # The record a database found too is the databases' work: their count of records is unchanged.
    assert counts["identified"] == counts["databases"] == sum(s["records"] for s in counts["sources"])
    assert "citations" not in {s["name"] for s in counts["sources"]}

    # Both screeners assess the two reports found by citation searching; the 1986 one is out
    # of the protocol's years, which people (not automation) decide for other methods.
    for screener in ("screener_a", "screener_b"):
        set_full_text(review / "screening" / "full_text" / f"{screener}.csv",
                      {"citations:cs2": ("include", ""), "citations:cs3": ("exclude", "year")})
    run_snakemake(review, *targets)
    after = json.loads((review / "results" / "prisma" / "counts.json").read_text(encoding="utf-8"))
    other = after["other_methods"]
    assert (other["sought"], other["assessed"], other["included"], other["retrieval_awaiting"]) == (2, 2, 1, 0)
    assert other["exclusion_reasons"] == {"Published outside 1990-2017": 1}
    assert after["studies_included"] == counts["studies_included"] + 1
    # Only the second column and the total changed; the first column is as it was.
    unchanged = ("identified", "duplicates", "screened", "records_excluded", "sought", "assessed",
                 "reports_excluded", "exclusion_reasons")
    assert {k: after[k] for k in unchanged} == {k: counts[k] for k in unchanged}
    svg = (review / "results" / "prisma" / "flow.svg").read_text(encoding="utf-8")
    assert "Citation searching (reference lists of included studies) (n = 3)" in svg
    assert "Published outside 1990-2017 (n = 1)" in svg
    rows = {row["data"]: row["n"] for row in csv.DictReader(
        open(review / "results" / "prisma" / "prisma2020.csv", newline="", encoding="utf-8"))}
    assert (rows["citations_results"], rows["other_sought_reports"], rows["other_assessed"]) == ("3", "2", "2")
    with open(review / "results" / "extraction" / "extraction.csv", newline="", encoding="utf-8") as handle:
        assert "citations:cs2" in {row["record_id"] for row in csv.DictReader(handle)}
    assert "Peer-led recovery education" in (review / "results" / "exports" / "included.ris").read_text(
        encoding="utf-8")
