"""``litsieve prisma``, ``litsieve extract`` and ``litsieve export`` from the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import REPO
from litsieve.cli import main
from litsieve.report.prisma import summary_lines
from report_helpers import POOL, stage_row, write_results

CONFIG = str(REPO / "tests" / "data" / "protocols" / "demo.yaml")
DEMO = REPO / "resources" / "demo"


def test_prisma_check_prints_the_boxes_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = write_results(tmp_path)
    assert main(["prisma", "--results", str(results), "--config", CONFIG, "--check"]) == 0
    out = capsys.readouterr().out
    assert "Records screened (n = 6)" in out and "Awaiting screening (n = 6)" in out
    assert "The numbers add up. Interim: 6 records awaiting screening" in out
    assert not (results / "prisma").exists()


def test_prisma_writes_every_output_and_the_run_summary_names_them(tmp_path: Path) -> None:
    results = write_results(tmp_path)
    assert main(["prisma", "--results", str(results), "--config", CONFIG]) == 0
    names = sorted(p.name for p in (results / "prisma").iterdir())
    assert names == ["counts.json", "flow.pdf", "flow.png", "flow.svg", "prisma2020.csv"]
    assert json.loads((results / "prisma/counts.json").read_text())["screened"] == len(POOL)
    assert summary_lines(results) == [
        f"PRISMA flow diagram (interim, review in progress): {results}/prisma/flow.svg (.pdf, .png); "
        f"10 records identified, {len(POOL)} screened, 0 studies included"]


def test_prisma_error_is_one_line_with_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = write_results(tmp_path, [*(stage_row(r, "awaiting") for r in POOL), stage_row("psycinfo:2", "exclude")])
    assert main(["prisma", "--results", str(results), "--config", CONFIG]) == 2
    err = capsys.readouterr().err
    assert err.startswith("litsieve prisma: error: the PRISMA numbers do not add up")
    assert "psycinfo:2 (removed as a duplicate in cluster pubmed:2)" in err


def test_extract_prefills_chosen_records_from_an_export(tmp_path: Path) -> None:
    out = tmp_path / "extraction.csv"
    assert main(["extract", str(DEMO / "pubmed_medline.txt"), "--source", "pubmed", "--ids", "pubmed:99900007,pubmed:99900050",
                 "--config", CONFIG,
                 "-o", str(out), "--xlsx", str(tmp_path / "extraction.xlsx")]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = {row["record_id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == ["pubmed:99900007", "pubmed:99900050"]
    assert rows["pubmed:99900007"]["study_design"] == "quantitative; RCT"
    assert rows["pubmed:99900050"]["delivery_source"] == "prefilled"
    assert (tmp_path / "extraction.xlsx").stat().st_size > 0


def test_extract_with_clusters_writes_one_row_per_study(tmp_path: Path) -> None:
    from screening_helpers import write_clusters

    ids = ["pubmed:99900007", "pubmed:99900050"]
    clusters = write_clusters(tmp_path, {ids[1]: (ids[0], "conference abstract of", ids[0])}, ids)
    out = tmp_path / "extraction.csv"
    assert main(["extract", str(DEMO / "pubmed_medline.txt"), "--source", "pubmed", "--ids", ",".join(ids),
                 "--config", CONFIG, "--clusters", str(clusters), "-o", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["study_id"], r["record_id"], r["reports"]) for r in rows] == [
        (ids[0], ids[0], f"{ids[0]} (main report); {ids[1]} (conference abstract of {ids[0]})")]


def test_export_writes_ris_and_bibtex(tmp_path: Path) -> None:
    assert main(["export", str(DEMO / "pubmed_medline.txt"), "-o", str(tmp_path / "all.bib"), "--note", "seen"]) == 0
    text = (tmp_path / "all.bib").read_text(encoding="utf-8")
    assert text.count("@") == 74 and text.count("note = {seen}") == 74
    assert main(["export", str(DEMO / "pubmed_medline.txt"), "-o", str(tmp_path / "all.txt")]) == 2
