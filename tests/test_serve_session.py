"""The screening page's sessions, without a browser: decisions land in the files the workflow reads.

A small review (12 records, two screeners) is set up with the workflow's own screening
functions; the session decides, undoes, skips, meets spreadsheet saves, and the next
workflow run (the same functions) must count exactly what was decided.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

import pytest

from litsieve.errors import ServeError
from litsieve.records_io import read_records
from litsieve.screening.order import decision_order
from litsieve.screening.queue import labels_from, priority_order
from litsieve.stagefiles import read_suggestions
from litsieve.serve.adjudication import ConflictSession
from litsieve.serve.app import create_app
from litsieve.serve.session import ScreeningSession
from screening_helpers import person_cells, protocol, record, run, spreadsheet_edit, state, write_clusters, write_pool

TA = "title_abstract"
FT = "full_text"


@pytest.fixture
def review(tmp_path: Path):
    p = protocol(["ana", "ben"], ["ana", "ben"])
    records = [record(i) for i in range(1, 13)]
    records[0].title = "Online peer support forum for adolescents"
    write_pool(tmp_path, records)
    run(tmp_path, p)
    return tmp_path, p


@pytest.fixture
def ana(review) -> Iterator[ScreeningSession]:
    root, p = review
    session = ScreeningSession(root, p, TA, "ana")
    session.start()
    assert session.wait_ready()
    yield session
    session.stop()


def queue(root: Path, name: str, stage: str = TA) -> Path:
    return root / "screening" / stage / f"{name}.csv"


def test_decisions_reach_the_file_the_order_log_and_the_next_workflow_run(review, ana: ScreeningSession) -> None:
    root, p = review
    first = ana.next_key()
    ana.decide(first, "include", note="=a note, as typed")
    second = ana.next_key()
    ana.decide(second, "exclude", reason="children")
    third = ana.next_key()
    ana.decide(third, "Maybe")
    assert person_cells(queue(root, "ana")) == {
        first: {"decision": "include", "reason": "", "note": "=a note, as typed"},
        second: {"decision": "exclude", "reason": "children", "note": ""},
        third: {"decision": "maybe", "reason": "", "note": ""},
    }
    assert decision_order(root / "screening", TA, "ana") == [first, second, third]
    assert ana.counts().decided == 3 and ana.counts().includes == 2  # a maybe moves on like an include
    run(root, p)
    rows = state(root / "results/screening/title_abstract.csv")
    assert {k: (r["decision_ana"], r["order_ana"]) for k, r in rows.items() if r["decision_ana"]} == {
        first: ("include", "1"), second: ("exclude", "2"), third: ("maybe", "3")}
    assert rows[second]["reason_ana"] == "Children and young people"


def test_undo_gives_the_row_back_what_it_had(review, ana: ScreeningSession) -> None:
    root, _ = review
    key = ana.next_key()
    ana.decide(key, "include")
    ana.decide(key, "exclude", reason="online_only", note="changed my mind")
    ack = ana.undo()
    assert ack is not None and ack.key == key
    assert person_cells(queue(root, "ana")) == {key: {"decision": "include", "reason": "", "note": ""}}
    ana.undo()
    assert person_cells(queue(root, "ana")) == {}
    assert decision_order(root / "screening", TA, "ana") == []
    assert ana.undo() is None
    assert ana.next_key() == key


def test_skip_next_and_previous(ana: ScreeningSession) -> None:
    first = ana.next_key()
    ana.skip(first)
    second = ana.next_key()
    assert second != first and ana.undecided()[-1] == first
    ana.decide(second, "include")
    third = ana.next_key()
    ana.decide(third, "exclude")
    view = ana.view()
    assert view is not None and view.previous == third
    back = ana.view(third)
    assert back is not None and back.decided and back.previous == second and back.next == view.key


def test_full_text_rules_are_the_protocols(review) -> None:
    root, p = review
    ta = ScreeningSession(root, p, TA, "ana")
    tb = ScreeningSession(root, p, TA, "ben")
    for key in [r.key for r in ta.snapshot.table.rows][:3]:
        ta.decide(key, "include")
        tb.decide(key, "include")
    run(root, p)
    session = ScreeningSession(root, p, FT, "ana")
    keys = [r.key for r in session.snapshot.table.rows]
    assert len(keys) == 3
    with pytest.raises(ServeError, match="needs a reason"):
        session.decide(keys[0], "exclude")
    with pytest.raises(ServeError, match="other reason"):
        session.decide(keys[0], "exclude", reason="other")
    with pytest.raises(ServeError, match="not one of the protocol's reasons"):
        session.decide(keys[0], "exclude", reason="boring")
    with pytest.raises(ServeError, match="not a decision"):
        session.decide(keys[0], "maybe")
    session.decide(keys[0], "exclude", reason="Not an empirical quantitative or qualitative study")
    session.decide(keys[1], "not retrieved", note="asked the library")
    session.decide(keys[2], "include")
    assert person_cells(queue(root, "ana", FT), ("retrieval", "decision", "reason", "note")) == {
        keys[0]: {"retrieval": "retrieved", "decision": "exclude",
                  "reason": "Not an empirical quantitative or qualitative study", "note": ""},
        keys[1]: {"retrieval": "not retrieved", "decision": "", "reason": "", "note": "asked the library"},
        keys[2]: {"retrieval": "retrieved", "decision": "include", "reason": "", "note": ""},
    }
    assert session.view(keys[0]).cells["reason"] and session.reason_value(session.view(keys[0]).cells["reason"]) == "not_empirical"
    run(root, p)  # the workflow accepts what the page wrote


@pytest.mark.parametrize("name", ["../../x", "x/../ana", "carol", ""])
def test_the_screener_must_be_one_of_the_protocol(review, name: str) -> None:
    root, p = review
    with pytest.raises(ServeError, match="not a title/abstract screener"):
        ScreeningSession(root, p, TA, name)
    assert not (root / "x.csv").exists() and not (root.parent / "x.csv").exists()


def test_no_queue_yet_says_run_snakemake(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="snakemake"):
        ScreeningSession(tmp_path, protocol(["ana"]), TA, "ana")


def test_a_spreadsheet_save_while_serving_keeps_both(review, ana: ScreeningSession) -> None:
    root, _ = review
    path = queue(root, "ana")
    opened = path.read_bytes()  # the spreadsheet opens the file
    first = ana.next_key()
    ana.decide(first, "include")
    others = [k for k in ana.undecided()][:2]
    path.write_bytes(opened)  # and saves its stale copy with two decisions typed there
    spreadsheet_edit(path, {others[0]: {"decision": "exclude"}, others[1]: {"decision": "include", "note": "sheet"}},
                     delimiter=";")
    ana.refresh()
    assert {k: v["decision"] for k, v in person_cells(path).items()} == {
        first: "include", others[0]: "exclude", others[1]: "include"}
    assert any("saved elsewhere" in n for n in ana.notices)
    # A record decided differently in both places: the file keeps its value until the screener picks.
    target = ana.next_key()
    spreadsheet_edit(path, {target: {"decision": "exclude", "note": "typed in the sheet"}})
    ack = ana.decide(target, "include", seen={"decision": "", "reason": "", "note": ""})
    assert ack.what == "conflict"
    assert person_cells(path)[target]["decision"] == "exclude"
    view = ana.view(target)
    assert view is not None and view.pending is not None
    ana.settle(target, "page")
    assert person_cells(path)[target] == {"decision": "include", "reason": "", "note": ""}


def test_the_order_is_the_workflows_ranker_retrained_on_its_schedule(review, ana: ScreeningSession,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = review
    import litsieve.ranking

    records = read_records(root / "results/screening/pool.csv")
    suggestions = read_suggestions(root / "results/screening/suggestions.csv")

    def expected() -> list[str]:
        labels = labels_from(ana.snapshot.table, ana.spec, {}, "include")
        return priority_order(records, suggestions, labels)

    ana.decide(ana.next_key(), "include")
    ana.decide(ana.next_key(), "exclude")
    assert ana.order() == expected()  # ranked now: retrained after each of the first decisions
    monkeypatch.setattr(litsieve.ranking, "batch_size", lambda decided: 3)  # retrain every 3rd decision
    trained = ana.order()
    ana.decide(trained[0], "include")
    ana.decide(ana.next_key(), "exclude")
    assert ana.order() == trained  # two decisions: not due yet
    ana.decide(ana.next_key(), "include")
    assert ana.order() == expected() and ana.order() != trained


def test_agreement_once_both_have_finished(review) -> None:
    root, p = review
    ana, ben = ScreeningSession(root, p, TA, "ana"), ScreeningSession(root, p, TA, "ben")
    keys = [r.key for r in ana.snapshot.table.rows]
    for i, key in enumerate(keys):
        ana.decide(key, "include" if i % 2 else "exclude")
        assert ana.agreement() is None or i == len(keys) - 1
        ben.decide(key, "include" if i % 3 else "exclude")
    summary = ana.agreement()
    assert summary is not None
    run(root, p)
    import json
    workflow = json.loads((root / "results/screening/agreement.json").read_text())[TA]
    assert summary["kappa"] == workflow["kappa"] and summary["both_decided"] == len(keys)


def test_the_third_person_resolves_into_the_conflicts_file(review) -> None:
    root, p = review
    ana, ben = ScreeningSession(root, p, TA, "ana"), ScreeningSession(root, p, TA, "ben")
    keys = [r.key for r in ana.snapshot.table.rows][:3]
    ana.decide(keys[0], "include")
    ben.decide(keys[0], "exclude", reason="children", note="aged 12-16")
    ana.decide(keys[1], "include")
    ben.decide(keys[1], "include")
    third = ConflictSession(root, p, TA)
    items = third.disagreements()
    assert [i.key for i in items] == [keys[0]] and items[0].open
    assert items[0].decisions["ben"].reason == "Children and young people"
    third.resolve(keys[0], "exclude", "children", "agree with ben")
    run(root, p)
    rows = state(root / "results/screening/title_abstract.csv")
    assert rows[keys[0]]["decision"] == "exclude" and rows[keys[0]]["basis"] == "resolution"
    with open(root / "screening/conflicts/title_abstract.csv", encoding="utf-8-sig", newline="") as handle:
        conflict = {r["record_id"]: r for r in csv.DictReader(handle)}
    assert conflict[keys[0]]["note"] == "agree with ben" and conflict[keys[0]]["status"] == "resolved"
    with pytest.raises(ServeError, match="agree"):
        ConflictSession(root, p, TA).resolve(keys[1], "exclude")


def test_other_reports_of_the_study_are_listed(review, ana: ScreeningSession) -> None:
    root, p = review
    clusters = root / "results/dedup/clusters.csv"
    clusters.parent.mkdir(parents=True, exist_ok=True)
    clusters.write_text(
        "record_id,cluster_id,kept,study_id,relation,related_to\n"
        "pubmed:1,c1,true,c1,,\npubmed:2,c2,true,c1,erratum of,c1\npubmed:3,c3,true,c3,,\n", encoding="utf-8")
    session = ScreeningSession(root, p, TA, "ana")
    linked = session.view("pubmed:1").linked
    assert [(r.record_id, r.title, r.relation) for r in linked] == [("pubmed:2", "Peer support study 2", "erratum of")]
    assert session.view("pubmed:3").linked == []


def test_a_retracted_study_is_said_at_the_top_of_the_page(tmp_path: Path) -> None:
    p = protocol(["ana"])
    write_pool(tmp_path, [record(i) for i in range(1, 5)])
    write_clusters(tmp_path, {"pubmed:2": ("pubmed:1", "retraction notice of", "pubmed:1"),
                              "pubmed:3": ("pubmed:1", "conference abstract of", "pubmed:1")},
                   [f"pubmed:{i}" for i in range(1, 5)], {"pubmed:1": "retracted"})
    run(tmp_path, p)
    session = ScreeningSession(tmp_path, p, TA, "ana")
    # The notice is in no queue; the page's ranker leaves it out as the workflow's does.
    assert session.snapshot.row("pubmed:2") is None
    session.load_details()
    assert "pubmed:2" not in {r.record_id for r in session._pool}
    view = session.view("pubmed:3")
    assert view.study_flags == "RETRACTED"
    assert [(r.record_id, r.relation, r.related_to) for r in view.linked] == [
        ("pubmed:1", "", ""), ("pubmed:2", "retraction notice of", "pubmed:1")]
    assert session.view("pubmed:4").study_flags == ""
    client = create_app(session, token="t" * 24, port=8765).test_client()
    client.get(f"/?token={'t' * 24}", base_url="http://127.0.0.1:8765")
    html = client.get("/?id=pubmed:1", base_url="http://127.0.0.1:8765").get_data(as_text=True)
    assert '<p class="study-flags" id="study-flags" role="alert"><strong>RETRACTED</strong>' in html
    assert "retraction notice of pubmed:1" in html and '<strong class="notice">RETRACTION NOTICE</strong>' in html
    plain = client.get("/?id=pubmed:4", base_url="http://127.0.0.1:8765").get_data(as_text=True)
    assert 'id="study-flags"' not in plain


def test_a_broken_save_stops_saving_until_fixed_and_loses_nothing(review, ana: ScreeningSession) -> None:
    root, _ = review
    path = queue(root, "ana")
    first = ana.next_key()
    ana.decide(first, "include")
    second = ana.next_key()
    good = path.read_bytes()
    spreadsheet_edit(path, {second: {"decision": "inclde"}})  # a typo saved from the spreadsheet
    with pytest.raises(ServeError, match="cannot be read"):
        ana.decide(second, "exclude")
    assert b"inclde" in path.read_bytes()  # nothing was written over the screener's file
    view = ana.view(second)
    assert view is not None and ana.file_error
    path.write_bytes(good)  # fixed (here: restored from before the typo)
    spreadsheet_edit(path, {second: {"decision": "include"}})
    ana.refresh()  # as the next page does
    third = ana.next_key()
    assert third not in (first, second)
    view = ana.view(third)
    ana.decide(third, "exclude", seen=view.cells)
    decisions = {k: v["decision"] for k, v in person_cells(path).items()}
    assert decisions[first] == "include" and decisions[second] == "include" and len(decisions) == 3
