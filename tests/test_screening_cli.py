"""`litsieve status` and `litsieve screen check`, and the order decisions were made in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from litsieve.cli import main
from litsieve.stagefiles import StageDecision

from screening_helpers import protocol, protocol_mapping, record, run, spreadsheet_edit, state, write_pool

TA = "screening/title_abstract"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    write_pool(tmp_path, [record(i) for i in range(1, 7)])
    (tmp_path / "config").mkdir()
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(protocol_mapping(["ana", "ben"])), encoding="utf-8")
    run(tmp_path, protocol(["ana", "ben"]))
    return tmp_path


def test_status_prints_done_and_waiting_per_stage_and_screener(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "include"}, "pubmed:2": {"decision": "exclude"}})
    run(review, protocol(["ana", "ben"]))
    args = ["status", "--results", str(review / "results"), "--config", str(review / "config/config.yaml")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "title/abstract: 6 records" in out
    assert "ana: 2 done, 4 waiting  [screening/title_abstract/ana.csv]" in out
    assert "ben: 0 done, 6 waiting" in out
    assert "Waiting for people: screening/title_abstract/ana.csv (4 for ana)" in out
    assert "Saved since the last run" not in out

    # A screener saves after the run: status says it is out of date.
    path = review / TA / "ben.csv"
    spreadsheet_edit(path, {"pubmed:3": {"decision": "include"}})
    later = (review / "results/screening/status.json").stat().st_mtime + 5
    os.utime(path, (later, later))
    assert main(args) == 0
    assert "Saved since the last run (run `snakemake` to update): screening/title_abstract/ben.csv" in \
        capsys.readouterr().out


def test_status_before_any_run_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--results", str(tmp_path / "results")]) == 1
    assert "run `snakemake` first" in capsys.readouterr().err


def test_screen_check_reports_the_first_problem_or_the_count(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = review / TA / "ana.csv"
    config = str(review / "config/config.yaml")
    spreadsheet_edit(path, {"pubmed:1": {"decision": "include"}}, delimiter=";")
    assert main(["screen", "check", str(path), "--config", config]) == 0
    assert "OK, 6 rows, 1 with a decision, 5 without" in capsys.readouterr().out
    spreadsheet_edit(path, {"pubmed:2": {"decision": "yes please"}}, delimiter=";")
    assert main(["screen", "check", str(path), "--config", config]) == 2
    err = capsys.readouterr().err
    assert "field 'decision'" in err and "'yes please' is not a valid decision" in err and "row " in err


def test_a_queue_saved_with_cr_only_line_ends_is_read(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 16.2: Excel for Mac's "CSV (Macintosh)" ends lines with CR alone (was a raw _csv.Error)."""
    path = review / TA / "ana.csv"
    spreadsheet_edit(path, {"pubmed:1": {"decision": "include", "note": "two\rlines"}})
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r"))
    config = str(review / "config/config.yaml")
    assert main(["screen", "check", str(path), "--config", config]) == 0
    assert "OK, 6 rows, 1 with a decision" in capsys.readouterr().out
    run(review, protocol(["ana", "ben"]))
    assert state(review / "results/screening/title_abstract.csv")["pubmed:1"]["decision_ana"] == "include"


def test_the_order_decisions_were_made_in_is_kept_for_the_stopping_rule(review: Path) -> None:
    config = protocol(["ana", "ben"])
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:5": {"decision": "exclude"}, "pubmed:2": {"decision": "include"}},
                     reverse=True)
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "exclude"}})
    run(review, config)
    final = state(review / "results/screening/title_abstract.csv")
    order = sorted((int(row["order_ana"]), record_id) for record_id, row in final.items() if row["order_ana"])
    # pubmed:2 had the higher priority (suggested include) when both were decided; pubmed:1 came a run later.
    assert [record_id for _, record_id in order] == ["pubmed:2", "pubmed:5", "pubmed:1"]
    log = (review / "screening/.history/title_abstract/ana.order.csv").read_text(encoding="utf-8")
    assert log.splitlines()[0] == "record_id,run,priority"


def state_rows(decided: dict[str, list[int]], total: int) -> list[StageDecision]:
    """A title/abstract state file: each screener's labels (1 include, 0 exclude) in screening order."""
    rows = [{"record_id": f"r{i:04d}", "decision": "awaiting", "basis": ""} for i in range(total)]
    for name, labels in decided.items():
        for position, label in enumerate(labels, start=1):
            rows[position - 1].update({f"decision_{name}": "include" if label else "exclude",
                                       f"order_{name}": str(position)})
    return [StageDecision.from_row(row) for row in rows]


def test_status_says_may_stop_only_when_every_screeners_test_allows_it() -> None:
    from litsieve.screening.status import stage_status, summary_lines

    config = protocol(["ana", "ben"])
    done = [1] * 40 + [0] * 2500  # forty includes, then a long run of exclusions
    rows = state_rows({"ana": done, "ben": [1, 0] * 10}, 3000)
    item = stage_status("title_abstract", rows, config.screeners, config.ranking, "screening")
    ana, ben = item["screeners"]["ana"], item["screeners"]["ben"]
    assert ana["stopping"]["may_stop"] and not ben["stopping"]["may_stop"]
    assert item["stopping"] == {"may_stop": False, "screeners_may_stop": ["ana"],
                                "message": "keep screening: 95% recall is not yet shown with 95% confidence for ben"}
    assert ben["stopping"]["screen_before_check"] > 0
    assert (ana["ranking"], ben["ranking"]) == (
        {"enabled": True, "ranked": True, "trained_on": 2540, "rerun_after": 50},
        {"enabled": True, "ranked": True, "trained_on": 20, "rerun_after": 1})
    status = {"title_abstract": item, "full_text": stage_status("full_text", [], config.screeners, config.ranking, "screening")}
    text = "\n".join(summary_lines(status))
    assert "you may stop with 95% confidence of 95% recall" in text  # ana's own line
    assert f"screen at least {ben['stopping']['screen_before_check']} more" in text
    assert "queue ranked on 2540 decisions; rerun after 50 more decisions for a fresh ranking" in text

    both = stage_status("title_abstract", state_rows({"ana": done, "ben": done}, 3000), config.screeners, config.ranking, "screening")
    assert both["stopping"]["may_stop"]
    assert both["stopping"]["message"] == ("you may stop with 95% confidence of 95% recall "
                                           "(every screener's test allows it)")

    config = config._replace(ranking=config.ranking._replace(enabled=False))
    unranked = stage_status("title_abstract", rows, config.screeners, config.ranking, "screening")["screeners"]["ana"]["ranking"]
    assert unranked == {"enabled": False, "ranked": False, "trained_on": 0, "rerun_after": 0}


def test_a_screener_who_screened_everything_does_not_hold_the_stage_back() -> None:
    from litsieve.screening.status import stage_status, summary_lines

    config = protocol(["ana", "ben"])
    done = [1] * 40 + [0] * 2500
    item = stage_status("title_abstract", state_rows({"ana": done + [0] * 460, "ben": done}, 3000),
                        config.screeners, config.ranking, "screening")
    assert item["screeners"]["ana"]["stopping"]["may_stop"]
    assert item["stopping"]["may_stop"] and item["stopping"]["screeners_may_stop"] == ["ana", "ben"]
    finished = stage_status("title_abstract", state_rows({"ana": [1, 0] * 50, "ben": [0, 1] * 50}, 100),
                            config.screeners, config.ranking, "screening")
    assert finished["stopping"]["message"] == "every record has been screened"
    status = {"title_abstract": finished, "full_text": stage_status("full_text", [], config.screeners, config.ranking, "screening")}
    assert "every record has been screened" in "\n".join(summary_lines(status))
    # One screener finished, the other not started: the stage is not done.
    half = stage_status("title_abstract", state_rows({"ana": [1, 0] * 50}, 100), config.screeners, config.ranking, "screening")["stopping"]
    assert (half["may_stop"], half["message"]) == (
        False, "keep screening: 95% recall is not yet shown with 95% confidence for ben")


def test_screen_check_says_what_a_deleted_row_or_renamed_column_does(
        review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 16.10: a deleted row or a renamed decision column was not even seen by `screen check`."""
    path = review / TA / "ana.csv"
    config = str(review / "config/config.yaml")
    spreadsheet_edit(path, {"pubmed:1": {"decision": "include"}, "pubmed:2": {"decision": "exclude"}})
    run(review, protocol(["ana", "ben"]))
    saved = path.read_bytes().decode("utf-8-sig")
    path.write_bytes("\r\n".join(line for line in saved.split("\r\n") if not line.startswith("pubmed:2,")).encode())
    assert main(["screen", "check", str(path), "--config", config]) == 0
    out = capsys.readouterr().out
    assert "OK, 6 rows, 2 with a decision" in out  # the deleted row is counted as it will come back
    assert "note: " in out and "1 row(s) with typed cells were missing" in out and "pubmed:2" in out
    path.write_bytes(saved.replace("record_id,title,decision,", "record_id,title,Entscheidung,", 1).encode())
    assert main(["screen", "check", str(path), "--config", config]) == 2
    err = capsys.readouterr().err
    assert "row 1, field 'decision'" in err and "rename 'Entscheidung' back to 'decision'" in err
