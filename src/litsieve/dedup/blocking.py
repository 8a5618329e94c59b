"""Which pairs are worth comparing: blocking keys and sorted neighbourhoods.

Comparing every record with every other is quadratic (5 billion pairs at 100,000
records). Duplicates almost always share something exact: an identifier, the start or
the end of the title, or journal volume and first page. Records sharing a key are
compared; on top of that, records are sorted by title (and by reversed title) and each
is compared with its next few neighbours, which catches typos and punctuation changes
anywhere but at both ends. A key shared by too many records (a supplement's DOI, a
common title start) is not a sign of duplication; such a block is only walked as a
sorted neighbourhood, so the work stays close to linear.

Everything here depends on record content and ids only, never on input order, so the
same records always give the same candidate pairs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator, Sequence

from litsieve.dedup.features import Features

PREFIX = 24
BLOCK_LIMIT = 40   # a block larger than this is walked as a neighbourhood, not all pairs
WINDOW = 2         # neighbours compared in each sorted order


def keys_of(f: Features) -> Iterator[tuple[str, ...]]:
    """The exact blocking keys of one record."""
    if f.doi:
        yield ("doi", f.doi)
    if f.pmid:
        yield ("pmid", f.pmid)
    if f.pmcid:
        yield ("pmcid", f.pmcid)
    if len(f.title_key) >= 12:
        yield ("start", f.title_key[:PREFIX])
        yield ("end", f.title_key[-PREFIX:])
    if f.volume and f.page_start:
        yield ("volume-page", f.volume, f.page_start)
    if f.page_start and f.year is not None and f.authors:
        yield ("page-year-author", f.page_start, str(f.year), f.authors[0])
    if f.year is not None and f.authors and f.title_words >= 3:
        # Titles reworded at both ends (translations, subtitles) but same first author and year.
        words = sorted(f.title.split(), key=lambda w: (-len(w), w))[:2]
        yield ("author-year-words", f.authors[0], str(f.year), *sorted(words))


def _sort_key(f: Features) -> tuple[str, str]:
    return (f.title_key, f.record_id)


def _window(ordered: Sequence[Features], width: int) -> Iterator[tuple[int, int]]:
    for position, left in enumerate(ordered):
        for right in ordered[position + 1: position + 1 + width]:
            yield left.index, right.index


def candidate_pairs(features: Sequence[Features]) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``i < j`` to compare."""
    blocks: dict[tuple[str, ...], list[Features]] = defaultdict(list)
    for f in features:
        for key in keys_of(f):
            blocks[key].append(f)
    pairs: set[tuple[int, int]] = set()

    def add(items: Iterable[tuple[int, int]]) -> None:
        for i, j in items:
            if i != j:
                pairs.add((i, j) if i < j else (j, i))

    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= BLOCK_LIMIT:
            add((x.index, y.index) for n, x in enumerate(members) for y in members[n + 1:])
        else:
            add(_window(sorted(members, key=_sort_key), WINDOW))
    titled = [f for f in features if f.title_key]
    add(_window(sorted(titled, key=_sort_key), WINDOW))
    add(_window(sorted(titled, key=lambda f: (f.title_key[::-1], f.record_id)), WINDOW))
    return pairs
