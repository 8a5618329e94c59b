"""A review's own protocol: `snakemake --configfile FILE` uses that file alone.

Snakemake merges a --configfile into the Snakefile's `configfile:`; litsieve's Snakefile
reads config/config.yaml only when no --configfile is given, so nothing of the demo
protocol (its criteria, its 1990-2017 English limits, its extraction fields) leaks into
another review, and an error names the file the reviewer wrote.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_snakemake
from protocols import PROTOCOLS

pytestmark = pytest.mark.slow
DEMO_CRITERIA = {"peer_support", "mental_health", "service_users", "adults", "empirical", "not_mental_health",
                 "not_service_users", "children", "online_only", "not_empirical", "protocol_or_abstract",
                 "substance_use", "peer_workforce", "year", "language"}


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_own_protocol_inherits_nothing_from_the_demo(workflow_dir: Path) -> None:
    own = workflow_dir / "my_review.yaml"
    shutil.copy2(PROTOCOLS / "other_review.yaml", own)
    targets = ["results/screening/suggestions.csv", "results/search/search_strategy.md",
               "results/extraction/extraction.csv"]
    run_snakemake(workflow_dir, *targets, "--configfile", str(own))

    results = workflow_dir / "results"
    # No demo criterion fired and no automatic year or language limit removed anything.
    fired = {c for row in rows(results / "screening/suggestions.csv") for c in row["criteria"].split("; ") if c}
    assert not fired & DEMO_CRITERIA
    assert all(row["category"] != "automation" for row in rows(results / "screening/removed_before_screening.csv"))
    strategy = (results / "search/search_strategy.md").read_text(encoding="utf-8")
    assert "# Search strategy: Topical treatments for acne vulgaris" in strategy
    assert "1990" not in strategy.split("## Sources")[0] and "english" not in strategy.split("## Sources")[0].lower()
    assert "psycinfo" not in strategy  # the demo's other source is not this review's
    # The extraction table has the schema's default fields, not the demo's peer-support model.
    header = (results / "extraction/extraction.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "peer_support_model" not in header and "study_design" in header and "delivery" not in header
    # Its screeners' queues, not the demo's.
    assert (workflow_dir / "screening/title_abstract/reviewer.csv").exists()
    assert not (workflow_dir / "screening/title_abstract/screener_a.csv").exists()


def test_an_error_in_an_own_protocol_names_that_file(workflow_dir: Path) -> None:
    own = workflow_dir / "my_review.yaml"
    own.write_text((PROTOCOLS / "other_review.yaml").read_text(encoding="utf-8").replace("query:", "qeury:"),
                   encoding="utf-8")
    result = run_snakemake(workflow_dir, "--configfile", str(own), "-n", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert str(own) in output and "unknown key 'qeury'" in output and "did you mean 'query'?" in output
    assert "Peer support OR Peer Mentoring" not in output  # nothing of the demo's string
    assert len(output.splitlines()) < 30


def test_the_repository_protocol_documents_how_to_use_another() -> None:
    readme = (REPO / "config" / "README.md").read_text(encoding="utf-8")
    assert "--configfile" in readme
