"""A rule's diagnostics: one clear line on the terminal, warnings kept as notices for the end of the run."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from litsieve.errors import ScreeningFileError
from litsieve.logs import get_logger, print_notices, rule_log, run_notices


def test_warnings_become_notices_printed_at_the_end_of_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 16.12: warnings that matter to people were only in a rule's log."""
    started = time.time()
    log = tmp_path / "logs" / "screening" / "title_abstract.log"
    with rule_log(log):
        get_logger("personfile").warning("screening/a.csv: 1 row was deleted; it was put back")
        get_logger("personfile").info("nothing to tell")
    assert "1 row was deleted" in log.read_text(encoding="utf-8")
    assert run_notices(tmp_path / "logs", started) == ["screening/a.csv: 1 row was deleted; it was put back"]
    print_notices(tmp_path / "logs", started)
    out = capsys.readouterr().out
    assert out.startswith("Warnings") and "  - screening/a.csv: 1 row was deleted" in out
    assert run_notices(tmp_path / "logs", started + 3600) == []  # an older run's notices are not repeated
    with rule_log(log):
        pass
    assert run_notices(tmp_path / "logs", started) == []  # the rule ran again without warnings


@pytest.mark.parametrize("error,expected", [
    (ScreeningFileError("bad", file="a.csv", row=3, field="decision", hint="fix it"),
     "litsieve: error: a.csv, row 3, field 'decision': bad (fix it)"),
    (PermissionError(13, "Permission denied", "results/x.csv"),
     "litsieve: error: results/x.csv: permission denied (check the permissions of the file and its folder)"),
])
def test_a_failing_rule_says_why_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             error: Exception, expected: str) -> None:
    with pytest.raises(SystemExit) as caught, rule_log(tmp_path / "rule.log"):
        raise error
    assert caught.value.code == 1
    assert capsys.readouterr().err.strip() == expected


def test_a_bug_is_one_line_on_the_terminal_and_a_traceback_in_the_log(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "rule.log"
    with pytest.raises(SystemExit), rule_log(log):
        {}["missing"]
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error (KeyError: 'missing')" in err and str(log) in err
    assert "Traceback (most recent call last)" in log.read_text(encoding="utf-8")
