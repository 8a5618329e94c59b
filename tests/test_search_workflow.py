"""The workflow reads live sources from snapshots only: offline, identical, and loud when one is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_snakemake
from fake_services import FakeService, FakeState, articles, closed_port_url
from litsieve.protocol import load_protocol
from litsieve.records_io import read_records
from litsieve.search.refresh import refresh_source
from litsieve.search.snapshot import read_snapshot_records, snapshot_input_files

pytestmark = pytest.mark.slow

KEY = "PLANTEDKEYc0ffee0123456789"
EMAIL = "planted.reviewer@example.org"
LIVE = {"name": "pubmed_live", "database": "pubmed", "platform": "pubmed", "method": "live"}


def _review(workflow_dir: Path, **search: object) -> dict:
    """The demo protocol with one live PubMed source, written into the workflow copy."""
    if (REPO / "environment.yml").exists():
        shutil.copy2(REPO / "environment.yml", workflow_dir / "environment.yml")
    config = yaml.safe_load((workflow_dir / "config" / "config.yaml").read_text(encoding="utf-8"))
    config["sources"] = [dict(LIVE)]
    config["search"].update(search)
    config["search"]["live"] = {"backoff": 0.001, "backoff_max": 0.01, "jitter": 0.0, "timeout": 2.0,
                                "batch_size": 4, "slice_limit": 6}
    (workflow_dir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config


def test_live_source_is_read_from_its_snapshot_offline(workflow_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _review(workflow_dir)
    targets = ("results/records/sources/pubmed_live.csv", "results/search/search_strategy.md")
    # No snapshot yet: the workflow stops and says which command takes one.
    missing = run_snakemake(workflow_dir, *targets, check=False)
    assert missing.returncode != 0
    assert "litsieve search refresh --source pubmed_live" in missing.stdout + missing.stderr

    monkeypatch.chdir(workflow_dir)
    config = load_protocol(workflow_dir / "config" / "config.yaml")
    live = config.sources[0]
    with FakeService(FakeState(articles=articles(13), esearch_limit=6)) as service:
        env = {"LITSIEVE_EUTILS_URL": service.url, "NCBI_API_KEY": KEY, "NCBI_EMAIL": EMAIL}
        refresh_source(config, live, env=env, sleep=lambda s: None)
    expected = read_snapshot_records(snapshot_input_files(config.paths.snapshots, live), live)

    # The network is unusable: any request would be refused.
    monkeypatch.setenv("LITSIEVE_EUTILS_URL", closed_port_url())
    monkeypatch.setenv("LITSIEVE_EUROPEPMC_URL", closed_port_url())
    monkeypatch.setenv("NCBI_API_KEY", KEY)
    monkeypatch.setenv("NCBI_EMAIL", EMAIL)
    run_snakemake(workflow_dir, *targets)
    got = read_records(workflow_dir / targets[0])
    assert [r.to_row() for r in got] == [r.to_row() for r in expected]
    assert len(got) == 13 and all(r.record_id.startswith("pubmed_live:") for r in got)
    strategy = (workflow_dir / targets[1]).read_text(encoding="utf-8")
    assert "searched live through the database's API" in strategy
    assert "Hits reported by the service: 13; records obtained: 13" in strategy
    assert "resources/snapshots/pubmed_live/" in strategy
    for path in [*(workflow_dir / "results").rglob("*"), *(workflow_dir / "resources" / "snapshots").rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert KEY.encode() not in data and EMAIL.encode() not in data, path
    dry = run_snakemake(workflow_dir, "-n", *targets)
    assert "Nothing to be done" in dry.stdout + dry.stderr


def test_search_rules_refuse_an_ambiguous_string_without_intended_query(workflow_dir: Path) -> None:
    _review(workflow_dir, intended_query="")
    result = run_snakemake(workflow_dir, "results/search/lint.txt", check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "intended_query" in output and "search.query" in output
    assert not (workflow_dir / "results" / "search" / "lint.txt").exists()
