"""Union-find clustering that a chain of weak links cannot abuse.

Plain transitive closure merges A and C when A~B and B~C, even if A and C are plainly
different works (B a short record that resembles both). Here links are applied strongest
first (a person's decision, then shared identifiers, then metadata by score, ties by
record id so the order of the input never matters), and two groups are joined only if no
record in one has a hard conflict (:func:`litsieve.dedup.compare.compare`) or a person's
"different" with any record in the other. A refused link is reported, so it can go to a
person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

PERSON = 0       # a person decided "same"
IDENTIFIER = 1   # shared DOI / PMID / PMCID
METADATA = 2     # fuzzy metadata rules


@dataclass(frozen=True, slots=True)
class Link:
    """A proposed merge of records ``a`` and ``b`` (indices), with its rule and score."""

    a: int
    b: int
    tier: int
    score: float
    rule: str


@dataclass
class Clustering:
    """Cluster roots per record, the link that joined each record, and refused links."""

    root: list[int]
    joined_by: dict[int, Link]
    refused: list[tuple[Link, str]]


def cluster(
    size: int,
    links: Iterable[Link],
    ids: Sequence[str],
    conflict: Callable[[int, int], str],
    cannot: set[frozenset[int]],
) -> Clustering:
    """Apply ``links`` under the consistency check.

    ``conflict(i, j)`` returns a reason when records ``i`` and ``j`` must not share a
    cluster (``""`` otherwise); ``cannot`` holds pairs a person said are different.
    A person's "same" overrides automatic conflicts but never a person's "different".
    """
    parent = list(range(size))
    # Members of each group of two or more (a record alone is its own group): a list for every
    # record would be a million lists at a million records.
    members: dict[int, list[int]] = {}
    joined_by: dict[int, Link] = {}
    refused: list[tuple[Link, str]] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ordered = sorted(links, key=lambda k: (k.tier, -k.score, *sorted((ids[k.a], ids[k.b]))))
    for link in ordered:
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            continue
        reason = ""
        group_a, group_b = members.get(ra) or [ra], members.get(rb) or [rb]
        for x in group_a:
            for y in group_b:
                if frozenset((x, y)) in cannot:
                    reason = f"a person said {ids[x]} and {ids[y]} are different works"
                elif link.tier != PERSON:
                    found = conflict(x, y)
                    if found:
                        reason = f"{ids[x]} and {ids[y]}: {found}"
                if reason:
                    break
            if reason:
                break
        if reason:
            refused.append((link, reason))
            continue
        # The smaller group joins the larger; the joining record remembers its link.
        if len(group_a) < len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        parent[rb] = ra
        group_a.extend(group_b)
        members[ra] = group_a
        members.pop(rb, None)
        for i in (link.a, link.b):
            joined_by.setdefault(i, link)
    return Clustering([find(i) for i in range(size)], joined_by, refused)
