"""Bad input to the workflow: every rule stops with one clear line (file, row, field, what to do)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_snakemake

pytestmark = pytest.mark.slow


def _protocol(review: Path) -> dict:
    return yaml.safe_load((review / "config/config.yaml").read_text(encoding="utf-8"))


def _save(review: Path, config: dict) -> None:
    (review / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def test_a_missing_export_file_is_an_error_even_when_results_exist(workflow_dir: Path) -> None:
    """Issue 16.9: with results in place the run ended with exit 0 and the old documentation."""
    review = workflow_dir
    target = "results/records/sources/psycinfo.csv"
    (review / target).parent.mkdir(parents=True)
    (review / target).write_text("record_id\n", encoding="utf-8")
    config = _protocol(review)
    psycinfo = next(s for s in config["sources"] if s["name"] == "psycinfo")
    psycinfo["files"].append("resources/demo/psycinfo_second_search.ris")
    _save(review, config)
    result = run_snakemake(review, "-n", target, check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert ("resources/demo/psycinfo_second_search.ris, field 'sources.psycinfo.files': export file of "
            "source 'psycinfo' does not exist") in out
    assert "Traceback (most recent call last)" not in out


def test_a_run_prints_what_it_did_to_a_file_and_a_bad_cell_is_one_clear_line(workflow_dir: Path) -> None:
    """Issue 16.12 and the bar: warnings that matter (a deleted row put back) are printed at the
    end of the run, and a rule stopped by bad input says file, row, field and what to do."""
    from screening_helpers import read_rows, spreadsheet_edit

    review = workflow_dir
    target = "results/screening/title_abstract.csv"
    queue = review / "screening/title_abstract/screener_a.csv"
    run_snakemake(review, target)
    record_id = read_rows(queue)[1][0]["record_id"]
    spreadsheet_edit(queue, {record_id: {"decision": "include"}})
    run_snakemake(review, target)
    # Excel for Mac ("CSV (Macintosh)", CR line ends) saves the queue without that row.
    lines = queue.read_bytes().decode("utf-8-sig").split("\r\n")
    queue.write_bytes("\r".join(line for line in lines if not line.startswith(record_id + ",")).encode())
    out = run_snakemake(review, target)
    text = out.stdout + out.stderr
    assert "Warnings (also in the rules' logs under results/logs):" in text
    assert "1 row(s) with typed cells were missing (deleted in the spreadsheet?) and are put back" in text
    spreadsheet_edit(queue, {record_id: {"decision": "yes please"}})
    failed = run_snakemake(review, target, check=False)
    text = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "screener_a.csv, row " in text and "field 'decision': 'yes please' is not a valid decision" in text
    assert "Traceback" not in text
