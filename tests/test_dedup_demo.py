"""Deduplication on the bundled demo and in the workflow: the intended duplicates, no more."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import REPO, run_snakemake
from litsieve.dedup import deduplicate
from litsieve.importers import load_many

DEMO = REPO / "resources" / "demo"


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check_against_intended(cluster_of: dict[str, str]) -> None:
    intended = read_csv(DEMO / "intended_duplicates.csv")
    groups: dict[str, set[str]] = defaultdict(set)
    for row in intended:
        groups[row["group_id"]].add(row["record_id"])
    for group, ids in groups.items():
        assert len({cluster_of[i] for i in ids}) == 1, f"intended duplicates {group} were split: {sorted(ids)}"
    group_of = {row["record_id"]: row["group_id"] for row in intended}
    members: dict[str, set[str]] = defaultdict(set)
    for record_id, cluster in cluster_of.items():
        members[cluster].add(group_of.get(record_id, record_id))
    assert all(len(m) == 1 for m in members.values()), "records of different works were merged"
    for row in read_csv(DEMO / "intended_distinct.csv"):
        assert cluster_of[row["record_id_a"]] != cluster_of[row["record_id_b"]], row["note"]


def demo_records():
    # The demo exports are committed: their absence is a regression, not a reason to skip.
    sources = {"psycinfo": DEMO / "psycinfo_ebscohost.ris", "pubmed": DEMO / "pubmed_medline.txt"}
    return [r for name, path in sorted(sources.items()) for r in load_many([path], source=name)]


def test_demo_duplicates_are_exactly_the_intended_ones():
    result = deduplicate(demo_records())
    check_against_intended({row["record_id"]: row["cluster_id"] for row in result.clusters})
    intended = read_csv(DEMO / "intended_duplicates.csv")
    expected_removed = len(intended) - len({row["group_id"] for row in intended})
    assert result.counts["duplicates_removed"] == expected_removed


def test_demo_studies_link_the_notices_and_keep_the_near_misses_apart():
    result = deduplicate(demo_records())
    rows = {row["record_id"]: row for row in result.clusters}
    # MEDLINE's own link fields: the erratum and the comment follow their articles.
    assert (rows["pubmed:99900017"]["relation"], rows["pubmed:99900017"]["study_id"]) == \
        ("erratum of", rows["pubmed:99900016"]["study_id"])
    assert (rows["pubmed:99900049"]["relation"], rows["pubmed:99900049"]["study_id"]) == \
        ("comment on", rows["pubmed:99900047"]["study_id"])
    # Parts of a series, the dissertation, the three items under one short title: studies of their own.
    for row in read_csv(DEMO / "intended_distinct.csv"):
        if "erratum" in row["note"] or "comment" in row["note"] or "conference" in row["note"]:
            continue
        assert rows[row["record_id_a"]]["study_id"] != rows[row["record_id_b"]]["study_id"], row["note"]
    # The meeting abstract, retitled and in another journal, goes to a person.
    pair = "psycinfo:2015-55520-840 | pubmed:99900066"
    assert [r["reason"][:11] for r in result.review_rows if r["pair_id"] == pair] == ["same study?"]
    assert result.counts["studies"] == len({row["study_id"] for row in result.clusters})
    assert result.counts["works_out"] == result.counts["studies"] + 2  # two reports linked, none merged


@pytest.mark.slow
def test_workflow_dedup_rule(workflow_dir):
    # The review file exists from parse time, header only, so it can be the rule's input.
    run_snakemake(workflow_dir, "results/dedup/counts.json")
    review = workflow_dir / "screening" / "duplicates.csv"
    assert review.read_bytes().startswith(b"\xef\xbb\xbfpair_id,decision,note")
    clusters = read_csv(workflow_dir / "results" / "dedup" / "clusters.csv")
    check_against_intended({row["record_id"]: row["cluster_id"] for row in clusters})
    # The second level: every record has a study; a report linked to another names it.
    assert all(row["study_id"] for row in clusters)
    cluster_ids = {row["cluster_id"] for row in clusters}
    assert all(row["related_to"] in cluster_ids for row in clusters if row["relation"])
    counts = json.loads((workflow_dir / "results" / "dedup" / "counts.json").read_text())
    per_source = counts["per_source"]
    assert sum(s["records"] for s in per_source.values()) == counts["records_in"]
    assert sum(s["duplicates_removed"] for s in per_source.values()) == counts["duplicates_removed"]
    assert sum(s["kept"] for s in per_source.values()) == counts["works_out"]
    sources = {row["source"]: int(row["records"])
               for row in csv.DictReader(open(workflow_dir / "results" / "records" / "counts.tsv"), delimiter="\t")}
    assert {name: s["records"] for name, s in per_source.items()} == sources
    works = read_csv(workflow_dir / "results" / "dedup" / "records.csv")
    assert len(works) == counts["works_out"]
    # Nothing left to do: outputs are newer than the review file and the inputs.
    dry = run_snakemake(workflow_dir, "-n", "results/dedup/counts.json")
    assert "Nothing to be done" in dry.stdout + dry.stderr
