"""Reports and studies in the PRISMA numbers (issue 10): studies included and reports of
included studies differ when reports are linked, every box still adds up, and a retracted
included study is a warning wherever the included studies are shown."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from litsieve.errors import ConservationError
from litsieve.report.conservation import check_conservation
from litsieve.report.counts import FlowFiles, compute_counts, read_flow_inputs
from litsieve.report.pages import screening_html
from litsieve.report.prisma import PrismaOutputs, summary_lines, write_prisma
from protocols import minimal_mapping, protocol
from report_helpers import stage_row, write_results

CONFIG = protocol(minimal_mapping(review={"title": "Test review"},
                                  sources=[{"name": "pubmed", "database": "pubmed"},
                                           {"name": "psycinfo", "database": "psycinfo"}]))
# pubmed:2 is the erratum of pubmed:1 (a retracted study); pubmed:4 the conference abstract of pubmed:5.
LINKS = {"pubmed:2": ("pubmed:1", "erratum of", "pubmed:1"),
         "pubmed:4": ("pubmed:5", "conference abstract of", "pubmed:5")}
FLAGS = {"pubmed:1": "retracted"}


def followed(record_id: str, decision: str, reason: str = "") -> dict[str, str]:
    row = stage_row(record_id, decision, reason, a="", b="")
    row["basis"] = "with its study"
    return row


TA = [stage_row("pubmed:1", "include"), followed("pubmed:2", "include"), stage_row("pubmed:4", "include"),
      stage_row("pubmed:5", "include"), stage_row("pubmed:6", "exclude", "other"),
      stage_row("psycinfo:4", "include")]
FT = [stage_row("pubmed:1", "include"), followed("pubmed:2", "include"), stage_row("pubmed:4", "include"),
      stage_row("pubmed:5", "include"), stage_row("psycinfo:4", "exclude", "Children and young people")]


def counts_of(results: Path):
    inputs = read_flow_inputs(FlowFiles.under(results))
    return inputs, compute_counts(inputs, CONFIG.sources)


def test_reports_and_studies_are_counted_apart_and_every_box_adds_up(tmp_path: Path) -> None:
    inputs, counts = counts_of(write_results(tmp_path, TA, FT, LINKS, FLAGS))
    check_conservation(inputs, counts)
    assert (counts.identified, counts.duplicates, counts.automation, counts.other_reasons) == (10, 2, 1, 1)
    # The erratum is a record screened and a report sought, assessed and included with its study.
    assert (counts.screened, counts.records_excluded, counts.sought) == (6, 1, 5)
    assert (counts.not_retrieved, counts.assessed, counts.reports_excluded) == (0, 5, 1)
    assert (counts.reports_included, counts.studies_included) == (4, 2)
    assert counts.screened == counts.records_excluded + counts.sought
    assert counts.assessed == counts.reports_excluded + counts.reports_included
    assert counts.retracted_included == ["pubmed:1"]


def test_the_same_files_without_links_count_one_study_per_report(tmp_path: Path) -> None:
    ta = [{**row, "basis": ""} for row in TA]
    ft = [{**row, "basis": ""} for row in FT]
    inputs, counts = counts_of(write_results(tmp_path, ta, ft))
    check_conservation(inputs, counts)
    assert (counts.reports_included, counts.studies_included, counts.retracted_included) == (4, 4, [])


def test_a_notice_with_another_decision_than_its_report_stops_the_diagram(tmp_path: Path) -> None:
    ft = [row if row["record_id"] != "pubmed:2" else followed("pubmed:2", "exclude", "other") for row in FT]
    inputs, counts = counts_of(write_results(tmp_path, TA, ft, LINKS, FLAGS))
    with pytest.raises(ConservationError) as failure:
        check_conservation(inputs, counts)
    assert "notices whose decision is not that of the report they follow: pubmed:2" in str(failure.value)
    assert "[notices_follow_their_report]" in str(failure.value)


def test_more_studies_than_the_reports_say_stops_the_diagram(tmp_path: Path) -> None:
    inputs, counts = counts_of(write_results(tmp_path, TA, FT, LINKS, FLAGS))
    counts.studies_included = 3
    with pytest.raises(ConservationError, match=r"studies included 3 != 2 studies of the 4 reports included"):
        check_conservation(inputs, counts)


def test_a_retracted_included_study_is_a_warning_in_the_log_counts_and_summary(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    results = write_results(tmp_path, TA, FT, LINKS, FLAGS)
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        write_prisma(FlowFiles.under(results), CONFIG.review, CONFIG.sources, PrismaOutputs.under(results / "prisma"))
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "RETRACTED: 1 included study is retracted (pubmed:1): check the retraction, and exclude it at full text "
        "or say in the review why not (the extraction table marks it in study_flags)"]
    saved = json.loads((results / "prisma" / "counts.json").read_text(encoding="utf-8"))
    assert (saved["studies_included"], saved["reports_included"], saved["retracted_included"]) == (2, 4, ["pubmed:1"])
    lines = summary_lines(results)
    assert lines[0].endswith("2 studies included (4 reports)")
    assert lines[1].startswith("WARNING: RETRACTED: 1 included study is retracted (pubmed:1)")
    svg = (results / "prisma" / "flow.svg").read_text(encoding="utf-8")
    assert "Studies included in review (n = 2)" in svg and "Reports of included studies (n = 4)" in svg


def test_the_screening_page_of_the_report_warns_of_a_retracted_included_study(tmp_path: Path) -> None:
    results = write_results(tmp_path, TA, FT, LINKS, FLAGS)
    write_prisma(FlowFiles.under(results), CONFIG.review, CONFIG.sources, PrismaOutputs.under(results / "prisma"))
    prisma = json.loads((results / "prisma" / "counts.json").read_text(encoding="utf-8"))
    page = screening_html({}, {}, prisma)
    assert '<p class="retracted" id="retracted">RETRACTED: 1 included study is retracted (pubmed:1)' in page
    assert "2 studies included in the review, from 4 reports" in page
    assert 'id="retracted"' not in screening_html({}, {}, {**prisma, "retracted_included": []})
