"""Field weights estimated per input: a field that is noise in a file must not veto a merge."""

from __future__ import annotations

import random
from dataclasses import replace

from litsieve.dedup import deduplicate
from litsieve.dedup.compare import agreement
from litsieve.dedup.features import features_of
from litsieve.dedup.weights import MAX_ANCHOR_PAIRS, anchor_pairs, estimate
from litsieve.record import Record

TOPICS = ["insulin", "metformin", "exercise", "diet", "sleep", "smoking", "alcohol", "statins", "aspirin",
          "vitamin", "yoga", "coffee", "screening", "telehealth", "education", "pharmacist", "nurses",
          "peer support", "text messages", "mindfulness", "walking", "fasting", "fibre", "salt", "weight loss",
          "bariatric surgery", "acupuncture", "music therapy"]


def library(issue_of: "callable[[int, int], str]") -> list[Record]:  # type: ignore[valid-type]
    """Each work exported twice (PubMed and Embase), with issue numbers from ``issue_of(work, copy)``."""
    records = []
    for n, topic in enumerate(TOPICS):
        for copy, source in enumerate(("pubmed", "embase")):
            records.append(Record(
                record_id=f"r{n:02d}{copy}", source=source,
                title=f"Effect of {topic} on glycaemic control in adults with type 2 diabetes: a trial {n}",
                authors=[f"Author{n}, A" if copy == 0 else f"Author{n} A", "Second, B"],
                year=2010 + n % 9, journal="Diabetes Care" if copy == 0 else "Diabetes Care.",
                volume=str(20 + n), issue=issue_of(n, copy), pages=f"{100 + n}-{110 + n}",
            ))
    return records


def running_number(n: int, copy: int) -> str:
    return str(5000 + 2 * n + copy)  # EndNote's record number in the issue field


def test_an_issue_field_holding_a_running_number_does_not_veto():
    result = deduplicate(library(running_number))
    clusters = {row["record_id"]: row["cluster_id"] for row in result.clusters}
    assert all(clusters[f"r{n:02d}0"] == clusters[f"r{n:02d}1"] for n in range(len(TOPICS)))
    issue = next(w for w in result.weights.fields if w.name == "issue")
    assert issue.status == "ignored" and issue.m == 0.0
    # The rule that merged says the issue was set aside, and why.
    rules = {row["rule"] for row in result.clusters if row["kept"] == "false"}
    assert all("issue not used (" in rule for rule in rules)


def test_a_real_issue_field_keeps_its_veto():
    result = deduplicate(library(lambda n, copy: str(1 + n % 12)))
    issue = next(w for w in result.weights.fields if w.name == "issue")
    assert issue.status == "used" and issue.m == 1.0 and issue.u is not None and issue.u < 0.2
    assert "issue" not in result.weights.ignored
    assert len({row["cluster_id"] for row in result.clusters}) == len(TOPICS)


def test_every_copy_a_year_later_keeps_the_year_veto():
    # One database gives the print year, the other the online-first year: every duplicate is
    # one year off. That is no disagreement for the year's veto (two years or more), so the
    # year is not set aside, and a record two years off stays apart.
    records = [replace(r, year=(r.year or 0) + 1) if r.record_id.endswith("1") else r
               for r in library(lambda n, copy: str(1 + n % 12))]
    result = deduplicate(records)
    year = next(w for w in result.weights.fields if w.name == "year")
    assert year.m == 0.0 and year.status != "ignored" and "year" not in result.weights.ignored
    assert len({row["cluster_id"] for row in result.clusters}) == len(TOPICS)
    later = replace(records[0], record_id="z", year=(records[0].year or 0) + 2, source="scopus")
    clusters = {row["record_id"]: row["cluster_id"] for row in deduplicate([*records, later]).clusters}
    assert clusters["z"] == "z"


def test_too_few_pairs_keep_the_rules_default():
    records = library(running_number)[:10]  # five pairs: too few to judge a field by
    weights = deduplicate(records).weights
    assert weights.ignored == frozenset()
    issue = next(w for w in weights.fields if w.name == "issue")
    assert issue.status == "used" and "too few pairs" in issue.reason
    # ... and so the issue is compared as the rules say: not set aside in any explanation.
    assert not any("not used" in row["rule"] for row in deduplicate(records).clusters)


def test_estimate_is_independent_of_input_order():
    records = library(running_number)
    shuffled = list(records)
    random.Random(3).shuffle(shuffled)

    def weights_of(rs: list[Record]):
        features = [features_of(i, r) for i, r in enumerate(rs)]
        return estimate(features, lambda a, b: agreement(a, b).by_field())

    assert weights_of(records) == weights_of(shuffled)


def test_anchor_sample_is_bounded_and_made_of_content():
    records = [Record(record_id=f"x{n}", title=f"A long enough title about subject number {n} here", year=2000)
               for n in range(10)] * 2
    features = [features_of(i, Record(record_id=f"{r.record_id}-{i}", title=r.title, year=r.year))
                for i, r in enumerate(records)]
    pairs = anchor_pairs(features)
    assert len(pairs) == 10 <= MAX_ANCHOR_PAIRS
    assert all(a.title == b.title and a.record_id < b.record_id for a, b in pairs)
