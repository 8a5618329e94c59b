"""``order_queue``: the title/abstract queue's priority order, retrained on every workflow run.

Called by the screening queue with the deduplicated records, the criteria suggestions
and the decisions made so far; returns every record id once, in the order the queue
should show them: undecided records first (stable order until an include and an exclude
exist, then by predicted relevance), decided records after them in the stable order.

The criteria suggestions enter the model as three extra features (suggested include,
unsure, exclude). They are weighted like one ordinary word, so the classifier learns
from the screeners' decisions how far to trust them: where the criteria agree with the
screeners they pull likely includes forward, where they do not they are outweighed by
the text.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from scipy import sparse

from litsieve.ranking.features import record_text, tfidf_matrix
from litsieve.ranking.ranker import can_learn, id_positions, rank_undecided, stable_order
from litsieve.record import Record

SUGGESTION_COLUMNS = ("include", "unsure", "exclude")
SUGGESTION_WEIGHT = 0.1  # about the TF-IDF weight of one word in a typical abstract


def suggestion_features(record_ids: Sequence[str], suggestions: Mapping[str, str | None]) -> sparse.csr_matrix:
    """One-hot columns for the criteria suggestion of each record (all zero when it has none)."""
    rows, columns = [], []
    for row, record_id in enumerate(record_ids):
        suggestion = suggestions.get(record_id)
        if suggestion in SUGGESTION_COLUMNS:
            rows.append(row)
            columns.append(SUGGESTION_COLUMNS.index(suggestion))
    data = np.full(len(rows), SUGGESTION_WEIGHT)
    return sparse.csr_matrix((data, (rows, columns)), shape=(len(record_ids), len(SUGGESTION_COLUMNS)))


def order_queue(
    records: Sequence[Record],
    suggestions: Mapping[str, str | None],
    labels: Mapping[str, int],
    *,
    ranked: bool = True,
) -> list[str]:
    """Every record id once, in screening priority order.

    ``suggestions`` maps record_id to ``include``/``unsure``/``exclude`` or ``None``;
    ``labels`` maps record_id to 1 (included at this stage) or 0 (excluded) for the
    records already decided. ``ranked=False`` (the protocol's ``ranking.enabled: false``)
    keeps the stable order whatever the labels say, decided records still last.
    Deterministic: the same inputs give the same order.
    """
    record_ids = [r.record_id for r in records]
    if len(set(record_ids)) != len(record_ids):
        raise ValueError("record ids must be unique")
    stable = stable_order(record_ids, suggestions)
    decided = [(row, int(labels[record_ids[row]])) for row in stable if record_ids[row] in labels]
    decided_rows = [row for row, _ in decided]
    decided_labels = [label for _, label in decided]
    if not ranked or not can_learn(decided_labels):
        undecided = [row for row in stable if record_ids[row] not in labels]
        return [record_ids[row] for row in undecided + decided_rows]
    texts = [record_text(r.title, r.abstract, r.keywords) for r in records]
    features = sparse.hstack([tfidf_matrix(texts), suggestion_features(record_ids, suggestions)]).tocsr()
    by_relevance = rank_undecided(features, id_positions(record_ids), decided_rows, decided_labels)
    return [record_ids[int(row)] for row in by_relevance] + [record_ids[row] for row in decided_rows]
