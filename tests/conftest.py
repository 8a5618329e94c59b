"""Shared fixtures: where ../shared is, and a throw-away copy of the workflow to run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LITSIEVE_SHARED", REPO.parent / "shared"))
WORKFLOW_PARTS = ("Snakefile", "config", "workflow", "scripts", "resources", "environment.yml")


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external suite: {path} not found (set LITSIEVE_SHARED or check out ../shared)")
    return path


@pytest.fixture
def workflow_dir(tmp_path: Path) -> Path:
    """A fresh copy of the workflow and demo in a temporary folder (no results/, no screening/)."""
    target = tmp_path / "review"
    target.mkdir()
    for part in WORKFLOW_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def run_snakemake(directory: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the venv's snakemake in ``directory``; on failure show its output."""
    snakemake = Path(sys.executable).with_name("snakemake")
    result = subprocess.run(
        [str(snakemake), "--cores", "1", "--directory", str(directory),
         "--snakefile", str(directory / "Snakefile"), *args],
        capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result
