"""Deduplication from records to clusters, merged works, counts and pairs for a person.

:func:`deduplicate` is pure (records and a person's decisions in, a :class:`DedupResult`
out) and independent of input order: features are computed per record, candidate pairs
come from content, links are applied in an order fixed by rule, score and record id, the
kept record and the cluster id (the smallest record id in the cluster) depend only on the
cluster's members, and every output is sorted.
"""

from __future__ import annotations

import gc
import sys
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from litsieve.dedup.blocking import Pairs, candidate_pairs
from litsieve.dedup.cluster import IDENTIFIER, METADATA, PERSON, Link, cluster
from litsieve.dedup.compare import DIFFERENT, SAME, UNCERTAIN, PairResult, agreement, compare, worth_comparing
from litsieve.dedup.features import Features, features_of
from litsieve.dedup.merge import MergedWorks, completeness_code, kept_member
from litsieve.dedup.review import DIFFERENT as PERSON_DIFFERENT
from litsieve.dedup.review import SAME as PERSON_SAME
from litsieve.dedup.review import review_row
from litsieve.dedup.studies import STUDY_COLUMNS, RecordFacts, link_studies
from litsieve.dedup.weights import DEFAULT, Weights, estimate
from litsieve.dedup.parallel import WorkerFailed, chunks_of, interleave, split, workers
from litsieve.errors import DedupError, LitsieveError
from litsieve.records_io import RecordFile
from litsieve.record import Record

CLUSTER_COLUMNS = ("record_id", "cluster_id", "kept", "cluster_size", "rule", "score", "linked_to", "source",
                   *STUDY_COLUMNS)
_IDENTIFIER_RULES = ("same DOI", "same PMID", "same PMCID", "same registry entry")


@dataclass
class DedupResult:
    """Everything deduplication produces (see docs/dedup.md for each file)."""

    clusters: list[dict[str, str]]
    records: Sequence[Record]   # one merged record per work, in id order (built when read)
    counts: dict[str, object]
    review_rows: list[dict[str, str]] = field(default_factory=list)
    weights: Weights = DEFAULT


_Features = tuple[list[str], list[str], list[Features], RecordFacts, "array[int]"]
_FEATURE_CHUNK = 16_384  # records a worker's chunk: a chunk's words are pickled once


def _features(records: Sequence[Record]) -> _Features:
    """Record ids, sources, features, study evidence and completeness codes (for the kept
    record) in one pass over ``records`` (which may be a file read on demand), on two cores
    for a large input (:mod:`litsieve.dedup.parallel`)."""
    size = records.estimated_length() if isinstance(records, RecordFile) else len(records)
    parts = workers(size)
    if parts > 1:
        try:
            found = split(lambda k, n: _feature_chunks(records, k, n), parts)
        except (WorkerFailed, LitsieveError):
            pass  # one process again: a bad row raises its error at the same row as without workers
        else:
            merged = _merge(interleave(found))
            _check_ids(merged[0])
            return merged
    return _features_in_one(records)


def _features_in_one(records: Sequence[Record]) -> _Features:
    check = _IdCheck()
    found = _empty()
    for row, record in enumerate(records, start=1):
        check(row, record.record_id)
        _add(found, row - 1, record)
    return found


def _empty() -> _Features:
    return [], [], [], RecordFacts(), array("q")


def _add(found: _Features, index: int, record: Record) -> None:
    """The record's id, source, features, study evidence and completeness code, appended."""
    ids, sources, features, facts, codes = found
    ids.append(record.record_id)
    sources.append(sys.intern(record.source))
    features.append(features_of(index, record))
    facts.note(index, record, features[-1])
    codes.append(completeness_code(record))


def _feature_chunks(records: Sequence[Record], k: int, parts: int) -> Iterator[_Features]:
    """Process ``k``'s chunks of :func:`_features_in_one`, ids unchecked (checked once merged)."""
    makers = records.lazily() if isinstance(records, RecordFile) else (partial(_itself, r) for r in records)
    current = -1
    chunk = _empty()
    for index, make in enumerate(makers):
        number = index // _FEATURE_CHUNK
        if number % parts != k:
            continue
        if number != current:
            if current >= 0:
                yield chunk
            current, chunk = number, _empty()
        _add(chunk, index, make())
    if current >= 0:
        yield chunk


def _itself(record: Record) -> Record:
    return record


def _merge(chunks: Iterable[_Features]) -> _Features:
    ids, sources, features, facts, codes = merged = _empty()
    for chunk_ids, chunk_sources, chunk_features, chunk_facts, chunk_codes in chunks:
        ids += chunk_ids
        sources += [sys.intern(s) for s in chunk_sources]
        features += chunk_features
        facts.update(chunk_facts)
        codes += chunk_codes
    return merged


class _IdCheck:
    """Every record has an id, and no id appears twice (the error names both rows)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, row: int, record_id: str) -> None:
        if not record_id:
            raise DedupError("a record has no record_id", row=row, field="record_id",
                             hint="import the file with `litsieve import` first")
        if record_id in self.seen:
            raise DedupError(f"record id '{record_id}' appears twice (rows {self.seen[record_id]} and {row})",
                             row=row, field="record_id", hint="record ids must be unique across the review")
        self.seen[record_id] = row


def _check_ids(ids: Sequence[str]) -> None:
    check = _IdCheck()
    for row, record_id in enumerate(ids, start=1):
        check(row, record_id)


@contextmanager
def _without_gc() -> Iterator[None]:
    """Cyclic garbage collection off while millions of small objects are built.

    Nothing here makes reference cycles, and at a million records the collector's repeated
    full passes over every live object cost more time than the rest of clustering.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compare_pairs(features: list[Features], pairs: Pairs, weights: Weights = DEFAULT,
                  parts: int | None = None) -> dict[tuple[int, int], PairResult]:
    """Verdicts on the candidate pairs that may be one work (``same`` or ``uncertain``; ``i < j``).

    "Different" verdicts are not kept: they are most pairs, and the consistency check
    recomputes the few it needs. On two cores, a forked worker takes every other chunk of
    pairs (:mod:`litsieve.dedup.parallel`); ``parts`` sets the number of processes.
    """
    parts = workers(len(pairs)) if parts is None else parts
    try:
        found = split(lambda k, n: _compared_chunks(features, pairs, weights, k, n), parts)
    except WorkerFailed:
        found = split(lambda k, n: _compared_chunks(features, pairs, weights, k, n), 1)
    results: dict[tuple[int, int], PairResult] = {}
    for chunk in interleave(found):  # in sorted order, as one process gives them
        results.update(chunk)
    return results


_PAIR_CHUNK = 8192  # candidate pairs a worker's chunk


def _compared_chunks(features: list[Features], pairs: Pairs, weights: Weights, k: int,
                     parts: int) -> Iterator[list[tuple[tuple[int, int], PairResult]]]:
    for span in chunks_of(k, parts, len(pairs), _PAIR_CHUNK):
        found = []
        for i, j in pairs.slice(span.start, span.stop):  # in sorted order
            a, b = features[i], features[j]
            if worth_comparing(a, b):
                result = compare(a, b, weights)
                if result.verdict != DIFFERENT:
                    found.append(((i, j), result))
        yield found


def field_weights(features: Sequence[Features]) -> Weights:
    """Each field's weight in these records (:mod:`litsieve.dedup.weights`), judged as the rules compare."""
    return estimate(features, lambda a, b: agreement(a, b).by_field())


def deduplicate(
    records: Sequence[Record],
    decisions: Mapping[tuple[str, str], str] | None = None,
) -> DedupResult:
    """Cluster ``records`` into works; ``decisions`` are a person's same/different pairs."""
    with _without_gc():
        return _deduplicate(records, decisions or {})


def _deduplicate(records: Sequence[Record], decisions: Mapping[tuple[str, str], str]) -> DedupResult:
    ids, sources, features, facts, codes = _features(records)
    position = {rid: i for i, rid in enumerate(ids)}
    weights = field_weights(features)

    results: dict[tuple[int, int], PairResult] = {}

    def judged(i: int, j: int) -> PairResult:
        key = (i, j) if i < j else (j, i)
        found = results.get(key)
        if found is None:
            found = results[key] = compare(features[i], features[j], weights)
        return found

    links: list[Link] = []
    uncertain: list[tuple[int, int]] = []
    results.update(compare_pairs(features, candidate_pairs(features), weights))
    for (i, j), result in results.items():
        if result.verdict == SAME:
            tier = IDENTIFIER if result.rule.split(";")[0] in _IDENTIFIER_RULES else METADATA
            links.append(Link(i, j, tier, result.score, result.rule))
        elif result.verdict == UNCERTAIN:
            uncertain.append((i, j))

    links, ambiguous = _unambiguous(links, judged, ids)

    cannot: set[frozenset[int]] = set()
    decided: set[frozenset[int]] = set()
    for (a, b), decision in sorted(decisions.items()):
        if a not in position or b not in position or a == b:
            continue
        i, j = position[a], position[b]
        decided.add(frozenset((i, j)))
        if decision == PERSON_SAME:
            links.append(Link(i, j, PERSON, 1.0, "a person decided: same work"))
        elif decision == PERSON_DIFFERENT:
            cannot.add(frozenset((i, j)))

    def conflict(i: int, j: int) -> str:
        result = judged(i, j)
        return result.rule if result.conflict else ""

    clustering = cluster(len(records), links, ids, conflict, cannot)

    groups: dict[int, list[int]] = {}
    for index, root in enumerate(clustering.root):
        groups.setdefault(root, []).append(index)

    rows: list[dict[str, str]] = []
    works: list[tuple[str, str, tuple[int, ...]]] = []
    scores: dict[float, str] = {}
    for members in groups.values():
        cluster_id = min(ids[i] for i in members)
        if len(members) == 1:
            kept_id = cluster_id
        else:  # as choose_kept decides, from the codes kept in the first pass (no record read again)
            kept_id = ids[kept_member(members, codes, ids)]
        works.append((kept_id, cluster_id, tuple(members)))
        size = str(len(members))
        for i in members:
            if len(members) == 1:
                rule, score, other = "unique", "", ""
            else:
                link = clustering.joined_by[i]  # every member of a larger cluster came in by a link
                other = ids[link.b] if link.a == i else ids[link.a]
                rule = link.rule
                score = scores.get(link.score) or scores.setdefault(link.score, f"{link.score:.3f}")
            rows.append({
                "record_id": ids[i],
                "cluster_id": cluster_id,
                "kept": "true" if ids[i] == kept_id else "false",
                "cluster_size": size,
                "rule": rule,
                "score": score,
                "linked_to": other,
                "source": sources[i],
            })
    rows.sort(key=lambda r: (r["cluster_id"], r["kept"] != "true", r["record_id"]))
    merged = MergedWorks(records, works)
    # The second level: reports of one study linked (every row of a cluster gets its columns).
    studies = link_studies(facts, features, rows, decisions, position)
    for row in rows:
        row.update(studies.of(row["cluster_id"]))

    root_of = clustering.root
    review: dict[str, dict[str, str]] = {}
    pending = [(i, j, judged(i, j).rule, judged(i, j).score) for i, j in uncertain]
    pending += [(link.a, link.b, f"not merged: {reason}", link.score) for link, reason in clustering.refused
                if link.tier != PERSON]
    pending += [(link.a, link.b, f"not merged: {reason}", link.score) for link, reason in ambiguous]
    # In id order, so that when a pair is both uncertain and refused the same reason wins.
    pending.sort(key=lambda p: (*sorted((ids[p[0]], ids[p[1]])), p[2]))
    for i, j, reason, pair_score in pending:
        if root_of[i] == root_of[j] or frozenset((i, j)) in decided:
            continue
        row = review_row(records[i], records[j], reason, pair_score)
        review.setdefault(row["pair_id"], row)
    for pair in sorted(decided, key=lambda p: sorted(ids[x] for x in p)):
        i, j = sorted(pair)
        result = judged(i, j)
        row = review_row(records[i], records[j], result.rule, result.score)
        review.setdefault(row["pair_id"], row)
    for a, b, reason, pair_score in studies.review:
        if frozenset((position[a], position[b])) not in decided:
            row = review_row(records[position[a]], records[position[b]], reason, pair_score)
            review.setdefault(row["pair_id"], row)
    undecided = sorted((r for r in review.values() if frozenset((position[r["record_a"]], position[r["record_b"]])) not in decided),
                       key=lambda r: (-float(r["score"]), r["pair_id"]))
    done = sorted((r for r in review.values() if frozenset((position[r["record_a"]], position[r["record_b"]])) in decided),
                  key=lambda r: r["pair_id"])

    counts = _counts(rows, len(clustering.refused), len(undecided))
    counts.update({key: value for key, value in studies.counts.items() if key != "study_links_awaiting_review"})
    counts["study_links_awaiting_review"] = sum(1 for r in undecided if r["reason"].startswith("same study?"))
    return DedupResult(rows, merged, counts, undecided + done, weights)


def _unambiguous(links: list[Link], judged: Callable[[int, int], PairResult],
                 ids: Sequence[str]) -> tuple[list[Link], list[tuple[Link, str]]]:
    """Metadata links of a record that matches two records which must stay apart, set aside.

    A record with little in it (no venue, a title and authors) can match both an article
    and its preprint, or two abstracts of one group. Applying the strongest link first would
    put it with one of them on a small difference in score; which one it is a copy of is not
    known, so neither link is applied and both go to a person. Identifier links (a shared
    DOI) say which, and stay.
    """
    partners: dict[int, list[Link]] = {}
    for link in links:
        if link.tier == METADATA:
            partners.setdefault(link.a, []).append(link)
            partners.setdefault(link.b, []).append(link)
    dropped: dict[Link, str] = {}
    for i in sorted((p for p, own in partners.items() if len(own) >= 2), key=ids.__getitem__):
        own = sorted(partners[i], key=lambda k: (ids[k.b if k.a == i else k.a]))
        for x, first in enumerate(own):
            j = first.b if first.a == i else first.a
            for second in own[x + 1:]:
                k = second.b if second.a == i else second.a
                result = judged(j, k)
                if result.conflict:
                    reason = f"{ids[i]} matches both {ids[j]} and {ids[k]}, which differ ({result.rule})"
                    dropped.setdefault(first, reason)
                    dropped.setdefault(second, reason)
    if not dropped:
        return links, []
    return [k for k in links if k not in dropped], sorted(dropped.items(), key=lambda d: (ids[d[0].a], ids[d[0].b]))


def _counts(rows: Sequence[Mapping[str, str]], refused: int, awaiting: int) -> dict[str, object]:
    """The numbers for the flow diagram: totals and, per source, records, kept and removed."""
    per_source: dict[str, dict[str, int]] = {}
    for row in rows:
        entry = per_source.setdefault(row["source"], {"records": 0, "kept": 0, "duplicates_removed": 0})
        entry["records"] += 1
        if row["kept"] == "true":
            entry["kept"] += 1
        else:
            entry["duplicates_removed"] += 1
    works = sum(1 for row in rows if row["kept"] == "true")
    by_person = sum(1 for row in rows if row["kept"] != "true" and row["rule"].startswith("a person decided"))
    return {
        "records_in": len(rows),
        "works_out": works,
        "duplicates_removed": len(rows) - works,
        "duplicates_removed_automatically": len(rows) - works - by_person,
        "duplicates_removed_by_person": by_person,
        "clusters_with_duplicates": len({r["cluster_id"] for r in rows if r["cluster_size"] != "1"}),
        "merges_refused_by_consistency_check": refused,
        "pairs_awaiting_review": awaiting,
        "per_source": dict(sorted(per_source.items())),
    }
