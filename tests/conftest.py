"""Shared fixtures: where ../shared is, a throw-away copy of the workflow to run, and the
guard that keeps every test away from the user's protocol.

Tests never read ``config/config.yaml``: it is the review team's file, and editing it (the
README's first step for a review of one's own) must not break ``make test``. Tests use
their own protocols (``tests/data/protocols/``, :mod:`protocols`); an audit hook fails any
test in this process that opens the user's file, and copies of the workflow get the tests'
demo protocol in its place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property-based tests draw the same examples on every run and machine in `make test`
# (a failure reproduces; the time does not depend on luck); `make fuzz` draws new ones.
settings.register_profile("test", derandomize=True, database=None, deadline=None)
settings.register_profile("fuzz", derandomize=False, database=None, deadline=None)
settings.load_profile(os.environ.get("LITSIEVE_HYPOTHESIS_PROFILE", "test"))

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LITSIEVE_SHARED", REPO.parent / "shared"))
WORKFLOW_PARTS = ("Snakefile", "config", "workflow", "scripts", "resources", "environment.yml")
USER_PROTOCOL = REPO / "config" / "config.yaml"
TEST_PROTOCOL = REPO / "tests" / "data" / "protocols" / "demo.yaml"


class ReadUserProtocol(RuntimeError):
    """A test opened the user's config/config.yaml."""


def _guard_user_protocol(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not args or not isinstance(args[0], (str, os.PathLike)):
        return
    path = os.fsdecode(args[0])  # type: ignore[arg-type]
    if path.endswith("config.yaml") and Path(path).resolve() == USER_PROTOCOL:
        raise ReadUserProtocol(f"tests must not read {USER_PROTOCOL}: use a protocol under tests/data/protocols")


sys.addaudithook(_guard_user_protocol)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external suite: {path} not found (set LITSIEVE_SHARED or check out ../shared)")
    return path


def copy_workflow(target: Path) -> Path:
    """A fresh copy of the workflow and demo in ``target`` (no results/, no screening/), with
    the tests' demo protocol as its config/config.yaml."""
    target.mkdir(parents=True)
    for part in WORKFLOW_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "config.yaml"))
        elif source.exists():
            shutil.copy2(source, target / part)
    shutil.copy2(TEST_PROTOCOL, target / "config" / "config.yaml")
    return target


@pytest.fixture
def workflow_dir(tmp_path: Path) -> Path:
    """:func:`copy_workflow` in the test's temporary folder."""
    return copy_workflow(tmp_path / "review")


def run_snakemake(directory: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the venv's snakemake in ``directory`` (a copy: never the repository, whose
    config/config.yaml is the user's); on failure show its output."""
    assert directory.resolve() != REPO, "run the workflow in a copy (copy_workflow), not in the repository"
    snakemake = Path(sys.executable).with_name("snakemake")
    result = subprocess.run(
        [str(snakemake), "--cores", "1", "--directory", str(directory),
         "--snakefile", str(directory / "Snakefile"), *args],
        capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result
