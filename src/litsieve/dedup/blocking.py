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

from typing import Callable, Hashable, Iterator, Sequence

import numpy as np

from litsieve.dedup.features import Features

PREFIX = 24
BLOCK_LIMIT = 40   # a block larger than this is walked as a neighbourhood, not all pairs
WINDOW = 2         # neighbours compared in each sorted order
_CHUNK = 1 << 16   # pairs decoded at a time when iterating


def _doi(f: Features) -> Hashable:
    return f.doi or None


def _pmid(f: Features) -> Hashable:
    return f.pmid or None


def _pmcid(f: Features) -> Hashable:
    return f.pmcid or None


def _start(f: Features) -> Hashable:
    key = f.title_key
    return key[:PREFIX] if len(key) >= 12 else None


def _end(f: Features) -> Hashable:
    key = f.title_key
    return key[-PREFIX:] if len(key) >= 12 else None


def _volume_page(f: Features) -> Hashable:
    return (f.volume, f.page_start) if f.volume and f.page_start else None


def _page_year_author(f: Features) -> Hashable:
    return (f.page_start, f.year, f.authors[0]) if f.page_start and f.year is not None and f.authors else None


def _author_year_words(f: Features) -> Hashable:
    if f.year is None or not f.authors or f.title_words < 3:
        return None
    # Titles reworded at both ends (translations, subtitles) but same first author and year.
    words = sorted(f.title.split())
    words.sort(key=len, reverse=True)  # stable: longest first, ties in alphabetical order
    return (f.authors[0], f.year, *sorted(words[:2]))


# One exact key of each family per record; records sharing a key are a block.
FAMILIES: tuple[tuple[str, Callable[[Features], Hashable]], ...] = (
    ("doi", _doi), ("pmid", _pmid), ("pmcid", _pmcid), ("start", _start), ("end", _end),
    ("volume-page", _volume_page), ("page-year-author", _page_year_author),
    ("author-year-words", _author_year_words),
)


def _family_keys(features: Sequence[Features], title_keys: Sequence[str]) -> Iterator[list[Hashable]]:
    """Each family's key for every record (None: no key), as :data:`FAMILIES` computes them
    one record at a time; built as whole lists, which takes half the time at a million records."""
    yield [f.doi or None for f in features]
    yield [f.pmid or None for f in features]
    yield [f.pmcid or None for f in features]
    yield [key[:PREFIX] if len(key) >= 12 else None for key in title_keys]
    yield [key[-PREFIX:] if len(key) >= 12 else None for key in title_keys]
    yield [(f.volume, f.page_start) if f.volume and f.page_start else None for f in features]
    yield [(f.page_start, f.year, f.authors[0]) if f.page_start and f.year is not None and f.authors else None
           for f in features]
    yield [_author_year_words(f) for f in features]


def keys_of(f: Features) -> Iterator[tuple[Hashable, ...]]:
    """The exact blocking keys of one record, each with its family's name."""
    for name, key_of in FAMILIES:
        key = key_of(f)
        if key is not None:
            yield (name, key)


class Pairs:
    """Candidate pairs ``(i, j)``, ``i < j``, unique and in sorted order, held as one int64 each.

    At a million records there are millions of candidate pairs; as Python tuples in a set
    they would take hundreds of megabytes, as ``i * size + j`` codes in a NumPy array a
    few tens.
    """

    def __init__(self, codes: np.ndarray, size: int) -> None:
        self.codes = codes
        self.size = size

    def __len__(self) -> int:
        return int(self.codes.size)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for start in range(0, self.codes.size, _CHUNK):
            yield from self.slice(start, start + _CHUNK)

    def slice(self, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """The pairs from position ``start`` to ``stop`` (a worker's chunk), in order."""
        chunk = self.codes[start:stop]
        return zip((chunk // self.size).tolist(), (chunk % self.size).tolist())

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, tuple) or len(pair) != 2:
            return False
        i, j = sorted(pair)
        code = i * self.size + j
        at = int(np.searchsorted(self.codes, code))
        return at < self.codes.size and int(self.codes[at]) == code


def _windows(order: np.ndarray, size: int) -> np.ndarray:
    """Codes of each record with its next :data:`WINDOW` neighbours in ``order``."""
    parts = []
    for step in range(1, WINDOW + 1):
        if order.size > step:
            left, right = order[:-step], order[step:]
            parts.append(np.minimum(left, right) * size + np.maximum(left, right))
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def candidate_pairs(features: Sequence[Features]) -> Pairs:
    """Index pairs ``(i, j)`` with ``i < j`` to compare (indices are :attr:`Features.index`)."""
    if not features:
        return Pairs(np.empty(0, dtype=np.int64), 1)
    size = max(f.index for f in features) + 1
    indices = [f.index for f in features]
    title_keys = [f.title.replace(" ", "") for f in features]  # Features.title_key, computed once here
    ids = [f.record_id for f in features]
    # Every record's rank in (title, id) order: a large block is walked in this order.
    by_title = sorted(range(len(features)), key=lambda k: (title_keys[k], ids[k]))
    rank = np.zeros(size, dtype=np.int64)
    rank[[indices[k] for k in by_title]] = np.arange(len(by_title), dtype=np.int64)
    parts: list[np.ndarray] = []
    for keys in _family_keys(features, title_keys):
        first: dict[Hashable, int] = {}
        shared: dict[Hashable, list[int]] = {}
        for index, key in zip(indices, keys):
            if key is None:
                continue
            other = first.setdefault(key, index)
            if other != index:
                members = shared.get(key)
                if members is None:
                    shared[key] = [other, index]
                else:
                    members.append(index)
        del first
        # Every pair of a small block, blocks of one size at a time (one array each).
        by_size: dict[int, list[list[int]]] = {}
        for members in shared.values():
            if len(members) <= BLOCK_LIMIT:
                by_size.setdefault(len(members), []).append(members)
        for n, blocks in by_size.items():
            block = np.array(blocks, dtype=np.int64)
            left, right = np.triu_indices(n, 1)
            x, y = block[:, left], block[:, right]
            parts.append((np.minimum(x, y) * size + np.maximum(x, y)).ravel())
        for members in shared.values():
            if len(members) > BLOCK_LIMIT:
                block = np.array(members, dtype=np.int64)
                parts.append(_windows(block[np.argsort(rank[block], kind="stable")], size))
    titled = [k for k in by_title if title_keys[k]]
    parts.append(_windows(np.array([indices[k] for k in titled], dtype=np.int64), size))
    # In (reversed title, id) order: ``titled`` is in (title, id) order and the sort is stable.
    reversed_keys = [key[::-1] for key in title_keys]
    by_reversed = sorted(titled, key=reversed_keys.__getitem__)
    del reversed_keys
    parts.append(_windows(np.array([indices[k] for k in by_reversed], dtype=np.int64), size))
    found = np.concatenate(parts)
    found.sort()
    if found.size:
        found = found[np.concatenate(([True], found[1:] != found[:-1]))]
    return Pairs(found, size)
