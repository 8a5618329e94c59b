"""Order records for screening: the one function the queue and ``simulate`` share.

Before the first include *and* the first exclude exist nothing can be learnt, so the
queue keeps a stable order a screener can rely on: criteria suggestion ``include``
first, then ``unsure``, then records without a suggestion, then ``exclude``; within each,
by ``record_id``. Once both classes exist, undecided records are ordered by the model's
relevance score (highest first), ties by ``record_id``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from scipy import sparse

from litsieve.ranking.model import relevance_scores

SUGGESTION_RANK: dict[str | None, int] = {"include": 0, "unsure": 1, None: 2, "exclude": 3}


def stable_order(record_ids: Sequence[str], suggestions: Mapping[str, str | None]) -> list[int]:
    """Row indices in the order used before any decision: by suggestion, then record_id."""
    def key(index: int) -> tuple[int, str]:
        suggestion = suggestions.get(record_ids[index])
        return SUGGESTION_RANK.get(suggestion, SUGGESTION_RANK[None]), record_ids[index]

    return sorted(range(len(record_ids)), key=key)


def can_learn(labels: Sequence[int]) -> bool:
    """True once at least one include and one exclude exist."""
    return 0 in labels and 1 in labels


def rank_undecided(
    features: sparse.csr_matrix,
    id_order: np.ndarray,
    decided_rows: Sequence[int],
    decided_labels: Sequence[int],
) -> np.ndarray:
    """Undecided row indices, most likely relevant first, ties by ``record_id``.

    ``id_order[i]`` is row ``i``'s position when rows are sorted by ``record_id``; it
    breaks ties so the result never depends on the order rows were passed in.
    """
    scores = relevance_scores(features, decided_rows, decided_labels)
    undecided = np.ones(features.shape[0], dtype=bool)
    undecided[np.asarray(decided_rows, dtype=np.int64)] = False
    rows = np.flatnonzero(undecided)
    # lexsort: last key is primary
    return rows[np.lexsort((id_order[rows], -scores[rows]))]


def id_positions(record_ids: Sequence[str]) -> np.ndarray:
    """Each row's position in ``record_id`` order (ties broken by row, ids are unique anyway)."""
    order = sorted(range(len(record_ids)), key=lambda i: record_ids[i])
    positions = np.empty(len(record_ids), dtype=np.int64)
    positions[np.asarray(order, dtype=np.int64)] = np.arange(len(record_ids))
    return positions
