"""Two cores give exactly what one gives: features, pair verdicts, clusters, studies, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from litsieve.dedup import deduplicate
from litsieve.dedup import parallel
from litsieve.dedup import pipeline as P
from litsieve.dedup.blocking import candidate_pairs
from litsieve.errors import DedupError
from litsieve.importers import load_many
from litsieve.record import Record
from litsieve.records_io import RecordFile, write_records

from test_dedup_pipeline import review_set

DEMO = Path(__file__).parent.parent / "resources" / "demo"


def records() -> list[Record]:
    """The demo's exports (duplicates, study links, uncertain pairs) and the review set."""
    return load_many(sorted(DEMO.glob("*.ris")) + sorted(DEMO.glob("*.txt")) + sorted(DEMO.glob("study_links.*"))) \
        + review_set()


@pytest.fixture
def two_cores(monkeypatch):
    """Workers for any input, in chunks of a few items, so that every chunk boundary is crossed."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(P, "_FEATURE_CHUNK", 7)
    monkeypatch.setattr(P, "_PAIR_CHUNK", 5)
    monkeypatch.setenv("LITSIEVE_WORKERS", "2")


def test_workers_follow_the_setting_and_the_input_size(monkeypatch):
    monkeypatch.setenv("LITSIEVE_WORKERS", "1")
    assert parallel.workers(10**6) == 1
    monkeypatch.setenv("LITSIEVE_WORKERS", "2")
    assert parallel.workers(10**6) == 2
    assert parallel.workers(parallel.MIN_ITEMS - 1) == 1


def test_two_processes_give_the_result_of_one(two_cores, monkeypatch, tmp_path):
    given = records()
    assert len(given) > 50
    two = deduplicate(given)
    monkeypatch.setenv("LITSIEVE_WORKERS", "1")
    one = deduplicate(given)
    assert two.clusters == one.clusters and two.review_rows == one.review_rows and two.counts == one.counts
    assert [r.to_row() for r in two.records] == [r.to_row() for r in one.records]
    assert any(row["cluster_size"] != "1" for row in one.clusters)
    assert any(row["relation"] for row in one.clusters)


def test_features_from_a_record_file_on_two_cores(two_cores, monkeypatch, tmp_path):
    path = tmp_path / "all.csv"
    write_records(path, records())
    parent = os.getpid()
    two = P._features(RecordFile(path))
    assert os.getpid() == parent  # workers never come back from the pass
    one = P._features_in_one(RecordFile(path))
    assert two[0] == one[0] and two[1] == one[1] and two[2] == one[2] and list(two[4]) == list(one[4])
    assert all(two[3][i] == one[3][i] for i in range(len(one[0])))
    assert [n for n in range(len(one[0])) if one[3][n].links]  # the study link fields came back too


def test_pair_verdicts_in_the_order_one_process_gives(two_cores):
    given = records()
    features = P._features_in_one(given)[2]
    pairs = candidate_pairs(features)
    assert len(pairs) > 3 * P._PAIR_CHUNK
    two, one = P.compare_pairs(features, pairs, parts=2), P.compare_pairs(features, pairs, parts=1)
    assert list(two.items()) == list(one.items())


def test_a_worker_that_dies_costs_time_not_results(two_cores, monkeypatch):
    given = records()
    parent = os.getpid()
    real = P.compare

    def dies_in_a_worker(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(P, "compare", dies_in_a_worker)
    features = P._features_in_one(given)[2]
    pairs = candidate_pairs(features)
    assert P.compare_pairs(features, pairs, parts=2) == P.compare_pairs(features, pairs, parts=1)
    with pytest.raises(parallel.WorkerFailed, match="status 3"):
        parallel.split(lambda k, n: iter([k if k == 0 else os._exit(3)]), 2)


def test_a_bad_record_raises_the_error_one_process_raises(two_cores, tmp_path):
    given = records()
    given[40].record_id = given[3].record_id
    with pytest.raises(DedupError, match=r"appears twice \(rows 4 and 41\)"):
        deduplicate(given)
    given[40].record_id = ""
    with pytest.raises(DedupError, match="has no record_id"):
        deduplicate(given)
