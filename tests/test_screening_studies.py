"""Reports of one study in the screening queues (issue 10): notices follow the report they
are about, other reports are screened as reports of their study, nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from litsieve.screening.pool import build_pool
from litsieve.stagefiles import ClusterRow
from litsieve.studies import Studies, read_studies
from protocols import demo_protocol
from screening_helpers import (person_cells, protocol, read_rows, record, run, spreadsheet_edit, state,
                               write_clusters, write_pool)

TA = "screening/title_abstract"
FT = "screening/full_text"
P = "pubmed:"
# pubmed:1 is a trial report with an erratum (2) and a retraction notice (3);
# pubmed:4 is the conference abstract of pubmed:5, which has a comment (6) and the authors' reply (7);
# pubmed:8 is a study of its own.
LINKS = {
    f"{P}2": (f"{P}1", "erratum of", f"{P}1"),
    f"{P}3": (f"{P}1", "retraction notice of", f"{P}1"),
    f"{P}4": (f"{P}5", "conference abstract of", f"{P}5"),
    f"{P}6": (f"{P}5", "comment on", f"{P}5"),
    f"{P}7": (f"{P}5", "reply to", f"{P}6"),
}
IDS = [f"{P}{i}" for i in range(1, 9)]


@pytest.fixture
def review(tmp_path: Path) -> Path:
    write_pool(tmp_path, [record(i) for i in range(1, 9)])
    write_clusters(tmp_path, LINKS, IDS, {f"{P}1": "retracted"})
    return tmp_path


def queue(path: Path) -> dict[str, dict[str, str]]:
    return {row["record_id"]: row for row in read_rows(path)[1]}


def test_notices_are_not_screened_on_their_own_and_are_shown_with_their_report(review: Path) -> None:
    run(review, protocol(["ana"]))
    rows = queue(review / TA / "ana.csv")
    assert sorted(rows) == [f"{P}1", f"{P}4", f"{P}5", f"{P}8"]
    assert rows[f"{P}1"]["study"] == f"RETRACTED; has erratum {P}2; retraction notice {P}3"
    # The comment follows the article, the reply follows the comment, so both show on the article.
    assert rows[f"{P}5"]["study"] == (f"comment by others {P}6; reply by the authors {P}7; "
                                      f"other report of study {P}5: {P}4")
    # A conference abstract is screened, as a report of its study.
    assert rows[f"{P}4"]["study"] == f"conference abstract of {P}5; other report of study {P}5: {P}5"
    assert rows[f"{P}8"]["study"] == ""


def test_notices_take_the_decisions_of_their_report_at_both_stages(review: Path) -> None:
    config = protocol(["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {f"{P}1": {"decision": "include"}, f"{P}4": {"decision": "include"},
                                               f"{P}5": {"decision": "exclude", "reason": "children"},
                                               f"{P}8": {"decision": "include"}})
    status = run(review, config)
    ta = state(review / "results/screening/title_abstract.csv")
    assert len(ta) == 8  # every record screened, the notices with their report
    assert {k: (ta[k]["decision"], ta[k]["basis"]) for k in (f"{P}2", f"{P}3", f"{P}6", f"{P}7")} == {
        f"{P}2": ("include", "with its study"), f"{P}3": ("include", "with its study"),
        f"{P}6": ("exclude", "with its study"), f"{P}7": ("exclude", "with its study")}
    assert ta[f"{P}6"]["reason"] == ta[f"{P}5"]["reason"] != ""
    # Nobody waits for a notice: ana has screened all she has to.
    assert status["title_abstract"]["screeners"]["ana"]["waiting"] == 0
    assert status["title_abstract"]["records"] == 8

    assert sorted(queue(review / FT / "ana.csv")) == [f"{P}1", f"{P}4", f"{P}8"]
    assert queue(review / FT / "ana.csv")[f"{P}1"]["study"].startswith("RETRACTED; has erratum")
    spreadsheet_edit(review / FT / "ana.csv", {f"{P}1": {"retrieval": "retrieved", "decision": "include"}})
    run(review, config)
    ft = state(review / "results/screening/full_text.csv")
    assert sorted(ft) == [f"{P}1", f"{P}2", f"{P}3", f"{P}4", f"{P}8"]
    assert (ft[f"{P}2"]["decision"], ft[f"{P}3"]["decision"]) == ("include", "include")
    assert ft[f"{P}4"]["decision"] == "awaiting"


def test_a_decided_record_that_becomes_a_notice_keeps_its_row_and_decision(review: Path) -> None:
    (review / "results/dedup/clusters.csv").unlink()  # before the links were found
    config = protocol(["ana"])
    run(review, config)
    spreadsheet_edit(review / TA / "ana.csv", {f"{P}2": {"decision": "exclude", "note": "an erratum"},
                                               f"{P}1": {"decision": "include"}})
    write_clusters(review, LINKS, IDS, {f"{P}1": "retracted"})
    run(review, config)
    rows = queue(review / TA / "ana.csv")
    assert person_cells(review / TA / "ana.csv")[f"{P}2"] == {"decision": "exclude", "reason": "", "note": "an erratum"}
    assert rows[f"{P}2"]["study"].startswith(f"erratum of {P}1: not screened on its own, it follows {P}1")
    assert f"{P}3" not in rows  # undecided notices leave the queue: nothing was typed in them
    ta = state(review / "results/screening/title_abstract.csv")
    assert (ta[f"{P}2"]["decision"], ta[f"{P}2"]["basis"]) == ("include", "with its study")
    assert not (review / "screening/orphans").exists()
    # The links undone: the row is a record of its own again, with what was typed.
    write_clusters(review, {}, IDS)
    run(review, config)
    assert state(review / "results/screening/title_abstract.csv")[f"{P}2"]["decision"] == "exclude"
    assert queue(review / TA / "ana.csv")[f"{P}2"]["study"] == ""


@pytest.mark.parametrize("clusters", ["without study columns", "missing"])
def test_clusters_without_study_links_screen_every_record(review: Path, clusters: str) -> None:
    if clusters == "missing":
        (review / "results/dedup/clusters.csv").unlink()
    else:
        write_clusters(review, LINKS, IDS, study_columns=False)
    run(review, protocol(["ana"]))
    rows = queue(review / TA / "ana.csv")
    assert sorted(rows) == IDS
    assert {row["study"] for row in rows.values()} == {""}


def test_notices_join_the_pool_with_their_report_whatever_the_query_says(tmp_path: Path) -> None:
    # An erratum has no abstract and a title the intended query does not match; a comment
    # on a report that the year limit removed is screened on its own (and matches).
    article = record(1, title="Peer support in mental health services", year=2010, language="English")
    erratum = record(2, title="Erratum", abstract="", year=2011, language="English")
    removed = record(3, title="Peer support and mental health", year=1985, language="English")
    comment = record(4, title="Comment: peer support and mental health", year=2001, language="English")
    path = write_clusters(tmp_path, {f"{P}2": (f"{P}1", "erratum of", f"{P}1"),
                                     f"{P}4": (f"{P}3", "comment on", f"{P}3")}, [f"{P}{i}" for i in (1, 2, 3, 4)])
    config = demo_protocol()
    records = [article, erratum, removed, comment]
    pool = build_pool(records, config.search, config.criteria, (), read_studies(path))
    assert [r.record_id for r in pool.records] == [f"{P}1", f"{P}2", f"{P}4"]
    assert [r.record_id for r in pool.removed] == [f"{P}3"]
    assert [s.record_id for s in pool.suggestions] == [f"{P}1", f"{P}2", f"{P}4"]
    assert read_studies(path).followers([r.record_id for r in pool.records]) == {f"{P}2": f"{P}1"}
    # Without the links the erratum is removed: the intended query does not match it.
    alone = build_pool(records, config.search, config.criteria, (), Studies())
    assert [r.record_id for r in alone.records] == [f"{P}1", f"{P}4"]
    assert {r.record_id: r.category for r in alone.removed} == {f"{P}2": "other", f"{P}3": "automation"}


def test_notices_pointing_at_each_other_are_each_screened(tmp_path: Path) -> None:
    path = write_clusters(tmp_path, {f"{P}1": (f"{P}1", "comment on", f"{P}2"),
                                     f"{P}2": (f"{P}1", "reply to", f"{P}1")}, [f"{P}1", f"{P}2"])
    assert read_studies(path).followers([f"{P}1", f"{P}2"]) == {}


def test_links_name_clusters_and_the_kept_record_carries_them() -> None:
    # Deduplication names a cluster by its smallest record id, which need not be the record
    # it kept: a link to the cluster reaches the kept record.
    def row(record_id: str, cluster: str, kept: bool, study: str, relation: str = "", related: str = "",
            flags: str = "") -> ClusterRow:
        return ClusterRow(record_id, cluster, kept, "x", {"study_id": study, "relation": relation,
                                                          "related_to": related, "study_flags": flags})

    studies = Studies.from_clusters([
        row("psycinfo:1", "psycinfo:1", False, "psycinfo:1", flags="expression of concern"),
        row("pubmed:1", "psycinfo:1", True, "psycinfo:1", flags="expression of concern"),
        row("pubmed:2", "pubmed:2", True, "psycinfo:1", "erratum of", "psycinfo:1", "expression of concern"),
        row("pubmed:3", "pubmed:3", True, "pubmed:3", "said to be about", "pubmed:1"),  # not a relation litsieve knows
        row("pubmed:4", "pubmed:4", True, "pubmed:4", "comment on", "pubmed:99"),  # about a record not in the review
    ])
    assert studies.followers(["pubmed:1", "pubmed:2", "pubmed:3", "pubmed:4"]) == {"pubmed:2": "pubmed:1"}
    study = studies.study_of("pubmed:2")
    assert (study.study_id, study.main, study.record_ids) == ("psycinfo:1", "pubmed:1", ("pubmed:1", "pubmed:2"))
    assert study.flag_text == "EXPRESSION OF CONCERN" and not study.retracted
    assert studies.cells(["pubmed:1", "pubmed:3"], {"pubmed:2": "pubmed:1"}) == {
        "pubmed:1": "EXPRESSION OF CONCERN; has erratum pubmed:2", "pubmed:3": ""}
    assert studies.study_of("pubmed:9").record_ids == ("pubmed:9",)  # unknown: a study of its own
