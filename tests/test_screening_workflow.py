"""Two screeners play through the demo with real files and real snakemake runs; nothing is lost.

Decisions are typed the way spreadsheets save them (rows reordered, semicolons, BOM or
none, CRLF or LF, UTF-16, an added column), then the workflow is rerun, forced, and run on
a deleted results/ folder after a protocol change and with new records in an export.
After each run every typed cell is still there and the counts add up.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_snakemake
from litsieve.studies import read_studies
from screening_helpers import person_cells, read_rows, spreadsheet_edit, state

pytestmark = pytest.mark.slow

PEOPLE = "screening"
TARGET = "results/screening/status.json"
TA = f"{PEOPLE}/title_abstract"
FT = f"{PEOPLE}/full_text"
CONFLICTS_TA = f"{PEOPLE}/conflicts/title_abstract.csv"
PERSON_FILES = {
    f"{TA}/screener_a.csv": ("decision", "reason", "note", "my tags"),
    f"{TA}/screener_b.csv": ("decision", "reason", "note"),
    f"{FT}/screener_a.csv": ("retrieval", "decision", "reason", "note"),
    f"{FT}/screener_b.csv": ("retrieval", "decision", "reason", "note"),
    CONFLICTS_TA: ("resolution", "reason", "note"),
}
NEW_RIS_RECORDS = "".join(
    f"TY  - JOUR\r\nT1  - Peer support groups for adults with severe mental illness: trial {n}\r\n"
    f"A1  - Newcomer, Alex\r\nY1  - 2014///\r\nJF  - Psychiatric Services\r\n"
    f"AB  - A randomised trial of peer support for adult users of mental health services ({n}).\r\n"
    f"LA  - English\r\nM3  - Journal Article\r\nN1  - Accession Number: 2014-9999{n}-001\r\nER  - \r\n\r\n"
    for n in (1, 2)
)


def typed(review: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Every cell people typed, file by file (including what sits in orphan files)."""
    cells = {name: person_cells(review / name, columns) for name, columns in PERSON_FILES.items()}
    for name, columns in PERSON_FILES.items():
        orphan = review / PEOPLE / "orphans" / Path(name).relative_to(PEOPLE)
        if orphan.exists():
            for record_id, values in person_cells(orphan, columns).items():
                cells[name].setdefault(record_id, values)
    return cells


def status(review: Path) -> dict:
    return json.loads((review / "results/screening/status.json").read_text(encoding="utf-8"))


def run(review: Path, *args: str):
    """The workflow up to the screening state (the report's rules are tested elsewhere)."""
    return run_snakemake(review, *args, TARGET)


def assert_quiet(review: Path) -> None:
    dry = run(review, "-n")
    assert "Nothing to be done" in dry.stdout + dry.stderr, dry.stdout + dry.stderr


def test_two_screeners_through_the_demo_never_lose_a_decision(workflow_dir: Path) -> None:
    review = workflow_dir
    first = run(review)
    assert "Waiting for people" in first.stdout + first.stderr
    pool = review / "results/screening/pool.csv"
    _, pool_rows, _ = read_rows(pool)
    _, queue, _ = read_rows(review / TA / "screener_a.csv")
    # A notice (an erratum deduplication linked to its article) is screened with its report, in no queue.
    following = read_studies(review / "results/dedup/clusters.csv").followers(r["record_id"] for r in pool_rows)
    assert len(queue) == len(pool_rows) - len(following) >= 20
    assert not {row["record_id"] for row in queue} & set(following)
    ids = [row["record_id"] for row in queue]

    # Round 1: both screeners decide the first twelve rows; they disagree on two.
    a = {i: {"decision": "include"} for i in ids[:6]}
    a.update({i: {"decision": "exclude", "reason": "children"} for i in ids[6:12]})
    a[ids[0]]["note"] = "=check the sample; ask Bea"
    a[ids[1]]["my tags"] = "RCT"
    b = {i: {"decision": "Include "} for i in ids[:5]}
    b[ids[5]] = {"decision": "exclude", "reason": "other", "note": "online only?"}
    b.update({i: {"decision": "EXCLUDE"} for i in ids[6:11]})
    b[ids[11]] = {"decision": "maybe"}
    spreadsheet_edit(review / TA / "screener_a.csv", a, delimiter=";", bom=True, crlf=True, reverse=True,
                     extra_column="my tags")
    spreadsheet_edit(review / TA / "screener_b.csv", b, delimiter=",", bom=False, crlf=False, sort_by="title",
                     encoding="utf-16")
    run(review)
    before = typed(review)
    assert before[f"{TA}/screener_a.csv"][ids[0]]["note"] == "=check the sample; ask Bea"
    assert before[f"{TA}/screener_a.csv"][ids[1]]["my tags"] == "RCT"
    final = state(review / "results/screening/title_abstract.csv")
    assert [final[i]["decision"] for i in ids[:12]] == ["include"] * 5 + ["conflict"] + ["exclude"] * 5 + ["conflict"]
    _, conflicts, _ = read_rows(review / CONFLICTS_TA)
    assert sorted(c["record_id"] for c in conflicts) == sorted([ids[5], ids[11]])
    _, full_text, _ = read_rows(review / FT / "screener_a.csv")
    assert sorted(r["record_id"] for r in full_text) == sorted(ids[:5])
    counts = status(review)["title_abstract"]
    assert counts["screeners"]["screener_a"]["done"] == 12 and counts["screeners"]["screener_b"]["done"] == 12
    assert counts["decisions"]["include"] == 5 and counts["decisions"]["exclude"] == 5
    # A notice waits with the report it follows.
    waiting_notices = sum(1 for head in following.values() if head not in ids[:12])
    assert counts["decisions"]["conflict"] == 2 and counts["decisions"]["awaiting"] == len(ids) - 12 + waiting_notices

    # Round 2: the third person resolves one conflict, full text begins; a forced full rerun.
    spreadsheet_edit(review / CONFLICTS_TA, {ids[5]: {"resolution": "include", "note": "blended delivery"}})
    spreadsheet_edit(review / FT / "screener_a.csv", {
        ids[0]: {"retrieval": "retrieved", "decision": "include"},
        ids[1]: {"retrieval": "retrieved", "decision": "exclude", "reason": "Children and young people"},
        ids[2]: {"retrieval": "not retrieved"},
    }, delimiter=";")
    run(review, "--forceall")
    assert_quiet(review)
    _, full_text, _ = read_rows(review / FT / "screener_a.csv")
    assert sorted(r["record_id"] for r in full_text) == sorted(ids[:6])
    after_force = typed(review)
    for name, cells in before.items():
        for record_id, values in cells.items():
            assert after_force[name][record_id] == values, (name, record_id)
    ft = status(review)["full_text"]
    assert ft["records"] == 6 and ft["screeners"]["screener_a"]["done"] == 3
    assert status(review)["title_abstract"]["conflicts"] == {"file": CONFLICTS_TA, "open": 1, "resolved": 1}

    # Round 3: results/ deleted, the protocol edited, and new records in an export, all at once.
    config_path = review / "config/config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["review"]["title"] += " (updated)"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    ris = next(Path(f) for s in config["sources"] for f in s["files"] if f.endswith(".ris"))
    with open(review / ris, "ab") as handle:
        handle.write(NEW_RIS_RECORDS.encode("utf-8"))
    shutil.rmtree(review / "results")
    run(review)
    assert_quiet(review)
    _, queue, _ = read_rows(review / TA / "screener_a.csv")
    new = [row for row in queue if "trial 1" in row["title"] or "trial 2" in row["title"]]
    assert len(new) == 2 and all(not row["decision"] for row in new)
    assert len(queue) == len(ids) + 2
    final_cells = typed(review)
    for name, cells in after_force.items():
        for record_id, values in cells.items():
            assert final_cells[name][record_id] == values, (name, record_id)
    counts = status(review)["title_abstract"]
    assert counts["records"] == len(pool_rows) + 2  # the notices too: screened with their report
    assert counts["screeners"]["screener_a"]["waiting"] == len(ids) + 2 - 12
    assert counts["decisions"]["include"] == 6 and counts["decisions"]["conflict"] == 1
    assert status(review)["full_text"]["screeners"]["screener_a"]["done"] == 3
