"""Screening stages over small record sets: queues, two screeners, conflicts, full text, status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from litsieve.errors import ScreeningFileError
from litsieve.screening.agreement import cohen_kappa
from litsieve.screening.status import summary_lines

from screening_helpers import person_cells, protocol, read_rows, record, run, spreadsheet_edit, state, write_pool

TA = "screening/title_abstract"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    write_pool(tmp_path, [record(i) for i in range(1, 9)])
    return tmp_path


def test_queue_has_the_screener_columns_in_priority_order(review: Path) -> None:
    run(review, protocol(["ana"]))
    path = review / TA / "ana.csv"
    # Issue 16.11: what the screener types comes right after the id and title, and row 2 says what to type.
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrecord_id,title,decision,reason,note,suggestion,why,study,priority,abstract,"
                           b"authors,year,journal,doi,link,criteria,evidence\r\n(what to type),")
    assert b"include, exclude or maybe" in data.split(b"\r\n")[1]
    _, rows, _ = read_rows(path)
    assert [r["priority"] for r in rows] == [str(i) for i in range(1, 9)]
    assert [r["suggestion"] for r in rows] == ["include"] * 2 + ["unsure"] * 3 + ["exclude"] * 3
    assert rows[0]["link"] == f"https://doi.org/{rows[0]['doi']}"
    assert rows[0]["authors"] == "Smith, Ann; Jones, Bo"
    assert rows[0]["evidence"] == "'=[peer support]"  # from a database: neutralised


def test_two_screeners_blind_conflicts_kappa_and_moving_on(review: Path) -> None:
    config = protocol(["ana", "ben"], ["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {
        "pubmed:1": {"decision": "include"}, "pubmed:2": {"decision": "Exclude", "reason": "children"},
        "pubmed:3": {"decision": "include"}, "pubmed:4": {"decision": "exclude"},
    }, delimiter=";", reverse=True)
    spreadsheet_edit(review / TA / "ben.csv", {
        "pubmed:1": {"decision": "include"}, "pubmed:2": {"decision": "include"},
        "pubmed:3": {"decision": "maybe"}, "pubmed:4": {"decision": "exclude", "note": "not MH"},
    }, bom=False, crlf=False)
    status = run(review, config)

    # Blind: neither file shows the other screener's decisions.
    assert "not MH" not in (review / TA / "ana.csv").read_text(encoding="utf-8-sig")
    assert person_cells(review / TA / "ana.csv")["pubmed:1"] == {"decision": "include", "reason": "", "note": ""}
    assert person_cells(review / TA / "ana.csv")["pubmed:2"]["decision"] == "Exclude"  # as typed

    final = state(review / "results/screening/title_abstract.csv")
    assert final["pubmed:1"]["decision"] == "include" and final["pubmed:1"]["basis"] == "agreement"
    assert final["pubmed:2"]["decision"] == "conflict"
    assert final["pubmed:3"]["decision"] == "include"  # maybe moves on like an include
    assert final["pubmed:4"]["decision"] == "exclude"
    assert final["pubmed:5"]["decision"] == "awaiting"
    assert final["pubmed:2"]["decision_ana"] == "exclude"
    assert final["pubmed:2"]["reason_ana"] == "Children and young people"

    _, conflicts, _ = read_rows(review / "screening/conflicts/title_abstract.csv")
    assert [(c["record_id"], c["status"], c["ana decision"], c["ben decision"]) for c in conflicts] == [
        ("pubmed:2", "open", "exclude", "include")]

    # Only agreed includes move on to full text.
    _, full_text, _ = read_rows(review / "screening/full_text/ana.csv")
    assert sorted(r["record_id"] for r in full_text) == ["pubmed:1", "pubmed:3"]

    agreement = json.loads((review / "results/screening/agreement.json").read_text())["title_abstract"]
    assert agreement["both_decided"] == 4 and agreement["agreed"] == 3
    assert agreement["raw_agreement"] == 0.75
    assert agreement["kappa"] == pytest.approx(cohen_kappa([("include", "include"), ("exclude", "include"),
                                                            ("include", "include"), ("exclude", "exclude")]), abs=1e-4)
    ana = status["title_abstract"]["screeners"]["ana"]
    assert (ana["file"], ana["done"], ana["waiting"]) == (f"{TA}/ana.csv", 4, 4)
    assert ana["stopping"]["screened"] == 4 and ana["stopping"]["relevant_found"] == 2
    assert not ana["stopping"]["may_stop"]
    assert status["title_abstract"]["conflicts"]["open"] == 1
    assert {"file": "screening/conflicts/title_abstract.csv", "who": "third person", "records": 1} in \
        status["waiting_for_people"]

    # The third person resolves; the record moves on.
    spreadsheet_edit(review / "screening/conflicts/title_abstract.csv", {"pubmed:2": {"resolution": "include"}})
    status = run(review, config)
    final = state(review / "results/screening/title_abstract.csv")
    assert final["pubmed:2"]["decision"] == "include" and final["pubmed:2"]["basis"] == "resolution"
    _, full_text, _ = read_rows(review / "screening/full_text/ana.csv")
    assert sorted(r["record_id"] for r in full_text) == ["pubmed:1", "pubmed:2", "pubmed:3"]
    assert status["title_abstract"]["conflicts"] == {
        "file": "screening/conflicts/title_abstract.csv", "open": 0, "resolved": 1}
    lines = "\n".join(summary_lines(status))
    assert "ana: 4 done, 4 waiting" in lines and "0 open, 1 resolved" in lines

    # The screeners later agree: the resolution row stays, and still decides.
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:2": {"decision": "include", "reason": ""}})
    run(review, config)
    _, conflicts, _ = read_rows(review / "screening/conflicts/title_abstract.csv")
    assert [(c["record_id"], c["status"], c["resolution"]) for c in conflicts] == [
        ("pubmed:2", "resolved; the screeners now agree", "include")]


def test_maybe_goes_to_the_third_person_when_the_protocol_says_so(review: Path) -> None:
    config = protocol(["ana", "ben"], maybe="conflict")
    run(review, config)
    for name in ("ana", "ben"):
        spreadsheet_edit(review / TA / f"{name}.csv", {"pubmed:1": {"decision": "maybe"}})
    run(review, config)
    assert state(review / "results/screening/title_abstract.csv")["pubmed:1"]["decision"] == "conflict"


def test_one_screener_decides_alone(review: Path) -> None:
    config = protocol(["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "include"}, "pubmed:2": {"decision": "exclude"}})
    status = run(review, config)
    final = state(review / "results/screening/title_abstract.csv")
    assert (final["pubmed:1"]["decision"], final["pubmed:1"]["basis"]) == ("include", "single screener")
    assert final["pubmed:2"]["decision"] == "exclude"
    assert json.loads((review / "results/screening/agreement.json").read_text())["title_abstract"]["kappa"] is None
    assert status["full_text"]["records"] == 1


def test_undecided_rows_come_first(review: Path) -> None:
    config = protocol(["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:3": {"decision": "include"}, "pubmed:6": {"decision": "exclude"}})
    run(review, config)
    _, rows, _ = read_rows(review / TA / "ana.csv")
    decided = [bool(r["decision"]) for r in rows]
    assert decided == [False] * 6 + [True] * 2


def full_text_ready(review: Path) -> dict[str, Any]:
    config = protocol(["ana"], ["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {f"pubmed:{i}": {"decision": "include"} for i in (1, 2, 3)})
    run(review, config)
    return config


def test_full_text_retrieval_reasons_and_final_state(review: Path) -> None:
    config = full_text_ready(review)
    path = review / "screening/full_text/ana.csv"
    header, rows, _ = read_rows(path)
    assert header == ["record_id", "title", "retrieval", "decision", "reason", "note", "study", "authors", "year",
                      "journal", "doi", "link", "sources"]
    spreadsheet_edit(path, {
        "pubmed:1": {"retrieval": "retrieved", "decision": "include"},
        "pubmed:2": {"retrieval": "retrieved", "decision": "exclude", "reason": "Children and young people"},
        "pubmed:3": {"retrieval": "Not retrieved", "note": "asked the authors"},
    }, delimiter=";")
    status = run(review, config)
    final = state(review / "results/screening/full_text.csv")
    assert {k: (v["decision"], v["reason"]) for k, v in final.items()} == {
        "pubmed:1": ("include", ""), "pubmed:2": ("exclude", "Children and young people"),
        "pubmed:3": ("not_retrieved", "")}
    assert status["full_text"]["decisions"]["not_retrieved"] == 1
    assert status["full_text"]["screeners"]["ana"]["waiting"] == 0


@pytest.mark.parametrize("edit,field,words", [
    ({"decision": "exclude"}, "reason", "without a reason"),
    ({"retrieval": "not retrieved", "decision": "include"}, "retrieval", "not retrieved"),
    ({"decision": "exclude", "reason": "too boring"}, "reason", "not a valid reason"),
])
def test_full_text_errors_name_row_and_column_and_lose_nothing(review: Path, edit: dict[str, str], field: str,
                                                                words: str) -> None:
    config = full_text_ready(review)
    path = review / "screening/full_text/ana.csv"
    spreadsheet_edit(path, {"pubmed:1": {"decision": "include", "note": "keep me"}, "pubmed:2": edit})
    before = path.read_bytes()
    with pytest.raises(ScreeningFileError) as info:
        run(review, config)
    _, rows, _ = read_rows(path)
    row = [r["record_id"] for r in rows].index("pubmed:2") + 3  # the header, then the row saying what to type
    assert info.value.location.file.endswith("full_text/ana.csv")
    assert (info.value.location.row, info.value.location.field) == (row, field)
    assert words in str(info.value)
    assert path.read_bytes() == before


def test_new_records_are_appended_and_vanished_ones_kept_as_orphans(review: Path) -> None:
    config = protocol(["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "include"}, "pubmed:8": {"decision": "exclude",
                                                                                             "note": "wrong group"}})
    write_pool(review, [record(i) for i in [*range(1, 8), 9, 10]])
    status = run(review, config)
    cells = person_cells(review / TA / "ana.csv")
    assert set(cells) == {"pubmed:1"}
    orphans = person_cells(review / "screening/orphans/title_abstract/ana.csv")
    assert orphans == {"pubmed:8": {"decision": "exclude", "reason": "", "note": "wrong group"}}
    assert status["title_abstract"]["records"] == 9
    _, rows, _ = read_rows(review / TA / "ana.csv")
    assert {"pubmed:9", "pubmed:10"} <= {r["record_id"] for r in rows}


def test_a_decision_follows_its_work_when_deduplication_changes_the_representative(review: Path) -> None:
    config = protocol(["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "include", "note": "seen"}})
    records = [record(i) for i in range(2, 9)]
    records.append(record(1, record_id="psycinfo:77", extra={"dedup_source_ids": ["psycinfo:77", "pubmed:1"]}))
    write_pool(review, records)
    run(review, config)
    assert person_cells(review / TA / "ana.csv") == {"psycinfo:77": {"decision": "include", "reason": "", "note": "seen"}}
    assert state(review / "results/screening/title_abstract.csv")["psycinfo:77"]["decision"] == "include"


def test_cohen_kappa_textbook_value() -> None:
    # 20 both yes, 15 both no, 5 and 10 disagreements: p_o = 0.7, p_e = 0.5.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("y", "y")] * 3) is None
    assert cohen_kappa([]) is None


def test_full_text_disagreement_on_retrieval_is_resolved_by_the_third_person(review: Path) -> None:
    config = protocol(["ana"], ["ana", "ben"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {"pubmed:1": {"decision": "include"}})
    run(review, config)
    spreadsheet_edit(review / "screening/full_text/ana.csv", {"pubmed:1": {"retrieval": "not retrieved"}})
    spreadsheet_edit(review / "screening/full_text/ben.csv", {"pubmed:1": {"retrieval": "retrieved", "decision": "include"}})
    run(review, config)
    assert state(review / "results/screening/full_text.csv")["pubmed:1"]["decision"] == "conflict"
    conflicts = review / "screening/conflicts/full_text.csv"
    _, rows, _ = read_rows(conflicts)
    assert (rows[0]["ana retrieval"], rows[0]["ben decision"]) == ("not retrieved", "include")

    spreadsheet_edit(conflicts, {"pubmed:1": {"resolution": "exclude"}})
    with pytest.raises(ScreeningFileError) as info:
        run(review, config)
    assert (info.value.location.row, info.value.location.field) == (3, "reason")
    spreadsheet_edit(conflicts, {"pubmed:1": {"resolution": "Not Retrieved"}})
    status = run(review, config)
    final = state(review / "results/screening/full_text.csv")["pubmed:1"]
    assert (final["decision"], final["basis"]) == ("not_retrieved", "resolution")
    assert status["full_text"]["conflicts"]["resolved"] == 1


KNEE = "Knee surgery outcomes in older patients after arthroplasty"
PEER = "Peer support groups for adults using mental health services"
STABLE = ["pubmed:6", "pubmed:1", "pubmed:4", "pubmed:7", "pubmed:5", "pubmed:8"]  # suggestion, then id


@pytest.fixture
def two_topics(tmp_path: Path) -> Path:
    """Eight records on two unrelated topics, so a ranked queue visibly differs from the stable one."""
    write_pool(tmp_path, [record(i, title=KNEE if i in (1, 2, 5, 8) else PEER, abstract=f"{KNEE if i in (1, 2, 5, 8) else PEER} {i}")
                          for i in range(1, 9)])
    return tmp_path


def undecided_order(path: Path) -> list[str]:
    _, rows, _ = read_rows(path)
    return [row["record_id"] for row in rows if not row["decision"]]


KNEE_FIRST = ["pubmed:1", "pubmed:5", "pubmed:8"]
PEER_FIRST = ["pubmed:4", "pubmed:6", "pubmed:7"]


def ranked_like(order: list[str], first: list[str]) -> bool:
    return sorted(order[:3]) == first and order != STABLE


@pytest.mark.parametrize("enabled", [True, False])
def test_ranking_enabled_in_the_protocol_decides_whether_the_queue_is_ranked(two_topics: Path, enabled: bool) -> None:
    config = protocol(["ana"])
    config = config._replace(ranking=config.ranking._replace(enabled=enabled))
    run(two_topics, config)
    spreadsheet_edit(two_topics / TA / "ana.csv", {"pubmed:2": {"decision": "include"},
                                                   "pubmed:3": {"decision": "exclude"}})
    status = run(two_topics, config)
    order = undecided_order(two_topics / TA / "ana.csv")
    # Ranked: the records like the include (knee surgery) come first; disabled: the stable order.
    assert ranked_like(order, KNEE_FIRST) if enabled else order == STABLE
    assert status["title_abstract"]["screeners"]["ana"]["ranking"]["ranked"] is enabled


@pytest.mark.parametrize("maybe,edits,expected", [
    # A third person decides maybes: a maybe is no label at all, so one include alone keeps the stable order.
    ("conflict", {"pubmed:2": {"decision": "include"}, "pubmed:3": {"decision": "maybe"}}, STABLE),
    # Maybes move on like includes: a maybe is a positive label, never a negative one.
    ("include", {"pubmed:2": {"decision": "exclude"}, "pubmed:3": {"decision": "maybe"}}, PEER_FIRST),
])
def test_a_maybe_is_never_trained_on_as_an_exclusion(two_topics: Path, maybe: str, edits: dict[str, dict[str, str]],
                                                     expected: list[str]) -> None:
    config = protocol(["ana"], maybe=maybe)
    run(two_topics, config)
    spreadsheet_edit(two_topics / TA / "ana.csv", edits)
    run(two_topics, config)
    order = undecided_order(two_topics / TA / "ana.csv")
    assert order == STABLE if expected == STABLE else ranked_like(order, expected)
