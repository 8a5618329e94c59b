"""Deduplication on real labelled sets from ../shared (skipped when absent)."""

from __future__ import annotations

import csv
import gzip
import random
from collections import Counter
from pathlib import Path

import pytest

from conftest import shared_path
from litsieve.dedup import deduplicate
from litsieve.dedup.blocking import candidate_pairs
from litsieve.dedup.features import features_of
from litsieve.importers import load_many

pytestmark = pytest.mark.external


def labelled(name: str, tmp_path: Path) -> tuple[list, dict[str, str]]:
    """The set's records through the importer (labels removed first) and the true groups."""
    source = shared_path("bench", "dedup", name)
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c not in ("dup_group", "group_size")]
        rows = list(reader)
    clean = tmp_path / "input.csv"
    with open(clean, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return load_many([clean]), {row["ID"]: row["dup_group"] for row in rows}


def pair_counts(assignment: dict[str, str], truth: dict[str, str]) -> tuple[int, int, int]:
    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = Counter((assignment[i], truth[i]) for i in truth)
    return pairs(Counter(assignment[i] for i in truth)), pairs(Counter(truth.values())), pairs(both)


def test_cytology_set_no_false_merges_and_high_recall(tmp_path):
    records, truth = labelled("sra_cytology_screening.csv", tmp_path)
    result = deduplicate(records)
    assignment = {row["record_id"]: row["cluster_id"] for row in result.clusters}
    predicted, true, correct = pair_counts(assignment, truth)
    assert predicted == correct, f"{predicted - correct} wrongly merged pairs"
    assert correct / true >= 0.985  # bib-dedupe 0.11.0 reaches 0.985 here


def test_any_order_gives_the_same_clusters(tmp_path):
    records, _ = labelled("sra_haematology.csv", tmp_path)
    first = deduplicate(records)
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    again = deduplicate(shuffled)
    assert again.clusters == first.clusters
    assert [r.to_row() for r in again.records] == [r.to_row() for r in first.records]


def test_blocking_stays_close_to_linear(tmp_path):
    records, _ = labelled("sra_cytology_screening.csv", tmp_path)
    features = [features_of(i, r) for i, r in enumerate(records)]
    assert len(candidate_pairs(features)) < 12 * len(records)
