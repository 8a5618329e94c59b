"""The whole demo review as `make run` runs it: reproducible, idempotent, lint-clean."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import run_snakemake

pytestmark = pytest.mark.slow


def _digests(folder: Path) -> dict[str, str]:
    """Content hashes of every generated file except the per-rule logs."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "logs" not in p.relative_to(folder).parts and p.name != ".gitkeep"
    }


def test_demo_runs_reproducibly_and_leaves_nothing_to_do(workflow_dir: Path) -> None:
    run_snakemake(workflow_dir)
    results = workflow_dir / "results"
    first = _digests(results)
    assert "records/all.csv" in first

    dry = run_snakemake(workflow_dir, "-n")
    assert "Nothing to be done" in dry.stdout + dry.stderr, dry.stdout

    shutil.rmtree(results)
    run_snakemake(workflow_dir)
    assert _digests(results) == first

    dry = run_snakemake(workflow_dir, "-n")
    assert "Nothing to be done" in dry.stdout + dry.stderr, dry.stdout


def test_workflow_lint_is_clean(workflow_dir: Path) -> None:
    result = run_snakemake(workflow_dir, "--lint", check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Lints for" not in output, output
