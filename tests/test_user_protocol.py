"""The user's config/config.yaml is theirs: editing it cannot break `make test`.

The README's first step for a review of one's own is to edit config/config.yaml. No test
reads it (tests use tests/data/protocols/, and conftest.py fails any test in this process
that opens it); this test shows it end to end: in a copy of the repository whose
config/config.yaml has another search string, other years, other criteria and another
title, the test modules that once read it still pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, USER_PROTOCOL, ReadUserProtocol, run_snakemake

pytestmark = pytest.mark.slow
PARTS = ("Snakefile", "config", "workflow", "scripts", "resources", "environment.yml", "pyproject.toml", "tests")
# The modules that read the user's protocol before it was kept apart.
ONCE_READ_IT = ("test_search_strategy.py", "test_suggest_demo.py", "test_suggest_pool.py", "test_criteria_realistic.py",
                "test_query_protocol.py", "test_report_cli.py", "test_suggest_cli.py", "test_demo_data.py")


def test_opening_the_user_protocol_fails_the_test() -> None:
    with pytest.raises(ReadUserProtocol):
        USER_PROTOCOL.read_text(encoding="utf-8")
    with pytest.raises(ReadUserProtocol):
        open(REPO / "config" / ".." / "config" / "config.yaml", "rb")


def test_snakemake_never_runs_in_the_repository() -> None:
    """Subprocesses escape the audit hook: the workflow runs only in copies."""
    with pytest.raises(AssertionError, match="copy"):
        run_snakemake(REPO, "-n")


def test_an_edited_user_protocol_does_not_break_the_tests(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    copy.mkdir()
    for part in PARTS:
        source = REPO / part
        ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", "config.yaml")
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=ignore)
        else:
            shutil.copy2(source, copy / part)
    # A new user's edits, written to the copy (the real file is never opened).
    protocol = yaml.safe_load((REPO / "tests" / "data" / "protocols" / "other_review.yaml").read_text(encoding="utf-8"))
    protocol["search"]["years"] = {"start": 2005, "end": 2020}
    protocol["criteria"] = [{"id": "acne", "kind": "inclusion", "any": ["acne"]}]
    (copy / "config" / "config.yaml").write_text(yaml.safe_dump(protocol), encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "-n", "0",
         *(f"tests/{name}" for name in ONCE_READ_IT)],
        cwd=copy, capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
