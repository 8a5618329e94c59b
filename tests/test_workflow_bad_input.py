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
