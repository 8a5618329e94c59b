"""order_queue: stable before anything can be learnt, relevance-ranked after, always deterministic."""

from __future__ import annotations

import random
import time

from litsieve.ranking import order_queue
from litsieve.ranking.metrics import ranking_metrics, screened_to_reach
from litsieve.ranking.schedule import batch_size
from litsieve.record import Record

MH = ["peer support for adults with mental illness", "peer mentoring and recovery in mental health services",
      "peer workers in community mental health teams", "open dialogue for psychosis with peer support"]
OTHER = ["knee surgery outcomes in older adults", "chemotherapy dosing in breast cancer",
         "school based vaccination of children", "kidney transplant rejection markers"]


def records(n_each: int = 6) -> list[Record]:
    out = []
    for i in range(n_each):
        for j, title in enumerate(MH):
            out.append(Record(record_id=f"mh{i}{j}", title=title, abstract=f"{title} study {i}", keywords=["peer"]))
        for j, title in enumerate(OTHER):
            out.append(Record(record_id=f"ot{i}{j}", title=title, abstract=f"{title} trial {i}"))
    return out


def test_stable_order_before_decisions() -> None:
    recs = records(2)
    suggestions = {"ot00": "include", "mh10": "exclude", "ot11": "unsure", "mh01": None}
    order = order_queue(recs, suggestions, {})
    assert order[0] == "ot00" and order[1] == "ot11" and order[-1] == "mh10"
    middle = order[2:-1]
    assert middle == sorted(middle)
    assert sorted(order) == sorted(r.record_id for r in recs)


def test_only_includes_keeps_stable_order_with_decided_last() -> None:
    recs = records(2)
    order = order_queue(recs, {}, {"mh00": 1, "mh11": 1})
    assert order[-2:] == ["mh00", "mh11"]
    assert order[:-2] == sorted(order[:-2])


def test_ranked_once_include_and_exclude_exist() -> None:
    recs = records()
    labels = {"mh00": 1, "ot00": 0}
    order = order_queue(recs, {}, labels)
    undecided = order[:-2]
    assert order[-2:] == ["mh00", "ot00"]
    assert len(undecided) == len(recs) - 2
    top = undecided[: len(MH) * 6 - 1]
    assert all(rid.startswith("mh") for rid in top)


def test_deterministic_and_independent_of_input_order() -> None:
    recs = records()
    labels = {"mh00": 1, "ot00": 0, "ot12": 0}
    suggestions = {r.record_id: ("include" if r.record_id.startswith("mh") else "exclude") for r in recs}
    first = order_queue(recs, suggestions, labels)
    shuffled = recs[:]
    random.Random(3).shuffle(shuffled)
    assert order_queue(shuffled, suggestions, labels) == first


def test_ties_broken_by_record_id() -> None:
    recs = [Record(record_id=rid, title="same words here", abstract="identical") for rid in ("c", "a", "b")]
    recs += [Record(record_id="p", title="peer support", abstract="mental health"),
             Record(record_id="x", title="kidney", abstract="surgery")]
    order = order_queue(recs, {}, {"p": 1, "x": 0})
    assert order[:3] == ["a", "b", "c"]


def test_ten_thousand_records_rank_quickly() -> None:
    """Retraining runs on every workflow run; 10,000 short records must rank in seconds (real
    abstracts: about 5 CPU seconds, see docs/benchmarks.md)."""
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(3000)]
    recs = [Record(record_id=f"r{i:05d}", title=" ".join(rng.choices(vocab, k=8)),
                   abstract=" ".join(rng.choices(vocab, k=30))) for i in range(10_000)]
    labels = {f"r{i:05d}": int(i % 50 == 0) for i in range(0, 400)}
    started = time.process_time()
    order = order_queue(recs, {}, labels)
    assert len(order) == 10_000
    assert time.process_time() - started < 15  # CPU time: about 1 s normally, generous for slow machines


def test_schedule_retrains_often_early_then_in_growing_batches() -> None:
    assert [batch_size(n) for n in (0, 2, 49, 99)] == [1, 1, 1, 1]
    assert batch_size(100) == 2 and batch_size(1000) == 20
    # A 10,000-record replay needs a few hundred retrains, not 10,000.
    decided, retrains = 2, 0
    while decided < 10_000:
        decided += batch_size(decided)
        retrains += 1
    assert retrains < 400


def test_metrics_by_hand() -> None:
    labels = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]  # 3 relevant in 10
    found = ranking_metrics(labels)
    assert screened_to_reach(labels, 0.95) == 10  # ceil(2.85) = 3 relevant needed
    assert abs(found.wss95 - (95 - 100)) < 1e-9
    assert abs(found.rrf10 - 100 / 3) < 1e-9
    assert abs(found.atd - 100 * (1 + 3 + 10) / 3 / 10) < 1e-9
    assert ranking_metrics([1, 1, 0, 0]).wss100 == 50


def test_a_kept_ranker_gives_the_queue_order_for_each_new_decision() -> None:
    """A long-running process keeps one Ranker (features built once) and asks it after every decision."""
    from litsieve.ranking import Ranker

    recs = records()
    suggestions = {"mh11": "include", "ot22": "exclude"}
    ranker = Ranker.from_records(recs, suggestions)
    labels: dict[str, int] = {}
    for record_id in ("mh00", "ot00", "mh21", "ot13"):
        labels[record_id] = int(record_id.startswith("mh"))
        assert ranker.order(labels) == order_queue(recs, suggestions, labels)
    features = ranker.features
    ranker.order(labels)
    assert ranker.features is features  # not rebuilt
    assert ranker.order(labels, ranked=False) == order_queue(recs, suggestions, labels, ranked=False)
